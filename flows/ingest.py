"""The ingest Prefect flow: discover and fetch the sources of a sources file into the raw store.

The run itself is :func:`nvo_nlp.ingest.crawl.ingest_sources`; here its units of work
(discovering a source, fetching a batch) become Prefect tasks on a thread pool. HTTP
retries (bounded, with backoff, transient failures only) happen inside the fetcher;
Prefect retries only the local writes, and only on transient errors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from prefect import flow, get_client, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.concurrency.sync import concurrency
from prefect.task_runners import ThreadPoolTaskRunner

from nvo_nlp.flows.retry import retry_on_transient
from nvo_nlp.flows.settings import on_shared_server
from nvo_nlp.ingest.articles import Article
from nvo_nlp.ingest.crawl import ingest_sources
from nvo_nlp.ingest.sources import load_sources
from nvo_nlp.ingest.web import Crawler, IngestSummary, save_run

#: Names of the per-host global concurrency limits on a Prefect server.
HOST_LIMIT_PREFIX = "nvo-nlp-host:"


@task(cache_policy=NO_CACHE, task_run_name="{unit}")
def ingest_unit(function: Callable[[Any], Any], item: Any, unit: str) -> Any:
    return function(item)


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=retry_on_transient, cache_policy=NO_CACHE)
def save_ingest(crawler: Crawler, articles: list[Article], raw: Path) -> IngestSummary:
    return save_run(crawler, articles, raw)


def _on_tasks(function: Callable[[Any], Any], items: Sequence[Any], workers: int) -> list[Any]:
    # The flow's task runner holds ``workers`` threads (run_ingest).
    return ingest_unit.map(unmapped(function), list(items), unmapped(function.__name__)).result()


def host_slots(max_concurrency_per_host: int) -> Callable[[str], AbstractContextManager[None]]:
    """Per-host slots of Prefect global concurrency limits (``nvo-nlp-host:<host>``), created on first use
    with the sources file's ``max_concurrency_per_host``: runs that overlap on one server share them."""
    created: set[str] = set()

    def slot(host: str) -> AbstractContextManager[None]:
        name = f"{HOST_LIMIT_PREFIX}{host}"
        if name not in created:
            with get_client(sync_client=True) as client:
                client.upsert_global_concurrency_limit_by_name(name, max_concurrency_per_host)
            created.add(name)
        return concurrency(name, occupy=1, strict=True)

    return slot


@flow(name="nvo-nlp-ingest", version="2")
def ingest_flow(sources_file: str, raw: str) -> IngestSummary:
    """Fetch what changed in the sources since the last run into ``raw``; returns the new articles.

    With a Prefect server (``PREFECT_API_URL`` set), the per-host limits hold across runs through
    global concurrency limits; the temporary API of a one-shot run serves that run alone.
    """
    shared = None
    if on_shared_server():
        shared = host_slots(load_sources(sources_file).fetch.max_concurrency_per_host)
    return ingest_sources(
        sources_file, raw, spread=_on_tasks, save=save_ingest, log=get_run_logger().info, shared_slot=shared
    )


def run_ingest(sources_file: str, raw: str) -> IngestSummary:
    """Run :func:`ingest_flow` with as many worker threads as the sources file's ``max_concurrency``."""
    workers = load_sources(sources_file).fetch.max_concurrency
    return ingest_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers))(sources_file, raw)
