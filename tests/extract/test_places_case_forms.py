"""Every case, singular and plural, of Lithuanian and Latvian place names -> nominative + gazetteer id."""

import pytest

from nvo_nlp.extract.spans import mentions_in
from nvo_nlp.nlp.pipeline import pipeline_for

# nominative, entity id -> nominative, genitive, dative, accusative, instrumental (lt), locative
LT = {
    ("Klaipėda", "LT-20"): ["Klaipėda", "Klaipėdos", "Klaipėdai", "Klaipėdą", "Klaipėda", "Klaipėdoje"],
    ("Vilnius", "LT-57"): ["Vilnius", "Vilniaus", "Vilniui", "Vilnių", "Vilniumi", "Vilniuje"],
    ("Liepoja", "LV-LPX"): ["Liepoja", "Liepojos", "Liepojai", "Liepoją", "Liepoja", "Liepojoje"],
    ("Latvija", "LV"): ["Latvija", "Latvijos", "Latvijai", "Latviją", "Latvija", "Latvijoje"],
    ("Klaipėdos rajonas", "LT-21"): [
        "Klaipėdos rajonas",
        "Klaipėdos rajono",
        "Klaipėdos rajonui",
        "Klaipėdos rajoną",
        "Klaipėdos rajonu",
        "Klaipėdos rajone",
    ],
    # plural-only names
    ("Šiauliai", "LT-43"): ["Šiauliai", "Šiaulių", "Šiauliams", "Šiaulius", "Šiauliais", "Šiauliuose"],
    ("Mažeikiai", "LT-26:mazeikiai"): ["Mažeikiai", "Mažeikių", "Mažeikiams", "Mažeikius", "Mažeikiais", "Mažeikiuose"],
    ("Dauparų-Kvietinių seniūnija", "LT-21:dauparu-kvietiniu-seniunija"): [
        "Dauparų-Kvietinių seniūnija",
        "Dauparų-Kvietinių seniūnijos",
        "Dauparų-Kvietinių seniūnijai",
        "Dauparų-Kvietinių seniūniją",
        "Dauparų-Kvietinių seniūnija",
        "Dauparų-Kvietinių seniūnijoje",
    ],
}
# nominative, genitive, dative, accusative, locative
LV = {
    ("Liepāja", "LV-LPX"): ["Liepāja", "Liepājas", "Liepājai", "Liepāju", "Liepājā"],
    ("Rīga", "LV-RIX"): ["Rīga", "Rīgas", "Rīgai", "Rīgu", "Rīgā"],
    ("Lietuva", "LT"): ["Lietuva", "Lietuvas", "Lietuvai", "Lietuvu", "Lietuvā"],
    ("Jēkabpils", "LV-042:jekabpils"): ["Jēkabpils", "Jēkabpilij", "Jēkabpili", "Jēkabpilī"],
    ("Dienvidkurzemes novads", "LV-112"): [
        "Dienvidkurzemes novads",
        "Dienvidkurzemes novada",
        "Dienvidkurzemes novadam",
        "Dienvidkurzemes novadu",
        "Dienvidkurzemes novadā",
    ],
    # plural-only names
    ("Cēsis", "LV-022:cesis"): ["Cēsis", "Cēsu", "Cēsīm", "Cēsīs"],
    ("Talsi", "LV-097:talsi"): ["Talsi", "Talsu", "Talsiem", "Talsus", "Talsos"],
}
FRAME = {"lt": "Apie {} kalbėjo visi.", "lv": "Par {} runāja visi."}


@pytest.mark.parametrize(
    ("lang", "form", "nominative", "entity_id"),
    [("lt", form, *key) for key, forms in LT.items() for form in forms]
    + [("lv", form, *key) for key, forms in LV.items() for form in forms],
)
def test_places_every_case_to_nominative_and_id(lang, form, nominative, entity_id):
    text = FRAME[lang].format(form)
    [place] = mentions_in(pipeline_for(lang)(text), "nvo_places")
    assert (place.text, place.normalized, place.entity_id) == (form, nominative, entity_id)
    assert text[place.start : place.end] == form


@pytest.mark.parametrize(
    ("text", "nominative", "entity_id"),
    [
        ("Atvyko Klaipėdos miesto atstovai.", "Klaipėdos miestas", "LT-20"),
        ("Atvyko Klaipėdos rajono atstovai.", "Klaipėdos rajonas", "LT-21"),
        ("Atvyko Klaipėdos r. sav. atstovai.", "Klaipėdos rajono savivaldybė", "LT-21"),
        ("Renginys vyko Klaipėdoje.", "Klaipėda", "LT-20"),
    ],
)
def test_places_klaipeda_city_and_district_are_told_apart(text, nominative, entity_id):
    [place] = mentions_in(pipeline_for("lt")(text), "nvo_places")
    assert (place.normalized, place.entity_id) == (nominative, entity_id)
