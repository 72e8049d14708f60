"""The crawler without Prefect, against a real local HTTP server (so allow_private_hosts), with an injected clock."""

from datetime import UTC, datetime, timedelta

from ingest.webserver import LocalServer, Response, html_page, sequence

from nvo_nlp.ingest.http import Fetcher, make_client
from nvo_nlp.ingest.rawstore import IngestState, RawStore
from nvo_nlp.ingest.sources import FetchSettings, Source
from nvo_nlp.ingest.web import Crawler

T0 = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)
TEXT = [
    "Klaipėdos rajono savivaldybė kartu su Liepojos miesto savivaldybe įgyvendina bendrą projektą, skirtą nevyriausybinėms organizacijoms.",
    "Viešnagės metu Liepojos atstovai lankėsi Dauparų bendruomenės daugiafunkciame centre ir susipažino su iniciatyvomis.",
]


def crawler_at(raw, now, settings):
    state = IngestState(raw)
    fetcher = Fetcher(settings, client=make_client(settings))
    return Crawler(fetcher, RawStore(raw), state, run_id=now.isoformat(), now=lambda: now), state


def test_web_transient_failure_is_retried_in_a_later_run_with_backoff(tmp_path):
    settings = FetchSettings(
        requests_per_second_per_host=0,
        max_retries=1,
        backoff_base=0.01,
        retry_later_after=600,
        allow_private_hosts=True,
    )
    with LocalServer() as server:
        server.routes["/feed.xml"] = Response(
            f'<rss version="2.0"><channel><title>t</title><item><link>{server.url("/page")}</link></item></channel></rss>'.encode(),
            etag='"f1"',
        )
        server.routes["/page"] = sequence(
            Response(status=503), Response(status=503), Response(html_page("Naujiena", TEXT, lang="lt").encode())
        )
        source = Source(name="feed", kind="feed", url=server.url("/feed.xml"))

        crawler, state = crawler_at(tmp_path, T0, settings)
        [item], _ = crawler.discover(source)
        assert crawler.fetch_article(item, source) is None
        assert "will try again in a later run" in crawler.failures[0].reason
        state.save()

        # Ten minutes later is too early: the feed is unchanged and the page not yet due.
        crawler, state = crawler_at(tmp_path, T0 + timedelta(minutes=5), settings)
        assert crawler.discover(source) == ([], [])

        crawler, state = crawler_at(tmp_path, T0 + timedelta(minutes=11), settings)
        [item], _ = crawler.discover(source)
        article = crawler.fetch_article(item, source)
        assert article is not None and "Dauparų bendruomenės" in article.text
        state.save()
        assert IngestState(tmp_path).pending == {"feed": {}}
    assert server.hits["/page"] == 3


def test_web_permanent_failure_is_not_deferred(tmp_path):
    settings = FetchSettings(requests_per_second_per_host=0, allow_private_hosts=True)
    with LocalServer() as server:
        source = Source(name="one", kind="page", url=server.url("/gone"))
        crawler, state = crawler_at(tmp_path, T0, settings)
        [item], _ = crawler.discover(source)
        assert crawler.fetch_article(item, source) is None
        assert crawler.failures[0].kind == "http_404"
        assert state.pending.get("one", {}) == {}


def _urlset(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()


def test_web_unchanged_sitemap_index_still_finds_pages_added_to_its_sitemaps(tmp_path):
    settings = FetchSettings(requests_per_second_per_host=0, allow_private_hosts=True)
    with LocalServer() as server:
        index = (
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{server.url('/old.xml')}</loc></sitemap>"
            f"<sitemap><loc>{server.url('/new.xml')}</loc></sitemap></sitemapindex>"
        )
        server.routes["/index.xml"] = Response(index.encode(), etag='"index"')
        server.routes["/old.xml"] = Response(_urlset([server.url("/old-1")]), etag='"old"')
        server.routes["/new.xml"] = Response(_urlset([server.url("/new-1")]), etag='"new1"')
        source = Source(name="site", kind="sitemap", url=server.url("/index.xml"))
        crawler, state = crawler_at(tmp_path, T0, settings)
        items, _ = crawler.discover(source)
        assert [item.url for item in items] == [server.url("/old-1"), server.url("/new-1")]
        state.save()

        # The newest sitemap grows; the index and the older sitemap stay byte for byte the same.
        server.routes["/new.xml"] = Response(_urlset([server.url("/new-1"), server.url("/new-2")]), etag='"new2"')
        crawler, state = crawler_at(tmp_path, T0 + timedelta(hours=1), settings)
        items, _ = crawler.discover(source)
        assert [item.url for item in items] == [server.url("/new-1"), server.url("/new-2")]
        assert {(record.url, record.outcome) for record in crawler.log} == {
            (server.url("/index.xml"), "unchanged"),
            (server.url("/old.xml"), "unchanged"),
            (server.url("/new.xml"), "stored"),
        }
