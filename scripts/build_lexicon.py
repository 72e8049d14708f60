"""Build the form -> lemma lexicons shipped in the package from the UD training treebanks.

Usage: python scripts/build_lexicon.py [--shared DIR]

Reads only the *train* files of ``shared/data/ud`` (dev files stay for measuring)
and writes to ``src/nvo_nlp/data/lexicon/``:

- ``lemmas_<lang>.tsv.gz``: lower-cased form, lemma and UPOS, keeping for each
  form its most frequent (lemma, UPOS) pair;
- ``suffixes_<lang>.tsv.gz``: for unseen forms, the rewrite (strip N characters,
  append S) most often seen with each word ending of 2-6 characters, its UPOS,
  support and share, learned from the same pairs.
Derived from CC BY-SA 4.0 treebanks: the output carries the same licence.
"""

from __future__ import annotations

import argparse
import gzip
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TRAIN_FILES = {
    "lt": ["ud/lt/lt_alksnis-train.conllu", "ud/lt/lt_hse-ud-train.conllu"],
    "lv": ["ud/lv/lv_lvtb-train.conllu"],
}


def read_conllu_tokens(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or "-" in cols[0] or "." in cols[0]:
                continue
            yield cols[1], cols[2], cols[3]


def build(shared: Path, lang: str) -> list[tuple[str, str, str]]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for relative in TRAIN_FILES[lang]:
        for form, lemma, upos in read_conllu_tokens(shared / relative):
            if upos in {"PUNCT", "SYM", "NUM", "X"} or lemma == "_":
                continue
            counts[form.lower()][(lemma, upos)] += 1
    rows = []
    for form, options in counts.items():
        # Most frequent analysis; ties broken alphabetically so the build is reproducible.
        (lemma, upos), _ = min(options.items(), key=lambda item: (-item[1], item[0]))
        rows.append((form, lemma, upos))
    return sorted(rows)


MAX_SUFFIX = 6
MIN_SUPPORT = 3


def learn_suffix_rules(rows: list[tuple[str, str, str]]) -> list[tuple[str, int, str, str, int, float]]:
    """Most frequent (strip, append, UPOS) rewrite per form ending, with its support and share."""
    by_suffix: dict[str, Counter] = defaultdict(Counter)
    for form, lemma, upos in rows:
        lemma = lemma.lower()
        common = 0
        while common < min(len(form), len(lemma)) and form[common] == lemma[common]:
            common += 1
        rule = (len(form) - common, lemma[common:], upos)
        for size in range(2, MAX_SUFFIX + 1):
            if len(form) > size:
                by_suffix[form[-size:]][rule] += 1
    rules = []
    for suffix, options in by_suffix.items():
        total = sum(options.values())
        (strip, append, upos), support = min(options.items(), key=lambda item: (-item[1], item[0]))
        if support >= MIN_SUPPORT:
            rules.append((suffix, strip, append, upos, support, round(support / total, 3)))
    return sorted(rules)


def write_gzip_tsv(target: Path, rows) -> None:
    # mtime=0 keeps the gzip bytes identical across rebuilds.
    with gzip.GzipFile(target, "wb", mtime=0) as raw:
        raw.write("".join("\t".join(map(str, row)) + "\n" for row in rows).encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "nvo_nlp" / "data" / "lexicon")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for lang in TRAIN_FILES:
        rows = build(args.shared, lang)
        rules = learn_suffix_rules(rows)
        write_gzip_tsv(args.out / f"lemmas_{lang}.tsv.gz", rows)
        write_gzip_tsv(args.out / f"suffixes_{lang}.tsv.gz", rules)
        print(f"{lang}: {len(rows)} forms, {len(rules)} suffix rules -> {args.out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
