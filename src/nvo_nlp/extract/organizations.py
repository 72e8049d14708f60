"""Communities, NGOs and companies.

- Communities: genitive words naming a place before "bendruomenė"/"kopiena" ("Brožių kaimo
  bendruomenė").
- NGOs: a type word and a quoted name (asociacija „Kartu“, biedrība „Mēs Ventai“), or capitalized
  genitive words before an association-like head ("Latvijas Ārstu biedrība").
- Companies (UAB „Urbico“, SIA „Viona“) are told apart from NGOs: type COMPANY.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nvo_nlp.extract.lexicon import Lexicon, lexicon
from nvo_nlp.extract.mention import Mention, ascii_key
from nvo_nlp.extract.spans import make_mention, quoted_spans, token_table
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer

# Genitive endings of the modifiers that name a community (Dauparų, Brožių kaimo, Smilgynų ir kaimynų).
_GENITIVE_ENDINGS = {
    "lt": ("ų", "o", "os", "ės", "io", "aus", "ies"),
    "lv": ("u", "a", "as", "es", "us", "s"),
}
_CONJUNCTIONS = {"lt": {"ir"}, "lv": {"un"}, "en": {"and"}}


class OrganizationExtractor:
    def __init__(self, lang: str, words: Lexicon | None = None) -> None:
        self.lang = lang
        self.words = words or lexicon(lang)

    def __call__(self, doc: Doc) -> list[Mention]:
        quoted = self._quoted_organizations(doc)
        inside_quoted = {i for m in quoted for i in range(m.start, m.end)}
        named = [m for m in self._communities(doc) if m.start not in inside_quoted]
        return sorted(named + quoted, key=lambda m: m.start)

    def _communities(self, doc: Doc) -> list[Mention]:
        found = []
        heads = self.words.community_heads.keys() | self.words.named_organization_heads.keys()
        for token in (doc[i] for i in token_table(doc).find(heads)):
            reading = self.words.community_heads.get(token.lower_)
            kind, prefix = "COMMUNITY", "community:"
            if reading is None and self.lang != "en":
                reading = self.words.named_organization_heads.get(token.lower_)
                kind, prefix = "ORGANIZATION", "org:"
            if reading is None:
                continue
            if self.lang == "en":
                modifiers = self._english_modifiers(doc, token.i)
            else:
                modifiers = self._genitive_modifiers(doc, token.i)
            if modifiers is None:
                continue
            span = doc[modifiers.start : token.i + 1]
            normalized = f"{modifiers.text} {reading.lemma}" if self.lang != "en" else span.text
            if normalized.lower() in self.words.not_organizations:
                continue
            found.append(
                make_mention(
                    span,
                    type=kind,
                    normalized=normalized,
                    method="rules",
                    confidence=0.9 if kind == "COMMUNITY" else 0.75,
                    entity_id=prefix + ascii_key(normalized),
                )
            )
        return found

    def _genitive_modifiers(self, doc: Doc, head: int) -> Span | None:
        """Genitive words before the head, starting with a capitalized one (a name, not 'vietos')."""
        endings = _GENITIVE_ENDINGS.get(self.lang, ())
        conjunctions = _CONJUNCTIONS.get(self.lang, set())
        start = head
        i = head - 1
        while i >= 0 and head - i <= 5:
            token = doc[i]
            if token.is_alpha and token.lower_.endswith(endings):
                start = i
            elif token.lower_ in conjunctions and i > 0 and doc[i - 1].is_alpha:
                pass
            else:
                break
            i -= 1
        # Trim to the first capitalized word (the community is named after a place), past a
        # sentence's first word that is capitalized only because it starts the sentence ("Ja").
        lemmatizer = lookup_lemmatizer(self.lang)
        while start < head and (
            not doc[start].text[:1].isupper()
            or (doc[start].is_sent_start and start + 1 < head and lemmatizer.is_common_word(doc[start].text))
        ):
            start += 1
        if start == head or (start > 0 and doc[start - 1].lower_ in conjunctions):
            return None
        named = [t for t in doc[start:head] if t.text[:1].isupper()]
        if (
            named == [doc[start]]
            and doc[start].is_sent_start
            and lookup_lemmatizer(self.lang).is_common_word(doc[start].text)
        ):
            return None  # capitalized only because it starts the sentence ("Vietos bendruomenė ...")
        return doc[start:head]

    @staticmethod
    def _english_modifiers(doc: Doc, head: int) -> Span | None:
        start = head
        while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha:
            start -= 1
        return doc[start:head] if start < head else None

    def _quoted_organizations(self, doc: Doc) -> list[Mention]:
        """Type word right before or after a quoted name: asociacija „Kartu“, biedrība „Mēs Ventai“."""
        found = []
        for quoted in quoted_spans(doc):
            outer = quoted.outer
            if len(quoted.span) > 8:
                continue
            head = self._type_word_before(doc, outer.start)
            if head is None:
                continue
            head_span, lemma, kind = head
            span = doc[head_span.start : outer.end]
            normalized = f"{lemma} „{quoted.span.text}“" if self.lang != "en" else f"{lemma} {outer.text}"
            found.append(
                make_mention(
                    span,
                    type=kind,
                    normalized=normalized,
                    method="rules",
                    confidence=0.85,
                    entity_id="org:" + ascii_key(quoted.span.text),
                )
            )
        return found

    def _type_word_before(self, doc: Doc, quote_start: int) -> tuple[Span, str, str] | None:
        """(type phrase, its lemma, ORGANIZATION or COMPANY); longest phrase first ("labdaros ir paramos fondas")."""
        for size in (4, 3, 2, 1):
            start = quote_start - size
            if start < 0:
                continue
            key = " ".join(token.lower_ for token in doc[start:quote_start])
            for kind, heads in (("ORGANIZATION", self.words.organization_heads), ("COMPANY", self.words.company_heads)):
                reading = heads.get(key)
                if reading is not None:
                    return doc[start:quote_start], reading.lemma, kind
        return None
