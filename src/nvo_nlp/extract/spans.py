"""Helpers shared by the extractors: sentence bounds, earlier mentions on the doc, quoted spans."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from nvo_nlp.extract.mention import Mention
from nvo_nlp.nlp.segment import quote_marks


def sentence_bounds(span: Span) -> tuple[int, int]:
    """Character bounds of the sentence holding ``span`` (the whole doc when sentences are not set)."""
    doc = span.doc
    if not doc.has_annotation("SENT_START"):
        return 0, len(doc.text)
    sent = doc[span.start].sent
    # A sentence ends before the line break that closes its paragraph.
    return sent.start_char, sent.start_char + len(sent.text.rstrip())


def make_mention(span: Span, *, type: str, normalized: str, method: str, **attributes) -> Mention:
    sentence_start, sentence_end = sentence_bounds(span)
    return Mention(
        type=type,
        text=span.text,
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


def _attribution_follows(doc: Doc, closer: int) -> bool:
    """ ", pastāstīja Sergejs" after a closing mark: it closes the inner and the outer quotation at once."""
    rest = doc[closer + 1 : closer + 3]
    return len(rest) == 2 and rest[0].text in {",", "–", "—", "-"} and rest[1].text[:1].islower()


def _find_quoted(doc: Doc) -> list[Quoted]:
    openers, closers = quote_marks(doc.lang_)
    found: list[Quoted] = []
    open_at: int | None = None
    depth = 0  # quotations opened inside the open one („... „ES Bio“ ...“)
    line_start = True
    for token in doc:
        text = token.text
        if "\n\n" in text or "\n\n" in token.whitespace_ and text not in closers:
            open_at, depth = None, 0
            continue
        if text.isspace():
            line_start = line_start or "\n" in text
            continue
        if open_at is None:
            if text in openers or text == '"':
                open_at, depth = token.i, 0
        elif text in openers and text not in closers:
            if line_start:  # a line opening with a quotation: the open one was never closed
                open_at, depth = token.i, 0
            else:
                depth += 1
        elif text in closers or (text == '"' and doc[open_at].text == '"'):
            if depth and not _attribution_follows(doc, token.i):
                depth -= 1
            else:
                if token.i > open_at + 1:
                    found.append(Quoted(doc[open_at + 1 : token.i], doc[open_at : token.i + 1]))
                open_at = None
        line_start = "\n" in token.whitespace_
    return found
