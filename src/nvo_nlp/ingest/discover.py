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
from time import struct_time
from typing import BinaryIO
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeElementTree
import feedparser
from defusedxml import DefusedXmlException
from feedparser.encodings import convert_to_utf8

from nvo_nlp.errors import InputError, MalformedInputError, TooLargeInputError, UnsafeXmlError
from nvo_nlp.ingest.articles import canonical_url
from nvo_nlp.ingest.charset import header_charset

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


def parse_feed(body: bytes, *, base_url: str, source: str, content_type: str | None = None) -> list[Item]:
    """Entries of an RSS 2.0 or Atom feed; malformed XML with no entries is an error.

    ``content_type`` is the response's Content-Type header, when known: only its charset is used.
    """
    # Without a Content-Type feedparser decodes a body that declares no encoding as ISO-8859-1 (mojibake
    # in UTF-8 feeds) and flags every feed bozo. RFC 7303: XML is UTF-8 unless its BOM or declaration says
    # otherwise, whatever the XML media type (text/xml too); a charset parameter overrides both.
    charset = header_charset(content_type)
    headers = {
        "content-location": base_url,
        "content-type": f"application/xml; charset={charset}" if charset else "application/xml",
    }
    try:
        # feedparser keeps entity declarations it deems safe and expands them itself when its XML parser
        # gives up (one 1 MB entity used 2,000 times: a 2 GB title), so no feed may declare any. The check
        # reads the body as feedparser re-encodes it to UTF-8, so a UTF-16 or EBCDIC body hides nothing.
        if _ENTITY_DECLARATION.search(convert_to_utf8(headers, body, {})):
            raise UnsafeXmlError("feed declares XML entities (<!ENTITY>), refused: entity expansion can exhaust memory")
        # A stream, not bytes: given bytes, feedparser first tries them as the name of a local file to read.
        parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    except (ValueError, OverflowError) as exc:
        # feedparser crashes on some bodies: a declared encoding="unicode_escape" that decodes to lone
        # surrogates or encoding="undefined" (UnicodeError), and, in the lenient parser it falls back to
        # when the XML is broken, character references chr() refuses: &#xD800;, &#99999999999;.
        raise MalformedInputError(f"malformed feed: {exc}") from None
    feed_title = parsed.feed.get("title")
    language = parsed.feed.get("language")
    items = []
    for entry in parsed.entries:
        url = _absolute_url(base_url, entry.get("link"))
        if url is None:
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            Item(
                url=url,
                source=source,
                title=entry.get("title"),
                published_at=_struct_datetime(published),
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
            loc = _absolute_url(base_url, element.findtext(f"{_SITEMAP}loc"))
            if loc and entry == f"{_SITEMAP}url":
                items.append(_sitemap_item(element, loc, source=source))
            elif loc:
                children.append(loc)
            if len(items) + len(children) > SITEMAP_MAX_URLS:
                raise TooLargeInputError(f"sitemap lists over {SITEMAP_MAX_URLS} URLs, the sitemaps protocol's limit")
            root.clear()  # entries already read: keeps memory flat however long the sitemap
    except DefusedXmlException as exc:  # first: it is a ValueError
        raise UnsafeXmlError(
            f"sitemap declares XML entities, refused: entity expansion can exhaust memory ({exc})"
        ) from None
    except (ParseError, LookupError, ValueError) as exc:
        # expat reads the encoding the XML declares with Python's codecs: an unknown one is a LookupError
        # (so is a non-text codec: encoding="rot13"), a multi-byte one a ValueError, a broken one a UnicodeError.
        raise MalformedInputError(f"malformed sitemap XML: {exc}") from None
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


def _absolute_url(base_url: str, link: str | None) -> str | None:
    """``link`` resolved against ``base_url``; None when empty or not a valid URL: one bad entry is skipped."""
    if not link or not link.strip():
        return None
    try:
        # urljoin splits both URLs, so what it returns canonical_url accepts: the parsers emit no lone
        # surrogates. A bad one is ValueError("Invalid IPv6 URL") for http://[::1.
        return urljoin(base_url, link.strip())
    except ValueError:
        return None


def _iso_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        # OverflowError: 0001-01-01T00:00:00+01:00 is before the year 1 in UTC
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _struct_datetime(value: struct_time | None) -> datetime | None:
    """A feedparser time (a UTC struct_time); None for a year datetime cannot hold (feedparser reads the year 0)."""
    try:
        return datetime(*value[:6], tzinfo=UTC) if value else None
    except (ValueError, OverflowError):
        return None


def dedupe_items(items: list[Item]) -> list[Item]:
    """One item per canonical URL (fragments and tracking parameters dropped); the first keeps its metadata.

    An item whose URL is not valid is dropped.
    """
    seen: dict[str, Item] = {}
    for item in items:
        try:
            canonical = canonical_url(item.url)
        except InputError:
            continue
        url = canonical if item.url.lower().startswith(("http://", "https://")) else item.url
        seen.setdefault(url, replace(item, url=url))
    return list(seen.values())
