import pytest

from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer
from nvo_nlp.nlp.morph import inflect, nominative_candidates


@pytest.mark.parametrize(
    ("lemma", "lang", "case", "form"),
    [
        ("bendruomenė", "lt", "sg_loc", "bendruomenėje"),
        ("svečias", "lt", "pl_nom", "svečiai"),
        ("svečias", "lt", "sg_loc", "svečyje"),
        ("rugsėjis", "lt", "sg_gen", "rugsėjo"),
        ("rajonas", "lt", "sg_loc", "rajone"),
        ("dalībnieks", "lv", "pl_gen", "dalībnieku"),
        ("Liepāja", "lv", "sg_loc", "Liepājā"),
        ("novads", "lv", "sg_loc", "novadā"),
    ],
)
def test_morph_inflect_generates_case_forms(lemma, lang, case, form):
    assert inflect(lemma, lang)[case] == form


def test_morph_inflect_plural_only_names():
    assert inflect("Dauparai", "lt", plural=True)["pl_gen"] == "Dauparų"


@pytest.mark.parametrize(
    ("form", "lang", "case", "gender", "nominative"),
    [
        ("Riaukienės", "lt", "sg_gen", "f", "Riaukienė"),
        ("Violetos", "lt", "sg_gen", "f", "Violeta"),
        ("Manto", "lt", "sg_gen", "m", "Mantas"),
        ("Adomėno", "lt", "sg_gen", "m", "Adomėnas"),
        ("Dalios", "lt", "sg_gen", "f", "Dalia"),
        ("Liepājas", "lv", "sg_gen", "f", "Liepāja"),
    ],
)
def test_morph_nominative_candidates_include_the_lemma(form, lang, case, gender, nominative):
    first = next(n for n, c, g in nominative_candidates(form, lang) if c == case and g == gender)
    assert first == nominative


@pytest.mark.parametrize(
    ("lang", "form", "lemma"),
    [
        ("lt", "dieną", "diena"),
        ("lt", "svečiai", "svečias"),
        ("lv", "novadā", "novads"),
        ("lv", "dalībnieku", "dalībnieks"),
    ],
)
def test_lemmatizer_lookup_from_ud_tables(lang, form, lemma):
    assert lookup_lemmatizer(lang).lemmatize(form) == lemma


def test_lemmatizer_keeps_capitalization_of_names():
    assert lookup_lemmatizer("lt").lemmatize("Liepojos") == "Liepoja"


@pytest.mark.parametrize(
    ("lang", "form", "sentence_start", "lemma"),
    [
        # An unseen Lithuanian name inside a sentence that already reads as a nominative stays as it is.
        ("lt", "Zuokas", False, "Zuokas"),
        ("lt", "Komsega", False, "Komsega"),
        # ... but not a genitive that ends like one (-aus), nor a word at the start of a sentence.
        ("lt", "Adamkaus", False, "Adamkus"),
        # A capitalized word inside a sentence that the treebank saw as a proper noun takes that lemma.
        ("lv", "Balvu", False, "Balvi"),
        ("lv", "balvu", False, "balva"),
        ("lv", "Balvu", True, "Balva"),
    ],
)
def test_lemmatizer_proper_nouns_inside_sentences(lang, form, sentence_start, lemma):
    assert lookup_lemmatizer(lang).lemmatize(form, sentence_start=sentence_start) == lemma
