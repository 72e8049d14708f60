import pandas as pd
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


def test_parquet_a_file_rewritten_by_another_program_is_read_again(tmp_path):
    replace_rows(tmp_path, "errors", error_rows("a", "b"), scope_column="origin", scope=["a", "b"])
    assert parquet.read_columns(tmp_path, ERRORS, ["origin"])["origin"].to_pylist() == ["a", "b"]
    path = tmp_path / "errors" / "part-0.parquet"
    stored = pq.read_table(path)
    pq.write_table(stored.filter(pc.equal(stored["origin"], "b")), path)  # in place: the same inode
    assert parquet.read_columns(tmp_path, ERRORS, ["origin"])["origin"].to_pylist() == ["b"]
    replace_rows(tmp_path, "errors", error_rows("c"), scope_column="origin", scope=["c"])
    assert sorted(pd.read_parquet(tmp_path / "errors").origin) == ["b", "c"]
