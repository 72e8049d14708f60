import json
import time

import numpy
import pytest
import spacy
from spacy.tokenizer import Tokenizer
from threadpoolctl import threadpool_info, threadpool_limits

from conftest import LT_SAMPLE, SAMPLES
from nvo_nlp.nlp import pipeline
from nvo_nlp.nlp.pipeline import MAX_RUN, BoundedTokenizer, one_blas_thread, pipeline_for

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
def test_pipeline_tokenizer_tokenizes_a_chunk_once_even_after_a_special_case(lang):
    """spaCy keeps no chunk of a text that follows a special case (here the line break): the chunks are
    tokenized on their own first, so that a text seen before needs no affix search at all."""
    tokenizer = spacy.blank(lang).tokenizer
    searched = []
    search = tokenizer.prefix_search
    tokenizer.prefix_search = lambda chunk: searched.append(chunk) or search(chunk)
    bounded = BoundedTokenizer(tokenizer)
    text = f"\n{EXAMPLES[lang]}"
    first = [(token.text, token.whitespace_) for token in bounded(text)]
    searched.clear()
    again = [(token.text, token.whitespace_) for token in bounded(text)]
    assert searched == []
    assert first == again == [(token.text, token.whitespace_) for token in spacy.blank(lang).tokenizer(text)]


def _sample_texts() -> dict[str, list[str]]:
    lines = (SAMPLES / "lv_regional.jsonl").read_text(encoding="utf-8").splitlines()
    return {
        "lt": [LT_SAMPLE.read_text(encoding="utf-8")],
        "lv": [json.loads(line)["text"] for line in lines if line.strip()],
        "en": [EXAMPLES["en"]],
    }


@pytest.mark.parametrize("lang", EXAMPLES)
def test_pipeline_tokenizer_gives_the_docs_of_the_same_spacy_tokenizer_without_the_cache(lang):
    """The pipeline's tokenizer, its cache filled chunk by chunk, against a copy of its spaCy tokenizer
    (same special cases, abbreviations included) as spaCy sets it up, on the bundled samples."""
    nlp = pipeline_for(lang, ner=False)
    own = nlp.tokenizer.tokenizer
    plain = Tokenizer(nlp.vocab).from_bytes(own.to_bytes())
    texts = _sample_texts()[lang]
    for text in texts + texts:  # the second time, from the cache
        ours, spacys = nlp.make_doc(text), plain(text)
        assert [(t.text, t.whitespace_, t.norm_) for t in ours] == [(t.text, t.whitespace_, t.norm_) for t in spacys]


@pytest.mark.parametrize("lang", EXAMPLES)
def test_pipeline_tokenizer_replaces_the_affix_searches_after_enough_chunks(lang, monkeypatch):
    """Past QUICK_AFFIXES_AFTER distinct chunks spaCy's affix searches give way to ones that skip words
    they cannot match; that empties spaCy's cache, and the docs stay spaCy's, before and after."""
    monkeypatch.setattr(pipeline, "QUICK_AFFIXES_AFTER", 5)
    tokenizer = spacy.blank(lang).tokenizer
    bounded = BoundedTokenizer(tokenizer)
    texts = _sample_texts()[lang] + [EXAMPLES[lang]]
    plain = spacy.blank(lang).tokenizer
    assert type(tokenizer.suffix_search.__self__).__name__ == "Pattern"
    for text in texts + texts:
        assert [(t.text, t.whitespace_) for t in bounded(text)] == [(t.text, t.whitespace_) for t in plain(text)]
    assert type(tokenizer.suffix_search.__self__).__name__ == "_QuickSuffix"
    short = BoundedTokenizer(spacy.blank(lang).tokenizer)
    short("Sveiki, 5km.")
    assert type(short.tokenizer.suffix_search.__self__).__name__ == "Pattern"  # a short run keeps spaCy's


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
    # Fastest of three each: one pause of the machine must not read as quadratic time.
    short = min(_seconds(nlp.make_doc, run * 1_000) for _ in range(3))
    ratio = min(_seconds(nlp.make_doc, run * 100_000) for _ in range(3)) / short
    assert ratio < 1_000


def test_pipeline_model_layers_multiply_with_numpys_blas():
    """BLIS picks its kernel by CPU model and falls back to a slow generic one on CPUs newer than its build."""
    tok2vec = pipeline_for("lv").get_pipe("tok2vec").model
    layers = list(tok2vec.walk())
    assert len(layers) > 10
    assert all(layer.ops.use_blis is False for layer in layers)


def _blas_threads() -> set[int]:
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_pipeline_one_blas_thread_holds_numpys_blas_to_one_thread_for_the_block():
    numpy.ones((2, 2)) @ numpy.ones((2, 2))  # BLAS loaded
    with threadpool_limits(limits=2, user_api="blas"):  # as on a machine of two cores or more
        with one_blas_thread():
            assert _blas_threads() == {1}
        assert _blas_threads() == {2}
