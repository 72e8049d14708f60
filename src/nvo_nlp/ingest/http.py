"""Polite HTTP fetching with httpx: per-host limits, robots.txt, bounded retries, size caps.

Everything the outside world can do wrong ends in a :class:`FetchResult` with an
``error_kind`` and a message, never in an exception: a crawl goes on past a bad
URL. Retries happen here, bounded by ``max_retries``, and only for transient
failures: connect errors, timeouts, truncated bodies, 429 (honouring
Retry-After) and 502/503/504.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from nvo_nlp.ingest.sources import FetchSettings

TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
#: Error kinds that may go away on a later attempt.
TRANSIENT_KINDS = frozenset({"timeout", "connect", "truncated", "rate_limited", "server_unavailable"})
ROBOTS_TTL_SECONDS = 24 * 3600  # RFC 9309: a cached robots.txt should not be used for longer


@dataclass(frozen=True)
class Validators:
    """What a server told us last time, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    body: bytes | None
    validators: Validators
    elapsed: float
    attempts: int
    fetched_at: datetime
    conditional: bool = False
    error_kind: str | None = None
    error_message: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def ok(self) -> bool:
        return self.error_kind is None


class _Failure(Exception):
    def __init__(self, kind: str, message: str, *, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.kind, self.status, self.retry_after = kind, status, retry_after


class HostLimiter:
    """Per-host concurrency and request-rate limits shared by every thread (and so every Prefect task)."""

    def __init__(
        self,
        max_concurrency_per_host: int,
        requests_per_second_per_host: float,
        *,
        clock=time.monotonic,
        sleep=time.sleep,
    ):
        self.max_concurrency = max_concurrency_per_host
        self.interval = 1.0 / requests_per_second_per_host if requests_per_second_per_host > 0 else 0.0
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.BoundedSemaphore(self.max_concurrency))
        with semaphore:
            with self._lock:
                now = self._clock()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self.interval
            if start > now:
                self._sleep(start - now)
            yield


class RobotsCache:
    """robots.txt per host, fetched once and kept for 24 hours in ``state`` (a dict the caller persists)."""

    def __init__(self, state: dict, *, now: Callable[[], datetime]):
        self.state = state
        self._now = now
        self._lock = threading.Lock()
        self._parsers: dict[str, RobotFileParser | None] = {}

    def allowed(self, url: str, user_agent: str, fetch: Callable[[str], FetchResult]) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            if origin not in self._parsers:
                self._parsers[origin] = self._load(origin, fetch)
            parser = self._parsers[origin]
        return True if parser is None else parser.can_fetch(user_agent, url)

    def _load(self, origin: str, fetch: Callable[[str], FetchResult]) -> RobotFileParser | None:
        cached = self.state.get(origin)
        now = self._now()
        if cached is None or (now - datetime.fromisoformat(cached["fetched_at"])).total_seconds() > ROBOTS_TTL_SECONDS:
            result = fetch(f"{origin}/robots.txt")
            if result.ok and result.body is not None:
                cached = {"rules": result.body.decode("utf-8", "replace"), "fetched_at": now.isoformat()}
            elif result.status is not None and 400 <= result.status < 500:
                cached = {"rules": "", "fetched_at": now.isoformat()}  # no robots.txt: everything allowed
            else:
                # Unreachable robots.txt (5xx, network): fetch nothing from the host this run.
                cached = {"rules": "User-agent: *\nDisallow: /", "fetched_at": now.isoformat(), "temporary": True}
            if not cached.get("temporary"):
                self.state[origin] = cached
        parser = RobotFileParser()
        parser.parse(cached["rules"].splitlines())
        return parser


class Fetcher:
    """GETs URLs politely; thread-safe, so concurrent tasks can share one."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        client: httpx.Client,
        limiter: HostLimiter | None = None,
        robots: RobotsCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        jitter: Callable[[], float] = random.random,
    ):
        self.settings = settings
        self.client = client
        self.limiter = limiter or HostLimiter(
            settings.max_concurrency_per_host, settings.requests_per_second_per_host, clock=clock, sleep=sleep
        )
        self.robots = robots
        self._sleep, self._clock, self._now, self._jitter = sleep, clock, now, jitter

    def fetch(self, url: str, *, validators: Validators | None = None, check_robots: bool = True) -> FetchResult:
        started = self._clock()
        fetched_at = self._now()
        validators = validators or Validators()
        conditional = bool(validators.headers())
        attempts = 0
        try:
            self._check_url(url)
            if check_robots and self.settings.respect_robots and self.robots is not None:
                fetch_robots = lambda robots_url: self.fetch(robots_url, check_robots=False)  # noqa: E731
                if not self.robots.allowed(url, self.settings.user_agent, fetch_robots):
                    raise _Failure("robots_disallowed", "disallowed by robots.txt")
            while True:
                attempts += 1
                try:
                    status, final_url, headers, body = self._get_following_redirects(url, validators)
                    return FetchResult(
                        url=url,
                        final_url=final_url,
                        status=status,
                        content_type=headers.get("content-type"),
                        body=body,
                        validators=Validators(headers.get("etag"), headers.get("last-modified")),
                        elapsed=self._clock() - started,
                        attempts=attempts,
                        fetched_at=fetched_at,
                        conditional=conditional,
                    )
                except _Failure as failure:
                    if failure.kind not in TRANSIENT_KINDS or attempts > self.settings.max_retries:
                        raise
                    delay = self._delay(attempts, failure.retry_after)
                    if delay is None:
                        raise
                    self._sleep(delay)
        except _Failure as failure:
            return FetchResult(
                url=url,
                final_url=None,
                status=failure.status,
                content_type=None,
                body=None,
                validators=Validators(),
                elapsed=self._clock() - started,
                attempts=attempts,
                fetched_at=fetched_at,
                conditional=conditional,
                error_kind=failure.kind,
                error_message=str(failure),
            )

    def _delay(self, attempt: int, retry_after: float | None) -> float | None:
        if retry_after is not None:
            return retry_after if retry_after <= self.settings.max_retry_after else None
        ceiling = min(self.settings.backoff_max, self.settings.backoff_base * 2 ** (attempt - 1))
        return ceiling * self._jitter()  # "full jitter": spreads retries of many clients

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise _Failure(
                "unsupported_scheme", f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'}"
            )
        host = (parts.hostname or "").lower()
        allowed = self.settings.allowed_hosts
        if allowed and not any(host == h or host.endswith("." + h) for h in allowed):
            raise _Failure("host_not_allowed", f"host {host} is not in allowed_hosts")

    def _get_following_redirects(
        self, url: str, validators: Validators
    ) -> tuple[int, str, httpx.Headers, bytes | None]:
        seen = {url}
        current = url
        for _ in range(self.settings.max_redirects + 1):
            status, headers, body = self._get_once(current, validators if current == url else Validators())
            if status in (301, 302, 303, 307, 308) and "location" in headers:
                target = urljoin(current, headers["location"])
                self._check_url(target)
                if target in seen:
                    raise _Failure("redirect_loop", f"redirect loop back to {target}", status=status)
                seen.add(target)
                current = target
                continue
            return status, current, headers, body
        raise _Failure("too_many_redirects", f"more than {self.settings.max_redirects} redirects")

    def _get_once(self, url: str, validators: Validators) -> tuple[int, httpx.Headers, bytes | None]:
        headers = {
            "User-Agent": self.settings.user_agent_header,
            "Accept-Encoding": "gzip, deflate",
            **validators.headers(),
        }
        host = (urlsplit(url).hostname or "").lower()
        timeout = httpx.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout)
        with self.limiter.slot(host):
            try:
                with self.client.stream(
                    "GET", url, headers=headers, timeout=timeout, follow_redirects=False
                ) as response:
                    status = response.status_code
                    if status in TRANSIENT_STATUS:
                        kind = "rate_limited" if status == 429 else "server_unavailable"
                        raise _Failure(
                            kind,
                            f"HTTP {status}",
                            status=status,
                            retry_after=_retry_after(response.headers, self._now()),
                        )
                    if status == 304 or 300 <= status < 400:
                        return status, response.headers, None
                    if status >= 400:
                        raise _Failure(f"http_{status}", f"HTTP {status} {response.reason_phrase}", status=status)
                    return status, response.headers, self._read_capped(response)
            except httpx.TimeoutException as exc:
                raise _Failure("timeout", f"{type(exc).__name__}: {exc or 'timed out'}") from None
            except (httpx.ConnectError, httpx.ProxyError) as exc:
                raise _Failure("connect", f"cannot connect: {exc}") from None
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                raise _Failure("truncated", f"connection broke during the response: {exc}") from None
            except httpx.DecodingError as exc:
                raise _Failure("decoding", f"bad compressed body: {exc}") from None

    def _read_capped(self, response: httpx.Response) -> bytes:
        cap = self.settings.max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise _Failure(
                "too_large", f"body of {declared} bytes is over the {cap}-byte cap", status=response.status_code
            )
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise _Failure(
                    "too_large", f"body over the {cap}-byte cap (aborted while streaming)", status=response.status_code
                )
            chunks.append(chunk)
        return b"".join(chunks)


def _retry_after(headers: httpx.Headers, now: datetime) -> float | None:
    value = headers.get("retry-after")
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds())


def make_client(settings: FetchSettings) -> httpx.Client:
    """The httpx client for a crawl: connection pooling sized to the concurrency, redirects handled by :class:`Fetcher`."""
    limits = httpx.Limits(
        max_connections=settings.max_concurrency * 2, max_keepalive_connections=settings.max_concurrency
    )
    return httpx.Client(limits=limits, follow_redirects=False)
