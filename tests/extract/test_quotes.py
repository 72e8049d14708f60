"""Reported speech as quotes with their speakers, on lt/lv examples."""

import pytest

from conftest import extracted as mentions


def quotes(text, lang):
    return [(m.speaker, m.method) for m in mentions(text, lang) if m.type == "QUOTE"]


@pytest.mark.parametrize(
    ("lang", "text", "speaker"),
    [
        ("lt", "Seniūnas Jonas Petraitis sakė, kad darbai baigsis rudenį.", "Jonas Petraitis"),
        ("lt", "Pasak Jono Petraičio, darbai baigsis rudenį.", "Jonas Petraitis"),
        ("lv", "Jānis Bērziņš norāda, ka darbi beigsies rudenī.", "Jānis Bērziņš"),
        ("lv", "Darbi beigsies rudenī, uzsvēra Jānis Bērziņš.", "Jānis Bērziņš"),
        # A pronoun points back to the person named just before.
        ("lv", "Sapulcē runāja Jānis Bērziņš. Viņš norādīja, ka darbi beigsies rudenī.", "Jānis Bērziņš"),
    ],
)
def test_quotes_reported_speech_has_its_speaker(lang, text, speaker):
    assert (speaker, "rules:reported") in quotes(text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # Speaking without content, or content without a named speaker, is no quote.
        ("lt", "Direktorė Dalia Žemonienė kalbėjo."),
        ("lv", "Ziņojumā norādīts, ka darbi beigsies rudenī."),
    ],
)
def test_quotes_reported_speech_needs_content_and_a_speaker(lang, text):
    assert quotes(text, lang) == []


def test_quotes_direct_quotation_is_not_reported_again():
    text = "„Visi darbai baigsis jau šį rudenį“, – sakė seniūnas Jonas Petraitis."
    assert quotes(text, "lt") == [("Jonas Petraitis", "rules")]


@pytest.mark.parametrize(
    ("lang", "text", "speaker", "starts"),
    [
        # Speech set off by dashes, closed by ", – verb speaker".
        (
            "lv",
            "Takas atklāšanu skatīja daudzi. – Mēs speciāli šo taku atklājām īsi pirms mācību gada, – teica Gunta Preimane.",
            "Gunta Preimane",
            "Mēs speciāli",
        ),
        (
            "lt",
            "— Vienintelė galimybė sumažinti mokestį yra sumažinti srautą, — sakė Jonas Petraitis.",
            "Jonas Petraitis",
            "Vienintelė galimybė",
        ),
    ],
)
def test_quotes_speech_set_off_by_dashes(lang, text, speaker, starts):
    [quote] = [m for m in mentions(text, lang) if m.type == "QUOTE"]
    assert (quote.speaker, quote.method) == (speaker, "rules:dash")
    assert quote.text.startswith(starts) and text[quote.start : quote.end] == quote.text


def test_quotes_interview_answer_after_the_name_and_a_colon():
    text = (
        "Ar poligona vadītāju Jāni Bērziņu runājām par atkritumiem. Ko jūs darāt poligonā?\n"
        "Jānis Bērziņš: Gada laikā poligonā tiek ievesti apmēram 27000 tonnu atkritumu.\n"
        "Kas notiks tālāk?"
    )
    [quote] = [m for m in mentions(text, "lv") if m.type == "QUOTE"]
    assert (quote.speaker, quote.method) == ("Jānis Bērziņš", "rules:interview")
    assert quote.text.startswith("Gada laikā") and quote.text.endswith("atkritumu.")


@pytest.mark.parametrize(
    ("lang", "text", "speaker"),
    [
        (
            "lt",
            "Susirinkime kalbėjo daug žmonių. „Mes norime, kad kelias būtų sutvarkytas iki rudens.“ "
            "Taip sakė seniūnas Jonas Petraitis.",
            "Jonas Petraitis",
        ),
        (
            "lv",
            "Sapulcē runāja daudzi. „Mēs gribam, lai ceļš būtu salabots līdz rudenim.” Tā teica Jānis Bērziņš.",
            "Jānis Bērziņš",
        ),
    ],
)
def test_quotes_speaker_named_in_the_next_sentence(lang, text, speaker):
    assert (speaker, "rules") in quotes(text, lang)


def test_quotes_dash_interview_lines_that_ask_nothing_are_the_answers():
    text = (
        "Seimo narys Dailis Barakauskas siūlo skelbti moratoriumą.\n"
        "- Kas paskatino rengti šį projektą?\n"
        "- Paplitus GMO, Lietuvoje būtų sužlugdytas ekologinis žemės ūkis.\n"
        "Tai didelė rizika visai šaliai.\n"
        "- Ką darys kitos valstybės?\n"
        "- Kitos valstybės laikosi atsargios pozicijos šiuo klausimu."
    )
    found = [(m.speaker, m.method, m.text[:20]) for m in mentions(text, "lt") if m.type == "QUOTE"]
    assert found == [
        ("Dailis Barakauskas", "rules:interview", "Paplitus GMO, Lietuv"),
        ("Dailis Barakauskas", "rules:interview", "Kitos valstybės laik"),
    ]
    # The answer runs to the next dash line.
    assert "Tai didelė rizika" in next(m.text for m in mentions(text, "lt") if m.type == "QUOTE")


def test_quotes_role_word_points_to_the_official_named_before():
    text = (
        "Bendrovės direktorius Arūnas Tamauskas atidarė sandėlį. "
        "Direktoriaus nuomone, krovinių srautas per Lietuvą vis dar didelis."
    )
    assert ("Arūnas Tamauskas", "rules:reported") in quotes(text, "lt")


@pytest.mark.parametrize("text", ["Tekstas, – ", "„Labas“, – , — ", "- ?\n- ", "Jonas Petraitis:"])
def test_quotes_truncated_attribution_is_no_quote_and_no_error(text):
    assert quotes(text, "lt") == []
