"""The data dictionary (``docs/data-dictionary.md``), generated from the table schemas in ``schema.py``."""

from __future__ import annotations

from nvo_nlp.store.schema import SCHEMA_VERSION, TABLES, VERSION_KEY, TableSpec


def data_dictionary() -> str:
    """Markdown describing every table and column, in the order and words of ``schema.py``."""
    parts = [
        "# Data dictionary",
        "",
        "Generated from `src/nvo_nlp/store/schema.py` by `python scripts/build_data_dictionary.py`; a test",
        "fails when this file and the schema differ. The same descriptions travel in each Parquet file's",
        'field metadata (`pyarrow.parquet.read_schema(path).field(name).metadata[b"description"]`).',
        "",
        f"Schema version {SCHEMA_VERSION}, recorded in every file's schema metadata (`{VERSION_KEY}`). Tables about",
        "articles are Hive-partitioned by the article's language and publication month",
        "(`events/language=lt/year=2025/month=9/part-0.parquet`); the other tables are one `part-0.parquet`.",
        "",
        "| table | what | key |",
        "|---|---|---|",
        *(
            f"| [`{spec.name}`](#{spec.name}) | {_cell(spec.description)} | {_names(spec.key)} |"
            for spec in TABLES.values()
        ),
    ]
    for spec in TABLES.values():
        parts += ["", *_table(spec)]
    return "\n".join(parts) + "\n"


def _table(spec: TableSpec) -> list[str]:
    lines = [
        f"## {spec.name}",
        "",
        spec.description,
        "",
        f"Key: {_names(spec.key)}. Rows are written in the order of {_names(spec.sort_columns)}.",
        "",
        *_partitions(spec),
        "| column | type | required | description |",
        "|---|---|---|---|",
    ]
    for column in spec.columns:
        required = "no" if column.nullable else "yes"
        lines.append(f"| `{column.name}` | `{column.type}` | {required} | {_cell(column.description)} |")
    return lines


def _partitions(spec: TableSpec) -> list[str]:
    if not spec.partitions:
        return []
    lines = [
        f"Partitioned by {', '.join(f'`{name}=`' for name in spec.partition_names)}: the directory names carry",
        "these values, which readers of the directory (pandas, DuckDB, polars) show as columns:",
        "",
        "| partition | type | description |",
        "|---|---|---|",
    ]
    lines += [f"| `{c.name}` | `{c.type}` | {_cell(c.description)} |" for c in spec.partitions]
    return [*lines, ""]


def _names(columns: tuple[str, ...]) -> str:
    return ", ".join(f"`{name}`" for name in columns)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
