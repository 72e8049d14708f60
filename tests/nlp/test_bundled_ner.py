"""The Latvian NER pipeline shipped in the package loads offline and finds people and places."""

import pytest
import spacy

from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.extract.spans import mentions_in
from nvo_nlp.nlp import backends
from nvo_nlp.nlp.gate import entities_back, name_sentences, sentences_doc
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer
from nvo_nlp.nlp.pipeline import build_pipeline
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


def test_bundled_ner_shares_the_vocab_and_finds_what_the_model_finds_in_the_name_sentences(latvian, lv_sample_texts):
    assert latvian.get_pipe("ner").vocab is latvian.vocab  # the model's strings are not copied
    model = spacy.load(backends.bundled_ner("lv"))  # components with a vocab of their own
    common, heads = lookup_lemmatizer("lv").common_words, lexicon("lv").organization_name_heads
    skipped = 0
    for text in lv_sample_texts:
        doc = set_sentence_starts(latvian.make_doc(text))
        chosen = name_sentences(doc, common, heads)
        skipped += len(set(doc.sents)) - len(chosen)
        part, index = sentences_doc(doc, chosen)
        for _, component in model.pipeline:
            part = component(part)
        expected = [(e.start_char, e.end_char, e.label_) for e in entities_back(doc, part, index)]
        assert expected
        assert [(e.start_char, e.end_char, e.label_) for e in latvian(text).ents] == expected
    assert skipped > 0


def test_bundled_ner_is_the_latvian_default_and_can_be_switched_off():
    assert backends.ner_setting("lv") == "bundled"
    assert backends.ner_model("lv") == backends.bundled_ner("lv")
    assert backends.ner_model("lt") is None  # no open Lithuanian NER data: rules only
    assert backends.configure({"lv": "none"})["lv"] == "none"
    assert backends.ner_model("lv") is None
    backends.configure()
    assert backends.ner_setting("lv") == "bundled"
