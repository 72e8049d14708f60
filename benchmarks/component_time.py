"""One component of the Latvian pipeline timed alone, on docs the components before it have annotated.

Usage: python benchmarks/component_time.py nvo_lemmatizer [nvo_dates ...] [--articles 600] [--repeat 7] [--shared DIR]

Runs ``pipeline_for("lv")`` up to the component on the first ``--articles`` Latvian articles of the
engines.py corpus, then calls the component alone on those docs ``--repeat`` times and prints the
fastest round in microseconds per article: the least disturbed by other work on a shared machine. A
component reads what it finds on the doc (the token table, the sentences, earlier mentions), which the
first call has computed, so these are the costs of the component's own work. Put another version's
``src`` first on ``PYTHONPATH`` to time it on the same docs.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads: one core, as runs analyze

from engines import corpus  # noqa: E402
from extraction_cost import REPO  # noqa: E402

from nvo_nlp.nlp.pipeline import pipeline_for  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("components", nargs="+", help="names of components of the Latvian pipeline")
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    options = parser.parse_args()
    nlp = pipeline_for("lv")
    unknown = [name for name in options.components if name not in nlp.pipe_names]
    if unknown:
        parser.error(f"not in the Latvian pipeline: {', '.join(unknown)} (it has {', '.join(nlp.pipe_names)})")
    with tempfile.TemporaryDirectory() as folder:
        path = corpus(options.shared, 4 * options.articles, Path(folder) / "corpus.jsonl")
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    texts = [record["text"] for record in records if record["language"] == "lv"][: options.articles]
    for name in options.components:
        with nlp.select_pipes(disable=nlp.pipe_names[nlp.pipe_names.index(name) :]):
            docs = list(nlp.pipe(texts))
        component = nlp.get_pipe(name)
        for doc in docs:
            component(doc)
        rounds = []
        for _ in range(options.repeat):
            started = time.perf_counter()
            for doc in docs:
                component(doc)
            rounds.append(time.perf_counter() - started)
        tokens = sum(len(doc) for doc in docs) / len(docs)
        print(
            f"{name}: {1e6 * min(rounds) / len(docs):.1f} µs per article ({len(docs)} articles, {tokens:.0f} tokens each)"
        )


if __name__ == "__main__":
    main()
