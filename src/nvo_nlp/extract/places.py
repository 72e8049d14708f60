"""Places, municipalities and countries found through the gazetteer's inflected forms."""

from __future__ import annotations

from collections.abc import Callable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans
from spacy.vocab import Vocab

from nvo_nlp.extract.gazetteer import Gazetteer, PlaceForm, default_gazetteer
from nvo_nlp.extract.lexicon import lexicon
from nvo_nlp.extract.mention import Mention
from nvo_nlp.extract.spans import make_mention

# Case endings of the locative ("in X"), which marks where an event takes place.
_LOCATIVE_ENDINGS = {
    "lt": ("oje", "ėje", "yje", "uje", "iuose", "uose", "ose", "ėse", "yse", "ioje"),
    "lv": ("ā", "ē", "ī", "ū", "os", "ās", "ēs", "īs"),
}


class PlaceExtractor:
    """Finds gazetteer forms (longest match wins) and links them to their entity.

    Places no list holds — parishes (Ēdoles pagastā), villages (Ablingos kaime) — are still found
    by their head word after a capitalized name, in the nominative, without an entity id.
    """

    def __init__(self, vocab: Vocab, make_doc: Callable[[str], Doc], lang: str, gazetteer: Gazetteer | None = None):
        self.lang = lang
        self.heads = lexicon(lang).place_heads
        self.gazetteer = gazetteer or default_gazetteer()
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        self.forms: dict[str, PlaceForm] = {}
        patterns = []
        for place_form in self.gazetteer.forms(lang):
            pattern = make_doc(place_form.form)
            key = _key(pattern)
            if key not in self.forms:
                self.forms[key] = place_form
                patterns.append(pattern)
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
                )
            )
        return sorted(mentions + self._unlisted(doc, spans), key=lambda m: m.start)

    def _unlisted(self, doc: Doc, listed) -> list[Mention]:
        covered = {i for span in listed for i in range(span.start, span.end)}
        found = []
        for token in doc:
            reading = self.heads.get(token.lower_)
            if reading is None or token.i in covered or token.i == 0:
                continue
            start = token.i
            while start > 0 and token.i - start < 2 and doc[start - 1].text[:1].isupper() and doc[start - 1].is_alpha:
                start -= 1
            if start == token.i or any(i in covered for i in range(start, token.i)):
                continue
            span = doc[start : token.i + 1]
            normalized = f"{doc[start : token.i].text} {reading.lemma}"
            found.append(make_mention(span, type="PLACE", normalized=normalized, method="rules", confidence=0.7))
        return found


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
