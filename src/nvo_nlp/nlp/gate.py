"""Which sentences a statistical NER model reads: those that can hold a name.

Baltic and English names are written with a capital letter or in quotation marks, so a sentence
without a capitalized word after its first, without a quotation mark, and whose first word is a
common word of the language holds no name the model should find — unless it has an organization's
head word, whose name may start with a common word ("Dailes teātris", "Valsts ieņēmumu dienests").
Skipping such sentences cuts the tokens the model reads by about a third on Latvian news, and most of
what the model found in them were sentence-initial common words read as names ("Ievērojot",
"Grāmata"): ``benchmarks/README.md``.
"""

from __future__ import annotations

from collections.abc import Set
from itertools import accumulate, chain, starmap

from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc, Span

from nvo_nlp.extract.spans import sentences
from nvo_nlp.nlp.segment import mark_sentence_starts
from nvo_nlp.nlp.tokens import token_table

_QUOTATION_MARKS = frozenset('„“”"«»')


def name_sentences(doc: Doc, common_words: Set[str], head_words: Set[str]) -> list[tuple[int, int]]:
    """Token bounds of the sentences of ``doc`` (sentence starts set) that can hold a name.

    ``common_words``: lower-case forms that, capitalized at a sentence's start, are no name (an empty
    set keeps every sentence that starts with a capital); ``head_words``: lower-case forms of
    organizations' head words.
    """
    texts = token_table(doc).texts
    return [
        (start, end)
        for start, end in sentences(doc).token_bounds
        if _can_hold_a_name(texts[start:end], common_words, head_words)
    ]


def _can_hold_a_name(words: tuple[str, ...], common_words: Set[str], head_words: Set[str]) -> bool:
    first: str | None = None
    for word in words:
        if word in _QUOTATION_MARKS:
            return True
        if not word[:1].isalpha():
            continue
        if first is None:
            first = word
            if word[:1].isupper() and ((word.isupper() and len(word) > 1) or word.lower() not in common_words):
                return True
        elif word[:1].isupper():
            return True
    return bool(first) and first[:1].isupper() and any(word.lower() in head_words for word in words)


def sentences_doc(doc: Doc, bounds: list[tuple[int, int]]) -> tuple[Doc, list[int]]:
    """A new doc of the given sentences of ``doc`` (same vocab, sentence starts kept), and for each of
    its tokens the index of the token of ``doc`` it copies."""
    index = list(chain.from_iterable(starmap(range, bounds)))
    orths, spaces = doc.to_array([ORTH, SPACY])[index].T.tolist()
    # Words given by their ORTH ids, and sentence starts set in one array: given as strings and flags,
    # spaCy hashes every word again and sets every token's flag one by one.
    part = Doc(doc.vocab, words=orths, spaces=list(map(bool, spaces)))
    if index:
        mark_sentence_starts(part, accumulate((end - start for start, end in bounds[:-1]), initial=0))
    return part, index


def entities_back(doc: Doc, part: Doc, index: list[int]) -> list[Span]:
    """The entities of ``part`` (made by :func:`sentences_doc`) as spans of ``doc``.

    An entity that would join two sentences copied side by side is dropped: it has no span in ``doc``.
    """
    found = []
    for entity in part.ents:
        start, end = index[entity.start], index[entity.end - 1] + 1
        if end - start == len(entity):
            found.append(Span(doc, start, end, label=entity.label, kb_id=entity.kb_id))
    return found
