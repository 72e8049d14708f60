"""Statistical entities combined with the rules: the policy of extract/entities.py, on hand-set doc.ents."""

import pytest
import spacy
from spacy.tokens import Span

import nvo_nlp.nlp.components  # noqa: F401
from nvo_nlp.extract.entities import EntitySpan, resolve
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


def test_entities_resolve_nested_place_gives_way_to_the_longer_model_name():
    bank = EntitySpan(0, 15, "ORG", "model")
    latvia = EntitySpan(0, 8, "GPE", "rules")
    resolution = resolve([bank], [latvia])
    assert resolution.entities == (bank,)
    assert resolution.overruled == frozenset()  # the place stays a mention of its own


def test_entities_resolve_rules_win_equal_and_crossing_spans():
    council = EntitySpan(0, 14, "ORG", "rules")
    resolution = resolve([EntitySpan(0, 14, "GPE", "model"), EntitySpan(9, 20, "ORG", "model")], [council])
    assert resolution.entities == (council,)
    # The same words called a person by the model stay the rules' place.
    riga = EntitySpan(0, 5, "GPE", "rules")
    assert resolve([EntitySpan(0, 5, "PERSON", "model")], [riga]).entities == (riga,)


def test_entities_resolve_place_inside_a_model_person_is_overruled():
    place = EntitySpan(18, 23, "GPE", "rules")
    person = EntitySpan(13, 23, "PERSON", "model")
    resolution = resolve([person], [place])
    assert resolution.entities == (person,)
    assert resolution.overruled == {place}
    # A model person that only crosses the place is no evidence against it: the rule stays.
    assert resolve([EntitySpan(20, 30, "PERSON", "model")], [place]).entities == (place,)


@pytest.mark.parametrize(
    ("text", "ents", "place", "person"),
    [
        # "Rendā" reads as a locative to the rules; the rules win over the model's person.
        ("Pasākums notika Rendā pie skolas.", [(2, 3, "PERSON")], "Renda", None),
        # Viļņa is Vilnius in the genitive, and a surname inside the model's person.
        ("Lomu spēlēja Nils Viļņa kungs.", [(2, 4, "PERSON")], None, "Nils Viļņa"),
        # Latvija inside the bank's name stays a place; the organization is not a model mention.
        ("Viņš strādā Latvijas Bankā.", [(2, 4, "ORG")], "Latvija", None),
    ],
)
def test_entities_overruled_places_leave_the_mentions(text, ents, place, person):
    doc = run_with_ents("lv", text, ents)
    places = [m.normalized for m in mentions_in(doc, "nvo_places")]
    people = [m.text for m in mentions_in(doc, "nvo_entities") if m.type == "PERSON"]
    assert places == ([place] if place else [])
    assert people == ([person] if person else [])
    assert [s.text for s in doc.spans["nvo_places"]] == [m.text for m in mentions_in(doc, "nvo_places")]


def run_with_ents_first(lang, text, ents):
    """As a pipeline with a NER component: the model's entities are there before the rules run."""
    nlp = pipeline(lang)
    nlp.add_pipe("nvo_entities")
    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


@pytest.mark.parametrize(
    ("lang", "text", "ents", "rules_name", "model_name"),
    [
        # The capitalized run after the role would take the place too.
        (
            "lv",
            "Sēdi vadīja priekšsēdētājs Jānis Kalniņš Rīgā.",
            [(3, 5, "PERSON")],
            "Jānis Kalniņš Rīgā",
            "Jānis Kalniņš",
        ),
        # A hyphenated first name ends the run of plain words.
        ("lt", "Renginį atidarė merė Ona-Marija Kazlauskienė.", [(3, 7, "PERSON")], "Ona", "Ona-Marija Kazlauskienė"),
    ],
)
def test_entities_model_person_sets_the_officials_name(lang, text, ents, rules_name, model_name):
    def official_names(doc):
        return [m.text for m in mentions_in(doc, "nvo_officials") if m.type == "PERSON" and m.role]

    assert official_names(run_with_ents_first(lang, text, [])) == [rules_name]
    assert official_names(run_with_ents_first(lang, text, ents)) == [model_name]


def test_entities_model_organizations_take_their_kind_from_the_head_word():
    text = "Talku rīkoja Jauno zemnieku biedrība kopā ar Latvijas Banku un Swedbank."

    def found(doc):
        return [
            (m.type, m.normalized, m.organization_kind, m.method)
            for m in mentions_in(doc, "nvo_organizations", "nvo_entities")
        ]

    # The rules do not read "Jauno" (a definite adjective in the nominative) as part of a name: the model does.
    rules = [("ORGANIZATION", "Latvijas Banka", "government", "rules")]
    assert found(run_with_ents_first("lv", text, [])) == rules
    doc = run_with_ents_first("lv", text, [(2, 5, "ORG"), (7, 9, "ORG"), (10, 11, "ORG")])
    assert found(doc) == [
        ("ORGANIZATION", "Jauno zemnieku biedrība", "ngo", "model"),
        *rules,
        ("ORGANIZATION", "Swedbank", "other", "model"),
    ]
