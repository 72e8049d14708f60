"""Lemmas and place names: how the lemmatizers do on the UD and NER dev sets (name-normalization issue).

Usage: python benchmarks/names.py [--shared DIR] [--spacy-models DIR]

1. Lemma accuracy on the UD dev files (lt ALKSNIS, lv LVTB), overall (all words but punctuation),
   for PROPN words and for words unseen in the train file, side by side for simplemma, the package's
   treebank forms + learned endings alone, the package's lemmatizer (with simplemma's dictionary), and
   with --spacy-models the spaCy pipelines trained by scripts/train_spacy_lemmatizer.py (DIR/lt, DIR/lv),
   with throughput (words/s). Lemmas are compared case-insensitively.
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
    """(form, lemma, UPOS, sentence start) of every syntactic word but punctuation.

    Sentence start marks the first word after any leading punctuation (an opening quote).
    """
    first = True
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line:
            first = True
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0] or cols[3] == "PUNCT":
            continue
        yield cols[1], cols[2], cols[3], first
        first = False


def lemma_methods(lang: str, spacy_models: Path | None) -> dict:
    """Name -> function(form, sentence_start) -> lemma."""
    import simplemma

    from nvo_nlp.nlp.lemmatizer import LookupLemmatizer

    package = LookupLemmatizer(lang)
    treebank_only = LookupLemmatizer(lang, dictionary=False)
    methods = {
        "simplemma": lambda word, _start: simplemma.lemmatize(word, lang=lang),
        "treebank forms + endings": lambda word, start: treebank_only.lemmatize(word, sentence_start=start),
        "package: treebank + simplemma + endings": lambda word, start: package.lemmatize(word, sentence_start=start),
    }
    if spacy_models is not None:
        methods["spaCy trainable_lemmatizer"] = SpacyLemmas(spacy_models / lang)
    return methods


class SpacyLemmas:
    """A trained spaCy pipeline run on whole dev sentences (it needs the context), answered word by word."""

    def __init__(self, model: Path) -> None:
        import spacy

        self.nlp = spacy.load(model)
        self.order: list[str] = []
        self.position = 0

    def prepare(self, tokens: list) -> None:
        from spacy.tokens import Doc

        sentences, current = [], []
        for word, _lemma, _upos, start in tokens:
            if start and current:
                sentences.append(current)
                current = []
            current.append(word)
        sentences.append(current)
        docs = self.nlp.pipe(Doc(self.nlp.vocab, words=sentence) for sentence in sentences)
        self.order = [token.lemma_ for doc in docs for token in doc]
        self.position = 0

    def __call__(self, word: str, _start: bool) -> str:
        lemma = self.order[self.position]
        self.position += 1
        return lemma


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


def share(right: list[bool], tokens: list, keep) -> float:
    picked = [ok for ok, token in zip(right, tokens, strict=True) if keep(token)]
    return sum(picked) / len(picked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument(
        "--spacy-models", type=Path, help="directory with lt/ and lv/ trained spaCy pipelines to compare"
    )
    args = parser.parse_args()
    from nvo_nlp.nlp.lemmatizer import lookup_lemmatizer

    print("| language | method | overall | PROPN | unseen in train | tokens/s |")
    print("|---|---|---|---|---|---|")
    for lang, relative in DEV.items():
        tokens = list(ud_tokens(args.shared / relative))
        unseen = {word for word, _, _, _ in tokens if word.lower() not in lookup_lemmatizer(lang).forms}
        for name, lemmatize in lemma_methods(lang, args.spacy_models).items():
            started = time.perf_counter()
            if isinstance(lemmatize, SpacyLemmas):
                lemmatize.prepare(tokens)
            guesses = [lemmatize(word, start) for word, _, _, start in tokens]
            speed = len(tokens) / (time.perf_counter() - started)
            right = [guess.lower() == lemma.lower() for guess, (_, lemma, _, _) in zip(guesses, tokens, strict=True)]
            print(
                f"| {lang} | {name} | {share(right, tokens, lambda t: True):.3f} "
                f"| {share(right, tokens, lambda t: t[2] == 'PROPN'):.3f} "
                f"| {share(right, tokens, lambda t, unseen=unseen: t[0] in unseen):.3f} | {speed:,.0f} |"
            )
    print(
        f"\n(dev words without punctuation: lt {sum(1 for _ in ud_tokens(args.shared / DEV['lt']))}, "
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
