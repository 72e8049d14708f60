"""A real HTTP server on 127.0.0.1 for ingest tests: routes, conditional GET, faults, request log."""

from __future__ import annotations

import contextlib
import gzip
import ssl
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Response:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    delay: float = 0.0  # seconds before answering
    declared_length: int | None = None  # a Content-Length larger than the body: truncated response
    gzip: bool = False
    chunked: bool = False  # no Content-Length: the client learns the size only by reading


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    started: float


class LocalServer:
    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Callable[[], Response] | Response] = {}
        self.requests: list[Request] = []
        self.hits: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def handle(self):
                with contextlib.suppress(ConnectionResetError):  # the client dropped it, as after a size cap
                    super().handle()

            def do_GET(self):
                with server._lock:
                    server.requests.append(Request(self.path, dict(self.headers), time.monotonic()))
                    server.hits[self.path] += 1
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._answer()
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _answer(self):
                route = server.routes.get(self.path)
                if route is None:
                    response = Response(b"not found", 404)
                else:
                    response = route() if callable(route) else route
                if response.delay:
                    time.sleep(response.delay)
                if response.etag and self.headers.get("If-None-Match") == response.etag:
                    self.send_response(304)
                    self.send_header("ETag", response.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = gzip.compress(response.body) if response.gzip else response.body
                self.send_response(response.status)
                for key, value in response.headers.items():
                    self.send_header(key, value)
                if response.etag:
                    self.send_header("ETag", response.etag)
                if response.gzip:
                    self.send_header("Content-Encoding", "gzip")
                if response.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(response.declared_length or len(body)))
                if response.declared_length:
                    self.send_header("Connection", "close")
                self.end_headers()
                try:
                    if response.chunked:
                        for start in range(0, len(body), 65536):
                            piece = body[start : start + 65536]
                            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up on the body (a size cap)
                if response.declared_length:
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path


def sequence(*responses: Response) -> Callable[[], Response]:
    """A route answering with each response in turn, then repeating the last."""
    state = {"index": 0}

    def next_response() -> Response:
        response = responses[min(state["index"], len(responses) - 1)]
        state["index"] += 1
        return response

    return next_response


def html_page(title: str, paragraphs: list[str], *, lang: str, charset_meta: str | None = None) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{title}</title>'
        f'<meta property="og:site_name" content="Regiono naujienos"><meta name="author" content="Rūta Petrauskienė">'
        f"</head><body><nav><a href='/'>Pradžia</a> <a href='/kontaktai'>Kontaktai</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>© Regiono naujienos</footer></body></html>"
    )


def gzip_bomb(size: int, *, head: bytes = b"", fill: bytes = b"\0", tail: bytes = b"") -> bytes:
    """A valid gzip file of ``head + fill * size + tail`` (``size`` a multiple of 1 MiB), about 1000 times smaller.

    After a full flush deflate forgets its history, so every 1 MiB block of ``fill`` compresses to the
    same bytes: they are repeated rather than compressing ``size`` bytes (seconds for a gigabyte).
    """
    block = fill * (1 << 20)
    count = size // len(block)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = deflate.compress(tail) + deflate.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    trailer = struct.pack("<II", crc, (len(head) + count * len(block) + len(tail)) & 0xFFFFFFFF)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + start + repeated * count + end + trailer
