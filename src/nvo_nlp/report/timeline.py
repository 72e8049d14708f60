"""The event timeline: one self-contained HTML page, filterable in the browser without a server.

:func:`render_timeline` is pure (rows in, page out) and escapes every value on the server. The
page carries one inline script, allowed by its hash in the page's Content-Security-Policy, which
forbids every other script and every external resource. The script only shows, hides and regroups
the rendered rows and draws the month chart, building DOM with ``textContent``/``setAttribute``.
:func:`write_timeline` reads an output directory's tables (never writing them) and writes the page.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pyarrow.parquet as pq

from nvo_nlp.errors import ConfigError
from nvo_nlp.extract.gazetteer import default_gazetteer
from nvo_nlp.store.dataset import load
from nvo_nlp.store.files import atomic_write
from nvo_nlp.store.parquet import table_files

_PRECISION_LABELS = {
    "day": "day",
    "week": "week",
    "month-part": "part of month",
    "month": "month",
    "year": "year",
    "unknown": "unknown",
}
# Coarser dates have no month to count the event in.
_CHARTED_PRECISIONS = ("day", "week", "month-part", "month")
_QUALIFIERS = {"approx": "about ", "more_than": "more than ", "less_than": "fewer than ", "at_most": "at most "}
# Mention types highlighted in the evidence, by colour; quotes are left out: they span whole sentences.
_MARK_CLASSES = {
    "MUNICIPALITY": "place",
    "PLACE": "place",
    "COUNTRY": "place",
    "PERSON": "person",
    "ROLE": "person",
    "ORGANIZATION": "org",
    "COMPANY": "org",
    "COMMUNITY": "org",
    "PROJECT": "project",
    "DATE": "date",
    "HEADCOUNT": "count",
    "EVENT": "event",
    "ACTIVITY": "event",
}

_STYLE = """
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2733;background:#f4f6f9}
a{color:#1d5fa8}
.page{max-width:80rem;margin:0 auto;padding:0 1.25rem 3rem}
.top{display:flex;gap:1.5rem;align-items:flex-end;padding:1.1rem 0 .6rem}
.top h1{font-size:1.3rem;margin:0;letter-spacing:-.01em}
.top .meta{color:#5d6878;font-size:.85rem;margin:.15rem 0 0}
.chart{flex:1;min-width:16rem;background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:.35rem .6rem .2rem}
.chart-head{display:flex;justify-content:space-between;font-size:.75rem;color:#5d6878}
#chart{display:block;width:100%;height:64px}
#chart rect{fill:#3b7dd8}#chart rect:hover{fill:#1d5fa8;cursor:pointer}
#chart text{font-size:10px;fill:#5d6878}#chart line{stroke:#c5cdd8}
.bar{position:sticky;top:0;z-index:5;background:#fff;border:1px solid #dde3ea;border-radius:6px;
 box-shadow:0 2px 6px rgba(20,30,50,.07);padding:.45rem .6rem;display:flex;flex-wrap:wrap;gap:.4rem .7rem;align-items:flex-end}
.bar label{display:flex;flex-direction:column;font-size:.68rem;font-weight:600;color:#5d6878;text-transform:uppercase;letter-spacing:.03em}
.bar select,.bar input,.bar button{font:inherit;font-size:.85rem;text-transform:none;letter-spacing:0;color:#1f2733;
 border:1px solid #c5cdd8;border-radius:4px;background:#fff;padding:.2rem .35rem;margin-top:.1rem;max-width:10rem}
.bar input[type=search]{width:9rem}
.bar input[type=date]{width:8.6rem}
.bar .dates{display:flex;gap:.3rem}
.bar button{cursor:pointer;background:#f4f6f9}
.bar .shown{margin-left:auto;font-size:.85rem;color:#5d6878;align-self:center}
.bar .shown b{color:#1f2733}
.view{display:flex;gap:1rem;justify-content:flex-end;font-size:.8rem;color:#5d6878;margin:.6rem 0 -.6rem}
.view select{font:inherit;color:#1f2733;border:1px solid #c5cdd8;border-radius:4px;background:#fff;padding:.05rem .25rem}
.group h2{font-size:.95rem;margin:1.2rem 0 .35rem;display:flex;gap:.5rem;align-items:baseline}
.group h2 .count{font-size:.75rem;font-weight:600;color:#5d6878;background:#e4e9ef;border-radius:9px;padding:0 .45rem}
ol.events{list-style:none;margin:0;padding:0;background:#fff;border:1px solid #dde3ea;border-radius:6px}
li.event{display:grid;grid-template-columns:8.2rem 1fr;gap:.9rem;padding:.6rem .8rem;border-top:1px solid #e8ecf1;
 content-visibility:auto;contain-intrinsic-size:auto 9rem}
li.event:first-child{border-top:0}
li.event:target{background:#fff8e1}
.when{font-size:.85rem}
.when .date{font-weight:650;font-variant-numeric:tabular-nums;display:block}
.when .precision,.when .flag{display:inline-block;font-size:.7rem;color:#5d6878;margin-top:.1rem}
.when .flag{color:#9a5b00;background:#fff2d6;border-radius:3px;padding:0 .3rem;margin-left:.3rem}
.when .written{display:block;font-size:.75rem;font-style:italic;color:#5d6878;margin-top:.15rem}
.when .provenance{display:block}
.head{display:flex;flex-wrap:wrap;gap:.2rem .5rem;align-items:baseline}
.type{font-size:.68rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;color:#1d5fa8;background:#e6effa;border-radius:3px;padding:.05rem .35rem}
.title{font-size:.98rem;font-weight:650;margin:0}
.score{margin-left:auto;font-size:.72rem;color:#5d6878;white-space:nowrap}
.score.low,.provenance.low{color:#b45309}
dl.facts{display:grid;grid-template-columns:6.6rem 1fr 13rem;gap:.05rem .7rem;margin:.3rem 0 .35rem;font-size:.85rem}
dl.facts dt{color:#5d6878}dl.facts dd{margin:0}
.provenance{font-size:.72rem;color:#7b8594}
dl.facts .provenance{text-align:right;padding-top:.1rem}
.evidence{margin:.2rem 0;padding:.25rem .6rem;border-left:3px solid #c5cdd8;background:#f7f9fb;font-size:.85rem;color:#333d4a}
mark{border-radius:2px;padding:0 1px;background:#e8eef6;color:inherit}
mark.place{background:#d9f0e3}mark.person{background:#fde2cf}mark.org{background:#e5dcf5}mark.project{background:#f9d9ec}
mark.date{background:#d6e7fb}mark.count{background:#fff0b3}mark.event{background:#e2e6eb;font-weight:600}
.sources{font-size:.78rem;color:#5d6878}
.sources ul{display:inline;margin:0;padding:0 0 0 .3rem;list-style:none}
.sources li{display:inline}
.sources .many+ul{display:block;padding-left:1.1rem;list-style:disc}
.sources .many+ul li{display:list-item}
.sources .url{word-break:break-all}
#empty{padding:2rem;text-align:center;color:#5d6878}
footer{margin-top:1.5rem;font-size:.75rem;color:#5d6878}
footer mark{font-size:.72rem}
@media (max-width:52rem){li.event{grid-template-columns:1fr;gap:.2rem}.top{flex-direction:column;align-items:stretch}
 dl.facts{grid-template-columns:6.6rem 1fr}dl.facts .provenance{grid-column:2;text-align:left;padding:0}}
"""

# Loaded once per page; builds DOM from the rendered rows with textContent/setAttribute only.
_SCRIPT = r"""
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const groupsBox = $("groups");
  const rows = Array.from(groupsBox.querySelectorAll("li.event"));
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const haystacks = new Map(rows.map((row) => [row, fold(row.textContent)]));
  const filters = ["project", "municipality", "type", "from", "to", "search"].map((name) => $("f-" + name));
  const [project, municipality, type, from, to, search] = filters;
  const group = $("f-group");
  const order = $("f-order");
  const ungrouped = { project: "No project", municipality: "No municipality identified" };
  const svgNS = "http://www.w3.org/2000/svg";
  let months = new Map();

  function layout() {
    const newestFirst = order.value === "newest";
    const sorted = rows.slice().sort((a, b) => {
      const dated = Number(Boolean(b.dataset.date)) - Number(Boolean(a.dataset.date));
      if (dated) return dated;
      const byOrder = Number(a.dataset.order) - Number(b.dataset.order);
      return newestFirst && a.dataset.date ? -byOrder : byOrder;
    });
    const key = group.value === "project" ? "groupProject" : group.value === "municipality" ? "groupMunicipality" : null;
    const sections = new Map();
    for (const row of sorted) {
      const label = key ? row.dataset[key] : "";
      if (!sections.has(label)) sections.set(label, []);
      sections.get(label).push(row);
    }
    const labels = Array.from(sections.keys()).sort((a, b) => (!a - !b) || a.localeCompare(b));
    groupsBox.replaceChildren();
    for (const label of labels) {
      const section = document.createElement("section");
      section.className = "group";
      if (key) {
        const heading = document.createElement("h2");
        const name = document.createElement("span");
        name.textContent = label || ungrouped[group.value];
        const count = document.createElement("span");
        count.className = "count";
        heading.append(name, count);
        section.append(heading);
      }
      const list = document.createElement("ol");
      list.className = "events";
      list.append(...sections.get(label));
      section.append(list);
      groupsBox.append(section);
    }
    update();
  }

  function matches(row, terms) {
    const data = row.dataset;
    return (!project.value || data.project === project.value)
      && (!municipality.value || data.municipalities.split(" ").includes(municipality.value))
      && (!type.value || data.type === type.value)
      && (!from.value || (data.date && data.date >= from.value))
      && (!to.value || (data.date && data.date <= to.value))
      && terms.every((term) => haystacks.get(row).includes(term));
  }

  function update() {
    const terms = fold(search.value).split(/\s+/).filter(Boolean);
    const articles = new Set();
    let shown = 0;
    let uncharted = 0;
    months = new Map();
    for (const row of rows) {
      row.hidden = !matches(row, terms);
      if (row.hidden) continue;
      shown += 1;
      row.dataset.articles.split(" ").forEach((id) => articles.add(id));
      const month = row.dataset.month;
      if (month) months.set(month, (months.get(month) || 0) + 1);
      else uncharted += 1;
    }
    for (const section of groupsBox.children) {
      const count = section.querySelectorAll("li.event:not([hidden])").length;
      section.hidden = count === 0;
      const badge = section.querySelector(".count");
      if (badge) badge.textContent = String(count);
    }
    $("shown").textContent = String(shown);
    $("shown-articles").textContent = String(articles.size);
    $("empty").hidden = shown > 0;
    $("uncharted").textContent = uncharted ? uncharted + " without a month not charted ·" : "";
    drawChart();
  }

  function monthsBetween(first, last) {
    let [year, month] = first.split("-").map(Number);
    const [lastYear, lastMonth] = last.split("-").map(Number);
    const all = [];
    while (year < lastYear || (year === lastYear && month <= lastMonth)) {
      all.push(year + "-" + String(month).padStart(2, "0"));
      month += 1;
      if (month > 12) { month = 1; year += 1; }
    }
    return all;
  }

  function svg(name, attributes, text) {
    const element = document.createElementNS(svgNS, name);
    for (const [attribute, value] of Object.entries(attributes)) element.setAttribute(attribute, String(value));
    if (text !== undefined) element.textContent = text;
    return element;
  }

  function pickMonth(month) {
    const [year, number] = month.split("-").map(Number);
    from.value = month + "-01";
    to.value = month + "-" + String(new Date(Date.UTC(year, number, 0)).getUTCDate()).padStart(2, "0");
    update();
  }

  function drawChart() {
    const chart = $("chart");
    const width = Math.max(chart.clientWidth, 200);
    const height = 64;
    const base = height - 14;
    chart.setAttribute("viewBox", "0 0 " + width + " " + height);
    chart.replaceChildren();
    const keys = Array.from(months.keys()).sort();
    const total = Array.from(months.values()).reduce((sum, n) => sum + n, 0);
    $("chart-scale").textContent = "";
    if (!keys.length) {
      chart.setAttribute("aria-label", "no dated events");
      chart.append(svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle" }, "No dated events match"));
      return;
    }
    const all = monthsBetween(keys[0], keys[keys.length - 1]);
    const most = Math.max(...months.values());
    $("chart-scale").textContent = "tallest bar: " + most;
    const slot = width / all.length;
    let labelledUpTo = -Infinity;
    const events = total === 1 ? " dated event" : " dated events";
    chart.setAttribute("aria-label", total + events + " by month, " + all[0] + " to " + all[all.length - 1]);
    chart.append(svg("line", { x1: 0, x2: width, y1: base + 0.5, y2: base + 0.5 }));
    all.forEach((month, index) => {
      const count = months.get(month) || 0;
      if (count) {
        const barHeight = Math.max(2, (count / most) * (base - 10));
        const barWidth = Math.max(1, Math.min(24, slot * 0.8));
        const bar = svg("rect", {
          x: index * slot + (slot - barWidth) / 2, y: base - barHeight, width: barWidth, height: barHeight, rx: 1.5,
        });
        bar.append(svg("title", {}, month + ": " + count + (count === 1 ? " event" : " events")));
        bar.addEventListener("click", () => pickMonth(month));
        chart.append(bar);
      }
      const middle = Math.min(Math.max(index * slot + slot / 2, 20), width - 20);  // labels stay inside
      if (middle - 20 > labelledUpTo + 8) {  // a label where the last one leaves room
        chart.append(svg("text", { x: middle, y: height - 2, "text-anchor": "middle" }, month));
        labelledUpTo = middle + 20;
      }
    });
  }

  filters.forEach((control) => control.addEventListener("input", update));
  group.addEventListener("change", layout);
  order.addEventListener("change", layout);
  $("reset").addEventListener("click", () => {
    filters.forEach((control) => { control.value = ""; });
    update();
  });
  window.addEventListener("resize", drawChart);
  layout();
})();
"""


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


_CSP = (
    f"default-src 'none'; script-src {_csp_hash(_SCRIPT)}; style-src {_csp_hash(_STYLE)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _clean(value: Any) -> Any:
    """Plain Python values from pyarrow or pandas rows: numpy arrays as lists, NaN/NaT/None as None."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    return None if value is None or (not isinstance(value, list) and value != value) else value


def _escape(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _group_of(event: Mapping[str, Any]) -> str:
    """The event_id of the event's group; rows written before groups existed are their own group."""
    return event.get("event_group") or event["event_id"]


def _source_ids(event: Mapping[str, Any]) -> list[str]:
    """Every article reporting the event, its own first."""
    ids = [event["article_id"], *(event.get("source_article_ids") or ())]
    return list(dict.fromkeys(ids))


def _sort_key(event: Mapping[str, Any]) -> tuple:
    start = event.get("date_start")
    iso = event.get("date_iso") or ""
    # Dated events in date order; year-less ones by month-day after them; undated last.
    if isinstance(start, date):
        return (0, start.isoformat(), event.get("title") or "")
    return (1 if iso else 2, iso, event.get("title") or "")


def _project_key(event: Mapping[str, Any]) -> str:
    return event.get("project_id") or event.get("project") or ""


def _project_label(event: Mapping[str, Any]) -> str:
    if not event.get("project"):
        return ""
    english = event.get("project_english")
    return f"{event['project']} ({english})" if english and english != event["project"] else event["project"]


def _when(event: Mapping[str, Any]) -> str:
    iso = event.get("date_iso")
    if not iso:
        return '<div class="when"><span class="date">no date</span></div>'
    first, _, last = iso.partition("/")
    parts = [f'<span class="date">{_escape(first.removeprefix("--"))}</span>']
    if last:
        parts.append(f'<span class="date">– {_escape(last.removeprefix("--"))}</span>')
    precision = _PRECISION_LABELS.get(event.get("date_precision") or "unknown", event.get("date_precision"))
    parts.append(f'<span class="precision">{_escape(precision)}</span>')
    if iso.startswith("--"):
        parts.append('<span class="flag">year unknown</span>')
    if event.get("date_text"):
        parts.append(f'<span class="written">“{_escape(event["date_text"])}”</span>')
    parts.append(_provenance(event, "date"))
    return f'<div class="when">{"".join(parts)}</div>'


def _provenance(event: Mapping[str, Any], field: str) -> str:
    method, confidence = event.get(f"{field}_method"), event.get(f"{field}_confidence")
    if not method and confidence is None:
        return '<span class="provenance"></span>'  # keeps the facts' third column in line
    score = f"{confidence:.2f}" if confidence is not None else ""
    low = " low" if confidence is not None and confidence < 0.5 else ""
    return f'<span class="provenance{low}">{_escape(" · ".join(p for p in (method, score) if p))}</span>'


def _headcount(event: Mapping[str, Any]) -> str:
    count = _number(event["participant_count"])
    if event.get("participant_count_max") is not None:
        count += f"–{_number(event['participant_count_max'])}"
    else:
        count = _QUALIFIERS.get(event.get("participant_count_qualifier") or "exact", "") + count
    noun = f" ({event['participant_noun']})" if event.get("participant_noun") else ""
    origin = f" from {event['participant_origin']}" if event.get("participant_origin") else ""
    return f"{count}{noun}{origin}"


def _facts(event: Mapping[str, Any]) -> str:
    facts: list[tuple[str, str, str]] = []  # label, value, provenance field
    if event.get("places"):
        facts.append(("Where", ", ".join(event["places"]), "places"))
    officials = [
        f"{name} ({', '.join(p for p in ((role or '').replace('_', ' '), organization) if p)})"
        if role or organization
        else name
        for name, role, organization in zip(
            event.get("officials") or (),
            event.get("official_roles") or (),
            event.get("official_organizations") or (),
            strict=False,
        )
    ]
    if officials:
        facts.append(("Officials", "; ".join(officials), "officials"))
    if event.get("participant_count") is not None:
        facts.append(("Participants", _headcount(event), "participants"))
    if event.get("organizations"):
        facts.append(("Organizations", ", ".join(event["organizations"]), "organizations"))
    if event.get("communities"):
        facts.append(("Communities", ", ".join(event["communities"]), "organizations"))
    if event.get("project"):
        details = [f"programme: {event['project_programme']}"] if event.get("project_programme") else []
        if event.get("project_partners"):
            details.append(f"partners: {', '.join(event['project_partners'])}")
        suffix = f" — {'; '.join(details)}" if details else ""
        facts.append(("Project", _project_label(event) + suffix, "project"))
    return "".join(
        f"<dt>{_escape(label)}</dt><dd>{_escape(value)}</dd>{_provenance(event, field)}"
        for label, value, field in facts
    )


def _highlighted(text: str, offset: int, mentions: Iterable[Mapping[str, Any]]) -> str:
    """``text`` (found at ``offset`` in its article) escaped, with the mentions inside it in ``<mark>``.

    Of overlapping mentions the first and, among those, the longest is marked.
    """
    pieces, cursor = [], 0
    for mention in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        begin, end = mention["start"] - offset, mention["end"] - offset
        css = _MARK_CLASSES.get(mention["type"])
        if css is None or begin < cursor or end > len(text) or end <= begin:
            continue
        label = f"{mention['type'].lower()}: {mention.get('normalized') or text[begin:end]}"
        pieces.append(_escape(text[cursor:begin]))
        pieces.append(f'<mark class="{css}" title="{_escape(label)}">{_escape(text[begin:end])}</mark>')
        cursor = end
    pieces.append(_escape(text[cursor:]))
    return "".join(pieces)


def _evidence(event: Mapping[str, Any], article: Mapping[str, Any], mentions: Sequence[Mapping[str, Any]]) -> str:
    start, end, evidence = event["evidence_start"], event["evidence_end"], event.get("evidence_text") or ""
    # Offsets are only trusted when they still point at the evidence in the article's text.
    at_offsets = event.get("evidence_at_offsets")
    if not (at_offsets if at_offsets is not None else (article.get("text") or "")[start:end] == evidence):
        return _escape(evidence)
    return _highlighted(evidence, start, (m for m in mentions if start <= m["start"] and m["end"] <= end))


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed address is shown as text
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _source(article_id: str, article: Mapping[str, Any] | None) -> str:
    if article is None:
        return f"<li>article {_escape(article_id)} (not in this output)</li>"
    title = _escape(article.get("title") or "untitled article")
    url = article.get("url") or ""
    if _is_web_url(url):
        headline = f'<a href="{_escape(url)}" rel="noopener noreferrer" target="_blank">{title}</a>'
    else:  # javascript:, data: and the like stay text
        headline = f'{title} <span class="url">{_escape(url or article.get("origin"))}</span>'
    published = article.get("published_at")
    details = [article.get("source"), published.date().isoformat() if published else None]
    return f"<li>{headline}{''.join(f' · {_escape(d)}' for d in details if d)}</li>"


def _event_item(
    event: Mapping[str, Any],
    order: int,
    articles: Mapping[str, Mapping[str, Any]],
    mentions: Sequence[Mapping[str, Any]],
    municipalities: Mapping[str, str],
) -> str:
    """One entry; ``municipalities`` maps the ids of the municipalities the event took place in to names."""
    sources = _source_ids(event)
    in_municipalities = list(municipalities)
    start = event.get("date_start")
    charted = isinstance(start, date) and event.get("date_precision") in _CHARTED_PRECISIONS
    data = {
        "order": order,
        "type": event.get("event_type") or "",
        "project": _project_key(event),
        "municipalities": " ".join(in_municipalities),
        "date": start.isoformat() if isinstance(start, date) else "",
        "month": start.isoformat()[:7] if charted else "",
        "group-project": _project_label(event),
        "group-municipality": " · ".join(municipalities.values()),
        "articles": " ".join(sources),
    }
    attributes = "".join(f' data-{name}="{_escape(value)}"' for name, value in data.items())
    confidence = event.get("confidence")
    score = f"{event.get('method') or ''} · {confidence:.2f}" if confidence is not None else event.get("method")
    low = " low" if confidence is not None and confidence < 0.5 else ""
    reported = "Source:" if len(sources) == 1 else f'<span class="many">Reported by {len(sources)} articles:</span>'
    source_list = "".join(_source(article_id, articles.get(article_id)) for article_id in sources)
    return (
        f'<li class="event" id="event-{_escape(_group_of(event))}"{attributes}>'
        f"{_when(event)}<div>"
        f'<div class="head"><span class="type">{_escape(event.get("event_type"))}</span>'
        f'<h3 class="title">{_escape(event.get("title"))}</h3>'
        f'<span class="score{low}" title="event: method · confidence">{_escape(score)}</span></div>'
        f'<dl class="facts">{_facts(event)}</dl>'
        f'<blockquote class="evidence">{_evidence(event, articles.get(event["article_id"], {}), mentions)}</blockquote>'
        f'<div class="sources">{reported}<ul>{source_list}</ul></div>'
        "</div></li>"
    )


def _options(everything: str, choices: Mapping[str, str]) -> str:
    options = [f'<option value="">{_escape(everything)}</option>']
    options += [
        f'<option value="{_escape(value)}">{_escape(label)}</option>'
        for value, label in sorted(choices.items(), key=lambda item: item[1].casefold())
    ]
    return "".join(options)


def render_timeline(
    events: Iterable[Mapping[str, Any]],
    articles: Mapping[str, Mapping[str, Any]],
    mentions: Iterable[Mapping[str, Any]] = (),
    municipalities: Mapping[str, str] | None = None,
    *,
    place_municipality: Mapping[str, str] | None = None,
    selection: Mapping[str, str] | None = None,
) -> str:
    """The timeline page of ``events`` (rows of the events table, as dicts).

    ``articles`` maps article_id to its row (title, source, url, published_at, and text unless each event
    tells whether its offsets point at its evidence there: ``evidence_at_offsets``); ``mentions``
    are rows of the mentions table (article_id, start, end, type, normalized) highlighted in the
    evidence; ``municipalities`` maps municipality ids to names, and ``place_municipality`` the
    events' other place ids (towns, elderships) to the municipality they lie in; ``selection`` names the filters the rows were chosen with, shown under the heading. One entry
    per event group: the row whose event_id is its ``event_group`` (rows without one are their
    own group), listing every article of the group's ``source_article_ids``.
    """
    return "".join(
        _page_parts(
            events, articles, mentions, municipalities, place_municipality=place_municipality, selection=selection
        )
    )


def _page_parts(
    events: Iterable[Mapping[str, Any]],
    articles: Mapping[str, Mapping[str, Any]],
    mentions: Iterable[Mapping[str, Any]] = (),
    municipalities: Mapping[str, str] | None = None,
    *,
    place_municipality: Mapping[str, str] | None = None,
    selection: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """:func:`render_timeline`'s page in pieces, one per event between the head and the foot, so that a
    page of 10,000 events is written to its file without being held whole."""
    municipalities = municipalities or {}
    place_municipality = place_municipality or {}
    entries: dict[str, dict[str, Any]] = {}
    for event in events:
        row = {key: _clean(value) for key, value in event.items()}
        # The group's representative stands for it; without it among the rows, the group's first row does.
        if _group_of(row) not in entries or row["event_id"] == _group_of(row):
            entries[_group_of(row)] = row
    shown = sorted(entries.values(), key=_sort_key)
    articles = {key: {k: _clean(v) for k, v in row.items()} for key, row in articles.items()}
    mentions_by_article: dict[str, list[Mapping[str, Any]]] = {}
    for mention in mentions:
        mentions_by_article.setdefault(mention["article_id"], []).append(mention)
    projects = {_project_key(e): _project_label(e) for e in shown if _project_key(e)}
    in_events = {m for e in shown for m in _municipalities_of(e, municipalities, place_municipality)}
    places = {m: f"{municipalities[m]} ({m})" for m in sorted(in_events)}
    types = {e["event_type"]: e["event_type"] for e in shown if e.get("event_type")}
    article_count = len({article_id for e in shown for article_id in _source_ids(e)})
    chosen = " · ".join(f"{name} {value}" for name, value in (selection or {}).items())
    scope = f" Selected when written: {_escape(chosen)}." if chosen else ""
    legend = "".join(
        f'<mark class="{css}">{label}</mark> '
        for css, label in (
            ("date", "date"),
            ("place", "place"),
            ("person", "person / role"),
            ("org", "organization"),
            ("project", "project"),
            ("count", "headcount"),
            ("event", "activity"),
        )
    )
    yield f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>nvo-nlp event timeline</title>
<style>{_STYLE}</style></head><body><div class="page">
<header class="top"><div><h1>Event timeline</h1>
<p class="meta">{len(shown)} events from {article_count} articles.{scope}</p></div>
<div class="chart"><div class="chart-head"><span>Activities per month</span><span><span id="uncharted"></span> <span id="chart-scale"></span></span></div>
<svg id="chart" role="img" aria-label="activities per month"></svg></div></header>
<div class="bar" role="search">
<label>Project<select id="f-project">{_options("All projects", projects)}</select></label>
<label>Municipality<select id="f-municipality">{_options("All municipalities", places)}</select></label>
<label>Type<select id="f-type">{_options("All types", types)}</select></label>
<div class="dates"><label>From<input id="f-from" type="date"></label><label>To<input id="f-to" type="date"></label></div>
<label>Search<input id="f-search" type="search" placeholder="any text…"></label>
<button id="reset" type="button">Reset</button>
<span class="shown"><b id="shown">{len(shown)}</b> of {len(shown)} events · <b id="shown-articles">{article_count}</b> articles</span>
</div>
<div class="view"><label>Group by <select id="f-group"><option value="project">project</option>\
<option value="municipality">municipality</option><option value="none">nothing</option></select></label>
<label>Order <select id="f-order"><option value="newest">newest first</option>\
<option value="oldest">oldest first</option></select></label></div>
<main id="groups"><section class="group"><ol class="events">
"""
    for order, event in enumerate(shown):
        yield ("\n" if order else "") + _event_item(
            event,
            order,
            articles,
            mentions_by_article.get(event["article_id"], []),
            _municipalities_of(event, municipalities, place_municipality),
        )
    yield f"""
</ol></section></main>
<p id="empty" hidden>No events match these filters.</p>
<footer><p>Highlighted in the evidence: {legend}</p>
<p>Method and confidence: what produced each value and how sure it is (0–1); “:evidence” = found in the event’s
own sentences, “:article” = elsewhere in the article. Values below 0.5 are in orange.
Dates “year unknown” were written without a year. Click a bar of the chart to show its month.</p></footer>
</div><script>{_SCRIPT}</script></body></html>
"""


def _of_project(events: pd.DataFrame, project: str) -> pd.Series:
    wanted = project.casefold()
    matched = pd.Series(False, index=events.index)
    for column in ("project", "project_english", "project_id"):
        matched |= events[column].fillna("").astype(str).str.casefold() == wanted
    return matched


def _municipalities_of(
    event: Mapping[str, Any], municipalities: Mapping[str, str], place_municipality: Mapping[str, str]
) -> dict[str, str]:
    ids = (place_municipality.get(place, place) for place in event.get("place_ids") or ())
    return {municipality: municipalities[municipality] for municipality in ids if municipality in municipalities}


def _municipality_names() -> dict[str, str]:
    gazetteer = default_gazetteer().entities.values()
    return {e.id: e.place.get("en") or e.label("en") for e in gazetteer if e.kind == "municipality"}


def _place_municipalities(place_ids: Iterable[str]) -> dict[str, str]:
    gazetteer = default_gazetteer()
    return {
        place: municipality.id
        for place in place_ids
        if (municipality := gazetteer.municipality_of(place)) is not None and municipality.id != place
    }


# What the page shows of articles and mentions: the other columns are never read.
_ARTICLE_COLUMNS = ["article_id", "origin", "url", "source", "title", "published_at"]
_MENTION_COLUMNS = ["article_id", "start", "end", "type", "normalized"]


def write_timeline(
    output: str | Path,
    *,
    project: str | None = None,
    municipality: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    html: str | Path | None = None,
) -> Path:
    """Write the timeline page of the output directory's events (``html``, default ``OUTPUT/timeline.html``).

    Reads the tables and never writes them. ``project`` matches an event's project, project_english
    or project_id (case-insensitive); ``municipality``, ``since`` and ``until`` filter as in
    :func:`nvo_nlp.store.dataset.load`. Raises ``StoreError``/``ConfigError`` with a one-line message.
    """
    output = Path(output)
    events = load("events", output, since=since, until=until, municipality=municipality)
    if project is not None:
        events = events[_of_project(events, project)]
        if events.empty and not _of_project(load("events", output), project).any():
            raise ConfigError(f"no event in {output} belongs to project {project!r} (its name, English name or id)")
    article_ids = sorted({*events.article_id, *_listed(events, "source_article_ids")})
    articles = load("articles", output, columns=_ARTICLE_COLUMNS, where={"article_id": article_ids})
    mentions = load("mentions", output, columns=_MENTION_COLUMNS, where={"article_id": sorted(set(events.article_id))})
    events = events.assign(evidence_at_offsets=_evidence_at_offsets(output, events))
    selection = {"project": project, "municipality": municipality, "since": since, "until": until}
    parts = _page_parts(
        events.to_dict("records"),
        {row["article_id"]: row for row in articles.to_dict("records")},
        _in_evidence(mentions, events).to_dict("records"),
        _municipality_names(),
        place_municipality=_place_municipalities(_listed(events, "place_ids")),
        selection={name: str(value) for name, value in selection.items() if value is not None},
    )
    target = Path(html) if html is not None else output / "timeline.html"

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8") as page:
            page.writelines(parts)

    return atomic_write(target, write)


def _evidence_at_offsets(output: Path, events: pd.DataFrame) -> list[bool]:
    """Whether each event's offsets still point at its evidence in its article's text, reading the texts
    a few hundred at a time, not all at once (10,000 articles: the page's peak memory 580 -> 534 MB)."""
    wanted: dict[str, list[tuple[int, int, int, str]]] = {}
    columns = zip(events.article_id, events.evidence_start, events.evidence_end, events.evidence_text, strict=True)
    for position, (article_id, start, end, evidence) in enumerate(columns):
        wanted.setdefault(article_id, []).append((position, start, end, evidence or ""))
    found = [False] * len(events)
    for path in table_files(output, "articles"):
        for batch in pq.ParquetFile(path).iter_batches(columns=["article_id", "text"], batch_size=256):
            for article_id, text in zip(batch["article_id"].to_pylist(), batch["text"].to_pylist(), strict=True):
                for position, start, end, evidence in wanted.get(article_id, ()):
                    found[position] = (text or "")[start:end] == evidence
    return found


def _in_evidence(mentions: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The mentions inside some event's evidence: the only ones the page marks (10,000 articles: 41,157 of
    197,606; the page's peak memory 821 -> 580 MB, the same page)."""
    spans = events[["article_id", "evidence_start", "evidence_end"]].drop_duplicates()
    paired = mentions.merge(spans, on="article_id")
    inside = paired[(paired.evidence_start <= paired.start) & (paired.end <= paired.evidence_end)]
    return inside[mentions.columns].drop_duplicates()


def _listed(frame: pd.DataFrame, column: str) -> set[str]:
    """Every value of a list column; none when the column is missing (outputs written before it existed)."""
    if column not in frame:
        return set()
    return {value for values in frame[column].map(_clean) if values for value in values}
