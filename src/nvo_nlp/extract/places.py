"""Places, municipalities and countries found through the gazetteer's inflected forms."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans
from spacy.vocab import Vocab

from nvo_nlp.extract.gazetteer import Gazetteer, PlaceForm, default_gazetteer
from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.extract.mention import Mention
from nvo_nlp.extract.spans import make_mention, sentences
from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer
from nvo_nlp.nlp.morph import inflect, nominative_candidates
from nvo_nlp.nlp.tokens import token_table

# Genitive endings of a name before a head word (Ēdoles pagasts, Brožių kaimas).
_GENITIVE_ENDINGS = {
    "lt": ("ų", "o", "os", "ės", "io", "aus", "ies", "ių"),
    "lv": ("u", "a", "as", "es", "us", "s", "ņu", "šu"),
}
_CONJUNCTIONS = {"ir", "un", "and"}
# Case endings of the locative ("in X"), which marks where an event takes place.
_LOCATIVE_ENDINGS = {
    "lt": ("oje", "ėje", "yje", "uje", "iuose", "uose", "ose", "ėse", "yse", "ioje"),
    "lv": ("ā", "ē", "ī", "ū", "os", "ās", "ēs", "īs"),
}
_TEXT_CHECKS_CACHE_SIZE = 2**16  # distinct capitalized words: a few MB


class PlaceExtractor:
    """Finds gazetteer forms (longest match wins) and links them to their entity.

    Places no list holds are found by rules, in the nominative, without an entity id:

    - parishes and elderships by their head word after a capitalized name (Ēdoles pagastā ->
      Ēdoles pagasts), which is part of their official name;
    - villages and towns by their head word too, but named alone (Brožių kaime -> Brožiai,
      Monso mieste -> Monsas);
    - a capitalized word inside a sentence written in the locative (Usmā -> Usma, Žvėryne ->
      Žvėrynas) or after "iš"/"no" (iš Lvovo -> Lvovas), unless the treebank knows it as a common
      word or the lexicon lists it as an institution (Seime).
    """

    def __init__(
        self,
        vocab: Vocab,
        make_doc: Callable[[str], Doc],
        lang: str,
        gazetteer: Gazetteer | None = None,
        *,
        special_cases: Mapping[str, list] | None = None,
    ):
        """``special_cases``: the tokenizer's special cases (spaCy's ``Tokenizer.rules``). Given them, a
        form whose words the tokenizer keeps whole (:func:`_whole_words`) is split at its spaces instead of
        being tokenized; without them every form goes through ``make_doc``."""
        self.lang = lang
        self.lexicon = lexicon(lang)
        # Heads of names that are named after their place (a community, a school, a parish's church).
        self.named_after_place = frozenset(self.lexicon.community_heads) | frozenset(
            form for form, reading in self.lexicon.organization_name_heads.items() if reading.key in _PLACE_NAMED_KINDS
        )
        self.heads = self.lexicon.place_heads
        self.head_forms = self.heads.keys() | self.lexicon.settlement_heads.keys()
        self.lemmatizer = lookup_lemmatizer(lang)
        # Asked of every capitalized word: answered once per distinct word.
        self._could_name_a_place = functools.lru_cache(maxsize=_TEXT_CHECKS_CACHE_SIZE)(self._text_could_name_a_place)
        self.gazetteer = gazetteer or default_gazetteer()
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.forms: dict[str, PlaceForm] = {}
        # Patterns are the forms' LOWER values (what a Doc pattern is turned into): making a Doc of each
        # of the ~15,000 Lithuanian forms took about a second of every start-up.
        whole = _whole_words(special_cases) if special_cases is not None else None
        patterns = []
        for place_form in self.gazetteer.forms(lang):
            words = place_form.form.split(" ")
            if whole is not None and all(whole(word) for word in words):
                lowers = [word.lower() for word in words]
            else:
                lowers = [token.lower_ for token in make_doc(place_form.form)]
            key = " ".join(lowers)
            if key not in self.forms:
                self.forms[key] = place_form
                patterns.append([vocab.strings.add(lower) for lower in lowers])
        self.matcher.add("PLACE", patterns)

    def __call__(self, doc: Doc) -> list[Mention]:
        spans = filter_spans(self.matcher(doc, as_spans=True))
        mentions = []
        for span in spans:
            place_form = self.forms[_key(span)]
            # Proper names are capitalized; a lower-case match is a common word ("latvių" style false hits).
            if place_form.form[:1].isupper() and not span.text[:1].isupper():
                continue
            entity = self.gazetteer.entity(place_form.entity_id)
            mentions.append(
                make_mention(
                    span,
                    type=place_form.type,
                    normalized=place_form.normalized,
                    method="gazetteer",
                    entity_id=place_form.entity_id,
                    entity_name=entity.label("en") if entity else None,
                    organization_kind="municipality" if place_form.type == "MUNICIPALITY" else None,
                )
            )
        unlisted = self._unlisted(doc, spans) if self.lang in ("lt", "lv") else []
        return sorted(mentions + unlisted, key=lambda m: m.start)

    def _unlisted(self, doc: Doc, listed) -> list[Mention]:
        covered = {i for span in listed for i in range(span.start, span.end)}
        found = []
        table = token_table(doc)
        heads = table.find(self.head_forms)
        for i in sorted({*heads, *table.capitalized}):
            if i in covered:
                continue
            if table.lowers[i] in self.head_forms:
                token = doc[i]
                mention = self._by_head_word(doc, token, covered)
                if mention is not None:
                    found += self._coordinated(doc, token, mention, covered)
            elif self._is_place_name(doc, i):
                mention = self._by_case(doc, doc[i], covered)
            else:
                mention = None
            if mention is not None:
                found.append(mention)
        return sorted(found, key=lambda m: m.start)

    def _coordinated(self, doc: Doc, head_token, mention: Mention, covered: set[int]) -> list[Mention]:
        """ "Staiceles un Ainažu pagastā": the head word serves both names, Staiceles pagasts too."""
        first = doc.char_span(mention.start, mention.end, alignment_mode="expand").start
        if first < 2 or doc[first - 1].lower_ not in _CONJUNCTIONS or first - 2 in covered:
            return []
        name = doc[first - 2]
        if not (name.text[:1].isupper() and name.is_alpha and name.lower_.endswith(_GENITIVE_ENDINGS[self.lang])):
            return []
        head = self.heads.get(head_token.lower_)
        if head is not None:
            normalized = f"{name.text} {head.lemma}"
        else:
            normalized = self._nominative(name.text, "gen")
        covered.add(name.i)
        return [
            make_mention(doc[name.i : name.i + 1], type="PLACE", normalized=normalized, method="rules", confidence=0.6)
        ]

    def _by_head_word(self, doc: Doc, head_token, covered: set[int]) -> Mention | None:
        """ "Ēdoles pagastā" -> Ēdoles pagasts (official name), "Brožių kaime" -> Brožiai (settlement)."""
        start = self._name_start(doc, head_token.i, covered, sentence_start=True)
        if start == head_token.i or not doc[head_token.i - 1].lower_.endswith(_GENITIVE_ENDINGS[self.lang]):
            return None  # "Apsekoti pagasts" is no parish: its name must be a genitive
        if starts_sentence(doc[start]) and self.lemmatizer.is_common_word(doc[start].text):
            start += 1  # "Į miestelį": capitalized only because it starts the sentence
            if start == head_token.i:
                return None
        name = doc[start : head_token.i]
        head = self.heads.get(head_token.lower_)
        if head is not None:
            normalized = f"{name.text} {head.lemma}"
        else:
            normalized = " ".join([*(t.text for t in name[:-1]), self._nominative(name[-1].text, "gen")])
        span = doc[start : head_token.i + 1]
        covered.update(range(span.start, span.end))
        return make_mention(span, type="PLACE", normalized=normalized, method="rules", confidence=0.7)

    def _by_case(self, doc: Doc, token, covered: set[int]) -> Mention | None:
        """A name in the locative ("Usmā"), or a genitive after "iš"/"no" or before a community word."""
        case = "loc" if token.lower_.endswith(_LOCATIVE_ENDINGS[self.lang]) else "gen"
        if case == "gen" and self.lang == "lv" and token.lower_.endswith("a"):
            return None  # "no Rāviņa", "Bērziņa vadībā": a man's name far more often than a place
        # A genitive names the place alone ("Bresto unija"); a locative may follow a capitalized word.
        start = token.i if case == "gen" else self._name_start(doc, token.i, covered)
        span = doc[start : token.i + 1]
        normalized = " ".join([*(t.text for t in span[:-1]), self._nominative(token.text, case)])
        entity_id = self._eldership_of(token.text) if case == "gen" else None
        covered.update(range(span.start, span.end))
        return make_mention(
            span, type="PLACE", normalized=normalized, method="rules", confidence=0.6, entity_id=entity_id
        )

    def _name_start(self, doc: Doc, end: int, covered: set[int], *, sentence_start: bool = False) -> int:
        """Start of the up to two capitalized words before ``end``; the sentence's first word only
        with ``sentence_start`` (a head word such as kaime shows it is a name)."""
        start = end
        while (
            start > 0
            and end - start < 2
            and doc[start - 1].text[:1].isupper()
            and doc[start - 1].is_alpha
            and (sentence_start or not starts_sentence(doc[start - 1]))
            and start - 1 not in covered
        ):
            start -= 1
        return start

    def _text_could_name_a_place(self, text: str) -> bool:
        """What :meth:`_is_place_name` asks of a word's text alone (capitalized, letters, no common word, no
        institution), answered once per distinct word."""
        return (
            text[:1].isupper()
            and text[1:2].islower()
            and text.isalpha()  # spaCy's is_alpha
            and not self.lemmatizer.is_common_word(text)
            and self.lemmatizer.lemmatize(text).lower() not in self.lexicon.not_places
            and text.lower() not in self.lexicon.not_places
        )

    def _is_place_name(self, doc: Doc, index: int) -> bool:
        text = token_table(doc).texts[index]
        if not self._could_name_a_place(text):
            return False
        token = doc[index]  # made only for the words whose text passed: spaCy's tokens are costly to make
        if _after_opening_quote(token) or starts_sentence(token):
            return False
        previous = doc[token.i - 1]
        if text.lower().endswith(_LOCATIVE_ENDINGS[self.lang]) or previous.lower_ in self.lexicon.origin_prepositions:
            return True
        # The place a community, school or parish is named after: "Dauparų bendruomenė", "Smilgynų ir
        # kaimynų bendruomenė", "Kabiles pamatskola".
        return (
            text.lower().endswith(_GENITIVE_ENDINGS[self.lang])
            and not (
                previous.text[:1].isupper()
                and (previous.text.endswith(".") or (previous.is_alpha and not starts_sentence(previous)))
            )
            and any(t.lower_ in self.named_after_place for t in doc[token.i + 1 : token.i + 4])
            and all(t.text[:1].islower() for t in doc[token.i + 1 : token.i + 4] if t.is_alpha)
        )

    def _eldership_of(self, genitive: str) -> str | None:
        """The eldership (seniūnija) a genitive names ("Vilijampolės" -> LT-15:vilijampoles-seniunija)."""
        place_form = self.forms.get(f"{genitive.lower()} seniūnija")
        return place_form.entity_id if place_form else None

    def _nominative(self, form: str, case: str) -> str:
        return place_nominative(form, self.lang, (case,))


#: Cases a place name found in running text is read in, most likely first (the nominative last:
#: "Kabiles" is the genitive of Kabile far more often than a plural Kabiles).
PLACE_CASES = ("gen", "loc", "acc", "dat", "ins", "nom")


def place_nominative(form: str, lang: str, cases: tuple[str, ...] = PLACE_CASES) -> str:
    """Nominative of a place name written in one of ``cases`` (tried in order).

    A known proper noun takes its treebank lemma; a plural form names a plural place (Brožių ->
    Brožiai, Vecumniekos -> Vecumnieki); a Latvian singular reads feminine first, as most town names
    are (Rendā -> Renda, Moricburgu -> Moricburga).
    """
    known = lookup_lemmatizer(lang).proper_forms.get(form.lower())
    if known:
        return known[:1].upper() + known[1:]
    candidates = nominative_candidates(form, lang)
    # Singular readings first: "Moricburgu" is an accusative singular before a genitive plural.
    for number, case in [(number, case) for number in ("sg", "pl") for case in cases]:
        readings = [r for r in candidates if r[1] == f"{number}_{case}"]
        if lang == "lv":
            readings.sort(key=lambda reading: reading[2] != "f")
        if not readings:
            continue
        nominative, reading_case, _ = readings[0]
        if reading_case.startswith("pl_"):
            forms = inflect(nominative, lang)
            if forms.get(reading_case, "").lower() == form.lower():
                return forms["pl_nom"]
        return nominative
    return form


_PLACE_NAMED_KINDS = ("community", "education", "municipality", "other")


def starts_sentence(token) -> bool:
    """The sentence's first word (after any quotation mark, dash or line break before it)."""
    if token.i == 0:
        return True
    doc = token.doc
    first = sentences(doc).token_starts[token.i]
    return all(t.is_punct or t.is_space for t in doc[first : token.i])


def _after_opening_quote(token) -> bool:
    """Inside a quoted name („Maximoje“): the word follows an opening quotation mark."""
    return token.i > 0 and token.doc[token.i - 1].text in ("„", "«", '"', "“")


def _whole_words(special_cases: Mapping[str, list]) -> Callable[[str], bool]:
    """Whether the tokenizer keeps a word (a text without spaces) whole, as one token.

    No word of a special case of several words is (it may join its neighbours). A special case of one
    token is kept whole (r., sav.), one of several tokens is not (Cannot -> Can not). Any other word is
    kept whole when made of letters only: spaCy's prefix, suffix and infix rules split at punctuation,
    symbols and digits, never between letters (tests/extract/test_places_patterns.py checks every
    gazetteer form).
    """
    in_phrases = {word for case in special_cases if len(case.split()) > 1 for word in case.split()}

    def whole(word: str) -> bool:
        if word in in_phrases:
            return False
        if word in special_cases:
            return len(special_cases[word]) == 1
        return word.isalpha()

    return whole


def _key(tokens) -> str:
    return " ".join(token.lower_ for token in tokens)


def is_locative(mention: Mention, lang: str) -> bool:
    """True when the place is written in the locative case (Klaipėdos rajone, Liepājā)."""
    last = mention.text.rsplit(" ", 1)[-1].lower()
    if last == mention.normalized.rsplit(" ", 1)[-1].lower():
        return False
    if lang == "lt" and last.endswith("e") and mention.normalized.endswith("as"):
        return True  # rajonas -> rajone
    return last.endswith(_LOCATIVE_ENDINGS.get(lang, ()))
