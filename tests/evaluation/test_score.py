import json

import pytest

from nvo_nlp.evaluation import FIELDS, load_gold, score_article
from nvo_nlp.ingest.local import article_from_record
from nvo_nlp.process import analyze

TEXTS = {
    "lt": "Klaipėdos rajono savivaldybės vicemerė Violeta Riaukienė lankėsi Liepojoje. Renginyje dalyvavo 22 svečiai.",
    "lv": "Liepājas domes priekšsēdētājs Gunārs Ansiņš apmeklēja Rīgu. Pasākumā piedalījās 30 dalībnieku.",
}
OFFICIAL = {"lt": ("Violeta Riaukienė", "vice_mayor"), "lv": ("Gunārs Ansiņš", "council_chair")}
PLACE = {"lt": ("Liepoja", "Liepojoje"), "lv": ("Rīga", "Rīgu")}


def scored(tmp_path, lang, **fields):
    record = {"id": "a", "language": lang, "published": None, "text": TEXTS[lang]}
    record.update({field: [] for field in FIELDS})
    record.update(fields)
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    [gold] = load_gold(path)
    analysis = analyze(article_from_record("a", {"text": gold.text, "language": lang}))
    return score_article(gold, analysis)


def statuses(results, field):
    return sorted((r.status, r.gold or r.predicted) for r in results if r.field == field)


@pytest.mark.parametrize("lang", ["lt", "lv"])
def test_score_nominative_name_and_role_match(tmp_path, lang):
    person, role = OFFICIAL[lang]
    results = scored(tmp_path, lang, officials=[{"person": person, "role": role, "evidence": person}])
    assert statuses(results, "officials") == [("tp", f"{person} ({role})")]


@pytest.mark.parametrize("lang", ["lt", "lv"])
def test_score_wrong_form_is_a_miss_and_a_false_positive(tmp_path, lang):
    place, written = PLACE[lang]
    results = scored(tmp_path, lang, places=[{"name": written, "id": None, "evidence": written}])
    found = statuses(results, "places")
    assert ("fn", written) in found
    assert any(status == "fp" and label.startswith(place) for status, label in found)


@pytest.mark.parametrize("lang", ["lt", "lv"])
def test_score_match_needs_the_evidence_sentence(tmp_path, lang):
    place, written = PLACE[lang]
    # Same name, but the evidence points at the other sentence: not a match.
    other_sentence = TEXTS[lang].split(". ")[1].split()[0]
    results = scored(tmp_path, lang, places=[{"name": place, "id": None, "evidence": other_sentence}])
    assert ("fn", place) in statuses(results, "places")
    results = scored(tmp_path, lang, places=[{"name": place, "id": None, "evidence": written}])
    assert ("tp", place) in statuses(results, "places")


def test_score_headcount_and_unmatched_prediction(tmp_path):
    results = scored(
        tmp_path,
        "lt",
        headcounts=[{"count": 22, "count_max": None, "noun": "svečias", "evidence": "22 svečiai"}],
        officials=[],
    )
    assert statuses(results, "headcounts") == [("tp", "22 svečias")]
    assert [r.status for r in results if r.field == "officials"] == ["fp"]
