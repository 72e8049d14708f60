"""Named organizations of every kind, with their kind and nominative name, on lt/lv/en examples."""

import pytest

from conftest import extracted as mentions

_ORGANIZATION_TYPES = ("ORGANIZATION", "COMPANY", "COMMUNITY", "MUNICIPALITY")


def organizations(text, lang):
    return [(m.normalized, m.organization_kind) for m in mentions(text, lang) if m.type in _ORGANIZATION_TYPES]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "lt",
            "Švietimo ir mokslo ministerija paskelbė naujas taisykles.",
            ("Švietimo ir mokslo ministerija", "government"),
        ),
        # An adjective agreeing with the head is put in the nominative with it.
        ("lt", "Kalbėjo Valstybinės mokesčių inspekcijos vadovas.", ("Valstybinė mokesčių inspekcija", "government")),
        ("lt", "Paskaitą skaitė Vilniaus universitete.", ("Vilniaus universitetas", "education")),
        ("lt", "Sprendimą priėmė Lietuvos bankas.", ("Lietuvos bankas", "government")),
        ("lt", "Apie tai pranešė Europos Komisija.", ("Europos Komisija", "international")),
        ("lt", "Įstatymą priėmė Seimas.", ("Seimas", "government")),
        ("lv", "Tā norāda Latvijas Bankas pārstāvis.", ("Latvijas Banka", "government")),
        (
            "lv",
            "Grāmatas glabā Latvijas Nacionālās bibliotēkas krātuvē.",
            ("Latvijas Nacionālā bibliotēka", "education"),
        ),
        ("lv", "Par to lems Izglītības un zinātnes ministrija.", ("Izglītības un zinātnes ministrija", "government")),
        # A state-body head after a municipality's name belongs to the municipality.
        (
            "lv",
            "Līgumu slēdza Kuldīgas novada pašvaldības aģentūra.",
            ("Kuldīgas novada pašvaldības aģentūra", "municipality"),
        ),
        ("lv", "Ziņu aģentūrai LETA to apstiprināja ministrs.", ("LETA", "media")),
        # A foreign name before the head is part of the name.
        ("lv", "Noguldījumi glabājās Parex bankā.", ("Parex banka", "company")),
        ("lv", "Par to vēsta Latvijas Radio.", ("Latvijas Radio", "media")),
        # A compound ending in a head word, with its modifiers.
        ("lv", "Lietu ierosināja Ģenerālprokuratūra.", ("Ģenerālprokuratūra", "government")),
        ("lv", "Tā ziņo Latvijas Krājbankas pārstāvji.", ("Latvijas Krājbanka", "company")),
        # A municipality's agency.
        ("lv", "Darbus veica pašvaldības aģentūra „Kultūra“.", ("aģentūra „Kultūra“", "municipality")),
        ("en", "The grant came from the European Commission.", ("European Commission", "international")),
    ],
)
def test_organizations_named_with_their_kind(lang, text, expected):
    assert expected in organizations(text, lang)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # Quoted company names stand alone in Baltic news; the last word is put in the nominative.
        ("lt", "Parduotuvę nupirko „Maximos“ savininkai.", ("Maxima", "company")),
        ("lt", "Sutartį pasirašė „Lietuvos energijos“ vadovai.", ("Lietuvos energija", "company")),
        ("lv", 'Degvielu pārdod arī "Neste Oil" stacijās.', ("Neste Oil", "company")),
        # Newspapers and news sites are media.
        ("lv", "To stāstīja „Latgales Laikam”.", ("Latgales Laiks", "media")),
        ("lv", 'Kā liecina "Firmas.lv" informācija, valde mainīta.', ("Firmas.lv", "media")),
        ("lv", "Būvdarbus veica SIA Venceb, kas uzvarēja konkursā.", ("SIA Venceb", "company")),
        ("lt", "Renginį surengė asociacija „Kartu“.", ("asociacija „Kartu“", "ngo")),
        ("lv", "Talku rīkoja biedrība „Mēs Ventai“.", ("biedrība „Mēs Ventai“", "ngo")),
        ("lt", "Svečiai lankėsi Brožių kaimo bendruomenėje.", ("Brožių kaimo bendruomenė", "community")),
        ("lt", "Su Liepojos miesto savivaldybe tariamasi.", ("Liepojos miesto savivaldybė", "municipality")),
    ],
)
def test_organizations_quoted_and_company_names(lang, text, expected):
    assert expected in organizations(text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # Titles of works, shows and projects are no organizations.
        ("lt", "Trečiadienį LTV laidoje „Spaudos klubas“ kalbėta apie rinkimus."),
        ("lt", "Įgyvendinamas projektas „Švari upė“."),
        # A generic word, the country's schools or a sentence-initial common word name no one institution.
        ("lt", "Savivaldybė skyrė lėšų."),
        ("lv", "Latvijas skolās mācās daudz bērnu."),
        ("lt", "Vietos bendruomenė džiaugėsi."),
        ("lv", "Kā aģentūra informēja, darbi turpināsies."),
        # "es" is Latvian for "I": the acronym ES is written in capitals.
        ("lv", "Es domāju, ka tas ir labi."),
    ],
)
def test_organizations_not_found_in_titles_and_generic_words(lang, text):
    assert [name for name, _ in organizations(text, lang) if name != "LTV"] == []


def test_organizations_acronym_defined_in_parentheses_stands_for_the_name():
    text = "Valsts kontroles (VK) revīzija beigusies. VK norāda, ka pārkāpumu nav."
    found = [(m.text, m.normalized, m.method) for m in mentions(text, "lv") if m.type == "ORGANIZATION"]
    assert found == [
        ("Valsts kontroles", "Valsts kontrole", "rules"),
        ("VK", "Valsts kontrole", "coreference"),
        ("VK", "Valsts kontrole", "coreference"),
    ]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # A definite adjective agrees with the head and is put in the nominative with it.
        ("lt", "Tyrimą atliko Specialiųjų tyrimų tarnyba.", ("Specialiųjų tyrimų tarnyba", "government")),
        ("lt", "Kalbėjo Specialiosios tyrimų tarnybos vadovas.", ("Specialioji tyrimų tarnyba", "government")),
        # In the nominative too, also at a sentence's start; the a-stem head is also the instrumental.
        ("lt", "Valstybinė mokesčių inspekcija paskelbė duomenis.", ("Valstybinė mokesčių inspekcija", "government")),
        (
            "lt",
            "Labiausiai pasitikėta Priešgaisrine gelbėjimo tarnyba.",
            ("Priešgaisrinė gelbėjimo tarnyba", "government"),
        ),
        ("lv", "Latvijas Nacionālā bibliotēka atvērta.", ("Latvijas Nacionālā bibliotēka", "education")),
        # A municipality's unit.
        (
            "lt",
            "Kalbėjo Vilniaus savivaldybės eismo organizavimo skyriaus vedėjas.",
            ("Vilniaus savivaldybės eismo organizavimo skyrius", "municipality"),
        ),
        # Genitive modifiers stay as written, joined by a conjunction before a lower-case word.
        (
            "lt",
            "Sprendimą priėmė Valstybinės kainų ir energetikos kontrolės komisija.",
            ("Valstybinės kainų ir energetikos kontrolės komisija", "government"),
        ),
        ("lt", "Tai patvirtino Valstybės kontrolė.", ("Valstybės kontrolė", "government")),
        # A quoted name's last word is put in the nominative even when the lemmatizer does not know it.
        ("lv", "To stāstīja „Kursas Laikam”.", ("Kursas Laiks", "media")),
    ],
)
def test_organizations_adjectives_and_quoted_names_in_the_nominative(lang, text, expected):
    assert expected in organizations(text, lang)


def test_organizations_two_names_joined_by_a_conjunction_stay_apart():
    found = [name for name, _ in organizations("Sumenko Lietuvos banko ir Prezidento tarnybos reitingai.", "lt")]
    assert "Lietuvos bankas" in found and "Prezidento tarnyba" in found
    assert not any(" ir " in name for name in found)
