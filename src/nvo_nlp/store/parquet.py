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
import functools
import hashlib
import operator
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nvo_nlp.errors import StoreError
from nvo_nlp.store.files import TEMPORARY_PREFIX, atomic_write
from nvo_nlp.store.schema import SCHEMA_VERSION, TABLES, VERSION_KEY, TableSpec

_PART = "part-0.parquet"
_UNPARTITIONED = ""  # the table directory itself: unpartitioned tables, and version 1 outputs


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


def records_table(table: str, records: Iterable[Any], **columns: Sequence[Any]) -> pa.Table:
    """Dataclass records of one kind as rows of ``table``, built column by column.

    ``columns`` adds columns with one value per record (the article a mention is in); the table's
    columns that neither fills are null. A batch writes tens of thousands of mentions: a dict per row
    (:func:`to_row`) then ``Table.from_pylist`` took longer than the files' writing itself
    (``benchmarks/write_cost.py``).
    """
    spec = TABLES[table]
    records = list(records)
    values = dict(columns)
    if records:
        names = _field_names(type(records[0]))
        get = operator.attrgetter(*names)
        rows = map(get, records) if len(names) > 1 else ((get(record),) for record in records)
        values |= zip(names, zip(*rows, strict=True), strict=True)  # transposed in C
    try:
        arrays = [
            pa.array(values[field.name], type=field.type)
            if field.name in values
            else pa.nulls(len(records), field.type)
            for field in spec.schema
        ]
        return pa.Table.from_arrays(arrays, schema=spec.schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
        raise StoreError(f"rows do not match the {table} schema: {exc}") from None


def to_row(record: Any, **extra: Any) -> dict[str, Any]:
    """A dataclass record as a table row (tuples become lists)."""
    row = dict(extra)
    for name in _field_names(type(record)):
        value = getattr(record, name)
        row[name] = list(value) if isinstance(value, tuple) else value
    return row


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    # dataclasses.fields() is slow: a run converts hundreds of thousands of records.
    if not is_dataclass(kind):
        raise TypeError(f"expected a dataclass record, got {kind.__name__}")
    return tuple(f.name for f in fields(kind))


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
    _COLUMNS.expect(spec.name, columns)
    files = table_files(output_dir, spec.name)
    parts = [_read_file(path, _directory(output_dir, spec, path), spec, columns)[0] for path in files]
    return pa.concat_tables(parts) if parts else _subset(spec, columns).empty_table()


@dataclass(frozen=True)
class Completion:
    """Columns computed over the whole table (duplicate groups), filled in one file at a time.

    ``fill`` gets rows with at least ``columns`` and returns them with those it computes set; the
    caller works out the groups from the whole table beforehand (reading only the columns needed).
    """

    columns: tuple[str, ...]
    fill: Callable[[pa.Table], pa.Table]


def replace_rows(
    output_dir: Path,
    table: str,
    rows: Iterable[Mapping[str, Any]] | pa.Table,
    *,
    scope_column: str,
    scope: Iterable[str],
    partitions: Mapping[str, str] | None = None,
    complete: Completion | None = None,
) -> int:
    """Replace the rows whose ``scope_column`` is in ``scope`` with ``rows``; returns the table's row count.

    ``rows`` are mappings of column names to values, or a table of the table's schema
    (:func:`records_table`). ``partitions`` maps article ids to their directory
    (:func:`article_partition`) and is required for partitioned tables. ``complete`` fills the
    columns computed over the whole table; files whose rows it changes are rewritten too. Memory
    holds one directory's rows at a time: the columns that decide which files change are read
    first, then only those files are read whole and rewritten.
    """
    spec = TABLES[table]
    scope_values = pa.array(sorted(set(scope)), type=pa.string())
    if isinstance(rows, pa.Table):
        if not rows.schema.equals(spec.schema):
            raise StoreError(f"rows do not match the {table} schema: {rows.schema}")
        new = rows
    else:
        try:
            new = pa.Table.from_pylist(list(rows), schema=spec.schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise StoreError(f"rows do not match the {table} schema: {exc}") from None
    if spec.partitions and partitions is None:
        raise TypeError(f"{table} is partitioned by article: pass partitions")
    output_dir = Path(output_dir)
    with _locked(output_dir):
        _remove_unfinished_files(output_dir, spec)
        sources = _route(output_dir, spec, scope_column, scope_values, partitions, complete)
        routed = _Targets.of(new, spec, partitions, _UNPARTITIONED)
        new_counts = routed.counts()
        row_counts = Counter(new_counts)
        for source in sources:
            row_counts.update(source.kept_counts)
        directories = sorted(directory for directory, count in row_counts.items() if count)
        # A table without rows is still a table readers can open: one empty file.
        for directory in directories or [_UNPARTITIONED]:
            own = next((source for source in sources if source.directory == directory), None)
            incoming = [source for source in sources if source is not own and directory in source.destinations]
            if own is not None and not incoming and not own.changes and not new_counts.get(directory):
                continue
            _rewrite(output_dir, spec, directory, new, routed, sources, complete)
        # Emptied partitions and a migrated version 1 file go last: until then, readers see every row.
        for source in sources:
            if source.directory not in directories and not (source.directory == _UNPARTITIONED and not directories):
                _remove(output_dir, spec, source.path)
        return sum(row_counts.values())


@dataclass
class _Source:
    """An existing file of the table: which of its rows stay, and the directory each goes to."""

    path: Path
    directory: str
    version: int
    kept: np.ndarray  # bool per row
    targets: _Targets
    completed_differ: bool

    @functools.cached_property
    def kept_counts(self) -> dict[str, int]:
        """How many of its kept rows go to each directory (directories with none left out)."""
        return self.targets.counts(self.kept)

    @functools.cached_property
    def destinations(self) -> frozenset[str]:
        """The directories its kept rows go to."""
        return frozenset(self.kept_counts)

    @property
    def changes(self) -> bool:
        """Whether its own directory must be rewritten, judged from the routing columns alone."""
        moved = bool(self.destinations - {self.directory})
        return self.version != SCHEMA_VERSION or not self.kept.all() or moved or self.completed_differ


def _route(
    output_dir: Path,
    spec: TableSpec,
    scope_column: str,
    scope_values: pa.Array,
    partitions: Mapping[str, str] | None,
    complete: Completion | None,
) -> list[_Source]:
    """Reads the columns that decide where each stored row goes: scope, article, completed columns."""
    files = [(path, _directory(output_dir, spec, path)) for path in table_files(output_dir, spec.name)]
    columns = {scope_column, *(["article_id"] if spec.partitions else []), *(complete.columns if complete else ())}
    if spec.partitions and {directory == _UNPARTITIONED for _, directory in files} == {True, False}:
        columns |= set(spec.key)  # a migration from version 1 was interrupted: see _not_migrated
    _COLUMNS.expect(spec.name, sorted(columns))
    probes = [(path, directory, *_read_file(path, directory, spec, sorted(columns))) for path, directory in files]
    counted = _not_migrated([(directory, probe) for _, directory, probe, _ in probes], spec)
    sources = []
    for (path, directory, probe, version), not_migrated in zip(probes, counted, strict=True):
        kept = pc.invert(pc.is_in(probe[scope_column], value_set=scope_values)).to_numpy(zero_copy_only=False)
        kept &= not_migrated
        targets = _Targets.of(probe, spec, partitions, directory)
        differ = False
        if complete is not None and kept.any():
            stored = probe.filter(pa.array(kept)).select(list(complete.columns))
            differ = not complete.fill(stored).select(list(complete.columns)).equals(stored)
        sources.append(_Source(path, directory, version, kept, targets, differ))
    return sources


def _rewrite(
    output_dir: Path,
    spec: TableSpec,
    directory: str,
    new: pa.Table,
    routed: _Targets,
    sources: list[_Source],
    complete: Completion | None,
) -> None:
    """Writes ``directory``'s file from the new rows (going where ``routed`` says) and the stored rows
    that go there, unless unchanged."""
    parts = [new.filter(pa.array(routed.rows_to(directory)))]
    old = None
    for source in sources:
        if source.directory == directory or directory in source.destinations:
            stored = _read_file(source.path, source.directory, spec)[0]
            if source.directory == directory:
                old = stored, source.version
            parts.append(stored.filter(pa.array(source.kept & source.targets.rows_to(directory))))
    rows = pa.concat_tables(parts)
    if complete is not None:
        rows = complete.fill(rows)
    rows = rows.sort_by([(column, "ascending") for column in spec.sort_columns])
    if old is not None and old[1] == SCHEMA_VERSION and old[0].equals(rows):
        return
    # Partition keys live in the directory names (Hive style); a file outside partitions keeps them.
    schema = spec.file_schema if directory else spec.schema
    stored = _cast_columns([rows[name] for name in schema.names], schema)
    path = table_path(output_dir, spec.name) / directory / _PART
    atomic_write(path, lambda temporary: pq.write_table(stored, temporary, compression="zstd"))
    identity = _identity(path)
    if identity is not None:
        # The next batch reads the same columns of this file: taken from the rows just written, as read
        # back they would be, instead of opening the file again.
        version = schema_version(path, stored.schema.metadata, spec)
        _COLUMNS.refresh(
            str(path),
            spec.name,
            identity,
            lambda columns: _conform(
                stored.select([name for name in columns if name in stored.column_names]),
                spec,
                directory,
                path,
                _subset(spec, columns),
            ),
            version,
        )


def _remove_unfinished_files(output_dir: Path, spec: TableSpec) -> None:
    """Delete the temporary files of writes killed before their rename (kill -9, power loss): readers
    skip them, but each would stay on disk. The caller holds the lock, so no writer is using them."""
    for path in table_path(output_dir, spec.name).glob(f"**/{TEMPORARY_PREFIX}*"):
        path.unlink(missing_ok=True)


def _remove(output_dir: Path, spec: TableSpec, path: Path) -> None:
    path.unlink(missing_ok=True)
    for parent in path.parents:
        if parent == table_path(output_dir, spec.name) or any(parent.iterdir()):
            break
        parent.rmdir()


def _directory(output_dir: Path, spec: TableSpec, path: Path) -> str:
    """``path``'s directory relative to the table (partition keys), empty for the table directory itself."""
    relative = path.parent.relative_to(table_path(output_dir, spec.name)).as_posix()
    return _UNPARTITIONED if relative == "." else relative


class _ColumnCache:
    """Columns read from table files, reused while the file is unchanged: same inode, size and times
    (writes replace a file by renaming a new one into place). Every batch of a run reads the columns
    that route rows from every file of a table, and most of them have not changed since the last batch
    (4,000 articles in batches of 100, cProfile: 7,411 files opened, 902 with this cache). A file this
    process writes keeps the sets of columns read together so far, cut from the rows written: month by
    month, a batch's files are new, and the next batch reads them."""

    def __init__(self, limit_bytes: int) -> None:
        self._limit = limit_bytes
        self._entries: OrderedDict[tuple[str, ...], tuple[tuple[int, ...], pa.Table, int]] = OrderedDict()
        self._bytes = 0
        self._column_sets: dict[str, set[tuple[str, ...]]] = {}  # per table: the columns read together
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...], identity: tuple[int, ...]) -> tuple[pa.Table, int] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != identity:
                return None
            self._entries.move_to_end(key)
            return entry[1], entry[2]

    def expect(self, table: str, columns: Sequence[str]) -> None:
        """Records that ``columns`` of ``table`` are read together (see :meth:`refresh`)."""
        with self._lock:
            self._column_sets.setdefault(table, set()).add(tuple(columns))

    def refresh(
        self,
        path: str,
        table: str,
        identity: tuple[int, ...],
        columns_of: Callable[[tuple[str, ...]], pa.Table],
        version: int,
    ) -> None:
        """Keeps, for ``path``'s new ``identity``, every set of columns of ``table`` read together so far
        (:meth:`expect`): ``columns_of(columns)``."""
        with self._lock:
            column_sets = list(self._column_sets.get(table, ()))
        for columns in column_sets:
            self.put((path, table, *columns), identity, columns_of(columns), version)

    def put(self, key: tuple[str, ...], identity: tuple[int, ...], table: pa.Table, version: int) -> None:
        with self._lock:
            replaced = self._entries.pop(key, None)
            if replaced is not None:
                self._bytes -= replaced[1].nbytes
            if table.nbytes > self._limit:
                return
            self._entries[key] = (identity, table, version)
            self._bytes += table.nbytes
            while self._bytes > self._limit:
                _, (_, evicted, _) = self._entries.popitem(last=False)
                self._bytes -= evicted.nbytes


_COLUMNS = _ColumnCache(limit_bytes=256 * 2**20)


def _identity(path: Path) -> tuple[int, ...] | None:
    try:
        status = path.stat()
    except OSError:
        return None  # _open says why
    return status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


def _read_file(
    path: Path, directory: str, spec: TableSpec, columns: Sequence[str] | None = None
) -> tuple[pa.Table, int]:
    """The rows of the file in ``directory`` (only ``columns`` if given) cast to the schema, and its
    schema version. Columns are cached while the file does not change; whole files are not."""
    if columns is None:
        return _read_stored(path, directory, spec, None)
    key = (str(path), spec.name, *columns)
    identity = _identity(path)  # before reading: a change meanwhile makes the entry stale, not wrong
    cached = _COLUMNS.get(key, identity) if identity is not None else None
    if cached is not None:
        return cached
    rows, version = _read_stored(path, directory, spec, columns)
    if identity is not None:
        _COLUMNS.put(key, identity, rows, version)
    return rows, version


def _read_stored(path: Path, directory: str, spec: TableSpec, columns: Sequence[str] | None) -> tuple[pa.Table, int]:
    stored = _open(path)
    stored_schema = stored.schema_arrow  # rebuilt from the file's metadata on every access
    version = schema_version(path, stored_schema.metadata, spec)
    schema = spec.schema if columns is None else _subset(spec, columns)
    stored_names = set(stored_schema.names)
    present = [name for name in schema.names if name in stored_names]
    try:
        rows = stored.read(columns=present)
    except (OSError, pa.ArrowInvalid) as exc:
        raise StoreError(f"cannot read {path}: {exc}; move it away or write to a new --output") from None
    return _conform(rows, spec, directory, path, schema), version


def _read_parts(output_dir: Path, spec: TableSpec) -> list[tuple[str, pa.Table, int]]:
    """(directory relative to the table, rows cast to the schema, schema version) of every file."""
    parts = []
    for path in table_files(output_dir, spec.name):
        directory = _directory(output_dir, spec, path)
        parts.append((directory, *_read_file(path, directory, spec)))
    counted = _not_migrated([(directory, table) for directory, table, _ in parts], spec)
    return [(d, table.filter(pa.array(rows)), v) for (d, table, v), rows in zip(parts, counted, strict=True)]


def _subset(spec: TableSpec, columns: Sequence[str]) -> pa.Schema:
    return pa.schema([spec.schema.field(name) for name in columns])


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
    present = set(stored.column_names)  # a new list at every access: 15 µs for the events table's columns
    columns = []
    for field in schema:
        if field.name in present:
            columns.append(stored[field.name])
        elif field.name in from_directory:
            columns.append(pa.array([from_directory[field.name]] * stored.num_rows, type=pa.string()))
        elif field.nullable:
            columns.append(pa.nulls(stored.num_rows, field.type))
        else:
            raise StoreError(f"{path} has no column {field.name}: move it away or write to a new --output")
    try:
        return _cast_columns(columns, schema)
    except (ValueError, pa.ArrowTypeError) as exc:  # ArrowInvalid, and a null where none may be, are ValueErrors
        raise StoreError(
            f"{path} does not match the {spec.name} schema ({exc}); move it away or write to a new --output"
        ) from None


def _cast_columns(columns: Sequence[pa.ChunkedArray | pa.Array], schema: pa.Schema) -> pa.Table:
    """The table of ``columns`` (in ``schema``'s order) cast to ``schema``, as ``Table.cast`` would make it.

    Columns that already have their field's type (and no null where none may be) are taken as they
    are: ``Table.cast`` casts them one by one in Python, 6 % of the instructions of reading every file of
    a 2,000-article output (``benchmarks/write_instructions.py read`` under callgrind).
    """
    fits = all(
        column.type == field.type and (field.nullable or not column.null_count)
        for column, field in zip(columns, schema, strict=True)
    )
    if fits:
        return pa.Table.from_arrays(list(columns), schema=schema)
    return pa.Table.from_arrays(list(columns), names=schema.names).cast(schema)


def _not_migrated(parts: Sequence[tuple[str, pa.Table]], spec: TableSpec) -> list[np.ndarray]:
    """Which rows of each (directory, rows) part count. A run interrupted while migrating a version 1
    table leaves its rows both in the old single file and in partitions: the partitions' copies count."""
    counted = [np.ones(table.num_rows, dtype=bool) for _, table in parts]
    partitioned = [table for directory, table in parts if directory != _UNPARTITIONED]
    if not spec.partitions or not partitioned or len(partitioned) == len(parts):
        return counted
    keys = {tuple(row.values()) for table in partitioned for row in table.select(list(spec.key)).to_pylist()}
    for index, (directory, table) in enumerate(parts):
        if directory == _UNPARTITIONED:
            own_keys = table.select(list(spec.key)).to_pylist()
            counted[index] = np.array([tuple(row.values()) not in keys for row in own_keys], dtype=bool)
    return counted


@dataclass(frozen=True)
class _Targets:
    """The directory each row goes to, its article's (else ``directory``, where a stored row was): a code
    per row into the directory names. A file holds the rows of a few hundred articles, so each article's
    directory is looked up once, not once per row: every write routes every stored row."""

    names: tuple[str, ...]
    codes: np.ndarray  # per row, the index of its directory in names

    @classmethod
    def of(cls, table: pa.Table, spec: TableSpec, partitions: Mapping[str, str] | None, directory: str) -> _Targets:
        if not spec.partitions:
            return cls((_UNPARTITIONED,), np.zeros(table.num_rows, dtype=np.intp))
        assert partitions is not None
        fallback = directory or article_partition("und", None)  # a version 1 row of an unknown article
        articles = table["article_id"]
        distinct = pc.unique(articles)
        per_article = [partitions.get(article_id, fallback) for article_id in distinct.to_pylist()]
        names = tuple(dict.fromkeys(per_article))
        code = {name: index for index, name in enumerate(names)}
        article_codes = np.array([code[name] for name in per_article], dtype=np.intp)
        rows = pc.index_in(articles, value_set=distinct).to_numpy().astype(np.intp)
        return cls(names, article_codes[rows])

    def counts(self, rows: np.ndarray | None = None) -> dict[str, int]:
        """How many rows (of those ``rows`` selects, default all) go to each directory; none left out."""
        counts = np.bincount(self.codes if rows is None else self.codes[rows], minlength=len(self.names))
        return {name: int(count) for name, count in zip(self.names, counts, strict=True) if count}

    def rows_to(self, directory: str) -> np.ndarray:
        """Whether each row goes to ``directory``."""
        if directory not in self.names:
            return np.zeros(len(self.codes), dtype=bool)
        return self.codes == self.names.index(directory)


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
