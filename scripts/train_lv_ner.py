"""Train the Latvian named-entity pipeline shipped in the package, from LUMII's Latvian NER corpus.

Usage: python scripts/train_lv_ner.py [--shared DIR] [--work DIR] [--max-steps N]

Reads ``shared/data/lv_ner/train.conll`` (training) and ``dev.conll`` (model selection), one spaCy doc
per paragraph, keeping the outer entities of the corpus's labels mapped to spaCy's: person -> PERSON,
organization -> ORG, GPE -> GPE, location -> LOC, event -> EVENT, product -> PRODUCT (time, money and
the catch-all "entity" are left out: dates and amounts have rules of their own). Trains
``scripts/configs/lv_ner.cfg`` (tok2vec + ner) and copies the best step to
``src/nvo_nlp/data/models/lv_ner`` with a README of its scores and licence. The corpus is CC BY-SA 4.0
(LUMII AI Lab, University of Latvia): so is the model.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import spacy
from spacy.cli.train import train
from spacy.tokens import Doc, DocBin

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "scripts" / "configs" / "lv_ner.cfg"
TARGET = REPO / "src" / "nvo_nlp" / "data" / "models" / "lv_ner"
LABELS = {
    "person": "PERSON",
    "organization": "ORG",
    "GPE": "GPE",
    "location": "LOC",
    "event": "EVENT",
    "product": "PRODUCT",
}


def paragraphs(path: Path):
    """(words, spaces, BIO tags) per paragraph of a CoNLL file with NER in column 7."""
    words, spaces, tags = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar") and words:
            yield words, spaces, tags
            words, spaces, tags = [], [], []
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        words.append(cols[1])
        spaces.append("SpaceAfter=No" not in cols[9] if len(cols) > 9 else True)
        tags.append(cols[6])
    if words:
        yield words, spaces, tags


def to_doc(vocab, words, spaces, tags) -> Doc:
    iob = []
    for tag in tags:
        prefix, _, label = tag.partition("-")
        mapped = LABELS.get(label)
        if mapped is None or prefix not in ("B", "I"):
            iob.append("O")
        elif prefix == "I" and iob and iob[-1] != "O" and iob[-1].endswith(mapped):
            iob.append(f"I-{mapped}")
        else:
            iob.append(f"B-{mapped}")
    return Doc(vocab, words=words, spaces=spaces, ents=iob)


def convert(source: Path, target: Path) -> int:
    nlp = spacy.blank("lv")
    docs = [to_doc(nlp.vocab, *paragraph) for paragraph in paragraphs(source)]
    DocBin(docs=docs).to_disk(target)
    return len(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "lv_ner")
    parser.add_argument("--max-steps", type=int, help="override the config's training.max_steps")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    counts = {
        name: convert(args.shared / "lv_ner" / f"{name}.conll", args.work / f"{name}.spacy")
        for name in ("train", "dev")
    }
    print(f"paragraphs: {counts}")
    train(
        CONFIG,
        args.work / "output",
        overrides={
            "paths.train": str(args.work / "train.spacy"),
            "paths.dev": str(args.work / "dev.spacy"),
            **({"training.max_steps": args.max_steps} if args.max_steps else {}),
        },
    )
    best = args.work / "output" / "model-best"
    meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
    meta.update(
        name="nvo_lv_ner",
        version="0.1.0",
        description="Latvian named entities (PERSON, ORG, GPE, LOC, EVENT, PRODUCT) for nvo-nlp",
        license="CC BY-SA 4.0",
        author="nvo-nlp, trained on the LUMII AI Lab Latvian NER corpus (FullStack)",
    )
    (best / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.rmtree(TARGET, ignore_errors=True)
    shutil.copytree(best, TARGET)
    forget_training_paths(TARGET / "config.cfg")
    (TARGET / "README.md").write_text(model_card(meta, counts), encoding="utf-8")
    print(f"shipped {TARGET.relative_to(REPO)}: dev F1 {meta['performance']['ents_f']:.3f}")


def forget_training_paths(config: Path) -> None:
    """The shipped config names no folder of the machine it was trained on."""
    lines = config.read_text(encoding="utf-8").splitlines()
    cleaned = [
        f"{line.split('=')[0].strip()} = null" if line.startswith(("train = ", "dev = ")) else line for line in lines
    ]
    config.write_text("\n".join(cleaned) + "\n", encoding="utf-8")


def model_card(meta: dict, counts: dict[str, int]) -> str:
    scores = meta["performance"]
    rows = "\n".join(
        f"| {label} | {value['p']:.3f} | {value['r']:.3f} | {value['f']:.3f} |"
        for label, value in sorted(scores["ents_per_type"].items())
    )
    return f"""# nvo_lv_ner: Latvian named entities

A spaCy {meta["spacy_version"]} pipeline (tok2vec + ner, CNN, CPU) trained by `python scripts/train_lv_ner.py`
with `scripts/configs/lv_ner.cfg` on `lv_ner/train.conll` ({counts["train"]} paragraphs), the best step chosen
on `lv_ner/dev.conll` ({counts["dev"]} paragraphs). Labels: person -> PERSON, organization -> ORG, GPE -> GPE,
location -> LOC, event -> EVENT, product -> PRODUCT (time, money and "entity" left out).

Dev scores (exact entity spans): precision {scores["ents_p"]:.3f}, recall {scores["ents_r"]:.3f}, F1 {scores["ents_f"]:.3f}.

| label | precision | recall | F1 |
|---|---|---|---|
{rows}

Data and licence: LUMII AI Lab (Institute of Mathematics and Computer Science, University of Latvia),
Latvian NER corpus of the FullStack project, CC BY-SA 4.0; this model is a derived work under the same
licence. nvo-nlp uses it for Latvian by default (`--ner lv=bundled`); `--ner lv=none` turns it off.
"""


if __name__ == "__main__":
    main()
