"""Where the analysis of one article goes: language ID, tokenizer, each pipeline component, events.

Usage: python benchmarks/analysis_profile.py [--repeat 3] [--shared DIR] [--ner LANG=BACKEND ...]

On the real news texts of shared/data/news (394 Lithuanian and Latvian articles), runs every stage of
:func:`nvo_nlp.process.analyze` separately and times it, ``repeat`` rounds; prints the median
milliseconds per article of each stage, its share, and the articles per second of the whole
(one core: the analysis is single-threaded). Then, as runs analyze, the same texts through
:func:`nvo_nlp.process.analyze_batch` in batches of the run's default size (the NER model batched by
``nlp.pipe``), timed the same way. Issue 14 asks for 200 articles/s/core (5 ms/article).
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
from nvo_nlp.ingest import Article
from nvo_nlp.langid import default_detector
from nvo_nlp.nlp.backends import configure
from nvo_nlp.nlp.pipeline import COMPONENTS, pipeline_for
from nvo_nlp.process import analyze_batch
from nvo_nlp.runs import DEFAULT_BATCH_SIZE, warm_up


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


def batched_round(articles: list[Article]) -> float:
    """Seconds for all articles through ``analyze_batch``, in batches as a run makes them."""
    started = time.perf_counter()
    for start in range(0, len(articles), DEFAULT_BATCH_SIZE):
        analyze_batch(articles[start : start + DEFAULT_BATCH_SIZE])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ner", action="append", default=[], help="LANG=BACKEND, as for nvo-nlp run")
    args = parser.parse_args()
    configure(dict(item.split("=", 1) for item in args.ner))
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
    articles = [Article(article_id=f"a{i}", text=text, origin=f"news#{i}") for i, (_, text) in enumerate(texts)]
    batched = statistics.median(batched_round(articles) for _ in range(args.repeat))
    print(
        f"\nanalyze_batch, batches of {DEFAULT_BATCH_SIZE}: {1000 * batched / len(texts):.2f} ms/article, "
        f"{len(texts) / batched:.0f} articles/s"
    )


if __name__ == "__main__":
    main()
