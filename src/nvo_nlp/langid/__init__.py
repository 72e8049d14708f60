"""Language identification stage."""

from nvo_nlp.langid.detect import (
    DEFAULT_CANDIDATES,
    UNDETERMINED,
    LanguageDetector,
    LanguageResult,
    default_detector,
    detect_language,
)

__all__ = [
    "DEFAULT_CANDIDATES",
    "UNDETERMINED",
    "LanguageDetector",
    "LanguageResult",
    "default_detector",
    "detect_language",
]
