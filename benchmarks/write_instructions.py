"""Writing prepared batches alone, in a process that does nothing else: for counting instructions.

Usage:
    python benchmarks/write_instructions.py prepare BATCHES.pkl [--articles 3000] [--shared DIR]
    python benchmarks/write_instructions.py write BATCHES.pkl [--batches 30]
    valgrind --tool=callgrind python benchmarks/write_instructions.py write BATCHES.pkl --batches 30
    valgrind --tool=callgrind python benchmarks/write_instructions.py write BATCHES.pkl --batches 0

``prepare`` analyzes the engines.py corpus once, sorted as runs sort it (one month and language at a
time), and pickles its batches of 100 as a Dask worker returns them (``prepare_batch``). ``write``
writes the first ``--batches`` of them into a fresh output with ``write_batch``, one after another as a
run does, and prints the wall and CPU time. Wall time on these shared machines varies by ±10 % and
more; the instructions callgrind counts do not. The same command with ``--batches 0`` counts what
importing and unpickling cost, to subtract. Put another version's ``src`` first on ``PYTHONPATH`` to
count it on the same pickle.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from engines import corpus  # noqa: E402

_BATCH = 100


def prepare(target: Path, articles: int, shared: Path) -> None:
    from nvo_nlp.ingest import read_inputs
    from nvo_nlp.process import analyze_batch
    from nvo_nlp.runs import prepare_batch, warm_up
    from nvo_nlp.store.parquet import article_partition

    with tempfile.TemporaryDirectory() as folder:
        read, _ = read_inputs([str(corpus(shared, articles, Path(folder) / "corpus.jsonl"))])
    read.sort(key=lambda article: article_partition(article.language_hint or "", article.published_at))
    warm_up()
    batches = [prepare_batch(analyze_batch(read[start : start + _BATCH])) for start in range(0, len(read), _BATCH)]
    target.write_bytes(pickle.dumps(batches, protocol=pickle.HIGHEST_PROTOCOL))
    print(f"{len(batches)} batches of {_BATCH} articles in {target}")


def write(source: Path, count: int | None) -> None:
    from nvo_nlp.store import write_batch

    batches = pickle.loads(source.read_bytes())[:count]  # written by prepare above
    with tempfile.TemporaryDirectory() as folder:
        started, cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            write_batch(Path(folder), batch.tables, batch.errors, batch.origins, {})
        print(
            f"{len(batches)} batches written: {time.perf_counter() - started:.2f} s wall, "
            f"{time.process_time() - cpu:.2f} s CPU"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["prepare", "write"])
    parser.add_argument("batches_file", type=Path)
    parser.add_argument("--articles", type=int, default=3000, help="prepare: corpus size")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--batches", type=int, default=None, help="write: only the first N batches")
    options = parser.parse_args()
    if options.step == "prepare":
        prepare(options.batches_file, options.articles, options.shared)
    else:
        write(options.batches_file, options.batches)


if __name__ == "__main__":
    main()
