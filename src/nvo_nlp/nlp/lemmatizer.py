"""Lemmatizer for Lithuanian and Latvian: treebank forms, a general dictionary, then learned word endings.

For each word, in order:

1. a capitalized word inside a sentence that the UD training treebank saw as a proper noun takes that
   proper-noun lemma ("Vidu" -> "Vida", where lower-case "vidu" is "vidus");
2. a form the treebank saw takes its most frequent lemma;
3. a common word (not capitalized inside a sentence) that simplemma's dictionary knows takes its lemma;
4. otherwise the rewrite learned for the longest known word ending, from proper nouns for capitalized
   words (endings of two or more letters) and from all treebank forms otherwise.

Tables are built by ``scripts/build_lexicon.py`` from the UD training treebanks only; the choice of
steps was measured on the dev treebanks by ``benchmarks/names.py``.
"""

from __future__ import annotations

import functools
import gzip
from importlib import resources

import simplemma

_MIN_PROPER_SUFFIX = 2
_CACHE_SIZE = 200_000
# Singular nominative endings of nouns, and the other cases' endings that end like them (Adamkus, gen.
# Adamkaus; Latvian -s, but genitive Kuldīgas). An unseen name inside a sentence reads as a nominative
# first: Latvian -a is also a man's genitive (Gunāra), but less often in the treebank.
_NOMINATIVE_ENDINGS = {
    "lt": (("as", "is", "ys", "us", "a", "ė"), ("aus",)),
    "lv": (("s", "š", "e", "a"), ("as", "es", "us", "ās", "ēs", "os", "ūs", "īs")),
}
_DICTIONARY_LANGUAGES = frozenset({"lt", "lv", "en"})


class LookupLemmatizer:
    def __init__(self, lang: str, *, dictionary: bool = True) -> None:
        """``dictionary=False`` leaves out simplemma (step 3), to measure what it adds."""
        self.lang = lang
        self._cache: dict[tuple[str, bool], str] = {}  # news repeats its words: most lookups are hits
        self.use_dictionary = dictionary and lang in _DICTIONARY_LANGUAGES
        self.forms: dict[str, str] = {}
        self.proper_forms: dict[str, str] = {}
        self.common_words: set[str] = set()
        self.rules: dict[str, dict[str, tuple[int, str]]] = {"common": {}, "proper": {}}
        self._max_suffix = 0
        base = resources.files("nvo_nlp").joinpath("data/lexicon")
        forms_file = base.joinpath(f"lemmas_{lang}.tsv.gz")
        if not forms_file.is_file():
            return
        for line in _lines(forms_file):
            form, lemma, upos = line.split("\t")
            if upos == "PROPN":
                self.proper_forms[form] = lemma
                self.forms.setdefault(form, lemma)
            else:
                self.common_words.add(form)
                self.forms[form] = lemma
        for line in _lines(base.joinpath(f"suffixes_{lang}.tsv.gz")):
            table, suffix, strip, append, _support = line.split("\t")
            self.rules[table][suffix] = (int(strip), append)
            self._max_suffix = max(self._max_suffix, len(suffix))

    def lemmatize(self, form: str, *, sentence_start: bool = False) -> str:
        key = (form, sentence_start)
        lemma = self._cache.get(key)
        if lemma is None:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            lemma = self._cache[key] = self._lemmatize(form, sentence_start)
        return lemma

    def _lemmatize(self, form: str, sentence_start: bool) -> str:
        lower = form.lower()
        capitalized = form[:1].isupper() and not form.isupper()
        inside_sentence = capitalized and not sentence_start
        if inside_sentence and lower in self.proper_forms:
            lemma = self.proper_forms[lower]
        elif lower in self.forms:
            lemma = self.forms[lower]
        elif not inside_sentence and self.use_dictionary and simplemma.is_known(lower, lang=self.lang):
            lemma = simplemma.lemmatize(lower, lang=self.lang)
        elif inside_sentence and self._reads_as_nominative(lower):
            lemma = lower  # an unseen name that already reads as a nominative: Artūras, Zuokas, Komsega
        elif capitalized:
            lemma = self._by_suffix(lower, "proper", _MIN_PROPER_SUFFIX) or self._by_suffix(lower, "common")
        else:
            lemma = self._by_suffix(lower, "common")
        if form[:1].isupper() and lemma[:1].islower():
            return lemma[:1].upper() + lemma[1:]
        return lemma

    def _reads_as_nominative(self, lower: str) -> bool:
        endings, genitives = _NOMINATIVE_ENDINGS.get(self.lang, ((), ()))
        return lower.endswith(endings) and not lower.endswith(genitives)

    def is_common_word(self, form: str) -> bool:
        """True when the treebank saw the lower-cased form as a common word (not a proper noun)."""
        return form.lower() in self.common_words

    def _by_suffix(self, lower: str, table: str, min_size: int = 0) -> str | None:
        rules = self.rules[table]
        for size in range(min(self._max_suffix, len(lower) - 1), min_size - 1, -1):
            rule = rules.get(lower[len(lower) - size :])
            if rule is not None:
                strip, append = rule
                return lower[: len(lower) - strip] + append
        return lower if min_size == 0 else None


def _lines(resource) -> list[str]:
    return gzip.decompress(resource.read_bytes()).decode("utf-8").splitlines()


@functools.cache
def lookup_lemmatizer(lang: str) -> LookupLemmatizer:
    return LookupLemmatizer(lang)
