"""Ingest from a real HTTP server on 127.0.0.1: feeds, sitemaps, legacy charsets and every fault, twice."""

import json
import os
import time

import pandas as pd
import pytest
from ingest.webserver import LocalServer, Response, html_page, sequence

from conftest import LT_SAMPLE, SAMPLES
from nvo_nlp.flows.pipeline import pipeline_flow

LT_LINES = LT_SAMPLE.read_text(encoding="utf-8").splitlines()
LV_TEXTS = [
    json.loads(line)["text"] for line in (SAMPLES / "lv_regional.jsonl").read_text(encoding="utf-8").splitlines()
]


def page(title, paragraphs, *, lang, encoding="utf-8", charset_header=True, **extra):
    body = html_page(title, paragraphs, lang=lang).encode(encoding, errors="strict")
    content_type = f"text/html; charset={encoding}" if charset_header else "text/html"
    return Response(body, headers={"Content-Type": content_type}, etag='"v1"', **extra)


# Each good page: path -> (response, a phrase that must come back with its exact Baltic letters)
GOOD = {
    "/lt/utf8": (page("Patirties mainų diena", LT_LINES[0:2], lang="lt"), "22 svečiai iš Latvijos"),
    "/lt/cp1257-header": (
        page("Bendradarbiavimas", LT_LINES[3:5], lang="lt", encoding="windows-1257"),
        "Smilgynų ir kaimynų bendruomenėje",
    ),
    "/lt/cp1257-noheader": (
        page("Vicemerės žodis", LT_LINES[5:7], lang="lt", encoding="windows-1257", charset_header=False),
        "Jānis Džeriņš",
    ),
    "/lv/iso885913": (
        page("Sanāksme Priekulē", [LV_TEXTS[1]], lang="lv", encoding="iso-8859-13"),
        "Priekules novada pašvaldība",
    ),
    "/lv/atom-article": (page("Klases audzinātājs", [LV_TEXTS[2]], lang="lv"), "Daugavpils izglītības pārvalde"),
    "/lv/news-1": (page("Jauns jumts", [LV_TEXTS[3]], lang="lv", gzip=True), "sociālās palīdzības dienesta"),
    "/lv/page-2": (page("Kristības svētki", [LV_TEXTS[4]], lang="lv"), "Kristības svētkos"),
    "/lv/direct": (page("Meža ABC", [LV_TEXTS[5]], lang="lv"), "Ēdoles pagastu"),
    "/lt/flaky": (None, "Dienos pabaigoje buvo apibendrintos diskusijos"),
    "/lt/ratelimited": (None, "strencēniešiem"),
}


def rss(items):
    entries = "".join(f"<item><title>Naujiena</title><link>{link}</link></item>" for link in items)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Regiono naujienos</title><language>lt</language>{entries}</channel></rss>'.encode()


def build_routes(server):
    for path, (response, _) in GOOD.items():
        if response is not None:
            server.routes[path] = response
    server.routes["/lt/flaky"] = sequence(
        Response(status=503), Response(status=503), page("Diena", LT_LINES[7:9], lang="lt")
    )
    server.routes["/lt/ratelimited"] = sequence(
        Response(status=429, headers={"Retry-After": "1"}), page("Vizitas", [LV_TEXTS[0]], lang="lv")
    )
    server.routes["/lt/syndicated"] = GOOD["/lt/utf8"][0]  # the same article on another URL
    server.routes["/lt/slow"] = page("Lėtas", LT_LINES[0:2], lang="lt", delay=1.2)
    server.routes["/lt/truncated"] = page("Nutrūkęs", LT_LINES[3:5], lang="lt", declared_length=100_000)
    server.routes["/lt/huge"] = Response(b"<p>" + b"x" * 300_000 + b"</p>", headers={"Content-Type": "text/html"})
    server.routes["/lt/loop"] = Response(status=302, headers={"Location": "/lt/loop2"})
    server.routes["/lt/loop2"] = Response(status=302, headers={"Location": "/lt/loop"})
    server.routes["/private/secret"] = GOOD["/lt/utf8"][0]
    server.routes["/robots.txt"] = Response(
        b"User-agent: *\nDisallow: /private/\n", headers={"Content-Type": "text/plain"}
    )
    links = [
        server.url(p)
        for p in (
            "/lt/utf8",
            "/lt/utf8?utm_source=rss#comments",
            "/lt/cp1257-header",
            "/lt/cp1257-noheader",
            "/lv/iso885913",
            "/lt/flaky",
            "/lt/ratelimited",
            "/lt/syndicated",
            "/lt/slow",
            "/lt/truncated",
            "/lt/huge",
            "/lt/loop",
            "/private/secret",
        )
    ] + ["file:///etc/passwd"]
    server.routes["/feed.xml"] = Response(rss(links), headers={"Content-Type": "application/rss+xml"}, etag='"feed1"')
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Latgales Laiks</title>'
        f'<entry><title>Klases audzinātājs</title><link href="{server.url("/lv/atom-article")}"/>'
        "<updated>2015-10-23T08:00:00Z</updated></entry></feed>"
    )
    server.routes["/atom.xml"] = Response(
        atom.encode(), headers={"Content-Type": "application/atom+xml"}, etag='"atom1"'
    )
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    server.routes["/sitemap_index.xml"] = Response(
        f'<?xml version="1.0"?><sitemapindex {ns}><sitemap><loc>/sitemap-news.xml</loc></sitemap>'
        f"<sitemap><loc>/sitemap-pages.xml</loc></sitemap></sitemapindex>".encode(),
        etag='"idx1"',
    )
    server.routes["/sitemap-news.xml"] = Response(
        f'<?xml version="1.0"?><urlset {ns}><url><loc>{server.url("/lv/news-1")}</loc><news:news><news:publication>'
        "<news:name>Auseklis</news:name><news:language>lv</news:language></news:publication>"
        "<news:publication_date>2005-10-08</news:publication_date><news:title>Jauns jumts</news:title></news:news></url></urlset>".encode(),
        etag='"news1"',
    )
    server.routes["/sitemap-pages.xml"] = Response(
        f'<?xml version="1.0"?><urlset {ns}><url><loc>/lv/page-2</loc><lastmod>2015-01-16</lastmod></url></urlset>'.encode(),
        etag='"pages1"',
    )
    server.routes["/bad-feed.xml"] = Response(b"<rss><channel><item><title>broken", etag='"bad1"')


def sources_file(tmp_path, server):
    path = tmp_path / "sources.toml"
    path.write_text(
        f"""
[fetch]
allow_private_hosts = true
contact = "mailto:tests@example.org"
requests_per_second_per_host = 200.0
max_concurrency_per_host = 2
max_concurrency = 6
read_timeout = 0.5
connect_timeout = 2.0
max_retries = 2
backoff_base = 0.01
max_retry_after = 5.0
max_bytes = 200000
allowed_hosts = ["127.0.0.1"]

[[source]]
name = "rss"
kind = "feed"
url = "{server.url("/feed.xml")}"
language = "lt"

[[source]]
name = "atom"
kind = "feed"
url = "{server.url("/atom.xml")}"

[[source]]
name = "sitemap"
kind = "sitemap"
url = "{server.url("/sitemap_index.xml")}"

[[source]]
name = "broken"
kind = "feed"
url = "{server.url("/bad-feed.xml")}"

[[source]]
name = "direct"
kind = "page"
url = "{server.url("/lv/direct")}"

[[source]]
name = "off"
kind = "feed"
url = "{server.url("/never.xml")}"
enabled = false
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def crawl(harness, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("crawl")
    with LocalServer() as server:
        build_routes(server)
        sources = sources_file(tmp_path, server)
        output, raw = tmp_path / "processed", tmp_path / "raw"
        first = pipeline_flow(inputs=[], output=str(output), sources=str(sources), raw=str(raw))
        tables = {t: pd.read_parquet(output / t) for t in ("articles", "mentions", "events", "errors")}
        log_first = pd.read_parquet(raw / "fetch_log")
        requests_before = len(server.requests)
        second = pipeline_flow(inputs=[], output=str(output), sources=str(sources), raw=str(raw))
        yield {
            "server": server,
            "output": output,
            "raw": raw,
            "first": first,
            "second": second,
            "tables": tables,
            "log_first": log_first,
            "second_requests": server.requests[requests_before:],
        }


def test_ingest_every_good_article_once_with_correct_letters(crawl):
    articles = crawl["tables"]["articles"]
    server = crawl["server"]
    assert len(articles) == len(GOOD)
    assert articles.url.is_unique and articles.article_id.is_unique
    for path, (_, phrase) in GOOD.items():
        [row] = articles[articles.url == server.url(path)].itertuples()
        assert phrase in row.text, path
    by_url = articles.set_index("url")
    assert by_url.loc[server.url("/lt/cp1257-noheader"), "language"] == "lt"
    assert by_url.loc[server.url("/lv/iso885913"), "language"] == "lv"
    # feed and sitemap fields fill what the page lacks; the page's own metadata is kept
    assert by_url.loc[server.url("/lv/news-1"), "published_at"].date().isoformat() == "2005-10-08"
    assert by_url.loc[server.url("/lt/utf8"), "site_name"] == "Regiono naujienos"
    assert by_url.loc[server.url("/lt/utf8"), "source"] == "rss"
    assert by_url.loc[server.url("/lt/cp1257-noheader"), "author"] == "Rūta Petrauskienė"
    assert by_url.loc[server.url("/lv/iso885913"), "language_declared"] == "lv"  # <html lang="lv">


def test_ingest_failures_logged_with_reasons_and_bounded_retries(crawl):
    log = crawl["log_first"].set_index("url")
    server = crawl["server"]

    def row(path):
        return log.loc[server.url(path)]

    assert (row("/lt/flaky").outcome, row("/lt/flaky").attempts) == ("stored", 3)
    assert (row("/lt/ratelimited").attempts, row("/lt/ratelimited").elapsed_ms >= 1000) == (2, True)
    assert (row("/lt/slow").error_kind, row("/lt/slow").attempts, server.hits["/lt/slow"]) == ("timeout", 3, 3)
    assert (row("/lt/truncated").error_kind, row("/lt/truncated").attempts) == ("truncated", 3)
    assert (row("/lt/huge").error_kind, row("/lt/huge").attempts) == ("too_large", 1)
    assert row("/lt/loop").error_kind == "redirect_loop"
    assert row("/private/secret").error_kind == "robots_disallowed" and server.hits["/private/secret"] == 0
    [local_file] = [url for url in log.index if url.startswith("file:")]  # feedparser writes file://etc/passwd
    assert log.loc[local_file, "error_kind"] == "unsupported_scheme"
    assert row("/bad-feed.xml").error_kind == "malformed"
    assert row("/lt/syndicated").outcome == "duplicate" and pd.isna(row("/lt/syndicated").error_kind)
    assert "/never.xml" not in server.hits  # disabled source
    assert server.hits["/lt/utf8"] == 1  # the utm_ variant is the same canonical URL
    errors = crawl["tables"]["errors"].set_index("origin")
    assert errors.loc[server.url("/lt/slow"), "kind"] == "timeout"
    assert errors.loc[server.url("/bad-feed.xml"), "reason"].startswith("malformed feed")


def test_ingest_raw_store_keeps_every_body(crawl):
    log = crawl["log_first"]
    stored = log[log.body_sha256.notna()]
    assert len(stored) >= len(GOOD)
    for digest in stored.body_sha256:
        assert (crawl["raw"] / "bodies" / digest[:2] / digest[2:4] / f"{digest}.gz").exists()
    [articles_file] = (crawl["raw"] / "articles").glob("*.jsonl")
    assert len(articles_file.read_text(encoding="utf-8").splitlines()) == len(GOOD)


def test_ingest_rerun_makes_conditional_requests_only_and_adds_no_rows(crawl):
    requests = crawl["second_requests"]
    assert requests, "the second run asked nothing at all"
    assert all("If-None-Match" in r.headers for r in requests), [r.path for r in requests]
    assert crawl["second"].articles == 0
    for table, frame in crawl["tables"].items():
        pd.testing.assert_frame_equal(pd.read_parquet(crawl["output"] / table), frame)


def crawl_bulk(tmp_path, *, delay, requests_per_second):
    """Ingest 12 pages of one host through the flow; returns the server (its request log)."""
    from nvo_nlp.flows.ingest import run_ingest

    with LocalServer() as server:
        paths = [f"/bulk/{n}" for n in range(12)]
        for n, path in enumerate(paths):
            server.routes[path] = page(f"Naujiena {n}", [f"{n}: " + LT_LINES[n % 9]], lang="lt", delay=delay)
        server.routes["/feed.xml"] = Response(rss([server.url(p) for p in paths]), etag='"f"')
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f"[fetch]\nallow_private_hosts = true\nrequests_per_second_per_host = {requests_per_second}\nmax_concurrency_per_host = 2\n"
            f'max_concurrency = 6\n[[source]]\nname = "bulk"\nkind = "feed"\nurl = "{server.url("/feed.xml")}"\n',
            encoding="utf-8",
        )
        summary = run_ingest(str(sources), str(tmp_path / "raw"))
    assert len(summary.articles) == 12
    return server


def test_ingest_per_host_concurrency_holds_across_concurrent_tasks(harness, tmp_path):
    server = crawl_bulk(tmp_path, delay=0.1, requests_per_second=1000.0)
    assert server.max_in_flight == 2  # six worker tasks, but never more than two requests at once on the host


def test_ingest_per_host_rate_holds_across_concurrent_tasks(harness, tmp_path):
    server = crawl_bulk(tmp_path, delay=0.0, requests_per_second=10.0)
    starts = sorted(r.started for r in server.requests if r.path.startswith("/bulk/"))
    # Instant pages: without the limit the 12 requests span about 0.4 s (measured: tasks start one after
    # another). At 10 request starts per second they span at least 11 intervals of 100 ms (20% slack
    # for when the server sees each request).
    assert starts[-1] - starts[0] >= 11 * 0.1 * 0.8


def test_ingest_per_host_limit_holds_across_runs_on_a_server(harness, tmp_path, monkeypatch):
    """Two runs at once, each with its own in-process limiter: on a server, the host's global concurrency
    limit keeps them together at two requests in flight."""
    from concurrent.futures import ThreadPoolExecutor

    from prefect import get_client
    from prefect.settings import PREFECT_API_URL

    from nvo_nlp.flows.ingest import HOST_LIMIT_PREFIX, run_ingest

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())  # as on a machine pointed at a server
    with LocalServer() as server:
        runs = {}
        for run, pages in (("a", 16), ("b", 4)):
            paths = [f"/{run}/{n}" for n in range(pages)]
            for n, path in enumerate(paths):
                text = [f"{run}{n}: " + LT_LINES[n % 9]]
                server.routes[path] = page(f"Naujiena {run}{n}", text, lang="lt", delay=0.5)
            server.routes[f"/{run}.xml"] = Response(rss([server.url(p) for p in paths]))
            sources = tmp_path / f"{run}.toml"
            sources.write_text(
                "[fetch]\nallow_private_hosts = true\nrequests_per_second_per_host = 1000.0\n"
                f'max_concurrency_per_host = 2\nmax_concurrency = 4\n[[source]]\nname = "{run}"\nkind = "feed"\n'
                f'url = "{server.url(f"/{run}.xml")}"\n',
                encoding="utf-8",
            )
            runs[run] = (str(sources), str(tmp_path / f"raw-{run}"))
        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(run_ingest, *runs["a"])
            # The second run starts once the first is fetching pages (16 pages, 4 s at two at a time).
            while not any(r.path.startswith("/a/") for r in server.requests):
                time.sleep(0.01)
            second = pool.submit(run_ingest, *runs["b"])
            summaries = [first.result(), second.result()]
    assert [len(s.articles) for s in summaries] == [16, 4]
    assert server.max_in_flight == 2
    starts = {run: sorted(r.started for r in server.requests if r.path.startswith(f"/{run}/")) for run in "ab"}
    assert starts["b"][0] < starts["a"][-1]  # the runs did overlap
    with get_client(sync_client=True) as client:
        limit = client.read_global_concurrency_limit_by_name(f"{HOST_LIMIT_PREFIX}127.0.0.1")
    assert limit.limit == 2 and limit.active_slots == 0


def test_cli_ingest_then_run_contract(harness, tmp_path):
    from typer.testing import CliRunner

    from nvo_nlp.cli import app

    runner = CliRunner()
    with LocalServer() as server:
        server.routes["/lt/utf8"], _ = GOOD["/lt/utf8"]
        server.routes["/feed.xml"] = Response(rss([server.url("/lt/utf8"), server.url("/lt/missing")]), etag='"f"')
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[fetch]\nallow_private_hosts = true\nrequests_per_second_per_host = 50.0\n[[source]]\nname = "one"\nkind = "feed"\nurl = "{server.url("/feed.xml")}"\n',
            encoding="utf-8",
        )
        output = tmp_path / "data" / "processed"
        result = runner.invoke(app, ["ingest", "--sources", str(sources), "--output", str(output)])
        assert result.exit_code == 0, result.output
        assert "1 new articles" in result.output and "1 failed" in result.output
        assert "discovered 2" in result.output  # the progress line
        [articles_file] = (tmp_path / "data" / "raw" / "articles").glob("*.jsonl")  # raw/ beside the output

        result = runner.invoke(app, ["run", "--input", str(articles_file), "--output", str(output)])
        assert result.exit_code == 0, result.output
        assert pd.read_parquet(output / "articles").url.tolist() == [server.url("/lt/utf8")]

        # Sources unchanged: nothing new to process is a clear one-line failure, not a crash.
        result = runner.invoke(app, ["run", "--sources", str(sources), "--output", str(output)])
        assert result.exit_code == 1
        assert "nothing new to process" in result.output or "inputs failed" in result.output

    result = runner.invoke(app, ["ingest", "--sources", str(tmp_path / "missing.toml")])
    assert result.exit_code == 1 and "sources file not found" in result.output


@pytest.mark.parametrize("engine", ["local", "prefect"])
def test_ingest_api_stores_the_same_articles_on_either_engine(tmp_path, monkeypatch, engine):
    """`nvo-nlp ingest --engine prefect` without a server: the flow on the run's own temporary API."""
    from nvo_nlp.api import ingest

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with LocalServer() as server:
        paths = [f"/bulk/{n}" for n in range(3)]
        for n, path in enumerate(paths):
            server.routes[path] = page(f"Naujiena {n}", [LT_LINES[n]], lang="lt")
        server.routes["/feed.xml"] = Response(rss([server.url(p) for p in paths]))
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[fetch]\nallow_private_hosts = true\n[[source]]\nname = "bulk"\nkind = "feed"\nurl = "{server.url("/feed.xml")}"\n',
            encoding="utf-8",
        )
        summary = ingest(sources, tmp_path / "out", engine=engine)
    assert sorted(article.url for article in summary.articles) == sorted(server.url(p) for p in paths)
    for article in summary.articles:
        n = int(article.url.rsplit("/", 1)[1])
        assert article.text == f"Naujiena {n}\n{LT_LINES[n]}"  # title and paragraph, letters intact
    assert "PREFECT_API_URL" not in os.environ
