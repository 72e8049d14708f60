from datetime import UTC, datetime

import pytest

import nvo_nlp.process as process
from nvo_nlp.ingest import Article, article_id_for


def article(text, origin="a.txt", **extra):
    return Article(article_id=article_id_for(url=None, text=text), text=text, origin=origin, **extra)


@pytest.mark.parametrize(
    ("text", "language", "kinds"),
    [
        (
            "Liepājas domes priekšsēdētājs Gunārs Ansiņš atklāja pasākumu, piedalījās 40 dalībnieku.",
            "lv",
            {"PERSON", "ROLE", "HEADCOUNT", "MUNICIPALITY", "ACTIVITY"},
        ),
        (
            "Deputy mayor John Smith opened the festival in Riga with about 200 visitors.",
            "en",
            {"PERSON", "ROLE", "HEADCOUNT", "PLACE", "ACTIVITY"},
        ),
        ("Представители муниципалитета Лиепаи встретились с жителями города.", "ru", set()),
    ],
)
def test_process_analyze_by_language(text, language, kinds):
    analysis = process.analyze(article(text))
    assert analysis.article.language == language
    assert {m.type for m in analysis.mentions} == kinds


def test_process_undetermined_language_falls_back_to_declared_one():
    analysis = process.analyze(article("2025 12 31", language_hint="LT"))
    assert (analysis.article.language, analysis.article.language_confidence) == ("lt", 0.0)
    assert "declared by source" in analysis.article.language_reason


def test_process_publication_date_resolves_relative_dates():
    published = datetime(2025, 10, 8, 9, 0, tzinfo=UTC)
    analysis = process.analyze(article("Praėjusį penktadienį Klaipėdoje vyko susitikimas.", published_at=published))
    [event] = analysis.events
    assert event.date_start.isoformat() == "2025-10-03"


def test_process_batch_keeps_going_when_one_article_fails(monkeypatch):
    real = process.analyze

    def flaky(item):
        if item.origin == "bad.txt":
            raise RuntimeError("boom")
        return real(item)

    monkeypatch.setattr(process, "analyze", flaky)
    result = process.analyze_batch(
        [article("Klaipėdoje vyko susitikimas.", "bad.txt"), article("Liepājā notika sanāksme.")]
    )
    assert [a.article.origin for a in result.analyses] == ["a.txt"]
    assert [(e.origin, e.stage, e.kind, e.reason) for e in result.errors] == [
        ("bad.txt", "analyze", "RuntimeError", "boom")
    ]
