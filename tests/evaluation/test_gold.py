import json

import pytest

from conftest import REPO
from nvo_nlp.errors import MalformedInputError
from nvo_nlp.evaluation import FIELDS, load_gold

GOLD = REPO / "tests" / "gold" / "dev.jsonl"


def record(**changes):
    base = {"id": "a", "language": "lt", "published": "2025-09-26", "text": "Renginys vyko Klaipėdoje."}
    base.update({field: [] for field in FIELDS})
    base.update(changes)
    return json.dumps(base, ensure_ascii=False)


def test_gold_dev_set_loads_with_both_languages_and_the_sample():
    articles = load_gold(GOLD)
    assert len(articles) >= 31
    assert {a.language for a in articles} == {"lt", "lv"}
    assert "lt-sample-ngo-capacity" in {a.id for a in articles}
    for article in articles:
        assert article.license and article.attribution and article.source
        for item in article.items:
            assert item.evidence in article.text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not JSON"),
        (record(places=[{"name": "Klaipėda", "evidence": "Kaune"}]), "'Kaune' is not in the text"),
        (record(places=[{"evidence": "Klaipėdoje"}]), "lacks name"),
        (record(text=""), "non-empty string"),
    ],
)
def test_gold_malformed_line_is_named(tmp_path, line, message):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(record() + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(MalformedInputError, match=message) as error:
        load_gold(gold)
    assert f"{gold}:2" in str(error.value)


def test_gold_repeated_ids_are_refused(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(record() + "\n" + record() + "\n", encoding="utf-8")
    with pytest.raises(MalformedInputError, match="ids repeat"):
        load_gold(gold)
