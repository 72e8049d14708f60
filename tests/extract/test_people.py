import pytest

from nvo_nlp.extract.people import person_nominative

LT = {
    "Violeta Riaukienė": [
        "Violeta Riaukienė",
        "Violetos Riaukienės",
        "Violetai Riaukienei",
        "Violetą Riaukienę",
        "Violeta Riaukiene",
        "Violetoje Riaukienėje",
    ],
    "Mantas Adomėnas": [
        "Mantas Adomėnas",
        "Manto Adomėno",
        "Mantui Adomėnui",
        "Mantą Adomėną",
        "Mantu Adomėnu",
        "Mante Adomėne",
    ],
    "Dalia Teišerskytė": [
        "Dalia Teišerskytė",
        "Dalios Teišerskytės",
        "Daliai Teišerskytei",
        "Dalią Teišerskytę",
        "Dalia Teišerskyte",
    ],
    "Gintaras Viliūnas": ["Gintaras Viliūnas", "Gintaro Viliūno", "Gintarui Viliūnui", "Gintarą Viliūną"],
}
# Latvian "-a" is both a feminine nominative and a masculine genitive (Gunāra), so without context
# such forms read as nominative; the role word before a name gives the case (next test).
LV = {
    "Gunārs Ansiņš": ["Gunārs Ansiņš", "Gunāram Ansiņam"],
    "Līga Bērziņa": ["Līga Bērziņa", "Līgas Bērziņas", "Līgai Bērziņai"],
    "Jānis Kalniņš": ["Jānis Kalniņš", "Jānim Kalniņam"],
}


@pytest.mark.parametrize(
    ("lang", "written", "nominative"),
    [("lt", form, nom) for nom, forms in LT.items() for form in forms]
    + [("lv", form, nom) for nom, forms in LV.items() for form in forms],
)
def test_people_nominative_from_any_case(lang, written, nominative):
    assert person_nominative(written.split(), lang) == nominative


@pytest.mark.parametrize(
    ("lang", "written", "case", "gender", "nominative"),
    [
        ("lt", "G. Viliūno", "sg_gen", "m", "G. Viliūnas"),
        ("lt", "Jānis Džeriņš", "sg_nom", "m", "Jānis Džeriņš"),
        ("lt", "Jānio Džeriņšo", "sg_gen", "m", "Jānio Džeriņšo"),  # foreign: left as written
        ("lv", "Gunāra Ansiņa", "sg_gen", "m", "Gunārs Ansiņš"),
        ("lv", "Gunāru Ansiņu", "sg_acc", "m", "Gunārs Ansiņš"),
        ("lv", "Līgas Bērziņas", "sg_gen", "f", "Līga Bērziņa"),
    ],
)
def test_people_nominative_with_case_from_context(lang, written, case, gender, nominative):
    assert person_nominative(written.split(), lang, case=case, gender=gender) == nominative


@pytest.mark.parametrize(
    ("lang", "words", "case", "gender", "expected"),
    [
        # Each part of a double name declines.
        ("lt", ["Onos-Marijos", "Kazlauskienės"], "sg_gen", "f", "Ona-Marija Kazlauskienė"),
        # Latvian surnames in -skis/-ckis keep -is in the nominative.
        ("lv", ["Riharda", "Kozlovska"], "sg_gen", "m", "Rihards Kozlovskis"),
        # Lithuanian men's surnames in -a decline like feminine nouns.
        ("lt", ["Henriko", "Mackelos"], "sg_gen", "m", "Henrikas Mackela"),
    ],
)
def test_people_double_names_and_surname_classes(lang, words, case, gender, expected):
    assert person_nominative(words, lang, case=case, gender=gender) == expected


@pytest.mark.parametrize(
    ("lang", "words", "case", "gender"),
    [
        ("lt", ["Violetos", "Riaukienės"], None, None),
        ("lt", ["G.", "Viliūno"], "sg_gen", "m"),
        ("lv", ["Gunāra", "Ansiņa"], "sg_gen", "m"),
        ("en", ["Mary", "Smith"], None, None),
    ],
)
def test_people_nominative_of_a_name_read_again_comes_from_the_cache_unchanged(lang, words, case, gender):
    from nvo_nlp.extract.people import _person_nominative

    _person_nominative.cache_clear()
    first = person_nominative(words, lang, case=case, gender=gender)
    # The same name again, as a tuple or a list: read once, the same answer.
    assert person_nominative(tuple(words), lang, case=case, gender=gender) == first
    assert person_nominative(list(words), lang, case=case, gender=gender) == first
    assert _person_nominative.cache_info().hits == 2 and _person_nominative.cache_info().misses == 1
    # Case and gender are part of what is cached: another case is read anew.
    person_nominative(words, lang, case="sg_nom", gender=gender)
    assert _person_nominative.cache_info().misses == 2
