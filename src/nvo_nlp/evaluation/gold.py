"""Gold articles: the JSONL format documented in ``tests/gold/README.md``, read and checked."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from nvo_nlp.errors import MalformedInputError

#: Field types scored, in report order.
FIELDS = (
    "persons",
    "officials",
    "organizations",
    "headcounts",
    "dates",
    "places",
    "projects",
    "quotes",
    "events",
)
#: ``kind`` of an organization (tests/gold/README.md).
ORGANIZATION_KINDS = (
    "ngo",
    "community",
    "government",
    "municipality",
    "company",
    "media",
    "international",
    "education",
    "other",
)

_REQUIRED = {
    "persons": ("name",),
    "officials": ("person", "role"),
    "organizations": ("name", "kind"),
    "headcounts": ("count", "noun"),
    "dates": ("precision",),
    "places": ("name",),
    "projects": ("name",),
    "quotes": ("speaker",),
    "events": ("type",),
}


@dataclass(frozen=True)
class GoldItem:
    """One annotated value: its field, the attributes given for it and its evidence text."""

    field: str
    values: dict[str, Any]
    evidence: str


@dataclass(frozen=True)
class GoldArticle:
    id: str
    language: str
    text: str
    published: date | None
    items: tuple[GoldItem, ...]
    source: str | None = None
    license: str | None = None
    attribution: str | None = None


def load_gold(path: str | Path) -> list[GoldArticle]:
    """Read a gold JSONL file; a malformed line raises :class:`MalformedInputError` naming it."""
    path = Path(path)
    articles = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            articles.append(_article(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise MalformedInputError(f"{where}: not JSON ({exc.msg})", path=where) from exc
        except KeyError as exc:
            raise MalformedInputError(f"{where}: missing field {exc}", path=where) from exc
        except (TypeError, ValueError) as exc:
            raise MalformedInputError(f"{where}: {exc}", path=where) from exc
    ids = [article.id for article in articles]
    if len(set(ids)) != len(ids):
        raise MalformedInputError(f"{path}: article ids repeat", path=str(path))
    return articles


def _article(record: dict[str, Any]) -> GoldArticle:
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise ValueError("'text' must be a non-empty string")
    items = []
    for field in FIELDS:
        for value in record[field]:
            missing = [key for key in (*_REQUIRED[field], "evidence") if key not in value]
            if missing:
                raise ValueError(f"{field} item lacks {', '.join(missing)}: {value}")
            if value["evidence"] not in text:
                raise ValueError(f"{field} evidence {value['evidence']!r} is not in the text")
            if field == "organizations" and value["kind"] not in ORGANIZATION_KINDS:
                raise ValueError(f"organization kind {value['kind']!r} is none of {', '.join(ORGANIZATION_KINDS)}")
            items.append(GoldItem(field, {k: v for k, v in value.items() if k != "evidence"}, value["evidence"]))
    published = record.get("published")
    return GoldArticle(
        id=str(record["id"]),
        language=record["language"],
        text=text,
        published=date.fromisoformat(published) if published else None,
        items=tuple(items),
        source=record.get("source"),
        license=record.get("license"),
        attribution=record.get("attribution"),
    )
