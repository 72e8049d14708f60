"""A doc's token texts as plain Python values, computed once per doc and shared by the components."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.attrs import IDX, LOWER, ORTH, SPACY
from spacy.strings import StringStore
from spacy.tokens import Doc

_DIGITS = re.compile(r"\d+")
#: Strings by their spaCy hash, which is the same in every vocab: a ``StringStore`` decodes and allocates a
#: new ``str`` at every lookup, and news repeats its words. Cleared when full, as a run's vocabulary grows.
_STRINGS: dict[int, str] = {}
_CACHED_STRINGS = 2**18


@dataclass(frozen=True)
class TokenTable:
    """Token texts of a doc as plain tuples, computed once: components look up candidate positions
    (head words, capitalized words) here instead of each walking every spaCy token."""

    text: str  # the doc's text (``doc.text`` joins the tokens anew on every access)
    texts: tuple[str, ...]
    lowers: tuple[str, ...]  # lower-cased texts
    first: dict[str, int]  # lower-cased text -> index of its first token
    last: dict[str, int]  # lower-cased text -> index of its last token
    capitalized: tuple[int, ...]  # indices of tokens starting with an upper-case letter
    with_digits: tuple[int, ...]  # indices of tokens holding a digit
    offsets: tuple[int, ...]  # per token: character offset of its start

    def find(self, forms) -> list[int]:
        """Sorted indices of the tokens whose lower-cased text is one of ``forms``."""
        first, last, lowers = self.first, self.last, self.lowers
        found: list[int] = []
        for form in forms if len(forms) < len(first) else first.keys() & forms:
            at = first.get(form)
            if at is None:
                continue
            found.append(at)
            # Most forms asked for occur once; the others are found by scans in C between their first and last.
            while at != last[form]:
                at = lowers.index(form, at + 1)
                found.append(at)
        return sorted(found)


def token_table(doc: Doc) -> TokenTable:
    key = ("nvo_nlp.tokens", len(doc))
    cached = doc.user_data.get(key)
    if cached is None:
        # From the token arrays rather than spaCy Token objects, which are costly to create, and built by
        # calls that loop in C: a Python step per token made this table a tenth of the rule components' time.
        orths, lower_ids, spaces, offsets = doc.to_array([ORTH, LOWER, SPACY, IDX]).T.tolist()
        texts = _strings(orths, doc.vocab.strings)
        lowers = _strings(lower_ids, doc.vocab.strings)  # a lexeme's LOWER is its text's str.lower()
        indices = range(len(lowers))
        first = dict(zip(reversed(lowers), reversed(indices), strict=True))
        last = dict(zip(lowers, indices, strict=True))
        doc_text = "".join([word + " " if space else word for word, space in zip(texts, spaces, strict=True)])
        capitalized = tuple([index for index, text in enumerate(texts) if text[:1].isupper()])
        with_digits = tuple(sorted({bisect_right(offsets, m.start()) - 1 for m in _DIGITS.finditer(doc_text)}))
        cached = doc.user_data[key] = TokenTable(
            doc_text, texts, lowers, first, last, capitalized, with_digits, tuple(offsets)
        )
    return cached


def _strings(ids: list[int], strings: StringStore) -> tuple[str, ...]:
    found = list(map(_STRINGS.get, ids))
    if None in found:
        if len(_STRINGS) > _CACHED_STRINGS:
            _STRINGS.clear()
        for index in [index for index, text in enumerate(found) if text is None]:
            found[index] = _STRINGS[ids[index]] = strings[ids[index]]
    return tuple(found)
