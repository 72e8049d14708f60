"""Headcounts: a number (digits or words) directly followed by a counted noun ("22 svečiai iš Latvijos").

Requiring the counted noun right after the number is what keeps years, sums,
percentages, dates and ages out: "2025 m.", "100 eurų", "5 proc." and
"22 metų" are never followed by a noun such as svečiai or dalībnieki. One
person is not a headcount, nor are the dead and injured of an accident
(a sentence with žuvo, gāja bojā...).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from nvo_nlp.extract.lexicon import Lexicon, lexicon
from nvo_nlp.extract.mention import Mention
from nvo_nlp.extract.spans import make_mention, mention_starting_at, mentions_in
from nvo_nlp.nlp.tokens import token_table

_RANGE = re.compile(r"^(\d{1,6})\s*[–—-]\s*(\d{1,6})$")
_DASHES = {"–", "—", "-"}
_DECIMAL = re.compile(r"^\d{1,4}(?:[.,]\d{1,3})?$")
_ORIGIN_TYPES = ("PLACE", "COUNTRY", "MUNICIPALITY", "ORGANIZATION", "COMPANY", "COMMUNITY")
_PARTITIVE = {"lt": ("iš",), "lv": ("no",), "en": ("of",)}
_AT_LEAST = {"lt": ("ir", "daugiau"), "lv": ("un", "vairāk"), "en": ("or", "more")}
_SYMBOLS = {"exact": "", "approx": "~", "more_than": ">", "less_than": "<", "at_most": "≤"}


class HeadcountExtractor:
    def __init__(self, lang: str, words: Lexicon | None = None) -> None:
        self.lang = lang
        self.words = words or lexicon(lang)

    def __call__(self, doc: Doc) -> list[Mention]:
        origins = [m for m in mentions_in(doc, "nvo_places", "nvo_organizations") if m.type in _ORIGIN_TYPES]
        mentions = []
        table = token_table(doc)
        candidates = sorted({*table.with_digits, *table.find(self.words.number_words.keys())})
        next_free = 0  # first token not read as part of a number or headcount yet
        for i in candidates:
            if i < next_free:
                continue
            number = self._number_at(doc, i)
            if number is None:
                continue
            low, high, number_end = number
            whole = number_end + 1 if self._partitive_at(doc, number_end) else None
            if whole is not None:
                number_end += 2  # "1523 iš 2200 keleivių": the second number's noun counts the first too
            at_least = tuple(t.lower_ for t in doc[number_end : number_end + 2]) == _AT_LEAST.get(self.lang)
            noun_index = number_end + 2 if at_least else number_end
            if noun_index < len(doc) and doc[noun_index].lower_ not in self.words.counted_nouns:
                noun_index += 1  # one adjective may stand between: "30 jaunų dalyvių"
            if noun_index >= len(doc) or doc[noun_index].lower_ not in self.words.counted_nouns:
                next_free = number_end
                continue
            noun = self.words.counted_nouns[doc[noun_index].lower_]
            next_free = whole if whole is not None else noun_index + 1  # the whole is read next
            if low == 1 and high is None:
                continue
            start, qualifier = self._qualifier_before(doc, i)
            if at_least:
                qualifier = "more_than"  # "240 ir daugiau vaikų": 240 or more
            if high is not None:
                qualifier = "range"
            span = doc[start : noun_index + 1]
            origin = None
            if noun_index + 1 < len(doc) and doc[noun_index + 1].lower_ in self.words.origin_prepositions:
                origin = mention_starting_at(origins, doc[noun_index + 1].idx + len(doc[noun_index + 1]))
            normalized = f"{low}–{high}" if high is not None else f"{_SYMBOLS[qualifier]}{low}"
            mentions.append(
                make_mention(
                    span,
                    type="HEADCOUNT",
                    normalized=normalized,
                    method="rules",
                    confidence=0.9,
                    count=low,
                    count_max=high,
                    count_qualifier=qualifier,
                    counted_noun=noun.lemma,
                    origin=origin.normalized if origin else None,
                    origin_id=origin.entity_id if origin else None,
                )
            )
        return mentions

    def _partitive_at(self, doc: Doc, i: int) -> bool:
        """ "iš"/"no"/"of" and a number at token ``i``: the part of a whole ("1523 iš 2200")."""
        return i + 1 < len(doc) and doc[i].lower_ in _PARTITIVE.get(self.lang, ()) and doc[i + 1].text.isdigit()

    def _number_at(self, doc: Doc, i: int) -> tuple[int, int | None, int] | None:
        """(low, high or None, index after the number) for a number starting at token ``i``."""
        text = doc[i].text
        multiplier = self.words.number_multipliers.get(doc[i + 1].lower_) if i + 1 < len(doc) else None
        if multiplier is not None and _DECIMAL.match(text):
            return round(float(text.replace(",", ".")) * multiplier), None, i + 2  # "22,5 tūkstošiem"
        if (match := _RANGE.match(text)) is not None:
            return int(match.group(1)), int(match.group(2)), i + 1
        if text.isdigit():
            value = int(text)
            if i + 2 < len(doc) and doc[i + 1].text in _DASHES and doc[i + 2].text.isdigit():
                return value, int(doc[i + 2].text), i + 3
            if i > 0 and doc[i - 1].text in _DASHES and i > 1 and doc[i - 2].text.isdigit():
                return None  # second half of a range already read
            return value, None, i + 1
        words = self.words.number_words
        if doc[i].lower_ not in words:
            return None
        value, end = words[doc[i].lower_], i + 1
        # Compound numerals: "dvidešimt du" = 20 + 2.
        if value >= 20 and value % 10 == 0 and end < len(doc) and words.get(doc[end].lower_, 100) < 10:
            value += words[doc[end].lower_]
            end += 1
        return value, None, end

    def _qualifier_before(self, doc: Doc, i: int) -> tuple[int, str]:
        for phrase, qualifier in sorted(self.words.count_qualifiers.items(), key=lambda item: -len(item[0])):
            start = i - len(phrase)
            if start >= 0 and tuple(token.lower_ for token in doc[start:i]) == phrase:
                return start, qualifier
        return i, "exact"
