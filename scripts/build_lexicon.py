"""Build the form -> lemma lexicons shipped in the package from the UD training treebanks.

Usage: python scripts/build_lexicon.py [--shared DIR]

Reads only the *train* files of ``shared/data/ud`` (dev files stay for measuring)
and writes to ``src/nvo_nlp/data/lexicon/``:

- ``lemmas_<lang>.tsv.gz``: lower-cased form, lemma and UPOS, keeping for each
  form its most frequent (lemma, UPOS) pair;
- ``suffixes_<lang>.tsv.gz``: for unseen forms, the rewrite (strip N characters,
  append S) most often seen with each word ending of 2-6 characters, its UPOS,
  support and share, learned from the same pairs;
- ``langid_words_<lang>.txt.gz``: evidence words for telling Lithuanian from
  Latvian in short texts: lower-cased common-word forms (not names, numbers or
  punctuation) seen at least twice in one language's treebank and never in the
  other's, longer than one letter, and not words that lingua (restricted to the
  default candidates) on its own gives to another language with confidence
  >= 0.5 (so "no", "der" or "i" never vote for Latvian).
Derived from CC BY-SA 4.0 treebanks: the output carries the same licence.
"""

from __future__ import annotations

import argparse
import gzip
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# HSE is left out: its sentences are part of the language-identification benchmark (langid/lt.txt).
TRAIN_FILES = {
    "lt": ["ud/lt/lt_alksnis-train.conllu"],
    "lv": ["ud/lv/lv_lvtb-train.conllu"],
}
#: Word forms seen at least this often become language-identification evidence.
LANGID_MIN_COUNT = 2
_NOT_WORDS = {"PUNCT", "SYM", "NUM", "X", "PROPN"}


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


def langid_evidence(shared: Path) -> dict[str, list[str]]:
    """Words that, seen in a short text, point to Lithuanian rather than Latvian or the reverse."""
    from nvo_nlp.langid.detect import DEFAULT_CANDIDATES, LinguaBackend

    common = {}
    for lang, files in TRAIN_FILES.items():
        counts = Counter(
            form.lower()
            for relative in files
            for form, _lemma, upos in read_conllu_tokens(shared / relative)
            if upos not in _NOT_WORDS and any(ch.isalpha() for ch in form)
        )
        common[lang] = {form for form, count in counts.items() if count >= LANGID_MIN_COUNT and len(form) > 1}
    lingua = LinguaBackend(DEFAULT_CANDIDATES)
    evidence = {}
    for lang, other in (("lt", "lv"), ("lv", "lt")):
        keep = []
        for form in sorted(common[lang] - common[other]):
            best, confidence = lingua.scores(form)[0]
            if best in ("lt", "lv") or confidence < 0.5:
                keep.append(form)
        evidence[lang] = keep
    return evidence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=REPO / "src" / "nvo_nlp" / "data" / "lexicon")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    evidence = langid_evidence(args.shared)
    for lang in TRAIN_FILES:
        write_gzip_tsv(args.out / f"langid_words_{lang}.txt.gz", [(form,) for form in evidence[lang]])
        rows = build(args.shared, lang)
        rules = learn_suffix_rules(rows)
        write_gzip_tsv(args.out / f"lemmas_{lang}.tsv.gz", rows)
        write_gzip_tsv(args.out / f"suffixes_{lang}.tsv.gz", rules)
        print(
            f"{lang}: {len(rows)} forms, {len(rules)} suffix rules, {len(evidence[lang])} langid words -> {args.out.relative_to(REPO)}"
        )


if __name__ == "__main__":
    main()
