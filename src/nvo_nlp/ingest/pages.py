"""Reduce an HTML page to its main text and metadata with trafilatura."""

from __future__ import annotations

import functools
import re
from typing import Any

from nvo_nlp.errors import EmptyInputError

_HTML_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
# trafilatura strips tags from meta content and JSON-LD strings with (<!--.*?-->|<[^>]*>): every "<"
# scans to the next ">", so 30k "<" in one attribute take seconds and 100k take a minute. Stopping at
# the next "<" too is linear and strips the same tags; a "<" that opens no tag stays as text.
_LINEAR_STRIP_TAGS = re.compile(r"<!--[^<]*?-->|<[^<>]*>")
# lxml's serializer slows to seconds on a 100k-character attribute full of "<!--"; no meta content or
# link a reader needs comes near this length (descriptions run to a few hundred characters).
MAX_ATTRIBUTE_CHARS = 10_000


def extract_page(html: str, *, url: str | None = None) -> dict[str, Any]:
    """Main text plus title, date, author, site name, canonical URL and declared language of a page.

    Raises :class:`EmptyInputError` when the page has no main text.
    """
    import trafilatura  # heavy import, only needed for HTML

    _strip_tags_in_linear_time()
    tree = trafilatura.utils.load_html(html)
    if tree is None:
        raise EmptyInputError("no HTML document found")
    for element in tree.iter():
        for name, value in element.attrib.items():
            if len(value) > MAX_ATTRIBUTE_CHARS:
                element.set(name, value[:MAX_ATTRIBUTE_CHARS])
    document = trafilatura.bare_extraction(tree, url=url, with_metadata=True, favor_precision=True)
    extracted = document.as_dict() if document is not None else {}
    if not (extracted.get("text") or "").strip():
        raise EmptyInputError("no main text found in HTML")
    declared = _HTML_LANG.search(html[:4096])
    return {
        "text": extracted["text"],
        "title": extracted.get("title"),
        "url": extracted.get("url"),
        "published_at": extracted.get("date"),
        "author": extracted.get("author"),
        "site_name": extracted.get("sitename"),
        "language": (declared.group(1).lower() if declared else None) or extracted.get("language"),
    }


@functools.cache
def _strip_tags_in_linear_time() -> None:
    from trafilatura import json_metadata, metadata  # each imported the pattern by name

    metadata.HTML_STRIP_TAGS = json_metadata.HTML_STRIP_TAGS = _LINEAR_STRIP_TAGS
