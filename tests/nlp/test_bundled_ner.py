"""The Latvian NER pipeline shipped in the package loads offline and finds people and places."""

import numpy
import pytest
import spacy

from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.extract.spans import mentions_in
from nvo_nlp.nlp import backends
from nvo_nlp.nlp.gate import context_reach, entities_back, name_windows, sentences_doc, settled_tokens
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer
from nvo_nlp.nlp.pipeline import SETTLED_BY, build_pipeline
from nvo_nlp.nlp.segment import set_sentence_starts


@pytest.fixture(scope="module")
def latvian():
    folder = backends.bundled_ner("lv")
    assert folder is not None, "the package ships src/nvo_nlp/data/models/lv_ner"
    return build_pipeline("lv", folder)


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("Jānis Bērziņš strādā Rīgā.", {("Jānis Bērziņš", "PERSON"), ("Rīgā", "GPE")}),
        ("Ilze Kalniņa aizbrauca uz Liepāju.", {("Ilze Kalniņa", "PERSON"), ("Liepāju", "GPE")}),
    ],
)
def test_bundled_ner_finds_people_and_places(latvian, text, entities):
    doc = latvian(text)
    assert entities <= {(e.text, e.label_) for e in doc.ents}


def test_bundled_ner_combined_with_rules_on_the_samples(latvian, lv_sample_texts):
    found_by_model = 0
    for text in lv_sample_texts:
        doc = latvian(text)
        rules = [(m.start, m.end) for m in mentions_in(doc, "nvo_places", "nvo_officials", "nvo_organizations")]
        model = mentions_in(doc, "nvo_entities")
        found_by_model += len(model)
        # Rules are authoritative: nothing the model adds overlaps a rule mention.
        assert not any(s < m.end and m.start < e for m in model for s, e in rules)
        assert all(m.method == "model" and m.type in ("PERSON", "PLACE", "ORGANIZATION", "COMMUNITY") for m in model)
    assert found_by_model > 0


def _model_entities(model, doc, windows) -> list[tuple[int, int, str]]:
    part, index = sentences_doc(doc, windows)
    for _, component in model.pipeline:
        part = component(part)
    return [(e.start_char, e.end_char, e.label_) for e in entities_back(doc, part, index)]


def test_bundled_ner_shares_the_vocab_and_finds_what_the_model_finds_in_the_name_windows(latvian, lv_sample_texts):
    assert latvian.get_pipe("ner").vocab is latvian.vocab  # the model's strings are not copied
    model = spacy.load(backends.bundled_ner("lv"))  # components with a vocab of their own
    common, heads = lookup_lemmatizer("lv").common_words, lexicon("lv").organization_name_heads
    reach = context_reach(model.get_pipe_config(name) for name in model.pipe_names)
    read = in_sentences = in_unsettled_sentences = 0
    for text in lv_sample_texts:
        analyzed = latvian(text)
        settled = settled_tokens(analyzed, SETTLED_BY)
        doc = set_sentence_starts(latvian.make_doc(text))
        windows = name_windows(doc, common, heads, settled, reach)
        read += sum(end - start for start, end in windows)
        in_sentences += sum(end - start for start, end in name_windows(doc, common, heads, settled))
        in_unsettled_sentences += sum(end - start for start, end in name_windows(doc, common, heads))
        part, index = sentences_doc(doc, windows)
        for _, component in model.pipeline:
            part = component(part)
        expected = [(e.start_char, e.end_char, e.label_) for e in entities_back(doc, part, index)]
        assert expected
        assert [(e.start_char, e.end_char, e.label_) for e in analyzed.ents] == expected
    assert read < 0.8 * in_sentences < in_unsettled_sentences


def _vectors(tok2vec, doc, bounds) -> dict[int, numpy.ndarray]:
    part, index = sentences_doc(doc, bounds)
    return dict(zip(index, tok2vec(part).tensor, strict=True))


def test_bundled_ner_vectors_of_name_words_are_those_of_whole_sentences_within_the_reach(lv_sample_texts):
    model = spacy.load(backends.bundled_ner("lv"))
    reach = context_reach(model.get_pipe_config(name) for name in model.pipe_names)
    tok2vec, common, heads = (
        model.get_pipe("tok2vec"),
        lookup_lemmatizer("lv").common_words,
        lexicon("lv").organization_name_heads,
    )
    compared = differ_closer = 0
    for text in lv_sample_texts:
        doc = set_sentence_starts(model.make_doc(text))
        sentences = name_windows(doc, common, heads)
        windows = name_windows(doc, common, heads, reach=reach)
        whole, windowed = _vectors(tok2vec, doc, sentences), _vectors(tok2vec, doc, windows)
        closer = _vectors(tok2vec, doc, name_windows(doc, common, heads, reach=reach - 1))
        # Words whose reach lies inside their window and their sentence: made from the same words either way.
        inside = {i for s, e in windows for i in range(s + reach, e - reach)}
        inner = [i for s, e in sentences for i in range(s + reach, e - reach) if i in inside and i in closer]
        for i in inner:
            assert numpy.allclose(windowed[i], whole[i], atol=1e-5), doc[i].text
        compared += len(inner)
        differ_closer += sum(not numpy.allclose(closer[i], whole[i], atol=1e-5) for i in inner)
    # A reach one shorter changes the vectors of many of them (92 of 225 on the samples).
    assert compared > 100 and differ_closer > compared / 4


def test_bundled_ner_is_the_latvian_default_and_can_be_switched_off():
    assert backends.ner_setting("lv") == "bundled"
    assert backends.ner_model("lv") == backends.bundled_ner("lv")
    assert backends.ner_model("lt") is None  # no open Lithuanian NER data: rules only
    assert backends.configure({"lv": "none"})["lv"] == "none"
    assert backends.ner_model("lv") is None
    backends.configure()
    assert backends.ner_setting("lv") == "bundled"
