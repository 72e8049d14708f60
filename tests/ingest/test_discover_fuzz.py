"""Property tests (hypothesis) of the feed and sitemap parsers: untrusted bytes never crash them.

Whatever the body, ``parse_feed`` and ``parse_sitemap`` return items or raise an :class:`InputError`;
the items hold URLs that ``canonical_url`` accepts, text without lone surrogates that Parquet can
store, and UTC publication times. Besides arbitrary bytes, the strategies build near-valid RSS, Atom
and sitemap documents with fuzzed field values, so that the fuzzer gets past the XML parser's first
error into the code that reads the fields. ``NVO_FUZZ_SCALE=20`` multiplies the number of examples
for a longer local run.
"""

import gzip
from datetime import UTC, datetime, timedelta, timezone
from xml.sax.saxutils import escape

import pyarrow as pa
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from ingest.fuzzing import fuzz

from nvo_nlp.errors import InputError
from nvo_nlp.ingest.articles import canonical_url
from nvo_nlp.ingest.discover import Item, dedupe_items, parse_feed, parse_sitemap

# A document declaring encoding="unicode_escape" makes Python's codec warn about its backslashes.
pytestmark = pytest.mark.filterwarnings("ignore:invalid escape sequence:DeprecationWarning")
BASE = "https://example.lt/naujienos/rss"


# -- values ------------------------------------------------------------------------------------------------

# Text the way hostile or broken sources send it: controls, NUL, RTL override, lone surrogates, BOMs.
NASTY_CHARS = st.sampled_from(
    ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u202e", "\u200f", "\ufeff", "\ud800", "\udfff"]
)
UNICODE = st.text(
    st.one_of(st.characters(), NASTY_CHARS, st.sampled_from("ąčęėįšųūžĄŠŽāēīļņ<>&\"'[]{}#?%")), max_size=30
)
LINE_CHARS = st.sampled_from(["a", "ė", " ", "<", "&", "]]>", "\u202e", "\x00", '"'])
RAW = st.one_of(UNICODE, st.builds(lambda c, n: c * n, LINE_CHARS, st.integers(0, 2_000)))

URLS = st.one_of(
    st.sampled_from(
        [
            "http://[::1",  # regression: urljoin raised ValueError("Invalid IPv6 URL")
            "http://[::1]/a",
            "http://[abc]/",
            "https://[v1.fe]/",
            "http://ex\uff03ample.lt/",  # a netloc that NFKC-normalizes to '#'
            "https://Example.LT/a?b=2&utm_source=rss&a=1#top",
            "https://example.lt/žinios/šventė?ė=ų",
            "/naujiena/1",
            "naujiena?id=1",
            "//example.lv/zinas",
            "?",
            "#",
            "javascript:alert(1)",
            "mailto:redakcija@example.lt",
            "http://",
            "http:///a",
            "https://example.lt:99999999/a",
            "https://user:pass@example.lt:80/a",
            " \t https://example.lt/a \n",
            "\x00https://example.lt/a",
        ]
    ),
    st.builds(lambda a, b: a + b, st.sampled_from(["https://", "http://[", "/", "", "//"]), UNICODE),
)
# Fixed offsets up to ±23:59, the extremes that push a time past the year 1 or 9999 in UTC.
OFFSETS = st.integers(-1439, 1439).map(lambda minutes: timezone(timedelta(minutes=minutes)))
DATES = st.one_of(
    st.sampled_from(
        [
            "0001-01-01T00:00:00+01:00",  # regression: OverflowError in astimezone
            "9999-12-31T23:00:00-05:00",
            "0000-01-01T00:00:00Z",  # regression: year 0 is out of range
            "0000-01-01",
            "2025-09-30",
            "2025-09-30T10:00:00+03:00",
            "2025-09-30T10:00:00Z",
            "2025-13-45T99:99:99Z",
            "Tue, 30 Sep 2025 10:00:00 +0300",
            "Mon, 01 Jan 0001 00:00:00 +0100",
            "Fri, 31 Dec 9999 23:59:59 -1200",
            "Sat, 00 Jan 0000 00:00:00 GMT",
            "99999-01-01T00:00:00Z",
            "2025-09-30T10:00:00+99:00",
            "",
        ]
    ),
    st.datetimes(timezones=OFFSETS).map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S +0000")),
    UNICODE,
)
REFERENCES = st.sampled_from(
    ["&#xD800;", "&#0;", "&#99999999999;", "&#x110000;", "&#8222;", "&nbsp;", "&amp;", "&x;", "&"]
)


# What an XML declaration may name: real charsets, unknown names, codecs that are no charset.
DECLARED_ENCODINGS = st.sampled_from(
    ["windows-1257", "utf-16", "utf-32", "utf-7", "shift_jis", "cp037", "nonsense", "rot13", "base64", "zlib"]
    + ["unicode_escape", "raw_unicode_escape", "undefined", "idna", "punycode", ""]
)


# How a value appears in a document: escaped, raw (unbalanced markup), in CDATA, followed by a reference.
QUOTING = st.sampled_from(["escaped", "escaped", "raw", "cdata", "reference"])


def field(tag, values, *, attrs=""):
    """``<tag>value</tag>`` with a fuzzed value, or a missing, empty or unclosed element."""

    @st.composite
    def build(draw):
        shape = draw(st.sampled_from(["element", "element", "element", "missing", "empty", "unclosed"]))
        if shape != "element":
            return {"missing": "", "empty": f"<{tag}{attrs}/>", "unclosed": f"<{tag}{attrs}>"}[shape]
        value, quoting = draw(values), draw(QUOTING)
        if quoting == "escaped":
            value = escape(value)
        elif quoting == "cdata":
            value = f"<![CDATA[{value}]]>"
        elif quoting == "reference":
            value = escape(value) + draw(REFERENCES)
        return f"<{tag}{attrs}>{value}</{tag}>"

    return build()


def document(parts, *, tail=None):
    """Parts joined, then encoded the way servers do, declared or not, truthfully or not."""

    @st.composite
    def build(draw):
        text = "".join(draw(st.tuples(*parts))) + (draw(tail) if tail is not None else "")
        encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "windows-1257", "iso-8859-13", "latin-1"]))
        declared = draw(st.one_of(st.sampled_from([None, encoding, "utf-8"]), DECLARED_ENCODINGS))
        prolog = (
            f'<?xml version="1.0" encoding="{declared}"?>'
            if declared
            else draw(st.sampled_from(["", '<?xml version="1.0"?>']))
        )
        # surrogatepass: lone surrogates become the invalid UTF-8 (or UTF-16) a careless encoder writes
        errors = draw(st.sampled_from(["replace", "surrogatepass"])) if encoding.startswith("utf") else "replace"
        body = (prolog + text).encode(encoding, errors)
        return draw(st.sampled_from([body, body, body[: len(body) // 2], b"\xef\xbb\xbf" + body]))

    return build()


# -- feeds -------------------------------------------------------------------------------------------------


def rss_item():
    return st.tuples(
        field("title", RAW),
        field("link", URLS),
        field("pubDate", DATES),
        field("author", RAW),
        field("guid", URLS),
        field("description", RAW),
    ).map(lambda fields: "<item>" + "".join(fields) + "</item>")


def atom_entry():
    link = URLS.map(lambda url: f'<link href="{escape(url, {chr(34): "&quot;"})}"/>')
    return st.tuples(
        field("title", RAW),
        st.one_of(link, field("link", URLS), st.just("")),
        field("updated", DATES),
        field("published", DATES),
        field("author", RAW).map(lambda name: f"<author>{name}</author>"),
        field("summary", RAW, attrs=' type="html"'),
    ).map(lambda fields: "<entry>" + "".join(fields) + "</entry>")


RSS_FEEDS = document(
    [
        st.just('<rss version="2.0"><channel>'),
        field("title", RAW),
        field("language", RAW),
        st.lists(rss_item(), max_size=3).map("".join),
    ],
    tail=st.sampled_from(["</channel></rss>", "</channel>", "", "</rss></rss>"]),
)
ATOM_FEEDS = document(
    [
        st.just('<feed xmlns="http://www.w3.org/2005/Atom">'),
        field("title", RAW),
        st.lists(atom_entry(), max_size=3).map("".join),
    ],
    tail=st.sampled_from(["</feed>", "", "<feed>"]),
)
CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "application/rss+xml",
            "application/xml; charset=utf-8",
            "text/xml",
            "text/html; charset=iso-8859-1",
            "application/atom+xml; charset=windows-1257",
            "text/xml; charset=rot13",
            "application/xml; charset=base64",
            "application/xml; charset=unicode_escape",
            "application/xml; charset=undefined",
            "application/xml; charset=idna",
            "application/xml; charset=utf-7",
            "application/xml; charset=nonsense",
        ]
    ),
    UNICODE,
)


def check_text(value):
    """A field value Parquet can store: None or a str without lone surrogates."""
    if value is not None:
        assert isinstance(value, str)
        value.encode("utf-8")  # raises on lone surrogates
        pa.array([value], pa.string())


def check_items(items, source):
    assert isinstance(items, list)
    for item in items:
        assert isinstance(item, Item) and item.source == source
        assert isinstance(item.url, str) and item.url
        canonical_url(item.url)  # raises for a URL no later stage could use
        for value in (item.url, item.title, item.author, item.language, item.site_name):
            check_text(value)
        check_time(item.published_at)


def check_time(published):
    if published is not None:
        assert isinstance(published, datetime) and published.utcoffset() == timedelta(0)
        assert datetime.fromisoformat(published.isoformat()) == published  # as web.py stores and reads it
        pa.array([published], pa.timestamp("us", tz="UTC"))


def feed_items(body, content_type=None):
    try:
        items = parse_feed(body, base_url=BASE, source="s", content_type=content_type)
    except InputError:
        return None
    check_items(items, "s")
    return items


@fuzz(150)
@given(st.binary(max_size=4096), CONTENT_TYPES)
def test_discover_feed_arbitrary_bytes_never_crash(body, content_type):
    feed_items(body, content_type)


@fuzz(80)
@given(RSS_FEEDS, CONTENT_TYPES)
@example(b"<rss><channel><item><link>http://[::1</link></item><item><link>/a</link></item></channel></rss>", None)
@example(b"<rss><channel><item><title>a&#xD800;</title><link>/a</link></item><x></channel></rss>", None)
@example(b"<rss><channel><item><title>a&#99999999999;</title><link>/a</link></item><x></channel></rss>", None)
@example(
    b"<rss><channel><item><link>/a</link><pubDate>Mon, 01 Jan 0001 00:00:00 +0100</pubDate></item></channel></rss>",
    None,
)
def test_discover_rss_feed_fields_never_crash(body, content_type):
    feed_items(body, content_type)


@fuzz(80)
@given(ATOM_FEEDS, CONTENT_TYPES)
def test_discover_atom_feed_fields_never_crash(body, content_type):
    feed_items(body, content_type)


# Fixed cases, not drawn: a 100,000-character line of '<' costs feedparser's lenient parser about 1 s.
@pytest.mark.parametrize(
    ("char", "tag", "broken"),
    [
        ("<", "title", True),
        ("&", "link", True),
        ("ė", "author", False),
        ("\x00", "title", False),
        ("]]>", "link", False),
    ]
    + [('"', "title", True), ("\u202e", "link", False), ("a", "link", False)],
)
def test_discover_feed_100k_character_line_never_crashes(char, tag, broken):
    body = f"<rss><channel><item><{tag}>{char * 100_000}</{tag}><link>/a</link></item>{'<x>' if broken else ''}"
    feed_items((body + "</channel></rss>").encode())


def test_discover_atom_entry_in_year_0_has_no_date():
    """Regression: feedparser parses the year 0, which datetime() refused with ValueError."""
    body = b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://example.lt/a"/><updated>0000-01-01T00:00:00Z</updated></entry></feed>'
    [item] = parse_feed(body, base_url=BASE, source="s")
    assert (item.url, item.published_at) == ("https://example.lt/a", None)


def test_discover_feed_bad_link_skips_only_that_entry():
    """Regression: urljoin raised ValueError('Invalid IPv6 URL') for one bad link, losing the whole feed."""
    body = (
        b'<rss version="2.0"><channel><item><link>http://[::1</link></item><item><link>/a</link></item></channel></rss>'
    )
    assert [item.url for item in parse_feed(body, base_url=BASE, source="s")] == ["https://example.lt/a"]


@pytest.mark.parametrize("declaration", ["", '<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-8"?>'])
@pytest.mark.parametrize("content_type", [None, "application/rss+xml", "text/xml", "application/xml; charset=utf-8"])
def test_discover_utf8_feed_with_lithuanian_letters_is_decoded(declaration, content_type):
    """Regression: without a Content-Type feedparser assumed ISO-8859-1; its mojibake repair misses attributes
    and text with references, and every feed was bozo ('no Content-type specified')."""
    body = (
        f'{declaration}<feed xmlns="http://www.w3.org/2005/Atom"><title>Šventė &#8222;Žiema&#8220;</title>'
        '<entry><title>Ąžuolų gatvė</title><link href="https://example.lt/žinios/šventė-ų"/>'
        "<author><name>Jonas Šėmaitis</name></author></entry></feed>"
    ).encode()
    [item] = parse_feed(body, base_url=BASE, source="s", content_type=content_type)
    assert (item.site_name, item.title, item.author) == ("Šventė „Žiema“", "Ąžuolų gatvė", "Jonas Šėmaitis")
    assert item.url == "https://example.lt/žinios/šventė-ų"


@pytest.mark.parametrize(
    ("declaration", "content_type"),
    [('<?xml version="1.0" encoding="windows-1257"?>', None), ("", "application/rss+xml; charset=windows-1257")],
)
def test_discover_baltic_feed_decoded_by_its_declaration_or_header_charset(declaration, content_type):
    body = f'{declaration}<rss version="2.0"><channel><item><title>Ąžuolų gatvė</title><link>/a</link></item></channel></rss>'
    [item] = parse_feed(body.encode("windows-1257"), base_url=BASE, source="s", content_type=content_type)
    assert item.title == "Ąžuolų gatvė"


def test_discover_broken_feed_reports_the_xml_error_not_the_content_type():
    with pytest.raises(InputError) as raised:
        parse_feed(b"<rss><channel><item><title>broken", base_url=BASE, source="s")
    assert "Content-type" not in str(raised.value)


# -- sitemaps ----------------------------------------------------------------------------------------------

NEWS = st.tuples(
    field("news:title", RAW),
    field("news:publication_date", DATES),
    st.tuples(field("news:name", RAW), field("news:language", RAW)).map(
        lambda parts: "<news:publication>" + "".join(parts) + "</news:publication>"
    ),
).map(lambda parts: "<news:news>" + "".join(parts) + "</news:news>")
URL_ENTRIES = st.tuples(field("loc", URLS), field("lastmod", DATES), st.one_of(NEWS, st.just(""))).map(
    lambda parts: "<url>" + "".join(parts) + "</url>"
)
SITEMAP_ENTRIES = st.tuples(field("loc", URLS), field("lastmod", DATES)).map(
    lambda parts: "<sitemap>" + "".join(parts) + "</sitemap>"
)
NAMESPACES = (
    'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
)
SITEMAPS = st.one_of(
    document(
        [st.just(f"<urlset {NAMESPACES}>"), st.lists(URL_ENTRIES, max_size=3).map("".join)],
        tail=st.sampled_from(["</urlset>", "", "</url>"]),
    ),
    document(
        [st.just(f"<sitemapindex {NAMESPACES}>"), st.lists(SITEMAP_ENTRIES, max_size=3).map("".join)],
        tail=st.sampled_from(["</sitemapindex>", ""]),
    ),
)


def sitemap_items(body, max_bytes=None):
    try:
        items, children = parse_sitemap(
            body, base_url=BASE, source="s", **({"max_bytes": max_bytes} if max_bytes else {})
        )
    except InputError:
        return None
    check_items(items, "s")
    for child in children:
        assert isinstance(child, str) and child
        check_text(child)
        canonical_url(child)
    return items, children


@fuzz(200)
@given(st.binary(max_size=4096))
def test_discover_sitemap_arbitrary_bytes_never_crash(body):
    sitemap_items(body)
    sitemap_items(gzip.compress(body))


@fuzz(150)
@given(SITEMAPS, st.booleans(), st.sampled_from([None, 200, 10_000]))
def test_discover_sitemap_fields_never_crash(body, gzipped, max_bytes):
    if gzipped:
        body = gzip.compress(body)[: len(body) if max_bytes == 200 else None]
    sitemap_items(body, max_bytes)


@fuzz(10)
@given(LINE_CHARS, st.sampled_from(["loc", "lastmod", "news:title"]), st.booleans())
def test_discover_sitemap_100k_character_line_never_crashes(char, tag, broken):
    body = f"<urlset {NAMESPACES}><url><loc>/a</loc><{tag}>{char * 100_000}</{tag}></url>{'<x>' if broken else ''}"
    sitemap_items((body + "</urlset>").encode())


def urlset(*entries):
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{"".join(entries)}</urlset>'.encode()


@pytest.mark.parametrize("loc", ["http://[::1", "http://[abc]/", "http://ex\uff03ample.lt/"])
def test_discover_sitemap_bad_loc_skips_only_that_entry(loc):
    """Regression: urljoin raised ValueError('Invalid IPv6 URL'), losing the whole sitemap."""
    body = urlset(f"<url><loc>{loc}</loc></url>", "<url><loc>/a</loc></url>")
    items, _ = parse_sitemap(body, base_url=BASE, source="s")
    assert [item.url for item in items] == ["https://example.lt/a"]
    index = body.replace(b"urlset", b"sitemapindex").replace(b"<url>", b"<sitemap>").replace(b"</url>", b"</sitemap>")
    assert parse_sitemap(index, base_url=BASE, source="s") == ([], ["https://example.lt/a"])


@pytest.mark.parametrize(
    "lastmod", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00", "0000-01-01T00:00:00Z", "2025-02-30"]
)
def test_discover_sitemap_lastmod_out_of_range_has_no_date(lastmod):
    """Regression: astimezone() raised OverflowError for times that are out of range in UTC."""
    [item], _ = parse_sitemap(
        urlset(f"<url><loc>/a</loc><lastmod>{lastmod}</lastmod></url>"), base_url=BASE, source="s"
    )
    assert item.published_at is None


# -- deduplication -----------------------------------------------------------------------------------------

ITEMS = st.lists(
    st.builds(Item, url=URLS, source=st.just("s"), published_at=st.none() | st.datetimes(timezones=st.just(UTC))),
    max_size=8,
)


@fuzz(150)
@given(ITEMS)
@example([Item(url="http://[::1", source="s"), Item(url="https://example.lt/a#x", source="s")])
@example([Item(url="https://example.lt/?q=\ud800", source="s")])  # was UnicodeEncodeError in urlencode
def test_discover_dedupe_items_keeps_only_usable_unique_urls(items):
    deduped = dedupe_items(items)
    urls = [item.url for item in deduped]
    assert len(set(urls)) == len(urls)
    for url in urls:
        canonical_url(url)
        if url.lower().startswith(("http://", "https://")):
            assert canonical_url(url) == url  # already canonical: deduping again changes nothing
    assert dedupe_items(deduped) == deduped
