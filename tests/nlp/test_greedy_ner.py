"""The numpy decoder of spaCy's greedy NER finds exactly the entities of spaCy's own loop."""

import pytest
import spacy
from spacy.tokens import Span

from nvo_nlp.nlp import backends
from nvo_nlp.nlp.greedy_ner import GreedyNer, can_decode
from nvo_nlp.nlp.segment import set_sentence_starts

TEXTS = [
    "Jānis Bērziņš strādā Rīgā. Ilze Kalniņa aizbrauca uz Liepāju.",
    "Liepājas vicemērs Jānis Džeriņš atklāja Dailes teātra izrādi Valmierā",
    "Sveiki!",
    "Latvijas Bankas prezidents runāja ar Eiropas Centrālās bankas pārstāvjiem Frankfurtē.\n\nVakar lija.",
]


@pytest.fixture(scope="module")
def model():
    return spacy.load(backends.bundled_ner("lv"))


def _entities(docs):
    return [[(e.start, e.end, e.label_) for e in doc.ents] for doc in docs]


def _both(model, texts, *, sentences: bool):
    """Entities by spaCy's loop and by the numpy decoder, for the same docs batched together."""
    tok2vec, ner = model.get_pipe("tok2vec"), model.get_pipe("ner")
    runs = []
    for decode in (False, True):
        docs = [model.make_doc(text) for text in texts]
        if sentences:
            docs = [set_sentence_starts(doc) for doc in docs]
        docs = list(tok2vec.pipe(docs))
        if decode:
            GreedyNer(ner).set_entities(docs)
        else:
            ner.set_annotations(docs, ner.predict(docs))
        runs.append(_entities(docs))
    return runs


@pytest.mark.parametrize("sentences", [True, False], ids=["sentence starts", "no sentence starts"])
def test_greedy_ner_finds_the_entities_of_spacys_loop(model, lv_sample_texts, sentences):
    spacys, numpys = _both(model, TEXTS + lv_sample_texts, sentences=sentences)
    assert sum(map(len, spacys)) > 20
    assert numpys == spacys


def test_greedy_ner_ends_an_entity_at_a_sentence_start(model):
    text = "Vakar runāja Jānis Bērziņš\nIlze Kalniņa atbildēja."
    [spacys], [numpys] = _both(model, [text], sentences=True)
    assert numpys == spacys
    doc = set_sentence_starts(model.make_doc(text))
    second = next(s.start for s in doc.sents if s.start > 0)
    assert numpys and not any(start < second < end for start, end, _ in numpys)


def test_greedy_ner_leaves_docs_with_preset_entities_to_spacys_loop(model):
    tok2vec, ner = model.get_pipe("tok2vec"), model.get_pipe("ner")
    doc = model.make_doc(TEXTS[0])
    doc.set_ents([Span(doc, 3, 4, label="ORG")], default="unmodified")  # "Rīgā", preset
    expected = ner(tok2vec(doc.copy()))
    found = GreedyNer(ner).set_entities([tok2vec(doc)])[0]
    assert _entities([found]) == _entities([expected])
    assert ("Rīgā", "ORG") in [(e.text, e.label_) for e in found.ents]


def test_greedy_ner_can_decode_greedy_transition_ner_only(model):
    assert can_decode(model.get_pipe("ner"))
    assert not can_decode(model.get_pipe("tok2vec"))
    assert not can_decode(spacy.blank("lv").add_pipe("beam_ner"))
