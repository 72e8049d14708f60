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
