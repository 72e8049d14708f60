"""The sentences a NER model reads: those that can hold a name; its entities mapped back to the article."""

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

import nvo_nlp.nlp.components  # noqa: F401  (registers nvo_name_sentences_ner)
from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.nlp.gate import entities_back, name_sentences, sentences_doc
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer
from nvo_nlp.nlp.segment import set_sentence_starts

# (sentence, can it hold a name?) per language; English has no lexicon of common words, so a
# capitalized first word always may be a name there.
SENTENCES = {
    "lt": [
        ("Vakar jis buvo namie.", False),
        ("Vakar lankėsi Violeta Riaukienė.", True),
        ("Jis sakė: „labas“.", True),
        ("Riaukienė kalbėjo ilgai.", True),
        ("LRT apie tai rašė.", True),
        ("šiandien lyja.", False),
    ],
    "lv": [
        ("Vakar viņš bija mājās.", False),
        ("Vakar viesojās Jānis Džeriņš.", True),
        ("Viņš teica: „labdien“.", True),
        ("Džeriņš runāja ilgi.", True),
        ("Teātra izrāde bija laba.", True),  # an organization's head word: "Dailes teātris"
        ("šodien līst.", False),
    ],
    "en": [
        ("Yesterday he was at home.", True),
        ("the mayor spoke to Violeta Riaukienė.", True),
        ("he said: “hello”.", True),
        ("it rained all day.", False),
    ],
}


def _doc(lang: str) -> Doc:
    nlp = spacy.blank(lang)
    return set_sentence_starts(nlp.make_doc("\n".join(sentence for sentence, _ in SENTENCES[lang])))


def _chosen(doc: Doc) -> list[tuple[int, int]]:
    return name_sentences(doc, lookup_lemmatizer(doc.lang_).common_words, lexicon(doc.lang_).organization_name_heads)


@pytest.mark.parametrize("lang", SENTENCES)
def test_gate_name_sentences_keeps_the_sentences_that_can_hold_a_name(lang):
    doc = _doc(lang)
    kept = {doc[start:end].text.strip() for start, end in _chosen(doc)}
    assert kept == {sentence for sentence, can_hold in SENTENCES[lang] if can_hold}


@pytest.mark.parametrize("lang", SENTENCES)
def test_gate_sentences_doc_copies_the_chosen_sentences_and_maps_entities_back(lang):
    doc = _doc(lang)
    chosen = _chosen(doc)
    part, index = sentences_doc(doc, chosen)
    assert [token.text_with_ws for token in part] == [doc[i].text_with_ws for i in index]
    assert [token.norm_ for token in part] == [doc[i].norm_ for i in index]
    assert [start for start, _ in chosen] == [index[sentence.start] for sentence in part.sents]
    # A capitalized word after a sentence's first is a name here: mapped back, it is the same word.
    words = [token for token in part if token.text[:1].isupper() and not token.is_sent_start]
    part.ents = [Span(part, token.i, token.i + 1, label="PERSON") for token in words]
    back = entities_back(doc, part, index)
    assert [span.text for span in back] == [token.text for token in words]
    assert all(doc.text[span.start_char : span.end_char] == span.text for span in back)


def test_gate_entities_back_drops_an_entity_that_joins_two_copied_sentences():
    doc = _doc("lv")
    chosen = _chosen(doc)
    part, index = sentences_doc(doc, [chosen[0], chosen[2]])
    junction = next(sentence.start for sentence in part.sents if sentence.start > 0)
    part.ents = [Span(part, junction - 2, junction + 1, label="ORG")]
    assert entities_back(doc, part, index) == []


@Language.component("test_capitals_as_people")
def capitals_as_people(doc: Doc) -> Doc:
    """Stands in for a NER model: every capitalized word is a person, sentence-initial ones too."""
    doc.ents = [Span(doc, t.i, t.i + 1, label="PERSON") for t in doc if t.text[:1].isupper()]
    return doc


@pytest.mark.parametrize("lang", SENTENCES)
def test_gate_component_runs_the_model_on_the_name_sentences_in_any_batch(lang):
    nlp = spacy.blank(lang)
    nlp.add_pipe("test_capitals_as_people")
    nlp.disable_pipe("test_capitals_as_people")
    nlp.add_pipe("nvo_sentences")
    nlp.add_pipe("nvo_name_sentences_ner", config={"components": ["test_capitals_as_people"]})
    texts = [sentence for sentence, _ in SENTENCES[lang]]
    one_by_one = [nlp(text) for text in texts]
    batched = list(nlp.pipe(texts, batch_size=2))
    for text, can_hold, single, doc in zip(texts, [c for _, c in SENTENCES[lang]], one_by_one, batched, strict=True):
        assert [(e.start_char, e.end_char) for e in doc.ents] == [(e.start_char, e.end_char) for e in single.ents]
        capitalized = [token.text for token in doc if token.text[:1].isupper()]
        assert [e.text for e in doc.ents] == (capitalized if can_hold else [])  # skipped sentences: not read
        assert all(text[e.start_char : e.end_char] == e.text for e in doc.ents)
