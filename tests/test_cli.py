import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import nvo_nlp
from conftest import LT_SAMPLE, SAMPLES
from nvo_nlp.cli import app

runner = CliRunner()


def test_cli_extract_prints_records_of_one_article_as_json():
    result = runner.invoke(app, ["extract", str(LT_SAMPLE)])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert records["article"]["language"] == "lt"
    assert {m["normalized"] for m in records["mentions"] if m["type"] == "COMMUNITY"} >= {"Brožių kaimo bendruomenė"}
    assert records["events"][0]["title"] == "Patirties mainų diena"


def test_cli_extract_one_record_of_a_jsonl_file():
    result = runner.invoke(app, ["extract", f"{SAMPLES / 'lv_regional.jsonl'}#2"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["article"]["language"] == "lv"
    result = runner.invoke(app, ["extract", str(SAMPLES / "lv_regional.jsonl")])
    assert result.exit_code == 1 and "pick one with" in result.output


def test_cli_extract_bad_file_is_a_one_line_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 1
    assert "file is empty" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_evaluate_scores_the_gold_set_and_writes_items(tmp_path):
    gold = Path(__file__).parent / "gold" / "dev.jsonl"
    result = runner.invoke(app, ["evaluate", str(gold), "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for field in ("officials", "organizations", "headcounts", "dates", "places", "projects", "quotes", "events"):
        assert field in result.output
    scores = json.loads((tmp_path / "scores.json").read_text(encoding="utf-8"))
    assert scores["articles"] == sum(1 for line in gold.read_text(encoding="utf-8").splitlines() if line.strip())
    officials = scores["scores"]["officials"]
    assert 0 < officials["true_positives"] <= officials["gold"]
    items = [json.loads(line) for line in (tmp_path / "items.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {item["status"] for item in items} == {"tp", "fp", "fn"}
    assert sum(item["status"] == "tp" and item["field"] == "officials" for item in items) == officials["true_positives"]


def test_cli_evaluate_bad_gold_is_a_one_line_error(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a"}\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(gold)])
    assert result.exit_code == 1
    assert f"{gold}:1" in result.output


def test_cli_info_lists_backends_and_versions():
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    for expected in ("lt", "lv", "en", "spacy", "nvo-nlp", "stanza"):
        assert expected in result.output


@pytest.mark.parametrize(
    ("option", "message"),
    [("lt=lt_core_news_sm", "is not installed and nothing is downloaded"), ("lt", "--ner wants LANG=BACKEND")],
)
def test_cli_ner_backend_errors_are_one_line(option, message):
    result = runner.invoke(app, ["extract", str(LT_SAMPLE), "--ner", option])
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory):
    """The bundled samples analyzed and written, without the Prefect flow."""
    from nvo_nlp.ingest import read_inputs
    from nvo_nlp.process import analyze_batch
    from nvo_nlp.store import write_run

    output = tmp_path_factory.mktemp("processed")
    articles, _ = read_inputs([str(SAMPLES)])
    write_run(output, analyze_batch(articles).analyses, [], [article.origin for article in articles])
    return output


def _table_files(output: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(output)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in output.rglob("*")
        if path.is_file() and path.suffix != ".html"
    }


def test_cli_timeline_writes_the_page_and_leaves_the_tables_untouched(sample_output, tmp_path):
    tables = _table_files(sample_output)
    result = runner.invoke(app, ["timeline", str(sample_output)])
    assert result.exit_code == 0, result.output
    page = (sample_output / "timeline.html").read_text(encoding="utf-8")
    assert result.output.strip() == f"timeline: {sample_output / 'timeline.html'}"
    events = nvo_nlp.load("events", sample_output)
    groups = set(events.get("event_group", events.event_id).fillna(events.event_id))
    assert page.count('<li class="event"') == len(groups) and all(f'id="event-{g}"' in page for g in groups)

    chosen = tmp_path / "klaipeda.html"
    options = ["--project", "ngo capacity", "--municipality", "Klaipėdos rajonas", "--html", str(chosen)]
    result = runner.invoke(app, ["timeline", str(sample_output), *options])
    assert result.exit_code == 0, result.output
    wanted = events[events.place_ids.map(lambda ids: "LT-21" in list(ids)) & (events.project_english == "NGO Capacity")]
    page = chosen.read_text(encoding="utf-8")
    assert 0 < page.count('<li class="event"') == len(wanted) < len(groups)
    assert "Selected when written: project ngo capacity · municipality Klaipėdos rajonas." in page

    result = runner.invoke(app, ["timeline", str(sample_output), "--since", "2015-01-01", "--until", "2015-12-31"])
    assert result.exit_code == 0, result.output
    in_2015 = events.date_start.map(lambda day: day is not None and day.year == 2015).sum()
    page = (sample_output / "timeline.html").read_text(encoding="utf-8")
    assert 0 < page.count('<li class="event"') == in_2015 < len(groups)
    assert _table_files(sample_output) == tables


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--project", "No such project"], "belongs to project 'No such project'"),
        (["--municipality", "Atlantis"], "unknown municipality 'Atlantis'"),
        (["--since", "2015-13-01"], "not a date: '2015-13-01'"),
    ],
)
def test_cli_timeline_bad_filter_is_a_one_line_error(sample_output, arguments, message):
    result = runner.invoke(app, ["timeline", str(sample_output), *arguments])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_cli_timeline_unwritable_page_is_a_one_line_error(sample_output, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["timeline", str(sample_output), "--html", str(blocker / "timeline.html")])
    assert result.exit_code == 1
    assert f"cannot write {blocker / 'timeline.html'}" in " ".join(result.output.split())
    assert len(result.output.strip().splitlines()) == 1


def test_cli_timeline_missing_output_is_a_one_line_error(tmp_path):
    result = runner.invoke(app, ["timeline", str(tmp_path / "missing")])
    assert result.exit_code == 1
    assert "no output directory" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "missing").exists()


def test_cli_timeline_names_municipalities_of_outputs_without_an_entities_table(sample_output, tmp_path):
    older = tmp_path / "older"
    shutil.copytree(sample_output, older)
    shutil.rmtree(older / "entities")  # outputs written before the entities table existed
    result = runner.invoke(app, ["timeline", str(older)])
    assert result.exit_code == 0, result.output
    page = (older / "timeline.html").read_text(encoding="utf-8")
    assert '<option value="LT-21">Klaipėda District (LT-21)</option>' in page


@pytest.fixture
def prefect_api():
    """PREFECT_API_URL at a port that accepts connections: serve checks that first, then its arguments."""
    import socket

    from prefect.settings import PREFECT_API_URL, temporary_settings

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with temporary_settings(updates={PREFECT_API_URL: f"http://127.0.0.1:{listener.getsockname()[1]}/api"}):
            yield


def test_cli_serve_without_a_prefect_server_is_a_one_line_error(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        result = runner.invoke(app, ["serve", "--input", str(SAMPLES)])
    assert result.exit_code == 1
    assert "serve needs a Prefect server" in result.output and "prefect server start" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_serve_unreachable_prefect_server_is_a_one_line_error():
    import socket

    from prefect.settings import PREFECT_API_URL, temporary_settings

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with temporary_settings(updates={PREFECT_API_URL: f"http://127.0.0.1:{port}/api"}):
        result = runner.invoke(app, ["serve", "--input", str(SAMPLES)])
    assert result.exit_code == 1
    assert f"cannot reach the Prefect API (PREFECT_API_URL) at http://127.0.0.1:{port}/api" in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--cron", "every morning"], "not a cron schedule: 'every morning'"),
        (["--ingest-cron", "61 * * * *", "--sources", "SOURCES"], "not a cron schedule: '61 * * * *'"),
        (["--ingest-cron", "0 * * * *"], "an ingest schedule needs a sources file (--sources)"),
        (["--timezone", "Vilnius"], "unknown time zone 'Vilnius'"),
        (["--language", "l1"], "languages are codes such as lt, lv or en"),
        (["--ner", "lt=lt_core_news_sm"], "is not installed and nothing is downloaded"),
        (["--sources", "missing.toml"], "sources file not found: missing.toml"),
        (["--input", "nowhere"], "no .txt, .html or .jsonl files found in"),
    ],
)
def test_cli_serve_bad_arguments_are_one_line_errors(prefect_api, tmp_path, arguments, message):
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "samples"\nkind = "folder"\npath = "{SAMPLES.as_posix()}"\n', encoding="utf-8"
    )
    arguments = [str(sources) if argument == "SOURCES" else argument for argument in arguments]
    inputs = [] if "--input" in arguments or "--sources" in arguments else ["--input", str(SAMPLES)]
    result = runner.invoke(app, ["serve", *inputs, *arguments])
    assert result.exit_code == 1, result.output
    assert message in " ".join(result.output.split())
    assert len(result.output.strip().splitlines()) == 1
