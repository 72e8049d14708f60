import pytest

from nvo_nlp.errors import ConfigError
from nvo_nlp.langid import UNDETERMINED, LanguageDetector, detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Klaipėdos rajono savivaldybė kartu su Liepojos miesto savivaldybe įgyvendina bendrą projektą.", "lt"),
        ("Liepājas domes priekšsēdētājs tikās ar biedrību pārstāvjiem un pašvaldības darbiniekiem.", "lv"),
        ("The municipality of Klaipėda district hosted guests from Liepāja last September.", "en"),
        ("Представители муниципалитета встретились с жителями города.", "ru"),
    ],
)
def test_detect_language_of_full_sentences(text, language):
    result = detect_language(text)
    assert result.language == language
    assert result.confidence > 0.5
    assert result.reason is None


@pytest.mark.parametrize("text", ["", "   ", "2025 12 31", "22 – 30 %", "a"])
def test_detect_empty_or_digit_only_text_is_undetermined(text):
    result = detect_language(text)
    assert result.language == UNDETERMINED
    assert result.confidence == 0.0
    assert result.reason == "too few letters"


def test_detect_is_deterministic_across_runs():
    text = "Liepojos miesto vicemeras Jānis Džeriņš pabrėžė, kad tokie mainai – tai ne tik naujos žinios."
    assert len({detect_language(text) for _ in range(5)}) == 1
    assert detect_language(text).language == "lt"


def test_detect_rejects_unknown_candidate_codes():
    with pytest.raises(ConfigError, match="unknown ISO 639-1"):
        LanguageDetector(["lt", "xq"])
