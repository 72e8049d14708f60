"""The engines of a run (local, Prefect, Dask) write the same rows; re-runs skip what is unchanged."""

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import replace

import pandas as pd
import pyarrow as pa
import pytest

import nvo_nlp
from conftest import LT_SAMPLE, SAMPLES
from nvo_nlp import runs
from nvo_nlp.errors import ConfigError, StoreError
from nvo_nlp.nlp.pipeline import pipeline_for
from nvo_nlp.progress import progress_listener
from nvo_nlp.runs import execute_run, local_steps, warm_up
from nvo_nlp.store import TABLES
from nvo_nlp.store.files import TEMPORARY_PREFIX
from nvo_nlp.store.parquet import table_files

WRITTEN = ("articles", "mentions", "events", "language_spans", "errors", "entities", "signatures")


def tables(output) -> dict[str, pd.DataFrame]:
    return {
        table: nvo_nlp.load(table, output).sort_values(list(TABLES[table].key)).reset_index(drop=True)
        for table in WRITTEN
    }


def assert_same_rows(first, second):
    for table, frame in tables(first).items():
        pd.testing.assert_frame_equal(frame, tables(second)[table], obj=table)


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    output = tmp_path_factory.mktemp("local")
    return output, nvo_nlp.run([SAMPLES], output)


def test_runs_local_is_the_default_engine_without_a_prefect_api(local_run):
    output, summary = local_run
    assert summary.engine == "local" and summary.articles == 7 and summary.errors == ()
    assert (output / "timeline.html").exists()
    assert summary.table_rows["articles"] == 7
    # The summary a Prefect run publishes as an artifact, as a file beside the timeline.
    markdown = (output / "run-summary.md").read_text(encoding="utf-8")
    assert f"7 articles, {summary.events} events" in markdown
    assert f"| mentions | {summary.table_rows['mentions']} |" in markdown


def test_runs_local_and_prefect_engines_write_the_same_rows(local_run, harness, tmp_path):
    output, _ = local_run
    summary = nvo_nlp.run([SAMPLES], tmp_path, engine="prefect")
    assert summary.engine == "prefect"
    assert_same_rows(output, tmp_path)


def test_runs_dask_engine_writes_the_same_rows_as_the_local_engine(local_run, harness, tmp_path):
    output, _ = local_run
    analyzed = []
    with progress_listener(lambda event, count: analyzed.append(count) if event == "analyzed" else None):
        summary = nvo_nlp.run([SAMPLES], tmp_path, engine="dask", dask_workers=2, batch_size=2)
    assert summary.engine == "dask" and summary.articles == 7
    assert sum(analyzed) == 7  # the progress bar follows the workers' batches
    assert_same_rows(output, tmp_path)
    # The run stopped the temporary API it started, not the one the process's other flows use.
    from prefect import flow

    @flow
    def after_the_dask_run() -> str:
        return "ran"

    assert after_the_dask_run() == "ran"


def test_runs_dask_worker_killed_mid_batch_loses_no_article(local_run, harness, tmp_path):
    """kill -9 of a Dask worker while it analyzes a batch: the scheduler gives the batch to another
    worker, and the tables hold every article exactly once."""
    from distributed import Client, LocalCluster

    killed = []
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):

        def kill_a_busy_worker():
            deadline = time.monotonic() + 120
            while not killed and time.monotonic() < deadline:
                busy = [address for address, tasks in client.processing().items() if tasks]
                if busy:
                    time.sleep(0.5)  # into its first batch, which loads the models
                    nanny = next(n for n in cluster.workers.values() if n.worker_address == busy[0])
                    os.kill(nanny.process.pid, signal.SIGKILL)
                    killed.append(busy[0])
                time.sleep(0.05)

        killer = threading.Thread(target=kill_a_busy_worker)
        killer.start()
        summary = nvo_nlp.run([SAMPLES], tmp_path, engine="dask", dask_address=cluster.scheduler_address, batch_size=2)
        killer.join()
    assert killed, "no worker was busy to kill"
    assert summary.articles == 7
    articles = nvo_nlp.load("articles", tmp_path)
    assert articles["article_id"].is_unique and len(articles) == 7
    assert_same_rows(local_run[0], tmp_path)


def test_runs_dask_workers_load_the_models_once_not_per_batch(harness, tmp_path):
    """7 batches of one article on two workers: each worker builds each language's pipeline at most once."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        summary = nvo_nlp.run([SAMPLES], tmp_path, engine="dask", dask_address=cluster.scheduler_address, batch_size=1)
        built = client.run(lambda: __import__("nvo_nlp.nlp.pipeline", fromlist=["_"]).pipeline_for.cache_info())
    assert summary.articles == 7
    assert sum(info.hits + info.misses for info in built.values()) >= 7  # the workers did analyze the batches
    assert all(info.misses <= 3 for info in built.values()), built  # lt, lv, en: once each


def test_runs_dask_workers_report_to_the_runs_temporary_api(local_run, tmp_path):
    """Without a Prefect server, the workers use the run's temporary API rather than starting one each
    (a uvicorn process and about 6 s of CPU per worker), and the run ends without log errors."""
    environment = {name: value for name, value in os.environ.items() if name != "PREFECT_API_URL"}
    environment["PREFECT_HOME"] = str(tmp_path / "prefect")  # the temporary API's database
    output = tmp_path / "out"
    command = [sys.executable, "-m", "nvo_nlp.cli", "run", "--input", str(SAMPLES), "--output", str(output)]
    command += ["--engine", "dask", "--dask-workers", "2", "--batch-size", "2"]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300, env=environment)
    assert finished.returncode == 0, finished.stderr
    printed = finished.stdout + finished.stderr
    assert printed.count("Starting a temporary Prefect API for this run") == 1, printed
    assert "Starting temporary server" not in printed, printed  # Prefect's own, in a worker or in the flow process
    assert "Error logging to API" not in printed
    assert_same_rows(local_run[0], output)


@pytest.mark.parametrize("engine", ["prefect", "dask"])
def test_runs_a_temporary_api_that_does_not_start_is_a_one_line_error(tmp_path, engine):
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, temporary_settings

    with (
        pytest.MonkeyPatch.context() as patch,
        temporary_settings(updates={PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS: 0}),
    ):
        patch.delenv("PREFECT_API_URL", raising=False)
        with pytest.raises(ConfigError, match="the temporary Prefect API did not start .* or run with --engine local"):
            nvo_nlp.run([SAMPLES], tmp_path / "out", engine=engine, dask_workers=1)
        assert "PREFECT_API_URL" not in os.environ  # the failed start left nothing behind
    assert not (tmp_path / "out").exists()  # before any article was read


def test_runs_batches_are_written_one_by_one_with_the_same_rows(local_run, tmp_path):
    output, _ = local_run
    summary = nvo_nlp.run([SAMPLES], tmp_path, batch_size=2)
    assert summary.articles == 7
    assert_same_rows(output, tmp_path)


def test_runs_rerun_analyzes_only_changed_articles(tmp_path):
    inputs = tmp_path / "inputs"
    shutil.copytree(SAMPLES, inputs)
    output = tmp_path / "out"
    assert nvo_nlp.run([inputs], output).articles == 7
    files = {path: path.stat().st_mtime_ns for path in output.rglob("*.parquet")}

    again = nvo_nlp.run([inputs], output)
    assert (again.articles, again.unchanged) == (0, 7)
    assert {path: path.stat().st_mtime_ns for path in output.rglob("*.parquet")} == files  # nothing rewritten

    # The same article (its id comes from its text) with corrected metadata is analyzed again.
    sidecar = inputs / LT_SAMPLE.with_suffix(".json").name
    metadata = json.loads(sidecar.read_text(encoding="utf-8"))
    sidecar.write_text(json.dumps({**metadata, "published_at": "2015-10-14"}), encoding="utf-8")
    partly = nvo_nlp.run([inputs], output)
    assert (partly.articles, partly.unchanged) == (1, 6)
    fresh = tmp_path / "fresh"
    nvo_nlp.run([inputs], fresh)
    assert_same_rows(output, fresh)
    published = nvo_nlp.load("articles", output, where={"origin": str(inputs / LT_SAMPLE.name)}).published_at
    assert str(published.iloc[0].date()) == "2015-10-14"

    forced = nvo_nlp.run([inputs], output, force=True)
    assert (forced.articles, forced.unchanged) == (7, 0)


@pytest.mark.parametrize(
    ("options", "environment", "message"),
    [
        ({"engine": "spark"}, {}, "unknown engine 'spark'"),
        ({"engine": "prefect"}, {"PREFECT_API_URL": "http://127.0.0.1:9/api"}, "cannot reach the Prefect API"),
        ({}, {"PREFECT_API_URL": "http://127.0.0.1:9/api"}, "cannot reach the Prefect API"),
        ({"engine": "dask", "dask_address": "tcp://127.0.0.1:9"}, {}, "cannot reach the Dask scheduler"),
        ({"engine": "dask", "dask_address": "127.0.0.1"}, {}, "not an address"),
        ({"dask_address": "tcp://127.0.0.1:8786"}, {}, "--dask-address needs --engine dask"),
    ],
)
def test_runs_unreachable_engines_fail_before_reading(tmp_path, monkeypatch, options, environment, message):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message) as raised:
        nvo_nlp.run([tmp_path / "no-such-input"], tmp_path / "out", **options)
    assert "\n" not in str(raised.value)
    assert not (tmp_path / "out").exists()


def test_runs_let_go_of_each_batch_of_articles_once_written(tmp_path):
    """A long run holds one batch of articles at a time, not every text it has read."""
    steps = local_steps()
    read_articles, alive_at_each_batch, analyzed, summaries = {}, [], [], []

    def read(inputs):
        articles, failures = steps.read(inputs)
        read_articles.update((article.article_id, weakref.ref(article)) for article in articles)
        return articles, failures

    def analyze(batches):
        for batch in steps.analyze(batches):
            gc.collect()
            alive_at_each_batch.append(sum(read_articles[article_id]() is not None for article_id in analyzed))
            analyzed.extend(analysis.article.article_id for analysis in batch.reported)
            yield batch

    def publish(counts, analyses, timeline):
        summaries.extend(analyses)

    steps_here = replace(steps, read=read, analyze=analyze, publish=publish)
    run = execute_run([str(SAMPLES)], str(tmp_path), steps=steps_here, batch_size=2)
    assert run.articles == 7 and len(analyzed) == 7
    assert alive_at_each_batch == [0, 0, 0, 0]
    # The run summary lists titles and events; the texts are in the articles table.
    assert {analysis.article.text for analysis in summaries} == {""}
    assert sum(len(analysis.events) for analysis in summaries) == run.events


def test_runs_write_the_articles_of_one_month_together(tmp_path):
    """A backfill's batches each hold one publication month, whatever the input order: each batch then
    rewrites one month's files, not every month the input spans."""
    inputs = tmp_path / "backfill.jsonl"
    months = ["2025-01-15", "2025-02-15", "2025-03-15"] * 2  # interleaved, as a feed lists them
    records = [
        {
            "text": f"Klaipėdos rajono savivaldybė surengė {n + 2} renginį bendruomenei.",
            "published_at": day,
            "language": "lt",
        }
        for n, day in enumerate(months)
    ]
    inputs.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    steps = local_steps()
    months_per_write = []

    def write(output, tables, *rest):
        months_per_write.append({published.month for published in tables.articles["published_at"].to_pylist()})
        return steps.write(output, tables, *rest)

    run = execute_run([str(inputs)], str(tmp_path / "out"), steps=replace(steps, write=write), batch_size=2)
    assert run.articles == 6
    assert months_per_write == [{1}, {2}, {3}]


@pytest.mark.skipif(runs._malloc_trim is None, reason="glibc only: elsewhere freed memory is not handed back")
def test_runs_allocate_arrow_memory_that_can_be_handed_back(tmp_path, monkeypatch):
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    default = pa.default_memory_pool()
    try:
        execute_run([str(SAMPLES / "lv_regional.json")], str(tmp_path), steps=local_steps())
        assert pa.default_memory_pool().backend_name == "system"
        monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "mimalloc")
        pa.set_memory_pool(pa.mimalloc_memory_pool())
        execute_run([str(SAMPLES / "lv_regional.json")], str(tmp_path / "chosen"), steps=local_steps())
        assert pa.default_memory_pool().backend_name == "mimalloc"  # the user's choice stands
    finally:
        pa.set_memory_pool(default)


_KILLED_AT = """
import os, signal, sys
from pathlib import Path

import pyarrow.parquet as pq

from nvo_nlp import runs
from nvo_nlp.cli import app

point, nth, output = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
calls = 0


def killed_on_the_nth_call(function, applies=lambda *args: True):
    def call(*args, **options):
        global calls
        result = function(*args, **options)
        calls += applies(*args)
        if calls == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return call


if point == "analysis":
    runs.analyze_batch = killed_on_the_nth_call(runs.analyze_batch)
else:  # killed once the table's new file is written, before it is renamed into place
    pq.write_table = killed_on_the_nth_call(pq.write_table, lambda rows, where: Path(where).relative_to(output).parts[0] == point)
sys.argv = ["nvo-nlp", "run", "--input", sys.argv[4], "--output", str(output), "--batch-size", "2"]
app()
"""


@pytest.mark.parametrize(
    ("point", "nth"), [("analysis", 2), *((table, 1 if table == "errors" else 2) for table in WRITTEN)]
)
def test_runs_killed_while_analyzing_or_writing_each_table_rerun_to_the_rows_of_an_uninterrupted_run(
    local_run, tmp_path, point, nth
):
    """kill -9 of ``nvo-nlp run`` (7 articles in batches of 2) during the second batch's analysis, or
    while each table is written (its second write; the errors table is written once)."""
    output = tmp_path / "out"
    command = [sys.executable, "-c", _KILLED_AT, point, str(nth), str(output), str(SAMPLES)]
    killed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    for table in WRITTEN:  # every table reads, or is not there yet
        if table_files(output, table):
            nvo_nlp.load(table, output)
        else:
            with pytest.raises(StoreError, match=f"has no {table} table"):
                nvo_nlp.load(table, output)
    left_over = list(output.glob(f"*/**/{TEMPORARY_PREFIX}*"))
    assert left_over or point == "analysis"  # the file being written when the process died
    nvo_nlp.run([SAMPLES], output, batch_size=2)
    assert_same_rows(local_run[0], output)
    assert not list(output.glob(f"*/**/{TEMPORARY_PREFIX}*"))  # the re-run's writes removed it


def test_runs_warm_up_freezes_the_loaded_models_once():
    runs._freeze_long_lived.cache_clear()  # other tests may have warmed up, and rebuilt pipelines, before
    warm_up()
    frozen = gc.get_freeze_count()
    lv = pipeline_for("lv")
    assert frozen > 0
    assert not any(tracked is lv for tracked in gc.get_objects())  # the permanent generation is not listed
    warm_up()
    assert gc.get_freeze_count() == frozen
