"""A batch's analyses as rows of the tables, and their writing into the output."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from nvo_nlp.events.syndication import SIGNATURE_SIZE, duplicate_groups, event_groups, minhash
from nvo_nlp.extract.registry import entity_records
from nvo_nlp.process import ArticleAnalysis, ErrorRecord
from nvo_nlp.store.parquet import (
    Completion,
    article_partition,
    mention_id,
    read_columns,
    records_table,
    replace_rows,
    to_row,
)
from nvo_nlp.store.schema import ARTICLES, ENTITIES, EVENTS, SIGNATURES

if TYPE_CHECKING:
    from nvo_nlp.extract.mention import Mention


@dataclass(frozen=True)
class BatchTables:
    """A batch's analyses as rows of the tables, built where the batch was analyzed (:func:`batch_tables`).

    On a Dask cluster the workers build them, so the flow process, which every batch waits for, only
    merges rows into files; Arrow tables also cross processes as a few buffers rather than a Python
    object per mention. ``articles`` lacks the two columns the writer fills (``content_hash``,
    ``duplicate_group``); ``entities`` holds one row per entity, the one that sorts first.
    """

    articles: pa.Table
    mentions: pa.Table
    events: pa.Table
    language_spans: pa.Table
    signatures: pa.Table
    entities: pa.Table

    @staticmethod
    def concat(batches: Sequence[BatchTables]) -> BatchTables:
        """Several batches' rows as one batch (of two rows for an entity, the one that sorts first)."""
        if len(batches) == 1:
            return batches[0]
        tables = {
            name: pa.concat_tables([getattr(batch, name) for batch in batches])
            for name in ("articles", "mentions", "events", "language_spans", "signatures")
        }
        # Batches hold distinct articles: only an entity may repeat.
        entities = _first_sorted(row for batch in batches for row in batch.entities.to_pylist())
        return BatchTables(**tables, entities=_entity_table(entities.values()))


def batch_tables(analyses: Sequence[ArticleAnalysis]) -> BatchTables:
    """The rows ``analyses`` add to the tables: no I/O, so it runs wherever the batch was analyzed.

    The same text read from two files is one article (the first analysis); of two equal mentions of an
    article, one row (the last one's fields, the first one's place).
    """
    first_by_id: dict[str, ArticleAnalysis] = {}
    for analysis in analyses:
        first_by_id.setdefault(analysis.article.article_id, analysis)
    unique = list(first_by_id.values())
    mentions_by_id: dict[tuple[str, str], Mention] = {}
    for analysis in unique:
        article_id = analysis.article.article_id
        for mention in analysis.mentions:
            mentions_by_id[(article_id, mention_id(article_id, mention))] = mention
    entities = _first_sorted(
        to_row(entity) for analysis in unique for entity in entity_records(analysis.mentions, analysis.article.language)
    )
    return BatchTables(
        articles=records_table("articles", (analysis.article for analysis in unique)),
        mentions=records_table(
            "mentions",
            mentions_by_id.values(),
            article_id=[article_id for article_id, _ in mentions_by_id],
            mention_id=[key for _, key in mentions_by_id],
        ),
        events=records_table("events", (event for analysis in unique for event in analysis.events)),
        language_spans=records_table(
            "language_spans",
            (span for analysis in unique for span in analysis.language_spans),
            article_id=[a.article.article_id for a in unique for _ in a.language_spans],
        ),
        signatures=_signature_table({analysis.article.article_id: analysis.article.text for analysis in unique}),
        entities=_entity_table(entities.values()),
    )


def write_run(
    output_dir: Path,
    analyses: Sequence[ArticleAnalysis],
    errors: Sequence[ErrorRecord],
    origins: Iterable[str],
    content_hashes: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """:func:`write_batch` of the rows of ``analyses`` (:func:`batch_tables`)."""
    return write_batch(output_dir, batch_tables(analyses), errors, origins, content_hashes)


def write_batch(
    output_dir: Path,
    batch: BatchTables,
    errors: Sequence[ErrorRecord],
    origins: Iterable[str],
    content_hashes: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Replace the rows of this batch's articles and inputs; returns each table's row count.

    ``content_hashes`` maps article ids to the hash a later run compares to skip them unchanged.
    ``origins`` are all inputs the run attempted: their old error rows go, so an
    input fixed since the last run no longer shows as failed. The entities this
    batch's mentions link to are added; of two rows for one entity (its name as two
    articles wrote it), the one that sorts first is kept, so the table does not
    depend on the order or batching of the articles.
    Near-duplicate groups are recomputed over all articles of the output, so an
    earlier article joins the group of a copy that arrives later. The articles
    table is written last: a run interrupted before it is repaired by re-running.
    """
    article_ids = batch.articles["article_id"].to_pylist()
    # Every batch writes: read only the columns needed, not the articles' text.
    known = read_columns(output_dir, ARTICLES, ["article_id", "language", "published_at"]).to_pylist()
    placed = known + batch.articles.select(["article_id", "language", "published_at"]).to_pylist()
    published = {row["article_id"]: row["published_at"] for row in placed}
    partitions = {row["article_id"]: article_partition(row["language"], row["published_at"]) for row in placed}

    def by_article(table: str, rows: pa.Table, complete: Completion | None = None) -> int:
        return replace_rows(
            output_dir,
            table,
            rows,
            scope_column="article_id",
            scope=article_ids,
            partitions=partitions,
            complete=complete,
        )

    # Articles of a version 1 output have no signature yet.
    signed = set(read_columns(output_dir, SIGNATURES, ["article_id"])["article_id"].to_pylist()) | set(article_ids)
    signatures = batch.signatures
    if any(row["article_id"] not in signed for row in known):
        stored = read_columns(output_dir, ARTICLES, ["article_id", "text"]).to_pylist()
        unsigned = {row["article_id"]: row["text"] for row in stored if row["article_id"] not in signed}
        signatures = pa.concat_tables([_signature_table(unsigned), signatures])
    replace_rows(
        output_dir,
        "signatures",
        signatures,
        scope_column="article_id",
        scope=signatures["article_id"].to_pylist(),
        partitions=partitions,
    )
    groups = duplicate_groups(_signatures(output_dir), published)
    found = _event_groups(output_dir, article_ids, batch.events, groups, published)

    def with_event_groups(events: pa.Table) -> pa.Table:
        ids, articles = events["event_id"].to_pylist(), events["article_id"].to_pylist()
        chosen = [found.get(i, (i, (a,))) for i, a in zip(ids, articles, strict=True)]
        events = events.set_column(
            events.schema.get_field_index("event_group"), "event_group", pa.array([c[0] for c in chosen])
        )
        sources = pa.array([list(c[1]) for c in chosen], type=pa.list_(pa.string()))
        return events.set_column(events.schema.get_field_index("source_article_ids"), "source_article_ids", sources)

    def with_duplicate_groups(articles: pa.Table) -> pa.Table:
        column = pa.array([groups.get(i, i) for i in articles["article_id"].to_pylist()], type=pa.string())
        return articles.set_column(articles.schema.get_field_index("duplicate_group"), "duplicate_group", column)

    counts = {
        "mentions": by_article("mentions", batch.mentions),
        "events": by_article(
            "events",
            batch.events,
            Completion(("event_id", "article_id", "event_group", "source_article_ids"), with_event_groups),
        ),
        "language_spans": by_article("language_spans", batch.language_spans),
        "errors": replace_rows(
            output_dir, "errors", records_table("errors", errors), scope_column="origin", scope=origins
        ),
        "signatures": len(groups),
    }
    entities = _merged_entities(output_dir, batch.entities)
    counts["entities"] = replace_rows(
        output_dir, "entities", entities, scope_column="entity_id", scope=entities["entity_id"].to_pylist()
    )
    hashes = content_hashes or {}
    articles = batch.articles.set_column(
        ARTICLES.schema.get_field_index("content_hash"),
        ARTICLES.schema.field("content_hash"),
        pa.array([hashes.get(article_id) for article_id in article_ids], type=pa.string()),
    )
    counts["articles"] = by_article(
        "articles", articles, Completion(("article_id", "duplicate_group"), with_duplicate_groups)
    )
    return counts


def _merged_entities(output_dir: Path, batch: pa.Table) -> pa.Table:
    """The batch's entity rows, each replaced by the stored row of its entity when that one sorts first."""
    ids = batch["entity_id"]
    stored = read_columns(output_dir, ENTITIES, ENTITIES.column_names)
    stored = stored.filter(pc.is_in(stored["entity_id"], value_set=ids))
    if not stored.num_rows:
        return batch
    return _entity_table(_first_sorted(stored.to_pylist() + batch.to_pylist()).values())


def _first_sorted(rows: Iterable[dict]) -> dict[str, dict]:
    """One row per entity id: the one that sorts first over all columns (nulls last), whatever the order of ``rows``."""
    chosen: dict[str, dict] = {}
    for row in rows:
        known = chosen.get(row["entity_id"])
        # Most rows of an entity are equal (a place's gazetteer names): orders are compared only where they differ.
        if known is None or (known != row and _order(row) < _order(known)):
            chosen[row["entity_id"]] = row
    return chosen


def _entity_table(rows: Iterable[dict]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=ENTITIES.schema)


def _signature_table(texts: Mapping[str, str]) -> pa.Table:
    """The MinHash signature of each text, as rows of the signatures table."""
    signatures = [minhash(text) for text in texts.values()]
    offsets = np.arange(len(signatures) + 1, dtype=np.int32) * SIGNATURE_SIZE
    values = np.concatenate(signatures) if signatures else np.empty(0, dtype=np.uint32)
    minhashes = pa.ListArray.from_arrays(pa.array(offsets), pa.array(values, type=pa.uint32()))
    return pa.Table.from_arrays([pa.array(list(texts), type=pa.string()), minhashes], schema=SIGNATURES.schema)


def _order(row: dict) -> tuple:
    return tuple((row.get(column) is None, str(row.get(column))) for column in ENTITIES.column_names)


def _signatures(output_dir: Path) -> dict[str, np.ndarray]:
    """Every article's MinHash signature, as numpy rows (not a Python list of ints per article)."""
    stored = read_columns(output_dir, SIGNATURES, ["article_id", "minhash"])
    ids = stored["article_id"].to_pylist()
    if not ids:
        return {}
    values = pc.list_flatten(stored["minhash"]).to_numpy().astype(np.uint32, copy=False)
    return dict(zip(ids, values.reshape(len(ids), -1), strict=True))


_EVENT_GROUP_INPUTS = ["event_id", "article_id", "event_type", "title", "date_iso", "evidence_text"]


def _event_groups(
    output_dir: Path,
    article_ids: Sequence[str],
    batch_events: pa.Table,
    groups: Mapping[str, str],
    published: Mapping[str, object],
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """:func:`event_groups` over the events of the articles that have a near-duplicate (the others'
    events are their own group), reading only the columns it compares."""
    grouped = Counter(groups.values())
    copied = {article_id for article_id, group in groups.items() if grouped[group] > 1}
    stored = read_columns(output_dir, EVENTS, _EVENT_GROUP_INPUTS)
    stored = stored.filter(
        pc.is_in(stored["article_id"], value_set=pa.array(sorted(copied - set(article_ids)), pa.string()))
    )
    new = batch_events.select(_EVENT_GROUP_INPUTS)
    new = new.filter(pc.is_in(new["article_id"], value_set=pa.array(sorted(copied), pa.string())))
    return event_groups(stored.to_pylist() + new.to_pylist(), groups, published)
