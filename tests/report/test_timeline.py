from datetime import date
from html.parser import HTMLParser

from nvo_nlp.report import render_timeline


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def event(title, start=None, iso=None, precision=None, **extra):
    base = {
        "event_id": title,
        "article_id": "a1",
        "event_type": "meeting",
        "title": title,
        "date_start": start,
        "date_iso": iso,
        "date_precision": precision,
        "evidence_text": f"Evidence of {title}.",
    }
    return {**base, **extra}


def test_timeline_lists_events_in_date_order_with_details():
    page = render_timeline(
        [
            event("Later", date(2025, 10, 1), "2025-10-01", "day"),
            event(
                "Year unknown",
                None,
                "--09-21/--09-30",
                "month-part",
                officials=["Violeta Riaukienė"],
                official_roles=["vice_mayor"],
                official_organizations=["Klaipėdos rajono savivaldybė"],
                participant_count=22,
                participant_noun="svečias",
                participant_origin="Latvija",
            ),
            event("Earlier", date(2025, 9, 1), "2025-09-01", "day"),
            event("Undated"),
        ],
        {"a1": {"title": "Straipsnis", "source": "Miesto naujienos"}},
    )
    order = [page.index(t) for t in ("Earlier", "Later", "Year unknown", "Undated")]
    assert order == sorted(order)
    assert "Violeta Riaukienė (vice mayor, Klaipėdos rajono savivaldybė)" in page
    assert "22 (svečias), from Latvija" in page
    assert "year unknown" in page and "Evidence of Earlier." in page and "Miesto naujienos" in page


def test_timeline_escapes_text_and_loads_nothing_external():
    page = render_timeline([event('<script>alert("x")</script>', evidence_text="<img src=x onerror=alert(1)>")], {})
    parser = _Collector()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags and "img" not in tags and "link" not in tags
    assert not any("src" in attrs or "href" in attrs for _, attrs in parser.tags)
    assert '<script>alert("x")</script>' in "".join(parser.text)  # shown as text
