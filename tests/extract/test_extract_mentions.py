"""Extractors run through the full language pipeline, on lt/lv/en examples."""

from datetime import date

import pytest

from conftest import extracted as mentions


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("lt", "Susitikimas vyko Klaipėdos rajone.", ("PLACE", "Klaipėdos rajonas", "LT-21")),
        ("lt", "Atvyko Klaipėdos miesto atstovai.", ("PLACE", "Klaipėdos miestas", "LT-20")),
        ("lt", "Renginys vyko Klaipėdoje.", ("PLACE", "Klaipėda", "LT-20")),
        ("lt", "Su Liepojos miesto savivaldybe tariamasi.", ("MUNICIPALITY", "Liepojos miesto savivaldybė", "LV-LPX")),
        ("lt", "Atvyko svečiai iš Latvijos.", ("COUNTRY", "Latvija", "LV")),
        ("lv", "Pasākums notika Liepājā.", ("PLACE", "Liepāja", "LV-LPX")),
        ("lv", "Dienvidkurzemes novadā atklāja skolu.", ("PLACE", "Dienvidkurzemes novads", "LV-112")),
        ("en", "Guests came from Klaipeda District Municipality.", ("MUNICIPALITY", None, "LT-21")),
    ],
)
def test_extract_places_nominative_and_iso_code(lang, text, expected):
    kind, normalized, entity_id = expected
    [place] = [m for m in mentions(text, lang) if m.type in ("PLACE", "MUNICIPALITY", "COUNTRY")]
    assert place.type == kind
    assert place.entity_id == entity_id
    if normalized:
        assert place.normalized == normalized


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("lv", "Ceļš vedīs uz Ēdoles pagastu.", ("Ēdoles pagastu", "Ēdoles pagasts")),
        ("lv", "Talka notika Zirņu pagastā.", ("Zirņu pagastā", "Zirņu pagasts")),
        # Villages and towns are named alone, in the nominative (plural places stay plural).
        ("lt", "Svečiai lankėsi Ablingos kaime.", ("Ablingos kaime", "Ablinga")),
        ("lt", "Šventė vyko Brožių kaime.", ("Brožių kaime", "Brožiai")),
        ("lt", "Paroda atidaryta Monso mieste.", ("Monso mieste", "Monsas")),
        ("lv", "Svētki notika Jaunsaules ciemā.", ("Jaunsaules ciemā", "Jaunsaule")),
        # Written in the locative inside a sentence, or after "iš"/"no".
        ("lv", "Pasākums notika Vecumniekos.", ("Vecumniekos", "Vecumnieki")),
        ("lv", "Viesi ieradās Rendā.", ("Rendā", "Renda")),
        ("lt", "Svečiai atvyko iš Lvovo.", ("Lvovo", "Lvovas")),
        ("lv", "Viesi no Moricburgas.", ("Moricburgas", "Moricburga")),
    ],
)
def test_extract_places_no_list_holds_by_head_word(lang, text, expected):
    [place] = mentions(text, lang, kind="PLACE")
    assert (place.text, place.normalized, place.entity_id) == (*expected, None)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("lt", "Projektas svarstytas Seime."),
        ("lv", "Likums pieņemts Saeimā."),
        ("lt", "Prekės parduodamos „Maximoje“."),
        ("lt", "Vaikai žaidė žvėryne."),
    ],
)
def test_extract_places_institutions_and_quoted_names_are_not_places(lang, text):
    assert mentions(text, lang, kind="PLACE") == []


@pytest.mark.parametrize(
    ("lang", "text", "person", "role_id", "organization_id"),
    [
        (
            "lt",
            "Klaipėdos rajono savivaldybės vicemerė Violeta Riaukienė sveikino svečius.",
            "Violeta Riaukienė",
            "vice_mayor",
            "LT-21",
        ),
        ("lt", "Liepojos miesto vicemeras Jānis Džeriņš pabrėžė svarbą.", "Jānis Džeriņš", "vice_mayor", "LV-LPX"),
        (
            "lt",
            "Į renginį atvyko Seimo nario Manto Adomėno patarėjas.",
            "Mantas Adomėnas",
            "member_of_parliament",
            None,
        ),
        (
            "lt",
            "Padėkojo parlamentarės Dalios Teišerskytės komandai.",
            "Dalia Teišerskytė",
            "member_of_parliament",
            None,
        ),
        (
            "lv",
            "Liepājas domes priekšsēdētājs Gunārs Ansiņš atklāja pasākumu.",
            "Gunārs Ansiņš",
            "council_chair",
            "LV-LPX",
        ),
        ("en", "Deputy mayor John Smith opened the meeting.", "John Smith", "vice_mayor", None),
        ("en", "The vice-mayor Anna Brown welcomed the guests.", "Anna Brown", "vice_mayor", None),
        # Members and leaders of parliamentary committees and factions.
        (
            "lt",
            "Seimo Biudžeto ir finansų komiteto narys Jonas Petraitis kalbėjo.",
            "Jonas Petraitis",
            "member_of_parliament",
            "org:seimo-biudzeto-ir-finansu-komitetas",
        ),
        ("lt", "Liberalų frakcijos seniūnas Jonas Petraitis kalbėjo.", "Jonas Petraitis", "chair", None),
        # Apposition: the name, a comma, the body and the role.
        (
            "lv",
            "Jānis Bērziņš, Tukuma novada domes priekšsēdētājs, atklāja pasākumu.",
            "Jānis Bērziņš",
            "council_chair",
            "LV-099",
        ),
        # An executive director outside a municipality is a director.
        (
            "lv",
            "Tā norāda Latvijas Telekomunikāciju asociācijas izpilddirektors Jānis Lelis.",
            "Jānis Lelis",
            "director",
            "org:latvijas-telekomunikaciju-asociacija",
        ),
    ],
)
def test_extract_officials_role_person_and_organization(lang, text, person, role_id, organization_id):
    [found] = [m for m in mentions(text, lang, kind="PERSON") if m.role_id]
    assert (found.normalized, found.role_id, found.organization_id) == (person, role_id, organization_id)
    [role] = mentions(text, lang, kind="ROLE")
    assert role.person == person


@pytest.mark.parametrize(
    ("lang", "text", "community"),
    [
        ("lt", "Svečiai lankėsi Brožių kaimo bendruomenėje.", "Brožių kaimo bendruomenė"),
        ("lt", "Smilgynų ir kaimynų bendruomenė surengė šventę.", "Smilgynų ir kaimynų bendruomenė"),
        ("lt", "Apsilankė Dauparų bendruomenės daugiafunkciame centre.", "Dauparų bendruomenė"),
    ],
)
def test_extract_communities_in_nominative(lang, text, community):
    assert [m.normalized for m in mentions(text, lang, kind="COMMUNITY")] == [community]


def test_extract_communities_need_a_name():
    assert mentions("Vietos bendruomenės nariai susirinko.", "lt", kind="COMMUNITY") == []


@pytest.mark.parametrize(
    ("lang", "text", "organization"),
    [
        ("lt", "Renginį organizavo asociacija „Kartu“.", "asociacija „Kartu“"),
        ("lv", "Projektu īsteno biedrība „Mēs Ventai“.", "biedrība „Mēs Ventai“"),
    ],
)
def test_extract_organizations_with_quoted_names(lang, text, organization):
    assert [m.normalized for m in mentions(text, lang, kind="ORGANIZATION")] == [organization]


@pytest.mark.parametrize(
    ("lang", "text", "count", "count_max", "qualifier", "noun", "origin_id"),
    [
        ("lt", "Atvyko 22 svečiai iš Latvijos.", 22, None, "exact", "svečias", "LV"),
        ("lt", "Dalyvavo apie 50 žmonių.", 50, None, "approx", "žmogus", None),
        ("lt", "Susirinko dvidešimt du dalyviai.", 22, None, "exact", "dalyvis", None),
        ("lt", "Renginyje dalyvavo 20–30 dalyvių.", 20, 30, "range", "dalyvis", None),
        ("lv", "Pasākumā piedalījās 30 dalībnieku no Liepājas.", 30, None, "exact", "dalībnieks", "LV-LPX"),
        ("lv", "Ieradās ap 40 viesu.", 40, None, "approx", "viesis", None),
        ("en", "More than 100 participants from Latvia attended.", 100, None, "more_than", "participant", "LV"),
    ],
)
def test_extract_headcounts(lang, text, count, count_max, qualifier, noun, origin_id):
    [headcount] = mentions(text, lang, kind="HEADCOUNT")
    assert (headcount.count, headcount.count_max, headcount.count_qualifier) == (count, count_max, qualifier)
    assert (headcount.counted_noun, headcount.origin_id) == (noun, origin_id)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("lt", "2025 m. projektui skirta 100 eurų, tai 5 proc. biudžeto, o jam 22 metai."),
        ("lv", "2025. gadā piešķīra 300 eiro jeb 5 % budžeta."),
        ("en", "In 2025 the project received 100 euros, 5 percent of the budget."),
    ],
)
def test_extract_headcounts_ignore_years_money_percentages(lang, text):
    assert mentions(text, lang, kind="HEADCOUNT") == []


@pytest.mark.parametrize(
    ("lang", "text", "published", "iso", "precision"),
    [
        ("lt", "Rugsėjo pabaigoje vyko susitikimas.", None, "--09-21/--09-30", "month-part"),
        ("lt", "Rugsėjo pabaigoje vyko susitikimas.", date(2025, 10, 3), "2025-09-21/2025-09-30", "month-part"),
        ("lt", "Renginys vyko 2025 m. rugsėjo 26 d. Klaipėdoje.", None, "2025-09-26", "day"),
        ("lt", "Praėjusį penktadienį vyko šventė.", date(2025, 10, 8), "2025-10-03", "day"),
        ("lv", "Sanāksme notika 2025. gada 26. septembrī.", None, "2025-09-26", "day"),
        ("lv", "Šā gada oktobrī notiks festivāls.", date(2025, 9, 1), "2025-10-01/2025-10-31", "month"),
        ("en", "The visit took place at the end of September 2025.", None, "2025-09-21/2025-09-30", "month-part"),
        ("en", "Last week the council met.", date(2025, 10, 8), "2025-09-29/2025-10-05", "week"),
    ],
)
def test_extract_dates_resolved_against_publication(lang, text, published, iso, precision):
    [found] = mentions(text, lang, published, kind="DATE")
    assert (found.date_iso, found.date_precision) == (iso, precision)
    if not iso.startswith("--"):
        assert found.date_start.isoformat() == iso.split("/")[0]


def test_extract_relative_date_without_publication_is_unknown():
    [found] = mentions("Praėjusį penktadienį vyko šventė.", "lt", kind="DATE")
    assert (found.date_precision, found.date_start, found.date_iso) == ("unknown", None, None)


def test_extract_projects_english_name_partners_and_quotes(lt_sample_text):
    found = mentions(lt_sample_text, "lt")
    projects = [m for m in found if m.type == "PROJECT"]
    assert {p.entity_id for p in projects} == {"project:ngo-capacity"}
    assert projects[0].normalized == "NVO gebėjimų stiprinimas"
    assert {p.english_name for p in projects} == {"NGO Capacity"}
    assert "NGO Capacity" in [p.normalized for p in projects]
    assert set(projects[0].partner_ids) == {"LT-21", "LV-LPX"}
    quotes = {m.speaker: m for m in found if m.type == "QUOTE"}
    assert set(quotes) == {"Violeta Riaukienė", "Jānis Džeriņš"}
    assert quotes["Violeta Riaukienė"].text.startswith("Tokie susitikimai")
    assert quotes["Jānis Džeriņš"].speaker_id == "person:janis-dzerins"
    [event] = [m for m in found if m.type == "EVENT"]
    assert (event.text, event.normalized) == ("Patirties mainų dieną", "Patirties mainų diena")


@pytest.mark.parametrize(
    ("lang", "text", "person", "later"),
    [
        (
            "lt",
            "Seimo narys Gintaras Viliūnas atidarė parodą. G. Viliūnas pabrėžė, kad Viliūnui tai svarbu.",
            "Gintaras Viliūnas",
            ["G. Viliūnas", "Viliūnui"],
        ),
        (
            "lv",
            "Liepājas domes priekšsēdētājs Gunārs Ansiņš atklāja pasākumu. G. Ansiņš teica, ka Ansiņam patīk.",
            "Gunārs Ansiņš",
            ["G. Ansiņš", "Ansiņam"],
        ),
    ],
)
def test_extract_later_mentions_of_a_person_are_merged(lang, text, person, later):
    people = mentions(text, lang, kind="PERSON")
    assert [m.text for m in people] == [person, *later]
    assert {m.normalized for m in people} == {person}
    assert len({m.entity_id for m in people}) == 1


@pytest.mark.parametrize(
    ("lang", "text", "places"),
    [
        ("lv", "Atceļ karantīnu Staiceles un Ainažu pagastā.", ["Staiceles pagasts", "Ainažu pagasts"]),
        ("lt", "Šventė vyko Brožių ir Dauparų kaimuose.", ["Brožiai", "Dauparai"]),
    ],
)
def test_extract_places_coordinated_names_share_the_head_word(lang, text, places):
    assert [m.normalized for m in mentions(text, lang, kind="PLACE")] == places


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # Countries from pycountry's translations, in any case.
        ("lt", "Delegacija išvyko į Japoniją.", ("Japonija", "JP")),
        ("lt", "Svečiai atvyko iš Turkijos.", ("Turkija", "TR")),
        ("lv", "Viņš strādāja Japānā.", ("Japāna", "JP")),
        # Parts of the world, but not in the genitive that names a body ("Eiropas Savienība").
        ("lv", "Bēgļi dodas uz Eiropu.", ("Eiropa", "world:europe")),
        ("lt", "Jis gyveno Afrikoje.", ("Afrika", "world:africa")),
        # The place a school or a church is named after.
        ("lv", "Bērni mācās Kabiles pamatskolā.", ("Kabile", None)),
    ],
)
def test_extract_places_countries_and_parts_of_the_world(lang, text, expected):
    found = [(m.normalized, m.entity_id) for m in mentions(text, lang) if m.type in ("PLACE", "COUNTRY")]
    assert expected in found


def test_extract_places_no_part_of_the_world_in_a_body_name():
    found = [m.entity_id for m in mentions("Eiropas Savienība piešķīra naudu.", "lv") if m.type == "PLACE"]
    assert "world:europe" not in found


def test_extract_officials_apposition_takes_the_organization_passed_on_the_way():
    text = 'Par to informēja Jānis Bunte, SIA "Pillar Management" sabiedrisko attiecību speciālists.'
    [official] = [m for m in mentions(text, "lv", kind="PERSON") if m.role_id]
    assert (official.normalized, official.role_id, official.organization_kind) == (
        "Jānis Bunte",
        "specialist",
        "company",
    )
    assert official.organization == "SIA „Pillar Management“"


def test_extract_officials_no_apposition_for_a_role_not_in_the_nominative():
    text = "Anot Seimo nario Manto Adomėno, dabartinės aukštųjų mokyklų vadovų algos kelia pasipiktinimą."
    assert [(m.normalized, m.role_id) for m in mentions(text, "lt", kind="PERSON") if m.role_id] == [
        ("Mantas Adomėnas", "member_of_parliament")
    ]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "lt",
            "Seimo nariai Jonas Petraitis ir Petras Jonaitis pasiūlė pataisą.",
            [("Jonas Petraitis", "member_of_parliament"), ("Petras Jonaitis", "member_of_parliament")],
        ),
        (
            "lt",
            "Susitiko Seimo narių Jono Petraičio ir Petro Jonaičio komandos.",
            [("Jonas Petraitis", "member_of_parliament"), ("Petras Jonaitis", "member_of_parliament")],
        ),
    ],
)
def test_extract_officials_a_plural_role_holds_for_coordinated_names(lang, text, expected):
    assert [(m.normalized, m.role_id) for m in mentions(text, lang, kind="PERSON") if m.role_id] == expected
