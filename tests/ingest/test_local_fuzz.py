"""Property tests (hypothesis) of the local readers: no file, however broken, escapes ``read_path``.

Every ``.txt``, ``.jsonl`` or ``.html`` file, with or without a sidecar ``<stem>.json``, becomes
articles and failures; each article holds text and metadata Parquet can store (no lone surrogates),
a URL ``canonical_url`` accepts and a UTC publication time. Besides arbitrary bytes, the strategies
build near-valid JSONL records and sidecars whose values have fuzzed contents and types.
``NVO_FUZZ_SCALE=20`` multiplies the number of examples for a longer local run.
"""

import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pyarrow as pa
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from ingest.fuzzing import fuzz

from nvo_nlp.errors import InputError, MalformedInputError
from nvo_nlp.ingest import Article, InputFailure, canonical_url, read_path
from nvo_nlp.ingest.local import article_from_record

KINDS = {"input", "empty", "binary", "decode", "malformed", "unsupported", "too_large", "io"}


# -- values ------------------------------------------------------------------------------------------------

NASTY_CHARS = st.sampled_from(["\x00", "\x01", "\x1b", "\x85", "\u2028", "\u202e", "\ufeff", "\ud800", "\udc00", "\r"])
UNICODE = st.text(st.one_of(st.characters(), NASTY_CHARS, st.sampled_from("ąčęėįšųūž \n\"'{}[]")), max_size=40)
TEXTS = st.one_of(
    UNICODE,
    st.just("Klaipėdos rajone vyko susitikimas.\nLiepājā notika pasākums."),
    st.builds(lambda c, n: c * n, st.sampled_from(["a", "ė", " ", '"', "\u202e"]), st.integers(0, 3_000)),
)
URLS = st.one_of(
    st.sampled_from(
        ["http://[::1", "http://[abc]/", "http://ex\uff03ample.lt/", "https://example.lt/a?utm_source=x#top", "/rel"]
        + ["", "   ", "javascript:alert(1)", "https://example.lt/\ud800"]
    ),
    UNICODE.map(lambda text: "https://" + text),
)
OFFSETS = st.integers(-1439, 1439).map(lambda minutes: timezone(timedelta(minutes=minutes)))
DATES = st.one_of(
    st.sampled_from(
        ["0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00", "0000-01-01", "2025-09-30", "2025-09-30T10:00Z"]
        + ["2025-02-30", "Tue, 30 Sep 2025 10:00:00 +0300", "", " ", "2025-09-30T10:00:00+24:00"]
    ),
    st.datetimes(timezones=st.none() | OFFSETS).map(lambda d: d.isoformat()),
    UNICODE,
)
# Stands for a number of more digits than int() converts by default (json.loads: ValueError, not
# JSONDecodeError); json.dumps cannot write one, so json_text() puts it in after dumping.
BIG, DIGITS = "\x00big", "9" * 5000
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.just(BIG),
        st.floats(),
        UNICODE,
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)
FIELDS = ("source", "title", "language", "license", "attribution", "publisher", "author", "site_name")
VALUES = {
    "text": st.one_of(TEXTS, TEXTS, JSON_VALUES),
    "url": st.one_of(URLS, JSON_VALUES),
    "canonical_url": st.one_of(URLS, JSON_VALUES),
    "published_at": st.one_of(DATES, DATES, JSON_VALUES),
    **{name: st.one_of(UNICODE, JSON_VALUES) for name in FIELDS},
    "other": JSON_VALUES,
}


@st.composite
def records(draw):
    """A record with a few of the fields the readers know, each of the expected type or any JSON value."""
    keys = draw(st.lists(st.sampled_from(sorted(VALUES)), max_size=5, unique=True))
    return {key: draw(VALUES[key]) for key in (["text"] if draw(st.booleans()) else []) + keys}


RECORDS = records()


@st.composite
def json_text(draw, values=RECORDS):
    """A JSON document the way a careless writer makes one: ASCII-escaped or not, whole or cut."""
    text = json.dumps(draw(values), ensure_ascii=draw(st.booleans())).replace(json.dumps(BIG), DIGITS)
    mutation = draw(st.sampled_from(["none", "none", "none", "truncate", "junk"]))
    if mutation == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif mutation == "junk":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', "}", "[", ",", "\n", "\x00", "NaN", "\\u"])) + text[at:]
    return text


NASTY_JSON = st.sampled_from(["[" * 100_000, '{"a":' * 10_000, "9" * 5000, '{"text": 1e999}', "[]", '"text"', "null"])
LINES = st.one_of(json_text(), json_text(), NASTY_JSON, UNICODE, st.just(""))


def encode(text, draw):
    """UTF-8 with mixed line endings, sometimes a BOM; lone surrogates become invalid UTF-8."""
    text = text.replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r"])))
    return draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + text.encode("utf-8", "surrogatepass")


@st.composite
def jsonl_files(draw):
    return encode("\n".join(draw(st.lists(LINES, max_size=4))), draw)


@st.composite
def text_files(draw):
    return encode(draw(TEXTS), draw)


SIDECARS = st.one_of(
    st.none(),
    json_text().map(lambda text: text.encode("utf-8", "surrogatepass")),
    NASTY_JSON.map(str.encode),
    st.binary(max_size=100),
)
FILES = st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(lambda data: b"\x00" + data))


# -- checks ------------------------------------------------------------------------------------------------


def check_text(value):
    if value is not None:
        assert isinstance(value, str)
        value.encode("utf-8")  # raises on lone surrogates
        pa.array([value], pa.string())


def check_read(items, origin):
    assert isinstance(items, list) and items
    for item in items:
        assert item.origin == origin or item.origin.startswith(origin + "#")
        if isinstance(item, InputFailure):
            assert item.kind in KINDS and isinstance(item.reason, str) and item.reason
            check_text(item.reason)
            continue
        check_article(item)


def check_article(article):
    assert isinstance(article, Article)
    assert re.fullmatch(r"[0-9a-f]{16}", article.article_id)
    assert article.text and article.text == article.text.strip()
    assert unicodedata.is_normalized("NFC", article.text)
    for value in (article.text, article.url, article.source, article.title, article.language_hint, article.license):
        check_text(value)
    for value in (article.attribution, article.author, article.site_name):
        check_text(value)
    if article.url is not None:
        canonical_url(article.url)
    if article.published_at is not None:
        assert article.published_at.utcoffset() == timedelta(0)
        pa.array([article.published_at], pa.timestamp("us", tz="UTC"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def read(folder, name, data, sidecar):
    path = folder / name
    path.write_bytes(data)
    side = path.with_suffix(".json")
    if sidecar is None:
        side.unlink(missing_ok=True)
    else:
        side.write_bytes(sidecar)
    items = read_path(path)
    check_read(items, path.as_posix())
    return items


# -- properties --------------------------------------------------------------------------------------------


@fuzz(100)
@given(data=st.one_of(jsonl_files(), FILES), sidecar=SIDECARS)
@example(data=b'{"text": "a", "n": ' + b"9" * 5000 + b"}", sidecar=None)
@example(data=b"[" * 100_000, sidecar=None)
@example(data=b'{"text": "a", "published_at": "0001-01-01T00:00:00+01:00"}', sidecar=None)
@example(data=b'{"text": "a\\ud800", "title": "\\udc00"}', sidecar=None)
@example(data=b'{"text": "a", "url": "http://[::1"}', sidecar=None)
@example(data=b'{"text": "a"}', sidecar=b'{"n": ' + b"9" * 5000 + b"}")
def test_local_jsonl_any_file_and_sidecar_give_articles_and_failures(folder, data, sidecar):
    items = read(folder, "feed.jsonl", data, sidecar)
    numbers = [int(item.origin.rsplit("#", 1)[1]) for item in items if "#" in item.origin]
    assert numbers == sorted(set(numbers))  # one result per non-blank line, in order


@fuzz(150)
@given(data=st.one_of(text_files(), FILES), sidecar=SIDECARS)
@example(data=b"Klaip\xc4\x97da", sidecar=b'{"published_at": "9999-12-31T23:00:00-05:00"}')
@example(data=b"Klaip\xc4\x97da", sidecar=b'{"url": "http://[::1", "title": "\\ud800"}')
def test_local_txt_any_file_and_sidecar_give_an_article_or_a_failure(folder, data, sidecar):
    assert len(read(folder, "note.txt", data, sidecar)) == 1


@fuzz(200)
@given(RECORDS)
def test_local_article_from_record_gives_an_article_or_an_input_error(record):
    try:
        article = article_from_record("gold#1", record)
    except InputError:
        return
    check_article(article)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ('{"text": "Liepājā", "published_at": "0001-01-01T00:00:00+01:00"}', "malformed"),  # was OverflowError
        ('{"text": "Liepājā", "id": ' + "9" * 5000 + "}", "malformed"),  # was ValueError: exceeds the limit
        ("[" * 100_000, "malformed"),  # was RecursionError
        ('{"text": "Liepājā", "url": "http://[::1"}', "malformed"),  # was ValueError: Invalid IPv6 URL
    ],
)
def test_local_jsonl_bad_line_is_a_failure_not_a_crash(tmp_path, line, kind):
    path = tmp_path / "feed.jsonl"
    path.write_text(line + '\n{"text": "Klaipėdoje."}', encoding="utf-8")
    failure, article = read_path(path)
    assert (failure.kind, failure.origin) == (kind, path.as_posix() + "#1")
    assert article.text == "Klaipėdoje."


def test_local_jsonl_lone_surrogates_are_replaced():
    """Regression: "\\ud800" is valid JSON but no Unicode: article_id_for raised UnicodeEncodeError."""
    article = article_from_record("x", json.loads('{"text": "Klaip\\u0117da \\ud800", "title": "\\udc00 Liepāja"}'))
    assert (article.text, article.title) == ("Klaipėda \ufffd", "\ufffd Liepāja")


def test_local_sidecar_with_an_unreadable_number_is_malformed(tmp_path):
    (tmp_path / "note.txt").write_text("Klaipėda", encoding="utf-8")
    (tmp_path / "note.json").write_text('{"id": ' + "9" * 5000 + "}", encoding="utf-8")
    [failure] = read_path(tmp_path / "note.txt")
    assert failure.kind == MalformedInputError.kind


# -- HTML --------------------------------------------------------------------------------------------------


def attribute(value):
    return value.replace('"', "&quot;")


@st.composite
def html_files(draw):
    """A news page with fuzzed title, metadata, canonical link and paragraphs, sometimes unclosed."""
    paragraphs = draw(st.lists(TEXTS, min_size=1, max_size=3))
    head = [
        f"<title>{draw(UNICODE)}</title>",
        f'<meta property="article:published_time" content="{attribute(draw(DATES))}">',
        f'<meta name="author" content="{attribute(draw(UNICODE))}">',
        f'<link rel="canonical" href="{attribute(draw(URLS))}">',
        f'<meta charset="{draw(st.sampled_from(["utf-8", "rot13", "nonsense"]))}">',
    ]
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    lang = draw(st.sampled_from(["lt", "lv", "xx", '"><script>', ""]))
    page = f'<html lang="{lang}"><head>{"".join(draw(st.permutations(head)))}</head><body><article>{body}'
    page += draw(st.sampled_from(["</article></body></html>", "", "<div><p>"]))
    return encode(page, draw)


@fuzz(30)
@given(data=st.one_of(html_files(), html_files(), FILES), sidecar=st.one_of(st.none(), SIDECARS))
@example(
    data=(
        '<html><head><link rel="canonical" href="http://[::1"><title>T</title></head><body><article>'
        + "<p>Klaipėdos rajone vyko pirmasis projekto partnerių susitikimas, kuriame dalyvavo daug svečių.</p>" * 3
        + "</article></body></html>"
    ).encode(),
    sidecar=None,
)
def test_local_html_any_file_and_sidecar_give_an_article_or_a_failure(folder, data, sidecar):
    assert len(read(folder, "page.html", data, sidecar)) == 1


def test_local_html_bad_canonical_link_keeps_the_article(tmp_path):
    paragraph = "<p>Klaipėdos rajone vyko pirmasis projekto partnerių susitikimas, kuriame dalyvavo daug svečių.</p>"
    page = f'<html><head><link rel="canonical" href="http://[::1"></head><body><article>{paragraph * 3}</article></body></html>'
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    [article] = read_path(tmp_path / "page.html")
    assert isinstance(article, Article) and article.url is None


def test_local_published_at_out_of_range_in_utc_is_malformed():
    with pytest.raises(MalformedInputError):
        article_from_record("x", {"text": "Liepāja", "published_at": "0001-01-01T00:00:00+01:00"})
    assert article_from_record("x", {"text": "Liepāja", "published_at": "2025-09-30"}).published_at == datetime(
        2025, 9, 30, tzinfo=UTC
    )
