"""The Prefect flow end to end, on Prefect's test harness (a real temporary API), reading Parquet back with pandas."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from typer.testing import CliRunner

import nvo_nlp.flows.pipeline as pipeline
from conftest import LT_SAMPLE, SAMPLES
from nvo_nlp.cli import app
from nvo_nlp.flows.pipeline import RUN_ARTIFACT_KEY, pipeline_flow
from nvo_nlp.process import BatchResult, ErrorRecord
from nvo_nlp.progress import progress_listener
from nvo_nlp.runs import prepare_batch

TABLES = ("articles", "mentions", "events", "language_spans", "errors", "entities")


@pytest.fixture(scope="module")
def sample_run(harness, tmp_path_factory):
    output = tmp_path_factory.mktemp("processed")
    summary = pipeline_flow(inputs=[str(SAMPLES)], output=str(output))
    return output, summary


def read(output, table):
    return pd.read_parquet(output / table)


def test_pipeline_flow_processes_every_sample(sample_run):
    output, summary = sample_run
    assert summary.articles == 7 and summary.errors == ()
    articles = read(output, "articles")
    assert len(articles) == 7 and articles.article_id.is_unique
    assert set(articles.language) == {"lt", "lv"}
    events, page = read(output, "events"), (output / "timeline.html").read_text(encoding="utf-8")
    groups = events.get("event_group", events.event_id).fillna(events.event_id)  # one entry per group
    assert all(f'id="event-{group}"' in page for group in groups)
    spans = read(output, "language_spans").merge(
        articles[["article_id", "text", "language"]], on="article_id", suffixes=("", "_article")
    )
    assert set(spans.article_id) == set(articles.article_id)
    for row in spans.itertuples():
        assert row.text[row.start : row.end].strip() and "\n" not in row.text[row.start : row.end]
    # Every paragraph long enough to decide on is in its article's language.
    decided = spans[spans.language != "und"]
    assert (decided.language == decided.language_article).mean() > 0.95


def test_pipeline_flow_sample_article_values(sample_run):
    output, _ = sample_run
    articles, mentions, events = (read(output, t) for t in ("articles", "mentions", "events"))
    article = articles[articles.origin.str.endswith(LT_SAMPLE.name)].iloc[0]
    text = article.text
    assert article.language == "lt" and article.language_confidence > 0.9
    found = mentions[mentions.article_id == article.article_id]
    for row in found.itertuples():  # every value carries offsets to its evidence
        assert text[row.start : row.end] == row.text
        assert row.sentence_start <= row.start < row.end <= row.sentence_end

    def one(kind, normalized):
        rows = found[(found.type == kind) & (found.normalized == normalized)]
        assert len(rows), f"no {kind} {normalized}"
        return rows.iloc[0]

    project = one("PROJECT", "NVO gebėjimų stiprinimas")
    assert project.english_name == "NGO Capacity"
    assert dict(zip(project.partner_ids, project.partners, strict=True)) == {
        "LT-21": "Klaipėdos rajono savivaldybė",
        "LV-LPX": "Liepojos miesto savivaldybė",
    }
    assert one("MUNICIPALITY", "Klaipėdos rajono savivaldybė").entity_id == "LT-21"
    liepaja = one("PLACE", "Liepojos miestas")
    assert (liepaja.text, liepaja.entity_id) == ("Liepojos miesto", "LV-LPX")
    headcount = one("HEADCOUNT", "22")
    assert (headcount["count"], headcount.counted_noun, headcount.origin, headcount.origin_id) == (
        22,
        "svečias",
        "Latvija",
        "LV",
    )
    for community in ("Dauparų bendruomenė", "Smilgynų ir kaimynų bendruomenė", "Brožių kaimo bendruomenė"):
        one("COMMUNITY", community)
    for person, role, organization, organization_id in (
        ("Violeta Riaukienė", "vicemerė", "Klaipėdos rajono savivaldybė", "LT-21"),
        ("Jānis Džeriņš", "vicemeras", "Liepojos miesto savivaldybė", "LV-LPX"),
    ):
        official = one("PERSON", person)
        assert (official.role, official.role_id, official.organization, official.organization_id) == (
            role,
            "vice_mayor",
            organization,
            organization_id,
        )
        quote = found[(found.type == "QUOTE") & (found.speaker == person)]
        assert len(quote) == 1 and quote.iloc[0].speaker_id == official.entity_id

    [event] = events[events.article_id == article.article_id].itertuples()
    assert (event.title, event.event_type) == ("Patirties mainų diena", "meeting")
    assert (list(event.places), list(event.place_ids)) == (["Klaipėdos rajonas"], ["LT-21"])
    # No publication date: the range is kept without a year instead of guessing one.
    assert (event.date_text, event.date_precision, event.date_iso) == (
        "Rugsėjo pabaigoje",
        "month-part",
        "--09-21/--09-30",
    )
    assert pd.isna(event.date_start) and pd.isna(event.date_end)
    assert (event.participant_count, event.participant_noun, event.participant_origin_id) == (22, "svečias", "LV")
    assert list(event.officials) == ["Violeta Riaukienė", "Jānis Džeriņš"]
    assert (event.project, event.project_english) == ("NVO gebėjimų stiprinimas", "NGO Capacity")
    assert text[event.evidence_start : event.evidence_end] == event.evidence_text


def test_pipeline_flow_entities_registry_joins_mentions_and_events(sample_run):
    output, _ = sample_run
    entities, mentions, events = (read(output, t) for t in ("entities", "mentions", "events"))
    assert entities.entity_id.is_unique
    linked = mentions[mentions.entity_id.notna() & (mentions.type != "ROLE")]
    assert set(linked.entity_id) == set(entities.entity_id)
    assert set(events.place_ids.explode().dropna()) <= set(entities.entity_id)
    by_id = entities.set_index("entity_id")
    district = by_id.loc["LT-21"]
    assert (district.type, district.iso_code, district.name_lt, district.name_lv, district.name_en) == (
        "municipality",
        "LT-21",
        "Klaipėdos rajonas",
        "Klaipēdas rajons",
        "Klaipėda District",
    )
    assert by_id.loc["LV"].type == "country"
    official = by_id.loc[mentions[mentions.normalized == "Violeta Riaukienė"].entity_id.iloc[0]]
    assert (official["type"], official["name"], official["name_lt"]) == (
        "person",
        "Violeta Riaukienė",
        "Violeta Riaukienė",
    )


def test_pipeline_flow_publishes_its_summary_as_a_prefect_artifact(sample_run):
    output, summary = sample_run
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[RUN_ARTIFACT_KEY]))
        )
    # The session's other flow runs publish under the same key: this run's links its own timeline.
    [markdown] = [a.data for a in artifacts if Path(summary.timeline).as_uri() in a.data][:1]
    assert f"{summary.articles} articles, {summary.events} events" in markdown
    assert f"| mentions | {summary.table_rows['mentions']} |" in markdown
    assert "Patirties mainų diena" in markdown


def test_pipeline_flow_rerun_yields_identical_rows(sample_run):
    output, _ = sample_run
    before = {t: read(output, t) for t in TABLES if (output / t).exists()}
    pipeline_flow(inputs=[str(SAMPLES)], output=str(output))
    for table, frame in before.items():
        pd.testing.assert_frame_equal(read(output, table), frame)
    # Nothing but the partitions' files: no temporary file left behind.
    assert {p.name for p in (output / "mentions").rglob("*") if p.is_file()} == {"part-0.parquet"}


def test_pipeline_flow_bad_inputs_are_recorded_and_nothing_is_lost(harness, tmp_path):
    output = tmp_path / "out"
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(LT_SAMPLE, good / LT_SAMPLE.name)
    pipeline_flow(inputs=[str(good)], output=str(output))

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04")
    (bad / "latin.txt").write_bytes("Šiauliuose".encode("cp1257"))
    (bad / "items.jsonl").write_text(
        json.dumps({"title": "empty", "text": ""})
        + "\n"
        + json.dumps({"text": "Liepājā notika sanāksme, piedalījās 30 dalībnieku."})
        + "\n",
        encoding="utf-8",
    )
    summary = pipeline_flow(inputs=[str(bad)], output=str(output))
    assert summary.articles == 1
    errors = read(output, "errors").set_index("origin")
    assert errors.loc[(bad / "empty.txt").as_posix(), "kind"] == "empty"
    assert errors.loc[(bad / "binary.txt").as_posix(), "kind"] == "binary"
    assert errors.loc[(bad / "latin.txt").as_posix(), "kind"] == "decode"
    assert errors.loc[(bad / "items.jsonl").as_posix() + "#1", "kind"] == "empty"
    articles = read(output, "articles")
    assert len(articles) == 2  # the earlier run's article is still there
    assert set(articles.language) == {"lt", "lv"}


def test_cli_run_contract(harness, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["run", "--input", str(LT_SAMPLE), "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 articles (0 failed)" in result.output and "ms/article" in result.output
    assert "analyzed 1/1" in result.output  # the progress bar
    assert (tmp_path / "out" / "timeline.html").exists()

    only_bad = tmp_path / "bad"
    only_bad.mkdir()
    (only_bad / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["run", "--input", str(only_bad), "--output", str(tmp_path / "out2")])
    assert result.exit_code == 1
    assert "no article processed" in result.output

    result = runner.invoke(app, ["run", "--input", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "no .txt, .html or .jsonl files found" in result.output


def test_pipeline_flow_retries_transient_errors_only(harness):
    from prefect import flow, task

    from nvo_nlp.errors import MalformedInputError, TransientError
    from nvo_nlp.flows.retry import retry_on_transient

    calls = {"transient": 0, "bad": 0}

    @task(retries=2, retry_delay_seconds=0, retry_condition_fn=retry_on_transient)
    def flaky(kind: str) -> str:
        calls[kind] += 1
        if kind == "transient" and calls[kind] < 3:
            raise TransientError("file locked, try again")
        if kind == "bad":
            raise MalformedInputError("bad JSON")
        return "ok"

    @flow
    def both():
        first = flaky("transient")
        second = flaky("bad", return_state=True)
        return first, second

    first, second = both()
    assert first == "ok" and calls["transient"] == 3
    assert second.is_failed() and calls["bad"] == 1


class _Future:
    """Stands in for a Dask task's future."""

    def __init__(self, result):
        self._result = result

    def result(self):
        return self._result


def test_pipeline_flow_writes_batches_together_up_to_a_local_runs_batch(monkeypatch):
    def batch(name, size):
        return prepare_batch(
            BatchResult((), tuple(ErrorRecord(f"{name}{i}", "read", "empty", "") for i in range(size)))
        )

    results = [batch("a", 100), batch("b", 100), batch("c", 100), batch("d", 450), batch("e", 100), batch("f", 1)]
    monkeypatch.setattr(pipeline.analyze_articles, "map", lambda batches: [_Future(result) for result in results])
    progress = []
    with progress_listener(lambda event, count: progress.append((event, count))):
        written = [[error.origin[0] for error in result.errors] for result in pipeline._all_at_once(iter([]))]
    # In order, each article once; a write takes batches until it holds a local run's batch (500).
    assert [sorted(set(letters)) for letters in written] == [["a", "b", "c", "d"], ["e", "f"]]
    assert sum(map(len, written)) == sum(len(result.errors) for result in results)
    # The progress bar moves with every batch that comes back, not only with every write.
    assert progress == [("analyzed", len(result.errors)) for result in results]


def test_pipeline_local_cluster_workers_run_without_the_profiler():
    """The statistical profiler of a Dask worker holds the GIL every 10 ms: the local cluster's workers
    start without it (a cluster given by address keeps its own configuration)."""
    import time

    from distributed import Client

    runner = pipeline.dask_pipeline(None, 1).task_runner
    with runner.cluster_class(**runner.cluster_kwargs, dashboard_address=None) as cluster, Client(cluster) as client:
        client.submit(time.sleep, 0.3).result()  # with the profiler, about 30 samples
        enabled = client.run(lambda: __import__("dask").config.get("distributed.worker.profile.enabled"))
        workers = client.run(lambda dask_worker: dask_worker.profile_recent["count"])
    assert list(enabled.values()) == [False]
    assert list(workers.values()) == [0]  # no stack was sampled


def test_pipeline_local_cluster_workers_start_with_the_default_malloc(monkeypatch):
    """Dask's MALLOC_TRIM_THRESHOLD_ turns off glibc's adaptive mmap threshold, which made the analysis
    1.2x slower: the local cluster's workers start without it, whatever Dask's default."""
    import os

    from distributed import Client

    # Any earlier default cluster of this process left it in the environment its workers inherit.
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    assert "MALLOC_TRIM_THRESHOLD_" in __import__("dask").config.get("distributed.nanny.pre-spawn-environ")
    with pipeline.local_cluster(1, dashboard_address=None) as cluster, Client(cluster) as client:
        environment = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert list(environment.values()) == [None]


def test_pipeline_analysis_task_freezes_the_models_on_a_worker():
    """A worker loads the models with its first batch: they are frozen out of the garbage collector's
    sight there too, or every full collection walks them again."""
    import gc

    from distributed import Client

    from nvo_nlp.ingest import read_inputs

    articles, _ = read_inputs([str(LT_SAMPLE)])
    with pipeline.local_cluster(1, dashboard_address=None) as cluster, Client(cluster) as client:
        before = client.run(gc.get_freeze_count)
        batch = client.submit(pipeline.analyze_articles.fn, pipeline.PackedArticles.of(articles)).result()
        after = client.run(gc.get_freeze_count)
    assert batch.size == len(articles) and len(batch.tables.mentions) > 0
    assert list(before.values()) == [0]
    # the models' objects: a Latvian pipeline alone is over 100,000
    assert list(after.values())[0] > 100_000
