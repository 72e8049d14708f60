"""Helpers shared by the extractors: sentence bounds, earlier mentions on the doc, quoted spans."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from nvo_nlp.extract.mention import Mention
from nvo_nlp.nlp.segment import quote_marks
from nvo_nlp.nlp.tokens import token_table

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Items with character ranges ``[start, end)``, found by overlap in O(log n + k).

    Extractors ask, for each candidate, which earlier mentions it overlaps. Scanning all of them
    makes a document quadratic in its mentions: harmless in a news article, minutes in a 100k-character
    page of names. Only items starting within the longest item's length before a range can reach it.
    """

    def __init__(self, items: Iterable[T] = (), bounds: Callable[[T], tuple[int, int]] = lambda item: item) -> None:
        self._bounds = bounds
        self._starts: list[int] = []
        self._items: list[T] = []
        self._longest = 0
        for item in sorted(items, key=lambda item: bounds(item)[0]):
            self.add(item)

    def add(self, item: T) -> None:
        start, end = self._bounds(item)
        at = bisect_right(self._starts, start)
        self._starts.insert(at, start)
        self._items.insert(at, item)
        self._longest = max(self._longest, end - start)

    def overlapping(self, start: int, end: int) -> list[T]:
        """Items with ``item_start < end`` and ``item_end > start``, in order of their start."""
        first = bisect_right(self._starts, start - self._longest)
        last = bisect_left(self._starts, end)
        return [item for item in self._items[first:last] if self._bounds(item)[1] > start]

    def covering(self, start: int, end: int) -> list[T]:
        """Items with ``item_start <= start`` and ``end <= item_end``, in order of their start."""
        first = bisect_left(self._starts, end - self._longest)
        last = bisect_right(self._starts, start)
        return [item for item in self._items[first:last] if self._bounds(item)[1] >= end]


@dataclass(frozen=True)
class Sentences:
    """Sentence boundaries of a doc, computed once: spaCy's ``token.sent`` walks the doc on every call."""

    token_starts: tuple[int, ...]  # per token: index of the first token of its sentence
    token_ends: tuple[int, ...]  # per token: index after the last token of its sentence
    char_bounds: tuple[tuple[int, int], ...]  # per token: character bounds of its sentence
    token_bounds: tuple[tuple[int, int], ...]  # per sentence: its first token and the token after its last


def sentences(doc: Doc) -> Sentences:
    key = ("nvo_nlp.sentences", len(doc))
    cached = doc.user_data.get(key)
    if cached is None:
        table = token_table(doc)
        if doc.has_annotation("SENT_START"):
            firsts = [i for i, flag in enumerate(doc.to_array(SENT_START).tolist()) if flag == 1 or i == 0]
        else:
            firsts = [0] if len(doc) else []
        offsets = table.offsets
        token_bounds = tuple(zip(firsts, [*firsts[1:], len(doc)], strict=True))
        starts, ends, bounds = [], [], []
        for first, end in token_bounds:
            last_char = offsets[end - 1] + len(table.texts[end - 1])
            # A sentence ends before the line break that closes its paragraph.
            last_char = offsets[first] + len(table.text[offsets[first] : last_char].rstrip())
            starts += [first] * (end - first)
            ends += [end] * (end - first)
            bounds += [(offsets[first], last_char)] * (end - first)
        cached = doc.user_data[key] = Sentences(tuple(starts), tuple(ends), tuple(bounds), token_bounds)
    return cached


def text_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every line of ``text``: bylines and interviews are laid out by line."""
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines


def sentence_bounds(span: Span) -> tuple[int, int]:
    """Character bounds of the sentences holding ``span``: one, or several for a quotation that runs
    over them (the whole doc when sentences are not set)."""
    if len(span.doc) == 0:
        return 0, 0
    bounds = sentences(span.doc).char_bounds
    # A sentence ends before trailing whitespace; a quotation's span may hold a line break.
    return min(bounds[span.start][0], span.start_char), max(bounds[max(span.end - 1, span.start)][1], span.end_char)


def span_text(span: Span) -> str:
    """``span.text``, cut from the doc's text: spaCy joins the texts of the span's tokens, making each."""
    return token_table(span.doc).text[span.start_char : span.end_char]


def make_mention(span: Span, *, type: str, normalized: str, method: str, **attributes) -> Mention:
    sentence_start, sentence_end = sentence_bounds(span)
    return Mention(
        type=type,
        text=span_text(span),
        normalized=normalized,
        start=span.start_char,
        end=span.end_char,
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        method=method,
        **attributes,
    )


def mentions_key(group: str) -> tuple[str, str]:
    """Key under which a component keeps its mentions in ``doc.user_data``."""
    return ("nvo_nlp.mentions", group)


def mentions_in(doc: Doc, *groups: str) -> list[Mention]:
    """Mentions left on ``doc`` by earlier nvo components, in text order."""
    found = [m for group in groups for m in doc.user_data.get(mentions_key(group), ())]
    return sorted(found, key=lambda m: (m.start, -m.end))


def mention_ending_at(mentions: Iterable[Mention], char: int, *, gap: int = 1) -> Mention | None:
    """The mention that ends right before ``char`` (allowing ``gap`` characters of space)."""
    for mention in mentions:
        if 0 <= char - mention.end <= gap:
            return mention
    return None


def mention_starting_at(mentions: Iterable[Mention], char: int, *, gap: int = 1) -> Mention | None:
    for mention in mentions:
        if 0 <= mention.start - char <= gap:
            return mention
    return None


@dataclass(frozen=True)
class Quoted:
    """A quotation: ``span`` is the inner text, ``outer`` includes the quote marks."""

    span: Span
    outer: Span


def quoted_spans(doc: Doc) -> list[Quoted]:
    """Balanced quotations in ``doc``, outermost only. A quotation may run over several lines
    (texts with a sentence per line) but never over a blank line, and a new opening mark while one
    is open starts over (the first was never closed).

    Several components need them: they are found once per doc and kept in ``doc.user_data``.
    """
    key = ("nvo_nlp.quoted", len(doc))
    if key not in doc.user_data:
        doc.user_data[key] = _find_quoted(doc)
    return doc.user_data[key]


def _attribution_follows(texts: tuple[str, ...], closer: int) -> bool:
    """A closing mark followed by ", pastāstīja Sergejs" closes the inner and the outer quotation at once."""
    rest = texts[closer + 1 : closer + 3]
    return len(rest) == 2 and rest[0] in {",", "–", "—", "-"} and rest[1][:1].islower()


def _find_quoted(doc: Doc) -> list[Quoted]:
    openers, closers = quote_marks(doc.lang_)
    texts = token_table(doc).texts
    found: list[Quoted] = []
    open_at: int | None = None
    depth = 0  # quotations opened inside the open one („... „ES Bio“ ...“)
    line_start = True
    for index, text in enumerate(texts):
        if text.isspace():  # spaCy keeps line breaks as tokens of their own
            if "\n\n" in text:
                open_at, depth = None, 0
            line_start = line_start or "\n" in text
            continue
        if open_at is None:
            if text in openers or text == '"':
                open_at, depth = index, 0
        elif text in openers and text not in closers:
            if line_start:  # a line opening with a quotation: the open one was never closed
                open_at, depth = index, 0
            else:
                depth += 1
        elif text in closers or (text == '"' and texts[open_at] == '"'):
            if depth and not _attribution_follows(texts, index):
                depth -= 1
            else:
                if index > open_at + 1:
                    found.append(Quoted(doc[open_at + 1 : index], doc[open_at : index + 1]))
                open_at = None
        line_start = False
    return found
