"""Decode fetched bytes, getting Baltic legacy encodings right when headers lie or are missing.

Order of evidence: a BOM; valid UTF-8 (legacy 8-bit text with Baltic letters is
practically never valid UTF-8); then every candidate — the header charset, the
``<meta>`` charset, windows-1257, ISO-8859-13, ISO-8859-4 — is decoded and
scored by how much of the result looks like Lithuanian, Latvian or
punctuation rather than control characters and letters of other alphabets.
Declared charsets win ties.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

BALTIC_FALLBACKS = ("windows-1257", "iso-8859-13", "iso-8859-4")
_BALTIC_LETTERS = set("ąčęėįšųūžĄČĘĖĮŠŲŪŽāēīūķļņģĀĒĪŪĶĻŅĢõäöüÕÄÖÜ")
_PUNCTUATION = set("„“”–—«»’‘…€°§©®·")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Python codecs that no document is written in: they decode escapes or domain labels, return lone
# surrogates (which no later stage can store) or always fail. Transforms (rot13, base64) are refused too.
_NOT_CHARSETS = {"unicode-escape", "raw-unicode-escape", "utf-7", "undefined", "idna", "punycode"}


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
    return _known(match.group(1)) if match else None


def meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return _known(match.group(1).decode("ascii", "ignore")) if match else None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding used) for an HTML or XML body."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace"), encoding
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = [c for c in (header_charset(content_type), meta_charset(body)) if c and c != "utf-8"]
    best: tuple[float, str, str] | None = None
    for rank, encoding in enumerate(dict.fromkeys([*declared, *BALTIC_FALLBACKS])):
        try:
            text = body.decode(encoding)
        except UnicodeError:  # UnicodeDecodeError, or the plain UnicodeError some codecs raise
            continue
        # Declared encodings get a small head start, so they win when the text cannot tell them apart.
        score = _score(text) + (0.5 if encoding in declared else 0.0) - rank * 1e-6
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None:
        return body.decode("utf-8", errors="replace"), "utf-8"
    return best[1], best[2]


def _score(text: str) -> float:
    score = 0.0
    for char in text:
        if char.isascii():
            continue
        if char in _BALTIC_LETTERS:
            score += 1.0
        elif char in _PUNCTUATION:
            score += 0.5
        elif unicodedata.category(char) in ("Cc", "Co", "Cn"):
            score -= 5.0  # C1 controls: bytes 0x80-0x9F read with the wrong table
        else:
            score -= 1.0  # letters of other alphabets (Ę read as Ź, ė as ì...)
    return score


def _known(name: str) -> str | None:
    try:
        encoding = codecs.lookup(name.strip().lower()).name
        if encoding in _NOT_CHARSETS:
            return None
        b"a".decode(encoding, errors="replace")  # LookupError for a codec that is no text encoding (rot13)
    except LookupError:
        return None
    return encoding
