"""A self-contained HTML timeline of events: no scripts, no external resources, every value escaped."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from nvo_nlp.store.files import atomic_write

_PRECISION_LABELS = {
    "day": "day",
    "week": "week",
    "month-part": "part of month",
    "month": "month",
    "year": "year",
    "unknown": "unresolved",
}

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2430}
h1{font-size:1.5rem;margin-bottom:.2rem} p.meta{color:#5b6472;margin-top:0}
ol{list-style:none;padding:0;border-left:3px solid #c9d3e0}
li{margin:0 0 1.4rem 0;padding-left:1.2rem;position:relative}
li::before{content:"";position:absolute;left:-.55rem;top:.45rem;width:.8rem;height:.8rem;border-radius:50%;background:#2f6fb5}
.when{font-weight:600;color:#2f6fb5} .type{font-size:.8rem;text-transform:uppercase;color:#5b6472;margin-left:.5rem}
h2{font-size:1.1rem;margin:.15rem 0} dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.4rem 0}
dt{color:#5b6472} dd{margin:0} blockquote{margin:.4rem 0;padding:.3rem .8rem;background:#f3f6fa;border-left:3px solid #c9d3e0}
.source{font-size:.85rem;color:#5b6472}
"""


def _escape(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _when(event: Mapping[str, Any]) -> str:
    precision = event.get("date_precision")
    iso = event.get("date_iso")
    if not iso:
        return "date unknown"
    label = _PRECISION_LABELS.get(precision or "unknown", precision)
    year_note = ", year unknown" if iso.startswith("--") else ""
    return f"{iso} ({label}{year_note})"


def _sort_key(event: Mapping[str, Any]) -> tuple:
    start = event.get("date_start")
    iso = event.get("date_iso") or ""
    # Dated events first in date order; year-less ones by month-day after them; undated last.
    if isinstance(start, date):
        return (0, start.isoformat(), event.get("title") or "")
    return (1 if iso else 2, iso, event.get("title") or "")


def _joined(values: Sequence[Any] | None) -> str:
    return ", ".join(str(v) for v in values or () if v)


def render_timeline(events: Sequence[Mapping[str, Any]], articles: Mapping[str, Mapping[str, Any]]) -> str:
    """HTML page listing ``events`` in date order; ``articles`` maps article_id to its row (title, source, url)."""
    items = []
    for event in sorted(events, key=_sort_key):
        article = articles.get(event["article_id"], {})
        rows = []
        places = _joined(event.get("places"))
        if places:
            rows.append(("Where", places))
        officials = [
            f"{name} ({role.replace('_', ' ')}{', ' + org if org else ''})"
            for name, role, org in zip(
                event.get("officials") or (),
                event.get("official_roles") or (),
                event.get("official_organizations") or (),
                strict=False,
            )
        ]
        if officials:
            rows.append(("Officials", "; ".join(officials)))
        if event.get("participant_count") is not None:
            count = str(event["participant_count"])
            if event.get("participant_count_max") is not None:
                count += f"–{event['participant_count_max']}"
            elif event.get("participant_count_qualifier") not in (None, "exact"):
                count = f"{event['participant_count_qualifier'].replace('_', ' ')} {count}"
            noun = f" ({event['participant_noun']})" if event.get("participant_noun") else ""
            origin = f", from {event['participant_origin']}" if event.get("participant_origin") else ""
            rows.append(("Participants", f"{count}{noun}{origin}"))
        for label, key in (("Organizations", "organizations"), ("Communities", "communities")):
            if _joined(event.get(key)):
                rows.append((label, _joined(event.get(key))))
        if event.get("project"):
            english = f" ({event['project_english']})" if event.get("project_english") else ""
            rows.append(("Project", f"{event['project']}{english}"))
        details = "".join(f"<dt>{_escape(k)}</dt><dd>{_escape(v)}</dd>" for k, v in rows)
        source = _joined([article.get("source"), article.get("title"), article.get("url") or article.get("origin")])
        items.append(
            "<li>"
            f'<span class="when">{_escape(_when(event))}</span><span class="type">{_escape(event.get("event_type"))}</span>'
            f"<h2>{_escape(event.get('title'))}</h2>"
            f"<dl>{details}</dl>"
            f"<blockquote>{_escape(event.get('evidence_text'))}</blockquote>"
            f'<div class="source">Source: {_escape(source)}</div>'
            "</li>"
        )
    body = "\n".join(items) if items else "<li>No events extracted yet.</li>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>nvo-nlp event timeline</title>"
        f"<style>{_STYLE}</style></head><body>"
        "<h1>Event timeline</h1>"
        f'<p class="meta">{len(events)} events from {len(articles)} articles, in date order.</p>'
        f"<ol>\n{body}\n</ol></body></html>\n"
    )


def write_timeline(path: Path, page: str) -> Path:
    """Write the page atomically (a reader never sees half a file)."""
    return atomic_write(Path(path), lambda temporary: temporary.write_text(page, encoding="utf-8"))
