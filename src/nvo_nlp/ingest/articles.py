"""The article value every later stage consumes, and its stable identity."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from nvo_nlp.errors import MalformedInputError

# Query parameters that identify a campaign or a click, not a page.
_TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "yclid", "mc_", "_ga")


@dataclass(frozen=True)
class Article:
    """One news article as read from its source, before any analysis."""

    article_id: str
    text: str
    origin: str  # file path (``path#line`` for JSONL records) or URL it was read from
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    language_hint: str | None = None
    license: str | None = None
    attribution: str | None = None
    author: str | None = None
    site_name: str | None = None


@dataclass(frozen=True)
class InputFailure:
    """An input that could not become an article, with the reason."""

    origin: str
    kind: str
    reason: str


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop the fragment and tracking parameters, sort the query.

    Raises :class:`MalformedInputError` for a string urllib refuses (``http://[::1``, a host that
    NFKC-normalizes to ``#``, a lone surrogate in the query), so that a bad URL fails one record, not the run.
    """
    try:
        parts = urlsplit(url.strip())
        query = sorted(
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith(_TRACKING_PREFIXES)
        )
        encoded = urlencode(query)  # UnicodeEncodeError (a ValueError) for a lone surrogate
    except ValueError as exc:
        raise MalformedInputError(f"not a valid URL: {url!r} ({exc})") from None
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, encoded, ""))


def article_id_for(*, url: str | None, text: str) -> str:
    """Stable id: from the canonical URL when there is one, else from the normalized text."""
    if url:
        key = "url:" + canonical_url(url)
    else:
        key = "text:" + " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
