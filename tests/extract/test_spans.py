import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st

from nvo_nlp.extract.spans import SpanIndex, span_text

ranges = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15)).map(lambda r: (r[0], r[0] + r[1])), max_size=40)
query = st.tuples(st.integers(-5, 70), st.integers(0, 20)).map(lambda q: (q[0], q[0] + q[1]))


@given(ranges, ranges, query)
def test_spans_index_finds_what_a_scan_of_every_range_finds(first, added, query):
    index = SpanIndex(first)
    for item in added:
        index.add(item)
    items, (start, end) = first + added, query
    assert sorted(index.overlapping(start, end)) == sorted(r for r in items if r[0] < end and start < r[1])
    assert sorted(index.covering(start, end)) == sorted(r for r in items if r[0] <= start and end <= r[1])


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("lt", "„Kartu“  su 22 svečiais iš Latvijos,\n\nvicemerė Violeta Riaukienė.  "),
        ("lv", "Liepājā ieradās vicemērs Jānis Džeriņš\n– un 40 viesi.\t"),
        ("en", " The mayor's guests (22 of them) came from Liepāja…\n"),
    ],
)
def test_spans_text_cut_from_the_doc_is_spacys_span_text(lang, text):
    doc = spacy.blank(lang)(text)
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            assert span_text(doc[start:end]) == doc[start:end].text
