"""The address guard: no fetch reaches a non-public address unless ``allow_private_hosts`` is set.

Host names go through an injected resolver (:class:`FakeDns`), so ``intranet.test`` can resolve to
10.0.0.1 without DNS. Everything after the lookup is production code: the address check, the
connection to the checked address, redirects, robots.txt, the crawler's fetch log. Where a "public"
host must answer, the ``network`` fixture stands in for the internet at socket level: it records
every address a connection is opened to, and routes the public address ``PUBLIC`` to the local test
server on 127.0.0.1 — so that server plays a public site while 127.0.0.1 itself stays refused.
"""

import socket
import ssl
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from ingest.webserver import LocalServer, Response, html_page

from nvo_nlp.ingest.http import Fetcher, RobotsCache, make_client, resolve_host
from nvo_nlp.ingest.rawstore import IngestState, RawStore
from nvo_nlp.ingest.sources import FetchSettings, Source
from nvo_nlp.ingest.web import Crawler

NOW = datetime(2025, 10, 1, 12, 0, tzinfo=UTC)
PUBLIC = "93.184.216.34"
BLOCKED = [
    "127.0.0.1",  # loopback
    "127.1.2.3",
    "::1",
    "10.1.2.3",  # private
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.1",
    "169.254.169.254",  # link-local: the cloud metadata service
    "fe80::1",
    "fe80::1%1",  # with a zone, as getaddrinfo writes link-local answers
    "fc00::1",  # unique local
    "fd12:3456::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "::7f00:1",  # IPv4-compatible (reserved ::/8)
    "224.0.0.1",  # multicast
    "ff02::1",
    "0.0.0.0",  # unspecified
    "::",
    "100.64.0.1",  # shared address space (CGNAT)
    "192.0.2.1",  # documentation
    "198.18.0.1",  # benchmarking
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "fec0::1",  # deprecated site-local
]
ALLOWED = [PUBLIC, "2606:4700:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822"]
TEXT = [
    "Klaipėdos rajono savivaldybė kartu su Liepojos miesto savivaldybe įgyvendina bendrą projektą, skirtą nevyriausybinėms organizacijoms.",
    "Viešnagės metu Liepojos atstovai lankėsi Dauparų bendruomenės daugiafunkciame centre ir susipažino su iniciatyvomis.",
]


class FakeDns:
    """Answers lookups from a table: host -> answers for successive lookups (the last one repeats).

    Other hosts (IP literals) go to the real resolver, which parses them without asking DNS."""

    def __init__(self, table: dict[str, list[list[str]]]):
        self.table = table
        self.lookups: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        if host not in self.table:
            return resolve_host(host, port)
        answers = self.table[host]
        self.lookups.append(host)
        return answers[min(self.lookups.count(host), len(answers)) - 1]


class Network:
    def __init__(self):
        self.connects: list[tuple[str, int]] = []
        self.routes: dict[tuple[str, int], tuple[str, int]] = {}


@pytest.fixture
def network(monkeypatch):
    network = Network()
    connect = socket.create_connection

    def create_connection(address, *args, **kwargs):
        network.connects.append(address)
        if address in network.routes:
            return connect(network.routes[address], *args, **kwargs)
        raise OSError(f"no route to {address[0]} in the tests")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return network


def fetcher(dns=None, *, robots=None, **settings):
    settings = FetchSettings(requests_per_second_per_host=0, max_retries=0, **settings)
    client = make_client(settings) if dns is None else make_client(settings, resolve=dns)
    return Fetcher(settings, client=client, robots=robots, now=lambda: NOW)


@pytest.mark.parametrize("address", BLOCKED)
def test_ssrf_non_public_addresses_are_refused_before_connecting(address, network):
    result = fetcher(FakeDns({"target.test": [[address]]})).fetch("http://target.test/x")
    assert (result.error_kind, result.body) == ("private_address", None)
    assert "target.test" in result.error_message and address in result.error_message
    assert network.connects == []


@pytest.mark.parametrize("address", ALLOWED)
def test_ssrf_public_addresses_pass_to_the_connection(address, network):
    result = fetcher(FakeDns({"site.test": [[address]]})).fetch("http://site.test/x")
    assert result.error_kind == "connect"  # the stand-in network has no route there, but it was tried
    assert network.connects == [(address, 80)]


def test_ssrf_one_private_answer_among_public_ones_refuses_the_host(network):
    result = fetcher(FakeDns({"mixed.test": [[PUBLIC, "10.0.0.1"]]})).fetch("http://mixed.test/x")
    assert result.error_kind == "private_address" and "10.0.0.1" in result.error_message
    assert network.connects == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "http://[::1]:9/x",
        "http://[::ffff:127.0.0.1]:9/x",
        "http://0.0.0.0:9/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:9/x",
    ],
)
def test_ssrf_default_resolver_refuses_literals_and_localhost(url, network):
    result = fetcher().fetch(url)
    assert result.error_kind == "private_address"
    assert network.connects == []


def test_ssrf_local_server_refused_by_default_and_reached_when_allowed():
    with LocalServer() as server:
        server.routes["/x"] = Response(b"ok")
        refused = fetcher().fetch(server.url("/x"))
        assert refused.error_kind == "private_address" and "127.0.0.1" in refused.error_message
        assert server.hits["/x"] == 0
        assert fetcher(allow_private_hosts=True).fetch(server.url("/x")).body == b"ok"


@pytest.mark.parametrize("target", ["http://127.0.0.1:{port}/secret", "http://[::1]:{port}/secret", "metadata"])
def test_ssrf_redirect_to_a_private_address_is_refused(target, network):
    """The first hop is a public site (the local server behind PUBLIC); its redirect is checked like any URL."""
    with LocalServer() as server:
        port = server.port
        network.routes[(PUBLIC, port)] = ("127.0.0.1", port)
        location = f"http://metadata.test:{port}/secret" if target == "metadata" else target.format(port=port)
        server.routes["/start"] = Response(status=302, headers={"Location": location})
        server.routes["/secret"] = Response(b"credentials")
        dns = FakeDns({"news.test": [[PUBLIC]], "metadata.test": [["169.254.169.254"]]})
        result = fetcher(dns).fetch(f"http://news.test:{port}/start")
    assert result.error_kind == "private_address" and result.body is None
    assert (server.hits["/start"], server.hits["/secret"]) == (1, 0)
    assert network.connects == [(PUBLIC, port)]


def test_ssrf_dns_rebinding_check_and_connection_use_one_answer(network):
    """The resolver answers PUBLIC, then 127.0.0.1: a guard that checked one lookup and connected by name
    (a second lookup) would reach 127.0.0.1. The connection goes to the checked answer; the next
    connection looks up again and is refused."""
    with LocalServer() as server:
        port = server.port
        network.routes[(PUBLIC, port)] = ("127.0.0.1", port)
        server.routes["/page"] = Response(b"public page")
        dns = FakeDns({"rebind.test": [[PUBLIC], ["127.0.0.1"]]})
        first = fetcher(dns).fetch(f"http://rebind.test:{port}/page")
        assert first.body == b"public page"
        assert (dns.lookups, network.connects) == (["rebind.test"], [(PUBLIC, port)])
        assert server.requests[0].headers["Host"] == f"rebind.test:{port}"  # the name, not the address
        second = fetcher(dns).fetch(f"http://rebind.test:{port}/page")  # a new client: a new connection
    assert second.error_kind == "private_address" and "127.0.0.1" in second.error_message
    assert network.connects == [(PUBLIC, port)] and server.hits["/page"] == 1


def self_signed(name):
    """A certificate and key (PEM) for ``name``, signed by itself."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime.now(UTC) - timedelta(days=1))
        .not_valid_after(datetime.now(UTC) + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return certificate.public_bytes(serialization.Encoding.PEM), key_pem


def test_ssrf_https_to_the_pinned_address_still_verifies_the_host_name(tmp_path, network, monkeypatch):
    """Connecting to an address must not change TLS: SNI and the certificate check use the URL's name."""
    certificate, key = self_signed("news.test")
    (tmp_path / "cert.pem").write_bytes(certificate)
    (tmp_path / "key.pem").write_bytes(key)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    names = []
    server_tls.sni_callback = lambda connection, name, context: names.append(name)
    # The crawler's client trusts this one certificate instead of the public CAs.
    monkeypatch.setattr(httpx, "create_ssl_context", lambda: ssl.create_default_context(cadata=certificate.decode()))
    with LocalServer(tls=server_tls) as server:
        network.routes[(PUBLIC, server.port)] = ("127.0.0.1", server.port)
        server.routes["/page"] = Response(b"over tls")
        dns = FakeDns({"news.test": [[PUBLIC]], "other.test": [[PUBLIC]]})
        assert fetcher(dns).fetch(f"https://news.test:{server.port}/page").body == b"over tls"
        wrong = fetcher(dns).fetch(f"https://other.test:{server.port}/page")  # same address, not its certificate
    assert names == ["news.test", "other.test"] and server.hits["/page"] == 1
    assert wrong.error_kind == "connect" and "certificate" in wrong.error_message.lower()
    assert network.connects == [(PUBLIC, server.port)] * 2


def test_ssrf_robots_txt_of_a_private_host_names_the_address(network):
    state = {}
    robots = RobotsCache(state, now=lambda: NOW)
    result = fetcher(FakeDns({"intranet.test": [["10.0.0.1"]]}), robots=robots).fetch("http://intranet.test/x")
    assert result.error_kind == "private_address"  # not "robots_disallowed"
    assert state == {} and network.connects == []


def test_ssrf_crawler_logs_each_refused_link_and_goes_on(tmp_path, network):
    with LocalServer() as server:
        port = server.port
        network.routes[(PUBLIC, port)] = ("127.0.0.1", port)
        links = [
            f"http://news.test:{port}/article",
            f"http://127.0.0.1:{port}/admin",
            "http://metadata.test/latest/meta-data/",
            "http://[fd00::1]/x",
        ]
        feed = "".join(f"<item><title>t</title><link>{link}</link></item>" for link in links)
        server.routes["/feed.xml"] = Response(f'<rss version="2.0"><channel>{feed}</channel></rss>'.encode())
        server.routes["/article"] = Response(html_page("Naujiena", TEXT, lang="lt").encode())
        server.routes["/admin"] = Response(b"admin")
        dns = FakeDns({"news.test": [[PUBLIC]], "metadata.test": [["169.254.169.254"]]})
        state = IngestState(tmp_path)
        crawler = Crawler(
            fetcher(dns, robots=RobotsCache(state.robots, now=lambda: NOW)),
            RawStore(tmp_path),
            state,
            run_id="r1",
            now=lambda: NOW,
        )
        source = Source(name="news", kind="feed", url=f"http://news.test:{port}/feed.xml")
        items, _ = crawler.discover(source)
        articles = [crawler.fetch_article(item, source) for item in items]
    assert [a is not None for a in articles] == [True, False, False, False]
    refused = {r.url: r.error_message for r in crawler.log if r.error_kind == "private_address"}
    assert set(refused) == set(links[1:]) and all(r.outcome != "stored" for r in crawler.log if r.url in refused)
    assert "127.0.0.1" in refused[links[1]] and "metadata.test resolves to 169.254.169.254" in refused[links[2]]
    assert "fd00::1" in refused[links[3]]
    assert server.hits["/admin"] == 0 and {address for address, _ in network.connects} == {PUBLIC}


def test_ssrf_sitemap_index_child_on_a_private_address_is_refused(tmp_path, network):
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    with LocalServer() as server:
        network.routes[(PUBLIC, server.port)] = ("127.0.0.1", server.port)
        children = [f"http://news.test:{server.port}/pages.xml", "http://intranet.test/pages.xml"]
        entries = "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children)
        server.routes["/index.xml"] = Response(f"<sitemapindex {ns}>{entries}</sitemapindex>".encode())
        server.routes["/pages.xml"] = Response(f"<urlset {ns}><url><loc>/article</loc></url></urlset>".encode())
        dns = FakeDns({"news.test": [[PUBLIC]], "intranet.test": [["10.20.30.40"]]})
        crawler = Crawler(fetcher(dns), RawStore(tmp_path), IngestState(tmp_path), run_id="r1", now=lambda: NOW)
        items, _ = crawler.discover(Source(name="map", kind="sitemap", url=f"http://news.test:{server.port}/index.xml"))
    assert [item.url for item in items] == [f"http://news.test:{server.port}/article"]
    assert [(r.url, r.outcome, r.error_kind) for r in crawler.log] == [
        (children[0], "stored", None),
        (children[1], "failed", "private_address"),
        (f"http://news.test:{server.port}/index.xml", "stored", None),
    ]
