"""What a NER model reads: the sentences that can hold a name, or windows around their name words; its
entities mapped back to the article."""

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

import nvo_nlp.nlp.components  # noqa: F401  (registers nvo_name_sentences_ner)
from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.extract.spans import make_mention, mentions_key
from nvo_nlp.nlp.backends import bundled_ner
from nvo_nlp.nlp.gate import context_reach, entities_back, name_windows, sentences_doc, settled_tokens
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer
from nvo_nlp.nlp.segment import set_sentence_starts

# (sentence, can it hold a name?) per language; English has no lexicon of common words, so a
# capitalized first word always may be a name there.
SENTENCES = {
    "lt": [
        ("Vakar jis buvo namie.", False),
        ("Vakar lankėsi Violeta Riaukienė.", True),
        ("Jis sakė: „labas“.", False),  # quoted, but no capital: no name kept
        ("Jis skaitė „Lietuvos rytą“.", True),
        ("Riaukienė kalbėjo ilgai.", True),
        ("LRT apie tai rašė.", True),
        ("šiandien lyja.", False),
    ],
    "lv": [
        ("Vakar viņš bija mājās.", False),
        ("Vakar viesojās Jānis Džeriņš.", True),
        ("Viņš teica: „labdien“.", False),  # quoted, but no capital: no name kept
        ("Viņš lasīja „Latvijas Avīzi“.", True),
        ("Džeriņš runāja ilgi.", True),
        ("Teātra izrāde bija laba.", True),  # an organization's head word: "Dailes teātris"
        ("šodien līst.", False),
    ],
    "en": [
        ("Yesterday he was at home.", True),
        ("the mayor spoke to Violeta Riaukienė.", True),
        ("he said: “hello”.", False),  # quoted, but no capital: no name kept
        ("he read “The Baltic Times”.", True),
        ("it rained all day.", False),
    ],
}


def _doc(lang: str) -> Doc:
    nlp = spacy.blank(lang)
    return set_sentence_starts(nlp.make_doc("\n".join(sentence for sentence, _ in SENTENCES[lang])))


def _chosen(doc: Doc, settled: frozenset[int] = frozenset(), reach: int | None = None) -> list[tuple[int, int]]:
    words = lookup_lemmatizer(doc.lang_).common_words
    return name_windows(doc, words, lexicon(doc.lang_).organization_name_heads, settled, reach)


@pytest.mark.parametrize("lang", SENTENCES)
def test_gate_name_windows_are_the_sentences_that_can_hold_a_name_without_a_reach(lang):
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


def _capitals_as_people_pipeline(lang: str, *rules: str) -> Language:
    """nvo_sentences, the components ``rules``, then the stand-in model run by nvo_name_sentences_ner."""
    nlp = spacy.blank(lang)
    nlp.add_pipe("test_capitals_as_people")
    nlp.disable_pipe("test_capitals_as_people")
    for name in ("nvo_sentences", *rules):
        nlp.add_pipe(name)
    config = {"components": ["test_capitals_as_people"], "settled_by": list(rules)}
    nlp.add_pipe("nvo_name_sentences_ner", config=config)
    return nlp


@pytest.mark.parametrize("lang", SENTENCES)
def test_gate_component_runs_the_model_on_the_name_sentences_in_any_batch(lang):
    nlp = _capitals_as_people_pipeline(lang)
    texts = [sentence for sentence, _ in SENTENCES[lang]]
    one_by_one = [nlp(text) for text in texts]
    batched = list(nlp.pipe(texts, batch_size=2))
    for text, can_hold, single, doc in zip(texts, [c for _, c in SENTENCES[lang]], one_by_one, batched, strict=True):
        assert [(e.start_char, e.end_char) for e in doc.ents] == [(e.start_char, e.end_char) for e in single.ents]
        capitalized = [token.text for token in doc if token.text[:1].isupper()]
        assert [e.text for e in doc.ents] == (capitalized if can_hold else [])  # skipped sentences: not read
        assert all(text[e.start_char : e.end_char] == e.text for e in doc.ents)


# Per language: sentences with a place the rules settle (set below by test_places_of_the_rules), and whether a
# name is left for the model once it is settled.
SETTLED = {
    "lt": [("Vakar lankėsi Klaipėdoje.", False), ("Klaipėdoje lankėsi Violeta Riaukienė.", True)],
    "lv": [("Vakar viesojās Liepājā.", False), ("Liepājā viesojās Jānis Džeriņš.", True)],
    "en": [("the mayor went to London.", False), ("the mayor went to London with Violeta Riaukienė.", True)],
}
_SETTLED_PLACES = {"Klaipėdoje", "Liepājā", "London"}


@Language.component("test_places_of_the_rules")
def places_of_the_rules(doc: Doc) -> Doc:
    """Stands in for the rule components: the places of _SETTLED_PLACES as their mentions."""
    spans = [doc[t.i : t.i + 1] for t in doc if t.text in _SETTLED_PLACES]
    doc.user_data[mentions_key("test_places_of_the_rules")] = [
        make_mention(span, type="PLACE", normalized=span.text, method="rules") for span in spans
    ]
    return doc


@pytest.mark.parametrize("lang", SETTLED)
def test_gate_name_windows_leave_out_sentences_whose_names_the_rules_settled(lang):
    nlp = spacy.blank(lang)
    nlp.add_pipe("nvo_sentences")
    nlp.add_pipe("test_places_of_the_rules")
    doc = nlp("\n".join(sentence for sentence, _ in SETTLED[lang]))
    settled = settled_tokens(doc, ["test_places_of_the_rules"])
    assert sorted(doc[i].text for i in settled) == sorted(t.text for t in doc if t.text in _SETTLED_PLACES)
    assert len(_chosen(doc)) == len(SETTLED[lang])  # unsettled, each place may be a name
    kept = {doc[start:end].text.strip() for start, end in _chosen(doc, frozenset(settled))}
    assert kept == {sentence for sentence, left in SETTLED[lang] if left}


@pytest.mark.parametrize("lang", SETTLED)
def test_gate_component_skips_the_sentences_the_rules_settled(lang):
    nlp = _capitals_as_people_pipeline(lang, "test_places_of_the_rules")
    doc = nlp("\n".join(sentence for sentence, _ in SETTLED[lang]))
    # The sentence left is read whole, its settled place too: the rules win that overlap later.
    read = [sentence for sentence, left in SETTLED[lang] if left]
    assert [e.text for e in doc.ents] == [word.strip(".") for word in read[0].split() if word[:1].isupper()]


# Per language: a text, and with a reach of one word the windows around its name words (in words).
WINDOWS = {
    "lt": (
        "Vakar mūsų rajone lankėsi Violeta Riaukienė su kolegomis iš Klaipėdos.\nRiaukienė kalbėjo ilgai apie tai.",
        ["lankėsi Violeta Riaukienė su", "iš Klaipėdos.", "\nRiaukienė kalbėjo"],
    ),
    "lv": (
        "Vakar mūsu novadā viesojās Jānis Džeriņš ar kolēģiem no Liepājas.\nDžeriņš runāja ilgi par to.",
        ["viesojās Jānis Džeriņš ar", "no Liepājas.", "\nDžeriņš runāja"],
    ),
    "en": (
        "the mayor of our town met Violeta Riaukienė and her team from Klaipėda.\nRiaukienė spoke for long.",
        ["met Violeta Riaukienė and", "from Klaipėda.", "\nRiaukienė spoke"],
    ),
}


@pytest.mark.parametrize("lang", WINDOWS)
def test_gate_name_windows_hold_each_name_word_with_its_reach_and_the_mark_before_a_sentence(lang):
    text, expected = WINDOWS[lang]
    doc = set_sentence_starts(spacy.blank(lang).make_doc(text))
    windows = _chosen(doc, reach=1)
    # The second sentence opens with a name: its window holds the line break before it, as the model
    # reads a sentence's first word after what ended the one before.
    assert [doc[start:end].text for start, end in windows] == expected
    assert _chosen(doc, reach=100) == _chosen(doc)  # a reach past the sentence: whole sentences


def test_gate_context_reach_is_read_from_the_model_configs():
    bundled = spacy.load(bundled_ner("lv"))
    configs = [bundled.get_pipe_config(name) for name in bundled.pipe_names]
    encoder = configs[0]["model"]["encode"]
    assert context_reach(configs) == encoder["depth"] * encoder["window_size"] == 3
    wider = {"model": {**configs[0]["model"], "encode": {**encoder, "depth": 4, "window_size": 2}}}
    assert context_reach([wider, configs[1]]) == 8
    transformer = {"model": {"@architectures": "spacy-transformers.TransformerModel.v3", "name": "xlm-roberta-base"}}
    assert context_reach([transformer, configs[1]]) is None  # attention reads the whole text
    assert context_reach([{"factory": "test_capitals_as_people"}]) is None  # no model: unknown


@Language.component("test_earlier_backend")
def earlier_backend(doc: Doc) -> Doc:
    """Stands in for stanza's NER, which runs before the model: the first word of a doc saying "ORG"."""
    if "ORG" in doc.text:
        doc.ents = [Span(doc, 0, 1, label="ORG")]
    return doc


@pytest.mark.parametrize("lang", SETTLED)
def test_gate_component_keeps_the_entities_an_earlier_backend_set(lang):
    nlp = _capitals_as_people_pipeline(lang, "test_earlier_backend")
    texts = [sentence for sentence, _ in SETTLED[lang]]
    docs = list(nlp.pipe([texts[1], f"{texts[1]} ORG"], batch_size=2))
    assert {e.label_ for e in docs[0].ents} == {"PERSON"}  # read by the model
    assert [(e.text, e.label_) for e in docs[1].ents] == [(docs[1][0].text, "ORG")]  # kept, unread
