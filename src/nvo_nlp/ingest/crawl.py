"""One ingest run over a sources file, with the way work is spread injected.

The Prefect ingest flow spreads discovery (one unit per source) and fetching (one
unit per batch) over Prefect tasks; the local engine over a thread pool. Either
way the per-host concurrency and rate limits live in the shared
:class:`~nvo_nlp.ingest.http.HostLimiter`, so they hold across all workers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from nvo_nlp.ingest.articles import Article
from nvo_nlp.ingest.discover import Item
from nvo_nlp.ingest.http import Fetcher, HostLimiter, RobotsCache, SharedSlot, make_client
from nvo_nlp.ingest.rawstore import IngestState, RawStore
from nvo_nlp.ingest.sources import Source, load_sources
from nvo_nlp.ingest.web import Crawler, IngestSummary, distribute, new_run_id, save_run

T = TypeVar("T")
R = TypeVar("R")
#: Runs ``function`` on each item, concurrently with ``workers`` workers; results in item order.
Spread = Callable[[Callable[[T], R], Sequence[T], int], list[R]]


def in_threads(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(function, items))


def ingest_sources(
    sources_file: str | Path,
    raw: str | Path,
    *,
    spread: Spread = in_threads,
    save: Callable[[Crawler, list[Article], Path], IngestSummary] = save_run,
    log: Callable[[str], None] = lambda message: None,
    shared_slot: SharedSlot | None = None,
) -> IngestSummary:
    """Fetch what changed in the sources since the last run into ``raw``; returns the new articles.

    ``shared_slot`` extends the per-host concurrency limits beyond this process (:class:`HostLimiter`).
    """
    config = load_sources(sources_file)
    state = IngestState(Path(raw))
    workers = config.fetch.max_concurrency
    with make_client(config.fetch) as client:
        limiter = HostLimiter(
            config.fetch.max_concurrency_per_host, config.fetch.requests_per_second_per_host, shared_slot=shared_slot
        )
        robots = RobotsCache(state.robots, now=lambda: datetime.now(UTC))
        fetcher = Fetcher(config.fetch, client=client, robots=robots, limiter=limiter)
        crawler = Crawler(fetcher, RawStore(Path(raw)), state, run_id=new_run_id())
        sources = list(config.enabled_sources)
        discovered = spread(crawler.discover, sources, workers)
        articles = [article for _items, local in discovered for article in local]
        work = list(
            {
                item.url: (item, source)
                for source, (items, _) in zip(sources, discovered, strict=True)
                for item in items
            }.values()
        )
        log(f"discovered {len(work)} items in {len(sources)} sources")

        def fetch(batch: list[tuple[Item, Source]]) -> list[Article]:
            return [article for item, source in batch if (article := crawler.fetch_article(item, source)) is not None]

        # One batch per worker: the per-host limits, not the batching, set the pace.
        for fetched in spread(fetch, distribute(work, workers), workers):
            articles.extend(fetched)
    summary = save(crawler, articles, Path(raw))
    log(f"ingest {summary.run_id}: {len(summary.articles)} new articles, outcomes {summary.outcomes}")
    return summary
