"""Lookup lemmatizer: UD-derived form table, then learned suffix rewrites, then the form itself.

Tables are built by ``scripts/build_lexicon.py`` from the UD training treebanks.
"""

from __future__ import annotations

import functools
import gzip
from importlib import resources

_MAX_SUFFIX = 6
_MIN_SHARE = 0.5


class LookupLemmatizer:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.forms: dict[str, str] = {}
        self.common_words: set[str] = set()
        self.suffixes: dict[str, tuple[int, str]] = {}
        base = resources.files("nvo_nlp").joinpath("data/lexicon")
        forms_file = base.joinpath(f"lemmas_{lang}.tsv.gz")
        if not forms_file.is_file():
            return
        for line in gzip.decompress(forms_file.read_bytes()).decode("utf-8").splitlines():
            form, lemma, upos = line.split("\t")
            self.forms[form] = lemma
            if upos != "PROPN":
                self.common_words.add(form)
        for line in gzip.decompress(base.joinpath(f"suffixes_{lang}.tsv.gz").read_bytes()).decode("utf-8").splitlines():
            suffix, strip, append, _upos, _support, share = line.split("\t")
            if float(share) >= _MIN_SHARE:
                self.suffixes[suffix] = (int(strip), append)

    def lemmatize(self, form: str) -> str:
        lower = form.lower()
        lemma = self.forms.get(lower)
        if lemma is None:
            lemma = self._by_suffix(lower)
        if form[:1].isupper() and lemma[:1].islower():
            return lemma[:1].upper() + lemma[1:]
        return lemma

    def is_common_word(self, form: str) -> bool:
        """True when the treebank saw the lower-cased form as a common word (not a proper noun)."""
        return form.lower() in self.common_words

    def _by_suffix(self, lower: str) -> str:
        for size in range(min(_MAX_SUFFIX, len(lower) - 1), 1, -1):
            rule = self.suffixes.get(lower[-size:])
            if rule is not None:
                strip, append = rule
                return lower[: len(lower) - strip] + append
        return lower


@functools.cache
def lookup_lemmatizer(lang: str) -> LookupLemmatizer:
    return LookupLemmatizer(lang)
