"""Store stage: the Parquet tables and their schema."""

from nvo_nlp.store.parquet import read_table, replace_rows, table_path
from nvo_nlp.store.schema import ARTICLES, ERRORS, EVENTS, MENTIONS, TABLES, Column, TableSpec
from nvo_nlp.store.tables import write_run

__all__ = [
    "ARTICLES",
    "ERRORS",
    "EVENTS",
    "MENTIONS",
    "TABLES",
    "Column",
    "TableSpec",
    "read_table",
    "replace_rows",
    "table_path",
    "write_run",
]
