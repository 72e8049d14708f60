"""The mention value produced by every extractor."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import MISSING, dataclass, fields
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


def _fields_set_in_one_write(cls: type) -> type:
    """``cls``, a frozen dataclass whose fields have plain defaults, with an ``__init__`` that sets them all in
    one write of the instance's ``__dict__``, generated as dataclasses generates its own.

    Its own calls ``object.__setattr__`` once per field, to get past the frozen ``__setattr__``: for a
    mention's 34 fields that is half its cost, and an article makes about twenty mentions.
    """
    defaults = {}
    parameters = []
    for field in fields(cls):
        if field.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{field.name}: a default factory needs the generated __init__")
        if field.default is MISSING:
            parameters.append(field.name)
        else:
            defaults[f"_default_{field.name}"] = field.default
            parameters.append(f"{field.name}=_default_{field.name}")
    values = ", ".join(f"{field.name!r}: {field.name}" for field in fields(cls))
    source = f"def __init__(self, {', '.join(parameters)}):\n    _set(self, '__dict__', {{{values}}})\n"
    namespace = {"_set": object.__setattr__, **defaults}
    exec(source, namespace)  # noqa: S102 (code made above from the field names only)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = cls.__init__.__annotations__  # help() and type checkers see the generated one's
    cls.__init__ = init
    return cls


@_fields_set_in_one_write
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
