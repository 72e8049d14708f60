"""The dev gold set as a regression guard: extraction may not fall below these F1 floors.

The floors sit a little under the scores measured when they were set (benchmarks/README.md), so a
change that loses matched items shows up here; raise them when extraction improves.
"""

import pytest

from conftest import REPO
from nvo_nlp import evaluate

FLOORS = {
    "officials": 0.88,
    "organizations": 0.85,
    "headcounts": 0.85,
    "dates": 0.89,
    "places": 0.87,
    "quotes": 0.83,
}


@pytest.fixture(scope="module")
def report():
    return evaluate(REPO / "tests" / "gold" / "dev.jsonl")


@pytest.mark.parametrize(("field", "floor"), FLOORS.items())
def test_dev_scores_stay_above_their_floor(report, field, floor):
    score = report.score(field)
    assert score.f1 >= floor, f"{field}: F1 {score.f1:.3f} < {floor} (P {score.precision:.3f}, R {score.recall:.3f})"
