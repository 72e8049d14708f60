"""Write the tables as Parquet datasets: one directory per table, Hive-partitioned by article.

A run replaces the rows of the articles (or inputs) it processed and keeps all
others, so re-running on the same input yields exactly the same rows, and runs
over different inputs accumulate. The tables about articles are split into
``language=xx/year=YYYY/month=M/part-0.parquet`` directories (the article's
language and publication month); the others hold one ``part-0.parquet``. Only
the files whose rows change are rewritten, each to a hidden temporary file
renamed into place, so an interrupted run never leaves a partial file that
readers would pick up (pyarrow, pandas and DuckDB skip hidden files).

Every file records the schema version it was written with. Outputs of version 1
(one file per table, no partitions) are read as they are and migrated to the
current layout by the next run that writes to them.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nvo_nlp.errors import StoreError
from nvo_nlp.store.files import atomic_write
from nvo_nlp.store.schema import SCHEMA_VERSION, TABLES, VERSION_KEY, TableSpec

_PART = "part-0.parquet"
_UNPARTITIONED = ""  # the table directory itself: unpartitioned tables, and version 1 outputs
_PARTITION = "__partition"  # working column: the directory a row is written to


def table_path(output_dir: Path, table: str) -> Path:
    """Directory of ``table`` under ``output_dir`` (readable with ``pandas.read_parquet``)."""
    return Path(output_dir) / table


def article_partition(language: str, published_at: datetime | None) -> str:
    """The Hive directory of an article's rows: its language and publication month (0 when unknown)."""
    if published_at is None:
        year = month = 0
    else:
        utc = published_at.astimezone(UTC) if published_at.tzinfo else published_at
        year, month = utc.year, utc.month
    return f"language={language}/year={year}/month={month}"


def mention_id(article_id: str, mention: Any) -> str:
    key = f"{article_id}:{mention.type}:{mention.start}:{mention.end}:{mention.normalized}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def to_row(record: Any, **extra: Any) -> dict[str, Any]:
    """A dataclass record as a table row (tuples become lists)."""
    if not is_dataclass(record):
        raise TypeError(f"expected a dataclass record, got {type(record).__name__}")
    row = {f.name: getattr(record, f.name) for f in fields(record)}
    row = {key: list(value) if isinstance(value, tuple) else value for key, value in row.items()}
    return {**extra, **row}


def schema_version(path: Path, metadata: Mapping[bytes, bytes] | None, spec: TableSpec) -> int:
    """The schema version ``path`` was written with; a one-line error for a foreign or newer file."""
    metadata = metadata or {}
    if metadata.get(b"table") != spec.name.encode():
        raise StoreError(f"{path} is not an nvo-nlp {spec.name} table: move it away or write to a new --output")
    written = metadata.get(VERSION_KEY.encode(), b"1").decode()
    if not written.isdigit() or not 1 <= int(written) <= SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by schema version {written}; this nvo-nlp reads versions 1 to "
            f"{SCHEMA_VERSION}: upgrade nvo-nlp"
        )
    return int(written)


def table_files(output_dir: Path, table: str) -> list[Path]:
    """The table's Parquet files, without the hidden ones (temporary files of a write in progress)."""
    directory = table_path(output_dir, table)
    return sorted(
        path
        for path in directory.rglob("*.parquet")
        if not any(part.startswith((".", "_")) for part in path.relative_to(directory).parts)
    )


def read_table(output_dir: Path, spec: TableSpec) -> pa.Table:
    """The current rows of a table, cast to its schema (empty when it does not exist yet)."""
    parts = [table for _, table, _ in _read_parts(Path(output_dir), spec)]
    return pa.concat_tables(parts) if parts else spec.schema.empty_table()


def read_columns(output_dir: Path, spec: TableSpec, columns: Sequence[str]) -> pa.Table:
    """Some columns of every row of a table (the others are never read from disk)."""
    schema = pa.schema([spec.schema.field(name) for name in columns])
    directory = table_path(output_dir, spec.name)
    parts = []
    for path in table_files(output_dir, spec.name):
        stored = _open(path)
        schema_version(path, stored.schema_arrow.metadata, spec)
        present = [name for name in columns if name in stored.schema_arrow.names]
        relative = path.parent.relative_to(directory).as_posix()
        parts.append(_conform(stored.read(columns=present), spec, relative, path, schema))
    return pa.concat_tables(parts) if parts else schema.empty_table()


def replace_rows(
    output_dir: Path,
    table: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    scope_column: str,
    scope: Iterable[str],
    partitions: Mapping[str, str] | None = None,
    complete: Callable[[pa.Table], pa.Table] | None = None,
) -> pa.Table:
    """Replace the rows whose ``scope_column`` is in ``scope`` with ``rows``; returns the whole new table.

    ``partitions`` maps article ids to their directory (:func:`article_partition`) and is required
    for partitioned tables. ``complete`` fills the columns computed over the whole table (duplicate
    groups) after the merge; files whose rows it changes are rewritten too.
    """
    spec = TABLES[table]
    scope_values = pa.array(sorted(set(scope)), type=pa.string())
    try:
        new = pa.Table.from_pylist(list(rows), schema=spec.schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise StoreError(f"rows do not match the {table} schema: {exc}") from None
    if spec.partitions and partitions is None:
        raise TypeError(f"{table} is partitioned by article: pass partitions")
    output_dir = Path(output_dir)
    with _locked(output_dir):
        current = _read_parts(output_dir, spec)
        placed = [_with_partition(new, spec, partitions, _UNPARTITIONED)]
        for directory, rows_there, _ in current:
            kept = rows_there.filter(pc.invert(pc.is_in(rows_there[scope_column], value_set=scope_values)))
            placed.append(_with_partition(kept, spec, partitions, directory))
        merged = pa.concat_tables(placed)
        if complete is not None:
            merged = complete(merged)
        _write_parts(output_dir, spec, merged, current)
        return merged.drop_columns([_PARTITION])


def _read_parts(output_dir: Path, spec: TableSpec) -> list[tuple[str, pa.Table, int]]:
    """(directory relative to the table, rows cast to the schema, schema version) of every file."""
    directory = table_path(output_dir, spec.name)
    parts = []
    for path in table_files(output_dir, spec.name):
        try:
            stored = _open(path).read()
        except (OSError, pa.ArrowInvalid) as exc:
            raise StoreError(f"cannot read {path}: {exc}; move it away or write to a new --output") from None
        version = schema_version(path, stored.schema.metadata, spec)
        relative = path.parent.relative_to(directory).as_posix()
        parts.append((_UNPARTITIONED if relative == "." else relative, _conform(stored, spec, relative, path), version))
    if spec.partitions:
        parts = _without_migrated_rows(parts, spec)
    return parts


def _open(path: Path) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise StoreError(f"cannot read {path}: {exc}; move it away or write to a new --output") from None


def _conform(
    stored: pa.Table, spec: TableSpec, directory: str, path: Path, schema: pa.Schema | None = None
) -> pa.Table:
    """``stored`` with the columns of ``schema`` (default: the table's): partition keys from the
    directory names, columns that a previous version lacked as nulls."""
    schema = schema or spec.schema
    from_directory = dict(part.split("=", 1) for part in directory.split("/") if "=" in part)
    columns = []
    for field in schema:
        if field.name in stored.column_names:
            columns.append(stored[field.name])
        elif field.name in from_directory:
            columns.append(pa.array([from_directory[field.name]] * stored.num_rows, type=pa.string()))
        elif field.nullable:
            columns.append(pa.nulls(stored.num_rows, field.type))
        else:
            raise StoreError(f"{path} has no column {field.name}: move it away or write to a new --output")
    try:
        return pa.Table.from_arrays(columns, names=schema.names).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise StoreError(
            f"{path} does not match the {spec.name} schema ({exc}); move it away or write to a new --output"
        ) from None


def _without_migrated_rows(parts: list[tuple[str, pa.Table, int]], spec: TableSpec) -> list[tuple[str, pa.Table, int]]:
    """A run interrupted while migrating a version 1 table leaves its rows both in the old single file
    and in partitions: the partitions' copies count."""
    partitioned = [table for directory, table, _ in parts if directory != _UNPARTITIONED]
    if not partitioned or len(partitioned) == len(parts):
        return parts
    keys = {tuple(row.values()) for table in partitioned for row in table.select(list(spec.key)).to_pylist()}
    result = []
    for directory, table, version in parts:
        if directory == _UNPARTITIONED:
            own_keys = table.select(list(spec.key)).to_pylist()
            table = table.filter(pa.array([tuple(row.values()) not in keys for row in own_keys], type=pa.bool_()))
        result.append((directory, table, version))
    return result


def _with_partition(table: pa.Table, spec: TableSpec, partitions: Mapping[str, str] | None, directory: str) -> pa.Table:
    """``table`` with the directory each row goes to: its article's, else where it was."""
    if spec.partitions:
        assert partitions is not None
        fallback = directory or article_partition("und", None)  # a version 1 row of an unknown article
        targets = [partitions.get(article_id, fallback) for article_id in table["article_id"].to_pylist()]
    else:
        targets = [_UNPARTITIONED] * table.num_rows
    return table.append_column(_PARTITION, pa.array(targets, type=pa.string()))


def _write_parts(output_dir: Path, spec: TableSpec, merged: pa.Table, current: list[tuple[str, pa.Table, int]]) -> None:
    """Rewrite each directory whose rows or version changed; remove the files left without rows."""
    before = {directory: (table, version) for directory, table, version in current}
    # A table without rows is still a table readers can open: one empty file.
    directories = sorted(set(merged[_PARTITION].to_pylist())) or [_UNPARTITIONED]
    for directory in directories:
        rows = merged.filter(pc.equal(merged[_PARTITION], directory)).drop_columns([_PARTITION])
        rows = rows.sort_by([(column, "ascending") for column in spec.sort_columns])
        old = before.get(directory)
        if old is not None and old[1] == SCHEMA_VERSION and old[0].equals(rows):
            continue
        # Partition keys live in the directory names (Hive style); a file outside partitions keeps them.
        schema = spec.file_schema if directory else spec.schema
        stored = rows.select(schema.names).cast(schema)
        path = table_path(output_dir, spec.name) / directory / _PART
        atomic_write(path, lambda temporary, stored=stored: pq.write_table(stored, temporary, compression="zstd"))
    # Emptied partitions and a migrated version 1 file go last: until then, readers see every row.
    for directory in sorted(set(before) - set(directories)):
        path = table_path(output_dir, spec.name) / directory / _PART
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == table_path(output_dir, spec.name) or any(parent.iterdir()):
                break
            parent.rmdir()


@contextlib.contextmanager
def _locked(output_dir: Path) -> Iterator[None]:
    """One writer at a time per output directory (two scheduled runs may overlap)."""
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        lock = open(output_dir / ".lock", "w")  # noqa: SIM115 — held for the with-block
    except OSError as exc:
        raise StoreError(f"cannot write to output directory {output_dir}: {exc.strerror or exc}") from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
