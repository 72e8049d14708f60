from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import nvo_nlp.store.parquet as parquet
from nvo_nlp.errors import StoreError
from nvo_nlp.store import read_table, replace_rows
from nvo_nlp.store.schema import ERRORS


def error_rows(*origins):
    return [{"origin": o, "stage": "read", "kind": "empty", "reason": "file is empty"} for o in origins]


def test_parquet_replace_rows_is_idempotent_and_keeps_other_rows(tmp_path):
    replace_rows(tmp_path, "errors", error_rows("a", "b"), scope_column="origin", scope=["a", "b"])
    replace_rows(tmp_path, "errors", error_rows("c"), scope_column="origin", scope=["c"])
    replace_rows(tmp_path, "errors", error_rows("c"), scope_column="origin", scope=["c"])
    frame = pd.read_parquet(tmp_path / "errors")
    assert sorted(frame.origin) == ["a", "b", "c"]
    # "b" was fixed since: its error goes away, the others stay.
    replace_rows(tmp_path, "errors", [], scope_column="origin", scope=["b"])
    assert sorted(pd.read_parquet(tmp_path / "errors").origin) == ["a", "c"]


def test_parquet_interrupted_write_leaves_previous_table(tmp_path, monkeypatch):
    replace_rows(tmp_path, "errors", error_rows("a"), scope_column="origin", scope=["a"])

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("pyarrow.parquet.write_table", crash)
    with pytest.raises(KeyboardInterrupt):
        replace_rows(tmp_path, "errors", error_rows("b"), scope_column="origin", scope=["b"])
    assert [p.name for p in (tmp_path / "errors").iterdir()] == ["part-0.parquet"]  # no partial temp file
    assert list(pd.read_parquet(tmp_path / "errors").origin) == ["a"]


def test_parquet_rows_that_do_not_fit_the_schema_are_refused(tmp_path):
    with pytest.raises(StoreError, match="errors schema"):
        replace_rows(tmp_path, "errors", [{"origin": 3, "stage": None}], scope_column="origin", scope=[])


def test_parquet_read_missing_table_is_empty(tmp_path):
    assert read_table(tmp_path, ERRORS).num_rows == 0


def test_parquet_unwritable_output_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "sub"  # a file in the way fails even for root
    with pytest.raises(StoreError, match="cannot write"):
        replace_rows(target, "errors", error_rows("a"), scope_column="origin", scope=["a"])


def test_parquet_disk_full_is_a_clear_error_and_keeps_the_previous_tables(tmp_path, monkeypatch):
    import errno

    import pyarrow.parquet as pq

    replace_rows(tmp_path, "errors", error_rows("a", "b"), scope_column="origin", scope=["a", "b"])
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    written = []

    def disk_full(table, where, **options):
        written.append(where)
        with open(where, "wb") as handle:  # half a file, then the disk is full
            handle.write(b"PAR1")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pq, "write_table", disk_full)
    with pytest.raises(StoreError, match="No space left on device") as raised:
        replace_rows(tmp_path, "errors", error_rows("c"), scope_column="origin", scope=["c"])
    assert "\n" not in str(raised.value) and written
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before  # no temporary file left
    monkeypatch.undo()
    assert read_table(tmp_path, ERRORS).column("origin").to_pylist() == ["a", "b"]


def test_parquet_columns_are_read_once_while_the_file_is_unchanged(tmp_path, monkeypatch):
    """Every batch of a run reads the routing columns of every file: unchanged files are not opened again."""
    opened = []
    original = parquet._open
    monkeypatch.setattr(parquet, "_open", lambda path: opened.append(path) or original(path))
    replace_rows(tmp_path, "errors", error_rows("a", "b"), scope_column="origin", scope=["a", "b"])
    assert parquet.read_columns(tmp_path, ERRORS, ["origin"])["origin"].to_pylist() == ["a", "b"]
    opened.clear()
    assert parquet.read_columns(tmp_path, ERRORS, ["origin"])["origin"].to_pylist() == ["a", "b"]
    assert opened == []
    replace_rows(tmp_path, "errors", error_rows("c"), scope_column="origin", scope=["c"])
    assert parquet.read_columns(tmp_path, ERRORS, ["origin"])["origin"].to_pylist() == ["a", "b", "c"]


def test_parquet_columns_of_a_file_this_process_rewrote_are_kept_from_the_rows_written(tmp_path, monkeypatch):
    """The next batch reads the same columns of the files the last one wrote: they are kept as written."""
    replace_rows(tmp_path, "errors", error_rows("a", "b"), scope_column="origin", scope=["a", "b"])
    assert parquet.read_columns(tmp_path, ERRORS, ["origin", "reason"]).num_rows == 2
    replace_rows(tmp_path, "errors", error_rows("c"), scope_column="origin", scope=["c"])
    opened = []
    original = parquet._open
    monkeypatch.setattr(parquet, "_open", lambda path: opened.append(path) or original(path))
    kept = parquet.read_columns(tmp_path, ERRORS, ["origin", "reason"])
    assert opened == []
    fresh, _ = parquet._read_stored(tmp_path / "errors" / "part-0.parquet", "", ERRORS, ["origin", "reason"])
    assert kept["origin"].to_pylist() == ["a", "b", "c"]
    assert kept.equals(fresh, check_metadata=True) and kept.schema.equals(fresh.schema, check_metadata=True)


@pytest.mark.parametrize("first_language", ["lt", "lv", "en"])
def test_parquet_columns_kept_of_written_files_equal_the_files(tmp_path, sample_analyses, first_language):
    """New partition files and rewritten ones, partition keys taken from their directories: each set of
    columns kept for a file this process wrote is what reading that file gives."""
    from nvo_nlp.store import write_run

    first = [a for a in sample_analyses if a.article.language == first_language]
    write_run(tmp_path, first, [], [a.article.origin for a in first])
    write_run(tmp_path, sample_analyses, [], [a.article.origin for a in sample_analyses])
    checked = set()
    for (path, table, *columns), (identity, kept, version) in list(parquet._COLUMNS._entries.items()):
        path = Path(path)
        if not path.is_relative_to(tmp_path) or parquet._identity(path) != identity:
            continue
        spec = parquet.TABLES[table]
        fresh, fresh_version = parquet._read_stored(path, parquet._directory(tmp_path, spec, path), spec, columns)
        assert kept.equals(fresh, check_metadata=True) and kept.schema.equals(fresh.schema, check_metadata=True)
        assert version == fresh_version
        checked.add(table)
    assert {"articles", "mentions", "events", "signatures"} <= checked


def test_parquet_a_file_rewritten_by_another_program_is_read_again(tmp_path):
    replace_rows(tmp_path, "errors", error_rows("a", "b"), scope_column="origin", scope=["a", "b"])
    assert parquet.read_columns(tmp_path, ERRORS, ["origin"])["origin"].to_pylist() == ["a", "b"]
    path = tmp_path / "errors" / "part-0.parquet"
    stored = pq.read_table(path)
    pq.write_table(stored.filter(pc.equal(stored["origin"], "b")), path)  # in place: the same inode
    assert parquet.read_columns(tmp_path, ERRORS, ["origin"])["origin"].to_pylist() == ["b"]
    replace_rows(tmp_path, "errors", error_rows("c"), scope_column="origin", scope=["c"])
    assert sorted(pd.read_parquet(tmp_path / "errors").origin) == ["b", "c"]


def test_parquet_stored_columns_are_cast_to_the_schema_or_refused(tmp_path):
    """Files as this version writes them are taken as they are; other types are cast, and a null where
    the schema allows none is refused, as ``Table.cast`` refuses it."""
    replace_rows(tmp_path, "errors", error_rows("a"), scope_column="origin", scope=["a"])
    assert read_table(tmp_path, ERRORS).schema.equals(ERRORS.schema, check_metadata=True)
    path = tmp_path / "errors" / "part-0.parquet"
    stored = pq.read_table(path)
    origin = stored.schema.get_field_index("origin")
    pq.write_table(stored.set_column(origin, "origin", stored["origin"].cast(pa.large_string())), path)
    read = read_table(tmp_path, ERRORS)
    assert read.schema.equals(ERRORS.schema, check_metadata=True)
    assert read["origin"].to_pylist() == ["a"]
    pq.write_table(stored.set_column(origin, "origin", pa.array([None], pa.string())), path)
    with pytest.raises(StoreError, match="does not match the errors schema") as raised:
        read_table(tmp_path, ERRORS)
    assert "\n" not in str(raised.value)


@pytest.fixture(scope="module")
def sample_analyses():
    from conftest import SAMPLES
    from nvo_nlp.ingest import Article, read_inputs
    from nvo_nlp.process import analyze_batch

    articles, _ = read_inputs([SAMPLES])
    english = Article(
        article_id="en-1",
        origin="https://news.example/en-1",
        text=(
            "On 12 May 2024, Deputy Mayor Violeta Riaukienė welcomed 22 guests from Latvia in Klaipėda District.\n"
            'The Klaipėda District Municipality and the Latvian association "Kurzemes NVO centrs" signed '
            'a partnership agreement for the project "Strong communities".'
        ),
        language_hint="en",
        published_at=datetime(2024, 5, 13, tzinfo=UTC),
    )
    return analyze_batch([*articles, english]).analyses


@pytest.mark.parametrize("language", ["lt", "lv", "en"])
def test_parquet_records_table_equals_rows_built_one_by_one(sample_analyses, language):
    analyses = [a for a in sample_analyses if a.article.language == language]
    mentions = [(a.article.article_id, m) for a in analyses for m in a.mentions]
    assert analyses and mentions
    built = {
        "mentions": parquet.records_table(
            "mentions", [m for _, m in mentions], article_id=[a for a, _ in mentions], mention_id=["x"] * len(mentions)
        ),
        "events": parquet.records_table("events", [e for a in analyses for e in a.events]),
        "articles": parquet.records_table(
            "articles", [a.article for a in analyses], content_hash=["h"] * len(analyses)
        ),
    }
    one_by_one = {
        "mentions": [parquet.to_row(m, article_id=a, mention_id="x") for a, m in mentions],
        "events": [parquet.to_row(e) for a in analyses for e in a.events],
        "articles": [parquet.to_row(a.article, content_hash="h") for a in analyses],
    }
    for table, rows in one_by_one.items():
        expected = pa.Table.from_pylist(rows, schema=parquet.TABLES[table].schema)
        assert built[table].equals(expected), table
        assert built[table].num_rows == len(rows)


def test_parquet_records_table_refuses_values_that_do_not_fit(tmp_path):
    from nvo_nlp.process import ErrorRecord

    with pytest.raises(StoreError, match="errors schema"):
        parquet.records_table("errors", [ErrorRecord(3, "read", "empty", "file is empty")])
    wrong = pa.table({"origin": ["a"]})
    with pytest.raises(StoreError, match="errors schema"):
        replace_rows(tmp_path, "errors", wrong, scope_column="origin", scope=["a"])
    table = parquet.records_table("errors", [ErrorRecord("a", "read", "empty", "file is empty")])
    replace_rows(tmp_path, "errors", table, scope_column="origin", scope=["a"])
    assert read_table(tmp_path, ERRORS).to_pylist() == [
        {"origin": "a", "stage": "read", "kind": "empty", "reason": "file is empty"}
    ]
