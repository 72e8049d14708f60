"""What extraction costs next to spaCy tokenization alone (issue 6 throughput target: at most 3x).

Usage: python benchmarks/extraction_cost.py [--repeat 5] [--shared DIR]

On the real news texts of shared/data/news (394 Lithuanian and Latvian articles), times in one run,
alternating, `repeat` rounds of
1. tokenization alone: the language pipeline's tokenizer (``nlp.make_doc``) on every article;
2. the nvo rule components (sentences, lemmas, places, dates, organizations, projects, officials,
   people, headcounts, quotes) on the same articles,
3. the default pipeline, which adds the shipped statistical NER for Latvian,
and prints the median seconds of each, words per second, and the cost the rule components add on top
of tokenization as a multiple of tokenization.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import time
from pathlib import Path

from nvo_nlp.nlp.pipeline import pipeline_for

REPO = Path(__file__).resolve().parents[1]


def news(shared: Path) -> list[tuple[str, str]]:
    texts = []
    for lang in ("lt", "lv"):
        with (shared / "news" / lang / "sources.tsv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                text = (shared / "news" / row["file"]).read_text(encoding="utf-8")
                texts.append((lang, re.sub(r"^\[[^\]]+\]\s*", "", text, flags=re.M)))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = news(args.shared)
    rules = {lang: pipeline_for(lang, ner=False) for lang in ("lt", "lv")}
    default = {lang: pipeline_for(lang) for lang in ("lt", "lv")}
    for pipelines in (rules, default):  # load lexicons, dictionaries and models outside the timing
        for lang in pipelines:
            for text in [text for text_lang, text in texts if text_lang == lang][:5]:
                pipelines[lang](text)
    words = sum(len(rules[lang].make_doc(text)) for lang, text in texts)
    timings: dict[str, list[float]] = {"tokenization": [], "rule components": [], "with Latvian NER": []}
    for _ in range(args.repeat):
        started = time.perf_counter()
        for lang, text in texts:
            rules[lang].make_doc(text)
        timings["tokenization"].append(time.perf_counter() - started)
        for name, pipelines in (("rule components", rules), ("with Latvian NER", default)):
            started = time.perf_counter()
            for lang, text in texts:
                pipelines[lang](text)
            timings[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    print(f"{len(texts)} articles, {words:,} tokens, median of {args.repeat} alternating rounds\n")
    print("| stage | seconds | tokens/s |")
    print("|---|---|---|")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds:.3f} | {words / seconds:,.0f} |")
    added = medians["rule components"] - medians["tokenization"]
    print(
        f"\nextraction adds {added:.3f} s = {added / medians['tokenization']:.1f}x tokenization alone (target: <= 3x)"
    )


if __name__ == "__main__":
    main()
