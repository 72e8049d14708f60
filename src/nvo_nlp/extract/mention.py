"""The mention value produced by every extractor."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

#: Mention types written to ``mentions.type``.
MENTION_TYPES = (
    "MUNICIPALITY",
    "PLACE",
    "COUNTRY",
    "PERSON",
    "ROLE",
    "ORGANIZATION",
    "COMPANY",
    "COMMUNITY",
    "PROJECT",
    "EVENT",
    "ACTIVITY",
    "HEADCOUNT",
    "DATE",
    "QUOTE",
)


@dataclass(frozen=True)
class Mention:
    """One extracted value with the character offsets ``[start, end)`` of its evidence in the article text.

    Only the attributes that apply to a type are set; the others stay ``None``.
    """

    type: str
    text: str
    normalized: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    method: str
    confidence: float = 1.0
    entity_id: str | None = None
    entity_name: str | None = None
    role: str | None = None
    role_id: str | None = None
    organization: str | None = None
    organization_id: str | None = None
    organization_kind: str | None = None
    person: str | None = None
    count: int | None = None
    count_max: int | None = None
    count_qualifier: str | None = None
    counted_noun: str | None = None
    origin: str | None = None
    origin_id: str | None = None
    speaker: str | None = None
    speaker_id: str | None = None
    english_name: str | None = None
    programme: str | None = None
    event_type: str | None = None
    partners: tuple[str, ...] = ()
    partner_ids: tuple[str, ...] = ()
    date_start: date | None = None
    date_end: date | None = None
    date_precision: str | None = None
    date_iso: str | None = None


def ascii_key(name: str) -> str:
    """ASCII-folded, lower-case, hyphen-joined key: ``Violeta Riaukienė`` -> ``violeta-riaukiene``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
