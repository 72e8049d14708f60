"""Language identification: interchangeable backends behind one interface, document and span level.

Backends (all deterministic):

- ``lingua``: lingua-language-detector restricted to a candidate set (restricting keeps
  memory and start-up small: all 75 languages cost about 1 GB); texts of 120 letters or more
  are read by its fast-loading low-accuracy mode, which scores them the same;
- ``langdetect``: langdetect with a fixed seed, restricted to the same candidates;
- ``baltic`` (the default): ``lingua`` plus Lithuanian/Latvian word evidence for short
  texts, where lingua most often confuses Latvian with Lithuanian, Estonian or Finnish;
  overwhelming evidence settles a text's language without lingua.
  The numbers that chose it are in ``benchmarks/README.md``.

Texts with fewer than three letters, or whose best language is below
``min_confidence``, get ``und`` with the reason instead of a guess.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Protocol

from nvo_nlp.errors import ConfigError

#: ISO 639-1 codes considered by default: the Baltic languages, their neighbours and English.
DEFAULT_CANDIDATES = ("lt", "lv", "et", "en", "ru", "pl", "de", "fi", "uk", "be")
#: ISO 639-2 code for "undetermined", used instead of a guess.
UNDETERMINED = "und"
BACKENDS = ("baltic", "lingua", "langdetect")
_MIN_LETTERS = 3
#: lingua reads a text with at least this many letters (``str.isalpha``) by its trigrams only, in either
#: accuracy mode (lingua-rs ``HIGH_ACCURACY_MODE_MAX_TEXT_LENGTH``; measured: 119 letters still score otherwise).
LONG_TEXT_LETTERS = 120
_WORD = re.compile(r"\w+")
_LINE = re.compile(r"[^\n]+")
_LETTERED_TOKEN = re.compile(r"[^\W\d_]\S*")
#: Probability of a language a paragraph's detector left out: small, so that no single paragraph vetoes.
_FLOOR = 1e-4
_DASHES = ("–", "—", "-", "•")  # list items and interview lines start like sentences
_EVIDENCE_CACHE_SIZE = 2**17  # words: a few MB, and more than a month of news uses
_QUOTED = re.compile(r"[„“\"«][^„“”\"«»\n]{0,120}[“”\"»]")


@dataclass(frozen=True)
class LanguageResult:
    """Language of a text: ISO 639-1 code (or ``und``), confidence in [0, 1], and why when ``und``."""

    language: str
    confidence: float
    reason: str | None = None


@dataclass(frozen=True)
class LanguageSpan:
    """The language of one paragraph, with its character offsets in the text."""

    start: int
    end: int
    language: str
    confidence: float
    reason: str | None = None


class Backend(Protocol):
    name: str

    def scores(self, text: str) -> list[tuple[str, float]]:
        """Candidate languages with probabilities, best first (empty when the text has no evidence)."""


class LinguaBackend:
    """lingua, with two detectors sharing lingua's process-wide model cache.

    lingua reads a text of at least :data:`LONG_TEXT_LETTERS` letters by its trigrams alone, whatever its
    accuracy mode: such texts go to a low-accuracy detector, whose models (trigrams only) load at once in
    a tenth of the time (ten languages: 0.1 s against 1-2 s), and score the same. The high-accuracy
    detector, with the models of every n-gram length, is built when the first shorter text needs it.
    """

    name = "lingua"

    def __init__(
        self, candidates: Iterable[str] | None = DEFAULT_CANDIDATES, *, preload: bool | Iterable[str] = False
    ) -> None:
        """``preload``: whose high-accuracy models are loaded, in parallel on every core, when the first short
        text comes: every candidate's (True), none (False) or those of the ISO 639-1 codes given. lingua loads
        any other model the first time a text needs it, one at a time. The results are the same either way."""
        self._languages = None if candidates is None else _lingua_languages(_codes(candidates))
        self._long_texts = self._builder().with_low_accuracy_mode().with_preloaded_language_models().build()
        self._preload = preload
        self._short_texts = None
        self._building = threading.Lock()

    def scores(self, text: str) -> list[tuple[str, float]]:
        detector = self._long_texts if _has_letters(text, LONG_TEXT_LETTERS) else self._short_text_detector()
        return _ranked(detector.compute_language_confidence_values(text))

    def trigram_scores(self, text: str) -> list[tuple[str, float]]:
        """The low-accuracy (trigrams only) reading of a text of any length: cheaper than the high-accuracy one."""
        return _ranked(self._long_texts.compute_language_confidence_values(text))

    @property
    def short_text_models_loaded(self) -> bool:
        """Whether a text has needed the high-accuracy detector yet."""
        return self._short_texts is not None

    def _builder(self):
        from lingua import LanguageDetectorBuilder

        if self._languages is None:
            return LanguageDetectorBuilder.from_all_languages()
        return LanguageDetectorBuilder.from_languages(*self._languages)

    def _short_text_detector(self):
        if self._short_texts is None:
            with self._building:  # threads meeting the first short texts together load the models once
                if self._short_texts is None:
                    self._short_texts = self._high_accuracy_detector()
        return self._short_texts

    def _high_accuracy_detector(self):
        from lingua import LanguageDetectorBuilder

        builder = self._builder()
        if self._preload is True:
            builder = builder.with_preloaded_language_models()
        elif self._preload:
            # lingua keeps its models in one cache for the whole process: a detector of these languages that
            # preloads them loads them for this one too.
            LanguageDetectorBuilder.from_languages(
                *_lingua_languages(self._preload)
            ).with_preloaded_language_models().build()
        return builder.build()


class LangdetectBackend:
    name = "langdetect"

    def __init__(self, candidates: Iterable[str] = DEFAULT_CANDIDATES, *, seed: int = 0) -> None:
        from langdetect import DetectorFactory, detector_factory

        self.candidates = _codes(candidates)
        self._factory = DetectorFactory()
        self._factory.load_profile(detector_factory.PROFILES_DIRECTORY)
        self._factory.set_seed(seed)  # langdetect samples n-grams at random: a fixed seed makes it repeatable

    def scores(self, text: str) -> list[tuple[str, float]]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._factory.create()
        detector.append(text)
        try:
            found = [(p.lang.split("-")[0], p.prob) for p in detector.get_probabilities()]
        except LangDetectException:
            return []
        kept = [(lang, prob) for lang, prob in found if lang in self.candidates]
        total = sum(prob for _, prob in kept)
        return [(lang, prob / total) for lang, prob in kept] if total else []


class BalticBackend:
    """lingua, re-ranked between Lithuanian and Latvian by words only one of them uses.

    Evidence per word: it is in one language's evidence list (``data/lexicon/langid_words_*``,
    built from the UD training treebanks), or, lower-case, it has letters only that language
    writes (ė į ų; ā ē ī ķ ļ ņ ģ). When lingua's best guess is Lithuanian or Latvian, each
    evidence word multiplies that language's probability by e. Otherwise lingua is overruled
    only by strong evidence: at least two evidence words that make up half of the text, for
    a Baltic language lingua gives at least a fifth of its best probability.

    A text with decisive evidence (:meth:`decisive`: at least three words of one Baltic language, and ten
    times as many as of the other) is first read by lingua's trigrams only, whatever its length, and only
    its opening words up to :data:`LONG_TEXT_LETTERS` letters, as much as lingua itself reads by trigrams
    alone; that reading stands when it agrees with the evidence, which then settles the probabilities
    (each evidence word multiplies by e). lingua's slower readings, of a short text at high accuracy or
    of a long one whole, are skipped (most paragraphs of Baltic news are decisive: ``benchmarks/README.md``,
    language identification).

    Evidence that outnumbers the other Baltic language's by :attr:`SETTLED_MARGIN` words or more settles
    the language without lingua (:meth:`settled`): it multiplies the odds by e¹² (160,000) or more, beyond
    what lingua's reading moved on any text measured (the language-ID sentences, news and corpus paragraphs:
    ``benchmarks/README.md``).
    """

    name = "baltic"
    WEIGHT = 1.0
    MIN_FLIP_WORDS = 2
    MIN_FLIP_SHARE = 0.5
    MIN_FLIP_RATIO = 0.2
    DECISIVE_WORDS = 3
    DECISIVE_RATIO = 10
    SETTLED_MARGIN = 12
    _LETTERS = {"lt": re.compile("[ėįų]"), "lv": re.compile("[āēīķļņģ]")}

    def __init__(self, base: LinguaBackend | None = None) -> None:
        self.base = base or make_backend("lingua")
        self.words = {lang: _evidence_words(lang) for lang in ("lt", "lv")}
        # News repeats its words: a word's evidence is looked up once, not at every occurrence.
        self._evidence_of = functools.lru_cache(maxsize=_EVIDENCE_CACHE_SIZE)(self._word_evidence)

    def evidence(self, text: str) -> tuple[dict[str, int], int]:
        """Evidence words of each Baltic language in ``text``, and its number of words."""
        tokens = _WORD.findall(text)
        found = list(map(self._evidence_of, tokens))  # counted in C: a Counter would hash every item
        return {"lt": found.count("lt"), "lv": found.count("lv")}, len(tokens)

    def _word_evidence(self, token: str) -> str | None:
        """The language ``token`` is evidence of (Lithuanian first when both), if any."""
        lower = token.lower()
        for lang in ("lt", "lv"):
            if lower in self.words[lang] or (token.islower() and self._LETTERS[lang].search(lower)):
                return lang
        return None

    def decisive(self, counts: dict[str, int]) -> bool:
        """At least :attr:`DECISIVE_WORDS` evidence words of one language, and :attr:`DECISIVE_RATIO` times
        as many as of the other (a Latvian word in a long Lithuanian paragraph, or a shared spelling)."""
        most, least = max(counts.values()), min(counts.values())
        return most >= self.DECISIVE_WORDS and most >= self.DECISIVE_RATIO * least

    def settled(self, counts: dict[str, int]) -> list[tuple[str, float]] | None:
        """The Baltic languages' probabilities from decisive evidence alone (each word multiplies its language's
        odds by e), when one outnumbers the other by :attr:`SETTLED_MARGIN` words or more; else None."""
        (other, fewer), (best, most) = sorted(counts.items(), key=lambda item: item[1])
        if most - fewer < self.SETTLED_MARGIN or not self.decisive(counts):
            return None
        share = round(1 / (1 + math.exp(fewer - most)), 9)  # rounded and without zeros, as lingua's are
        return [(best, share), (other, round(1 - share, 9))] if share < 1 else [(best, share)]

    def scores(self, text: str) -> list[tuple[str, float]]:
        counts, n_tokens = self.evidence(text)
        settled = self.settled(counts)
        if settled is not None:
            return settled
        if self.decisive(counts):
            quick = self._reweighted(self.base.trigram_scores(_opening(text)), counts, n_tokens)
            if quick and quick[0][0] == max(counts, key=counts.get):
                return quick
        return self._reweighted(self.base.scores(text), counts, n_tokens)

    def _reweighted(
        self, ranked: list[tuple[str, float]], counts: dict[str, int], n_tokens: int
    ) -> list[tuple[str, float]]:
        if not ranked or not any(counts.values()):
            return ranked
        probability = dict(ranked)
        top, top_probability = ranked[0]
        if top in counts:
            logs = {lang: math.log(p) + self.WEIGHT * counts.get(lang, 0) for lang, p in ranked}
            peak = max(logs.values())
            weights = {lang: math.exp(value - peak) for lang, value in logs.items()}
            total = sum(weights.values())
            return sorted(((lang, w / total) for lang, w in weights.items()), key=lambda item: -item[1])
        best = max(counts, key=counts.get)
        strong = counts[best] >= self.MIN_FLIP_WORDS and counts[best] >= self.MIN_FLIP_SHARE * n_tokens
        if strong and probability.get(best, 0.0) >= self.MIN_FLIP_RATIO * top_probability:
            # Swap the two languages' probabilities: the evidence outranks lingua's first choice.
            probability[best], probability[top] = top_probability, probability.get(best, 0.0)
            return sorted(probability.items(), key=lambda item: -item[1])
        return ranked


class LanguageDetector:
    """Document and span language with ``und`` instead of weak guesses."""

    def __init__(
        self,
        backend: str | Backend = "baltic",
        *,
        candidates: Iterable[str] = DEFAULT_CANDIDATES,
        min_confidence: float = 0.5,
    ):
        self.backend = make_backend(backend, candidates) if isinstance(backend, str) else backend
        self.min_confidence = min_confidence

    def scores(self, text: str) -> list[tuple[str, float]]:
        """Languages with probabilities, best first, with quotations and foreign names set aside.

        When diacritic names were removed and at least half of the words are left, the rest of
        the text decides. Otherwise, of the readings with and without the quotations, the more
        confident one wins (a quote can carry a text, or be all there is to it).
        """
        stripped_text, names_removed = evidence_text(text)
        if stripped_text == text:
            return self.backend.scores(text)
        stripped = self.backend.scores(stripped_text)
        if stripped and names_removed and _words(stripped_text) >= 0.5 * _words(text):
            return stripped  # the whole text need not be read
        full = self.backend.scores(text)
        if not stripped:
            return full
        return stripped if not full or stripped[0][1] > full[0][1] else full

    def detect(self, text: str) -> LanguageResult:
        """The language of ``text`` read as one piece (a sentence, a paragraph, a title)."""
        return self._decide(self.scores(text) if _has_letters(text) else None)

    def detect_spans(self, text: str) -> list[LanguageSpan]:
        """One span per paragraph (line), so the mixed parts of an article are visible."""
        return [span for span, _ in self._paragraphs(text)]

    def detect_document(self, text: str) -> tuple[LanguageResult, list[LanguageSpan]]:
        """The language of a whole article and of each of its paragraphs, reading the text once.

        The article's distribution combines its paragraphs' as independent evidence, each weighted
        by its words (:func:`combine`), so lingua reads every character once instead of twice (the
        whole text, then each paragraph). A text of one paragraph is read as one piece.
        """
        paragraphs = self._paragraphs(text)
        if len(paragraphs) == 1 and paragraphs[0][0].end - paragraphs[0][0].start == len(text):
            span, ranked = paragraphs[0]
            return LanguageResult(span.language, span.confidence, span.reason), [span]
        evidence = [(ranked, _words(text[span.start : span.end])) for span, ranked in paragraphs if ranked]
        if not _has_letters(text):
            return self._decide(None), [span for span, _ in paragraphs]
        return self._decide(combine(evidence)), [span for span, _ in paragraphs]

    def _paragraphs(self, text: str) -> list[tuple[LanguageSpan, list[tuple[str, float]]]]:
        found = []
        for match in _LINE.finditer(text):
            paragraph = match.group()
            if not paragraph.strip():
                continue
            ranked = self.scores(paragraph) if _has_letters(paragraph) else None
            result = self._decide(ranked)
            span = LanguageSpan(match.start(), match.end(), result.language, result.confidence, result.reason)
            found.append((span, ranked or []))
        return found

    def _decide(self, ranked: list[tuple[str, float]] | None) -> LanguageResult:
        if ranked is None:
            return LanguageResult(UNDETERMINED, 0.0, "too few letters")
        if not ranked:
            return LanguageResult(UNDETERMINED, 0.0, "no language evidence")
        language, confidence = ranked[0]
        if confidence < self.min_confidence:
            return LanguageResult(UNDETERMINED, round(confidence, 4), f"ambiguous: best guess {language}")
        return LanguageResult(language, round(confidence, 4))


def combine(evidence: list[tuple[list[tuple[str, float]], int]]) -> list[tuple[str, float]]:
    """One distribution from the distributions of independent parts, each weighted by its words.

    log P(language) = sum of weight x log P_part(language), a language a part leaves out counting
    as ``_FLOOR``: a long Latvian article with one English quote paragraph stays Latvian, as lingua
    reading the whole text would find.
    """
    if not evidence:
        return []
    languages = {lang for ranked, _ in evidence for lang, _ in ranked}
    logs = dict.fromkeys(languages, 0.0)
    for ranked, weight in evidence:
        probability = dict(ranked)
        for lang in languages:
            logs[lang] += max(weight, 1) * math.log(max(probability.get(lang, 0.0), _FLOOR))
    peak = max(logs.values())
    weights = {lang: math.exp(value - peak) for lang, value in logs.items()}
    total = sum(weights.values())
    return sorted(((lang, round(w / total, 9)) for lang, w in weights.items()), key=lambda item: (-item[1], item[0]))


def evidence_text(text: str) -> tuple[str, bool]:
    """The text without quotations and mid-sentence names written with diacritics, and whether names went.

    Such names carry strong character evidence of their own language: a Lithuanian
    paragraph naming Jānis Džeriņš or Ģirts Ķirsis, or quoting „NGO Capacity“, must stay
    Lithuanian. Names in plain ASCII (Toronto, Enron) are left in: they rarely mislead.
    """
    words = _QUOTED.sub(" ", text).split()
    # Most words are lower case or plain ASCII: where a sentence starts is asked of the others only.
    names = [
        index
        for index, word in enumerate(words)
        if index
        and word[:1].isupper()
        and not word.isascii()
        and words[index - 1][-1:] not in ".!?:"
        and words[index - 1] not in _DASHES
    ]
    for index in reversed(names):
        del words[index]
    stripped = " ".join(words)
    if _words(stripped) < 3:
        return text, False
    return stripped, bool(names)


def _ranked(values) -> list[tuple[str, float]]:
    """lingua's confidence values as (ISO 639-1 code, probability), best first, zeros left out."""
    # lingua's sums vary in the last bits between calls: rounding makes results repeatable.
    ranked = [(v.language.iso_code_639_1.name.lower(), round(v.value, 9)) for v in values]
    return sorted(((lang, p) for lang, p in ranked if p > 0), key=lambda item: (-item[1], item[0]))


@functools.lru_cache(maxsize=64)  # a paragraph's words are counted by three checks: once is enough
def _words(text: str) -> int:
    """Whitespace-separated tokens holding a letter: one match each, from its first letter to its end."""
    return len(_LETTERED_TOKEN.findall(text))


def _opening(text: str, letters: int = LONG_TEXT_LETTERS) -> str:
    """``text`` up to the end of the word that holds its ``letters``-th letter (all of it when shorter)."""
    opening = _opening_pattern(letters).match(text)
    return text if opening is None else opening.group()


@functools.cache
def _opening_pattern(letters: int) -> re.Pattern[str]:
    # Letters and the rest are disjoint classes, so the match takes linear time, also failing on a shorter text.
    return re.compile(rf"(?:[\W\d_]*[^\W\d_]){{{letters}}}\S*")


def _has_letters(text: str, count: int = _MIN_LETTERS) -> bool:
    """At least ``count`` letters: stops at the last one needed, however long the text."""
    return len(list(itertools.islice((ch for ch in text if ch.isalpha()), count))) == count


def make_backend(name: str, candidates: Iterable[str] = DEFAULT_CANDIDATES) -> Backend:
    """The backend ``name`` for ``candidates``; lingua's load the trigram models of every candidate at once.

    The first text shorter than :data:`LONG_TEXT_LETTERS` letters loads the high-accuracy models of the
    Latin-script candidates: nearly every short text of Baltic or English news needs those, and loading
    them at once, in parallel, takes less time than one by one on first use (2 cores: 1.8 s against 2.8 s
    for the bundled samples); those of the other candidates (Cyrillic) wait until a text needs them.
    """
    if name in ("baltic", "lingua"):
        lingua = LinguaBackend(candidates, preload=_latin_script(_codes(candidates)))
        return BalticBackend(lingua) if name == "baltic" else lingua
    if name == "langdetect":
        return LangdetectBackend(candidates)
    raise ConfigError(f"unknown language-identification backend {name!r}; choose one of {', '.join(BACKENDS)}")


@functools.cache
def default_detector() -> LanguageDetector:
    """The process-wide detector (``baltic`` backend), built once on first use (:func:`make_backend`)."""
    return LanguageDetector()


def detect_language(text: str, *, detector: LanguageDetector | None = None) -> LanguageResult:
    """Detect the main language of ``text`` (its paragraphs combined, as for an article)."""
    return (detector or default_detector()).detect_document(text)[0]


def detect_spans(text: str, *, detector: LanguageDetector | None = None) -> list[LanguageSpan]:
    """The language of every paragraph of ``text``."""
    return (detector or default_detector()).detect_spans(text)


@functools.cache
def _evidence_words(lang: str) -> frozenset[str]:
    resource = resources.files("nvo_nlp").joinpath(f"data/lexicon/langid_words_{lang}.txt.gz")
    if not resource.is_file():
        return frozenset()
    return frozenset(gzip.decompress(resource.read_bytes()).decode("utf-8").split())


def _lingua_languages(codes: Iterable[str]) -> list:
    from lingua import IsoCode639_1, Language

    try:
        return [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in codes]
    except AttributeError as exc:
        raise ConfigError(f"unknown ISO 639-1 language code in candidates: {exc.name.lower()}") from None


def _latin_script(codes: tuple[str, ...]) -> tuple[str, ...]:
    from lingua import Language

    latin = Language.all_with_latin_script()
    return tuple(code for code, language in zip(codes, _lingua_languages(codes), strict=True) if language in latin)


def _codes(candidates: Iterable[str]) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(code.lower() for code in candidates))
    if len(codes) < 2:
        raise ConfigError("language detection needs at least two candidate languages")
    return codes
