import numpy
import pytest
from thinc.api import NumpyOps, get_ops

from nvo_nlp.nlp.ops import INFERENCE_OPS, InferenceOps, maxout
from nvo_nlp.nlp.pipeline import pipeline_for


@pytest.mark.parametrize("shape", [(1600, 64, 3), (7, 5, 2), (1, 1, 1), (0, 64, 3)])
def test_ops_maxout_equals_thincs(shape):
    pieces = numpy.random.default_rng(0).normal(size=shape).astype("float32")
    expected, _ = NumpyOps(use_blis=False).maxout(pieces)
    found, _ = InferenceOps(use_blis=False).maxout(pieces)
    assert found.dtype == expected.dtype and found.shape == expected.shape
    assert numpy.array_equal(found, expected)
    assert numpy.array_equal(maxout(pieces), pieces.max(axis=-1))


def test_ops_are_known_to_thinc_and_refuse_to_train():
    ops = get_ops(INFERENCE_OPS, use_blis=False)
    assert isinstance(ops, InferenceOps)
    with pytest.raises(NotImplementedError, match="only predict"):
        ops.backprop_maxout(numpy.zeros((2, 3), dtype="float32"), numpy.zeros(0, dtype="int32"), 3)


def test_ops_run_the_latvian_model():
    nlp = pipeline_for("lv")
    assert isinstance(nlp.get_pipe("tok2vec").model.ops, InferenceOps)
