"""Discover article URLs in RSS/Atom feeds and XML sitemaps (Google News sitemaps and sitemap indexes).

Feeds and sitemaps come from the open web, so neither may declare XML entities (billion laughs,
quadratic blowup, external files): such a document is an :class:`UnsafeXmlError`. Sitemaps are parsed
as a stream, a ``.xml.gz`` one inflated only as far as the parser reads, within the sitemaps
protocol's caps.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import BinaryIO
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeElementTree
import feedparser
from defusedxml import DefusedXmlException
from feedparser.encodings import convert_to_utf8

from nvo_nlp.errors import MalformedInputError, TooLargeInputError, UnsafeXmlError
from nvo_nlp.ingest.articles import canonical_url

_SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
#: The sitemaps protocol's limits for one file: 50,000 URLs and 50 MB (52,428,800 bytes) uncompressed.
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 52_428_800
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


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
    headers = {"content-location": base_url}
    # feedparser keeps entity declarations it deems safe and expands them itself when its XML parser
    # gives up (one 1 MB entity used 2,000 times: a 2 GB title), so no feed may declare any. The check
    # reads the body as feedparser re-encodes it to UTF-8, so a UTF-16 or EBCDIC body hides nothing.
    if _ENTITY_DECLARATION.search(convert_to_utf8(headers, body, {})):
        raise UnsafeXmlError("feed declares XML entities (<!ENTITY>), refused: entity expansion can exhaust memory")
    # A stream, not bytes: given bytes, feedparser first tries them as the name of a local file to read.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
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


def parse_sitemap(
    body: bytes, *, base_url: str, source: str, max_bytes: int = SITEMAP_MAX_BYTES
) -> tuple[list[Item], list[str]]:
    """(article items, child sitemap URLs) of a sitemap, a Google News sitemap or a sitemap index.

    Over ``max_bytes`` (at most the protocol's 50 MB) once inflated, or over 50,000 entries, the
    sitemap is a :class:`TooLargeInputError`; the parser stops there, before reading the rest.
    """
    cap = min(max_bytes, SITEMAP_MAX_BYTES)
    stream: BinaryIO = gzip.GzipFile(fileobj=io.BytesIO(body)) if body[:2] == b"\x1f\x8b" else io.BytesIO(body)
    items: list[Item] = []
    children: list[str] = []
    try:
        events = SafeElementTree.iterparse(_Capped(stream, cap), events=("start", "end"))
        _, root = next(events)
        if root.tag not in (f"{_SITEMAP}urlset", f"{_SITEMAP}sitemapindex"):
            raise MalformedInputError(f"not a sitemap: root element {root.tag}")
        entry = f"{_SITEMAP}url" if root.tag == f"{_SITEMAP}urlset" else f"{_SITEMAP}sitemap"
        for event, element in events:
            if event != "end" or element.tag != entry:
                continue
            loc = (element.findtext(f"{_SITEMAP}loc") or "").strip()
            if loc and entry == f"{_SITEMAP}url":
                items.append(_sitemap_item(element, urljoin(base_url, loc), source=source))
            elif loc:
                children.append(urljoin(base_url, loc))
            if len(items) + len(children) > SITEMAP_MAX_URLS:
                raise TooLargeInputError(f"sitemap lists over {SITEMAP_MAX_URLS} URLs, the sitemaps protocol's limit")
            root.clear()  # entries already read: keeps memory flat however long the sitemap
    except ParseError as exc:
        raise MalformedInputError(f"malformed sitemap XML: {exc}") from None
    except DefusedXmlException as exc:
        raise UnsafeXmlError(
            f"sitemap declares XML entities, refused: entity expansion can exhaust memory ({exc})"
        ) from None
    except (OSError, EOFError, zlib.error) as exc:
        raise MalformedInputError(f"malformed gzip sitemap: {exc}") from None
    return items, children


class _Capped:
    """The first ``cap`` bytes of a stream; reading past them is a :class:`TooLargeInputError`."""

    def __init__(self, stream: BinaryIO, cap: int) -> None:
        self._stream, self._cap, self._size = stream, cap, 0

    def read(self, size: int) -> bytes:
        data = self._stream.read(size)
        self._size += len(data)
        if self._size > self._cap:
            raise TooLargeInputError(f"sitemap over {self._cap} bytes uncompressed (aborted while parsing)")
        return data


def _sitemap_item(url: Element, location: str, *, source: str) -> Item:
    news = url.find(f"{_NEWS}news")
    title = news.findtext(f"{_NEWS}title") if news is not None else None
    published = (news.findtext(f"{_NEWS}publication_date") if news is not None else None) or url.findtext(
        f"{_SITEMAP}lastmod"
    )
    publication = news.find(f"{_NEWS}publication") if news is not None else None
    return Item(
        url=location,
        source=source,
        title=title,
        published_at=_iso_datetime(published),
        language=publication.findtext(f"{_NEWS}language") if publication is not None else None,
        site_name=publication.findtext(f"{_NEWS}name") if publication is not None else None,
    )


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
