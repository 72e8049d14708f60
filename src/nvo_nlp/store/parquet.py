"""Write the tables as Parquet datasets: one directory per table, replaced atomically.

A run replaces the rows of the articles (or inputs) it processed and keeps all
others, so re-running on the same input yields exactly the same rows, and runs
over different inputs accumulate. Each table is written to a hidden temporary
file and renamed into place, so an interrupted run never leaves a partial file
that readers would pick up (pyarrow and pandas skip hidden files).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nvo_nlp.errors import StoreError
from nvo_nlp.store.files import atomic_write
from nvo_nlp.store.schema import TABLES, TableSpec

_PART = "part-0.parquet"


def table_path(output_dir: Path, table: str) -> Path:
    """Directory of ``table`` under ``output_dir`` (readable with ``pandas.read_parquet``)."""
    return Path(output_dir) / table


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


def read_table(output_dir: Path, spec: TableSpec) -> pa.Table:
    """The current rows of a table, cast to its schema (empty when it does not exist yet)."""
    path = table_path(output_dir, spec.name) / _PART
    if not path.exists():
        return spec.schema.empty_table()
    try:
        table = pq.read_table(path)
        return table.select(list(spec.column_names)).cast(spec.schema)
    except (pa.ArrowInvalid, KeyError) as exc:
        raise StoreError(
            f"{path} does not match the {spec.name} schema ({exc}); move it away or write to a new --output"
        ) from None


def replace_rows(
    output_dir: Path,
    table: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    scope_column: str,
    scope: Iterable[str],
) -> int:
    """Replace the rows whose ``scope_column`` is in ``scope`` with ``rows``; returns the table's row count."""
    spec = TABLES[table]
    scope_values = pa.array(sorted(set(scope)), type=pa.string())
    try:
        new = pa.Table.from_pylist(list(rows), schema=spec.schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise StoreError(f"rows do not match the {table} schema: {exc}") from None
    with _locked(output_dir):
        current = read_table(output_dir, spec)
        kept = current.filter(pc.invert(pc.is_in(current[scope_column], value_set=scope_values)))
        merged = pa.concat_tables([kept, new]).sort_by([(column, "ascending") for column in spec.sort_columns])
        atomic_write(
            table_path(output_dir, table) / _PART, lambda path: pq.write_table(merged, path, compression="zstd")
        )
        return merged.num_rows


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
