"""Rule-based noun inflection for Lithuanian and Latvian, driven by ``data/morph/declensions.json``.

Used in both directions: to expand a lexicon lemma (``bendruomenė``) into all of
its case forms, and to propose nominative candidates for an inflected form.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

CASES = ("nom", "gen", "dat", "acc", "ins", "loc")


@dataclass(frozen=True)
class Declension:
    nom: str
    gender: str
    singular: tuple[str, ...]
    plural: tuple[str, ...]


@functools.cache
def declensions(lang: str) -> tuple[tuple[Declension, ...], tuple[Declension, ...]]:
    """(singular classes, plural-only classes) for ``lang``; empty for languages without tables."""
    data = json.loads(resources.files("nvo_nlp").joinpath("data/morph/declensions.json").read_text("utf-8"))
    table = data.get(lang, {"classes": [], "plural_only": []})
    singular = tuple(
        Declension(c["nom"], c["gender"], tuple(c["singular"]), tuple(c["plural"])) for c in table["classes"]
    )
    plural_only = tuple(Declension(c["nom"], c["gender"], (), tuple(c["plural"])) for c in table["plural_only"])
    return singular, plural_only


_BACK_VOWELS = ("a", "o", "u", "ą", "ų", "ū")


def _softening(ending: str, lang: str) -> bool:
    return lang == "lt" and ending[:1] == "i" and ending[1:2] in _BACK_VOWELS


def _surface(stem: str, ending: str, lang: str) -> str:
    """Join stem and ending with Lithuanian's changes before a softening i: it drops after j
    (rugsėjis -> rugsėjo), and t, d become č, dž (Kęstutis -> Kęstučio, Teišerskytė -> Teišerskyčių)."""
    if _softening(ending, lang):
        if stem.endswith("j"):
            ending = ending[1:]
        elif stem.endswith("t"):
            stem = stem[:-1] + "č"
        elif stem.endswith("d"):
            stem = stem[:-1] + "dž"
    return stem + ending


def _unsoftened_stems(stem: str, ending: str, nominative_ending: str, lang: str) -> list[str]:
    """Stems a form's stem may come from: Kęstuč(io) from Kęstut-, before Kęstuč- itself."""
    if _softening(ending, lang) and not _softening(nominative_ending, lang):
        if stem.endswith("č"):
            return [stem[:-1] + "t", stem]
        if stem.endswith("dž"):
            return [stem[:-2] + "d", stem]
    return [stem]


def declension_of(lemma: str, lang: str, *, plural: bool = False) -> Declension | None:
    """The declension class a nominative lemma belongs to (first match, longest endings first)."""
    singular, plural_only = declensions(lang)
    for declension in plural_only if plural else singular:
        if lemma.endswith(declension.nom) and len(lemma) > len(declension.nom):
            return declension
    return None


@functools.lru_cache(maxsize=65536)
def inflect(lemma: str, lang: str, *, plural: bool = False) -> Mapping[str, str]:
    """Case forms of a one-word lemma: ``{"sg_gen": ..., "pl_loc": ...}``; empty when no class fits."""
    declension = declension_of(lemma, lang, plural=plural)
    if declension is None:
        return {}
    stem = lemma[: len(lemma) - len(declension.nom)]
    forms = {f"pl_{case}": _surface(stem, ending, lang) for case, ending in zip(CASES, declension.plural, strict=True)}
    if not plural:
        forms.update(
            {
                f"sg_{case}": _surface(stem, ending, lang)
                for case, ending in zip(CASES, declension.singular, strict=True)
            }
        )
    return MappingProxyType(forms)  # cached: callers share it


def inflect_phrase(lemma_phrase: str, lang: str, *, plural: bool = False) -> dict[str, str]:
    """Inflect the last word of a phrase whose other words are fixed (genitive modifiers)."""
    head_start = lemma_phrase.rfind(" ") + 1
    prefix, head = lemma_phrase[:head_start], lemma_phrase[head_start:]
    return {case: prefix + form for case, form in inflect(head, lang, plural=plural).items()}


@functools.lru_cache(maxsize=65536)
def nominative_candidates(form: str, lang: str) -> tuple[tuple[str, str, str], ...]:
    """Possible (nominative, case, gender) readings of an inflected word, most specific ending first."""
    singular, plural_only = declensions(lang)
    paradigms = [(d, "sg", d.singular) for d in singular] + [(d, "pl", d.plural) for d in singular + plural_only]
    readings: list[tuple[str, str, str, int]] = []
    for declension, number, endings in paradigms:
        for case, ending in zip(CASES, endings, strict=True):
            if form.endswith(ending) and len(form) > len(ending) + 1:
                stem = form[: len(form) - len(ending)]
            elif _surface("j", ending, lang) != "j" + ending and form.endswith(_surface("j", ending, lang)):
                stem = form[: len(form) - len(ending) + 1]  # rugsėjo -> stem rugsėj
            else:
                continue
            for source in _unsoftened_stems(stem, ending, declension.nom, lang):
                readings.append(
                    (_surface(source, declension.nom, lang), f"{number}_{case}", declension.gender, len(ending))
                )
    readings.sort(key=lambda reading: -reading[3])
    return tuple(dict.fromkeys((nominative, case, gender) for nominative, case, gender, _ in readings))
