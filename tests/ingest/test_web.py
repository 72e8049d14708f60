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
