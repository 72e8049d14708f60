"""The canonical entities an article's mentions link to (the ``entities`` table), one per entity id.

Places, municipalities and countries take their names in Lithuanian, Latvian and English, their kind,
country and parent from the gazetteer; people, organizations, communities and projects take the
nominative name the article gives them (in the article's language) and, for organizations, their kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from nvo_nlp.extract.gazetteer import Gazetteer, default_gazetteer
from nvo_nlp.extract.mention import Mention

# ROLE mentions carry their holder's id: the person is the entity.
_NOT_ENTITIES = ("ROLE",)
_ISO_CODE = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")
_LANGUAGES = ("lt", "lv", "en")


@dataclass(frozen=True)
class EntityRecord:
    """One canonical entity; ``entity_id`` joins it to ``mentions.entity_id`` and the events' id lists."""

    entity_id: str
    type: str
    kind: str | None
    name: str
    name_lt: str | None
    name_lv: str | None
    name_en: str | None
    iso_code: str | None
    country: str | None
    parent: str | None


def entity_records(mentions: Iterable[Mention], lang: str, gazetteer: Gazetteer | None = None) -> list[EntityRecord]:
    """The entities of ``mentions`` written in ``lang``, first mention first, one per id."""
    gazetteer = gazetteer or default_gazetteer()
    found: dict[str, EntityRecord] = {}
    for mention in mentions:
        entity_id = mention.entity_id
        if not entity_id or mention.type in _NOT_ENTITIES or entity_id in found:
            continue
        place = gazetteer.entity(entity_id)
        if place is not None:
            names = {code: place.place.get(code) or place.name.get(code) for code in _LANGUAGES}
            found[entity_id] = EntityRecord(
                entity_id=entity_id,
                type="place" if place.kind not in ("country", "municipality") else place.kind,
                kind=place.kind,
                name=names.get(lang) or place.label(lang),
                name_lt=names["lt"],
                name_lv=names["lv"],
                name_en=names["en"],
                iso_code=entity_id if _ISO_CODE.match(entity_id) else None,
                country=place.country,
                parent=place.parent,
            )
            continue
        names = {code: mention.normalized if code == lang else None for code in _LANGUAGES}
        found[entity_id] = EntityRecord(
            entity_id=entity_id,
            type=mention.type.lower(),
            kind=mention.organization_kind if mention.type != "PERSON" else None,
            name=mention.normalized,
            name_lt=names["lt"],
            name_lv=names["lv"],
            name_en=names["en"],
            iso_code=None,
            country=None,
            parent=None,
        )
    return list(found.values())
