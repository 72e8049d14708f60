import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

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
