"""Document-level language identification with lingua, restricted to a candidate set.

Restricting lingua to the languages regional Baltic news actually uses keeps
memory and start-up small (all 75 languages cost about 1 GB) and removes
confusions with languages that never occur in our sources.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from nvo_nlp.errors import ConfigError

#: ISO 639-1 codes considered by default: the Baltic languages, their neighbours and English.
DEFAULT_CANDIDATES = ("lt", "lv", "et", "en", "ru", "pl", "de", "fi", "uk", "be")
#: ISO 639-2 code for "undetermined", used instead of a guess.
UNDETERMINED = "und"
_MIN_LETTERS = 3
_MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class LanguageResult:
    """Language of a text: ISO 639-1 code (or ``und``), confidence in [0, 1], and why when ``und``."""

    language: str
    confidence: float
    reason: str | None = None


class LanguageDetector:
    """lingua detector over a fixed candidate set; deterministic for a given text."""

    def __init__(self, candidates: Iterable[str] = DEFAULT_CANDIDATES, *, preload: bool = False) -> None:
        codes = tuple(dict.fromkeys(code.lower() for code in candidates))
        try:
            languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in codes]
        except AttributeError as exc:
            raise ConfigError(f"unknown ISO 639-1 language code in candidates: {exc.name}") from None
        if len(languages) < 2:
            raise ConfigError("language detection needs at least two candidate languages")
        self.candidates = codes
        builder = LanguageDetectorBuilder.from_languages(*languages)
        # Preloading costs about 1 s once; lazily, lingua loads the same models during the first articles.
        self._detector = (builder.with_preloaded_language_models() if preload else builder).build()

    def detect(self, text: str) -> LanguageResult:
        letters = sum(ch.isalpha() for ch in text)
        if letters < _MIN_LETTERS:
            return LanguageResult(UNDETERMINED, 0.0, "too few letters")
        values = self._detector.compute_language_confidence_values(text)
        best = values[0]
        if best.value < _MIN_CONFIDENCE:
            return LanguageResult(UNDETERMINED, round(best.value, 4), "ambiguous between candidates")
        return LanguageResult(best.language.iso_code_639_1.name.lower(), round(best.value, 4))


@functools.cache
def default_detector() -> LanguageDetector:
    """The process-wide detector, built once on first use, with its models loaded."""
    return LanguageDetector(preload=True)


def detect_language(text: str, *, detector: LanguageDetector | None = None) -> LanguageResult:
    """Detect the main language of ``text``."""
    return (detector or default_detector()).detect(text)
