"""Outputs of earlier schema versions stay readable and are migrated by the next run; newer or foreign
files are one-line errors."""

import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

import nvo_nlp
from conftest import REPO
from nvo_nlp.errors import StoreError
from nvo_nlp.ingest.local import read_inputs
from nvo_nlp.process import analyze_batch
from nvo_nlp.store import TABLES, read_table, replace_rows, write_run
from nvo_nlp.store.schema import SCHEMA_VERSION, VERSION_KEY

# Written by nvo-nlp at schema version 1 (commit dc5bceb) from data/raw/samples: see tests/data/README.md.
VERSION_1 = REPO / "tests" / "data" / "output-v1"
V1_TABLES = ("articles", "mentions", "events", "language_spans", "errors", "entities")


@pytest.fixture(scope="module")
def sample_analyses():
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)  # relative inputs: the origins the version 1 output recorded
        articles, failures = read_inputs(["data/raw/samples"])
    assert not failures
    return articles, analyze_batch(articles).analyses


def _write(output, articles, analyses):
    write_run(output, analyses, [], [a.origin for a in articles])


def _sorted(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    return frame.sort_values(list(TABLES[table].key)).reset_index(drop=True)


@pytest.mark.parametrize("table", V1_TABLES)
def test_versions_load_reads_a_version_1_output(table):
    frame = nvo_nlp.load(table, VERSION_1)
    stored = pq.read_table(VERSION_1 / table / "part-0.parquet")
    assert len(frame) == stored.num_rows and list(frame.columns) == list(TABLES[table].column_names)
    assert VERSION_KEY.encode() not in stored.schema.metadata  # really a version 1 file
    if table == "articles":
        assert frame.duplicate_group.isna().all() and len(frame) == 7  # added in version 2: empty
    if table == "mentions":
        texts = nvo_nlp.load("articles", VERSION_1).set_index("article_id").text
        for row in frame.itertuples():
            assert texts[row.article_id][row.start : row.end] == row.text


def test_versions_connect_reads_a_version_1_output():
    connection = nvo_nlp.connect(VERSION_1)
    for table in V1_TABLES:
        assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(nvo_nlp.load(table, VERSION_1))


def test_versions_a_run_migrates_a_version_1_output(tmp_path, sample_analyses):
    articles, analyses = sample_analyses
    migrated, fresh = tmp_path / "migrated", tmp_path / "fresh"
    shutil.copytree(VERSION_1, migrated)
    _write(migrated, articles, analyses)
    _write(fresh, articles, analyses)
    for table in (*V1_TABLES, "signatures"):
        assert not (migrated / table / "part-0.parquet").exists() or table in ("errors", "entities")
        for path in (migrated / table).rglob("*.parquet"):
            assert pq.read_schema(path).metadata[VERSION_KEY.encode()] == str(SCHEMA_VERSION).encode()
        old, new = nvo_nlp.load(table, migrated), nvo_nlp.load(table, fresh)
        if table == "entities":  # entities of earlier runs stay, by design
            assert set(new.entity_id) <= set(old.entity_id)
        else:
            pd.testing.assert_frame_equal(_sorted(old, table), _sorted(new, table))
    assert nvo_nlp.load("articles", migrated).duplicate_group.notna().all()


def test_versions_an_interrupted_migration_reads_every_row_once(tmp_path, sample_analyses):
    articles, analyses = sample_analyses
    output = tmp_path / "out"
    _write(output, articles, analyses)
    expected = nvo_nlp.load("mentions", output)
    # As if the run died after writing the partitions and before removing the version 1 file.
    legacy = read_table(output, TABLES["mentions"]).replace_schema_metadata({b"table": b"mentions"})
    pq.write_table(legacy, output / "mentions" / "part-0.parquet")
    pd.testing.assert_frame_equal(_sorted(nvo_nlp.load("mentions", output), "mentions"), _sorted(expected, "mentions"))
    _write(output, articles[:1], analyses[:1])  # the next run finishes the migration
    assert not (output / "mentions" / "part-0.parquet").exists()
    pd.testing.assert_frame_equal(_sorted(nvo_nlp.load("mentions", output), "mentions"), _sorted(expected, "mentions"))


def test_versions_signatures_in_one_file_are_moved_into_partitions(tmp_path, sample_analyses):
    """Version 2 outputs written before the signatures were partitioned keep them in one file: they are
    read as they are, and the next write moves them into the partitions of their articles."""
    articles, analyses = sample_analyses
    output = tmp_path / "out"
    _write(output, articles[1:], analyses[1:])
    expected = nvo_nlp.load("signatures", output)
    stored = read_table(output, TABLES["signatures"])
    shutil.rmtree(output / "signatures")
    (output / "signatures").mkdir()
    pq.write_table(stored, output / "signatures" / "part-0.parquet")  # the layout of the code before
    pd.testing.assert_frame_equal(
        _sorted(nvo_nlp.load("signatures", output), "signatures"), _sorted(expected, "signatures")
    )
    _write(output, articles[:1], analyses[:1])
    assert not (output / "signatures" / "part-0.parquet").exists()
    files = {
        path.parent.relative_to(output / "signatures").as_posix() for path in (output / "signatures").rglob("*.parquet")
    }
    assert files == {
        path.parent.relative_to(output / "articles").as_posix() for path in (output / "articles").rglob("*.parquet")
    }
    migrated = nvo_nlp.load("signatures", output)
    assert sorted(migrated.article_id) == sorted(a.article_id for a in articles)
    kept = migrated[migrated.article_id.isin(expected.article_id)]
    pd.testing.assert_frame_equal(_sorted(kept, "signatures"), _sorted(expected, "signatures"))


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({b"table": b"errors", VERSION_KEY.encode(): str(SCHEMA_VERSION + 1).encode()}, "schema version 3; this"),
        ({b"table": b"errors", VERSION_KEY.encode(): b"two"}, "schema version two"),
        ({b"origin": b"someone else's"}, "is not an nvo-nlp errors table"),
    ],
)
def test_versions_newer_or_foreign_files_are_one_line_errors(tmp_path, metadata, message):
    output = tmp_path / "out"
    replace_rows(output, "errors", [], scope_column="origin", scope=[])
    path = output / "errors" / "part-0.parquet"
    pq.write_table(TABLES["errors"].schema.empty_table().replace_schema_metadata(metadata), path)
    before = path.read_bytes()
    for call in (
        lambda: nvo_nlp.load("errors", output),
        lambda: nvo_nlp.connect(output),
        lambda: replace_rows(output, "errors", [], scope_column="origin", scope=["x"]),
    ):
        with pytest.raises(StoreError, match=message) as raised:
            call()
        assert "\n" not in str(raised.value)
    assert path.read_bytes() == before  # nothing rewritten


def test_versions_files_record_the_schema_version(tmp_path):
    replace_rows(tmp_path, "errors", [], scope_column="origin", scope=[])
    schema = pq.read_schema(tmp_path / "errors" / "part-0.parquet")
    assert schema.metadata[VERSION_KEY.encode()] == str(SCHEMA_VERSION).encode()
