"""Lemmas and place names: how the current methods do on the UD and NER dev sets (issue 5 baseline).

Usage: python benchmarks/names.py [--shared DIR]      (pip install simplemma to include it)

1. Lemma accuracy on the UD dev files (lt ALKSNIS, lv LVTB), overall (all tokens but punctuation)
   and for PROPN tokens, side by side for the package's lookup lemmatizer (UD train forms + learned
   suffix rewrites) and simplemma, with throughput (tokens/s). Lemmas are compared case-insensitively.
2. Place recall on the place-name entities of lv_ner/dev.conll whose lemma sequence ends in
   novads, pagasts or pilsēta: the share of them that a place mention covers (the mention may be
   longer: "Kuldīgas novada pašvaldības" covers "Kuldīgas novada"), and how many of those the
   gazetteer linked to an entity id (the rest: places found by their head word, such as parishes).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV = {"lt": "ud/lt/lt_alksnis-ud-dev.conllu", "lv": "ud/lv/lv_lvtb-ud-dev.conllu"}


def ud_tokens(path: Path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0] or cols[3] == "PUNCT":
            continue
        yield cols[1], cols[2], cols[3]


def lemma_methods(lang: str) -> dict:
    from nvo_nlp.nlp.lemmatizer import LookupLemmatizer

    methods = {"lookup + suffix rules": LookupLemmatizer(lang).lemmatize}
    try:
        import simplemma

        methods["simplemma"] = lambda word: simplemma.lemmatize(word, lang=lang)
    except ImportError:
        print("(simplemma not installed: pip install simplemma to compare it)")
    return methods


def place_entities(path: Path):
    """(sentence text, entity text, entity start) of GPE/location entities ending in novads/pagasts/pilsēta."""
    sentence, tokens = None, []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# text = "):
            sentence = line[len("# text = ") :]
        elif line and not line.startswith("#"):
            cols = line.split("\t")
            tokens.append((cols[1], cols[2], cols[6]))
        elif not line and tokens:
            entity = []
            for form, lemma, tag in tokens + [("", "", "O")]:
                if tag.startswith("B-") or tag == "O":
                    if entity and entity[-1][1].lower() in ("novads", "pagasts", "pilsēta"):
                        yield sentence, entity
                    entity = [(form, lemma)] if tag.startswith("B-") else []
                elif tag.startswith("I-") and entity:
                    entity.append((form, lemma))
            tokens = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()

    print("| language | method | overall | PROPN | tokens/s |")
    print("|---|---|---|---|---|")
    for lang, relative in DEV.items():
        tokens = list(ud_tokens(args.shared / relative))
        proper = [(word, lemma) for word, lemma, upos in tokens if upos == "PROPN"]
        for name, lemmatize in lemma_methods(lang).items():
            started = time.perf_counter()
            guesses = [lemmatize(word) for word, _, _ in tokens]
            speed = len(tokens) / (time.perf_counter() - started)
            pairs = zip(guesses, tokens, strict=True)
            overall = sum(guess.lower() == lemma.lower() for guess, (_, lemma, _) in pairs) / len(tokens)
            propn = sum(lemmatize(word).lower() == lemma.lower() for word, lemma in proper) / len(proper)
            print(f"| {lang} | {name} | {overall:.3f} | {propn:.3f} | {speed:,.0f} |")
    print(
        f"\n(dev tokens without punctuation: lt {sum(1 for _ in ud_tokens(args.shared / DEV['lt']))}, "
        f"lv {sum(1 for _ in ud_tokens(args.shared / DEV['lv']))})\n"
    )

    from nvo_nlp.extract.spans import mentions_in
    from nvo_nlp.nlp.pipeline import pipeline_for

    nlp = pipeline_for("lv")
    found = linked = total = 0
    for sentence, entity in place_entities(args.shared / "lv_ner" / "dev.conll"):
        surface = " ".join(form for form, _ in entity)
        total += 1
        covering = [m for m in mentions_in(nlp(sentence), "nvo_places") if surface in " ".join(m.text.split())]
        found += bool(covering)
        linked += any(m.entity_id for m in covering)
    print(
        f"place recall on lv_ner dev novads/pagasts/pilsēta entities: {found}/{total} = {found / total:.3f}"
        f" ({linked} linked to a gazetteer entity)"
    )


if __name__ == "__main__":
    main()
