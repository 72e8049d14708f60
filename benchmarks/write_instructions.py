"""Writing prepared batches alone, in a process that does nothing else: for counting instructions.

Usage:
    python benchmarks/write_instructions.py prepare BATCHES.pkl [--articles 3000] [--batch-size 100] [--shared DIR]
    python benchmarks/write_instructions.py write BATCHES.pkl [--batches 30] [--timeline] [--keep OUTPUT]
    valgrind --tool=callgrind python benchmarks/write_instructions.py write BATCHES.pkl --batches 30
    valgrind --tool=callgrind python benchmarks/write_instructions.py write BATCHES.pkl --batches 0
    valgrind --tool=callgrind python benchmarks/write_instructions.py read OUTPUT [--rounds 3]

``prepare`` analyzes the engines.py corpus once, sorted as runs sort it (one month and language at a
time), and pickles its batches (of 100; runs write 500) as a Dask worker returns them
(``prepare_batch``). ``write`` writes the first ``--batches`` of them into a fresh output with
``write_batch``, one after another as a run does, then with ``--timeline`` builds the timeline page as
a run ends, and prints the wall and CPU time; ``--keep`` writes into OUTPUT and leaves it there.
``read`` reads every file of every table of OUTPUT ``--rounds`` times, as ``load`` and the timeline do.
Wall time on these shared machines varies by ±10 % and more; the instructions callgrind counts do
not. The same command with ``--batches 0`` (``--rounds 0``) counts what importing and unpickling cost,
to subtract. Put another version's ``src`` first on ``PYTHONPATH`` to count it on the same pickle.
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


def prepare(target: Path, articles: int, batch_size: int, shared: Path) -> None:
    from nvo_nlp.ingest import read_inputs
    from nvo_nlp.process import analyze_batch
    from nvo_nlp.runs import prepare_batch, warm_up
    from nvo_nlp.store.parquet import article_partition

    with tempfile.TemporaryDirectory() as folder:
        read, _ = read_inputs([str(corpus(shared, articles, Path(folder) / "corpus.jsonl"))])
    read.sort(key=lambda article: article_partition(article.language_hint or "", article.published_at))
    warm_up()
    batches = [
        prepare_batch(analyze_batch(read[start : start + batch_size])) for start in range(0, len(read), batch_size)
    ]
    target.write_bytes(pickle.dumps(batches, protocol=pickle.HIGHEST_PROTOCOL))
    print(f"{len(batches)} batches of {batch_size} articles in {target}")


def write(source: Path, count: int | None, timeline: bool, keep: Path | None) -> None:
    from nvo_nlp.report.timeline import write_timeline
    from nvo_nlp.store import write_batch

    batches = pickle.loads(source.read_bytes())[:count]  # written by prepare above
    with tempfile.TemporaryDirectory() as folder:
        output = keep or Path(folder)
        started, cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            write_batch(output, batch.tables, batch.errors, batch.origins, {})
        if timeline and batches:
            write_timeline(output)
        print(
            f"{len(batches)} batches written{' and the timeline' if timeline else ''}: "
            f"{time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU"
        )


def read(output: Path, rounds: int) -> None:
    from nvo_nlp.store.parquet import read_table
    from nvo_nlp.store.schema import TABLES

    started = time.perf_counter()
    for _ in range(rounds):
        for spec in TABLES.values():
            read_table(output, spec)
    print(f"every table of {output} read {rounds} times: {time.perf_counter() - started:.2f} s wall")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["prepare", "write", "read"])
    parser.add_argument("path", type=Path, help="prepare, write: the batches' pickle; read: an output folder")
    parser.add_argument("--articles", type=int, default=3000, help="prepare: corpus size")
    parser.add_argument("--batch-size", type=int, default=100, help="prepare: articles per batch")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--batches", type=int, default=None, help="write: only the first N batches")
    parser.add_argument("--timeline", action="store_true", help="write: then build the timeline page")
    parser.add_argument("--keep", type=Path, help="write: into this folder, left in place")
    parser.add_argument("--rounds", type=int, default=3, help="read: how many times")
    options = parser.parse_args()
    if options.step == "prepare":
        prepare(options.path, options.articles, options.batch_size, options.shared)
    elif options.step == "write":
        write(options.path, options.batches, options.timeline, options.keep)
    else:
        read(options.path, options.rounds)


if __name__ == "__main__":
    main()
