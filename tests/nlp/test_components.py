import spacy

import nvo_nlp.nlp.components  # noqa: F401


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
