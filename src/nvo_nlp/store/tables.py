"""Write one run's records into the tables."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from nvo_nlp.extract.registry import EntityRecord, entity_records
from nvo_nlp.process import ArticleAnalysis, ErrorRecord
from nvo_nlp.store.parquet import mention_id, replace_rows, to_row


def write_run(
    output_dir: Path,
    analyses: Sequence[ArticleAnalysis],
    errors: Sequence[ErrorRecord],
    origins: Iterable[str],
) -> dict[str, int]:
    """Replace the rows of this run's articles and inputs; returns each table's row count.

    ``origins`` are all inputs the run attempted: their old error rows go, so an
    input fixed since the last run no longer shows as failed. The entities this
    run's mentions link to replace their old rows; entities of earlier runs stay.
    The articles table is written last: a run interrupted before it is repaired
    by re-running.
    """
    first_by_id: dict[str, ArticleAnalysis] = {}
    for analysis in analyses:  # the same text read from two files is one article
        first_by_id.setdefault(analysis.article.article_id, analysis)
    unique = list(first_by_id.values())
    article_ids = [analysis.article.article_id for analysis in unique]
    mention_rows = {}
    for analysis in unique:
        article_id = analysis.article.article_id
        for mention in analysis.mentions:
            row = to_row(mention, article_id=article_id, mention_id=mention_id(article_id, mention))
            mention_rows[(article_id, row["mention_id"])] = row
    counts = {
        "mentions": replace_rows(
            output_dir, "mentions", mention_rows.values(), scope_column="article_id", scope=article_ids
        ),
        "events": replace_rows(
            output_dir,
            "events",
            (to_row(event) for analysis in unique for event in analysis.events),
            scope_column="article_id",
            scope=article_ids,
        ),
        "language_spans": replace_rows(
            output_dir,
            "language_spans",
            (to_row(span, article_id=a.article.article_id) for a in unique for span in a.language_spans),
            scope_column="article_id",
            scope=article_ids,
        ),
        "errors": replace_rows(
            output_dir, "errors", (to_row(error) for error in errors), scope_column="origin", scope=origins
        ),
    }
    entities: dict[str, EntityRecord] = {}
    for analysis in unique:
        for entity in entity_records(analysis.mentions, analysis.article.language):
            entities.setdefault(entity.entity_id, entity)
    counts["entities"] = replace_rows(
        output_dir, "entities", (to_row(e) for e in entities.values()), scope_column="entity_id", scope=entities
    )
    counts["articles"] = replace_rows(
        output_dir,
        "articles",
        (to_row(analysis.article) for analysis in unique),
        scope_column="article_id",
        scope=article_ids,
    )
    return counts
