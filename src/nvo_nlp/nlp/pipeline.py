"""Build the per-language spaCy pipeline: blank tokenizer with abbreviations, then the nvo components."""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc
from thinc.api import use_ops
from threadpoolctl import ThreadpoolController

import nvo_nlp.nlp.components  # noqa: F401  (registers the nvo_* factories)
from nvo_nlp.nlp.affixes import skip_hopeless_affix_searches
from nvo_nlp.nlp.backends import ner_model, stanza_settings
from nvo_nlp.nlp.ops import INFERENCE_OPS
from nvo_nlp.nlp.segment import abbreviations

#: Languages with their own tokenizer rules and lexicons; anything else is tokenized as "xx".
SUPPORTED_LANGUAGES = ("lt", "lv", "en")
#: Component order matters: later components read the mentions of earlier ones.
COMPONENTS = (
    "nvo_sentences",
    "nvo_lemmatizer",
    "nvo_places",
    "nvo_dates",
    "nvo_organizations",
    "nvo_projects",
    "nvo_officials",
    "nvo_entities",
    "nvo_headcounts",
    "nvo_quotes",
)
#: Rule components whose mentions settle words before a NER model reads the sentences with names left
#: (``nlp/gate.py``); the model runs right after them, before the officials and entities read its entities.
SETTLED_BY = ("nvo_places", "nvo_dates", "nvo_organizations", "nvo_projects")
_NER_AFTER = max(SETTLED_BY, key=COMPONENTS.index)
_INITIALS = "ABCČDEFGHIJKLMNOPRSŠTUVZŽĀĒĪŪĢĶĻŅ"
#: Longest whitespace-free run spaCy's tokenizer gets in one piece. It splits punctuation off a run one
#: mark at a time and searches the rest anew each time, so a run of quotes or brackets costs time
#: quadratic in its length (10,000 quotes: half a minute). Words and URLs of real text are far shorter.
MAX_RUN = 200
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_RUN + 1},}}")


#: Distinct whitespace-free chunks whose tokens spaCy's tokenizer keeps. Its default, 10,000, fills within a few
#: hundred articles of inflected news; every chunk it did not keep goes through the affix searches again.
CACHED_CHUNKS = 2**17
#: Distinct chunks after which spaCy's affix searches are replaced by ones that answer at once for words
#: they cannot match (``nlp/affixes.py``: 2.7 of 46.4 million instructions per corpus article). Replacing
#: them costs about 0.1 s per language (reading the expressions, and spaCy reloading its special cases
#: and emptying its cache), which a short run never earns back: 7 samples bring 200–800 chunks per
#: language, 200 corpus articles 5,000–10,000.
QUICK_AFFIXES_AFTER = 5_000


class BoundedTokenizer:
    """spaCy's tokenizer, with whitespace-free runs longer than :data:`MAX_RUN` cut into pieces that long,
    and with its cache filled chunk by chunk.

    Text without such a run is tokenized as by spaCy alone; the doc's text is always the input text.

    spaCy stops filling its cache for the rest of a text once one chunk of it meets a special case (a line
    break, an abbreviation: nearly every article has one, halfway on average). So the chunks a text brings
    for the first time are tokenized first, on their own, and kept; then the text. A chunk's tokens do not
    depend on its neighbours, so the doc is the same: only the time differs (``benchmarks/README.md``).
    """

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer
        self._has_cache = hasattr(tokenizer, "max_cache_size") and hasattr(tokenizer, "rules")
        if self._has_cache:
            tokenizer.max_cache_size = max(tokenizer.max_cache_size, CACHED_CHUNKS)
            # A chunk can meet a special case only if one is part of it: only such chunks go one at a time.
            cases = sorted(tokenizer.rules, key=len, reverse=True)
            self._may_meet_a_case = re.compile("|".join(map(re.escape, cases))).search if cases else None
        self._seen: set[str] = set()
        self._quick_affixes = not self._has_cache  # spaCy's affix searches are replaced later (see there)
        # Replacing them frees spaCy's cached tokens: no other thread may be tokenizing meanwhile.
        self._lock = threading.Lock()

    @property
    def rules(self) -> dict[str, list[dict]]:
        """The special cases of the tokenizer (spaCy's ``Tokenizer.rules``)."""
        return self.tokenizer.rules

    def __call__(self, text: str) -> Doc:
        with self._lock:
            return self._tokenize(text)

    def _tokenize(self, text: str) -> Doc:
        if self._has_cache and len(self._seen) < CACHED_CHUNKS:
            self._fill_cache(text)
        pieces, done = [], 0
        for match in _LONG_RUN.finditer(text):
            pieces.append(text[done : match.start()])
            pieces += [
                text[start : min(start + MAX_RUN, match.end())] for start in range(match.start(), match.end(), MAX_RUN)
            ]
            done = match.end()
        if not pieces:
            return self.tokenizer(text)
        pieces.append(text[done:])
        return Doc.from_docs([self.tokenizer(piece) for piece in pieces if piece], ensure_whitespace=False)

    def _fill_cache(self, text: str) -> None:
        if not self._quick_affixes and len(self._seen) >= QUICK_AFFIXES_AFTER:
            self._quick_affixes = True
            skip_hopeless_affix_searches(self.tokenizer)
            self._seen.clear()  # replacing a search empties spaCy's cache
        new = set(text.split()).difference(self._seen)
        if not new:
            return
        self._seen.update(new)
        together = []
        for chunk in new:
            if len(chunk) > MAX_RUN:
                continue
            if self._may_meet_a_case is not None and self._may_meet_a_case(chunk):
                self.tokenizer(chunk)
            else:
                together.append(chunk)
        if together:
            self.tokenizer(" ".join(together))


@functools.cache
def pipeline_for(lang: str, *, ner: bool = True) -> Language:
    """The process-wide pipeline for ``lang`` (built once; ``xx`` with sentences only for other languages).

    With the NER backend configured for ``lang`` (``nlp/backends.py``: by default the pipeline shipped
    for Latvian), its components run first and ``nvo_entities`` adds the people and places it finds
    that the rules did not; ``ner=False`` leaves it out.
    """
    return build_pipeline(lang, ner_model(lang) if ner else None)


def one_blas_thread() -> AbstractContextManager[object]:
    """A ``with`` block in which numpy's BLAS, which multiplies the models' matrices, runs on one thread.

    An analysis is one thread on one core (runs scale out by processes); OpenBLAS's own threads gave the
    model's small products no speed and doubled their CPU time (394 news articles, 2 cores).
    """
    return _blas().limit(limits=1, user_api="blas")


@functools.cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController()


def _load_model(name: str | Path) -> Language:
    """A spaCy model without its tokenizer (not used: reading it would rebuild its special cases), its
    layers multiplying with numpy's BLAS, with the maxout of :mod:`nvo_nlp.nlp.ops`.

    thinc multiplies with BLIS by default, whose kernel is picked by CPU model: on CPUs newer than its
    build (AMD's family 1Ah) it falls back to a generic kernel, three times slower than numpy's OpenBLAS
    (kernels picked by instruction set) at the model's shapes. Same results on 394 news articles.
    """
    with use_ops(INFERENCE_OPS, use_blis=False):
        return spacy.load(name, exclude=["tokenizer"])


def build_pipeline(lang: str, ner_model: str | Path | None = None) -> Language:
    """A new nvo pipeline for ``lang``; ``ner_model`` (a spaCy package name or folder) adds its components.

    The model's components are copied in (``add_pipe(source=...)``), disabled: ``nvo_name_sentences_ner``
    runs them after the components of :data:`SETTLED_BY`, around the possible names those left
    (:mod:`nvo_nlp.nlp.gate`), so their entities reach the officials and entities components; the
    model's own tokenizer is not used. A language configured for stanza gets ``nvo_stanza`` in place
    of ``nvo_lemmatizer``.
    """
    if lang not in SUPPORTED_LANGUAGES:
        nlp = spacy.blank("xx")
        nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
        nlp.add_pipe("nvo_sentences")
        return nlp
    source = _load_model(ner_model) if ner_model is not None else None
    # A vocab of the language with only strings in it (no lookup tables, no vectors) is the blank one plus
    # the model's strings: sharing it saves copying them (~44,000 for Latvian) into a new one, twice.
    shared = (
        source is not None
        and source.lang == lang
        and not source.vocab.lookups.tables
        and source.vocab.vectors.size == 0
    )
    nlp = spacy.blank(lang, vocab=source.vocab if shared else True)
    for abbreviation in sorted(abbreviations(lang)):
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    for letter in _INITIALS:
        nlp.tokenizer.add_special_case(f"{letter}.", [{ORTH: f"{letter}."}])
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    if source is not None:
        for name in source.pipe_names:
            nlp.add_pipe(name, source=source)
            nlp.disable_pipe(name)  # run by nvo_name_sentences_ner, on the words around possible names
    stanza = stanza_settings(lang)
    for component in COMPONENTS:
        if component == "nvo_lemmatizer" and stanza is not None:
            nlp.add_pipe("nvo_stanza", config={"settings": stanza})  # stanza's lemmas instead
        else:
            nlp.add_pipe(component)
        if component == _NER_AFTER and source is not None:
            nlp.add_pipe(
                "nvo_name_sentences_ner",
                config={"components": list(source.pipe_names), "settled_by": list(SETTLED_BY)},
            )
    return nlp
