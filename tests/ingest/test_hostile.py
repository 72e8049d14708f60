"""Hostile feeds, sitemaps and pages served by the real local server through the real crawler.

Each payload must end as one failed fetch-log row of a known kind, quickly and in little memory:
``measured`` bounds the wall time (5 s) and the Python heap's peak growth (tracemalloc, which sees
expat, zlib and every bytes object). The bounds are generous; what they catch is the difference
between stopping early and expanding: unguarded, the quadratic feed below takes about 4 s and
600 MB, the gzip bombs inflate to 1 GB.
"""

import gzip
import json
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

import pytest
from ingest.webserver import LocalServer, Response, gzip_bomb, html_page

from nvo_nlp.ingest.http import Fetcher, make_client
from nvo_nlp.ingest.pages import extract_page
from nvo_nlp.ingest.rawstore import IngestState, RawStore
from nvo_nlp.ingest.sources import FetchSettings, Source
from nvo_nlp.ingest.web import Crawler

SECONDS, PEAK_MB = 5.0, 100
URLSET = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
ENTRY = b"<url><loc>https://example.lt/naujienos/straipsnis</loc><lastmod>2025-09-29</lastmod></url>"
TEXT = [
    "Klaipėdos rajono savivaldybė kartu su Liepojos miesto savivaldybe įgyvendina bendrą projektą, skirtą nevyriausybinėms organizacijoms.",
    "Viešnagės metu Liepojos atstovai lankėsi Dauparų bendruomenės daugiafunkciame centre ir susipažino su iniciatyvomis.",
]


def laughs(root, use):
    """Billion laughs: ten entities, each ten of the one before, 10**9 "lol"s in all."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n' + "\n".join(entities) + f"\n]>\n{use('&lol9;')}"


def rss(title):
    return f'<rss version="2.0"><channel><title>{title}</title><item><title>{title}</title><link>https://example.lt/a</link></item></channel></rss>'


def urlset(loc):
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://example.lt/{loc}</loc></url></urlset>'


def quadratic_feed(encoding="utf-8"):
    """One 100 kB entity used 2,000 times: 200 MB from a 110 kB feed, the entity "safe" to feedparser."""
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE rss [\n<!ENTITY a "{"A" * 100_000}">\n]>\n'
        f'<rss version="2.0"><channel><item><title>{"&a;" * 2000}</title><link>https://example.lt/a</link></item></channel></rss>'
    )


@pytest.fixture(scope="module")
def secret(tmp_path_factory):
    """A local file (a feed, should anything parse it) that payloads ask for; its marker must never come back."""
    path = tmp_path_factory.mktemp("local") / "secret.xml"
    path.write_text(rss("MARKER-7f3a").replace("https://example.lt/a", "https://example.lt/MARKER-7f3a"), "utf-8")
    return path


def external_entities(root, use, secret):
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n<!ENTITY passwd SYSTEM "file:///etc/passwd">\n'
        f'<!ENTITY secret SYSTEM "{secret.as_uri()}">\n]>\n{use("&passwd;&secret;")}'
    )


@contextmanager
def measured(limits=(SECONDS, PEAK_MB)):
    """Asserts the block's wall time and peak heap growth; ``spent`` holds them for the failure message."""
    spent = {}
    tracemalloc.start()
    started = time.perf_counter()
    try:
        yield spent
    finally:
        spent["seconds"] = time.perf_counter() - started
        spent["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    assert spent["seconds"] < limits[0] and spent["peak_mb"] < limits[1], spent


def crawler_for(raw, **settings):
    settings = FetchSettings(requests_per_second_per_host=0, max_retries=0, allow_private_hosts=True, **settings)
    return Crawler(Fetcher(settings, client=make_client(settings)), RawStore(raw), IngestState(raw), run_id="r")


def everything_written(crawler, raw, *extra):
    """Every value the run produced: fetch log, failures, and the stored bodies as they are and inflated."""
    parts = [repr(crawler.log), repr(crawler.failures), *map(repr, extra)]
    for path in Path(raw, "bodies").rglob("*.gz"):
        body = gzip.decompress(path.read_bytes())
        parts.append(body.decode("latin-1"))
    return "\n".join(parts)


UNSAFE = ("unsafe_xml", "declares XML entities")
HOSTILE_DOCUMENTS = {  # name: (source kind, payload(path of the secret file), (error kind, words of the message))
    "feed: billion laughs": ("feed", lambda s: laughs("rss", rss).encode(), UNSAFE),
    "feed: billion laughs on one line": ("feed", lambda s: laughs("rss", rss).replace("\n", "").encode(), UNSAFE),
    "feed: quadratic blowup": ("feed", lambda s: quadratic_feed().encode(), UNSAFE),
    # In UTF-16 "<!ENTITY" is not those bytes: the check must read the body as feedparser decodes it.
    "feed: quadratic blowup in UTF-16": ("feed", lambda s: quadratic_feed("utf-16").encode("utf-16"), UNSAFE),
    "feed: external entities": ("feed", lambda s: external_entities("rss", rss, s).encode(), UNSAFE),
    "feed: a local file name as the body": ("feed", lambda s: str(s).encode(), ("malformed", "malformed feed")),
    "sitemap: billion laughs": ("sitemap", lambda s: laughs("urlset", urlset).encode(), UNSAFE),
    "sitemap: external entities": ("sitemap", lambda s: external_entities("urlset", urlset, s).encode(), UNSAFE),
}


@pytest.mark.parametrize("name", HOSTILE_DOCUMENTS)
def test_hostile_document_is_one_failed_row_in_bounded_time_and_memory(name, tmp_path, secret):
    kind, payload, (error_kind, message) = HOSTILE_DOCUMENTS[name]
    body = payload(secret)
    with LocalServer() as server:
        server.routes["/doc"] = Response(body, headers={"Content-Type": "application/xml"})
        crawler = crawler_for(tmp_path)
        with measured():
            items, _ = crawler.discover(Source(name="s", kind=kind, url=server.url("/doc")))
    [row] = crawler.log
    assert (row.outcome, row.error_kind, items) == ("failed", error_kind, [])
    assert message in row.error_message and row.bytes == len(body)  # the body was read, then refused
    [failure] = crawler.failures
    assert failure.kind == error_kind
    written = everything_written(crawler, tmp_path, items)
    assert "MARKER-7f3a" not in written and "root:x:0:0" not in written


def test_hostile_sitemap_over_50000_urls_is_refused(tmp_path):
    """Reading 50,000 entries takes about 1 s (2 s under tracemalloc): the clock gets more room here."""
    body = URLSET + b"<url><loc>/a</loc></url>" * 60_000 + b"</urlset>"
    with LocalServer() as server:
        server.routes["/sitemap.xml"] = Response(body)
        crawler = crawler_for(tmp_path)
        with measured(limits=(4 * SECONDS, PEAK_MB)):
            items, _ = crawler.discover(Source(name="s", kind="sitemap", url=server.url("/sitemap.xml")))
    [row] = crawler.log
    assert (row.outcome, row.error_kind, items) == ("failed", "too_large", [])
    assert "over 50000 URLs" in row.error_message


def test_hostile_50_mb_sitemap_is_cut_at_max_bytes_while_streaming(tmp_path):
    """Sent chunked, without a Content-Length: the size is only known by reading, and reading stops at the cap."""
    body = URLSET + ENTRY * (50_000_000 // len(ENTRY)) + b"</urlset>"
    with LocalServer() as server:
        server.routes["/sitemap.xml"] = Response(body, chunked=True)
        crawler = crawler_for(tmp_path)
        with measured():
            crawler.discover(Source(name="s", kind="sitemap", url=server.url("/sitemap.xml")))
    [row] = crawler.log
    assert (row.outcome, row.error_kind) == ("failed", "too_large")
    assert "5000000-byte cap" in row.error_message


def test_hostile_gzip_content_encoding_bomb_is_capped_while_inflating(tmp_path):
    """1 MB on the wire, 1 GB inflated, sent as Content-Encoding: gzip: inflation stops at max_bytes."""
    bomb = gzip_bomb(1 << 30)
    with LocalServer() as server:
        server.routes["/feed.xml"] = Response(bomb, headers={"Content-Encoding": "gzip"})
        server.routes["/page"] = Response(bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})
        crawler = crawler_for(tmp_path)
        feed = Source(name="feed", kind="feed", url=server.url("/feed.xml"))
        page = Source(name="page", kind="page", url=server.url("/page"))
        with measured():
            crawler.discover(feed)
            [item], _ = crawler.discover(page)
            crawler.fetch_article(item, page)
    assert [(r.purpose, r.outcome, r.error_kind) for r in crawler.log] == [
        ("feed", "failed", "too_large"),
        ("page", "failed", "too_large"),
    ]


def test_hostile_gzip_sitemap_file_bomb_is_capped_while_parsing(tmp_path):
    """A .xml.gz sitemap of 1 MB that inflates to a 1 GB (well-formed) document: parsing stops at max_bytes."""
    bomb = gzip_bomb(1 << 30, head=URLSET, fill=b" ", tail=b"</urlset>")
    with LocalServer() as server:
        server.routes["/sitemap.xml.gz"] = Response(bomb, headers={"Content-Type": "application/gzip"})
        crawler = crawler_for(tmp_path)
        with measured():
            crawler.discover(Source(name="s", kind="sitemap", url=server.url("/sitemap.xml.gz")))
    [row] = crawler.log
    assert (row.outcome, row.error_kind, row.bytes) == ("failed", "too_large", len(bomb))
    assert "over 5000000 bytes uncompressed" in row.error_message


@pytest.mark.parametrize("hostile", ["laughs", "external"])
def test_hostile_html_page_keeps_its_text_and_expands_nothing(hostile, tmp_path, secret):
    """trafilatura's HTML parser ignores a page's DTD: the article is stored, entity references stay unexpanded.

    (libxml2 allocates outside tracemalloc's sight; the text, not the peak, shows that nothing expanded.)"""
    page = html_page("Naujiena", TEXT + ["&lol9; &passwd; &secret;"], lang="lt")
    doctype = (
        laughs("html", lambda use: "") if hostile == "laughs" else external_entities("html", lambda use: "", secret)
    )
    with LocalServer() as server:
        server.routes["/page"] = Response((doctype + page.removeprefix("<!DOCTYPE html>")).encode())
        crawler = crawler_for(tmp_path)
        source = Source(name="p", kind="page", url=server.url("/page"))
        with measured():
            article = crawler.fetch_article(crawler.discover(source)[0][0], source)
    assert article is not None and "Dauparų bendruomenės" in article.text
    assert "lollollol" not in article.text
    written = everything_written(crawler, tmp_path, article)
    assert "MARKER-7f3a" not in written and "root:x:0:0" not in written


def page_with_metadata(run):
    ld = json.dumps({"@type": "NewsArticle", "headline": run, "author": {"@type": "Person", "name": run}})
    head = f'<meta name="description" content="{run}"><meta name="author" content="{run}">'
    head += f'<script type="application/ld+json">{ld}</script>'
    return html_page("Naujiena", TEXT, lang="lt").replace("</head>", head + "</head>")


@pytest.mark.parametrize("unit", ["<", "<!--", "<a ", "< >"])
def test_hostile_page_metadata_is_read_in_linear_time(unit):
    """Runs of "<" in meta content and JSON-LD: trafilatura's tag stripping and lxml's serializer were
    quadratic there (100k characters: 10-40 s). 10x the characters may cost at most 40x the time."""

    def seconds(length):
        page = page_with_metadata(unit * (length // len(unit)))
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            assert "Dauparų bendruomenės" in extract_page(page)["text"]
            best = min(best, time.perf_counter() - started)
        return best

    seconds(1_000)  # trafilatura's first call compiles its patterns
    short, long = seconds(10_000), seconds(100_000)
    assert long / short < 40, f"10k: {short:.3f} s, 100k: {long:.3f} s"
