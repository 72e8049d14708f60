from dataclasses import fields

import pyarrow.parquet as pq
import pytest

from nvo_nlp.events import Event
from nvo_nlp.extract import Mention
from nvo_nlp.extract.registry import EntityRecord
from nvo_nlp.ingest.web import FetchRecord
from nvo_nlp.langid import LanguageSpan
from nvo_nlp.process import ArticleRecord, ErrorRecord
from nvo_nlp.store import TABLES

# Columns the store adds to a record when writing it (ids, and the duplicate groups over the whole output).
_ADDED = {
    "mentions": {"article_id", "mention_id"},
    "language_spans": {"article_id"},
    "articles": {"content_hash", "duplicate_group"},
    "events": {"event_group", "source_article_ids"},
}


@pytest.mark.parametrize(
    ("table", "record"),
    [
        ("articles", ArticleRecord),
        ("mentions", Mention),
        ("events", Event),
        ("language_spans", LanguageSpan),
        ("errors", ErrorRecord),
        ("fetch_log", FetchRecord),
        ("entities", EntityRecord),
    ],
)
def test_schema_matches_record_dataclasses(table, record):
    spec = TABLES[table]
    assert {f.name for f in fields(record)} | _ADDED.get(table, set()) == set(spec.column_names)
    assert set(spec.key) <= set(spec.column_names)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_schema_every_column_documented_in_parquet_metadata(tmp_path, table):
    spec = TABLES[table]
    path = tmp_path / "t.parquet"
    pq.write_table(spec.schema.empty_table(), path)
    schema = pq.read_schema(path)
    for name in spec.column_names:
        description = schema.field(name).metadata[b"description"].decode()
        assert len(description) > 10, name


def test_schema_minimum_columns_of_the_issue():
    assert {"article_id", "url", "source", "title", "published_at", "language", "language_confidence", "text"} <= set(
        TABLES["articles"].column_names
    )
    assert {
        "article_id",
        "type",
        "text",
        "normalized",
        "entity_id",
        "start",
        "end",
        "role",
        "organization",
        "count",
        "counted_noun",
        "origin",
        "speaker",
    } <= set(TABLES["mentions"].column_names)
    assert {
        "event_id",
        "article_id",
        "event_type",
        "title",
        "date_start",
        "date_end",
        "date_precision",
        "date_text",
        "places",
        "participant_count",
        "officials",
        "organizations",
        "communities",
        "project",
        "evidence_start",
        "evidence_end",
    } <= set(TABLES["events"].column_names)
