"""Person names in the nominative, from any case, for Lithuanian and Latvian.

The case and gender come from the context when known (the role word before the
name: "vicemerės Violetos Riaukienės" is genitive feminine), else from a name the
treebanks know ("Jāņa" is the genitive of the man's name Jānis, so "Jāņa Džeriņa"
is Jānis Džeriņš; ``data/lexicon/names_<lang>.tsv.gz``); otherwise every case is
tried, nominative first, with the gender the surname shows (Lithuanian women's
surnames in -ienė, -aitė, -ytė, -utė, -ūtė). Initials stay
("G. Viliūnas"), and in Lithuanian text a name written with letters Lithuanian
does not use is foreign and stays as written (Jānis Džeriņš).
"""

from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Sequence
from importlib import resources

from nvo_nlp.nlp.morph import declensions, nominative_candidates

# Locative before instrumental: "Violetoje" is a locative, not an instrumental of "Violetojė".
CASE_ORDER = ("nom", "gen", "dat", "acc", "loc", "ins")
# Letters Lithuanian does not use: a name written with them is foreign and kept as is.
_NON_LITHUANIAN_LETTERS = frozenset("āēīōņļķģŗĀĒĪŌŅĻĶĢŖ")
_LT_FEMALE_SURNAME = re.compile(r"(ien|ait|yt|ut|ūt)(ė|ės|ei|ę|e|ėje)$")


def is_foreign_name(name: str, lang: str) -> bool:
    return lang == "lt" and any(ch in _NON_LITHUANIAN_LETTERS for ch in name)


def person_nominative(words: Sequence[str], lang: str, *, case: str | None = None, gender: str | None = None) -> str:
    """The nominative of a person's name written in ``case`` (``sg_gen``...; None: infer it)."""
    return _person_nominative(tuple(words), lang, case, gender)


@functools.lru_cache(maxsize=2**16)  # news names the same people again and again: each is read once
def _person_nominative(words: tuple[str, ...], lang: str, case: str | None, gender: str | None) -> str:
    name = " ".join(words)
    if lang not in ("lt", "lv") or not words or is_foreign_name(name, lang):
        return name
    if case is not None:
        wanted = case.split("_")[-1]
        if wanted == "nom":
            return name
        return " ".join(_word(word, lang, wanted, gender) or word for word in words)
    cases, genders = CASE_ORDER, (gender,) if gender else _genders(words[-1], lang)
    # The first name tells case and gender best: surnames such as Bērziņa are both
    # a woman's nominative and a man's genitive.
    reading = next(filter(None, (_name_reading(word, lang, gender) for word in words)), None)
    if reading is not None:
        cases, genders = (reading[0], *CASE_ORDER), (reading[1],)
    for wanted in cases:
        for candidate_gender in genders:
            converted = [_word(word, lang, wanted, candidate_gender) for word in words]
            if None not in converted:
                return " ".join(converted)
    return name


@functools.cache
def _names(lang: str) -> dict[str, tuple[str, str, str]]:
    resource = resources.files("nvo_nlp").joinpath(f"data/lexicon/names_{lang}.tsv.gz")
    rows = gzip.decompress(resource.read_bytes()).decode("utf-8").splitlines()
    return {form: (lemma, case, gender) for form, lemma, case, gender in (row.split("\t") for row in rows)}


def _known_name(word: str, lang: str) -> tuple[str, str, str] | None:
    """(nominative, case, gender) of a name form the treebanks saw, if any."""
    return _names(lang).get(word.lower()) if word[:1].isupper() else None


@functools.cache
def _name_genders(lang: str) -> dict[str, str]:
    """Nominative name -> gender, for the names the treebanks know."""
    return {lemma.lower(): gender for lemma, _case, gender in _names(lang).values()}


def is_known_name_form(word: str, lang: str) -> bool:
    """Any case form of a name the treebanks and LUMII's NER corpus know (Rymanto, Jānim)."""
    return lang in ("lt", "lv") and _known_name(word, lang) is not None


def is_known_first_name(word: str, lang: str) -> bool:
    """A name the treebanks know in the nominative (Aldona, Jānis)."""
    return lang in ("lt", "lv") and word.lower() in _name_genders(lang)


def _name_reading(word: str, lang: str, gender: str | None) -> tuple[str, str] | None:
    """(case, gender) of a word that is, or inflects, a known name."""
    known = _known_name(word, lang)
    if known is not None and gender in (None, known[2]):
        return known[1], known[2]
    if not word[:1].isupper() or word.endswith("."):
        return None
    genders = _name_genders(lang)
    readings = [(word, "sg_nom", g) for g in ("m", "f")] + list(nominative_candidates(word, lang))
    for case in CASE_ORDER:
        for nominative, reading_case, reading_gender in readings:
            known_gender = genders.get(nominative.lower())
            if reading_case == f"sg_{case}" and known_gender == reading_gender and gender in (None, known_gender):
                return case, reading_gender
    return None


def _genders(surname: str, lang: str) -> tuple[str, ...]:
    if lang == "lt" and _LT_FEMALE_SURNAME.search(surname):
        return ("f",)
    return ("m", "f")  # -ą, -u and the like are ambiguous: men's names come first, as in the news


def _word(word: str, lang: str, case: str, gender: str | None) -> str | None:
    parts = word.split("-")
    if len(parts) > 1 and all(part.isalpha() for part in parts):
        # "Onos-Marijos", "Ķuzules-Skrastiņas": each part declines.
        converted = [_word(part, lang, case, gender) for part in parts]
        return None if None in converted else "-".join(converted)
    if word.endswith(".") or not word.isalpha():
        return word  # initials
    known = _known_name(word, lang)
    if known is not None and known[1] == case and gender in (None, known[2]):
        return known[0]
    if case == "nom":
        singular, _plural_only = declensions(lang)
        fits = any(word.endswith(d.nom) and (gender is None or d.gender == gender) for d in singular)
        if lang == "lv" and gender == "m" and word.endswith(("as", "es")):
            fits = False  # a feminine genitive (Līgas), not a masculine nominative
        return word if fits else None
    readings = [
        nominative
        for nominative, reading_case, reading_gender in nominative_candidates(word, lang)
        if reading_case == f"sg_{case}" and (gender is None or reading_gender == gender)
    ]
    if not readings and gender == "m" and lang == "lt":
        # Men's surnames in -a decline as feminine nouns: vedėjo Henriko Mackelos -> Henrikas Mackela.
        readings = [n for n, c, g in nominative_candidates(word, lang) if c == f"sg_{case}" and g == "f"]
    if len(readings) > 1:
        # A first name the treebanks know wins: Andra -> Andris, not Andrs.
        readings = [n for n in readings if n.lower() in _name_genders(lang)] or readings
    if lang == "lv" and gender == "m" and len(readings) > 1:
        # Gunāra: Gunārs rather than Gunāris or Gunārš; Ansiņa: Ansiņš.
        readings = [n for n in readings if _latvian_masculine_name(n)] or readings
    if lang == "lt" and len(readings) > 1:
        # Butkevičiui, Urbšio: names in -ius and -is/-ys are far more common than in -ias.
        readings = [n for n in readings if not n.endswith("ias")] or readings
    return readings[0] if readings else None


def _latvian_masculine_name(nominative: str) -> bool:
    """Latvian masculine names end in -š after ņ (Džeriņš), in -is after -sk/-ck (Kozlovskis,
    Krasovickis) and in -s otherwise (Gunārs, not Gunāris)."""
    if nominative[:-1].endswith("ņ"):
        return nominative.endswith("š")
    if nominative.endswith(("skis", "ckis")):
        return True
    return nominative.endswith("s") and not nominative.endswith(("is", "us", "sks", "cks"))
