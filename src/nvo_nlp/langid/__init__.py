"""Language identification stage."""

from nvo_nlp.langid.detect import (
    BACKENDS,
    DEFAULT_CANDIDATES,
    UNDETERMINED,
    BalticBackend,
    LangdetectBackend,
    LanguageDetector,
    LanguageResult,
    LanguageSpan,
    LinguaBackend,
    default_detector,
    detect_language,
    detect_spans,
    make_backend,
)

__all__ = [
    "BACKENDS",
    "DEFAULT_CANDIDATES",
    "UNDETERMINED",
    "BalticBackend",
    "LangdetectBackend",
    "LanguageDetector",
    "LanguageResult",
    "LanguageSpan",
    "LinguaBackend",
    "default_detector",
    "detect_language",
    "detect_spans",
    "make_backend",
]
