"""Discover article URLs in RSS/Atom feeds and XML sitemaps (Google News sitemaps and sitemap indexes)."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser

from nvo_nlp.errors import MalformedInputError
from nvo_nlp.ingest.articles import canonical_url

_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass(frozen=True)
class Item:
    """An article URL found by discovery, with what the feed or sitemap says about it."""

    url: str
    source: str
    title: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    language: str | None = None
    site_name: str | None = None


def parse_feed(body: bytes, *, base_url: str, source: str) -> list[Item]:
    """Entries of an RSS 2.0 or Atom feed; malformed XML with no entries is an error."""
    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    feed_title = parsed.feed.get("title")
    language = parsed.feed.get("language")
    items = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            Item(
                url=urljoin(base_url, link.strip()),
                source=source,
                title=entry.get("title"),
                published_at=datetime(*published[:6], tzinfo=UTC) if published else None,
                author=entry.get("author"),
                language=language,
                site_name=feed_title,
            )
        )
    if parsed.bozo and not items:
        # feedparser reads broken XML leniently; broken and without a single link is no feed.
        raise MalformedInputError(f"malformed feed: {parsed.get('bozo_exception', 'unreadable XML')}")
    return items


def parse_sitemap(body: bytes, *, base_url: str, source: str) -> tuple[list[Item], list[str]]:
    """(article items, child sitemap URLs) of a sitemap, a Google News sitemap or a sitemap index."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise MalformedInputError(f"malformed sitemap XML: {exc}") from None
    if root.tag == f"{_SITEMAP}sitemapindex":
        children = [urljoin(base_url, loc.text.strip()) for loc in root.iter(f"{_SITEMAP}loc") if loc.text]
        return [], children
    if root.tag != f"{_SITEMAP}urlset":
        raise MalformedInputError(f"not a sitemap: root element {root.tag}")
    items = []
    for url in root.iter(f"{_SITEMAP}url"):
        loc = url.findtext(f"{_SITEMAP}loc")
        if not loc:
            continue
        news = url.find(f"{_NEWS}news")
        title = news.findtext(f"{_NEWS}title") if news is not None else None
        published = (news.findtext(f"{_NEWS}publication_date") if news is not None else None) or url.findtext(
            f"{_SITEMAP}lastmod"
        )
        publication = news.find(f"{_NEWS}publication") if news is not None else None
        items.append(
            Item(
                url=urljoin(base_url, loc.strip()),
                source=source,
                title=title,
                published_at=_iso_datetime(published),
                language=publication.findtext(f"{_NEWS}language") if publication is not None else None,
                site_name=publication.findtext(f"{_NEWS}name") if publication is not None else None,
            )
        )
    return items, []


def _iso_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def dedupe_items(items: list[Item]) -> list[Item]:
    """One item per canonical URL (fragments and tracking parameters dropped); the first keeps its metadata."""
    seen: dict[str, Item] = {}
    for item in items:
        url = canonical_url(item.url) if item.url.lower().startswith(("http://", "https://")) else item.url
        seen.setdefault(url, replace(item, url=url))
    return list(seen.values())
