from hypothesis import given
from hypothesis import strategies as st

from nvo_nlp.extract.spans import SpanIndex

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
