"""A spaCy tok2vec whose first stage, the token embeddings, runs once per distinct token.

The embed stage of ``spacy.Tok2Vec.v2`` with ``spacy.MultiHashEmbed.v2`` maps every token to a vector
from four of its attributes alone (NORM, PREFIX, SUFFIX, SHAPE), with no context: hash embeddings, a
maxout and a layer norm. News repeats its words, so most tokens of a batch have been embedded before;
their vectors are kept, keyed by those attributes, and only the new ones are computed. The encoder,
which reads each token's neighbours, runs on every token as before. The embed stage took about two fifths
of the tok2vec's time (``benchmarks/README.md``, where the analysis time goes).

The vectors are the model's own, bit for bit, when the model reads batches of at least a handful of
tokens: numpy's BLAS multiplies fewer rows than that with other kernels, whose sums differ in the last
bits, so new tokens are embedded at least :data:`MIN_ROWS` rows at a time.
"""

from __future__ import annotations

import threading

import numpy
from spacy.pipeline import Tok2Vec
from spacy.tokens import Doc

#: Distinct tokens whose vectors are kept (64 floats each for the Latvian model: 16 MB); when full, the
#: store starts over.
KEPT_TOKENS = 2**16
#: Fewest rows the embed stage's matrix product is given (BLAS kernels for 1-6 rows round differently).
MIN_ROWS = 32
_EMBED_LAYERS = ("extract_features", "list2ragged", "with_array", "with_array", "ragged2list")


def can_keep_embeddings(component: object) -> bool:
    """Whether ``component`` is a spaCy tok2vec of ``spacy.Tok2Vec.v2`` with ``spacy.MultiHashEmbed.v2``."""
    if not isinstance(component, Tok2Vec) or len(component.model.layers) != 2:
        return False
    embed = component.model.layers[0]
    names = tuple(layer.name.split("(")[0] for layer in embed.layers)
    if names != _EMBED_LAYERS:
        return False
    hashes, mix = embed.layers[2].layers[0], embed.layers[3].layers[0]
    return all(layer.name == "ints-getitem>>hashembed" for layer in hashes.layers) and mix.name.startswith(
        "maxout>>layernorm"
    )


class KeptEmbeddingsTok2Vec:
    """Runs a tok2vec component (see :func:`can_keep_embeddings`) on docs, as its ``pipe`` would."""

    def __init__(self, component: Tok2Vec) -> None:
        self.component = component
        embed, self._encoder = component.model.layers
        self._features = embed.layers[0]
        self._hashes, self._mix = embed.layers[2].layers[0], embed.layers[3].layers[0]
        self._rows: dict[bytes, int] = {}
        self._vectors = numpy.empty((0, 0), dtype="float32")
        self._lock = threading.Lock()

    def set_tensors(self, docs: list[Doc]) -> list[Doc]:
        """Set each doc's tensor and pass the vectors to the components that listen, as ``pipe`` does."""
        if any(len(doc) for doc in docs):
            tokvecs = self._encoder.predict(self.embeddings(docs))
        else:
            tokvecs = self.component.predict(docs)
        self.component.set_annotations(docs, tokvecs)
        return docs

    def embeddings(self, docs: list[Doc]) -> list[numpy.ndarray]:
        """The embed stage's output for ``docs``: one array of token vectors per doc."""
        features = self._features.predict(docs)
        table = numpy.ascontiguousarray(numpy.concatenate(features))
        keys, first, inverse = numpy.unique(
            table.view(f"V{table.shape[1] * table.itemsize}").ravel(), return_index=True, return_inverse=True
        )
        if len(keys) > KEPT_TOKENS:  # a batch of more distinct tokens than are kept: nothing to keep
            vectors = self._mix.predict(self._hashes.predict(table))
        else:
            with self._lock:
                rows = self._rows_of(keys.tolist(), table[first])
                vectors = self._vectors[rows[inverse.ravel()]]
        return numpy.split(vectors, numpy.cumsum([len(part) for part in features])[:-1])

    def _rows_of(self, keys: list[bytes], table: numpy.ndarray) -> numpy.ndarray:
        """Rows of the kept vectors for the distinct tokens ``keys`` (features ``table``), new ones added."""
        if len(self._rows) + len(keys) > KEPT_TOKENS:
            self._rows.clear()
        found = numpy.array([self._rows.get(key, -1) for key in keys], dtype=numpy.int64)
        new = numpy.flatnonzero(found < 0)
        if len(new):
            read = table[new]
            if len(read) < MIN_ROWS:
                read = numpy.concatenate([read, numpy.repeat(read[:1], MIN_ROWS - len(read), axis=0)])
            vectors = self._mix.predict(self._hashes.predict(read))[: len(new)]
            start = len(self._rows)
            if len(self._vectors) != KEPT_TOKENS:  # allocated once, on first use
                self._vectors = numpy.empty((KEPT_TOKENS, vectors.shape[1]), dtype=vectors.dtype)
            self._vectors[start : start + len(new)] = vectors
            for offset, index in enumerate(new.tolist()):
                self._rows[keys[index]] = start + offset
            found[new] = numpy.arange(start, start + len(new))
        return found
