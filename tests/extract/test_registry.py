import pytest

from conftest import extracted as mentions
from nvo_nlp.extract.registry import entity_records


@pytest.mark.parametrize(
    ("lang", "text", "entity_id", "expected"),
    [
        # Places from the gazetteer, named in all three languages.
        ("lt", "Svečiai lankėsi Liepojoje.", "LV-LPX", ("municipality", "Liepoja", "Liepāja", "LV-LPX")),
        ("lv", "Pasākums notika Lietuvā.", "LT", ("country", "Lietuva", "Lietuva", "LT")),
        # Organizations take the article's nominative name, in its language, and their kind.
        (
            "lv",
            "Par to lems Izglītības un zinātnes ministrija.",
            None,
            ("organization", None, "Izglītības un zinātnes ministrija", None),
        ),
    ],
)
def test_registry_names_in_every_language(lang, text, entity_id, expected):
    records = entity_records(mentions(text, lang), lang)
    record = next(r for r in records if entity_id is None or r.entity_id == entity_id)
    assert (record.type, record.name_lt, record.name_lv, record.iso_code) == expected


def test_registry_one_record_per_entity_and_no_roles():
    text = "Klaipėdos rajono vicemerė Violeta Riaukienė lankėsi Klaipėdos rajone. V. Riaukienė džiaugėsi."
    records = entity_records(mentions(text, "lt"), "lt")
    ids = [r.entity_id for r in records]
    assert len(ids) == len(set(ids))
    person = next(r for r in records if r.type == "person")
    assert (person.name, person.kind) == ("Violeta Riaukienė", None)
    assert "role" not in {r.type for r in records}
