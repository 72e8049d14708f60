"""Officials: role word + person name, with the organization named before the role.

"Klaipėdos rajono savivaldybės vicemerė Violeta Riaukienė" yields a ROLE
mention (vicemerė, vice_mayor, organization LT-21) and a PERSON mention whose
name is put in the nominative using the case the role word is in.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from nvo_nlp.extract.gazetteer import Gazetteer, default_gazetteer
from nvo_nlp.extract.lexicon import FormReading, Lexicon, lexicon
from nvo_nlp.extract.mention import Mention, ascii_key
from nvo_nlp.extract.people import person_nominative
from nvo_nlp.extract.spans import make_mention, mention_ending_at, mentions_in
from nvo_nlp.nlp.morph import inflect

_MAX_NAME_TOKENS = 3
_ORGANIZATION_TYPES = ("MUNICIPALITY", "ORGANIZATION", "COMMUNITY", "PLACE")


class OfficialExtractor:
    def __init__(
        self,
        vocab: Vocab,
        make_doc: Callable[[str], Doc],
        lang: str,
        words: Lexicon | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.lang = lang
        self.words = words or lexicon(lang)
        self.gazetteer = gazetteer or default_gazetteer()
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        patterns = {form: make_doc(form) for form in self.words.roles}
        self.matcher.add("ROLE", list(patterns.values()))
        # Keyed by tokens as the tokenizer splits them ("vice-mayor" is three tokens).
        self.readings = {_key(doc): self.words.roles[form] for form, doc in patterns.items()}

    def __call__(self, doc: Doc) -> list[Mention]:
        earlier = [m for m in mentions_in(doc, "nvo_places", "nvo_organizations") if m.type in _ORGANIZATION_TYPES]
        mentions: list[Mention] = []
        for role_span in filter_spans(self.matcher(doc, as_spans=True)):
            reading = self.readings.get(_key(role_span))
            if reading is None:
                continue
            name = self._name_after(doc, role_span)
            organization, organization_id = self._organization_before(role_span, earlier)
            person = self.nominative_name(name, reading) if name is not None else None
            person_id = "person:" + ascii_key(person) if person else None
            mentions.append(
                make_mention(
                    role_span,
                    type="ROLE",
                    normalized=reading.lemma,
                    method="rules",
                    role=reading.lemma,
                    role_id=reading.key,
                    organization=organization,
                    organization_id=organization_id,
                    person=person,
                    entity_id=person_id,
                )
            )
            if name is not None:
                mentions.append(
                    make_mention(
                        name,
                        type="PERSON",
                        normalized=person,
                        method="rules",
                        confidence=0.9,
                        entity_id=person_id,
                        role=reading.lemma,
                        role_id=reading.key,
                        organization=organization,
                        organization_id=organization_id,
                    )
                )
        return mentions + self._later_mentions(doc, mentions)

    def _later_mentions(self, doc: Doc, found: list[Mention]) -> list[Mention]:
        """Later "G. Viliūnas" / "Viliūnui" mentions of a person named in full, merged into that person."""
        taken = {(m.start, m.end) for m in found}
        people = {m.entity_id: m for m in found if m.type == "PERSON" and m.entity_id and " " in m.normalized}
        surnames: dict[str, Mention] = {}
        for person in people.values():
            surname = person.normalized.split()[-1]
            for form in {surname, *inflect(surname, self.lang).values()}:
                surnames.setdefault(form.lower(), person)
        later = []
        for token in doc:
            person = surnames.get(token.lower_)
            if person is None or not token.text[:1].isupper() or token.idx < person.start:
                continue
            start = token.i
            initial = doc[token.i - 1] if token.i > 0 else None
            if initial is not None and initial.text.endswith(".") and initial.text[:1] == person.normalized[:1]:
                start = token.i - 1  # "G. Viliūnas", "Dz. Lezdiņa"
            span = doc[start : token.i + 1]
            if any(s <= span.start_char < e or s < span.end_char <= e for s, e in taken):
                continue
            taken.add((span.start_char, span.end_char))
            later.append(
                make_mention(
                    span,
                    type="PERSON",
                    normalized=person.normalized,
                    method="coreference",
                    confidence=0.8,
                    entity_id=person.entity_id,
                    role=person.role,
                    role_id=person.role_id,
                    organization=person.organization,
                    organization_id=person.organization_id,
                )
            )
        return later

    def _name_after(self, doc: Doc, role: Span) -> Span | None:
        end = role.end
        while end < len(doc) and end - role.end < _MAX_NAME_TOKENS and _is_name_token(doc[end]):
            end += 1
        if end == role.end or (end - role.end == 1 and doc[role.end].text.endswith(".")):
            return None  # nothing, or an initial alone
        return doc[role.end : end]

    def _organization_before(self, role: Span, earlier: list[Mention]) -> tuple[str | None, str | None]:
        mention = mention_ending_at(earlier, role.start_char)
        if mention is None:
            # The role phrase itself may start with the body ("Liepājas domes priekšsēdētājs").
            mention = next((m for m in earlier if m.start < role.start_char < m.end <= role.end_char), None)
        if mention is None:
            return None, None
        if mention.type == "PLACE" and mention.entity_id:
            # "Liepojos miesto vicemeras": the place stands for its municipality.
            municipality = self.gazetteer.municipality_of(mention.entity_id)
            if municipality is not None:
                return municipality.label(self.lang), municipality.id
        return mention.normalized, mention.entity_id

    def nominative_name(self, name: Span, role: FormReading) -> str:
        """The name in the nominative, using the case and gender the role word shows."""
        return person_nominative([token.text for token in name], self.lang, case=role.case, gender=role.gender)


def _key(tokens) -> str:
    return " ".join(token.lower_ for token in tokens)


def _is_name_token(token) -> bool:
    text = token.text
    if len(text) == 2 and text[0].isupper() and text[1] == ".":
        return True  # initial
    return text[:1].isupper() and token.is_alpha and not text.isupper()
