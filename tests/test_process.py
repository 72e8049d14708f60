from datetime import UTC, datetime

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

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


BATCH = [
    article("Klaipėdos rajone vyko susitikimas, dalyvavo 22 svečiai iš Latvijos.", "lt1.txt"),
    article("Liepājas domes priekšsēdētājs Gunārs Ansiņš atklāja pasākumu.", "lv1.txt"),
    article("Deputy mayor John Smith opened the festival in Riga.", "en1.txt"),
    article("Vicemerė Violeta Riaukienė pasveikino Dauparų bendruomenę.", "lt2.txt"),
    article("Pasākumā Liepājā piedalījās 40 dalībnieku no biedrības „Ceļš“.", "lv2.txt"),
    article("Kretingos rajono savivaldybė kartu su partneriais atidarė centrą.", "lt3.txt"),
    article("Представители муниципалитета Лиепаи встретились с жителями.", "ru1.txt"),
]


def test_process_batch_equals_articles_one_by_one_in_input_order(monkeypatch):
    monkeypatch.setattr(process, "PIPE_BATCH_SIZE", 2)  # several nlp.pipe batches per language
    calls = []
    result = process.analyze_batch(BATCH, on_article=lambda: calls.append(1))
    assert result.analyses == tuple(process.analyze(item) for item in BATCH)
    assert [a.article.language for a in result.analyses] == ["lt", "lv", "en", "lt", "lv", "lt", "ru"]
    assert (result.errors, len(calls)) == ((), len(BATCH))


def test_process_batch_runs_the_models_on_one_blas_thread():
    """One analysis, one core: OpenBLAS's own threads would double the CPU time for no speed."""
    threads = []
    with threadpool_limits(limits=2, user_api="blas"):
        process.analyze_batch(
            BATCH[:2],
            on_article=lambda: threads.extend(
                pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"
            ),
        )
    assert threads and set(threads) == {1}


def test_process_batch_keeps_going_when_one_article_fails(monkeypatch):
    """A component failing inside an nlp.pipe batch costs that article only; so does a failed language step."""
    monkeypatch.setattr(process, "PIPE_BATCH_SIZE", 2)
    dates = process.pipeline_for("lt").get_pipe("nvo_dates")
    real_dates, real_choose = dates.extractor, process.choose_language

    def failing_dates(doc):
        if "Riaukienė" in doc.text:
            raise RuntimeError("boom")
        return real_dates(doc)

    def failing_choose(item, detected):
        if item.origin == "en1.txt":
            raise ValueError("no language")
        return real_choose(item, detected)

    monkeypatch.setattr(dates, "extractor", failing_dates)
    monkeypatch.setattr(process, "choose_language", failing_choose)
    calls = []
    result = process.analyze_batch(BATCH, on_article=lambda: calls.append(1))
    assert [a.article.origin for a in result.analyses] == ["lt1.txt", "lv1.txt", "lv2.txt", "lt3.txt", "ru1.txt"]
    assert [(e.origin, e.stage, e.kind, e.reason) for e in result.errors] == [
        ("en1.txt", "analyze", "ValueError", "no language"),
        ("lt2.txt", "analyze", "RuntimeError", "boom"),
    ]
    assert result.analyses[3] == process.analyze(BATCH[5])  # the article after the failure in its batch
    assert len(calls) == len(BATCH)
