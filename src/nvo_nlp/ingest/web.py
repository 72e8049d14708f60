"""Crawl the sources of a sources file: discover, fetch, extract, deduplicate, log.

:class:`Crawler` holds what one ingest run shares across threads (fetcher, raw
store, state, fetch log). Its methods are what the Prefect tasks call; they never
raise for a bad URL or page — the failure goes into the fetch log and the
run's failures, and the crawl goes on.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from nvo_nlp.errors import InputError
from nvo_nlp.ingest.articles import Article, InputFailure
from nvo_nlp.ingest.charset import decode_body
from nvo_nlp.ingest.discover import Item, dedupe_items, parse_feed, parse_sitemap
from nvo_nlp.ingest.http import TRANSIENT_KINDS, Fetcher, FetchResult
from nvo_nlp.ingest.local import article_from_record, read_inputs
from nvo_nlp.ingest.pages import extract_page
from nvo_nlp.ingest.rawstore import IngestState, RawStore, text_fingerprint
from nvo_nlp.ingest.sources import Source
from nvo_nlp.progress import report
from nvo_nlp.store.files import atomic_write
from nvo_nlp.store.parquet import records_table, replace_rows

_MAX_SITEMAP_DEPTH = 3


@dataclass(frozen=True)
class FetchRecord:
    """One row of the fetch log."""

    run_id: str
    source: str
    purpose: str  # feed, sitemap, page, robots
    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    bytes: int | None
    elapsed_ms: float
    attempts: int
    conditional: bool
    not_modified: bool
    body_sha256: str | None
    outcome: str  # stored, unchanged, duplicate, failed
    error_kind: str | None
    error_message: str | None
    fetched_at: datetime


class Crawler:
    def __init__(
        self,
        fetcher: Fetcher,
        store: RawStore,
        state: IngestState,
        *,
        run_id: str,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.fetcher, self.store, self.state, self.run_id, self.now = fetcher, store, state, run_id, now
        self._lock = threading.Lock()
        self.log: list[FetchRecord] = []
        self.failures: list[InputFailure] = []

    # -- discovery ---------------------------------------------------------------------------------

    def discover(self, source: Source) -> tuple[list[Item], list[Article]]:
        """Items to fetch for a feed/sitemap/page source; articles directly for a folder source."""
        if source.kind == "folder":
            articles, failures = read_inputs([source.path])
            with self._lock:
                self.failures.extend(failures)
            report("fetched", len(articles))
            report("failed", len(failures))
            return [], articles
        if source.kind == "page":
            items = [Item(url=source.url, source=source.name, language=source.language)]
        elif source.kind == "feed":
            items = self._discover_document(source, source.url, parse=self._feed_items)
        else:
            items = self._discover_document(source, source.url, parse=self._sitemap_items)
        items = dedupe_items(items)
        items = items[: source.max_items] if source.max_items else items
        # Pages that failed transiently in an earlier run come back once their wait is over.
        known = {item.url for item in items}
        items += [_item(entry) for entry in self.state.due(source.name, self.now()) if entry["url"] not in known]
        report("discovered", len(items))
        return items, []

    def _feed_items(self, source: Source, body: bytes, url: str, depth: int) -> list[Item]:
        return parse_feed(body, base_url=url, source=source.name)

    def _sitemap_items(
        self, source: Source, body: bytes, url: str, depth: int, *, unchanged: bool = False
    ) -> list[Item]:
        items, children = parse_sitemap(
            body, base_url=url, source=source.name, max_bytes=self.fetcher.settings.max_bytes
        )
        if unchanged:
            items = []  # found when the sitemap last changed; pages that failed since come back as due
        if depth >= _MAX_SITEMAP_DEPTH:
            return items
        for child in children:
            items += self._discover_document(source, child, parse=self._sitemap_items, depth=depth + 1)
        return items

    def _discover_document(self, source: Source, url: str, *, parse, depth: int = 0) -> list[Item]:
        purpose = source.kind
        result = self.fetcher.fetch(url, validators=self.state.validators(source.name, url))
        if not result.ok:
            self._fail(source, purpose, result)
            return []
        if result.not_modified:
            self._log(source, purpose, result, outcome="unchanged")
            if source.kind == "sitemap":
                return self._children_of_unchanged(source, url, depth)
            return []  # unchanged since the last run: nothing new to discover
        digest = self.store.put(result.body)
        try:
            items = parse(source, result.body, result.final_url or url, depth)
        except InputError as exc:
            self._remember(source, url, result, digest)  # ask conditionally next time, as for pages
            self._fail(source, purpose, result, kind=exc.kind, message=str(exc), digest=digest)
            return []
        self._remember(source, url, result, digest)
        self._log(source, purpose, result, outcome="stored", digest=digest)
        return items

    def _children_of_unchanged(self, source: Source, url: str, depth: int) -> list[Item]:
        """The sitemaps an unchanged sitemap index lists, asked again (conditionally): the index of a
        news site stays the same while its newest sitemap grows."""
        previous = self.state.entry(source.name, url) or {}
        try:
            body = self.store.get(previous["sha256"])
            return self._sitemap_items(source, body, previous.get("final_url") or url, depth, unchanged=True)
        except (KeyError, OSError, EOFError, zlib.error, InputError):
            return []  # not stored, or not a sitemap last time either (that failure was recorded then)

    # -- articles ----------------------------------------------------------------------------------

    def fetch_article(self, item: Item, source: Source) -> Article | None:
        """The article behind ``item``; None when unchanged since the last run, a duplicate, or failed."""
        url = item.url
        result = self.fetcher.fetch(url, validators=self.state.validators(source.name, url))
        if not result.ok:
            settings = self.fetcher.settings
            if result.error_kind in TRANSIENT_KINDS and self.state.defer(
                source.name,
                url,
                _item_entry(item),
                now=self.now(),
                first_delay=settings.retry_later_after,
                max_runs=settings.max_retry_runs,
            ):
                result = replace(result, error_message=f"{result.error_message} (will try again in a later run)")
            else:
                self.state.settle(source.name, url)
            self._fail(source, "page", result)
            return None
        self.state.settle(source.name, url)
        if result.not_modified:
            self._log(source, "page", result, outcome="unchanged")
            report("unchanged")
            return None
        digest = self.store.put(result.body)
        final_url = result.final_url or url
        try:
            html, _encoding = decode_body(result.body, result.content_type)
            page = extract_page(html, url=final_url)
            record = {
                "title": item.title,
                "published_at": item.published_at.isoformat() if item.published_at else None,
                "author": item.author,
                "site_name": item.site_name,
                "language": item.language or source.language,
                **{key: value for key, value in page.items() if value},  # the page wins; the feed fills gaps
                "url": page.get("url") or final_url,
                "source": source.name,
            }
            article = article_from_record(final_url, record)
        except InputError as exc:
            self._remember(source, url, result, digest)  # do not refetch an unchanged bad page every run
            self._fail(source, "page", result, kind=exc.kind, message=str(exc), digest=digest)
            return None
        self._remember(source, url, result, digest)
        owner = self.state.claim_text(text_fingerprint(article.text), article.article_id, final_url)
        if owner is not None:
            self._log(
                source, "page", result, outcome="duplicate", digest=digest, message=f"same text as article {owner}"
            )
            report("duplicate")
            return None
        self._log(source, "page", result, outcome="stored", digest=digest)
        report("fetched")
        return article

    # -- bookkeeping -------------------------------------------------------------------------------

    def _remember(self, source: Source, url: str, result: FetchResult, digest: str) -> None:
        self.state.remember(
            source.name,
            url,
            etag=result.validators.etag,
            last_modified=result.validators.last_modified,
            sha256=digest,
            final_url=result.final_url,
            content_type=result.content_type,
        )

    def _fail(self, source, purpose, result, *, kind=None, message=None, digest=None) -> None:
        kind, message = kind or result.error_kind, message or result.error_message
        self._log(source, purpose, result, outcome="failed", digest=digest, kind=kind, message=message)
        with self._lock:
            self.failures.append(InputFailure(result.url, kind, message))
        report("failed")

    def _log(self, source, purpose, result, *, outcome, digest=None, kind=None, message=None) -> None:
        record = FetchRecord(
            run_id=self.run_id,
            source=source.name,
            purpose=purpose,
            url=result.url,
            final_url=result.final_url,
            status=result.status,
            content_type=result.content_type,
            bytes=len(result.body) if result.body is not None else None,
            elapsed_ms=round(result.elapsed * 1000, 3),
            attempts=result.attempts,
            conditional=result.conditional,
            not_modified=result.not_modified,
            body_sha256=digest,
            outcome=outcome,
            error_kind=kind or result.error_kind,
            error_message=message or result.error_message,
            fetched_at=result.fetched_at,
        )
        with self._lock:
            self.log.append(record)


def _item_entry(item: Item) -> dict:
    entry = asdict(item)
    entry["published_at"] = item.published_at.isoformat() if item.published_at else None
    return entry


def _item(entry: dict) -> Item:
    published = entry.get("published_at")
    return Item(**{**entry, "published_at": datetime.fromisoformat(published) if published else None})


def new_run_id(now: datetime | None = None) -> str:
    """Sortable run id: UTC time to the microsecond."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")


@dataclass(frozen=True)
class IngestSummary:
    run_id: str
    articles: tuple[Article, ...]
    failures: tuple[InputFailure, ...]
    outcomes: dict[str, int]  # fetch-log outcomes: stored, unchanged, duplicate, failed
    articles_file: str | None


def distribute(items: list, batches: int) -> list[list]:
    """Round-robin split, so every batch mixes hosts and the per-host limits, not one batch, set the pace."""
    count = max(1, min(batches, len(items)))
    return [items[index::count] for index in range(count)] if items else []


def save_run(crawler: Crawler, articles: list[Article], raw: Path) -> IngestSummary:
    """Write the fetch log, the run's articles (JSONL) and the state; state last, so a crash only refetches."""

    replace_rows(
        raw, "fetch_log", records_table("fetch_log", crawler.log), scope_column="run_id", scope=[crawler.run_id]
    )
    articles_file = None
    if articles:
        lines = [json.dumps(_article_record(a), ensure_ascii=False) for a in articles]
        articles_file = raw / "articles" / f"{crawler.run_id}.jsonl"
        atomic_write(articles_file, lambda path: path.write_text("\n".join(lines) + "\n", encoding="utf-8"))
    crawler.state.save()
    outcomes: dict[str, int] = {}
    for record in crawler.log:
        outcomes[record.outcome] = outcomes.get(record.outcome, 0) + 1
    return IngestSummary(
        run_id=crawler.run_id,
        articles=tuple(articles),
        failures=tuple(crawler.failures),
        outcomes=outcomes,
        articles_file=str(articles_file) if articles_file else None,
    )


def _article_record(article: Article) -> dict:
    record = {
        key: value for key, value in asdict(article).items() if key not in ("article_id", "origin", "language_hint")
    }
    record["language"] = article.language_hint
    record["published_at"] = article.published_at.isoformat() if article.published_at else None
    return record
