"""Train the spaCy edit-tree lemmatizer (with a morphologizer) that benchmarks/names.py compares.

Usage: python scripts/train_spacy_lemmatizer.py --lang lt --output DIR [--shared DIR] [--max-steps N]

Converts the UD train and dev files of ``shared/data/ud`` to spaCy's binary format and trains
``scripts/configs/spacy_lemmatizer.cfg`` (tok2vec + morphologizer + trainable_lemmatizer) on the
train file, selecting the best step on dev. The result lands in ``DIR/<lang>/`` (model-best);
``python benchmarks/names.py --spacy-models DIR`` then measures it beside the package's lemmatizer.
The package does not ship this model: it measured below the rule lemmatizer (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from spacy.cli.train import train
from spacy.tokens import DocBin
from spacy.training.converters import conllu_to_docs

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "scripts" / "configs" / "spacy_lemmatizer.cfg"
FILES = {
    "lt": ("ud/lt/lt_alksnis-train.conllu", "ud/lt/lt_alksnis-ud-dev.conllu"),
    "lv": ("ud/lv/lv_lvtb-train.conllu", "ud/lv/lv_lvtb-ud-dev.conllu"),
}


def to_docbin(conllu: Path, target: Path) -> Path:
    docs = conllu_to_docs(conllu.read_text(encoding="utf-8"), n_sents=10, no_print=True)
    DocBin(docs=docs, store_user_data=False).to_disk(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(FILES), required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--max-steps", type=int, default=4000)
    args = parser.parse_args()
    work = args.output / f"{args.lang}-training"
    work.mkdir(parents=True, exist_ok=True)
    train_file, dev_file = (
        to_docbin(args.shared / name, work / f"{kind}.spacy")
        for name, kind in zip(FILES[args.lang], ("train", "dev"), strict=True)
    )
    train(
        CONFIG,
        work / "output",
        overrides={
            "nlp.lang": args.lang,
            "paths.train": str(train_file),
            "paths.dev": str(dev_file),
            "training.max_steps": args.max_steps,
        },
    )
    target = args.output / args.lang
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(work / "output" / "model-best", target)
    print(f"{args.lang}: trained pipeline in {target}")


if __name__ == "__main__":
    main()
