"""Build the per-language spaCy pipeline: blank tokenizer with abbreviations, then the nvo components."""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language
from spacy.symbols import ORTH

import nvo_nlp.nlp.components  # noqa: F401  (registers the nvo_* factories)
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
    "nvo_headcounts",
    "nvo_quotes",
)
_INITIALS = "ABCČDEFGHIJKLMNOPRSŠTUVZŽĀĒĪŪĢĶĻŅ"


@functools.cache
def pipeline_for(lang: str) -> Language:
    """The process-wide pipeline for ``lang`` (built once; ``xx`` with sentences only for other languages)."""
    if lang not in SUPPORTED_LANGUAGES:
        nlp = spacy.blank("xx")
        nlp.add_pipe("nvo_sentences")
        return nlp
    nlp = spacy.blank(lang)
    for abbreviation in sorted(abbreviations(lang)):
        nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    for letter in _INITIALS:
        nlp.tokenizer.add_special_case(f"{letter}.", [{ORTH: f"{letter}."}])
    for component in COMPONENTS:
        nlp.add_pipe(component)
    return nlp
