import base64
import hashlib
import math
import re
from datetime import date, datetime
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

from conftest import LT_SAMPLE
from nvo_nlp.ingest.articles import Article
from nvo_nlp.process import analyze
from nvo_nlp.report import render_timeline, write_timeline
from nvo_nlp.store import write_run
from nvo_nlp.store.dataset import load

HOSTILE = '<script>window.__pwned=1</script>"onerror=window.__pwned=1 x="'


class _Page(HTMLParser):
    """Tags, attributes and text of a page, and the raw text of its scripts and styles."""

    def __init__(self, page: str):
        super().__init__()
        self.tags, self.text, self.scripts, self.styles, self._in = [], [], [], [], None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)
        else:
            self.text.append(data)

    def entries(self):
        return [attrs for tag, attrs in self.tags if tag == "li" and attrs.get("class") == "event"]


def event(title, start=None, iso=None, precision=None, **extra):
    base = {
        "event_id": title,
        "article_id": "a1",
        "event_type": "meeting",
        "title": title,
        "date_start": start,
        "date_iso": iso,
        "date_precision": precision,
        "evidence_start": 0,
        "evidence_end": 0,
        "evidence_text": f"Evidence of {title}.",
        "confidence": 0.8,
        "method": "rules",
    }
    return {**base, **extra}


def entry_of(page: str, event_id: str) -> str:
    return re.search(rf'<li class="event" id="event-{event_id}".*?</li>\n', page, re.S).group(0)


def test_timeline_groups_events_by_project_and_municipality_in_date_order():
    municipalities = {"LT-21": "Klaipėda District", "LV-LPX": "Liepāja"}
    page = _Page(
        render_timeline(
            [
                event("Later", date(2025, 10, 1), "2025-10-01", "day", place_ids=["LT-21", "LT-21:gargzdai"]),
                event(
                    "Cross-border",
                    date(2025, 9, 1),
                    "2025-09-01",
                    "day",
                    place_ids=["LV-LPX", "LT-21"],
                    project="NVO gebėjimų stiprinimas",
                    project_english="NGO Capacity",
                    project_id="project:ngo-capacity",
                ),
                event("Undated", event_type="festival"),
                event("In-a-town", date(2025, 8, 1), "2025-08-01", "day", place_ids=["LT-21:gargzdai"]),
            ],
            {},
            municipalities=municipalities,
            place_municipality={"LT-21:gargzdai": "LT-21"},
        )
    )
    entries = {attrs["id"]: attrs for attrs in page.entries()}
    assert [attrs["id"] for attrs in page.entries()] == [
        "event-In-a-town",
        "event-Cross-border",
        "event-Later",
        "event-Undated",
    ]
    assert [attrs["data-order"] for attrs in page.entries()] == ["0", "1", "2", "3"]
    cross = entries["event-Cross-border"]
    assert cross["data-group-project"] == "NVO gebėjimų stiprinimas (NGO Capacity)"
    assert cross["data-project"] == "project:ngo-capacity"
    assert cross["data-group-municipality"] == "Liepāja · Klaipėda District"
    assert cross["data-municipalities"] == "LV-LPX LT-21"
    assert entries["event-Later"]["data-municipalities"] == "LT-21"  # the town's municipality, once
    assert entries["event-In-a-town"]["data-municipalities"] == "LT-21"  # Gargždai lies in LT-21
    assert entries["event-Undated"]["data-group-project"] == entries["event-Undated"]["data-group-municipality"] == ""
    options = {attrs["value"] for tag, attrs in page.tags if tag == "option"}
    assert {"LT-21", "LV-LPX", "project:ngo-capacity", "meeting", "festival"} <= options
    assert "Klaipėda District (LT-21)" in "".join(page.text)


@pytest.mark.parametrize(
    ("iso", "precision", "shown"),
    [
        ("2025-09-21", "day", ["2025-09-21", "day"]),
        ("2025-09-15/2025-09-21", "week", ["2025-09-15", "– 2025-09-21", "week"]),
        ("2025-09-21/2025-09-30", "month-part", ["2025-09-21", "– 2025-09-30", "part of month"]),
        ("2025-09", "month", ["2025-09", "month"]),
        ("2025", "year", ["2025", "year"]),
        ("--09-21/--09-30", "month-part", ["09-21", "– 09-30", "part of month", "year unknown"]),
        ("--09-21", "day", ["09-21", "day", "year unknown"]),
        (None, None, ["no date"]),
    ],
)
def test_timeline_labels_date_precision_and_flags_year_unknown(iso, precision, shown):
    page = render_timeline([event("E", None, iso, precision)], {})
    when = re.search(r'<div class="when">(.*?)</div>', page).group(1)
    assert re.findall(r">([^<]+)<", when) == shown


def test_timeline_charts_only_events_with_a_month():
    page = _Page(
        render_timeline(
            [
                event("Day", date(2025, 9, 21), "2025-09-21", "day"),
                event("Year", date(2025, 1, 1), "2025", "year"),
                event("No year", None, "--09-21", "day"),
            ],
            {},
        )
    )
    months = {attrs["id"]: (attrs["data-date"], attrs["data-month"]) for attrs in page.entries()}
    assert months == {
        "event-Day": ("2025-09-21", "2025-09"),
        "event-Year": ("2025-01-01", ""),
        "event-No year": ("", ""),
    }


def test_timeline_shows_officials_headcounts_and_provenance():
    page = render_timeline(
        [
            event(
                "Visit",
                officials=["Violeta Riaukienė", "Valdis Zatlers"],
                official_roles=["vice_mayor", "head_of_state"],
                official_organizations=["Klaipėdos rajono savivaldybė", ""],
                participant_count=22,
                participant_noun="svečias",
                participant_origin="Latvija",
                participants_method="rules:evidence",
                participants_confidence=0.9,
                officials_method="rules:article",
                officials_confidence=0.35,
                organizations=["Brožių kaimo bendruomenė"],
                communities=["Dauparų bendruomenė"],
            ),
            event("Range", participant_count=20, participant_count_max=30, participant_count_qualifier="range"),
            event("About", participant_count=100, participant_count_qualifier="approx", participant_noun="žmogus"),
        ],
        {},
    )
    assert "Violeta Riaukienė (vice mayor, Klaipėdos rajono savivaldybė); Valdis Zatlers (head of state)" in page
    assert "22 (svečias) from Latvija</dd>" in page and "20–30</dd>" in page and "about 100 (žmogus)</dd>" in page
    assert "Brožių kaimo bendruomenė" in page and "Dauparų bendruomenė" in page
    assert '<span class="provenance">rules:evidence · 0.90</span>' in page
    assert '<span class="provenance low">rules:article · 0.35</span>' in page  # below 0.5 stands out
    assert "rules · 0.80" in page  # the event's own method and confidence


def test_timeline_highlights_the_mentions_of_the_evidence_at_their_offsets():
    text = "Intro sentence. Rugsėjo 25 d. Gargžduose vyko susitikimas. Vicemerė Violeta Riaukienė kalbėjo."
    start = text.index("Rugsėjo")
    end = text.index("Vicemerė")
    evidence = text[start:end].strip()

    def mention(kind, written, normalized=None):
        offset = text.index(written)
        return {
            "article_id": "a1",
            "start": offset,
            "end": offset + len(written),
            "type": kind,
            "normalized": normalized,
        }

    mentions = [
        mention("DATE", "Rugsėjo 25 d.", "2025-09-25"),
        mention("PLACE", "Gargžduose", "Gargždai"),
        mention("MUNICIPALITY", "Gargžd"),  # overlaps the place: the first, longest mark wins
        mention("ACTIVITY", "susitikimas"),
        mention("QUOTE", "vyko susitikimas"),  # quotes are not marked
        mention("PERSON", "Violeta Riaukienė"),  # outside the evidence
    ]
    row = event("E", evidence_start=start, evidence_end=start + len(evidence), evidence_text=evidence)
    page = render_timeline([row], {"a1": {"article_id": "a1", "text": text}}, mentions)
    quote = re.search(r'<blockquote class="evidence">(.*?)</blockquote>', page).group(1)
    assert quote == (
        '<mark class="date" title="date: 2025-09-25">Rugsėjo 25 d.</mark> '
        '<mark class="place" title="place: Gargždai">Gargžduose</mark> vyko '
        '<mark class="event" title="activity: susitikimas">susitikimas</mark>.'
    )
    # Offsets that no longer point at the evidence are not trusted: the evidence is shown plain.
    stale = render_timeline([row], {"a1": {"article_id": "a1", "text": "Other text. " + text}}, mentions)
    assert f'<blockquote class="evidence">{evidence}</blockquote>' in stale


def test_timeline_escapes_every_article_string():
    text = f"Tekstas: {HOSTILE} vyko."
    row = event(
        HOSTILE,
        places=[HOSTILE],
        place_ids=["LT-21"],
        event_type=HOSTILE,
        project=HOSTILE,
        officials=[HOSTILE],
        official_roles=[HOSTILE],
        official_organizations=[HOSTILE],
        date_text=HOSTILE,
        date_iso="2025-09-21",
        date_precision="day",
        evidence_start=0,
        evidence_end=len(text),
        evidence_text=text,
        method=HOSTILE,
    )
    article = {
        "article_id": "a1",
        "title": HOSTILE,
        "source": HOSTILE,
        "url": "javascript:window.__pwned=1",
        "text": text,
    }
    mentions = [{"article_id": "a1", "start": 9, "end": 9 + len(HOSTILE), "type": "PLACE", "normalized": HOSTILE}]
    page = render_timeline([row], {"a1": article}, mentions, {"LT-21": HOSTILE}, selection={"project": HOSTILE})
    parsed = _Page(page)
    assert [tag for tag, _ in parsed.tags if tag == "script"] == ["script"]  # only the page's own
    assert not any("window.__pwned" in script for script in parsed.scripts)
    assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs)
    assert not any(tag in ("img", "a", "iframe", "object", "embed") for tag, _ in parsed.tags)
    visible = "".join(parsed.text)
    assert visible.count(HOSTILE) >= 8 and "javascript:window.__pwned=1" in visible


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.lt/a?b=1&c=2", True),
        ("HTTP://example.lt/", True),
        ("javascript:window.__pwned=1", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("https:example", False),
        ("http://[::1", False),
        (None, False),
    ],
)
def test_timeline_links_only_http_and_https_urls(url, linked):
    article = {"article_id": "a1", "title": "Straipsnis", "source": "Portalas", "url": url, "origin": "a.txt"}
    parsed = _Page(render_timeline([event("E")], {"a1": article}))
    links = [attrs for tag, attrs in parsed.tags if tag == "a"]
    assert [link["href"] for link in links] == ([url] if linked else [])
    assert all(link["rel"] == "noopener noreferrer" for link in links)
    if not linked:
        assert (url or "a.txt") in "".join(parsed.text)


def test_timeline_shows_one_entry_per_event_group_with_every_source():
    articles = {
        article_id: {"article_id": article_id, "title": f"Title {article_id}", "url": f"https://x.lt/{article_id}"}
        for article_id in ("a1", "a2", "a3")
    }
    rows = [
        event("E1", event_group="E1", source_article_ids=["a1", "a2", "a3"]),
        event("E2", article_id="a2", event_group="E1", source_article_ids=["a1", "a2", "a3"]),
        event("E3", article_id="a3", event_group="E1", source_article_ids=["a1", "a2", "a3"]),
        event("Alone", event_group="Alone", source_article_ids=["a1"]),
        event("Old output", event_group=None, source_article_ids=None),  # written before groups existed
        event("NaN", event_group=math.nan, source_article_ids=math.nan),
    ]
    page = render_timeline(rows, articles)
    parsed = _Page(page)
    assert [attrs["id"] for attrs in parsed.entries()] == ["event-Alone", "event-E1", "event-NaN", "event-Old output"]
    grouped = entry_of(page, "E1")
    assert "Reported by 3 articles" in grouped and all(f"https://x.lt/{a}" in grouped for a in ("a1", "a2", "a3"))
    assert parsed.entries()[1]["data-articles"] == "a1 a2 a3"
    assert "Source:" in entry_of(page, "Old output") and parsed.entries()[3]["data-articles"] == "a1"
    assert "6 events" not in page and "4 events from 3 articles" in page
    # A group whose representative is not among the rows (filtered out) is shown by another of its rows.
    only_copy = _Page(render_timeline(rows[1:3], articles))
    assert [attrs["id"] for attrs in only_copy.entries()] == ["event-E1"]


def test_timeline_reads_pandas_rows():
    rows = [
        event(
            "E",
            date(2025, 9, 21),
            "2025-09-21",
            "day",
            places=["Gargždai"],
            place_ids=["LT-21:gargzdai"],
            participant_count=22,
            participant_noun="svečias",
            event_group="E",
            source_article_ids=["a1"],
        ),
        event("F", places=[], place_ids=[]),
    ]
    records = pd.DataFrame(rows).to_dict("records")  # NaN for what a row lacks, floats for counts
    records[0]["places"], records[0]["place_ids"] = np.array(["Gargždai"]), np.array(["LT-21:gargzdai"])
    records[0]["source_article_ids"] = np.array(["a1"])
    published = pd.Timestamp("2025-09-22", tz="UTC")
    articles = {"a1": {"article_id": "a1", "title": "T", "url": None, "published_at": published, "origin": "a.txt"}}
    from_pandas = render_timeline(records, articles)
    plain = render_timeline(rows, {"a1": {**articles["a1"], "published_at": datetime(2025, 9, 22)}})
    assert from_pandas == plain
    assert "22 (svečias)</dd>" in plain and "Gargždai" in plain and "· 2025-09-22" in plain


def test_timeline_page_allows_only_its_own_script_and_style():
    page = render_timeline([event("E")], {})
    parsed = _Page(page)
    [policy] = [attrs["content"] for tag, attrs in parsed.tags if attrs.get("http-equiv") == "Content-Security-Policy"]

    def digest(source):
        return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"

    [script], [style] = parsed.scripts, parsed.styles
    assert f"script-src {digest(script)};" in policy and f"style-src {digest(style)};" in policy
    assert policy.startswith("default-src 'none';") and "unsafe" not in policy
    assert not any("src" in attrs or attrs.get("href", "data:").split(":")[0] != "data" for _, attrs in parsed.tags)
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "eval(" not in script


def test_timeline_written_from_an_output_marks_the_mentions_of_the_full_rows(tmp_path):
    """write_timeline reads texts a few at a time and only the mentions inside evidence: the same marks."""
    text = LT_SAMPLE.read_text(encoding="utf-8")
    write_run(tmp_path, [analyze(Article(article_id="a", text=text, origin="x", language_hint="lt"))], [], [])
    page = write_timeline(tmp_path).read_text(encoding="utf-8")
    articles = {row["article_id"]: row for row in load("articles", tmp_path).to_dict("records")}
    full = render_timeline(
        load("events", tmp_path).to_dict("records"), articles, load("mentions", tmp_path).to_dict("records")
    )
    marks = re.findall(r"<mark[^>]*>.*?</mark>", full)
    assert len(marks) >= 3 and re.findall(r"<mark[^>]*>.*?</mark>", page) == marks
