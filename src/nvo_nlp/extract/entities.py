"""People and places found by a statistical NER model (``doc.ents``), combined with the rules.

Policy: the gazetteer and the rules stay authoritative. An entity that overlaps a mention the rules
found (a municipality, a listed place, a titled official, a quoted organization) is dropped; the rest
become mentions of their own, with method ``model``:

- only names that pass the checks rule-found names pass: capitalized words, no acronyms or
  abbreviations, not quoted, no common word, institution or holiday;
- PERSON -> PERSON, the name put in the nominative as for rule-found people ("L. Gorbika" after
  "Lūcija Gorbika" is her);
- GPE -> PLACE (not a lone sentence-initial word), the last word put in the nominative (its case read from its ending, see
  ``places.place_nominative``), no id;
- LOC (rivers, lakes, regions), ORG, EVENT, PRODUCT and other labels are not used: organizations count only as NGOs named by a type
  word, which the rules find, and events come from event words.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.extract.mention import Mention, ascii_key
from nvo_nlp.extract.people import is_foreign_name, person_nominative
from nvo_nlp.extract.places import place_nominative, starts_sentence
from nvo_nlp.extract.spans import make_mention, mentions_in
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer

_QUOTES = {"„", "«", '"', "“"}
#: Components whose mentions win over an overlapping model entity.
RULE_GROUPS = ("nvo_places", "nvo_organizations", "nvo_projects", "nvo_officials")
_MODEL_CONFIDENCE = 0.7


class EntityExtractor:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lemmatizer = lookup_lemmatizer(lang)
        self.words = lexicon(lang)

    def __call__(self, doc: Doc) -> list[Mention]:
        rule_mentions = mentions_in(doc, *RULE_GROUPS)
        taken = [(m.start, m.end) for m in rule_mentions]
        people = {m.normalized.split()[-1]: m for m in rule_mentions if m.type == "PERSON" and " " in m.normalized}
        mentions = []
        for entity in doc.ents:
            if any(start < entity.end_char and entity.start_char < end for start, end in taken):
                continue
            if not self._plausible_name(entity):
                continue
            if entity.label_ == "PERSON":
                name = person_nominative([t.text for t in entity], self.lang)
                # "L. Gorbika" after "Lūcija Gorbika": the same person.
                known = people.get(name.split()[-1]) if entity[0].text.endswith(".") else None
                name = known.normalized if known is not None else name
                mentions.append(self._mention(entity, "PERSON", name, "person:" + ascii_key(name)))
            elif entity.label_ == "GPE" and not (len(entity) == 1 and starts_sentence(entity[0])):
                mentions.append(self._mention(entity, "PLACE", self._place_nominative(entity), None))
        return mentions

    def _plausible_name(self, entity: Span) -> bool:
        """The checks rule-found names pass too: capitalized words, not all capitals or abbreviations
        ("DUS", "Kr"), not quoted («Zvejnieki»: a house's name), none a word the treebank knows as a
        common word ("Svēto Rakstu"), the last no institution or holiday."""
        words = [t for t in entity if t.is_alpha]
        if not words or len(entity) > 4 or any(not t.text[:1].isupper() or t.text.isupper() for t in words):
            return False
        if len(words[-1]) < 3 or entity.doc[entity.start - 1 : entity.start].text in _QUOTES:
            return False
        if any(self.lemmatizer.is_common_word(t.text) for t in words):
            return False
        return self.lemmatizer.lemmatize(words[-1].text).lower() not in self.words.not_places

    def _mention(self, entity: Span, kind: str, normalized: str, entity_id: str | None) -> Mention:
        return make_mention(
            entity,
            type=kind,
            normalized=normalized,
            method="model",
            confidence=_MODEL_CONFIDENCE,
            entity_id=entity_id,
        )

    def _place_nominative(self, entity: Span) -> str:
        last = entity[-1].text
        if is_foreign_name(last, self.lang) or not last[:1].isupper() or self.lang not in ("lt", "lv"):
            return entity.text
        return " ".join([*(t.text for t in entity[:-1]), place_nominative(last, self.lang)])
