"""write_run over real analyses: syndicated copies become one duplicate group, their events one event."""

import json
from datetime import UTC, datetime

import pandas as pd
import pytest

import nvo_nlp
from conftest import LT_SAMPLE, SAMPLES
from nvo_nlp.ingest.articles import Article
from nvo_nlp.process import analyze
from nvo_nlp.store import write_run
from nvo_nlp.store.tables import BatchTables, batch_tables

LT = LT_SAMPLE.read_text(encoding="utf-8").strip()
LV = json.loads((SAMPLES / "lv_regional.jsonl").read_text(encoding="utf-8").splitlines()[0])["text"]


def article(article_id: str, text: str, day: int, lang: str = "lt", month: int = 10):
    return analyze(
        Article(
            article_id=article_id,
            text=text,
            origin=f"https://news.example/{article_id}",
            language_hint=lang,
            published_at=datetime(2015, month, day, 9, tzinfo=UTC),
        )
    )


@pytest.fixture(scope="module")
def copies():
    """The bundled press release as three outlets printed it, and an unrelated Latvian article."""
    paragraphs = LT.split("\n")
    return {
        "portal": article("portal", LT, 12),
        "weekly": article("weekly", "Bendruomenių žinios.\n" + "\n".join(paragraphs[:-1]), 14),
        "daily": article("daily", LT.replace("svečiai", "svečių"), 13),
        "other": article("other", LV, 13, "lv"),
    }


def test_tables_copies_arriving_in_later_runs_join_one_group(tmp_path, copies):
    output = tmp_path / "out"
    write_run(output, [copies["weekly"], copies["other"]], [], [])
    write_run(output, [copies["daily"], copies["portal"]], [], [])  # the original arrives last
    articles = nvo_nlp.load("articles", output).set_index("article_id")
    # Named after the first published copy, including the article written by the earlier run.
    assert articles.duplicate_group.to_dict() == {
        "daily": "portal",
        "portal": "portal",
        "weekly": "portal",
        "other": "other",
    }
    events = nvo_nlp.load("events", output)
    copied = events[events.article_id != "other"]
    assert copied.event_group.nunique() == (events.article_id == "portal").sum()  # one event per real event
    main = copied[copied.event_group == copied[copied.article_id == "portal"].event_id.iloc[0]]
    assert sorted(main.article_id) == ["daily", "portal", "weekly"]
    for sources in main.source_article_ids:
        assert list(sources) == ["portal", "daily", "weekly"]  # first published first
    other = events[events.article_id == "other"]
    assert (other.event_group == other.event_id).all()
    assert [list(s) for s in other.source_article_ids] == [["other"]] * len(other)


def test_tables_rewriting_a_run_changes_no_row_and_no_file(tmp_path, copies):
    output = tmp_path / "out"
    write_run(output, list(copies.values()), [], [])
    tables = ("articles", "events", "mentions", "signatures")
    before = {t: nvo_nlp.load(t, output) for t in tables}
    files = {p: p.stat().st_mtime_ns for p in output.rglob("*.parquet")}
    write_run(output, [copies["weekly"]], [], [])
    for table in tables:
        pd.testing.assert_frame_equal(nvo_nlp.load(table, output), before[table])
    # Files whose rows stay the same are not rewritten: scheduled re-runs touch nothing.
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*.parquet")} == files


def test_tables_a_batch_reads_whole_only_the_files_it_changes(tmp_path, copies, monkeypatch):
    output = tmp_path / "out"
    write_run(output, [copies["weekly"], copies["other"]], [], [])
    reads = []
    original = nvo_nlp.store.parquet._read_file

    def spy(path, directory, spec, columns=None):
        reads.append((path.relative_to(output), columns))
        return original(path, directory, spec, columns)

    monkeypatch.setattr(nvo_nlp.store.parquet, "_read_file", spy)
    write_run(output, [article("november", LV, 2, "lv", month=11)], [], [])
    untouched = [(path, columns) for path, columns in reads if "language=lt" in path.parts]
    # The Lithuanian partitions were only probed (which rows stay, their groups), never read whole.
    assert untouched and all(columns is not None and "text" not in columns for _, columns in untouched)
    assert sorted(nvo_nlp.load("articles", output).article_id) == ["november", "other", "weekly"]
    # The copy joins the earlier article's events: their files were read whole and rewritten.
    events = nvo_nlp.load("events", output)
    assert ["other", "november"] in [list(s) for s in events[events.article_id == "other"].source_article_ids]


def test_tables_a_batch_rewrites_only_the_signatures_of_its_months(tmp_path, copies):
    """Every article has a signature, so a backfill writing them all to one file rewrote it whole with
    every batch; in partitions, a batch rewrites those of the months it brings."""
    output = tmp_path / "out"
    write_run(output, [copies["weekly"], copies["other"]], [], [])
    before = {path: path.stat().st_ino for path in (output / "signatures").rglob("*.parquet")}
    assert len(before) == 2
    write_run(output, [article("november", LV, 2, "lv", month=11)], [], [])
    after = {path: path.stat().st_ino for path in (output / "signatures").rglob("*.parquet")}
    assert {path: after[path] for path in before} == before  # neither earlier month rewritten
    (new,) = set(after) - set(before)
    assert new.parent.relative_to(output / "signatures").as_posix() == "language=lv/year=2015/month=11"
    assert sorted(nvo_nlp.load("signatures", output).article_id) == ["november", "other", "weekly"]


def test_tables_entities_do_not_depend_on_the_order_of_articles(tmp_path):
    lt = article("lt", "Klaipėdos rajone vyko susitikimas su bendruomenėmis.", 12)
    lv = article("lv", "Klaipēdas rajonā notika tikšanās ar kopienām.", 13, "lv")
    write_run(tmp_path / "one", [lt], [], [])
    write_run(tmp_path / "one", [lv], [], [])
    write_run(tmp_path / "other", [lv], [], [])
    write_run(tmp_path / "other", [lt], [], [])
    first, second = (nvo_nlp.load("entities", tmp_path / name) for name in ("one", "other"))
    assert "LT-21" in set(first.entity_id)
    pd.testing.assert_frame_equal(first, second)


def test_tables_batches_built_apart_then_joined_equal_one_batch(copies):
    """A Dask run builds each batch's rows on a worker and joins finished batches before writing: the
    rows are those of the batches analyzed together (an entity named in both keeps one row)."""
    english = article("en", "Deputy Mayor Violeta Riaukienė welcomed guests in Klaipėda District.", 15, "en")
    first, second = [copies["portal"], copies["other"]], [copies["daily"], english]
    joined = BatchTables.concat([batch_tables(first), batch_tables(second)])
    together = batch_tables(first + second)
    assert {"lt", "lv", "en"} <= set(together.articles["language"].to_pylist())
    for name in ("articles", "mentions", "events", "language_spans", "signatures"):
        assert getattr(joined, name).equals(getattr(together, name)), name
    assert joined.entities.sort_by("entity_id").equals(together.entities.sort_by("entity_id"))
    assert "LT-21" in joined.entities["entity_id"].to_pylist()


def test_tables_an_article_republished_in_another_month_moves_its_rows(tmp_path, copies):
    """Its rows leave the old month's files, emptied files go, and the other articles' rows stay put."""
    output = tmp_path / "out"
    write_run(output, [copies["portal"], copies["other"]], [], [])
    write_run(output, [article("portal", LT, 12, month=11)], [], [])
    for table in ("articles", "mentions", "events", "language_spans", "signatures"):
        files = sorted(str(path.relative_to(output / table).parent) for path in (output / table).rglob("*.parquet"))
        assert files == ["language=lt/year=2015/month=11", "language=lv/year=2015/month=10"], table
        rows = nvo_nlp.load(table, output)
        assert set(rows.article_id) == {"portal", "other"}, table
    moved = nvo_nlp.load("mentions", output)
    assert len(moved[moved.article_id == "portal"]) == len(copies["portal"].mentions)
