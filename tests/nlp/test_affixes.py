import random
import re
from types import SimpleNamespace

import pytest
import spacy

from conftest import SAMPLES
from nvo_nlp.nlp.affixes import skip_hopeless_affix_searches

LANGUAGES = ["lt", "lv", "en", "xx"]
# Words where one of spaCy's affix expressions matches, and near misses of each.
TRICKY = """
Klaipėdos rajone, Liepājā. Violetos Riaukienės „Stiprios bendruomenės“ (nuotr.) vicemērs Jānis
5km 10kg. 3,5 5-6 18:00 5°C 22% US$ $5 €5 it's Jānis's don't a.b U.S. e.g. ...
(2024) [1] {x} «a» “b” ‘c’ x/y a+b 2*3 2^3 a=b a<b –– — - ' "
mail@example.com http://x.lt/a www.krs.lt km kg s m ² 🙂 中文 ™
"""
ENDINGS = ["", "x\n", "5\n", "a.\n"]  # "$" also matches before a final line break
_POOL = [
    *"abcžėšąįųūčāēīķļņģ АБгм0123456789",
    *".,;:!?()[]{}<>\"'’‘“”„«»-–—/\\+*^%$€£°&@#_=~…·",
    "km",
    "kg",
    "'s",
    "n't",
    "\n",
    "🙂",
    "中",
    "™",
    "²",
]


def _words() -> list[str]:
    generator = random.Random(7)
    fuzz = ["".join(generator.choice(_POOL) for _ in range(generator.randint(0, 10))) for _ in range(3000)]
    samples = [word for path in sorted(SAMPLES.iterdir()) for word in path.read_text(encoding="utf-8").split()]
    return [*TRICKY.split(), *ENDINGS, *samples, *fuzz]


def _span(match):
    return None if match is None else (match.span(), match.group())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_affixes_answers_equal_spacys(lang):
    tokenizer = spacy.blank(lang).tokenizer
    skip_hopeless_affix_searches(tokenizer)
    prefix, suffix, infix = tokenizer.prefix_search, tokenizer.suffix_search, tokenizer.infix_finditer
    for quick in (prefix, suffix, infix):
        assert type(quick.__self__).__name__.startswith("_Quick")  # replaced, so the comparison means something
    for word in _words():
        assert _span(prefix(word)) == _span(prefix.__self__._search(word)), word
        assert _span(suffix(word)) == _span(suffix.__self__._search(word)), word
        assert [_span(m) for m in infix(word)] == [_span(m) for m in infix.__self__._finditer(word)], word


@pytest.mark.parametrize("lang", ["lt", "lv", "en"])
def test_affixes_plain_words_skip_the_expressions(lang):
    tokenizer = spacy.blank(lang).tokenizer
    skip_hopeless_affix_searches(tokenizer)
    asked: list[str] = []
    for quick in (tokenizer.prefix_search, tokenizer.suffix_search):
        original = quick.__self__._search
        quick.__self__._search = lambda text, original=original: asked.append(text) or original(text)
    original_finditer = tokenizer.infix_finditer.__self__._finditer
    tokenizer.infix_finditer.__self__._finditer = lambda text: asked.append(text) or original_finditer(text)
    for word in ("Klaipėdos", "Liepājā", "vicemērs", "bendruomenės"):
        assert tokenizer.prefix_search(word) is None
        assert tokenizer.suffix_search(word) is None
        assert list(tokenizer.infix_finditer(word)) == []
    assert asked == []
    assert tokenizer.suffix_search("5km").group() == "km"  # a unit after a digit still splits off
    assert [token.text for token in tokenizer("Sveiki, 5km (x).")] == ["Sveiki", ",", "5", "km", "(", "x", ")", "."]
    assert "5km" in asked


def test_affixes_expressions_the_checks_cannot_read_stay_as_they_are():
    searches = SimpleNamespace(
        prefix_search=re.compile("^a|b", re.IGNORECASE).search,  # "b" is not anchored; case-insensitive
        suffix_search=re.compile(r"\w$").search,  # a category: any letter
        infix_finditer=re.compile(r"-*").finditer,  # can match nothing at all
    )
    before = dict(vars(searches))
    skip_hopeless_affix_searches(searches)
    assert vars(searches) == before


@pytest.mark.parametrize("lang", LANGUAGES)
def test_affixes_tokenizer_still_serializes(lang):
    tokenizer = spacy.blank(lang).tokenizer
    skip_hopeless_affix_searches(tokenizer)
    restored = spacy.blank(lang).tokenizer.from_bytes(tokenizer.to_bytes())
    assert restored.suffix_search.__self__.pattern == tokenizer.suffix_search.__self__.pattern
    text = "Klaipėdos rajone, 5km (2024) U.S."
    assert [t.text for t in restored(text)] == [t.text for t in tokenizer(text)]
