"""Which words of a doc a statistical NER model reads: the name words of the sentences that can hold a
name, each with the few words around it that the model's vector of it is made from.

Baltic and English names are written with a capital letter, so a sentence without a capitalized word
after its first, and whose first word is a common word of the language, holds no name the model
should find — unless it has an organization's head word, whose name may start with a common word
("Dailes teātris", "Valsts ieņēmumu dienests"). Skipping such sentences cuts the tokens the model
reads by about a third on Latvian news, and most of what the model found in them were
sentence-initial common words read as names ("Ievērojot", "Grāmata"): ``benchmarks/README.md``.
Quotation marks are no reason on their own: the pipeline keeps a model's name only when it starts
with a capital letter (``extract.entities``), so a quoted name is read for its capital.

Words the rules settled before the model runs (a gazetteer place, a dated holiday, an organization
the rules named) count as no name either: the rules win any overlap with a model entity
(``extract.entities.resolve``), so a sentence whose every capitalized word they settled has nothing
left for the model to add.

A CNN model's vector of a word is made from a fixed number of words on either side
(:func:`context_reach`: 3 for the bundled Latvian model), and spaCy's NER decoder, outside an entity,
decides from the vector of the word it stands on. So the model reads each name word with that many
words either side (:func:`name_windows`): a name word's vector is the one it has reading the whole
sentence, unless its reach crosses the sentence's bounds; of the name sentences, it reads under half.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Set
from itertools import accumulate, chain, starmap
from typing import Any

from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc, Span

from nvo_nlp.extract.spans import mentions_in, sentences
from nvo_nlp.nlp.segment import mark_sentence_starts
from nvo_nlp.nlp.tokens import token_table

#: spaCy architectures whose output for a word reads that word alone (embeddings, listeners, the
#: transition-based NER without extra state tokens), and CNN encoders, which read ``depth × window_size``
#: words on either side. Any other architecture (a transformer, an LSTM) may read the whole sentence.
_WORD_LOCAL = re.compile(r"spacy\.(MultiHashEmbed|CharacterEmbed|Tok2Vec|Tok2VecListener|TransitionBasedParser)\.v\d+")
_WINDOW_ENCODERS = re.compile(r"spacy\.(MaxoutWindowEncoder|MishWindowEncoder|HashEmbedCNN)\.v\d+")


def name_windows(
    doc: Doc,
    common_words: Set[str],
    head_words: Set[str],
    settled: Set[int] = frozenset(),
    reach: int | None = None,
) -> list[tuple[int, int]]:
    """Token bounds of the parts of ``doc`` (sentence starts set) a NER model reads, in text order.

    Those are the sentences that can hold a name, whole when ``reach`` is None; otherwise each of their
    name words with ``reach`` words either side, within its sentence. A window that opens its sentence
    also holds the token before it, as the model read a sentence's first word after the mark that
    ended the one before (LUMII's dev F1 0.719 with it, 0.715 without, ``benchmarks/README.md``).

    ``common_words``: lower-case forms that, capitalized at a sentence's start, are no name (an empty
    set keeps every sentence that starts with a capital); ``head_words``: lower-case forms of
    organizations' head words; ``settled``: indices of tokens the rules found in a mention, which count
    as no name (:func:`settled_tokens`).
    """
    table = token_table(doc)
    windows: list[tuple[int, int]] = []
    for start, end in sentences(doc).token_bounds:
        words = _name_words(table.texts, table.lowers, start, end, common_words, head_words, settled)
        if not words:
            continue
        if reach is None:
            windows.append((start, end))
            continue
        opened = len(windows)
        for index in words:
            low, high = max(start, index - reach), min(end, index + reach + 1)
            if len(windows) > opened and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], high)
                continue
            if low == start and start > 0 and not (windows and windows[-1][1] == start):
                low -= 1
            windows.append((low, high))
    return windows


def settled_tokens(doc: Doc, groups: Iterable[str]) -> set[int]:
    """Indices of the tokens of ``doc`` inside the mentions of the nvo components ``groups``."""
    offsets = token_table(doc).offsets
    settled: set[int] = set()
    for mention in mentions_in(doc, *groups):
        settled.update(range(bisect_right(offsets, mention.start) - 1, bisect_left(offsets, mention.end)))
    return settled


def context_reach(configs: Iterable[Mapping[str, Any]]) -> int | None:
    """How many words on either side of a word the components (their spaCy configs) read to decide on
    it: the sum of their CNN encoders' ``depth × window_size``; None if one has no model config or an
    architecture that may read further (not in :data:`_WORD_LOCAL`)."""
    reach = 0
    for config in configs:
        architectures = list(_architectures(config))
        if not architectures:  # no model the config describes: a function, a rule component
            return None
        for architecture, settings in architectures:
            if _WINDOW_ENCODERS.fullmatch(architecture):
                reach += int(settings["depth"]) * int(settings["window_size"])
            elif not _WORD_LOCAL.fullmatch(architecture) or settings.get("extra_state_tokens"):
                return None
    return reach


def _architectures(config: Mapping[str, Any]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    if "@architectures" in config:
        yield config["@architectures"], config
    for value in config.values():
        if isinstance(value, Mapping):
            yield from _architectures(value)


def _name_words(
    texts: tuple[str, ...],
    lowers: tuple[str, ...],
    start: int,
    end: int,
    common_words: Set[str],
    head_words: Set[str],
    settled: Set[int],
) -> list[int]:
    """Indices of the words of the sentence ``texts[start:end]`` (``lowers``: lower-cased) a name can be
    or start with; none if it can hold no name."""
    found, heads = [], []
    first: str | None = None
    for index in range(start, end):
        word = texts[index]
        if not word[:1].isalpha():
            continue
        opening = first is None
        if opening:
            first = word
        if index in settled:
            continue
        acronym = word.isupper() and len(word) > 1
        if word[:1].isupper() and (not opening or acronym or lowers[index] not in common_words):
            found.append(index)
        elif lowers[index] in head_words:
            heads.append(index)
    # A head word makes a name only after a capitalized opening ("Valsts ieņēmumu dienests").
    return sorted(found + heads) if heads and first is not None and first[:1].isupper() else found


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
