"""Property tests (hypothesis) of the charset cascade: any body and any header decode to clean text.

``decode_body`` has no error to raise: whatever the bytes and whatever the Content-Type or ``<meta>``
names, it returns text Parquet can store (no lone surrogates) and the name of a real text encoding.
``NVO_FUZZ_SCALE=20`` multiplies the number of examples for a longer local run.
"""

import codecs

import pyarrow as pa
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from ingest.fuzzing import fuzz

from nvo_nlp.ingest.charset import decode_body, header_charset, meta_charset

# Names a server or a page may declare: real charsets, unknown ones, and codecs that are no charset at all
# (Python's codecs.lookup knows rot13, base64, zlib, unicode_escape...).
CHARSETS = st.sampled_from(
    ["utf-8", "utf8", "windows-1257", "ISO-8859-13", "iso-8859-4", "latin-1", "utf-16", "utf-16-le", "utf-32"]
    + ["utf-7", "cp037", "shift_jis", "gb2312", "koi8-u", "nonsense", "rot13", "rot_13", "base64", "hex", "zlib"]
    + ["bz2", "uu", "quopri", "unicode_escape", "raw_unicode_escape", "undefined", "idna", "punycode", "mbcs"]
)
CONTENT_TYPES = st.one_of(
    st.none(),
    CHARSETS.map(lambda name: f"text/html; charset={name}"),
    CHARSETS.map(lambda name: f'application/xml;charset="{name}"'),
    st.text(max_size=60),
)
BALTIC = "Šiaulių rajone vyko „Žiemos šventė“ – Liepājas ļaudis, ąčęėįšųūž ĄČĘĖĮŠŲŪŽ €"
BODY_PARTS = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(["windows-1257", "iso-8859-13", "iso-8859-4", "utf-8", "utf-16"]).map(
        lambda encoding: BALTIC.encode(encoding, errors="replace")
    ),
    CHARSETS.map(lambda name: f'<meta charset="{name}">'.encode()),
    CHARSETS.map(lambda name: f'<meta http-equiv="Content-Type" content="text/html; charset={name}">'.encode()),
    st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"\\u", b"\\ud800", b"+2AA-", b"\x00"]),
    st.text(max_size=50).map(lambda text: text.encode("utf-8", "surrogatepass")),
)
BODIES = st.lists(BODY_PARTS, max_size=6).map(b"".join)


def check_decoded(text, encoding):
    assert isinstance(text, str)
    text.encode("utf-8")  # raises on lone surrogates, which no later stage can store
    pa.array([text], pa.string())
    assert codecs.lookup(encoding)


@fuzz(250)
@given(BODIES, CONTENT_TYPES)
@example(b"<p>\xe0 \\ud800</p>", "text/html; charset=unicode_escape")
@example(b"<p>\xe0</p>", "text/html; charset=rot13")
@example(b'<meta charset="undefined"><p>\xe0</p>', None)
@example(b"<p>\xe0</p>", "text/html; charset=idna")
def test_charset_decode_body_any_bytes_and_header_give_clean_text(body, content_type):
    text, encoding = decode_body(body, content_type)
    check_decoded(text, encoding)


@fuzz(150)
@given(st.text(max_size=200))
def test_charset_valid_utf8_is_decoded_as_is(text):
    body = text.encode("utf-8", "surrogatepass")
    decoded, encoding = decode_body(body, "text/html; charset=windows-1257")
    check_decoded(decoded, encoding)
    surrogates = any("\ud800" <= char <= "\udfff" for char in text)
    if not surrogates and not body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        assert (decoded, encoding) == (text, "utf-8")


@fuzz(150)
@given(st.one_of(st.text(max_size=100), CONTENT_TYPES.filter(bool)))
def test_charset_declared_names_are_text_encodings_or_none(content_type):
    for name in (
        header_charset(content_type),
        meta_charset(f'<meta charset="{content_type}">'.encode("utf-8", "replace")),
    ):
        assert name is None or isinstance(b"<p>".decode(name, errors="replace"), str)  # LookupError if no charset


@pytest.mark.parametrize(
    "name", ["rot13", "base64", "zlib", "unicode_escape", "raw_unicode_escape", "undefined", "idna"]
)
def test_charset_codecs_that_are_no_charset_are_ignored(name):
    """Regression: codecs.lookup() accepts them, then decoding raised LookupError or UnicodeError, or
    (unicode_escape) returned lone surrogates."""
    body = "<p>Šventė \\ud800</p>".encode("windows-1257")
    text, encoding = decode_body(body, f"text/html; charset={name}")
    assert (text, codecs.lookup(encoding).name) == ("<p>Šventė \\ud800</p>", "cp1257")
    assert header_charset(f"text/html; charset={name}") is None
