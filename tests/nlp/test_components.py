import pytest
import spacy

import nvo_nlp.nlp.components  # noqa: F401
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer


def test_components_add_pipe_in_a_plain_spacy_pipeline():
    nlp = spacy.blank("lt")
    nlp.add_pipe("nvo_sentences")
    nlp.add_pipe("nvo_places")
    nlp.add_pipe("nvo_officials")
    doc = nlp("Klaipėdos rajono savivaldybės vicemerė Violeta Riaukienė lankėsi Liepojoje.")
    places = {(s.text, s.label_, s.kb_id_, s._.normalized) for s in doc.spans["nvo_places"]}
    assert ("Klaipėdos rajono savivaldybės", "MUNICIPALITY", "LT-21", "Klaipėdos rajono savivaldybė") in places
    assert ("Liepojoje", "PLACE", "LV-LPX", "Liepoja") in places
    person = next(s for s in doc.spans["nvo_officials"] if s.label_ == "PERSON")
    assert (person.text, person._.normalized, person._.entity_id) == (
        "Violeta Riaukienė",
        "Violeta Riaukienė",
        "person:violeta-riaukiene",
    )


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # A capitalized word at a sentence's opening reads as a common word, inside one as a name
        ("lt", "„Vėjo“ malūnas stovi. Mieste gyvena Krasta ir Vėjo šeima. Krasta atvyko į Vilnių!\n— Krasta, labas."),
        ("lv", "«Rasa» bija 22 viesi. Liepājā ieradās Gaila un Rasa. Gaila teica.\n— Rasa, Rīgas mērs."),
        ("en", "“Visitors” came to Riga. 22 guests from Latvia met the mayor.\n— Mayors, guests and Riga."),
    ],
)
def test_components_lemmatizer_gives_each_word_its_lemma_as_a_sentence_opening_or_inside_one(lang, text):
    nlp = spacy.blank(lang)
    nlp.add_pipe("nvo_sentences")
    nlp.add_pipe("nvo_lemmatizer")
    lemmatizer = lookup_lemmatizer(lang)
    for doc in [nlp(text), nlp(text)]:  # the second from the component's cache
        assert len(list(doc.sents)) >= 3
        expected = []
        for sentence in doc.sents:
            words = [token for token in sentence if token.is_alpha]
            expected += [
                (
                    token.text,
                    lemmatizer.lemmatize(token.text, sentence_start=token == words[0]) if token.is_alpha else "",
                )
                for token in sentence
            ]
        assert [(token.text, token.lemma_) for token in doc] == expected
