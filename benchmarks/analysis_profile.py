"""Where the analysis of one article goes: language ID, tokenizer, each pipeline component, events.

Usage: python benchmarks/analysis_profile.py [--repeat 3] [--shared DIR]

On the real news texts of shared/data/news (394 Lithuanian and Latvian articles), runs every stage of
:func:`nvo_nlp.process.analyze` separately and times it, ``repeat`` rounds; prints the median
milliseconds per article of each stage, its share, and the articles per second of the whole
(one core: the analysis is single-threaded). Issue 14 asks for 200 articles/s/core (5 ms/article).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

from extraction_cost import REPO, news

from nvo_nlp.events import assemble_events
from nvo_nlp.extract.spans import mentions_in
from nvo_nlp.langid import default_detector
from nvo_nlp.nlp.pipeline import COMPONENTS, pipeline_for
from nvo_nlp.runs import warm_up


def one_round(texts: list[tuple[str, str]]) -> dict[str, float]:
    """Seconds per stage over all texts."""
    seconds: dict[str, float] = defaultdict(float)
    detector = default_detector()
    for lang, text in texts:
        started = time.perf_counter()
        detector.detect_document(text)
        seconds["language ID"] += time.perf_counter() - started
        nlp = pipeline_for(lang)
        started = time.perf_counter()
        doc = nlp.make_doc(text)
        seconds["tokenizer"] += time.perf_counter() - started
        for name, component in nlp.pipeline:
            started = time.perf_counter()
            doc = component(doc)
            seconds[f"{lang} {name}" if name in ("tok2vec", "ner") else name] += time.perf_counter() - started
        started = time.perf_counter()
        mentions = tuple(mentions_in(doc, *COMPONENTS))
        assemble_events("a", lang, text, mentions)
        seconds["mentions and events"] += time.perf_counter() - started
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = news(args.shared)
    warm_up()
    one_round(texts[:20])  # first-use loading outside the timing
    rounds = [one_round(texts) for _ in range(args.repeat)]
    medians = {stage: statistics.median(r[stage] for r in rounds) for stage in rounds[0]}
    total = sum(medians.values())
    latvian = sum(1 for lang, _ in texts if lang == "lv")
    print(f"{len(texts)} news articles ({latvian} Latvian), median of {args.repeat} rounds\n")
    print("| stage | ms/article | share |\n|---|---|---|")
    for stage, value in sorted(medians.items(), key=lambda item: -item[1]):
        print(f"| {stage} | {1000 * value / len(texts):.2f} | {value / total:.0%} |")
    print(f"| **all** | **{1000 * total / len(texts):.2f}** | {len(texts) / total:.0f} articles/s |")


if __name__ == "__main__":
    main()
