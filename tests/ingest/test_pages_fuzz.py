"""Property tests (hypothesis) of HTML page extraction: any string gives metadata or an InputError.

``extract_page`` reads pages decoded from untrusted bytes (``decode_body``), so it takes any str,
lone surrogates and NUL included; what it returns must be text Parquet can store and a URL that
``canonical_url`` accepts. ``NVO_FUZZ_SCALE=20`` multiplies the number of examples for a longer run.
"""

import pyarrow as pa
from hypothesis import example, given
from hypothesis import strategies as st
from ingest.fuzzing import fuzz

from nvo_nlp.errors import InputError
from nvo_nlp.ingest.articles import canonical_url
from nvo_nlp.ingest.pages import extract_page

PARAGRAPH = "Klaipėdos rajone vyko pirmasis projekto partnerių susitikimas, kuriame dalyvavo daug svečių iš Latvijos."


NASTY_CHARS = st.sampled_from(["\x00", "\x0b", "\x1b", "\x85", "\u202e", "\ufeff", "\ud800", "\udfff", "\uffff"])
UNICODE = st.text(st.one_of(st.characters(), NASTY_CHARS, st.sampled_from("ąčęėšųž<>&\"'/=")), max_size=40)


def repeated(longest):
    return st.builds(
        lambda c, n: c * n, st.sampled_from(["a", "ė", "<", "<!--", "&", "\u202e"]), st.integers(0, longest)
    )


VALUES = st.one_of(
    UNICODE,
    st.sampled_from(["http://[::1", "http://[abc]/", "http://ex\uff03ample.lt/", "/naujiena", "javascript:x"]),
    st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00", "2025-09-30", "0000-00-00"]),
    repeated(100_000),
)


@st.composite
def pages(draw):
    """A news page whose metadata and text are fuzzed; quotes and tags may be left open."""

    def value():
        return draw(VALUES).replace('"', draw(st.sampled_from(['"', "&quot;", ""])))

    head = [
        f"<title>{draw(VALUES)}</title>",
        f'<meta property="article:published_time" content="{value()}">',
        f'<meta name="author" content="{value()}">',
        f'<meta property="og:site_name" content="{value()}">',
        f'<link rel="canonical" href="{value()}">',
    ]
    body = "".join(f"<p>{text}</p>" for text in draw(st.lists(st.one_of(st.just(PARAGRAPH), VALUES), max_size=4)))
    page = f'<html lang="{value()}"><head>{"".join(draw(st.permutations(head)))}</head><body><article>{body}'
    return page + draw(st.sampled_from(["</article></body></html>", "", "<div><p", "<!--", "<![CDATA["]))


def check_text(value):
    if value is not None:
        assert isinstance(value, str)
        value.encode("utf-8")  # raises on lone surrogates
        pa.array([value], pa.string())


@fuzz(40)
@given(st.one_of(pages(), pages(), UNICODE), st.sampled_from([None, "https://example.lt/a"]))
@example(f'<html><head><link rel="canonical" href="http://[::1"></head><body><p>{PARAGRAPH}</p></body></html>', None)
@example(f"<html><body><p>{PARAGRAPH}\ud800</p></body></html>", None)
@example(f"<html><body><p>{PARAGRAPH}\x00</p></body></html>", "https://example.lt/a")
def test_pages_any_html_gives_metadata_or_an_input_error(html, url):
    try:
        page = extract_page(html, url=url)
    except InputError:
        return
    assert isinstance(page["text"], str) and page["text"].strip()
    for key in ("text", "title", "url", "published_at", "author", "site_name", "language"):
        check_text(page[key])
    if page["url"]:
        canonical_url(page["url"])
