"""People without a role, quotations and their speakers, dates, headcounts, NGOs and companies (lt/lv)."""

from datetime import date

import pytest

from conftest import extracted as mentions
from nvo_nlp.events.assemble import assemble_events


@pytest.mark.parametrize(
    ("lang", "text", "people"),
    [
        ("lt", "Akciją inicijavusi gidė Danutė Čornij sakė, kad lėšos bus skirtos koplyčiai.", ["Danutė Čornij"]),
        ("lv", "Pasākumu atbalsta Annija Veitnere un Dace Bergmane.", ["Annija Veitnere", "Dace Bergmane"]),
        # A school named after a person is no person; its director is.
        (
            "lt",
            "Kalbėjo Juozo Urbšio vidurinės mokyklos direktorius Paulius Martinaitis.",
            ["Paulius Martinaitis"],
        ),
    ],
)
def test_extract_people_without_a_role(lang, text, people):
    assert [m.normalized for m in mentions(text, lang, kind="PERSON")] == people


@pytest.mark.parametrize(
    ("lang", "text", "speaker"),
    [
        # Speaker after the quotation, which runs over several lines.
        (
            "lt",
            "Direktorė Dalia Žemonienė kalbėjo.\n„Kas parinko šias įstaigas?\nTurbūt tai lėmė planai“, - aiškino D. Žemonienė.",
            "Dalia Žemonienė",
        ),
        # Speaker named in the sentence before; the quotation stands alone.
        (
            "lt",
            "Tačiau ūkio viceministras Vytautas Naudužas mano, kad baiminamasi be pagrindo. „Jei situacija būtų tokia bloga, niekas neinvestuotų.“",
            "Vytautas Naudužas",
        ),
        # Latvian: a quoted name inside the quotation, marks merged at its end, first name as speaker.
        (
            "lv",
            "Runā vadītāja Natālija Koposova. „Mūsu galetēm ir zīme „ES Bio”, jo tās ir ekoloģiskas,” teica Natālija.",
            "Natālija Koposova",
        ),
    ],
)
def test_extract_quote_speakers(lang, text, speaker):
    [quote] = mentions(text, lang, kind="QUOTE")
    assert quote.speaker == speaker


def test_extract_quote_speaker_is_a_subject_in_the_nominative():
    text = "„Nuoširdžiai dėkojame už materialinę paramą mūsų vaikams“, - rašoma Prezidentui Valdui Adamkui skirtoje padėkoje."
    [quote] = mentions(text, "lt", kind="QUOTE")
    assert quote.speaker is None


@pytest.mark.parametrize(
    ("lang", "text", "published", "start", "end", "precision"),
    [
        ("lt", "Trečiadienį Seime svarstė.", date(2008, 4, 18), date(2008, 4, 16), date(2008, 4, 16), "day"),
        (
            "lt",
            "Antradienio vakarą pasieniečiai nustebo.",
            date(2008, 4, 18),
            date(2008, 4, 15),
            date(2008, 4, 15),
            "day",
        ),
        ("lt", "Tai buvo 2004 - 2007 m. planas.", None, date(2004, 1, 1), date(2007, 12, 31), "year"),
        ("lt", "Kitais metais bus remontas.", date(2008, 4, 18), date(2009, 1, 1), date(2009, 12, 31), "year"),
        ("lt", "Vasario 16-ąją minėjo.", date(2008, 4, 18), date(2008, 2, 16), date(2008, 2, 16), "day"),
        ("lt", "Tai įvyko prieš penkerius metus.", date(2008, 4, 18), date(2003, 1, 1), date(2003, 12, 31), "year"),
        ("lv", "Piektdien notika sapulce.", date(2008, 7, 1), date(2008, 6, 27), date(2008, 6, 27), "day"),
        ("lv", "Šogad gaidāms kāpums.", date(2013, 2, 6), date(2013, 1, 1), date(2013, 12, 31), "year"),
        ("lv", "No 5.līdz 9.jūlijam būs svētki.", date(2016, 7, 1), date(2016, 7, 5), date(2016, 7, 9), "day"),
        (
            "lv",
            "Revīzija veikta par posmu no 2009.gada 1.janvāra līdz 2011.gada 30.jūnijam.",
            date(2012, 6, 4),
            date(2009, 1, 1),
            date(2011, 6, 30),
            "day",
        ),
        ("lv", "Rīga, 4.jūn. Ministrs runāja.", date(2012, 6, 4), date(2012, 6, 4), date(2012, 6, 4), "day"),
        ("lv", "Lieldienās notika tirgus.", date(2015, 4, 10), date(2015, 4, 5), date(2015, 4, 6), "day"),
        ("lv", "Valsts svētkos sumina novadniekus.", date(2015, 11, 20), date(2015, 11, 18), date(2015, 11, 18), "day"),
        ("lv", "Plāns 2006.-2012.gadam ir beidzies.", None, date(2006, 1, 1), date(2012, 12, 31), "year"),
    ],
)
def test_extract_dates_relative_and_ranges(lang, text, published, start, end, precision):
    [found] = mentions(text, lang, published, kind="DATE")
    assert (found.date_start, found.date_end, found.date_precision) == (start, end, precision)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("lt", "Kiekvieną pavasarį takai nudažomi."), ("lv", "Katru piektdien notiek tirgus.")],
)
def test_extract_dates_habitual_expressions_are_not_dates(lang, text):
    assert mentions(text, lang, date(2012, 6, 4), kind="DATE") == []


@pytest.mark.parametrize(
    ("lang", "text", "count", "qualifier", "noun"),
    [
        ("lt", "Ekskursiją vedė aštuoni Vilniaus gidai.", 8, "exact", "gidas"),
        ("lt", "Darželį lanko po 240 ir daugiau vaikų.", 240, "more_than", "vaikas"),
        ("lv", "Uzņēmumā strādā 27 darbinieki.", 27, "exact", "darbinieks"),
    ],
)
def test_extract_headcounts_number_words_and_at_least(lang, text, count, qualifier, noun):
    [headcount] = mentions(text, lang, kind="HEADCOUNT")
    assert (headcount.count, headcount.count_qualifier, headcount.counted_noun) == (count, qualifier, noun)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("lt", "Vienas Karoliniškių gyventojas skundėsi."),
        ("lv", "Viens cilvēks palika mājās."),
    ],
)
def test_extract_headcounts_not_one_person(lang, text):
    assert mentions(text, lang, kind="HEADCOUNT") == []


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # Victims are people counted too (tests/gold/README.md).
        ("lt", "Gaisre viešbutyje žuvo 23 žmonės.", [(23, "žmogus")]),
        ("lv", "Avārijā gāja bojā 5 cilvēki.", [(5, "cilvēks")]),
        # The part and the whole share the noun.
        ("lt", "Žuvo 1523 iš 2200 keleivių.", [(1523, "keleivis"), (2200, "keleivis")]),
        ("lv", "Balsoja 40 no 100 vēlētājiem.", [(40, "vēlētājs"), (100, "vēlētājs")]),
        # Thousands and decimal commas.
        ("lv", "Bāze samazinājusies par 22,5 tūkstošiem lietotāju.", [(22500, "lietotājs")]),
        ("lt", "Mitinge dalyvavo 3 tūkstančiai žmonių.", [(3000, "žmogus")]),
    ],
)
def test_extract_headcounts_victims_and_part_of_a_whole(lang, text, expected):
    assert [(m.count, m.counted_noun) for m in mentions(text, lang, kind="HEADCOUNT")] == expected


@pytest.mark.parametrize(
    ("lang", "text", "kind", "normalized"),
    [
        ("lv", "Balvu pasniedza Latvijas Ārstu biedrība.", "ORGANIZATION", "Latvijas Ārstu biedrība"),
        ("lv", "Pienu ražo SIA „Viona“.", "COMPANY", "SIA „Viona“"),
        ("lt", "Takus ženklina UAB „Urbico“.", "COMPANY", "UAB „Urbico“"),
        ("lt", "Renginį surengė asociacija „Kartu“.", "ORGANIZATION", "asociacija „Kartu“"),
    ],
)
def test_extract_ngos_and_companies_told_apart(lang, text, kind, normalized):
    [found] = [m for m in mentions(text, lang) if m.type in ("ORGANIZATION", "COMPANY")]
    assert (found.type, found.normalized) == (kind, normalized)


@pytest.mark.parametrize(
    ("lang", "text", "place", "entity_id"),
    [
        ("lt", "Sveikino Dauparų bendruomenės nariai.", "Dauparai", None),
        ("lt", "Veikia Vilijampolės bendruomenė.", "Vilijampolė", "LT-15:vilijampoles-seniunija"),
        ("lv", "Svētkus rīkoja Latgales biedrība.", "Latgale", "LV:latgale"),
    ],
)
def test_extract_places_named_in_community_and_region_names(lang, text, place, entity_id):
    places = [m for m in mentions(text, lang, kind="PLACE")]
    assert (places[0].normalized, places[0].entity_id) == (place, entity_id)


@pytest.mark.parametrize(
    ("lang", "text", "types"),
    [
        (
            "lt",
            "Vakar vyko bendruomenių susitikimas. Svečiai lankėsi Brožių kaime. Rudenį vyks konferencija.",
            ["meeting", "conference"],
        ),
        ("lv", "Notika iedzīvotāju tikšanās. Vēlāk sāksies seminārs jauniešiem.", ["meeting", "training"]),
    ],
)
def test_events_several_activities_and_visits_belong_to_the_main_one(lang, text, types):
    found = mentions(text, lang)
    events = assemble_events("a", lang, text, found)
    assert [e.event_type for e in events] == types
    assert all(text[e.evidence_start : e.evidence_end] == e.evidence_text for e in events)


@pytest.mark.parametrize(
    ("lang", "text", "programme"),
    [
        (
            "lt",
            "Projektas „NVO gebėjimų stiprinimas“ finansuojamas Interreg VI-A Latvijos ir Lietuvos programos lėšomis.",
            "Interreg VI-A Latvijos ir Lietuvos programa",
        ),
        (
            "lv",
            "Projekts „Tīra vide“ tiek līdzfinansēts no Eiropas Savienības Kohēzijas fonda.",
            "Eiropas Savienības Kohēzijas fonds",
        ),
        ("lt", "Projektas „Kartu“ baigėsi.", None),
    ],
)
def test_extract_projects_funding_programme(lang, text, programme):
    [project] = mentions(text, lang, kind="PROJECT")
    assert project.programme == programme


@pytest.mark.parametrize(
    ("lang", "text", "person", "role_id"),
    [
        ("lv", "Strenčos viesojās Valsts prezidents Valdis Zatlers.", "Valdis Zatlers", "head_of_state"),
        ("lv", "Biedrības prezidents Jānis Kalniņš runāja.", "Jānis Kalniņš", "chair"),
        ("lt", "Posėdį vedė ūkio viceministras Vytautas Naudužas.", "Vytautas Naudužas", "minister"),
        ("lt", "Kalbėjo skyriaus vedėja Nijolė Grybėnienė.", "Nijolė Grybėnienė", "director"),
    ],
)
def test_extract_officials_more_role_words(lang, text, person, role_id):
    [official] = [m for m in mentions(text, lang, kind="PERSON") if m.role_id]
    assert (official.normalized, official.role_id) == (person, role_id)


@pytest.mark.parametrize(
    ("lang", "text", "person"),
    [
        ("lv", "Pa pēdām seko Ilze Ķuzule-Skrastiņa un citi.", "Ilze Ķuzule-Skrastiņa"),
        ("lt", "Vakar Onos-Marijos Kazlauskienės nebuvo.", "Ona-Marija Kazlauskienė"),
        # A school named after someone follows only right after the name, not past a comma.
        (
            "lt",
            "Pasak ministerijos sekretoriaus Giedriaus Viliūno, universitetų vadovai uždirba daug.",
            "Giedrius Viliūnas",
        ),
    ],
)
def test_extract_people_double_names_and_commas(lang, text, person):
    assert person in [m.normalized for m in mentions(text, lang, kind="PERSON")]


def test_extract_people_byline_in_capitals():
    text = "Kaip kalbėti su vaikais\nALDONA STEPONAVIČIŪTĖ\nTėvai dažnai nežino, ką sakyti."
    assert [m.normalized for m in mentions(text, "lt", kind="PERSON")] == ["Aldona Steponavičiūtė"]


@pytest.mark.parametrize(
    ("lang", "text", "start", "end", "precision"),
    [
        # Days counted from the publication date, both ways.
        ("lv", "Takas atklāšanu aizvakar skatīja daudzi.", date(2013, 2, 9), date(2013, 2, 9), "day"),
        ("lt", "Rytoj vyks susitikimas.", date(2013, 2, 12), date(2013, 2, 12), "day"),
        # This year's season, and last year's month.
        ("lv", "Šoruden gribam kaltēt bietes.", date(2013, 9, 1), date(2013, 11, 30), "month"),
        ("lv", "Kā zināms, pērnā gada augustā valdība atbalstīja.", date(2012, 8, 1), date(2012, 8, 31), "month"),
    ],
)
def test_extract_dates_relative_days_and_seasons(lang, text, start, end, precision):
    [found] = mentions(text, lang, published=date(2013, 2, 11), kind="DATE")
    assert (found.date_start, found.date_end, found.date_precision) == (start, end, precision)
