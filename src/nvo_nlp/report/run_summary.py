"""The markdown summary of one run (a Prefect artifact): table sizes, the events the run found, the timeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from nvo_nlp.process import ArticleAnalysis

#: Events listed at the most; the rest are counted.
MAX_EVENTS = 50


def run_summary_markdown(counts: Mapping[str, int], analyses: Sequence[ArticleAnalysis], timeline: str) -> str:
    """Rows per table after the run, and every event of the run's articles (date, type, title, places,
    officials, article), with a link to the timeline."""
    events = [(analysis.article, event) for analysis in analyses for event in analysis.events]
    page = Path(timeline).resolve()  # runs write to relative folders (data/processed) too
    lines = [
        "# nvo-nlp run",
        "",
        f"{len(analyses)} articles, {len(events)} events. Timeline: [{page.name}]({page.as_uri()})",
        "",
        "| table | rows |",
        "|---|---|",
        *(f"| {table} | {rows} |" for table, rows in sorted(counts.items())),
        "",
        "## Events of this run",
        "",
        "| date | type | title | places | officials | article |",
        "|---|---|---|---|---|---|",
    ]
    for article, event in events[:MAX_EVENTS]:
        cells = (
            event.date_iso or event.date_text or "",
            event.event_type,
            event.title,
            ", ".join(event.places),
            ", ".join(event.officials),
            article.title or article.origin,
        )
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    if len(events) > MAX_EVENTS:
        lines += ["", f"… and {len(events) - MAX_EVENTS} more (see the timeline)."]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Plain text in a markdown table cell: no pipes, line breaks or markup from the articles."""
    cleaned = " ".join(str(text).split()).replace("|", "\\|")
    for mark in ("<", ">", "[", "]", "*", "_", "`"):
        cleaned = cleaned.replace(mark, "\\" + mark)
    return cleaned
