"""Fetcher behaviour with an injected httpx transport (no network), one behaviour per test."""

import gzip
import tracemalloc
import zlib
from datetime import UTC, datetime

import httpx
import pytest
from ingest.webserver import gzip_bomb

from nvo_nlp.ingest.http import Fetcher, HostLimiter, RobotsCache, Validators
from nvo_nlp.ingest.sources import FetchSettings

NOW = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)


def streamed(handler):
    """Responses built from ``content=`` come already read (and decoded); a real transport streams them raw."""

    def transport_handler(request):
        response = handler(request)
        return httpx.Response(response.status_code, headers=response.headers, stream=response.stream)

    return transport_handler


def fetcher_for(handler, *, robots=None, **settings):
    delays = []
    fetcher = Fetcher(
        FetchSettings(requests_per_second_per_host=0, backoff_base=1.0, **settings),
        client=httpx.Client(transport=httpx.MockTransport(streamed(handler))),
        robots=robots,
        sleep=delays.append,
        now=lambda: NOW,
        jitter=lambda: 0.5,
    )
    return fetcher, delays


def counting(responses):
    calls = []

    def handler(request):
        calls.append(request)
        return responses[min(len(calls), len(responses)) - 1]

    return handler, calls


def test_http_retries_transient_status_with_exponential_backoff_and_jitter():
    handler, calls = counting([httpx.Response(503), httpx.Response(502), httpx.Response(200, text="ok")])
    fetcher, delays = fetcher_for(handler, max_retries=3)
    result = fetcher.fetch("http://a.lt/x")
    assert (result.status, result.body, result.attempts) == (200, b"ok", 3)
    assert delays == [0.5, 1.0]  # base * 2**(attempt-1) * jitter(0.5)


def test_http_retries_stay_within_their_bound():
    handler, calls = counting([httpx.Response(504)])
    fetcher, delays = fetcher_for(handler, max_retries=2)
    result = fetcher.fetch("http://a.lt/x")
    assert (result.error_kind, result.attempts, len(calls)) == ("server_unavailable", 3, 3)


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("7", 7.0), ("Wed, 01 Oct 2025 12:00:30 GMT", 30.0)],
)
def test_http_429_honours_retry_after(retry_after, expected):
    handler, _ = counting([httpx.Response(429, headers={"Retry-After": retry_after}), httpx.Response(200, text="ok")])
    fetcher, delays = fetcher_for(handler)
    assert fetcher.fetch("http://a.lt/x").ok
    assert delays == [expected]


def test_http_retry_after_beyond_limit_fails_instead_of_waiting():
    handler, calls = counting([httpx.Response(429, headers={"Retry-After": "3600"})])
    fetcher, delays = fetcher_for(handler, max_retry_after=60)
    result = fetcher.fetch("http://a.lt/x")
    assert (result.error_kind, len(calls), delays) == ("rate_limited", 1, [])


@pytest.mark.parametrize(("status", "kind"), [(404, "http_404"), (410, "http_410"), (500, "http_500")])
def test_http_permanent_errors_are_not_retried(status, kind):
    handler, calls = counting([httpx.Response(status)])
    fetcher, _ = fetcher_for(handler)
    result = fetcher.fetch("http://a.lt/x")
    assert (result.error_kind, result.status, len(calls)) == (kind, status, 1)


def test_http_timeouts_and_connect_errors_are_transient():
    def handler(request):
        raise httpx.ReadTimeout("read timed out", request=request)

    fetcher, delays = fetcher_for(handler, max_retries=1)
    result = fetcher.fetch("http://a.lt/x")
    assert (result.error_kind, result.attempts, len(delays)) == ("timeout", 2, 1)


@pytest.mark.parametrize("declare_length", [True, False])
def test_http_body_over_the_cap_is_aborted(declare_length):
    body = b"x" * 5000

    def handler(request):
        headers = {} if declare_length else {"Transfer-Encoding": "chunked"}
        return httpx.Response(
            200, content=body if declare_length else iter([body[:2500], body[2500:]]), headers=headers
        )

    fetcher, _ = fetcher_for(handler, max_bytes=1000)
    result = fetcher.fetch("http://a.lt/big")
    assert (result.error_kind, result.body) == ("too_large", None)


@pytest.mark.parametrize(("coding", "compress"), [("gzip", gzip.compress), ("deflate", zlib.compress)])
def test_http_compressed_bodies_are_decoded(coding, compress):
    body = "Klaipėdos rajono savivaldybė".encode() * 100
    handler, _ = counting(
        [httpx.Response(200, stream=httpx.ByteStream(compress(body)), headers={"Content-Encoding": coding})]
    )
    fetcher, _ = fetcher_for(handler)
    assert fetcher.fetch("http://a.lt/x").body == body


def test_http_gzip_bomb_is_cut_at_the_cap_without_inflating_further():
    """64 MB of zeros in one 64 kB chunk: inflated a cap's worth at a time, never the whole chunk at once."""
    bomb = gzip_bomb(64 << 20)
    handler, _ = counting([httpx.Response(200, stream=httpx.ByteStream(bomb), headers={"Content-Encoding": "gzip"})])
    fetcher, _ = fetcher_for(handler, max_bytes=100_000)
    tracemalloc.start()
    try:
        result = fetcher.fetch("http://a.lt/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (result.error_kind, result.body) == ("too_large", None)
    assert peak < 10_000_000, peak  # inflating the chunk whole takes 64 MB


def test_http_unsupported_content_encoding_is_a_decoding_failure():
    handler, _ = counting([httpx.Response(200, stream=httpx.ByteStream(b"\x00"), headers={"Content-Encoding": "br"})])
    fetcher, _ = fetcher_for(handler)
    result = fetcher.fetch("http://a.lt/x")
    assert (result.error_kind, result.body) == ("decoding", None)


def test_http_corrupt_gzip_is_a_decoding_failure():
    corrupt = httpx.ByteStream(b"\x1f\x8bnot gzip")
    handler, _ = counting([httpx.Response(200, stream=corrupt, headers={"Content-Encoding": "gzip"})])
    fetcher, _ = fetcher_for(handler)
    assert fetcher.fetch("http://a.lt/x").error_kind == "decoding"


def test_http_redirects_followed_and_loops_detected():
    def handler(request):
        path = request.url.path
        if path == "/old":
            return httpx.Response(301, headers={"Location": "/new"})
        if path == "/new":
            return httpx.Response(200, text="moved")
        return httpx.Response(302, headers={"Location": "/b" if path == "/a" else "/a"})

    fetcher, _ = fetcher_for(handler)
    moved = fetcher.fetch("http://a.lt/old")
    assert (moved.final_url, moved.body) == ("http://a.lt/new", b"moved")
    assert fetcher.fetch("http://a.lt/a").error_kind == "redirect_loop"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("file:///etc/passwd", "unsupported_scheme"),
        ("ftp://a.lt/x", "unsupported_scheme"),
        ("http://evil.example/x", "host_not_allowed"),
    ],
)
def test_http_only_http_urls_on_allowed_hosts(url, kind):
    handler, calls = counting([httpx.Response(200)])
    fetcher, _ = fetcher_for(handler, allowed_hosts=("a.lt",))
    assert fetcher.fetch(url).error_kind == kind
    assert calls == []


@pytest.mark.parametrize(
    "url",
    ["http:///a", "https://a.lt:abc/", "https://a.lt:99999/", "http://[::1/x", "http://a.lt/\x00x", "http://a.lt/\nx"],
)
def test_http_malformed_url_is_a_failed_result_not_an_exception(url):
    handler, calls = counting([httpx.Response(200)])
    fetcher, _ = fetcher_for(handler)
    result = fetcher.fetch(url)
    assert (result.ok, result.error_kind, calls) == (False, "invalid_url", [])


@pytest.mark.parametrize("location", ["http://[::1", "http://]x", "http://[::1]:x/"])
def test_http_redirect_to_a_malformed_location_fails_at_once(location):
    handler, calls = counting([httpx.Response(302, headers={"Location": location})])
    fetcher, _ = fetcher_for(handler, max_retries=3)
    result = fetcher.fetch("http://a.lt/x")
    assert (result.ok, result.error_kind, len(calls)) == (False, "invalid_url", 1)


def test_http_redirect_to_a_disallowed_host_is_refused():
    handler, _ = counting([httpx.Response(302, headers={"Location": "http://evil.example/"})])
    fetcher, _ = fetcher_for(handler, allowed_hosts=("a.lt",))
    assert fetcher.fetch("http://a.lt/x").error_kind == "host_not_allowed"


def test_http_conditional_get_sends_validators_and_reads_304():
    seen = []

    def handler(request):
        seen.append(dict(request.headers))
        return httpx.Response(304)

    fetcher, _ = fetcher_for(handler)
    result = fetcher.fetch("http://a.lt/x", validators=Validators('"v1"', "Wed, 01 Oct 2025 10:00:00 GMT"))
    assert result.not_modified and result.conditional and result.ok
    assert seen[0]["if-none-match"] == '"v1"' and seen[0]["if-modified-since"].startswith("Wed")


def test_http_user_agent_carries_contact():
    seen = []
    fetcher, _ = fetcher_for(
        lambda r: seen.append(r.headers["user-agent"]) or httpx.Response(200), contact="ops@example.org"
    )
    fetcher.fetch("http://a.lt/x")
    assert seen == ["nvo-nlp/0.1 (regional news research crawler) ops@example.org"]


def test_http_robots_txt_honoured_and_cached_per_host():
    hits = []

    def handler(request):
        hits.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nDisallow: /private/\n")
        return httpx.Response(200, text="ok")

    state = {}
    fetcher, _ = fetcher_for(handler, robots=RobotsCache(state, now=lambda: NOW))
    assert fetcher.fetch("http://a.lt/private/x").error_kind == "robots_disallowed"
    assert fetcher.fetch("http://a.lt/public").ok
    assert hits == ["/robots.txt", "/public"]
    assert "Disallow: /private/" in state["http://a.lt"]["rules"]


def test_http_host_limiter_spaces_requests_per_host():
    clock = {"now": 0.0}
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        clock["now"] += seconds

    limiter = HostLimiter(1, 2.0, clock=lambda: clock["now"], sleep=sleep)
    for _ in range(3):
        with limiter.slot("a.lt"):
            pass
    with limiter.slot("b.lt"):
        pass
    assert sleeps == [0.5, 0.5]  # 2 requests/s on a.lt; b.lt is not slowed by a.lt
