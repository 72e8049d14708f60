"""People, places and NGOs found by a statistical NER model (``doc.ents``), combined with the rules.

The gazetteer and the rules stay authoritative; ``resolve`` decides each overlap of a model entity
with a rule mention, and the NER benchmark scores the same decision:

1. a model entity that overlaps no rule mention is kept;
2. a rule place nested strictly inside a longer model entity ("Latvijas" in "Latvijas Bankas",
   "Viļņa" in "Nila Viļņa") gives way to it in the flat entity layer, as the corpus annotates such
   places as inner entities; the place mention stays, unless the model entity is a person: a place
   inside a person's name is a surname;
3. any other overlap: the rule mention wins and the model entity is dropped, even where the rules
   only read a place from its case ending and the model calls the same word a person: on the dev
   gold set the model was wrong there more often ("Rendā", "Ēdolē") than right ("Sanī").

Model entities that win and overlap no remaining rule mention become mentions with method ``model``
(people and places only when they pass the checks rule-found names pass: capitalized words, no
acronyms or abbreviations, not quoted, no common word, institution or holiday):

- PERSON -> PERSON, the name put in the nominative as for rule-found people ("L. Gorbika" after
  "Lūcija Gorbika" is her);
- GPE -> PLACE (not a lone sentence-initial word), the last word put in the nominative (its case read
  from its ending, see ``places.place_nominative``), no id;
- ORG -> an organization of the kind its last word names (bendruomenė, biedrība, ministrija...: the
  head put in the nominative), or a one-word name of kind ``other``;
- LOC (rivers, lakes, regions), EVENT, PRODUCT and other labels are not used: events come from event
  words.

The officials extractor, which runs earlier, takes a model person right after a role word as the
official's name (``officials.OfficialExtractor._name_after``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from nvo_nlp.extract.gazetteer import default_gazetteer
from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.extract.mention import Mention, ascii_key
from nvo_nlp.extract.organizations import organization_mention, resolved_kind
from nvo_nlp.extract.people import is_foreign_name, person_nominative
from nvo_nlp.extract.places import place_nominative, starts_sentence
from nvo_nlp.extract.spans import SpanIndex, make_mention, mentions_in, mentions_key
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer

_QUOTES = {"„", "«", '"', "“"}
#: Components whose mentions win over an overlapping model entity.
RULE_GROUPS = ("nvo_places", "nvo_organizations", "nvo_projects", "nvo_officials")
_MODEL_CONFIDENCE = 0.7
#: NER label of a rule mention type (regions are LOC, see ``entity_of``).
RULE_LABELS = {
    "PERSON": "PERSON",
    "MUNICIPALITY": "ORG",
    "ORGANIZATION": "ORG",
    "COMPANY": "ORG",
    "COMMUNITY": "ORG",
    "COUNTRY": "GPE",
    "PLACE": "GPE",
}
_PLACE_LABELS = ("GPE", "LOC")


@dataclass(frozen=True)
class EntitySpan:
    """A named entity as character offsets, a label and who found it (``model`` or ``rules``)."""

    start: int
    end: int
    label: str
    source: str

    def contains(self, other: EntitySpan) -> bool:
        return (
            self.start <= other.start and other.end <= self.end and (self.start, self.end) != (other.start, other.end)
        )


@dataclass(frozen=True)
class Resolution:
    """The flat entity layer (text order) and the rule places the model overrules (rule 2, in a person)."""

    entities: tuple[EntitySpan, ...]
    overruled: frozenset[EntitySpan]


def entity_of(mention: Mention) -> EntitySpan | None:
    """The NER view of a rule mention, or None for types that are no named entity (dates, counts...)."""
    label = RULE_LABELS.get(mention.type)
    if label is None:
        return None
    if mention.type == "PLACE" and mention.entity_id:
        place = default_gazetteer().entity(mention.entity_id)
        label = "LOC" if place is not None and place.kind == "region" else label
    return EntitySpan(mention.start, mention.end, label, "rules")


def resolve(model: Iterable[EntitySpan], rules: Iterable[EntitySpan]) -> Resolution:
    """Combine model and rule entities by the policy in this module's docstring."""
    rules = sorted(set(rules), key=lambda e: (e.start, -e.end))
    index = SpanIndex(rules, bounds=lambda e: (e.start, e.end))
    kept, hidden, overruled = [], set(), set()
    for entity in model:
        overlapping = index.overlapping(entity.start, entity.end)
        nested = [r for r in overlapping if r.label in _PLACE_LABELS and entity.contains(r)]
        if len(nested) < len(overlapping):
            continue
        kept.append(entity)
        hidden.update(nested)
        if entity.label == "PERSON":
            overruled.update(nested)
    layer = kept + [rule for rule in rules if rule not in hidden]
    return Resolution(tuple(sorted(layer, key=lambda e: (e.start, -e.end))), frozenset(overruled))


class EntityExtractor:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lemmatizer = lookup_lemmatizer(lang)
        self.words = lexicon(lang)

    def __call__(self, doc: Doc) -> list[Mention]:
        rule_entities = [e for e in map(entity_of, mentions_in(doc, *RULE_GROUPS)) if e is not None]
        ents = doc.ents  # spaCy builds the spans anew at every access
        model = [EntitySpan(e.start_char, e.end_char, e.label_, "model") for e in ents]
        resolution = resolve(model, rule_entities)
        if resolution.overruled:
            self._drop_overruled(doc, resolution.overruled)
        remaining = mentions_in(doc, *RULE_GROUPS)
        people = {m.normalized.split()[-1]: m for m in remaining if m.type == "PERSON" and " " in m.normalized}
        winners = {(e.start, e.end) for e in resolution.entities if e.source == "model"}
        taken = SpanIndex(remaining, bounds=lambda m: (m.start, m.end))
        mentions = []
        for entity in ents:
            if (entity.start_char, entity.end_char) not in winners or not self._plausible_name(entity):
                continue
            if taken.overlapping(entity.start_char, entity.end_char):
                continue  # a nested place stays a mention of its own; the name around it adds nothing
            if entity.label_ == "PERSON":
                if (
                    len(entity) == 1
                    and starts_sentence(entity[0])
                    and entity[0].lower_ not in self.lemmatizer.proper_forms
                ):
                    continue  # "Kroņlukturim jauns spožums": a sentence's first word, no name the treebanks know
                name = person_nominative([t.text for t in entity], self.lang)
                # "L. Gorbika" after "Lūcija Gorbika": the same person.
                known = people.get(name.split()[-1]) if entity[0].text.endswith(".") else None
                name = known.normalized if known is not None else name
                mentions.append(self._mention(entity, "PERSON", name, "person:" + ascii_key(name)))
            elif entity.label_ == "GPE" and not (len(entity) == 1 and starts_sentence(entity[0])):
                mentions.append(self._mention(entity, "PLACE", self._place_nominative(entity), None))
        return mentions + self._organizations(ents, winners, taken)

    def _organizations(
        self, ents: tuple[Span, ...], winners: set[tuple[int, int]], taken: SpanIndex[Mention]
    ) -> list[Mention]:
        """Model ORG names the rules did not find: the kind from a head word the rules know
        ("... biedrība" is an NGO, "... ministrija" a state body), else ``other``; a one-word name
        (Swedbank, Maximas) is put in the nominative like a name."""
        found = []
        for entity in ents:
            if entity.label_ != "ORG" or (entity.start_char, entity.end_char) not in winners:
                continue
            if taken.overlapping(entity.start_char, entity.end_char):
                continue
            if not entity[0].text[:1].isupper() or not all(t.is_alpha for t in entity):
                continue
            reading = self.words.organization_name_heads.get(entity[-1].lower_)
            if reading is not None and len(entity) > 1:
                kind = reading.key
                normalized = f"{entity[:-1].text} {reading.lemma}"
            elif len(entity) == 1 and len(entity[0]) > 2:
                kind = "other"
                word = entity[0].text
                normalized = word if word.isupper() else self.lemmatizer.lemmatize(word)
                normalized = normalized[:1].upper() + normalized[1:]
            else:
                continue
            kind = resolved_kind(self.words, normalized, kind)
            if kind is not None:
                found.append(organization_mention(entity, normalized, kind, "model", _MODEL_CONFIDENCE))
        return found

    @staticmethod
    def _drop_overruled(doc: Doc, overruled: frozenset[EntitySpan]) -> None:
        """The one place a component edits another's mentions: rule places the model overrules."""
        for group in RULE_GROUPS:
            key = mentions_key(group)
            dropped = {(m.start, m.end, m.type) for m in doc.user_data.get(key, []) if entity_of(m) in overruled}
            if dropped:
                doc.user_data[key] = [m for m in doc.user_data[key] if (m.start, m.end, m.type) not in dropped]
                doc.spans[group] = [s for s in doc.spans[group] if (s.start_char, s.end_char, s.label_) not in dropped]

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
