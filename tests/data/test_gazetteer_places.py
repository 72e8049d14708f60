"""Checks of the committed gazetteer ``src/nvo_nlp/data/gazetteer/places.json``."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

PLACES = Path(__file__).resolve().parents[2] / "src" / "nvo_nlp" / "data" / "gazetteer" / "places.json"
TYPES = {"MUNICIPALITY", "PLACE", "COUNTRY"}


@pytest.fixture(scope="module")
def data() -> dict:
    with PLACES.open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def entities(data) -> dict[str, dict]:
    return {e["id"]: e for e in data["entities"]}


@pytest.fixture(scope="module")
def index(data) -> dict[tuple[str, str], list[tuple[str, str, str]]]:
    idx: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for lang, form, eid, mtype, norm in data["forms"]:
        idx[(lang, form)].append((eid, mtype, norm))
    return idx


CASES = [
    # lang, surface form, id, type, normalized
    ("lt", "Klaipėdos rajone", "LT-21", "PLACE", "Klaipėdos rajonas"),
    ("lt", "Klaipėdos rajono", "LT-21", "PLACE", "Klaipėdos rajonas"),
    ("lt", "Klaipėdos rajono savivaldybės", "LT-21", "MUNICIPALITY", "Klaipėdos rajono savivaldybė"),
    ("lt", "Klaipėdos rajono savivaldybei", "LT-21", "MUNICIPALITY", "Klaipėdos rajono savivaldybė"),
    ("lt", "Klaipėdos r. sav.", "LT-21", "MUNICIPALITY", "Klaipėdos rajono savivaldybė"),
    ("lt", "Klaipėdos r.", "LT-21", "PLACE", "Klaipėdos rajonas"),
    ("lt", "Klaipėdos miesto", "LT-20", "PLACE", "Klaipėdos miestas"),
    ("lt", "Klaipėdos miesto savivaldybė", "LT-20", "MUNICIPALITY", "Klaipėdos miesto savivaldybė"),
    ("lt", "Klaipėdoje", "LT-20", "PLACE", "Klaipėda"),
    ("lt", "Klaipėdos", "LT-20", "PLACE", "Klaipėda"),
    ("lt", "Klaipėdos apskrityje", "LT-KL", "PLACE", "Klaipėdos apskritis"),
    ("lt", "Liepojos miesto", "LV-LPX", "PLACE", "Liepojos miestas"),
    ("lt", "Liepojos mieste", "LV-LPX", "PLACE", "Liepojos miestas"),
    ("lt", "Liepojos miesto savivaldybe", "LV-LPX", "MUNICIPALITY", "Liepojos miesto savivaldybė"),
    ("lt", "Liepojos savivaldybės", "LV-LPX", "MUNICIPALITY", "Liepojos savivaldybė"),
    ("lt", "Liepoją", "LV-LPX", "PLACE", "Liepoja"),
    ("lt", "Latvijos", "LV", "COUNTRY", "Latvija"),
    ("lt", "Lietuvoje", "LT", "COUNTRY", "Lietuva"),
    ("lt", "Šiauliuose", "LT-43", "PLACE", "Šiauliai"),
    ("lt", "Šiaulių rajone", "LT-44", "PLACE", "Šiaulių rajonas"),
    ("lt", "Kaune", "LT-15", "PLACE", "Kaunas"),
    ("lt", "Kauno rajono savivaldybės", "LT-16", "MUNICIPALITY", "Kauno rajono savivaldybė"),
    ("lt", "Vilniuje", "LT-57", "PLACE", "Vilnius"),
    ("lt", "Panevėžyje", "LT-32", "PLACE", "Panevėžys"),
    ("lt", "Alytuje", "LT-02", "PLACE", "Alytus"),
    ("lt", "Gargžduose", "LT-21:gargzdai", "PLACE", "Gargždai"),
    ("lt", "Kretingoje", "LT-22:kretinga", "PLACE", "Kretinga"),
    ("lt", "Kretingos rajono", "LT-22", "PLACE", "Kretingos rajonas"),
    ("lt", "Kaišiadorių rajono savivaldybėje", "LT-13", "MUNICIPALITY", "Kaišiadorių rajono savivaldybė"),
    ("lt", "Kaišiadoryse", "LT-13:kaisiadorys", "PLACE", "Kaišiadorys"),
    ("lt", "Širvintų", "LT-47:sirvintos", "PLACE", "Širvintos"),
    ("lt", "Naujojoje Akmenėje", "LT-01:naujoji-akmene", "PLACE", "Naujoji Akmenė"),
    ("lt", "Birštono savivaldybėje", "LT-05", "MUNICIPALITY", "Birštono savivaldybė"),
    ("lt", "Rygoje", "LV-RIX", "PLACE", "Ryga"),
    ("lt", "Akmenės seniūnijoje", "LT-01:akmenes-seniunija", "PLACE", "Akmenės seniūnija"),
    ("lt", "Didžiojoje Britanijoje", "GB", "COUNTRY", "Didžioji Britanija"),
    ("lv", "Liepājā", "LV-LPX", "PLACE", "Liepāja"),
    ("lv", "Liepājas", "LV-LPX", "PLACE", "Liepāja"),
    ("lv", "Dienvidkurzemes novadā", "LV-112", "PLACE", "Dienvidkurzemes novads"),
    ("lv", "Bauskas novada", "LV-016", "PLACE", "Bauskas novads"),
    ("lv", "Bauskas novada pašvaldība", "LV-016", "MUNICIPALITY", "Bauskas novada pašvaldība"),
    ("lv", "Rīgā", "LV-RIX", "PLACE", "Rīga"),
    ("lv", "Rīgas domes", "LV-RIX", "MUNICIPALITY", "Rīgas dome"),
    ("lv", "Liepājas domes", "LV-LPX", "MUNICIPALITY", "Liepājas dome"),
    ("lv", "Liepājas valstspilsētas pašvaldībā", "LV-LPX", "MUNICIPALITY", "Liepājas valstspilsētas pašvaldība"),
    ("lv", "Daugavpilī", "LV-DGV", "PLACE", "Daugavpils"),
    ("lv", "Rēzeknē", "LV-REZ", "PLACE", "Rēzekne"),
    ("lv", "Jelgavas pilsētas", "LV-JEL", "PLACE", "Jelgavas pilsēta"),
    ("lv", "Jelgavas novadā", "LV-041", "PLACE", "Jelgavas novads"),
    ("lv", "Cēsīs", "LV-022:cesis", "PLACE", "Cēsis"),
    ("lv", "Latvijā", "LV", "COUNTRY", "Latvija"),
    ("lv", "Lietuvā", "LT", "COUNTRY", "Lietuva"),
    ("lv", "Klaipēdas rajona pašvaldība", "LT-21", "MUNICIPALITY", "Klaipēdas rajona pašvaldība"),
    ("lv", "Pāvilostas novada", "LV-112:pavilostas-novads", "PLACE", "Pāvilostas novads"),
    ("en", "Klaipeda District Municipality", "LT-21", "MUNICIPALITY", "Klaipėda District Municipality"),
    ("en", "Klaipėda District Municipality", "LT-21", "MUNICIPALITY", "Klaipėda District Municipality"),
    ("en", "Klaipėda", "LT-20", "PLACE", "Klaipėda"),
    ("en", "Liepaja", "LV-LPX", "PLACE", "Liepāja"),
    ("en", "Riga", "LV-RIX", "PLACE", "Riga"),
    ("en", "Latvia", "LV", "COUNTRY", "Latvia"),
    ("en", "Lithuania", "LT", "COUNTRY", "Lithuania"),
]


@pytest.mark.parametrize(("lang", "form", "eid", "mtype", "norm"), CASES)
def test_places_form(index, lang, form, eid, mtype, norm):
    rows = index.get((lang, form))
    assert rows, f"{lang} {form!r} not in forms"
    assert rows == [(eid, mtype, norm)], rows


@pytest.mark.parametrize(
    ("country", "kind", "expected"),
    [("LT", "municipality", 60), ("LT", "county", 10), ("LV", "municipality", 43)],
)
def test_places_counts(entities, country, kind, expected):
    n = sum(1 for e in entities.values() if e["country"] == country and e["kind"] == kind)
    assert n == expected


def test_places_iso_codes_present(entities):
    for i in range(1, 61):
        assert entities[f"LT-{i:02d}"]["kind"] == "municipality"
    for code in ("LV-RIX", "LV-DGV", "LV-JEL", "LV-JUR", "LV-LPX", "LV-REZ", "LV-VEN", "LV-112"):
        assert entities[code]["kind"] == "municipality"
    for code in ("LT", "LV", "EE", "PL", "BY", "RU", "UA", "DE", "FI", "SE", "NO", "DK"):
        e = entities[code]
        assert e["kind"] == "country"
        assert set(e["name"]) >= {"lt", "lv", "en"}


def test_places_entity_example(entities):
    e = entities["LT-21"]
    assert e["parent"] == "LT-KL"
    assert e["name"]["lt"] == "Klaipėdos rajono savivaldybė"
    assert e["name"]["en"] == "Klaipėda District Municipality"
    assert e["place"]["lt"] == "Klaipėdos rajonas"
    assert entities["LV-LPX"]["place"] == {"en": "Liepāja", "lt": "Liepoja", "lv": "Liepāja"}
    assert entities["LT-21:gargzdai"]["parent"] == "LT-21"


def test_places_forms_well_formed(data, entities):
    forms = data["forms"]
    tuples = [tuple(r) for r in forms]
    assert tuples == sorted(tuples), "forms must be sorted"
    assert len(set(tuples)) == len(tuples), "duplicate form rows"
    for lang, form, eid, mtype, norm in forms:
        assert lang in {"lt", "lv", "en"}
        assert form and norm and form == form.strip()
        assert mtype in TYPES
        assert eid in entities, eid


def test_places_parents_exist(entities):
    for e in entities.values():
        if e["parent"] is not None:
            assert e["parent"] in entities, e


def test_places_ambiguity_only_where_reported(data):
    ids = defaultdict(set)
    for lang, form, eid, _, _ in data["forms"]:
        ids[(lang, form.lower())].add(eid)
    ambiguous = {(lang, f) for (lang, f), s in ids.items() if len(s) > 1}
    reported = {(lang, f) for lang, f, _ in data["meta"]["ambiguous_forms"]}
    assert ambiguous == reported
    # only the eldership names shared by two municipalities are ambiguous
    assert all("sen" in f for _, f in ambiguous)


def test_places_every_lt_municipality_has_all_cases(data):
    per_id = Counter(r[2] for r in data["forms"] if r[0] == "lt" and r[3] == "MUNICIPALITY")
    for i in range(1, 61):
        assert per_id[f"LT-{i:02d}"] >= 6


def test_places_size():
    assert PLACES.stat().st_size < 3_000_000
