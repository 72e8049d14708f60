"""The main Prefect flow: read local articles, analyze them in batches, write Parquet and the timeline.

Tasks are thin wrappers over library functions. They work on batches, never on
single articles, because every task run costs orchestration bookkeeping.
Retries are only on the I/O tasks and only for transient errors.
"""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from nvo_nlp.flows.ingest import run_ingest
from nvo_nlp.flows.retry import retry_on_transient
from nvo_nlp.ingest import Article, InputFailure, read_inputs
from nvo_nlp.process import ArticleAnalysis, BatchResult, ErrorRecord, analyze_batch
from nvo_nlp.progress import report
from nvo_nlp.report import run_summary_markdown, write_timeline
from nvo_nlp.runs import DEFAULT_BATCH_SIZE, RunSummary, StageTimes, warm_up
from nvo_nlp.store import write_run

#: Key of the markdown artifact every run publishes.
RUN_ARTIFACT_KEY = "nvo-nlp-run"


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=retry_on_transient, cache_policy=NO_CACHE)
def read_articles(inputs: list[str]) -> tuple[list[Article], list[InputFailure]]:
    return read_inputs(inputs)


@task(cache_policy=NO_CACHE)
def load_models() -> float:
    started = time.perf_counter()
    warm_up()
    return time.perf_counter() - started


@task(cache_policy=NO_CACHE)
def analyze_articles(articles: list[Article]) -> BatchResult:
    return analyze_batch(articles, on_article=lambda: report("analyzed"))


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=retry_on_transient, cache_policy=NO_CACHE)
def write_tables(output: str, analyses: list[ArticleAnalysis], errors: list[ErrorRecord], origins: list[str]) -> dict:
    return write_run(Path(output), analyses, errors, origins)


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=retry_on_transient, cache_policy=NO_CACHE)
def write_report(output: str) -> str:
    return str(write_timeline(output))


@task(cache_policy=NO_CACHE)
def publish_summary(markdown: str) -> None:
    """The run's summary as a Prefect artifact (shown in the Prefect UI under the flow run)."""
    create_markdown_artifact(markdown=markdown, key=RUN_ARTIFACT_KEY, description="nvo-nlp run summary")


@flow(name="nvo-nlp-pipeline", version="1")
def pipeline_flow(
    inputs: list[str],
    output: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    sources: str | None = None,
    raw: str | None = None,
) -> RunSummary:
    """Process local article files under ``inputs`` — and, with ``sources``, what ingesting them brought — into ``output``."""
    logger = get_run_logger()
    started = time.perf_counter()
    articles, failures = read_articles(inputs) if inputs else ([], [])
    if sources:
        ingested = run_ingest(sources, raw or str(Path(output).parent / "raw"))
        articles, failures = articles + list(ingested.articles), failures + list(ingested.failures)
    read_seconds = time.perf_counter() - started
    for failure in failures:
        logger.warning("skipped %s: %s", failure.origin, failure.reason)
    load_seconds = load_models() if articles else 0.0
    report("queued", len(articles))

    analyzing = time.perf_counter()
    results = []
    for offset in range(0, len(articles), batch_size):
        results.append(analyze_articles(articles[offset : offset + batch_size]))
        logger.info("analyzed %d/%d articles", min(offset + batch_size, len(articles)), len(articles))
    analyze_seconds = time.perf_counter() - analyzing

    analyses = [analysis for result in results for analysis in result.analyses]
    errors = [ErrorRecord(f.origin, "read", f.kind, f.reason) for f in failures]
    errors += [error for result in results for error in result.errors]
    writing = time.perf_counter()
    origins = [a.origin for a in articles] + [f.origin for f in failures]
    counts = write_tables(output, analyses, errors, origins)
    timeline = write_report(output)
    publish_summary(run_summary_markdown(counts, analyses, timeline))
    write_seconds = time.perf_counter() - writing

    return RunSummary(
        output=output,
        timeline=timeline,
        articles=len(analyses),
        mentions=sum(len(a.mentions) for a in analyses),
        events=sum(len(a.events) for a in analyses),
        errors=tuple(errors),
        table_rows=counts,
        times=StageTimes(read=read_seconds, load=load_seconds, analyze=analyze_seconds, write=write_seconds),
    )
