"""Extraction word lists (``data/lexicon/extraction.json``) expanded into every inflected form."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

from nvo_nlp.nlp.morph import inflect_phrase


@dataclass(frozen=True)
class FormReading:
    """What an inflected form of a lexicon entry stands for."""

    lemma: str
    case: str  # e.g. "sg_gen"; "sg_nom" for uninflected entries
    gender: str | None
    key: str | None = None  # role id or event type, for entries that carry one


@functools.cache
def _raw() -> dict:
    return json.loads(resources.files("nvo_nlp").joinpath("data/lexicon/extraction.json").read_text("utf-8"))


def _expand(lemma: str, lang: str, *, plural_only: bool, key: str | None = None) -> dict[str, FormReading]:
    forms: dict[str, FormReading] = {}
    gender = None
    if lang == "en":
        pairs = [("sg_nom", lemma)] + ([] if lemma.endswith("s") else [("pl_nom", lemma + "s")])
    else:
        inflected = inflect_phrase(lemma, lang, plural=plural_only)
        pairs = [("sg_nom", lemma), *sorted(inflected.items(), key=lambda item: not item[0].startswith("sg"))]
        head = lemma.rsplit(" ", 1)[-1]
        gender = "f" if head.endswith(("ė", "a", "e", "os", "ės")) else "m"
    for case, form in pairs:
        # Singular readings first: an ambiguous form (vicemerės = sg_gen | pl_nom) keeps its singular reading.
        forms.setdefault(form.lower(), FormReading(lemma, case, gender, key))
    return forms


class Lexicon:
    """Inflected-form lookups for one language."""

    def __init__(self, lang: str) -> None:
        raw = _raw()
        self.lang = lang
        plural_only = set(raw["plural_only_lemmas"].get(lang, ()))

        def expand_all(lemmas, key_of=lambda lemma: None) -> dict[str, FormReading]:
            expanded = [_expand(lemma, lang, plural_only=lemma in plural_only, key=key_of(lemma)) for lemma in lemmas]
            # A form that is some entry's lemma reads as that lemma ("vadītāja" is the feminine
            # nominative, not the genitive of "vadītājs"); other ambiguities keep the first entry.
            table = {form: r for forms in expanded for form, r in forms.items() if r.case == "sg_nom"}
            for forms in expanded:
                for form, reading in forms.items():
                    table.setdefault(form, reading)
            return table

        role_of = {lemma: role["id"] for role in raw["roles"] for lemma in role.get(lang, ())}
        self.roles = expand_all(role_of, key_of=role_of.get)
        irregular = {
            form: FormReading(lemma, "pl_nom", None) for form, lemma in raw["irregular_forms"].get(lang, {}).items()
        }
        self.community_heads = expand_all(raw["community_heads"].get(lang, ()))
        self.organization_heads = expand_all(raw["organization_heads"].get(lang, ()))
        self.company_heads = expand_all(raw["company_heads"].get(lang, ()))
        kind_of = {lemma: kind for kind, lemmas in raw["organization_kinds"].get(lang, {}).items() for lemma in lemmas}
        # Head words of organization names, each reading keyed by the organization kind.
        self.organization_name_heads = expand_all(kind_of, key_of=kind_of.get)
        names = raw["organization_names"].get(lang, {})
        # Names known as a whole ("Seimas", "Eiropas Savienība", "NATO"): inflected form -> reading keyed by kind.
        self.organization_names = {
            form: reading
            for name, kind in names.items()
            for form, reading in (
                _expand(name, lang, plural_only=name in plural_only, key=kind) if not name.isupper() else {}
            ).items()
        } | {name.lower(): FormReading(name, "sg_nom", None, kind) for name, kind in names.items() if name.isupper()}
        self.media_name_words = frozenset(raw["media_name_words"].get(lang, ()))
        self.company_name_words = frozenset(raw["company_name_words"].get(lang, ()))
        self.international_name_starts = tuple(raw["international_name_starts"].get(lang, ()))
        self.municipal_words = frozenset(raw["municipal_words"].get(lang, ()))
        self.not_organizations = frozenset(name.lower() for name in raw["not_organizations"].get(lang, ()))
        self.place_heads = expand_all(raw["place_heads"].get(lang, ()))
        self.settlement_heads = expand_all(raw["settlement_heads"].get(lang, ()))
        self.not_places = frozenset(name.lower() for name in raw["not_places"].get(lang, ()))
        self.counted_nouns = {**expand_all(raw["counted_nouns"].get(lang, ())), **irregular}
        triggers = raw["event_triggers"].get(lang, {})
        self.event_triggers = expand_all(triggers, key_of=triggers.get)
        # Heads that name an event only inside a quoted name ("Patirties mainų diena"), never alone.
        heads = {**raw["named_event_heads"].get(lang, {}), **triggers}
        self.named_event_heads = expand_all(heads, key_of=heads.get)
        self.project_keywords = expand_all(raw["project_keywords"].get(lang, ()))
        self.origin_prepositions = frozenset(raw["origin_prepositions"].get(lang, ()))
        self.count_qualifiers = {
            tuple(phrase.split()): kind for phrase, kind in raw["count_qualifiers"].get(lang, {}).items()
        }
        self.number_words: dict[str, int] = raw["number_words"].get(lang, {})
        self.number_multipliers: dict[str, int] = raw["number_multipliers"].get(lang, {})
        # Heads of names that honour a person ("Juozo Urbšio vidurinė mokykla"): that person is not present.
        self.named_after_heads = expand_all(raw["named_after_heads"].get(lang, ()))
        self.work_title_words = expand_all(raw["work_title_words"].get(lang, ()))
        self.speech_verbs = frozenset(raw["speech_verbs"].get(lang, ()))
        self.source_phrases = frozenset(raw["source_phrases"].get(lang, ()))
        self.speech_complementizers = frozenset(raw["speech_complementizers"].get(lang, ()))
        self.subject_pronouns = frozenset(raw["subject_pronouns"].get(lang, ()))
        self.english_name_markers = tuple(raw["english_name_markers"].get(lang, ()))
        self.programme_heads = expand_all(raw["programme_heads"].get(lang, ()))
        self.programme_names = frozenset(name.lower() for name in raw["programme_names"].get(lang, ()))


@functools.cache
def lexicon(lang: str) -> Lexicon:
    """The process-wide lexicon of ``lang`` (built once)."""
    return Lexicon(lang)
