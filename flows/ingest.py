"""The ingest Prefect flow: discover and fetch the sources of a sources file into the raw store.

Discovery runs one task per source and fetching one task per batch, concurrently on
a thread pool; the per-host concurrency and rate limits live in the shared
:class:`~nvo_nlp.ingest.http.HostLimiter`, so they hold across all tasks. HTTP
retries (bounded, with backoff, transient failures only) happen inside the
fetcher; Prefect retries only the local writes, and only on transient errors.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from nvo_nlp.flows.retry import retry_on_transient
from nvo_nlp.ingest.articles import Article
from nvo_nlp.ingest.discover import Item
from nvo_nlp.ingest.http import Fetcher, RobotsCache, make_client
from nvo_nlp.ingest.rawstore import IngestState, RawStore
from nvo_nlp.ingest.sources import Source, load_sources
from nvo_nlp.ingest.web import Crawler, IngestSummary, distribute, new_run_id, save_run


@task(cache_policy=NO_CACHE)
def discover_source(crawler: Crawler, source: Source) -> tuple[list[Item], list[Article]]:
    return crawler.discover(source)


@task(cache_policy=NO_CACHE)
def fetch_batch(crawler: Crawler, batch: list[tuple[Item, Source]]) -> list[Article]:
    return [article for item, source in batch if (article := crawler.fetch_article(item, source)) is not None]


@task(retries=2, retry_delay_seconds=1, retry_condition_fn=retry_on_transient, cache_policy=NO_CACHE)
def save_ingest(crawler: Crawler, articles: list[Article], raw: str) -> IngestSummary:
    return save_run(crawler, articles, Path(raw))


@flow(name="nvo-nlp-ingest", version="1")
def ingest_flow(sources_file: str, raw: str) -> IngestSummary:
    """Fetch what changed in the sources since the last run into ``raw``; returns the new articles."""
    logger = get_run_logger()
    config = load_sources(sources_file)
    state = IngestState(raw)
    with make_client(config.fetch) as client:
        fetcher = Fetcher(config.fetch, client=client, robots=RobotsCache(state.robots, now=lambda: datetime.now(UTC)))
        crawler = Crawler(fetcher, RawStore(raw), state, run_id=new_run_id())
        sources = list(config.enabled_sources)
        discovered = discover_source.map(unmapped(crawler), sources).result()
        articles = [article for _items, local in discovered for article in local]
        work = list(
            {
                item.url: (item, source)
                for source, (items, _) in zip(sources, discovered, strict=True)
                for item in items
            }.values()
        )
        logger.info("discovered %d items in %d sources", len(work), len(sources))
        # One batch per worker thread: the per-host limits, not the batching, set the pace.
        batches = distribute(work, config.fetch.max_concurrency)
        for fetched in fetch_batch.map(unmapped(crawler), batches).result():
            articles.extend(fetched)
    summary = save_ingest(crawler, articles, raw)
    logger.info("ingest %s: %d new articles, outcomes %s", summary.run_id, len(summary.articles), summary.outcomes)
    return summary


def run_ingest(sources_file: str, raw: str) -> IngestSummary:
    """Run :func:`ingest_flow` with as many worker threads as the sources file's ``max_concurrency``."""
    workers = load_sources(sources_file).fetch.max_concurrency
    return ingest_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers))(sources_file, raw)
