"""thinc ops for running the models, not training them: numpy's, with a faster maxout.

thinc's ``NumpyOps.maxout`` finds the best piece of every output with a scalar loop and records which
piece won, for training. Run by the Latvian NER's tok2vec (four maxout layers of three pieces), it took
about as long as the layers' matrix products: an elementwise ``numpy.maximum`` of the pieces gives the
same values four times faster (``benchmarks/README.md``, where the analysis time goes).
"""

from __future__ import annotations

import numpy
from thinc.api import NumpyOps, registry

#: The name :func:`thinc.api.use_ops` knows these ops by.
INFERENCE_OPS = "nvo_inference"


def maxout(pieces: numpy.ndarray) -> numpy.ndarray:
    """The largest of the last axis's pieces: ``pieces.max(axis=-1)``, as an elementwise maximum per piece,
    which numpy does several times faster than a reduction over a short last axis."""
    best = pieces[..., 0].copy()
    for piece in range(1, pieces.shape[-1]):
        numpy.maximum(best, pieces[..., piece], out=best)
    return best


@registry.ops("NvoInferenceOps")
class InferenceOps(NumpyOps):
    """``NumpyOps`` whose maxout keeps the best value only: models using it predict but cannot learn."""

    name = INFERENCE_OPS

    def maxout(self, X):  # noqa: N803 (thinc's signature)
        return maxout(X), numpy.empty(0, dtype="int32")

    def backprop_maxout(self, dY, which, P):  # noqa: N803 (thinc's signature)
        raise NotImplementedError(
            f"{INFERENCE_OPS} ops only predict: train the model with thinc's own ops (thinc.api.use_ops)"
        )
