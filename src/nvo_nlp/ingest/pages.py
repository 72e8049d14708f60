"""Reduce an HTML page to its main text and metadata with trafilatura."""

from __future__ import annotations

import re
from typing import Any

from nvo_nlp.errors import EmptyInputError

_HTML_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def extract_page(html: str, *, url: str | None = None) -> dict[str, Any]:
    """Main text plus title, date, author, site name, canonical URL and declared language of a page.

    Raises :class:`EmptyInputError` when the page has no main text.
    """
    import trafilatura  # heavy import, only needed for HTML

    document = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_precision=True)
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
