"""The place gazetteer shipped in ``data/gazetteer/places.json`` (built by ``scripts/build_gazetteer.py``)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from nvo_nlp.errors import ResourceError


@dataclass(frozen=True)
class Entity:
    """A canonical place or municipality: ISO 3166 code (or derived id), kind and names by language."""

    id: str
    kind: str
    country: str | None
    parent: str | None
    name: dict[str, str]
    place: dict[str, str]

    def label(self, lang: str) -> str:
        """Name of the institution (municipalities) or of the place, in ``lang`` when known."""
        names = self.name or self.place
        return names.get(lang) or names.get("en") or next(iter(names.values()))


@dataclass(frozen=True)
class PlaceForm:
    """One surface form of a gazetteer entity as it appears in text."""

    form: str
    entity_id: str
    type: str
    normalized: str


class Gazetteer:
    def __init__(self, data: dict) -> None:
        self.entities = {
            item["id"]: Entity(
                id=item["id"],
                kind=item["kind"],
                country=item.get("country"),
                parent=item.get("parent"),
                name=item.get("name") or {},
                place=item.get("place") or {},
            )
            for item in data["entities"]
        }
        self._forms: dict[str, list[PlaceForm]] = {}
        for lang, form, entity_id, mention_type, normalized in data["forms"]:
            self._forms.setdefault(lang, []).append(PlaceForm(form, entity_id, mention_type, normalized))

    def forms(self, lang: str) -> list[PlaceForm]:
        return self._forms.get(lang, [])

    def entity(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    def municipality_of(self, entity_id: str) -> Entity | None:
        """The municipality an entity is, or lies in (a town's parent); None for countries and counties."""
        entity = self.entities.get(entity_id)
        while entity is not None and entity.kind not in ("municipality",):
            entity = self.entities.get(entity.parent) if entity.parent else None
        return entity


@functools.cache
def default_gazetteer() -> Gazetteer:
    resource = resources.files("nvo_nlp").joinpath("data/gazetteer/places.json")
    try:
        return Gazetteer(json.loads(resource.read_text("utf-8")))
    except FileNotFoundError:
        raise ResourceError(
            "the place gazetteer data/gazetteer/places.json is missing from the package; "
            "rebuild it with: python scripts/build_gazetteer.py"
        ) from None
