"""The dev gold sets as a regression guard: extraction may not fall below these F1 floors.

The floors sit a little under the scores measured when they were set (benchmarks/README.md), so a
change that loses matched items shows up here; raise them when extraction improves. Only the two dev
sets are guarded: the held-out test set is scored at the end of a change, never tuned against.
"""

import pytest

from conftest import REPO
from nvo_nlp import evaluate

FLOORS = {
    "dev": {
        "persons": 0.86,
        "officials": 0.88,
        "organizations": 0.68,
        "headcounts": 0.84,
        "dates": 0.90,
        "places": 0.88,
        "quotes": 0.77,
    },
    "dev2": {
        "persons": 0.87,
        "officials": 0.90,
        "organizations": 0.73,
        "headcounts": 0.64,
        "dates": 0.70,
        "places": 0.92,
        "quotes": 0.66,
    },
}


@pytest.fixture(scope="module")
def reports():
    return {name: evaluate(REPO / "tests" / "gold" / f"{name}.jsonl") for name in FLOORS}


@pytest.mark.parametrize(
    ("gold", "field", "floor"),
    [(gold, field, floor) for gold, floors in FLOORS.items() for field, floor in floors.items()],
)
def test_dev_scores_stay_above_their_floor(reports, gold, field, floor):
    score = reports[gold].score(field)
    assert score.f1 >= floor, f"{field}: F1 {score.f1:.3f} < {floor} (P {score.precision:.3f}, R {score.recall:.3f})"
