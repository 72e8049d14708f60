"""The main Prefect flow: the steps of :func:`nvo_nlp.runs.execute_run` as Prefect tasks.

Tasks are thin wrappers over library functions. They work on batches, never on
single articles, because every task run costs orchestration bookkeeping.
Retries are only on the I/O tasks and only for transient errors. Articles go to
the analysis task pickled (:class:`PackedArticles`), and analyses to the writes
``quote``d: Prefect otherwise walks every object in them, twice per task, to look
for futures (500 articles in batches of 100: 9.5 s). Analysis
batches run one after another, or all at once on the flow's task runner when it
is a Dask cluster (``parallel_batches``); then finished batches are written
together, up to a local run's batch.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from nvo_nlp.flows.ingest import run_ingest
from nvo_nlp.flows.retry import retry_on_transient
from nvo_nlp.ingest import Article, InputFailure, read_inputs
from nvo_nlp.process import ArticleAnalysis, ErrorRecord, analyze_batch
from nvo_nlp.progress import report
from nvo_nlp.report import run_summary_markdown, write_timeline
from nvo_nlp.runs import (
    DEFAULT_BATCH_SIZE,
    AnalyzedBatch,
    RunSteps,
    RunSummary,
    execute_run,
    merged,
    prepare_batch,
    warm_up,
)
from nvo_nlp.store import BatchTables, write_batch

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


@dataclass(frozen=True)
class PackedArticles:
    """A batch of articles pickled once, in the flow process. Prefect walks a task's parameters object
    by object looking for futures, and Dask hashes them the same way to name the task (3.4 s of a
    10,000-article run); bytes are walked and hashed in one step."""

    payload: bytes

    @classmethod
    def of(cls, articles: list[Article]) -> PackedArticles:
        return cls(pickle.dumps(articles, protocol=pickle.HIGHEST_PROTOCOL))

    def unpack(self) -> list[Article]:
        return pickle.loads(self.payload)  # pickled by this run's own flow process


@task(cache_policy=NO_CACHE)
def analyze_articles(batch: PackedArticles) -> AnalyzedBatch:
    # On a cluster this runs on a worker: the batch goes back as rows of the tables, ready to write.
    # A worker's first batch loads the models; warm_up then freezes them out of the garbage collector's
    # sight, as in a local run (each full collection walked them: 0.15-0.2 s, every fifth batch of 100).
    warm_up()
    return prepare_batch(analyze_batch(batch.unpack(), on_article=lambda: report("analyzed")))


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=retry_on_transient, cache_policy=NO_CACHE)
def write_tables(
    output: str,
    tables: BatchTables,
    errors: list[ErrorRecord],
    origins: list[str],
    content_hashes: dict[str, str],
) -> dict:
    return write_batch(Path(output), tables, errors, origins, content_hashes)


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=retry_on_transient, cache_policy=NO_CACHE)
def write_report(output: str) -> str:
    return str(write_timeline(output))


@task(cache_policy=NO_CACHE)
def publish_summary(counts: dict[str, int], analyses: list[ArticleAnalysis], timeline: str) -> None:
    """The run's summary as a Prefect artifact (shown in the Prefect UI under the flow run)."""
    markdown = run_summary_markdown(counts, analyses, timeline)
    create_markdown_artifact(markdown=markdown, key=RUN_ARTIFACT_KEY, description="nvo-nlp run summary")


def _one_after_another(batches: Iterator[list[Article]]) -> Iterator[AnalyzedBatch]:
    for batch in batches:
        yield analyze_articles(PackedArticles.of(batch))


def _all_at_once(batches: Iterator[list[Article]]) -> Iterator[AnalyzedBatch]:
    pending = list(analyze_articles.map([PackedArticles.of(batch) for batch in batches]))
    while pending:
        # Batches are written together, as many as a local run's batch: every write rewrites whole files
        # and costs a task run, and this process's writing is what a Dask run waits for.
        ready: list[AnalyzedBatch] = []
        size = 0
        while pending and size < DEFAULT_BATCH_SIZE:
            ready.append(pending.pop(0).result())
            size += ready[-1].size
            # The workers' progress events stay in their processes: the progress bar counts here.
            report("analyzed", ready[-1].size)
        yield merged(ready)


def task_steps(*, parallel_batches: bool = False) -> RunSteps:
    """The steps of a run as this module's Prefect tasks, logging to the current flow run."""
    logger = get_run_logger()
    return RunSteps(
        read=read_articles,
        ingest=run_ingest,
        # On a cluster the workers load the models, each once, with its first batch: this process analyzes nothing.
        load_models=(lambda: 0.0) if parallel_batches else load_models,
        analyze=_all_at_once if parallel_batches else _one_after_another,
        write=lambda output, tables, errors, origins, hashes: write_tables(
            output, quote(tables), quote(errors), quote(origins), quote(hashes)
        ),
        report=write_report,
        publish=lambda counts, analyses, timeline: publish_summary(counts, quote(analyses), timeline),
        log=logger.info,
        warn=logger.warning,
    )


@flow(name="nvo-nlp-pipeline", version="2")
def pipeline_flow(
    inputs: list[str],
    output: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    sources: str | None = None,
    raw: str | None = None,
    force: bool = False,
    parallel_batches: bool = False,
) -> RunSummary:
    """Process local article files under ``inputs`` — and, with ``sources``, what ingesting them brought — into ``output``."""
    steps = task_steps(parallel_batches=parallel_batches)
    return execute_run(inputs, output, steps=steps, batch_size=batch_size, sources=sources, raw=raw, force=force)


def dask_pipeline(address: str | None, workers: int | None):
    """:func:`pipeline_flow` with its analysis batches on a Dask cluster: the scheduler at ``address``,
    else a :func:`local_cluster` of ``workers`` processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        runner = DaskTaskRunner(address=address)
    else:
        runner = DaskTaskRunner(cluster_class=local_cluster, cluster_kwargs={"n_workers": workers})
    return pipeline_flow.with_options(task_runner=runner)


def local_cluster(n_workers: int | None, **kwargs):
    """A ``distributed.LocalCluster`` of ``n_workers`` processes set up for the analysis; ``kwargs`` go to
    ``LocalCluster``. A cluster given by ``--dask-address`` keeps its own settings.

    - One thread per worker: the analysis holds the GIL.
    - No statistical profiler: it samples the analysis's stack every 10 ms, holding the GIL the analysis
      needs (the dashboard then has no profile).
    - glibc's default ``malloc``: Dask starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``, which hands
      freed memory back at once but also turns off glibc's adaptive mmap threshold, so each of the
      model's larger arrays is mapped anew, page faults and all. A run's workers live as long as the
      run, like a local run's process.

    A batch of 100 articles on a worker took 1.28-1.44x its time in a plain process with the profiler,
    1.06-1.11x without it, 1.03x without the trim threshold too (``benchmarks/engines.py --only worker``);
    the threshold alone makes a plain process's analysis 1.23x slower.
    """
    import dask
    from distributed import LocalCluster

    # A nanny reads its worker's environment when it is created; None leaves the variable out.
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        return LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=True,
            config={"distributed.worker.profile.enabled": False},
            **kwargs,
        )
