"""Build the form -> lemma lexicons shipped in the package from the UD training treebanks.

Usage: python scripts/build_lexicon.py [--shared DIR]

Reads only the *train* files of ``shared/data/ud`` (dev files stay for measuring)
and writes to ``src/nvo_nlp/data/lexicon/``:

- ``lemmas_<lang>.tsv.gz``: lower-cased form, lemma and UPOS, keeping for each
  form its most frequent (lemma, UPOS) pair, and for forms also seen as a proper
  noun a second row with their most frequent proper-noun lemma;
- ``suffixes_<lang>.tsv.gz``: for unseen forms, the rewrite (strip N characters,
  append S) most often seen with each word ending of up to 7 characters (the empty
  ending is the default), learned once from all (form, lemma) pairs ("common"
  table) and once from proper nouns only ("proper" table); an ending whose rewrite
  equals that of its one-shorter ending is dropped, as the shorter one gives the
  same answer;
- ``names_<lang>.tsv.gz``: singular proper-noun forms with their lemma, case and
  gender (from FEATS), the most frequent analysis per lower-cased form, from the same
  train files plus, for Latvian, the person entities of ``lv_ner/train.conll`` (not
  used by the lemmatizer, so the UD dev benchmark stays clean); person names take
  their case and gender from the words they know;
- ``langid_words_<lang>.txt.gz``: evidence words for telling Lithuanian from
  Latvian in short texts: lower-cased common-word forms (not names, numbers or
  punctuation) seen at least twice in one language's treebank and never in the
  other's, longer than one letter, and not words that lingua (restricted to the
  default candidates) on its own gives to another language with confidence
  >= 0.5 (so "no", "der" or "i" never vote for Latvian).
Derived from CC BY-SA 4.0 treebanks and LUMII's Latvian NER corpus: the output carries the same licence.
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
            yield cols[1], cols[2], _upos(cols[3], cols[4])


def _upos(upos: str, xpos: str) -> str:
    # The rebuilt ALKSNIS train file tags proper nouns NOUN with Jablonskis XPOS "dkt.tikr."; UD says PROPN.
    return "PROPN" if xpos.startswith("dkt.tikr") else upos


def build(shared: Path, lang: str) -> list[tuple[str, str, str]]:
    counts: dict[str, Counter] = defaultdict(Counter)
    for relative in TRAIN_FILES[lang]:
        for form, lemma, upos in read_conllu_tokens(shared / relative):
            if upos in {"PUNCT", "SYM", "NUM", "X"} or lemma == "_":
                continue
            counts[form.lower()][(lemma, upos)] += 1
    rows = set()
    for form, options in counts.items():
        rows.add((form, *_most_frequent(options)))
        proper = Counter({key: n for key, n in options.items() if key[1] == "PROPN"})
        if proper:
            rows.add((form, *_most_frequent(proper)))
    return sorted(rows)


def general_analyses(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    """Form -> lemma of its most frequent analysis: a form has one row, or a common-word row and a PROPN row."""
    general: dict[str, str] = {}
    for form, lemma, upos in rows:
        if upos != "PROPN" or form not in general:
            general[form] = lemma
    return general


NAME_FILES = {"lt": [], "lv": ["lv_ner/train.conll"]}
_CASES = {"Nom": "nom", "Gen": "gen", "Dat": "dat", "Acc": "acc", "Ins": "ins", "Loc": "loc"}
_GENDERS = {"Masc": "m", "Fem": "f"}


def build_names(shared: Path, lang: str) -> list[tuple[str, str, str, str]]:
    """(form, lemma, case, gender): singular proper nouns of the train treebank and person entities."""
    counts: dict[str, Counter] = defaultdict(Counter)
    sources = [(shared / relative, False) for relative in TRAIN_FILES[lang]]
    sources += [(shared / relative, True) for relative in NAME_FILES[lang]]
    for path, persons_only in sources:
        for line in path.read_text(encoding="utf-8").splitlines():
            cols = line.split("\t")
            if len(cols) < 7 or line.startswith("#") or not cols[0].isdigit():
                continue
            if _upos(cols[3], cols[4]) != "PROPN" or (persons_only and not cols[6].endswith("-person")):
                continue
            feats = dict(pair.split("=", 1) for pair in cols[5].split("|") if "=" in pair)
            case, gender = _CASES.get(feats.get("Case", "")), _GENDERS.get(feats.get("Gender", ""))
            if case and gender and feats.get("Number") == "Sing" and cols[1].isalpha():
                counts[cols[1].lower()][(cols[2], case, gender)] += 1
    return sorted((form, *_most_frequent(options)) for form, options in counts.items())


def _most_frequent(options: Counter):
    # Ties broken alphabetically so the build is reproducible.
    return min(options.items(), key=lambda item: (-item[1], item[0]))[0]


MAX_SUFFIX = 7


def learn_suffix_rules(pairs: set[tuple[str, str]]) -> list[tuple[str, int, str, int]]:
    """Per word ending (longest first wins at lookup), the most frequent rewrite and its support."""
    by_suffix: dict[str, Counter] = defaultdict(Counter)
    for form, lemma in pairs:
        lemma = lemma.lower()
        common = 0
        while common < min(len(form), len(lemma)) and form[common] == lemma[common]:
            common += 1
        rule = (len(form) - common, lemma[common:])
        for size in range(0, min(MAX_SUFFIX, len(form) - 1) + 1):
            by_suffix[form[len(form) - size :]][rule] += 1
    best = {suffix: _most_frequent(options) for suffix, options in by_suffix.items()}
    return sorted(
        (suffix, *rule, by_suffix[suffix][rule])
        for suffix, rule in best.items()
        if not suffix or best[suffix[1:]] != rule
    )


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
        rules = [
            (table, *rule)
            for table, pairs in (
                ("common", set(general_analyses(rows).items())),
                ("proper", {(form, lemma) for form, lemma, upos in rows if upos == "PROPN"}),
            )
            for rule in learn_suffix_rules(pairs)
        ]
        write_gzip_tsv(args.out / f"lemmas_{lang}.tsv.gz", rows)
        write_gzip_tsv(args.out / f"suffixes_{lang}.tsv.gz", rules)
        names = build_names(args.shared, lang)
        write_gzip_tsv(args.out / f"names_{lang}.tsv.gz", names)
        print(
            f"{lang}: {len(rows)} forms, {len(rules)} suffix rules, {len(names)} name forms, "
            f"{len(evidence[lang])} langid words -> {args.out.relative_to(REPO)}"
        )


if __name__ == "__main__":
    main()
