"""The token table shared by the components: token texts, and where each lower-cased form occurs."""

import pytest
import spacy

from nvo_nlp.nlp.tokens import token_table

TEXTS = {
    "lt": "Klaipėdos rajono meras ir Liepojos meras susitiko. MERAS kalbėjo, o meras klausė 2024 m.",
    "lv": "Liepājas mērs un Klaipēdas mērs tikās. MĒRS runāja, bet mērs klausījās 2024. gadā.",
    "en": "The mayor of Klaipėda and the mayor of Liepāja met. MAYOR spoke, the mayor listened in 2024.",
}


def _expected(doc, forms) -> list[int]:
    return [token.i for token in doc if token.lower_ in forms]


@pytest.mark.parametrize("lang", TEXTS)
def test_tokens_find_gives_every_occurrence_of_each_form_in_order(lang):
    doc = spacy.blank(lang)(TEXTS[lang])
    table = token_table(doc)
    repeated = max({token.lower_ for token in doc}, key=lambda form: sum(t.lower_ == form for t in doc))
    once = next(token.lower_ for token in doc if sum(t.lower_ == token.lower_ for t in doc) == 1)
    assert sum(token.lower_ == repeated for token in doc) >= 4  # the mayor, in three cases of writing
    vocabulary = {token.lower_ for token in doc} | {f"absent{i}" for i in range(100)}
    for forms in (
        {repeated},
        frozenset({repeated, once, "absent"}),
        dict.fromkeys([once, repeated]).keys(),
        vocabulary,  # more forms than the doc has: read the other way round
        set(),
    ):
        assert table.find(forms) == _expected(doc, forms)


@pytest.mark.parametrize("lang", TEXTS)
def test_tokens_table_holds_the_docs_text_and_its_capitalized_and_numeric_tokens(lang):
    doc = spacy.blank(lang)(TEXTS[lang])
    table = token_table(doc)
    assert table.text == doc.text
    assert table.texts == tuple(token.text for token in doc)
    assert table.offsets == tuple(token.idx for token in doc)
    assert table.capitalized == tuple(token.i for token in doc if token.text[:1].isupper())
    assert table.with_digits == tuple(token.i for token in doc if any(ch.isdigit() for ch in token.text))
    assert token_table(doc) is table  # made once per doc


@pytest.mark.parametrize("lang", TEXTS)
def test_tokens_texts_and_lowers_are_the_same_from_a_full_string_cache(lang, monkeypatch):
    from nvo_nlp.nlp import tokens

    # A cache that fills up after a few strings is cleared and filled again: every table stays right.
    monkeypatch.setattr(tokens, "_CACHED_STRINGS", 5)
    monkeypatch.setattr(tokens, "_STRINGS", {})
    nlp = spacy.blank(lang)
    for text in (TEXTS[lang], TEXTS[lang].upper(), "İstanbul ΣΟΦΙΑ Straße " + TEXTS[lang]):
        doc = nlp(text)
        table = token_table(doc)
        assert table.texts == tuple(token.text for token in doc)
        assert table.lowers == tuple(token.text.lower() for token in doc)
        assert len(tokens._STRINGS) <= 2 * len(doc) + 5
