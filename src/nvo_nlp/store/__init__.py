"""Store stage: the Parquet tables and their schema."""

from nvo_nlp.store.parquet import read_table, replace_rows, table_path
from nvo_nlp.store.schema import ARTICLES, ERRORS, EVENTS, MENTIONS, TABLES, Column, TableSpec
from nvo_nlp.store.tables import BatchTables, batch_tables, write_batch, write_run

__all__ = [
    "ARTICLES",
    "BatchTables",
    "ERRORS",
    "EVENTS",
    "MENTIONS",
    "TABLES",
    "Column",
    "TableSpec",
    "batch_tables",
    "read_table",
    "replace_rows",
    "table_path",
    "write_batch",
    "write_run",
]
