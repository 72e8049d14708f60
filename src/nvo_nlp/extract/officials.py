"""Officials and other people: role word + person name, with the organization named before the role.

"Klaipėdos rajono savivaldybės vicemerė Violeta Riaukienė" yields a ROLE
mention (vicemerė, vice_mayor, organization LT-21) and a PERSON mention whose
name is put in the nominative using the case the role word is in. People named
without a role ("Danutė Čornij", "A. Bagdonas") are PERSON mentions without a
role: two or three capitalized words inside a sentence that the treebank does
not know as common words and no place or organization covers. Later mentions
("G. Viliūnas", "Viliūnui", in Latvian also the first name alone) are merged
into the person named in full.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from nvo_nlp.extract.gazetteer import Gazetteer, default_gazetteer
from nvo_nlp.extract.lexicon import FormReading, Lexicon, lexicon
from nvo_nlp.extract.mention import Mention, ascii_key
from nvo_nlp.extract.people import is_known_first_name, is_known_name_form, person_nominative
from nvo_nlp.extract.places import starts_sentence
from nvo_nlp.extract.spans import SpanIndex, make_mention, mention_ending_at, mentions_in, quoted_spans, text_lines
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer
from nvo_nlp.nlp.morph import inflect
from nvo_nlp.nlp.tokens import token_table

_MAX_NAME_TOKENS = 3
_NAME_CACHE_SIZE = 100_000
_CONJUNCTIONS = ("ir", "un", "and")
# Words of a unit between an organization and a role ("Reklāmas un sabiedrisko attiecību daļas").
_MAX_UNIT_WORDS = 7
_ORGANIZATION_TYPES = ("MUNICIPALITY", "ORGANIZATION", "COMPANY", "COMMUNITY", "PLACE")


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
        self.lemmatizer = lookup_lemmatizer(lang)
        self._name_cache: dict[str, bool] = {}  # news repeats its capitalized words
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        patterns = {form: make_doc(form) for form in self.words.roles}
        self.matcher.add("ROLE", list(patterns.values()))
        # Keyed by tokens as the tokenizer splits them ("vice-mayor" is three tokens).
        self.readings = {_key(doc): self.words.roles[form] for form, doc in patterns.items()}

    def __call__(self, doc: Doc) -> list[Mention]:
        earlier = [m for m in mentions_in(doc, "nvo_places", "nvo_organizations") if m.type in _ORGANIZATION_TYPES]
        mentions: list[Mention] = []
        roles = filter_spans(self.matcher(doc, as_spans=True))
        # The model's people by their first token, made once: doc.ents makes a new Span per entity.
        model_people = {entity.start: entity for entity in doc.ents if entity.label_ == "PERSON"} if roles else {}
        for role_span in roles:
            reading = self.readings.get(_key(role_span))
            if reading is None:
                continue
            name = self._name_after(doc, role_span, model_people)
            organization, organization_id, organization_kind = self._organization_before(role_span, earlier)
            role_id = reading.key
            if role_id == "administration_director" and organization_kind != "municipality":
                role_id = "director"  # a company's or an association's executive director (izpilddirektors)
            if name is None:
                name, body = self._name_in_apposition(doc, role_span, earlier)
                person = person_nominative([t.text for t in name], self.lang) if name is not None else None
                if name is not None and body is not None and organization is None:
                    organization, organization_id, organization_kind = self._organization_of(body)
            else:
                person = self.nominative_name(name, reading)
            person_id = "person:" + ascii_key(person) if person else None
            mentions.append(
                make_mention(
                    role_span,
                    type="ROLE",
                    normalized=reading.lemma,
                    method="rules",
                    role=reading.lemma,
                    role_id=role_id,
                    organization=organization,
                    organization_id=organization_id,
                    organization_kind=organization_kind,
                    person=person,
                    entity_id=person_id,
                )
            )
            names = [(name, person)] if name is not None else []
            if name is not None and reading.case.startswith("pl"):
                # "Seimo nariai Jonas Petraitis ir Petras Jonaitis": the role holds for every name.
                second = self._coordinated_name(doc, name)
                if second is not None:
                    names.append((second, self.nominative_name(second, reading)))
            for span, nominative in names:
                mentions.append(
                    make_mention(
                        span,
                        type="PERSON",
                        normalized=nominative,
                        method="rules",
                        confidence=0.9,
                        entity_id="person:" + ascii_key(nominative),
                        role=reading.lemma,
                        role_id=role_id,
                        organization=organization,
                        organization_id=organization_id,
                        organization_kind=organization_kind,
                    )
                )
        mentions += self._untitled_people(doc, mentions)
        mentions += self._bylines(doc)
        return mentions + self._later_mentions(doc, mentions)

    def _bylines(self, doc: Doc) -> list[Mention]:
        """A line of two or three words in capitals opening with a first name the treebanks know is
        the author's byline: "ALDONA STEPONAVIČIŪTĖ" -> Aldona Steponavičiūtė."""
        found = []
        for offset, line in text_lines(token_table(doc).text):
            words = line.split()
            capitals = 2 <= len(words) <= 3 and all(w.isalpha() and w.isupper() and len(w) > 1 for w in words)
            if capitals and is_known_first_name(words[0].title(), self.lang):
                start = offset + line.index(words[0])
                span = doc.char_span(start, start + len(line.strip()), alignment_mode="expand")
                if span is not None:
                    found.append(_person(span, " ".join(w.title() for w in words), "rules:byline", 0.7))
        return found

    def _untitled_people(self, doc: Doc, found: list[Mention]) -> list[Mention]:
        taken = SpanIndex(
            [(m.start, m.end) for m in found]
            + [(m.start, m.end) for m in mentions_in(doc, "nvo_places", "nvo_organizations", "nvo_projects")]
            + [(q.outer.start_char, q.outer.end_char) for q in quoted_spans(doc) if len(q.span) <= 6]
        )
        people: list[Mention] = []
        known_surnames = {
            form.lower()
            for m in found
            if m.type == "PERSON"
            for form in {m.normalized.split()[-1], *inflect(m.normalized.split()[-1], self.lang).values()}
        }
        table = token_table(doc)
        texts, capitalized = table.texts, table.capitalized
        position = 0
        while position < len(capitalized):
            i = capitalized[position]
            end = i
            while end < len(texts) and end - i < _MAX_NAME_TOKENS and self._could_be_name(texts[end]):
                end += 1
            if (
                end > i
                and i >= 2
                and texts[i - 1] == "-"
                and _double_surname_follows(doc, i - 1)
                and _is_name_token(texts[i - 2])
            ):
                i -= 2  # "Ona-Marija Kazlauskienė": a double first name
            later_mention = end > i and texts[i].endswith(".") and texts[end - 1].lower() in known_surnames
            if (
                end - i >= 2
                and not texts[end - 1].endswith(".")
                and not later_mention
                and self._is_person(span := doc[i:end], taken)
            ):
                if end < len(texts) and texts[end] == "-" and _double_surname_follows(doc, end):
                    end += 2  # "Ilze Ķuzule-Skrastiņa"
                    span = doc[span.start : end]
                name = self._nominative_untitled(_join_hyphens([t.text for t in span]))
                surname = name.split()[-1]
                known_surnames.update(form.lower() for form in {surname, *inflect(surname, self.lang).values()})
                people.append(_person(span, name, "rules", 0.6))
                while position < len(capitalized) and capitalized[position] < end:
                    position += 1
            else:
                position += 1
        return people

    def _could_be_name(self, text: str) -> bool:
        known = self._name_cache.get(text)
        if known is None:
            if len(self._name_cache) > _NAME_CACHE_SIZE:
                self._name_cache.clear()
            known = self._name_cache[text] = self._name_word(text) and not self.lemmatizer.is_common_word(text)
        return known

    def _name_word(self, text: str) -> bool:
        """A capitalized word or an initial that is not an institution (Seimo, Saeimas)."""
        if not _is_name_token(text):
            return False
        return self.lemmatizer.lemmatize(text).lower() not in self.words.not_places

    def _is_person(self, span: Span, taken: SpanIndex[tuple[int, int]]) -> bool:
        if taken.overlapping(span.start_char, span.end_char):
            return False
        # A sentence's first word is capitalized anyway: there only a name the treebanks know counts.
        first = span[0]
        if (
            starts_sentence(first)
            and not first.text.endswith(".")
            and first.lower_ not in self.lemmatizer.proper_forms
            and not is_known_name_form(first.text, self.lang)
        ):
            return False
        following = itertools.takewhile(lambda t: not t.is_punct, span.doc[span.end : span.end + 3])
        if any(t.lower_ in self.words.named_after_heads for t in following):
            return False  # "Juozo Urbšio vidurinės mokyklos": a school, not a person
        return all(t.lower_ not in self.words.not_places for t in span)

    def _nominative_untitled(self, words: list[str]) -> str:
        return person_nominative(words, self.lang)

    def _later_mentions(self, doc: Doc, found: list[Mention]) -> list[Mention]:
        """Later "G. Viliūnas" / "Viliūnui" mentions of a person named in full, merged into that person."""
        taken = SpanIndex((m.start, m.end) for m in found)
        people = {m.entity_id: m for m in found if m.type == "PERSON" and m.entity_id and " " in m.normalized}
        surnames: dict[str, Mention] = {}
        for person in people.values():
            surname = person.normalized.split()[-1]
            for form in {surname, *inflect(surname, self.lang).values()}:
                surnames.setdefault(form.lower(), person)
        if self.lang == "lv":  # Latvian reporters name people by their first name after the full name
            for person in people.values():
                first = person.normalized.split()[0]
                if not first.endswith("."):
                    for form in {first, *inflect(first, self.lang).values()}:
                        surnames.setdefault(form.lower(), person)
        later = []
        for token in (doc[i] for i in token_table(doc).find(surnames.keys())):
            person = surnames.get(token.lower_)
            if person is None or not token.text[:1].isupper() or token.idx < person.start:
                continue
            if token.i + 1 < len(doc) and _is_name_token(doc[token.i + 1].text):
                continue  # the start of another full name
            start = token.i
            initial = doc[token.i - 1] if token.i > 0 else None
            if initial is not None and initial.text.endswith(".") and initial.text[:1] == person.normalized[:1]:
                start = token.i - 1  # "G. Viliūnas", "Dz. Lezdiņa"
            span = doc[start : token.i + 1]
            # Every such range overlaps the span: only those are looked at.
            if any(
                s <= span.start_char < e or s < span.end_char <= e
                for s, e in taken.overlapping(span.start_char, span.end_char)
            ):
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
                    organization_kind=person.organization_kind,
                )
            )
        return later

    def _name_after(self, doc: Doc, role: Span, model_people: dict[int, Span]) -> Span | None:
        """The capitalized words after the role; a statistical model's person there (``model_people``, by
        first token) sets the bounds ("priekšsēdētājs Jānis Kalniņš Rīgā", "direktore Anna-Marija Ose")."""
        model_person = model_people.get(role.end)
        if (
            model_person is not None
            and model_person[-1].text[:1].isupper()
            and sum(t.is_alpha for t in model_person) <= _MAX_NAME_TOKENS
        ):
            return model_person
        end = role.end
        while end < len(doc) and end - role.end < _MAX_NAME_TOKENS and self._name_word(doc[end].text):
            end += 1
        if end == role.end or (end - role.end == 1 and doc[role.end].text.endswith(".")):
            return None  # nothing, or an initial alone
        return doc[role.end : end]

    def _coordinated_name(self, doc: Doc, name: Span) -> Span | None:
        """The name after "ir"/"un"/"and" that follows a name."""
        if name.end + 2 >= len(doc) or doc[name.end].lower_ not in _CONJUNCTIONS:
            return None
        end = start = name.end + 1
        while end < len(doc) and end - start < _MAX_NAME_TOKENS and self._name_word(doc[end].text):
            end += 1
        return doc[start:end] if end - start >= 2 else None

    def _name_in_apposition(self, doc: Doc, role: Span, earlier: list[Mention]) -> tuple[Span | None, Mention | None]:
        """ "Jānis Bunte, SIA „Pillar Management” sabiedrisko attiecību speciālists": the name before a
        comma, then the organization or unit and the role in the nominative (the name is the subject);
        (name, the organization passed on the way)."""
        if self.readings[_key(role)].case != "sg_nom":
            return None, None
        ends = {m.end: m for m in earlier}
        k, unit_words, found = role.start, 0, None
        while k > 0:
            body = ends.get(doc[k - 1].idx + len(doc[k - 1]))
            if body is not None:
                found = found or body
                k = doc.char_span(body.start, body.end, alignment_mode="expand").start
            elif doc[k - 1].is_alpha and unit_words < _MAX_UNIT_WORDS:
                k -= 1
                unit_words += 1
            else:
                break
        if k < 3 or doc[k - 1].text != ",":
            return None, None
        end = k - 1
        first = end
        while first > 0 and end - first < _MAX_NAME_TOKENS and self._could_be_name(doc[first - 1].text):
            first -= 1
        if end - first < 2 or any(
            m.start < doc[end - 1].idx + len(doc[end - 1]) and doc[first].idx < m.end for m in earlier
        ):
            return None, None
        return doc[first:end], found

    def _organization_before(self, role: Span, earlier: list[Mention]) -> tuple[str | None, str | None, str | None]:
        """(name, entity id, kind) of the body named right before the role."""
        mention = mention_ending_at(earlier, role.start_char)
        if mention is None:
            # The role phrase itself may start with the body ("Liepājas domes priekšsēdētājs").
            mention = next((m for m in earlier if m.start < role.start_char < m.end <= role.end_char), None)
        if mention is None:
            return None, None, None
        return self._organization_of(mention)

    def _organization_of(self, mention: Mention) -> tuple[str | None, str | None, str | None]:
        if mention.type == "PLACE" and mention.entity_id:
            # "Liepojos miesto vicemeras": the place stands for its municipality.
            municipality = self.gazetteer.municipality_of(mention.entity_id)
            if municipality is not None:
                return municipality.label(self.lang), municipality.id, "municipality"
        return mention.normalized, mention.entity_id, mention.organization_kind

    def nominative_name(self, name: Span, role: FormReading) -> str:
        """The name in the nominative, using the case and gender the role word shows."""
        return person_nominative([token.text for token in name], self.lang, case=role.case, gender=role.gender)


def _person(span: Span, name: str, method: str, confidence: float) -> Mention:
    """A person without a role."""
    return make_mention(
        span,
        type="PERSON",
        normalized=name,
        method=method,
        confidence=confidence,
        entity_id="person:" + ascii_key(name),
    )


def _join_hyphens(words: list[str]) -> list[str]:
    """["Ona", "-", "Marija", "Kazlauskienė"] -> ["Ona-Marija", "Kazlauskienė"]."""
    joined: list[str] = []
    for word in words:
        if joined and (word == "-" or joined[-1].endswith("-")):
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def _double_surname_follows(doc: Doc, end: int) -> bool:
    """A hyphen written tight between two capitalized words at ``end`` ("Ķuzule-Skrastiņa")."""
    return (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and _is_name_token(doc[end + 1].text)
    )


def _key(tokens) -> str:
    return " ".join(token.lower_ for token in tokens)


def _is_name_token(text: str) -> bool:
    if len(text) == 2 and text[0].isupper() and text[1] == ".":
        return True  # initial
    return text[:1].isupper() and text.isalpha() and not text.isupper()
