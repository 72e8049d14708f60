"""Syndicated copies: near-duplicate articles and the events they share.

Regional outlets republish a municipality's press release with small edits (a new
lead, a dropped paragraph, another headline). Two texts are copies when the
Jaccard similarity of their casefolded 3-word shingles is at least
:data:`COPY_SIMILARITY`, estimated by MinHash; locality-sensitive hashing over
bands of the signature finds the candidate pairs without comparing every pair.
Copies form groups (transitively), named after their first-published article.

Within a group, an event of a later copy is the same event as one of an earlier
copy of the same type, date and title or wording; it joins that event's group.

MinHash is written here with NumPy rather than taken from datasketch: the same
estimator in a few lines, without SciPy as a run-time dependency. Signatures are
stored (the ``signatures`` table), so the shingle length, signature size and seeds
are part of the schema: changing one means a new schema version.

Measured by ``benchmarks/near_duplicates.py`` (3-word shingles, threshold 0.5): edited copies of
394 real news texts are grouped with their original in 97 % (new lead, last paragraph dropped),
96 % (10 % of words replaced) and 74 % (a third of the sentences dropped) of cases, with no two
distinct originals grouped; 5-word shingles found 62 % of the second kind.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np

SIGNATURE_SIZE = 128
SHINGLE_WORDS = 3
#: Estimated Jaccard similarity of shingles from which two texts are copies.
COPY_SIMILARITY = 0.5
# 32 bands of 4 values: a pair with similarity 0.5 shares a band with probability 1 - (1 - 0.5**4)**32 ≈ 0.88,
# one with 0.7 with probability > 0.999; pairs below 0.3 rarely become candidates.
_BANDS, _BAND_ROWS = 32, 4
_BAND_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it permutes the 64-bit values
#: Events of copies are the same when their evidence shares this much of its wording (or their title).
SAME_EVENT_WORDING = 0.5

# Fixed seeds: signatures are stored, so every run must hash with the same functions.
_SEEDS = np.random.default_rng(20261204).integers(1, 2**63, size=(2, SIGNATURE_SIZE), dtype=np.uint64)
_MULTIPLIERS = _SEEDS[0] | np.uint64(1)  # multiply-shift hashing needs odd multipliers
_OFFSETS = _SEEDS[1]
_WORD = re.compile(r"\w+")


def minhash(text: str) -> np.ndarray:
    """The MinHash signature (``SIGNATURE_SIZE`` uint32 values) of ``text``'s word shingles."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE_WORDS:
        shingles = [" ".join(words)]  # a short text is one shingle
    else:
        # Word i, i + 1, i + 2: the shorter tails end the zip at the last whole shingle.
        shingles = map(" ".join, zip(*(words[start:] for start in range(SHINGLE_WORDS)), strict=False))
    hashes = np.array([zlib.crc32(shingle.encode()) for shingle in shingles], dtype=np.uint64)
    with np.errstate(over="ignore"):  # multiply-shift hashing wraps around 2**64 by design
        hashed = _MULTIPLIERS[:, None] * hashes
        hashed += _OFFSETS[:, None]
    # The shift keeps the order of values, so it can wait until after the minimum: 128 values, not all.
    return (hashed.min(axis=1) >> np.uint64(32)).astype(np.uint32)


def similarity(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures."""
    return float(np.mean(first == second))


def duplicate_groups(signatures: Mapping[str, np.ndarray], published: Mapping[str, datetime | None]) -> dict[str, str]:
    """Each article id mapped to its group: the id of the group's first-published article (its own
    when it has no copy). Articles without a publication date count as published last."""
    if not signatures:
        return {}
    ids = sorted(signatures)
    parent = {article_id: article_id for article_id in ids}

    def root(article_id: str) -> str:
        while parent[article_id] != article_id:
            parent[article_id] = parent[parent[article_id]]
            article_id = parent[article_id]
        return article_id

    # Groups are the connected components of the similar candidate pairs, whatever order they are met in.
    compared: set[tuple[str, str]] = set()
    for members in _shared_bands(np.stack([signatures[i] for i in ids])):
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                first_id, second_id = ids[first], ids[second]
                if (first_id, second_id) in compared or root(first_id) == root(second_id):
                    continue
                compared.add((first_id, second_id))
                if similarity(signatures[first_id], signatures[second_id]) >= COPY_SIMILARITY:
                    parent[root(second_id)] = root(first_id)
    members_of: dict[str, list[str]] = defaultdict(list)
    for article_id in ids:
        members_of[root(article_id)].append(article_id)
    groups = {}
    for members in members_of.values():
        first = members[0] if len(members) == 1 else min(members, key=lambda m: _publication_order(m, published))
        groups.update(dict.fromkeys(members, first))
    return groups


def _shared_bands(matrix: np.ndarray) -> Iterator[list[int]]:
    """Rows (signatures) that share a band with another, as lists of row numbers in ascending order.

    A band's values are compared as one number per row, with numpy: a dict of every row's 32 band keys
    took 88 MB at 10,000 articles, for the few bands two articles share. The number mixes the band's four
    values into 64 bits (numpy sorts those 3-4x faster than 16-byte opaque values); two bands that
    collide only add a candidate pair, which the similarity check then rejects.
    """
    for band in range(_BANDS):
        values = np.ascontiguousarray(matrix[:, band * _BAND_ROWS : (band + 1) * _BAND_ROWS]).view(np.uint64)
        keys = values[:, 0] * _BAND_MIX
        for column in range(1, values.shape[1]):
            keys ^= values[:, column]
        _, bucket, sizes = np.unique(keys, return_inverse=True, return_counts=True)
        shared = np.flatnonzero(sizes[bucket] > 1)
        order = shared[np.argsort(bucket[shared], kind="stable")]
        for members in np.split(order, np.flatnonzero(np.diff(bucket[order])) + 1):
            if len(members) > 1:
                yield members.tolist()


def event_groups(
    events: Sequence[Mapping[str, Any]], groups: Mapping[str, str], published: Mapping[str, datetime | None]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each event id mapped to (its event group, the articles reporting it in publication order).

    ``events`` are event rows (``event_id``, ``article_id``, ``event_type``, ``title``, ``date_iso``,
    ``evidence_text``); ``groups`` comes from :func:`duplicate_groups`.
    """
    by_group: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for event in events:
        by_group[groups.get(event["article_id"], event["article_id"])].append(event)
    result: dict[str, tuple[str, tuple[str, ...]]] = {}
    for reports in by_group.values():
        order = sorted({e["article_id"] for e in reports}, key=lambda a: _publication_order(a, published))
        rank = {article_id: i for i, article_id in enumerate(order)}
        found: list[tuple[Mapping[str, Any], list[str]]] = []  # first report, articles reporting it
        for event in sorted(reports, key=lambda e: (rank[e["article_id"]], e["event_id"])):
            same = next(
                (
                    (first, sources)
                    for first, sources in found
                    if event["article_id"] not in sources and _same_event(first, event)
                ),
                None,
            )
            if same is None:
                found.append((event, [event["article_id"]]))
            else:
                same[1].append(event["article_id"])
                result[event["event_id"]] = (same[0]["event_id"], ())  # sources filled below
        for first, sources in found:
            result[first["event_id"]] = (first["event_id"], tuple(sources))
        for event in reports:
            group = result[event["event_id"]][0]
            result[event["event_id"]] = (group, result[group][1])
    return result


def _same_event(first: Mapping[str, Any], later: Mapping[str, Any]) -> bool:
    if first["event_type"] != later["event_type"] or first.get("date_iso") != later.get("date_iso"):
        return False
    if first["title"] == later["title"]:
        return True
    words = [set(_WORD.findall((event.get("evidence_text") or "").casefold())) for event in (first, later)]
    return len(words[0] & words[1]) >= SAME_EVENT_WORDING * max(len(words[0] | words[1]), 1)


def _publication_order(article_id: str, published: Mapping[str, datetime | None]) -> tuple:
    when = published.get(article_id)
    return (when is None, when.timestamp() if when is not None else 0.0, article_id)
