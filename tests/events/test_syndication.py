"""Near-duplicate articles (MinHash) and the events syndicated copies share."""

from datetime import UTC, datetime

import pytest

from conftest import LT_SAMPLE, SAMPLES
from nvo_nlp.events.syndication import COPY_SIMILARITY, duplicate_groups, event_groups, minhash, similarity

LT = LT_SAMPLE.read_text(encoding="utf-8").strip()
LV = (SAMPLES / "lv_regional.jsonl").read_text(encoding="utf-8").splitlines()[0]
EN = (
    "Volunteers from three neighbouring villages cleaned the river banks on Saturday. The community "
    "association said 40 residents took part and collected two tonnes of rubbish."
)


def new_lead(text: str) -> str:  # how outlets re-edit a press release
    paragraphs = text.split("\n")
    return "\n".join(["Redakcijos pastaba: tekstas parengtas pagal savivaldybės pranešimą.", *paragraphs[:-1]])


def day(number: int) -> datetime:
    return datetime(2025, 9, number, tzinfo=UTC)


@pytest.mark.parametrize(
    ("original", "copy"),
    [(LT, new_lead(LT)), (LT, LT.replace("svečiai", "svečių")), (LV, LV.replace(".", ";", 2)), (EN, EN.upper())],
)
def test_syndication_edited_copies_are_similar(original, copy):
    assert similarity(minhash(original), minhash(copy)) >= COPY_SIMILARITY


@pytest.mark.parametrize(("first", "second"), [(LT, LV), (LT, EN), (LV, EN), (LT, LT[: len(LT) // 3])])
def test_syndication_different_texts_are_not_similar(first, second):
    assert similarity(minhash(first), minhash(second)) < COPY_SIMILARITY


def test_syndication_signatures_are_stable_across_processes():
    # Stored signatures are compared with new ones, so they must not depend on the process (str hash seeds).
    assert minhash("Klaipėdos rajone vyko susitikimas su svečiais iš Latvijos")[:4].tolist() == [
        int(v) for v in minhash("klaipėdos RAJONE vyko susitikimas, su svečiais iš Latvijos!")[:4]
    ]
    assert minhash("").shape == minhash(LT).shape


def test_syndication_groups_are_named_after_the_first_published_copy():
    signatures = {"b": minhash(new_lead(LT)), "a": minhash(LT), "c": minhash(LT), "lv": minhash(LV), "x": minhash(EN)}
    published = {"a": day(28), "b": day(26), "c": None, "lv": day(1), "x": day(2)}
    groups = duplicate_groups(signatures, published)
    assert groups == {"a": "b", "b": "b", "c": "b", "lv": "lv", "x": "x"}


def event(event_id, article_id, title="susitikimas", date_iso="2025-09-20", evidence="Vyko susitikimas su svečiais"):
    return {
        "event_id": event_id,
        "article_id": article_id,
        "event_type": "meeting",
        "title": title,
        "date_iso": date_iso,
        "evidence_text": evidence,
    }


def test_syndication_an_event_reported_by_three_copies_is_one_event_with_three_sources():
    groups = {"a": "a", "b": "a", "c": "a", "z": "z"}
    published = {"a": day(1), "b": day(2), "c": day(3), "z": day(1)}
    events = [
        event("c1", "c", title="Patirties mainų diena"),  # another title, the same wording
        event("a1", "a"),
        event("b1", "b", evidence="Gargžduose šeštadienį buvo surengtas susitikimas"),  # the same title
        event("a2", "a", title="talka", date_iso="2025-09-21", evidence="Vyko talka"),
        event("c2", "c", title="koncertas", evidence="Vakare skambėjo koncertas"),
        event("z1", "z"),  # the same words in an article that is no copy: its own event
    ]
    found = event_groups(events, groups, published)
    for event_id in ("a1", "b1", "c1"):
        assert found[event_id] == ("a1", ("a", "b", "c"))
    assert found["a2"] == ("a2", ("a",)) and found["c2"] == ("c2", ("c",))
    assert found["z1"] == ("z1", ("z",))
    # Different dates are different events, even with the same wording.
    assert event_groups([event("a1", "a"), event("b1", "b", date_iso="2025-10-01")], groups, published)["b1"][0] == "b1"
