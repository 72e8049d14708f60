"""Read an output directory back for analysis: ``load`` (pandas) and ``connect`` (DuckDB views).

Nothing here writes: the tables are read as they are, whatever version of nvo-nlp wrote them
(columns added since come back empty); a file of a newer or foreign schema is a one-line error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from nvo_nlp.errors import ConfigError, StoreError
from nvo_nlp.extract.gazetteer import default_gazetteer
from nvo_nlp.store.parquet import read_columns, read_table, schema_version, table_files
from nvo_nlp.store.schema import TABLES

#: The date column ``since``/``until`` filter on, per table.
DATE_COLUMNS = {
    "articles": "published_at",
    "events": "date_start",
    "mentions": "date_start",
    "fetch_log": "fetched_at",
}
#: Tables ``municipality`` filters, and the columns it looks at.
MUNICIPALITY_FILTERS = {
    "articles": ("article_id",),
    "events": ("place_ids",),
    "mentions": ("entity_id", "organization_id", "origin_id"),
    "entities": ("entity_id", "parent"),
}


def load(
    table: str,
    output: str | Path = "data/processed",
    *,
    columns: Sequence[str] | None = None,
    where: Mapping[str, Any] | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    municipality: str | None = None,
) -> pd.DataFrame:
    """Rows of ``table`` as a DataFrame.

    ``columns`` keeps only those columns (the others are never read from disk); ``where`` maps columns
    to a value or a list of values; ``since``/``until`` bound the table's date column inclusively
    (``DATE_COLUMNS``); ``municipality`` is an ISO 3166-2 code (``LT-21``) or a name in any language
    (``Klaipėdos rajonas``) and keeps the rows about it or a place in it (Gargždai for LT-21).
    """
    if table not in TABLES:
        raise ConfigError(f"unknown table {table!r}: one of {', '.join(sorted(TABLES))}")
    if columns is not None:
        unknown = [column for column in columns if column not in TABLES[table].schema.names]
        if unknown:
            raise ConfigError(f"{table} has no column {unknown[0]!r}")
    frame = _read(table, Path(output), _needed(table, columns, where, since or until, municipality))
    for column, wanted in (where or {}).items():
        if column not in frame.columns:
            raise ConfigError(f"{table} has no column {column!r}")
        values = wanted if isinstance(wanted, list | tuple | set | frozenset) else [wanted]
        frame = frame[frame[column].isin(values)]
    if since is not None or until is not None:
        frame = _between(table, frame, since, until)
    if municipality is not None:
        frame = _about(table, frame, _municipality_id(municipality), Path(output))
    return (frame if columns is None else frame[list(columns)]).reset_index(drop=True)


def _needed(
    table: str, columns: Sequence[str] | None, where: Mapping[str, Any] | None, dated: Any, municipality: str | None
) -> list[str] | None:
    """The columns to read: those asked for and those the filters look at (None: all)."""
    if columns is None:
        return None
    needed = [*columns, *(where or {})]
    needed += [DATE_COLUMNS[table]] if dated and table in DATE_COLUMNS else []
    needed += MUNICIPALITY_FILTERS.get(table, ()) if municipality else []
    names = TABLES[table].schema.names
    return [column for column in dict.fromkeys(needed) if column in names]


def connect(output: str | Path = "data/processed"):
    """A DuckDB connection (in memory) with one view per table of ``output``: ``articles``,
    ``mentions``, ``events``, ``entities``... (``pip install "nvo-nlp[duckdb]"``)."""
    try:
        import duckdb
    except ImportError:
        raise ConfigError('connect needs DuckDB: pip install "nvo-nlp[duckdb]"') from None
    output = _output_dir(Path(output))
    connection = duckdb.connect()
    for name, spec in TABLES.items():
        files = table_files(output, name)
        for path in files:  # footers only: cheap, and a newer or foreign file fails here, not mid-query
            schema_version(path, pq.read_schema(path).metadata, spec)
        if files:
            paths = ", ".join("'" + str(path).replace("'", "''") + "'" for path in files)
            connection.execute(
                f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{paths}], hive_partitioning = true, union_by_name = true)"
            )
    return connection


def _output_dir(output: Path) -> Path:
    if not output.is_dir():
        raise StoreError(f"no output directory {output}: run `nvo-nlp run --output {output}` first")
    return output


def _read(table: str, output: Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    if not table_files(_output_dir(output), table):
        raise StoreError(f"{output} has no {table} table: run `nvo-nlp run --output {output}` first")
    spec = TABLES[table]
    return (read_table(output, spec) if columns is None else read_columns(output, spec, columns)).to_pandas()


def _between(table: str, frame: pd.DataFrame, since: date | str | None, until: date | str | None) -> pd.DataFrame:
    column = DATE_COLUMNS.get(table)
    if column is None:
        raise ConfigError(f"{table} has no date to filter on: since/until work on {', '.join(DATE_COLUMNS)}")
    values = pd.to_datetime(frame[column], utc=True)
    keep = pd.Series(True, index=frame.index)
    if since is not None:
        keep &= values >= _timestamp(since)
    if until is not None:
        keep &= values < _timestamp(until) + pd.Timedelta(days=1)  # the whole day given
    return frame[keep]  # rows without a date fall outside every bound


def _timestamp(value: date | str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value.isoformat() if isinstance(value, date | datetime) else value)
    except ValueError:
        raise ConfigError(f"not a date: {value!r} (use YYYY-MM-DD)") from None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _municipality_id(municipality: str) -> str:
    gazetteer = default_gazetteer()
    if gazetteer.entity(municipality) is not None:
        return municipality
    wanted = municipality.casefold()
    for entity in gazetteer.entities.values():
        names = {*entity.name.values(), *entity.place.values()}
        if entity.kind == "municipality" and wanted in {name.casefold() for name in names}:
            return entity.id
    raise ConfigError(f"unknown municipality {municipality!r}: give its ISO 3166-2 code (LT-21) or its name")


def _about(table: str, frame: pd.DataFrame, municipality: str, output: Path) -> pd.DataFrame:
    """Rows about the municipality or a place in it (a town, an eldership)."""
    gazetteer = default_gazetteer()

    def inside(entity_id: Any) -> bool:
        found = gazetteer.municipality_of(entity_id) if isinstance(entity_id, str) else None
        return entity_id == municipality or (found is not None and found.id == municipality)

    if table == "events":
        return frame[frame.place_ids.map(lambda ids: any(inside(i) for i in ids))]
    if table == "mentions":
        return frame[frame.entity_id.map(inside) | frame.organization_id.map(inside) | frame.origin_id.map(inside)]
    if table == "entities":
        return frame[frame.entity_id.map(inside) | frame.parent.map(inside)]
    if table == "articles":
        mentions = _read("mentions", output, ["article_id", "entity_id", "organization_id"])
        about = mentions[mentions.entity_id.map(inside) | mentions.organization_id.map(inside)]
        return frame[frame.article_id.isin(set(about.article_id))]
    raise ConfigError(f"municipality filters {', '.join(MUNICIPALITY_FILTERS)}, not {table}")
