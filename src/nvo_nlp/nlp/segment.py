"""Rule-based sentence boundaries that know Baltic abbreviations, initials, quotes and paragraphs."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from importlib import resources

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from nvo_nlp.nlp.tokens import token_table

_TERMINALS = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
_CLOSERS_AFTER_TERMINAL = frozenset({"“", "”", '"', "»", ")", "'", "’"})
# Which quote characters open and close a quotation, per language convention.
_QUOTES = {
    "lt": ({"„", "«"}, {"“", "”", "»"}),
    "lv": ({"„", "«"}, {"“", "”", "»"}),
}
_DEFAULT_QUOTES = ({"“", "«", "„"}, {"”", "»"})


@functools.cache
def abbreviations(lang: str) -> frozenset[str]:
    data = json.loads(resources.files("nvo_nlp").joinpath("data/lexicon/abbreviations.json").read_text("utf-8"))
    return frozenset(data.get(lang, ()))


def quote_marks(lang: str) -> tuple[set[str], set[str]]:
    """(opening, closing) quotation marks of ``lang``."""
    return _QUOTES.get(lang, _DEFAULT_QUOTES)


def set_sentence_starts(doc: Doc) -> Doc:
    """Mark sentence starts on ``doc``: after terminal punctuation outside quotes, and at line breaks.

    Terminal punctuation inside a quotation does not end the sentence, so a quote
    stays in one sentence with its attribution („...?“, – klausė jis).
    """
    openers, closers = quote_marks(doc.lang_)
    depth = 0
    pending = paragraph = True
    starts = [0]  # set in one array write at the end: spaCy Token objects and their setter are slow
    # The token table the rule components read later: made here, it is made once.
    for index, text in enumerate(token_table(doc).texts):
        if text.isspace():  # spaCy keeps line breaks as tokens of their own
            if "\n" in text:
                pending = paragraph = True
                depth = 0
            continue
        if pending:
            if paragraph or (_can_start(text) and text not in _CLOSERS_AFTER_TERMINAL):
                starts.append(index)
                pending = paragraph = False
            elif text not in _CLOSERS_AFTER_TERMINAL:
                pending = False
        if text == '"' or (text in openers and text in closers):
            depth = 0 if depth else 1
        elif text in openers:
            depth += 1
        elif text in closers:
            depth = max(0, depth - 1)
        elif text in _TERMINALS and depth == 0:
            pending = True
    if len(doc):
        mark_sentence_starts(doc, starts)
    return doc


def mark_sentence_starts(doc: Doc, starts: Iterable[int]) -> None:
    """Make the tokens at the indices ``starts`` of ``doc`` start sentences and no other, in one array write."""
    flags = numpy.full(len(doc), -1, dtype="int32").astype("uint64")  # -1: "not a start", as spaCy stores it
    flags[list(starts)] = 1
    doc.from_array([SENT_START], flags.reshape(-1, 1))


def _can_start(text: str) -> bool:
    # Lower-case after a full stop is an abbreviation we do not know ("apie 5 val. vakare"), not a new sentence.
    return not text[:1].islower()
