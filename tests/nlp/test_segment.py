import pytest

from conftest import analyze_text


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "lt",
            "2025 m. rugsėjo 26 d. Klaipėdos r. sav. vyko susitikimas. Dalyvavo G. Viliūnas.",
            ["2025 m. rugsėjo 26 d. Klaipėdos r. sav. vyko susitikimas.", "Dalyvavo G. Viliūnas."],
        ),
        (
            "lt",
            "„Tokie susitikimai svarbūs. Jie jungia žmones“, – akcentavo vicemerė. Kitas sakinys.",
            ["„Tokie susitikimai svarbūs. Jie jungia žmones“, – akcentavo vicemerė.", "Kitas sakinys."],
        ),
        (
            "lv",
            "2025. gada 26. septembrī notika sanāksme. Piedalījās 30 dalībnieku.",
            ["2025. gada 26. septembrī notika sanāksme.", "Piedalījās 30 dalībnieku."],
        ),
        (
            "en",
            "The meeting took place on 26 September. Dr. Smith spoke\nNew paragraph here",
            ["The meeting took place on 26 September.", "Dr. Smith spoke", "New paragraph here"],
        ),
    ],
)
def test_segment_sentences_respect_abbreviations_quotes_and_paragraphs(lang, text, expected):
    doc = analyze_text(text, lang)
    assert [s.text.strip() for s in doc.sents] == expected
