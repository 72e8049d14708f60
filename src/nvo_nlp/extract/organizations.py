"""Named organizations of every kind: NGOs, communities, companies, state bodies, municipalities as
institutions, media, international bodies, schools and museums — each with its ``organization_kind``.

- Names built on a head word of a known kind (``organization_kinds`` in the lexicon): capitalized
  genitive words, or adjectives agreeing with the head, before it ("Švietimo ir mokslo ministerija",
  "Latvijas Bankas" -> Latvijas Banka, "Valstybinės mokesčių inspekcijos" -> Valstybinė mokesčių
  inspekcija, "Brožių kaimo bendruomenė"). A name starting "Europos"/"Eiropas"... is international; a
  state-body head after a municipality's name is the municipality's ("Kuldīgas novada pašvaldības
  aģentūra").
- Capitalized words ending in an English company word (Pillar Holding Company, Interbaltija Invest).
- A type word and a quoted name (asociacija „Kartu“, SIA „Viona“, laikraštis „Kauno diena“), or a
  company form and a capitalized name (SIA Venceb, AS RBSSKALS).
- A short capitalized quoted name standing alone („Maximos“ -> Maxima, "Neste Oil"): in Baltic news
  these are companies (media when the name ends like a newspaper's, ``media_name_words``, or has a
  web domain), unless a word before it makes it the title of a work, show or event
  (``work_title_words``: laida „Spaudos klubas“, projektas „...“).
- One capitalized word ending in a head word (Ģenerālprokuratūra, Krājbanka).
- Names known as a whole, with their kind (Seimas, Saeima, NATO, LETA).
- An acronym defined in parentheses after a name ("Valsts kontroles (VK)") stands for that name where
  it recurs.

Municipalities named as institutions come from the gazetteer as MUNICIPALITY mentions (``places``);
a longer name built on one ("Klaipėdos rajono savivaldybės administracija") is an organization here.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

from spacy.tokens import Doc, Span

from nvo_nlp.extract.lexicon import FormReading, Lexicon, lexicon
from nvo_nlp.extract.mention import Mention, ascii_key
from nvo_nlp.extract.places import starts_sentence
from nvo_nlp.extract.spans import Quoted, SpanIndex, make_mention, mentions_in, quoted_spans, sentence_bounds
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer
from nvo_nlp.nlp.morph import nominative_candidates
from nvo_nlp.nlp.tokens import token_table

# Genitive endings of the modifiers that name an organization (Dauparų, Brožių kaimo, Latvijas).
_GENITIVE_ENDINGS = {
    "lt": ("ų", "o", "os", "ės", "io", "aus", "ies", "ių"),
    "lv": ("u", "a", "as", "es", "us", "ts", "ās"),
}
# Nominative endings of the adjectives that agree with the head (Valstybinė mokesčių inspekcija).
_ADJECTIVE_ENDINGS = {"lt": ("inė", "inis", "iška", "iškas", "ioji", "ysis", "asis"), "lv": ()}
# Adjectives in the nominative before a head in the nominative (Valstybinė, Nacionālā, Aukščiausiasis);
# shorter words are function words ("Kā", "Tā").
_MIN_ADJECTIVE_LENGTH = 5
_NOMINATIVE_ADJECTIVE_ENDINGS = {
    "lt": ("inė", "inis", "iška", "iškas", "ioji", "ysis", "asis", "oji"),
    "lv": ("ā", "ais", "iskā", "iskais"),
}
# Lemma endings of verbs ("tikās" -> tikties): a modifier never is one.
_VERB_LEMMA_ENDINGS = {"lt": ("ti", "tis"), "lv": ("t", "ties")}
# Nouns whose lemma ends like a verb's (mokestis, Kęstutis).
_NOT_VERB_LEMMA_ENDINGS = {"lt": ("stis", "utis", "ytis", "itis", "atis", "etis", "ėtis"), "lv": ()}
_CONJUNCTIONS = {"lt": {"ir"}, "lv": {"un"}, "en": {"and", "of", "for"}}
# Latvian definite adjectives (Nacionālās bibliotēkas): ending -> (case, gender, nominative ending).
_LV_DEFINITE = (
    ("ajai", "sg_dat", "f", "ā"),
    ("ajam", "sg_dat", "m", "ais"),
    ("ajā", "sg_loc", None, None),
    ("ās", "sg_gen", "f", "ā"),
    ("ā", "sg_gen", "m", "ais"),
    ("o", "sg_acc", None, None),
)
# Lithuanian definite adjectives (Specialiųjų tyrimų, Valstybinės): ending -> (case, gender, nominative ending).
_LT_DEFINITE = (
    ("osios", "sg_gen", "f", "oji"),
    ("ajai", "sg_dat", "f", "oji"),
    ("ąją", "sg_acc", "f", "oji"),
    ("ąja", "sg_ins", "f", "oji"),
    ("ojoje", "sg_loc", "f", "oji"),
    ("ojo", "sg_gen", "m", "asis"),
    ("ajam", "sg_dat", "m", "asis"),
    ("ąjį", "sg_acc", "m", "asis"),
    ("uoju", "sg_ins", "m", "asis"),
    ("ajame", "sg_loc", "m", "asis"),
)
_DEFINITE = {"lt": _LT_DEFINITE, "lv": _LV_DEFINITE}
_MAX_MODIFIERS = 6
# Head words inside a compound ("Ģenerālprokuratūra"): from this many letters on.
_MIN_HEAD_LENGTH = 5
_MAX_HEAD_LENGTH = 14
_WEB_DOMAIN = re.compile(r"\.(?:lv|lt|ee|com|net|org|eu)\b", re.IGNORECASE)
# Quoted names in one sentence from which on they are a list of brands or products, not organizations
# (a shorter list names companies: "Neste Oil", "Statoil", "Lukoil").
_BRAND_LIST = 6
# Case endings other than the nominative's: a quoted name ending so is put in the nominative
# ("„Maximos“" -> Maxima); "Neste Oil", "Latteps Food" stay as written.
_OBLIQUE_ENDINGS = {
    "lt": ("os", "ą", "ai", "oje", "ui", "ų", "ės", "ei", "ę", "ėje", "ams", "ose", "io", "iui"),
    "lv": ("as", "ai", "ā", "u", "am", "ām", "iem", "os", "ei", "ē", "es"),
    "en": (),
}
_KIND_TYPES = {"company": "COMPANY", "community": "COMMUNITY"}
# State-body heads that belong to a municipality when a municipal word names whose they are.
_MUNICIPAL_OVERRIDES = ("government",)


def organization_mention(
    span: Span, normalized: str, kind: str, method: str, confidence: float, *, key: str | None = None
) -> Mention:
    """An organization of ``kind`` (ORGANIZATION, or COMPANY/COMMUNITY for those kinds), its id keyed on
    ``key`` (a quoted name alone) or the name."""
    prefix = "community:" if kind == "community" else "org:"
    return make_mention(
        span,
        type=_KIND_TYPES.get(kind, "ORGANIZATION"),
        normalized=normalized,
        method=method,
        confidence=confidence,
        entity_id=prefix + ascii_key(key or normalized),
        organization_kind=kind,
    )


def resolved_kind(words: Lexicon, name: str, kind: str) -> str | None:
    """The kind of a name known as a whole (Lietuvos bankas is a state body), else ``kind``; None for a
    name that is no organization (Sovietų Sąjunga)."""
    if name.lower() in words.not_organizations:
        return None
    known = words.organization_names.get(name.lower())
    return known.key if known is not None else kind


class OrganizationExtractor:
    def __init__(self, lang: str, words: Lexicon | None = None) -> None:
        self.lang = lang
        self.words = words or lexicon(lang)
        self.lemmatizer = lookup_lemmatizer(lang)
        self.known_by_last_word = _index_by_last_word(self.words.organization_names)
        type_words = {**self.words.organization_heads, **self.words.company_heads, **self.words.organization_name_heads}
        self.type_word_ends = frozenset(form.rsplit(" ", 1)[-1] for form in type_words)
        # Last letters of every head form: a compound must end in one ("…prokuratūra").
        self.head_tails = frozenset(
            f[-_MIN_HEAD_LENGTH:] for f in self.words.organization_name_heads if len(f) >= _MIN_HEAD_LENGTH
        )
        self.company_forms = frozenset(f for f, reading in self.words.company_heads.items() if reading.lemma.isupper())
        self.company_name_forms = frozenset(word.lower() for word in self.words.company_name_words)

    def __call__(self, doc: Doc) -> list[Mention]:
        places = mentions_in(doc, "nvo_places")
        municipalities = [m for m in places if m.type == "MUNICIPALITY"]
        countries = [m for m in places if m.type == "COUNTRY"]
        found = _longest_first(
            [
                *self._quoted_organizations(doc),
                *self._company_forms(doc),
                *self._english_company_names(doc),
                *self._compound_names(doc),
                *self._named(doc, municipalities, countries),
                *self._quoted_names(doc),
            ]
        )
        municipal = SpanIndex(municipalities, bounds=_bounds)
        quotations = SpanIndex(quoted_spans(doc), bounds=lambda q: (q.outer.start_char, q.outer.end_char))
        found = [
            m
            for m in found
            if not municipal.covering(m.start, m.end) and not self._titled(doc, m, quotations.covering(m.start, m.end))
        ]
        taken = {i for m in found for i in range(m.start, m.end)}
        found_index = SpanIndex(found, bounds=_bounds)
        known = [
            m
            for m in self._known(doc)
            if not any(i in taken for i in range(m.start, m.end)) or _nested(m, found_index.covering(m.start, m.end))
        ]
        named = sorted(found + known, key=lambda m: m.start)
        return sorted(named + self._acronyms(doc, named), key=lambda m: m.start)

    # -- names built on a head word -------------------------------------------------------------

    def _named(self, doc: Doc, municipalities: list[Mention], countries: list[Mention]) -> list[Mention]:
        found = []
        heads = self.words.organization_name_heads
        for token in (doc[i] for i in token_table(doc).find(heads.keys())):
            reading = heads[token.lower_]
            if not reading.case.startswith("sg"):
                continue  # "Latvijas skolās": schools in general
            modifiers = (
                self._modifiers(doc, token.i, reading) if self.lang != "en" else _english_modifiers(doc, token.i)
            )
            if modifiers is None:
                continue
            kind = self._kind(modifiers, reading.key, municipalities, countries)
            if kind is None:
                continue
            span = doc[modifiers.start : token.i + 1]
            if self.lang == "en":
                normalized = span.text
            else:
                head = reading.lemma.capitalize() if token.text[:1].isupper() else reading.lemma
                normalized = f"{self._modifiers_nominative(modifiers, reading)} {head}"
            kind = resolved_kind(self.words, normalized, kind)
            if kind is not None:
                found.append(
                    organization_mention(span, normalized, kind, "rules", 0.9 if kind == "community" else 0.75)
                )
        return found

    def _kind(self, modifiers: Span, kind: str, municipalities: list[Mention], countries: list[Mention]) -> str | None:
        text = modifiers.text
        if text.startswith(self.words.international_name_starts):
            return "international"
        lemmas = {(t.lemma_ or t.lower_).lower() for t in modifiers}
        municipal = bool(lemmas & self.words.municipal_words) or any(
            m.start < modifiers.end_char and modifiers.start_char < m.end for m in municipalities
        )
        if municipal and kind in _MUNICIPAL_OVERRIDES:
            return "municipality"
        if kind == "municipality" and not municipal and _within(modifiers, countries):
            return None  # "Latvijas pašvaldības": the country's municipalities, no one institution
        return kind

    def _modifiers(self, doc: Doc, head: int, reading: FormReading) -> Span | None:
        """Genitive words or agreeing adjectives before the head, from the first capitalized one."""
        endings = _GENITIVE_ENDINGS.get(self.lang, ())
        conjunctions = _CONJUNCTIONS.get(self.lang, set())
        start = head
        i = head - 1
        while i >= 0 and head - i <= _MAX_MODIFIERS:
            token = doc[i]
            text = token.text
            if token.is_alpha and self._is_verb(token):
                break
            if token.is_alpha and (
                text.lower().endswith(endings)
                or self._agreeing(text, reading) is not None
                or text.isupper()
                or (i == head - 1 and _foreign_name(text))
            ):
                start = i
            elif text[:-1].isdigit() and text.endswith(".") and i + 1 < head:
                start = i  # "Rīgas 1. medicīnas skola"
            elif token.lower_ in conjunctions and i > 0 and doc[i - 1].is_alpha and i + 1 < head:
                if doc[i + 1].text[:1].isupper():
                    break  # "Lietuvos banko ir Prezidento tarnyba": two names, not one

            else:
                break
            i -= 1
        while start < head and not doc[start].text[:1].isupper():
            start += 1
        if start < head and doc[start].is_sent_start and self.lemmatizer.is_common_word(doc[start].text):
            # Capitalized perhaps only because it starts the sentence ("Vietos bendruomenė", "Šios
            # mokyklos"): a name only when another word is capitalized too or a state body is named.
            others = [t for t in doc[start + 1 : head + 1] if t.text[:1].isupper()]
            # An inflected noun ("Finanšu ministrija"; "Valsts" has one form), not an adverb or
            # conjunction ("Taču", "Tāpat").
            first = doc[start].lower_
            genitive = first.endswith(endings) and (doc[start].lemma_.lower() != first or first.endswith("ts"))
            agreeing = self._agreeing(doc[start].text, reading) is not None  # "Valstybinė mokesčių inspekcija"
            if not others and not (reading.key == "government" and (genitive or agreeing)):
                start += 1
                while start < head and not doc[start].text[:1].isupper():
                    start += 1
        if start == head or doc[start].lower_ in conjunctions:
            return None
        if start > 0 and doc[start - 1].lower_ in conjunctions and doc[start - 2 : start - 1].text[:1].isupper():
            return None  # "Smilgynų ir kaimynų": the name's first part is further left and lower-case
        return doc[start:head]

    def _agreeing(self, word: str, head: FormReading) -> str | None:
        """The nominative of an adjective that agrees with the head ("Valstybinės" before "inspekcijos",
        "Valstybinė" before "inspekcija"; "Priešgaisrine" before "tarnyba", whose form is also the
        instrumental)."""
        if self.lang not in ("lt", "lv"):
            return None
        if head.case == "sg_nom":
            if len(word) >= _MIN_ADJECTIVE_LENGTH and word.lower().endswith(_NOMINATIVE_ADJECTIVE_ENDINGS[self.lang]):
                return word
            if self.lang == "lt" and head.gender == "f":
                return _agreeing_adjective(word, self.lang, "sg_ins", head.gender)
            return None
        return _agreeing_adjective(word, self.lang, head.case, head.gender)

    def _is_verb(self, token) -> bool:
        lemma = (token.lemma_ or token.lower_).lower()
        return lemma.endswith(_VERB_LEMMA_ENDINGS.get(self.lang, ())) and not lemma.endswith(
            _NOT_VERB_LEMMA_ENDINGS.get(self.lang, ())
        )

    def _modifiers_nominative(self, modifiers: Span, head: FormReading) -> str:
        words = []
        for token in modifiers:
            agreeing = self._agreeing(token.text, head) if token.is_alpha else None
            words.append(agreeing or token.text)
        return " ".join(words)

    # -- type word and quoted name ----------------------------------------------------------------

    def _quoted_organizations(self, doc: Doc) -> list[Mention]:
        """Type word right before a quoted name: asociacija „Kartu“, biedrība „Mēs Ventai“, SIA „Viona“."""
        found = []
        for quoted in quoted_spans(doc):
            outer = quoted.outer
            if len(quoted.span) > 8:
                continue
            head = self._type_word_before(doc, outer.start)
            if head is None:
                continue
            head_span, lemma, kind = head
            before = doc[head_span.start - 1].lemma_.lower() if head_span.start else ""
            if kind in _MUNICIPAL_OVERRIDES and before in self.words.municipal_words:
                kind = "municipality"  # "pašvaldības aģentūra „Kultūra“"
            span = doc[head_span.start : outer.end]
            normalized = f"{lemma} „{quoted.span.text}“" if self.lang != "en" else f"{lemma} {outer.text}"
            found.append(organization_mention(span, normalized, kind, "rules", 0.85, key=quoted.span.text))
        return found

    def _type_word_before(self, doc: Doc, quote_start: int) -> tuple[Span, str, str] | None:
        """(type phrase, its lemma, kind); the longest phrase first ("labdaros ir paramos fondas")."""
        texts = token_table(doc).texts
        if quote_start == 0 or texts[quote_start - 1].lower() not in self.type_word_ends:
            return None
        for size in (4, 3, 2, 1):
            start = quote_start - size
            if start < 0:
                continue
            key = " ".join(text.lower() for text in texts[start:quote_start])
            for kind, heads in (("ngo", self.words.organization_heads), ("company", self.words.company_heads)):
                reading = heads.get(key)
                if reading is not None:
                    return doc[start:quote_start], reading.lemma, kind
            reading = self.words.organization_name_heads.get(key) if size == 1 else None
            if reading is not None and reading.case.startswith("sg"):
                return doc[start:quote_start], reading.lemma, reading.key
        return None

    def _company_forms(self, doc: Doc) -> list[Mention]:
        """A company form before a capitalized name: SIA Venceb, AS RBSSKALS, UAB Urbico."""
        found = []
        texts = token_table(doc).texts
        for index in token_table(doc).find(self.company_forms):
            if not texts[index].isupper():
                continue
            end = index + 1
            while end < len(doc) and end - index <= 3 and texts[end][:1].isupper() and doc[end].is_alpha:
                end += 1
            if end > index + 1:
                span = doc[index:end]
                found.append(
                    organization_mention(span, span.text, "company", "rules", 0.8, key=doc[index + 1 : end].text)
                )
        return found

    def _quoted_kind(self, name: str) -> str:
        """A quoted name is a company unless it names a newspaper or news site (Latgales Laiks, Firmas.lv)."""
        last = name.rsplit(" ", 1)[-1].lower()
        if last in self.words.media_name_words or _WEB_DOMAIN.search(name):
            return "media"
        return "company"

    def _compound_names(self, doc: Doc) -> list[Mention]:
        """A capitalized word ending in a head word, after any modifiers: "Ģenerālprokuratūra",
        "Latvijas Krājbankas" -> Latvijas Krājbanka."""
        found = []
        texts = token_table(doc).texts
        for index in token_table(doc).capitalized:
            word = texts[index]
            lower = word.lower()
            if lower[-_MIN_HEAD_LENGTH:] not in self.head_tails or not word.isalpha() or word.isupper():
                continue
            if lower in self.words.organization_name_heads:
                continue
            for size in range(min(len(lower) - 3, _MAX_HEAD_LENGTH), _MIN_HEAD_LENGTH - 1, -1):
                reading = self.words.organization_name_heads.get(lower[-size:])
                if reading is not None and reading.case.startswith("sg"):
                    if starts_sentence(doc[index]) and self.lemmatizer.is_common_word(word):
                        break
                    normalized = word[: len(word) - size] + reading.lemma
                    modifiers = self._modifiers(doc, index, reading)  # "Latvijas Krājbankas"
                    start = index
                    if modifiers is not None:
                        start = modifiers.start
                        normalized = f"{self._modifiers_nominative(modifiers, reading)} {normalized}"
                    found.append(organization_mention(doc[start : index + 1], normalized, reading.key, "rules", 0.6))
                    break
        return found

    def _titled(self, doc: Doc, mention: Mention, quotations: list[Quoted]) -> bool:
        """A name inside quotation marks after a title word: laidoje „Spaudos klubas“ is a show."""
        for quoted in quotations:  # those around the mention
            outer = quoted.outer
            if mention.start > outer.start_char:
                before = doc[max(outer.start - 2, 0) : outer.start]
                return any(t.lower_ in self.words.work_title_words for t in before)
        return False

    def _english_company_names(self, doc: Doc) -> list[Mention]:
        """Capitalized words ending in an English company word: Pillar Holding Company, Interbaltija Invest."""
        found = []
        texts = token_table(doc).texts
        for index in token_table(doc).find(self.company_name_forms):
            if texts[index] not in self.words.company_name_words:
                continue
            start = index
            while start > 0 and index - start < 4 and texts[start - 1][:1].isupper() and doc[start - 1].is_alpha:
                start -= 1
            if start < index:
                span = doc[start : index + 1]
                found.append(organization_mention(span, span.text, "company", "rules", 0.7))
        return found

    def _quoted_names(self, doc: Doc) -> list[Mention]:
        found = []
        quotations = quoted_spans(doc)
        per_sentence = Counter(sentence_bounds(q.outer) for q in quotations)
        for quoted in quotations:
            inner, outer = quoted.span, quoted.outer
            if per_sentence[sentence_bounds(outer)] >= _BRAND_LIST:
                continue  # „Dolorė“, „Maxima“, „Optima linija“...: a list of brands or products
            if not 1 <= len(inner) <= 4 or not inner.text[:1].isupper() or not inner[-1].text[-1:].isalnum():
                continue
            if any(t.is_punct and t.text not in "-&." for t in inner):
                continue
            before = doc[max(outer.start - 2, 0) : outer.start]
            if any(
                t.lower_ in self.words.work_title_words or t.text in self.words.english_name_markers for t in before
            ):
                continue
            if inner[-1].lower_ in self.words.named_event_heads:
                continue  # „Patirties mainų dieną“: a named event
            last = inner[-1].text
            inflected = last.isalpha() and not last.isupper() and last.lower().endswith(_OBLIQUE_ENDINGS[self.lang])
            nominative = self.lemmatizer.lemmatize(last) if inflected else last
            if inflected and nominative == last:
                readings = nominative_candidates(last.lower(), self.lang)
                nominative = readings[0][0] if readings else last
            nominative = (nominative[:1].upper() if last[:1].isupper() else nominative[:1]) + nominative[1:]
            normalized = (" ".join([*(t.text_with_ws for t in inner[:-1])]).replace("  ", " ") + nominative).strip()
            found.append(organization_mention(outer, normalized, self._quoted_kind(normalized), "rules", 0.5))
        return found

    # -- names known as a whole and acronyms ------------------------------------------------------

    def _known(self, doc: Doc) -> list[Mention]:
        found = []
        texts = token_table(doc).texts
        for index in token_table(doc).find(self.known_by_last_word.keys()):
            for words, reading in self.known_by_last_word[texts[index].lower()]:
                start = index - len(words) + 1
                if start < 0 or [t.lower() for t in texts[start : index + 1]] != words:
                    continue
                if reading.lemma.isupper() and texts[index] != reading.lemma:
                    continue  # "es" is Latvian for "I"; the acronym is written in capitals
                if not texts[start][:1].isupper():
                    continue
                span = doc[start : index + 1]
                found.append(organization_mention(span, reading.lemma, reading.key, "lexicon", 0.9))
                break
        return found

    def _acronyms(self, doc: Doc, named: list[Mention]) -> list[Mention]:
        """ "Valsts kontroles (VK)": later "VK" is the same organization."""
        texts = token_table(doc).texts
        defined: dict[str, Mention] = {}
        for mention in named:
            end = doc.char_span(mention.start, mention.end, alignment_mode="expand").end
            if texts[end : end + 1] == ("(",) and texts[end + 2 : end + 3] == (")",):
                acronym = texts[end + 1]
                if acronym.isupper() and 2 <= len(acronym) <= 8 and acronym.lower() not in self.known_by_last_word:
                    defined[acronym] = mention
        found = []
        for acronym, mention in defined.items():
            for index in token_table(doc).find({acronym.lower()}):
                if texts[index] == acronym:
                    found.append(
                        organization_mention(
                            doc[index : index + 1],
                            mention.normalized,
                            mention.organization_kind or "other",
                            "coreference",
                            mention.confidence,
                            key=mention.normalized,
                        )
                    )
        return found


@functools.lru_cache(maxsize=65536)
def _agreeing_adjective(word: str, lang: str, case: str, gender: str | None) -> str | None:
    lower = word.lower()
    for ending, ending_case, ending_gender, nominative in _DEFINITE.get(lang, ()):
        if lower.endswith(ending) and ending_case == case and nominative and ending_gender == gender:
            return word[: len(word) - len(ending)] + nominative
    for nominative, reading_case, reading_gender in nominative_candidates(word.lower(), lang):
        if reading_case == case and reading_gender == gender and nominative.endswith(_ADJECTIVE_ENDINGS[lang]):
            return word[:1] + nominative[1:]
    return None


def _index_by_last_word(names: dict[str, FormReading]) -> dict[str, list[tuple[list[str], FormReading]]]:
    index: dict[str, list[tuple[list[str], FormReading]]] = {}
    for form, reading in names.items():
        words = form.split()
        index.setdefault(words[-1], []).append((words, reading))
    for candidates in index.values():
        candidates.sort(key=lambda pair: -len(pair[0]))  # "Lietuvos Respublikos Seimas" before "Seimas"
    return index


def _english_modifiers(doc: Doc, head: int) -> Span | None:
    start = head
    while start > 0 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha:
        start -= 1
    return doc[start:head] if start < head else None


def _foreign_name(word: str) -> bool:
    """A capitalized word in plain Latin letters right before the head: "Parex bankā", "Swedbank"."""
    return word[:1].isupper() and word.isascii() and not word.lower().endswith(("as", "is", "us", "os", "es", "a", "e"))


def _within(span: Span, mentions: list[Mention]) -> bool:
    return any(m.start <= span.start_char and span.end_char <= m.end for m in mentions)


def _longest_first(mentions: Iterable[Mention]) -> list[Mention]:
    """Overlapping names: the longest wins."""
    kept: list[Mention] = []
    index = SpanIndex(bounds=_bounds)
    for mention in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if not index.overlapping(mention.start, mention.end):
            kept.append(mention)
            index.add(mention)
    return kept


def _bounds(mention: Mention) -> tuple[int, int]:
    return mention.start, mention.end


def _nested(known: Mention, around: list[Mention]) -> bool:
    """A known name inside a longer name is named too ("Seimo" in "Seimo Europos reikalų komitetas")."""
    return any((m.start, m.end) != (known.start, known.end) for m in around)
