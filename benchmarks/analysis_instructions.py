"""The analysis of N corpus articles alone, after loading and a warm-up: for counting instructions.

Usage:
    OPENBLAS_NUM_THREADS=1 valgrind --tool=callgrind python benchmarks/analysis_instructions.py --articles 200
    OPENBLAS_NUM_THREADS=1 valgrind --tool=callgrind python benchmarks/analysis_instructions.py --articles 0
    ... [--quick-affixes-after N]

Loads the models (``warm_up``), analyzes the first 20 articles of the engines.py corpus so that what
runs once per process is done, then the next ``--articles`` with ``analyze_batch``, as a batch of a
run. The difference of the two commands above, divided by the articles, is the analysis's
instructions per article: callgrind's counts do not move with the machine's load, as wall time
does (±10 % and more on these shared machines). ``OPENBLAS_NUM_THREADS=1``: runs hold the model's
products to one thread, and under valgrind larger products would wake OpenBLAS's threads. Put another
version's ``src`` first on ``PYTHONPATH`` to count it. ``--quick-affixes-after 0`` replaces spaCy's
affix searches from the start (``nlp/affixes.py``; runs replace them after ``QUICK_AFFIXES_AFTER``
distinct chunks per language, which 200 articles reach in one language only).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from engines import corpus  # noqa: E402

_WARM_UP_ARTICLES = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200, help="articles analyzed after the warm-up")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--quick-affixes-after", type=int, help="distinct chunks (default: the library's)")
    options = parser.parse_args()

    from nvo_nlp.ingest import read_inputs
    from nvo_nlp.nlp import pipeline

    if options.quick_affixes_after is not None:
        pipeline.QUICK_AFFIXES_AFTER = options.quick_affixes_after
    from nvo_nlp.process import analyze_batch
    from nvo_nlp.runs import warm_up

    with tempfile.TemporaryDirectory() as folder:
        total = _WARM_UP_ARTICLES + options.articles
        articles, _ = read_inputs([str(corpus(options.shared, total, Path(folder) / "corpus.jsonl"))])
    warm_up()
    analyze_batch(articles[:_WARM_UP_ARTICLES])
    if options.articles:
        started = time.perf_counter()
        analyze_batch(articles[_WARM_UP_ARTICLES:])
        print(f"{options.articles} articles analyzed: {time.perf_counter() - started:.2f} s wall")


if __name__ == "__main__":
    main()
