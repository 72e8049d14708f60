"""Write one run's records into the tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from nvo_nlp.events.syndication import duplicate_groups, event_groups, minhash
from nvo_nlp.extract.registry import entity_records
from nvo_nlp.process import ArticleAnalysis, ErrorRecord
from nvo_nlp.store.parquet import (
    Completion,
    article_partition,
    mention_id,
    read_columns,
    read_table,
    records_table,
    replace_rows,
    to_row,
)
from nvo_nlp.store.schema import ARTICLES, ENTITIES, EVENTS, SIGNATURES

if TYPE_CHECKING:
    from nvo_nlp.extract.mention import Mention


def write_run(
    output_dir: Path,
    analyses: Sequence[ArticleAnalysis],
    errors: Sequence[ErrorRecord],
    origins: Iterable[str],
    content_hashes: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Replace the rows of this run's articles and inputs; returns each table's row count.

    ``content_hashes`` maps article ids to the hash a later run compares to skip them unchanged.
    ``origins`` are all inputs the run attempted: their old error rows go, so an
    input fixed since the last run no longer shows as failed. The entities this
    run's mentions link to are added; of two rows for one entity (its name as two
    articles wrote it), the one that sorts first is kept, so the table does not
    depend on the order or batching of the articles.
    Near-duplicate groups are recomputed over all articles of the output, so an
    earlier article joins the group of a copy that arrives later. The articles
    table is written last: a run interrupted before it is repaired by re-running.
    """
    first_by_id: dict[str, ArticleAnalysis] = {}
    for analysis in analyses:  # the same text read from two files is one article
        first_by_id.setdefault(analysis.article.article_id, analysis)
    unique = list(first_by_id.values())
    article_ids = [analysis.article.article_id for analysis in unique]
    # Every batch writes: read only the columns needed, not the articles' text.
    known = read_columns(output_dir, ARTICLES, ["article_id", "language", "published_at"]).to_pylist()
    published = {row["article_id"]: row["published_at"] for row in known}
    partitions = {row["article_id"]: article_partition(row["language"], row["published_at"]) for row in known}
    for analysis in unique:
        article = analysis.article
        published[article.article_id] = article.published_at
        partitions[article.article_id] = article_partition(article.language, article.published_at)

    def by_article(table: str, rows: pa.Table) -> int:
        return replace_rows(
            output_dir, table, rows, scope_column="article_id", scope=article_ids, partitions=partitions
        )

    # One row per mention id: of two equal mentions, the last one's fields (first one's place).
    mentions_by_id: dict[tuple[str, str], Mention] = {}
    for analysis in unique:
        article_id = analysis.article.article_id
        for mention in analysis.mentions:
            mentions_by_id[(article_id, mention_id(article_id, mention))] = mention
    # Articles of a version 1 output have no signature yet.
    signed = set(read_columns(output_dir, SIGNATURES, ["article_id"])["article_id"].to_pylist()) | set(article_ids)
    texts = {}
    if any(row["article_id"] not in signed for row in known):
        stored = read_columns(output_dir, ARTICLES, ["article_id", "text"]).to_pylist()
        texts = {row["article_id"]: row["text"] for row in stored if row["article_id"] not in signed}
    texts.update((a.article.article_id, a.article.text) for a in unique)
    replace_rows(
        output_dir,
        "signatures",
        ({"article_id": article_id, "minhash": minhash(text).tolist()} for article_id, text in texts.items()),
        scope_column="article_id",
        scope=texts,
    )
    groups = duplicate_groups(_signatures(output_dir), published)
    found = _event_groups(output_dir, unique, groups, published)

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
        "mentions": by_article(
            "mentions",
            records_table(
                "mentions",
                mentions_by_id.values(),
                article_id=[article_id for article_id, _ in mentions_by_id],
                mention_id=[key for _, key in mentions_by_id],
            ),
        ),
        "events": replace_rows(
            output_dir,
            "events",
            records_table("events", (event for analysis in unique for event in analysis.events)),
            scope_column="article_id",
            scope=article_ids,
            partitions=partitions,
            complete=Completion(("event_id", "article_id", "event_group", "source_article_ids"), with_event_groups),
        ),
        "language_spans": by_article(
            "language_spans",
            records_table(
                "language_spans",
                (span for a in unique for span in a.language_spans),
                article_id=[a.article.article_id for a in unique for _ in a.language_spans],
            ),
        ),
        "errors": replace_rows(
            output_dir, "errors", records_table("errors", errors), scope_column="origin", scope=origins
        ),
        "signatures": len(groups),
    }
    entities = {row["entity_id"]: (_order(row), row) for row in read_table(output_dir, ENTITIES).to_pylist()}
    for analysis in unique:
        for entity in entity_records(analysis.mentions, analysis.article.language):
            row = to_row(entity)
            order, known = _order(row), entities.get(entity.entity_id)
            if known is None or order < known[0]:
                entities[entity.entity_id] = order, row
    counts["entities"] = replace_rows(
        output_dir, "entities", (row for _, row in entities.values()), scope_column="entity_id", scope=entities
    )
    counts["articles"] = replace_rows(
        output_dir,
        "articles",
        records_table(
            "articles",
            (analysis.article for analysis in unique),
            content_hash=[(content_hashes or {}).get(article_id) for article_id in article_ids],
        ),
        scope_column="article_id",
        scope=article_ids,
        partitions=partitions,
        complete=Completion(("article_id", "duplicate_group"), with_duplicate_groups),
    )
    return counts


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
    unique: Sequence[ArticleAnalysis],
    groups: Mapping[str, str],
    published: Mapping[str, object],
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """:func:`event_groups` over the events of the articles that have a near-duplicate (the others'
    events are their own group), reading only the columns it compares."""
    grouped = Counter(groups.values())
    copied = {article_id for article_id, group in groups.items() if grouped[group] > 1}
    this_run = {analysis.article.article_id for analysis in unique}
    stored = read_columns(output_dir, EVENTS, _EVENT_GROUP_INPUTS)
    stored = stored.filter(pc.is_in(stored["article_id"], value_set=pa.array(sorted(copied - this_run), pa.string())))
    rows = stored.to_pylist() + [
        {column: getattr(event, column) for column in _EVENT_GROUP_INPUTS}
        for analysis in unique
        if analysis.article.article_id in copied
        for event in analysis.events
    ]
    return event_groups(rows, groups, published)
