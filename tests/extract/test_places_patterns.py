"""The place matcher's patterns: forms split at their spaces equal the tokenizer's tokens."""

import pytest

from nvo_nlp.extract.gazetteer import Gazetteer
from nvo_nlp.extract.places import PlaceExtractor, _whole_words
from nvo_nlp.nlp.pipeline import SUPPORTED_LANGUAGES, build_pipeline


def _patterns(extractor: PlaceExtractor) -> dict:
    # What a PhraseMatcher pickles: its patterns as tuples of attribute values, by match key.
    return extractor.matcher.__reduce__()[1][1]


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_gazetteer_form_gets_the_patterns_of_its_tokens(lang):
    nlp = build_pipeline(lang)
    split = PlaceExtractor(nlp.vocab, nlp.make_doc, lang, special_cases=nlp.tokenizer.rules)
    tokenized = PlaceExtractor(nlp.vocab, nlp.make_doc, lang)
    assert split.forms == tokenized.forms
    assert _patterns(split) == _patterns(tokenized)


def test_forms_with_special_cases_punctuation_or_double_spaces():
    nlp = build_pipeline("en")
    forms = ("Cannot Town", "XD Village", "St. Town", "Guinea-Bissau", "Holy See (Vatican)", "Two  Spaces")
    data = {
        "entities": [{"id": "X", "kind": "town", "place": {"en": "Town"}}],
        "forms": [["en", form, "X", "PLACE", "Town"] for form in forms],
    }
    split = PlaceExtractor(nlp.vocab, nlp.make_doc, "en", Gazetteer(data), special_cases=nlp.tokenizer.rules)
    tokenized = PlaceExtractor(nlp.vocab, nlp.make_doc, "en", Gazetteer(data))
    assert split.forms == tokenized.forms
    assert _patterns(split) == _patterns(tokenized)
    assert "can not town" in split.forms


def test_whole_words():
    whole = _whole_words({"r.": [{"ORTH": "r."}], "Cannot": [{"ORTH": "Can"}, {"ORTH": "not"}], "de facto": [{}]})
    assert [whole(word) for word in ("Klaipėdos", "r.", "Cannot", "de", "facto", "Dauparų-Kvietinių", "")] == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
