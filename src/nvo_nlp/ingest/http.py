"""Polite HTTP fetching with httpx: per-host limits, robots.txt, bounded retries, size caps.

Everything the outside world can do wrong ends in a :class:`FetchResult` with an
``error_kind`` and a message, never in an exception: a crawl goes on past a bad
URL. Retries happen here, bounded by ``max_retries``, and only for transient
failures: connect errors, timeouts, truncated bodies, 429 (honouring
Retry-After) and 502/503/504.

Connections only go to public addresses unless ``allow_private_hosts`` is set
(:class:`GuardedTransport`): a feed, sitemap or redirect cannot point the
crawler at loopback, the local network or a cloud metadata service.
"""

from __future__ import annotations

import email.utils
import ipaddress
import random
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from nvo_nlp.errors import PrivateAddressError
from nvo_nlp.ingest.sources import FetchSettings

TRANSIENT_STATUS = frozenset({429, 502, 503, 504})
#: Error kinds that may go away on a later attempt.
TRANSIENT_KINDS = frozenset({"timeout", "connect", "truncated", "rate_limited", "server_unavailable"})
ROBOTS_TTL_SECONDS = 24 * 3600  # RFC 9309: a cached robots.txt should not be used for longer
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: IPv4 addresses as seen from an IPv6-only network

#: ``resolve(host, port)``: the IP addresses to connect to, as strings.
Resolver = Callable[[str, int], list[str]]


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


#: ``shared_slot(host)``: a context manager holding one of the host's slots across processes (a
#: Prefect global concurrency limit when a server is present).
SharedSlot = Callable[[str], AbstractContextManager[None]]


class HostLimiter:
    """Per-host concurrency and request-rate limits shared by every thread (and so every Prefect task).

    With ``shared_slot``, each request also holds a slot of a limit shared with other processes, so
    overlapping runs (two schedules, several workers) together stay within the host's concurrency.
    """

    def __init__(
        self,
        max_concurrency_per_host: int,
        requests_per_second_per_host: float,
        *,
        clock=time.monotonic,
        sleep=time.sleep,
        shared_slot: SharedSlot | None = None,
    ):
        self.shared_slot = shared_slot
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
        with semaphore, self.shared_slot(host) if self.shared_slot else nullcontext():
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
            robots = self.robots if check_robots and self.settings.respect_robots else None
            if robots is not None and not robots.allowed(url, self.settings.user_agent, self._fetch_robots):
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

    def _fetch_robots(self, url: str) -> FetchResult:
        result = self.fetch(url, check_robots=False)
        if result.error_kind == PrivateAddressError.kind:
            # The host itself is refused: say so, rather than "disallowed by robots.txt".
            raise _Failure(PrivateAddressError.kind, str(result.error_message))
        return result

    def _delay(self, attempt: int, retry_after: float | None) -> float | None:
        if retry_after is not None:
            return retry_after if retry_after <= self.settings.max_retry_after else None
        ceiling = min(self.settings.backoff_max, self.settings.backoff_base * 2 ** (attempt - 1))
        return ceiling * self._jitter()  # "full jitter": spreads retries of many clients

    def _check_url(self, url: str) -> None:
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises on a port that is not a number in range
        except ValueError as exc:
            raise _Failure("invalid_url", f"not a valid URL: {exc}") from None
        if parts.scheme not in ("http", "https"):
            raise _Failure(
                "unsupported_scheme", f"only http and https URLs are fetched, not {parts.scheme or 'no scheme'}"
            )
        if not parts.hostname:
            raise _Failure("invalid_url", "the URL has no host")
        if any(ord(char) < 0x20 or ord(char) == 0x7F for char in url):
            raise _Failure("invalid_url", "the URL contains control characters")
        host = parts.hostname.lower()
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
                try:
                    target = urljoin(current, headers["location"])
                except ValueError as exc:
                    raise _Failure("invalid_url", f"redirect to an invalid URL: {exc}", status=status) from None
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
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                raise _Failure("invalid_url", f"not a valid URL: {exc}") from None
            except httpx.TimeoutException as exc:
                raise _Failure("timeout", f"{type(exc).__name__}: {exc or 'timed out'}") from None
            except (httpx.ConnectError, httpx.ProxyError) as exc:
                raise _Failure("connect", f"cannot connect: {exc}") from None
            except httpx.RemoteProtocolError as exc:
                if str(exc).startswith("Invalid URL in location header"):  # httpx checks Location itself
                    raise _Failure("invalid_url", f"redirect to an invalid URL: {exc}") from None
                raise _Failure("truncated", f"connection broke during the response: {exc}") from None
            except httpx.ReadError as exc:
                raise _Failure("truncated", f"connection broke during the response: {exc}") from None
            except PrivateAddressError as exc:
                raise _Failure(exc.kind, str(exc)) from None

    def _read_capped(self, response: httpx.Response) -> bytes:
        cap = self.settings.max_bytes
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise _Failure(
                "too_large", f"body of {declared} bytes is over the {cap}-byte cap", status=response.status_code
            )
        decoder = _Decoder(response.headers.get("content-encoding"))
        chunks, size = [], 0
        for raw in response.iter_raw():
            # Never more than the room left under the cap, plus the one byte that shows it is exceeded.
            for chunk in decoder.decode(raw, cap - size + 1):
                size += len(chunk)
                if size > cap:
                    raise _Failure(
                        "too_large",
                        f"body over the {cap}-byte cap (aborted while streaming)",
                        status=response.status_code,
                    )
                chunks.append(chunk)
        return b"".join(chunks)


class _Decoder:
    """Undoes a gzip or deflate Content-Encoding at most ``limit`` bytes at a time.

    httpx inflates each network chunk whole: 64 KiB of a gzip bomb become 64 MB before a cap can
    look at them. Here no step yields more than the caller's limit, so the cap holds in memory too.
    """

    def __init__(self, content_encoding: str | None) -> None:
        coding = (content_encoding or "identity").strip().lower()
        if coding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise _Failure("decoding", f"unsupported Content-Encoding {coding!r}")
        # 32 + MAX_WBITS: a gzip or a zlib header, whichever the body starts with.
        self._zlib = None if coding == "identity" else zlib.decompressobj(32 + zlib.MAX_WBITS)

    def decode(self, data: bytes, limit: int) -> Iterator[bytes]:
        if self._zlib is None:
            yield data
            return
        try:
            while data:
                yield self._zlib.decompress(data, limit)
                data = self._zlib.unconsumed_tail
        except zlib.error as exc:
            raise _Failure("decoding", f"bad compressed body: {exc}") from None


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


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (one DNS lookup), in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for a globally routable unicast address: not loopback, private, link-local, CGNAT, multicast, reserved...

    An IPv6 address that carries an IPv4 one (``::ffff:127.0.0.1``, 6to4, NAT64) is judged by the IPv4 address.
    """
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if address.is_site_local:
            return False
    # ``is_global`` alone lets multicast (224.0.0.0/4, ff00::/8) and ::/8 through.
    return address.is_global and not address.is_multicast and not address.is_reserved


class _PinnedBackend(httpcore.SyncBackend):
    """Connects to an address it has checked, never to a host name.

    Each connection resolves its host once, refuses it when any answer is not a public address
    (unless ``allow_private``), then connects to one of those very answers: letting the socket
    layer resolve the name again would let a DNS server answer "public" to the check and
    "127.0.0.1" to the connection (DNS rebinding). TLS is unaffected: httpcore hands the host
    name, not the address, to ``start_tls`` for SNI and certificate checks.
    """

    def __init__(self, *, resolve: Resolver, allow_private: bool) -> None:
        self._resolve, self._allow_private = resolve, allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self._resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        if not addresses:
            raise httpcore.ConnectError(f"cannot resolve {host}: no address")
        if not self._allow_private:
            for address in addresses:
                if not is_public_address(ipaddress.ip_address(address)):
                    subject = address if address == host else f"{host} resolves to {address}, which"
                    raise PrivateAddressError(
                        f"{subject} is not a public address (set allow_private_hosts to fetch it)"
                    )
        *others, last = addresses
        for address in others:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                continue  # the host's next address may answer
        return super().connect_tcp(last, port, timeout, local_address, socket_options)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport, connecting through :class:`_PinnedBackend`.

    httpx takes no network backend, so the connection pool its constructor builds is replaced by
    the same pool with ours (``_pool`` is what ``HTTPTransport`` sends every request through).
    """

    def __init__(self, *, limits: httpx.Limits, resolve: Resolver, allow_private: bool) -> None:
        ssl_context = httpx.create_ssl_context()
        super().__init__(verify=ssl_context, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PinnedBackend(resolve=resolve, allow_private=allow_private),
        )


def make_client(settings: FetchSettings, *, resolve: Resolver = resolve_host) -> httpx.Client:
    """The httpx client for a crawl: pinned, checked connections (:class:`GuardedTransport`), pooled to the
    concurrency; redirects handled by :class:`Fetcher`.

    Proxies from the environment are not used: a proxy would resolve and connect on its own, past the check.
    """
    limits = httpx.Limits(
        max_connections=settings.max_concurrency * 2, max_keepalive_connections=settings.max_concurrency
    )
    transport = GuardedTransport(limits=limits, resolve=resolve, allow_private=settings.allow_private_hosts)
    return httpx.Client(transport=transport, follow_redirects=False)
