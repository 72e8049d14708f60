"""A tok2vec whose token embeddings are kept gives the model's own vectors, computing each token once."""

import json

import numpy
import pytest

from conftest import SAMPLES
from nvo_nlp.nlp import embeddings
from nvo_nlp.nlp.embeddings import KeptEmbeddingsTok2Vec, can_keep_embeddings
from nvo_nlp.nlp.pipeline import pipeline_for

SAMPLE_LINES = (SAMPLES / "lv_regional.jsonl").read_text(encoding="utf-8").splitlines()
TEXTS = [
    "Ogres novada dome un biedrība „Zaļā josta“ rīkoja talku, kurā piedalījās 40 brīvprātīgo.",
    "Liepājas vicemērs Jānis Džeriņš atklāja izstādi.",
    "Sveiki!",
    *(json.loads(line)["text"] for line in SAMPLE_LINES),
]


@pytest.fixture(scope="module")
def model():
    """The Latvian pipeline, whose tok2vec and ner are those of the bundled model."""
    return pipeline_for("lv")


def _docs(model, texts):
    return [model.make_doc(text) for text in texts]


def test_embeddings_kept_give_the_models_own_tensors(model):
    tok2vec = model.get_pipe("tok2vec")
    assert can_keep_embeddings(tok2vec)
    kept = KeptEmbeddingsTok2Vec(tok2vec)
    # The second time every token comes from the store; the third time one is new: computed alone, it
    # would be one row of the matrix product, which BLAS sums in another order than a batch's rows.
    for texts in (TEXTS, TEXTS, [*TEXTS[3:], "Sveiki, Zaķumuiža!"]):
        docs = _docs(model, texts)
        expected = tok2vec.predict(docs)
        kept.set_tensors(docs)
        assert all(numpy.array_equal(doc.tensor, tensor) for doc, tensor in zip(docs, expected, strict=True))


def test_embeddings_kept_compute_each_distinct_token_once(model):
    kept = KeptEmbeddingsTok2Vec(model.get_pipe("tok2vec"))
    computed = []
    hashes = kept._hashes
    kept._hashes = type(
        "Counting", (), {"predict": lambda self, rows: computed.append(len(rows)) or hashes.predict(rows)}
    )()
    kept.embeddings(_docs(model, TEXTS))
    assert computed  # the first time, the new tokens (padded to at least MIN_ROWS)
    computed.clear()
    kept.embeddings(_docs(model, TEXTS))
    kept.embeddings(_docs(model, TEXTS[:2]))
    assert computed == []
    kept.embeddings(_docs(model, ["Sveiki, Zaķumuiža!"]))  # one new token, read as a batch's rows are
    assert computed == [embeddings.MIN_ROWS]
    assert embeddings.MIN_ROWS > 6  # OpenBLAS sums 1-6 rows in another order than a batch's (measured)


def test_embeddings_kept_stay_right_when_the_store_starts_over(model, monkeypatch):
    monkeypatch.setattr(embeddings, "KEPT_TOKENS", 40)  # fewer than the distinct tokens of TEXTS
    tok2vec = model.get_pipe("tok2vec")
    kept = KeptEmbeddingsTok2Vec(tok2vec)
    for texts in (TEXTS[:2], TEXTS, TEXTS[:1], TEXTS[2:]):
        docs = _docs(model, texts)
        expected = tok2vec.predict(docs)
        kept.set_tensors(docs)
        assert all(numpy.array_equal(doc.tensor, tensor) for doc, tensor in zip(docs, expected, strict=True))


def test_embeddings_are_kept_only_for_a_tok2vec_of_hash_embeddings(model):
    assert not can_keep_embeddings(model.get_pipe("ner"))
    assert not can_keep_embeddings(object())
