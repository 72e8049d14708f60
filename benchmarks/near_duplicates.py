"""How well MinHash groups syndicated copies, and what it costs.

Usage: python benchmarks/near_duplicates.py [--shared DIR] [--seed 7]

Takes the real news texts of shared/data/news (394 articles) as originals and makes
edited copies of each, as outlets re-edit a press release: a new lead sentence and the
last paragraph dropped; 10 % and 25 % of the words replaced; a third of the sentences
dropped. Prints, per kind of edit, the share of copies grouped with their original
(recall) and the estimated similarity; the pairs of originals grouped together (false
groups, printed for inspection: some may be real duplicates in the corpus); and the
time per signature and for grouping all texts.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline_cost import news_jsonl  # noqa: E402  (the same 394 texts as the cost benchmark)

from nvo_nlp.events.syndication import duplicate_groups, minhash, similarity  # noqa: E402

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def new_lead(text: str, rng: random.Random) -> str:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    kept = paragraphs[:-1] if len(paragraphs) > 2 else paragraphs
    return "\n".join(["Publicēts ar iestādes atļauju, teksts rediģēts.", *kept])


def replace_words(share: float):
    def edit(text: str, rng: random.Random) -> str:
        words = text.split(" ")
        for index in rng.sample(range(len(words)), int(len(words) * share)):
            words[index] = rng.choice(("un", "ir", "jau", "ir", "ir", "kā", "bet", "arī"))
        return " ".join(words)

    return edit


def drop_sentences(text: str, rng: random.Random) -> str:
    sentences = _SENTENCE_END.split(text)
    kept = [s for s in sentences if rng.random() > 1 / 3] or sentences[:1]
    return " ".join(kept)


EDITS = {
    "new lead, last paragraph dropped": new_lead,
    "10% of words replaced": replace_words(0.10),
    "25% of words replaced": replace_words(0.25),
    "a third of sentences dropped": drop_sentences,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "news.jsonl"
        news_jsonl(args.shared, path)
        originals = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]

    texts = {f"o{i}": text for i, text in enumerate(originals)}
    for name, edit in EDITS.items():
        for i, text in enumerate(originals):
            texts[f"{name}|{i}"] = edit(text, rng)
    timings, signatures = [], {}
    for key, text in texts.items():
        started = time.perf_counter()
        signatures[key] = minhash(text)
        timings.append(time.perf_counter() - started)
    started = time.perf_counter()
    groups = duplicate_groups(signatures, {})
    grouping = time.perf_counter() - started

    print(f"{len(originals)} originals, {len(texts)} texts in all")
    print(f"{'edit':36} {'grouped with original':>22} {'median similarity':>18}")
    for name in EDITS:
        pairs = [(f"o{i}", f"{name}|{i}") for i in range(len(originals))]
        grouped = sum(groups[a] == groups[b] for a, b in pairs)
        median = statistics.median(similarity(signatures[a], signatures[b]) for a, b in pairs)
        print(f"{name:36} {grouped:>10}/{len(pairs)} ({grouped / len(pairs):.1%}) {median:>18.2f}")
    by_group: dict[str, list[str]] = {}
    for key in (k for k in texts if k.startswith("o")):
        by_group.setdefault(groups[key], []).append(key)
    false_groups = [members for members in by_group.values() if len(members) > 1]
    print(f"groups of distinct originals: {len(false_groups)}")
    for members in false_groups:
        first, second = members[:2]
        print(
            f"  {members}: similarity {similarity(signatures[first], signatures[second]):.2f}; "
            f"{texts[first][:70]!r} / {texts[second][:70]!r}"
        )
    print(
        f"signature: median {statistics.median(timings) * 1000:.2f} ms per text; "
        f"grouping {len(texts)} texts: {grouping * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
