import time

import pytest
import spacy

from nvo_nlp.nlp.pipeline import MAX_RUN, BoundedTokenizer, pipeline_for

EXAMPLES = {
    "lt": "Klaipėdos rajono vicemerė Violeta Riaukienė (nuotr.) sakė: „Sveiki!“ Žr. www.krs.lt/naujienos?id=12.",
    "lv": "Liepājas vicemērs Jānis Džeriņš (foto) teica: „Labdien!“ Sk. https://www.liepaja.lv/jaunumi/12.",
    "en": 'Deputy mayor Violeta Riaukienė (photo) said: "Welcome!" See https://example.org/news?id=12.',
}


def _seconds(function, *arguments) -> float:
    started = time.perf_counter()
    function(*arguments)
    return time.perf_counter() - started


@pytest.mark.parametrize("lang", EXAMPLES)
def test_pipeline_tokenizer_tokenizes_real_text_as_spacy_does(lang):
    plain = spacy.blank(lang).tokenizer
    bounded = BoundedTokenizer(plain)
    text = EXAMPLES[lang]
    assert [token.text for token in bounded(text)] == [token.text for token in plain(text)]


@pytest.mark.parametrize("lang", EXAMPLES)
@pytest.mark.parametrize("run", ['"', "(", "A1"])
def test_pipeline_tokenizer_long_runs_keep_the_text_and_take_linear_time(lang, run):
    nlp = pipeline_for(lang, ner=False)
    text = f"{EXAMPLES[lang]} {run * 10_001} {EXAMPLES[lang]}"  # not a multiple of MAX_RUN
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert max(len(token) for token in doc) <= MAX_RUN
    # spaCy alone takes time quadratic in a run of quotes or brackets (1,000 -> 4,000: 14x); the
    # bounded tokenizer stays linear: 100x the characters well under 100^2 = 10,000x the time.
    short = min(_seconds(nlp.make_doc, run * 1_000) for _ in range(3))
    ratio = _seconds(nlp.make_doc, run * 100_000) / short
    assert ratio < 1_000
