"""People and places found by a statistical NER model (``doc.ents``), combined with the rules.

Policy: the gazetteer and the rules stay authoritative. An entity that overlaps a mention the rules
found (a municipality, a listed place, a titled official, a quoted organization) is dropped; the rest
become mentions of their own, with method ``model``:

- PERSON -> PERSON, the name put in the nominative as for rule-found people;
- GPE, LOC -> PLACE when it passes the checks rule-found places pass (capitalized words, not a
  common word, institution or holiday), the last word put in the nominative (its case read from its ending, see
  ``places.place_nominative``), no id;
- ORG, EVENT, PRODUCT and other labels are not used: organizations count only as NGOs named by a type
  word, which the rules find, and events come from event words.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.extract.mention import Mention, ascii_key
from nvo_nlp.extract.people import is_foreign_name, person_nominative
from nvo_nlp.extract.places import place_nominative
from nvo_nlp.extract.spans import make_mention, mentions_in
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer

#: Components whose mentions win over an overlapping model entity.
RULE_GROUPS = ("nvo_places", "nvo_organizations", "nvo_projects", "nvo_officials")
_MODEL_CONFIDENCE = 0.7


class EntityExtractor:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lemmatizer = lookup_lemmatizer(lang)
        self.words = lexicon(lang)

    def __call__(self, doc: Doc) -> list[Mention]:
        taken = [(m.start, m.end) for m in mentions_in(doc, *RULE_GROUPS)]
        mentions = []
        for entity in doc.ents:
            if any(start < entity.end_char and entity.start_char < end for start, end in taken):
                continue
            if entity.label_ == "PERSON" and len(entity) <= 4:
                name = person_nominative([t.text for t in entity], self.lang)
                mentions.append(self._mention(entity, "PERSON", name, "person:" + ascii_key(name)))
            elif entity.label_ in ("GPE", "LOC") and self._plausible_place(entity):
                mentions.append(self._mention(entity, "PLACE", self._place_nominative(entity), None))
        return mentions

    def _plausible_place(self, entity: Span) -> bool:
        """The checks rule-found places pass too: every word capitalized (not "Pūriņu ielā"), and the
        last neither a word the treebank knows as a common word nor an institution or holiday."""
        if not all(t.text[:1].isupper() for t in entity if t.is_alpha):
            return False
        last = entity[-1].text
        if self.lemmatizer.is_common_word(last):
            return False
        return self.lemmatizer.lemmatize(last).lower() not in self.words.not_places

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
