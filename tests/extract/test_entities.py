"""Statistical entities combined with the rules: the policy of extract/entities.py, on hand-set doc.ents."""

import spacy
from spacy.tokens import Span

import nvo_nlp.nlp.components  # noqa: F401
from nvo_nlp.extract.spans import mentions_in


def pipeline(lang):
    nlp = spacy.blank(lang)
    for name in ("nvo_sentences", "nvo_lemmatizer", "nvo_places", "nvo_organizations", "nvo_projects"):
        nlp.add_pipe(name)
    nlp.add_pipe("nvo_officials")
    return nlp


def run_with_ents(lang, text, ents):
    nlp = pipeline(lang)
    doc = nlp.make_doc(text)
    for _name, component in nlp.pipeline:
        doc = component(doc)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    entities = nlp.create_pipe("nvo_entities")
    return entities(doc)


def test_entities_rules_win_over_overlapping_model_spans():
    text = "Liepājas domes priekšsēdētājs Gunārs Ansiņš tikās ar Kalniņu."
    # The model marks the titled official and the council (the rules found both) and a person they did not.
    doc = run_with_ents("lv", text, [(3, 5, "PERSON"), (7, 8, "PERSON"), (0, 1, "GPE")])
    model = [m for m in mentions_in(doc, "nvo_entities")]
    assert [(m.type, m.text, m.method) for m in model] == [("PERSON", "Kalniņu", "model")]
    assert model[0].normalized.startswith("Kalniņ") and model[0].normalized != "Kalniņu"


def test_entities_places_in_the_nominative_and_other_labels_unused():
    text = "Delegācija devās uz Moricburgu un apmeklēja Latvijas Bankas filiāli."
    doc = run_with_ents("lv", text, [(3, 4, "GPE"), (6, 8, "ORG")])
    model = [(m.type, m.text, m.normalized) for m in mentions_in(doc, "nvo_entities")]
    assert model == [("PLACE", "Moricburgu", "Moricburga")]
