"""Read articles from local ``.txt``, ``.html`` and ``.jsonl`` files.

Metadata comes from the record itself (JSONL, HTML ``<head>``) and from an
optional sidecar ``<stem>.json`` next to the file, whose values fill the gaps.
A file that cannot be read becomes an :class:`InputFailure`; the others go on.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nvo_nlp.errors import (
    BinaryInputError,
    DecodeInputError,
    EmptyInputError,
    InputError,
    MalformedInputError,
    UnsupportedInputError,
)
from nvo_nlp.ingest.articles import Article, InputFailure, article_id_for
from nvo_nlp.ingest.pages import extract_page

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
_BINARY_SNIFF_BYTES = 8192
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def discover_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories (recursively) into supported files, in a stable order.

    A path that does not exist is returned as is, so that reading it records a failure.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
                )
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def read_inputs(paths: Iterable[str | Path]) -> tuple[list[Article], list[InputFailure]]:
    """Read every supported file under ``paths``; never raises for a bad file."""
    articles: list[Article] = []
    failures: list[InputFailure] = []
    for path in discover_files(paths):
        for item in read_path(path):
            (articles if isinstance(item, Article) else failures).append(item)
    return articles, failures


def read_path(path: Path) -> list[Article | InputFailure]:
    """Read one file into articles (several for JSONL) and failures."""
    origin = path.as_posix()
    try:
        if not path.is_file():
            raise InputError(f"no such file: {origin}")
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            raise UnsupportedInputError(
                f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUPPORTED_SUFFIXES)}"
            )
        defaults = _read_sidecar(path)
        text = _decode(path.read_bytes())
        if suffix == ".jsonl":
            return list(_read_jsonl(text, origin, defaults))
        if suffix in (".html", ".htm"):
            return [_article_from_html(text, origin, defaults)]
        return [article_from_record(origin, {**defaults, "text": text})]
    except InputError as exc:
        return [InputFailure(origin=origin, kind=exc.kind, reason=str(exc))]
    except OSError as exc:
        return [InputFailure(origin=origin, kind="io", reason=f"cannot read file: {exc.strerror or exc}")]


def _decode(data: bytes) -> str:
    if b"\x00" in data[:_BINARY_SNIFF_BYTES]:
        raise BinaryInputError("file looks binary (contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DecodeInputError(f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}") from None
    if not text.strip():  # the text, not the bytes: a BOM alone (or U+2028) is no content either
        raise EmptyInputError("file is empty")
    # NFC so that offsets count the same characters whatever the source's normalization.
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:  # see _read_jsonl
        raise MalformedInputError(f"sidecar {sidecar.name} is not valid JSON: {exc}") from None
    if not isinstance(meta, dict):
        raise MalformedInputError(f"sidecar {sidecar.name} must hold a JSON object")
    return meta


def _read_jsonl(text: str, origin: str, defaults: Mapping[str, Any]) -> Iterator[Article | InputFailure]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        line_origin = f"{origin}#{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise MalformedInputError("line is not a JSON object")
            yield article_from_record(line_origin, {**defaults, **record})
        except json.JSONDecodeError as exc:
            yield InputFailure(line_origin, MalformedInputError.kind, f"invalid JSON: {exc.msg} at column {exc.colno}")
        except (ValueError, RecursionError) as exc:
            # json.loads raises these, not JSONDecodeError, for a number of over 4,300 digits (Python's
            # int conversion limit) and for arrays or objects nested too deep.
            yield InputFailure(line_origin, MalformedInputError.kind, f"invalid JSON: {exc}")
        except InputError as exc:
            yield InputFailure(line_origin, exc.kind, str(exc))


def _article_from_html(html: str, origin: str, defaults: Mapping[str, Any]) -> Article:
    from_page = extract_page(html)
    # The page is the primary record; the sidecar fills what the page lacks.
    return article_from_record(origin, {**defaults, **{key: value for key, value in from_page.items() if value}})


def article_from_record(origin: str, record: Mapping[str, Any]) -> Article:
    """An :class:`Article` from a metadata dict (JSONL record, page, feed item); raises :class:`InputError`."""
    text = record.get("text")
    if not isinstance(text, str):
        raise MalformedInputError("record has no 'text' string")
    text = unicodedata.normalize("NFC", _without_surrogates(text)).strip()
    if not text:
        raise EmptyInputError("article has no text")
    url = _optional_str(record, "canonical_url") or _optional_str(record, "url")
    return Article(
        article_id=article_id_for(url=url, text=text),
        text=text,
        origin=origin,
        url=url,
        source=_optional_str(record, "source"),
        title=_optional_str(record, "title"),
        published_at=_parse_published(record.get("published_at")),
        language_hint=_optional_str(record, "language"),
        license=_optional_str(record, "license"),
        attribution=_optional_str(record, "attribution") or _optional_str(record, "publisher"),
        author=_optional_str(record, "author"),
        site_name=_optional_str(record, "site_name"),
    )


def _optional_str(record: Mapping[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise MalformedInputError(f"field '{key}' must be a string, not {type(value).__name__}")
    return _without_surrogates(value).strip() or None


def _without_surrogates(value: str) -> str:
    # JSON escapes may spell lone surrogates ("\ud800", text cut inside an emoji): no Unicode, so no
    # UTF-8 for ids and Parquet. U+FFFD marks the spot, as a decoder does for invalid bytes.
    return _LONE_SURROGATE.sub("\ufffd", value)


def _parse_published(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise MalformedInputError(f"published_at must be an ISO 8601 string, not {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if isinstance(parsed, datetime) and parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)  # OverflowError: 0001-01-01T00:00:00+01:00 is before the year 1 in UTC
    except (ValueError, OverflowError):
        raise MalformedInputError(f"published_at is not an ISO 8601 date in range: {value!r}") from None
