"""The timeline page in headless Chromium: filters, grouping, chart, and hostile article strings.

Runs Debian's ``chromium`` through playwright (``executable_path``: nothing is downloaded); skipped
when either is missing. The output directory holds real analyses of a few short lt/lv/en articles.
"""

import shutil
from datetime import date
from pathlib import Path

import pytest

import nvo_nlp
from nvo_nlp.ingest.local import article_from_record
from nvo_nlp.process import analyze
from nvo_nlp.store import EVENTS, write_run

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEMINAR = {
    "title": "Seminārs Liepājā",
    "url": "https://example.lv/zinas/seminars",
    "source": "Kurzemes Vārds",
    "published_at": "2024-03-14",
    "text": "2024. gada 12. martā Liepājā notika seminārs par kopienu sadarbību. Tajā piedalījās 25 dalībnieki "
    "no Lietuvas. Liepājas domes priekšsēdētājs Gunārs Ansiņš uzrunāja dalībniekus.",
}
HOSTILE_TITLE = "<script>window.__pwned=1</script>"
HOSTILE_QUOTE = '"onerror=window.__pwned=1 x="'
HOSTILE_URL = "javascript:window.__pwned=1"
HOSTILE_SOURCE = "<img src=x onerror=window.__pwned=1>"
RECORDS = [
    {
        "title": "Bendruomenių susitikimas Gargžduose",
        "url": "https://example.lt/naujienos/susitikimas",
        "source": "Miesto naujienos",
        "published_at": "2024-09-30",
        "text": "Rugsėjo 25 d. Gargžduose, Klaipėdos rajone, vyko bendruomenių susitikimas pagal projektą „NVO "
        "gebėjimų stiprinimas“. Jame dalyvavo 40 bendruomenių atstovų ir Klaipėdos rajono savivaldybės vicemerė "
        "Violeta Riaukienė.",
    },
    SEMINAR,
    # A syndicated copy of the seminar: one event, two source articles.
    {**SEMINAR, "url": "https://example.lv/kopija/seminars", "source": "Ventas Balss", "published_at": "2024-03-15"},
    {
        "title": "Volunteers trained in Rēzekne",
        "url": "http://example.com/news/volunteers",
        "source": "Baltic News",
        "published_at": "2024-05-06",
        "text": "On 3 May 2024, Rēzekne municipality hosted a training for 30 volunteers from Lithuania. "
        "Mayor Aleksandrs Bartaševičs opened the training.",
    },
    {
        "title": HOSTILE_TITLE,
        "url": HOSTILE_URL,
        "source": HOSTILE_SOURCE,
        "published_at": "2024-06-02",
        "language": "lv",
        "text": f"2024. gada 1. jūnijā Rēzeknē notika festivāls {HOSTILE_QUOTE}. Festivālā piedalījās 100 dalībnieki.",
    },
]
VISIBLE_ROWS = "document.querySelectorAll('li.event:not([hidden])').length"


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("no chromium on PATH (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    output = tmp_path_factory.mktemp("processed")
    articles = [article_from_record(f"articles.jsonl#{line}", r) for line, r in enumerate(RECORDS, 1)]
    write_run(output, [analyze(article) for article in articles], [], [a.origin for a in articles])
    return output


@pytest.fixture(scope="module")
def representatives(output):
    """The events the page shows: one per event group."""
    events = nvo_nlp.load("events", output)
    groups = events.get("event_group", events.event_id).fillna(events.event_id)
    return events[groups == events.event_id]


@pytest.fixture
def page(browser, output):
    """The timeline page, loaded; ``page.problems`` collects console errors, page errors and requests elsewhere."""
    url = nvo_nlp.timeline(output).as_uri()
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    opened.problems = []
    opened.on("console", lambda m: m.type == "error" and opened.problems.append(f"console: {m.text}"))
    opened.on("pageerror", lambda error: opened.problems.append(f"page error: {error}"))
    opened.on("request", lambda r: r.url in (url, "data:,") or opened.problems.append(f"request: {r.url}"))
    opened.goto(url)
    yield opened
    opened.close()


def chart_total(page) -> int:
    """Events the chart's bars count (their tooltips read 'YYYY-MM: N events')."""
    titles = page.eval_on_selector_all("#chart rect title", "titles => titles.map(t => t.textContent)")
    return sum(int(title.split(": ")[1].split()[0]) for title in titles)


def test_timeline_browser_filters_change_rows_counts_and_chart(page, representatives):
    total = len(representatives)
    assert page.evaluate(VISIBLE_ROWS) == total == int(page.text_content("#shown"))
    assert chart_total(page) == total  # every test event has a day
    full_chart = page.get_attribute("#chart", "aria-label")
    project = representatives.project_id.dropna().iloc[0]
    expected = {
        ("#f-municipality", "LV-LPX"): representatives.place_ids.map(lambda ids: "LV-LPX" in list(ids)).sum(),
        ("#f-project", project): (representatives.project_id == project).sum(),
        ("#f-type", "training"): (representatives.event_type == "training").sum(),
        ("#f-search", "SEMINARS liepaja"): representatives.title.str.casefold().eq("seminārs").sum(),
        ("#f-from", "2024-05-01"): representatives.date_start.map(
            lambda d: d is not None and d >= date(2024, 5, 1)
        ).sum(),
    }
    for (control, value), count in expected.items():
        assert 0 < count < total, (control, value)  # the filter must make a difference
        if control in ("#f-search", "#f-from"):
            page.fill(control, value)
        else:
            page.select_option(control, value)
        assert page.evaluate(VISIBLE_ROWS) == count == int(page.text_content("#shown")), (control, value)
        assert chart_total(page) == count and page.get_attribute("#chart", "aria-label") != full_chart
        page.click("#reset")
        assert page.evaluate(VISIBLE_ROWS) == total and page.get_attribute("#chart", "aria-label") == full_chart
    first_month = representatives.date_start.dropna().min()
    page.click("#chart rect >> nth=0")  # a bar shows its month
    assert page.input_value("#f-from") == first_month.strftime("%Y-%m-01")
    in_month = representatives.date_start.map(
        lambda d: d is not None and d.strftime("%Y-%m") == first_month.strftime("%Y-%m")
    )
    assert page.evaluate(VISIBLE_ROWS) == in_month.sum() == chart_total(page)
    page.click("#reset")
    page.select_option("#f-municipality", "LV-REZ")
    page.select_option("#f-type", "training")  # filters combine: nothing left
    assert page.evaluate(VISIBLE_ROWS) == 0 and page.is_visible("#empty")
    assert page.get_attribute("#chart", "aria-label") == "no dated events"
    assert page.problems == []


def test_timeline_browser_groups_by_project_and_municipality(page, representatives):
    def headings():
        return page.eval_on_selector_all(
            "section.group:not([hidden]) h2", "hs => hs.map(h => [h.firstChild.textContent, h.lastChild.textContent])"
        )

    projects = headings()
    assert projects[-1] == ["No project", str(representatives.project.isna().sum())]
    assert ["NVO gebėjimų stiprinimas", "1"] in projects
    page.select_option("#f-group", "municipality")
    municipalities = dict(headings())
    assert municipalities["Liepāja"] == "1" and municipalities["Klaipėda District"] == "1"
    assert sum(int(count) for count in municipalities.values()) == len(representatives)
    page.select_option("#f-type", "festival")
    assert dict(headings()) == {"Rēzekne": "1"}  # counts and sections follow the filters
    page.select_option("#f-group", "none")
    assert headings() == [] and page.evaluate(VISIBLE_ROWS) == 1
    assert page.problems == []


def test_timeline_browser_shows_hostile_strings_as_text(page):
    text = page.inner_text("body")
    for hostile in (HOSTILE_TITLE, HOSTILE_QUOTE.strip('"'), HOSTILE_URL, HOSTILE_SOURCE):
        assert hostile in text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator('a[href^="javascript"]').count() == 0 and page.locator("img").count() == 0
    assert page.eval_on_selector_all("a[href]", "links => links.every(a => /^https?:$/.test(a.protocol))")
    page.fill("#f-search", "__pwned")
    assert page.evaluate(VISIBLE_ROWS) == 1
    assert page.evaluate("typeof window.__pwned") == "undefined" and page.problems == []


def test_timeline_browser_shows_syndicated_copies_once(page, representatives):
    if "event_group" not in EVENTS.column_names:
        pytest.skip("the events table has no event_group column yet")
    [seminar] = representatives[representatives.title == "seminārs"].event_id
    sources = page.eval_on_selector_all(f"#event-{seminar} .sources li", "items => items.map(i => i.textContent)")
    assert len(sources) == 2 and any("Ventas Balss" in source for source in sources)
    assert page.locator("li.event").count() == len(representatives)


def test_timeline_browser_screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "timeline.png"
    page.screenshot(path=path, full_page=True)
    print(f"screenshot: {path}")
    assert path.stat().st_size > 10_000 and page.problems == []
