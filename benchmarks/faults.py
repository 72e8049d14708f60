"""kill -9 of `nvo-nlp run` at random points: afterwards every table reads, and a re-run gives exactly
the rows of an uninterrupted run.

Usage: python benchmarks/faults.py [--trials 20] [--articles 300] [--batch-size 50] [--seed 5] [--shared DIR]

The corpus is the one of benchmarks/engines.py (recombined sentences of the shared news texts).
An uninterrupted run gives the reference tables and its duration T. Each trial starts a fresh run
into an empty output, sends SIGKILL after a random delay in [0.2 T, 1.0 T] (so runs die while
loading, analyzing and writing — with batches of 50, the tables are written six times), then
reads every table with `nvo_nlp.load`, re-runs, and compares each table with the reference row
for row. Prints one line per trial and the number of trials that survived.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from engines import corpus  # noqa: E402

TABLES = ("articles", "mentions", "events", "language_spans", "errors", "entities", "signatures")


def command(inputs: Path, output: Path, batch_size: int) -> list[str]:
    return [
        sys.executable, "-m", "nvo_nlp.cli", "run", "--input", str(inputs), "--output", str(output),
        "--batch-size", str(batch_size),
    ]  # fmt: skip


def snapshot(output: Path) -> dict:
    import nvo_nlp
    from nvo_nlp.store import TABLES as SPECS

    return {
        table: nvo_nlp.load(table, output).sort_values(list(SPECS[table].key)).reset_index(drop=True)
        for table in TABLES
        if (output / table).exists()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = corpus(args.shared, args.articles, folder / "corpus.jsonl")
        started = time.perf_counter()
        subprocess.run(command(inputs, folder / "reference", args.batch_size), check=True, capture_output=True)
        duration = time.perf_counter() - started
        reference = snapshot(folder / "reference")
        print(f"reference run: {duration:.1f} s, rows { ({t: len(f) for t, f in reference.items()}) }")
        survived = 0
        for trial in range(1, args.trials + 1):
            output = folder / f"trial-{trial}"
            delay = rng.uniform(0.2, 1.0) * duration
            process = subprocess.Popen(
                command(inputs, output, args.batch_size), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(delay)
            killed = process.poll() is None
            if killed:
                os.kill(process.pid, signal.SIGKILL)
            process.wait()
            written = sorted(p.name for p in output.iterdir()) if output.exists() else []
            try:
                readable = snapshot(output)
                problem = ""
            except Exception as exc:  # noqa: BLE001 — a table that does not read is the failure we count
                readable, problem = {}, f"unreadable: {exc}"
            subprocess.run(command(inputs, output, args.batch_size), check=True, capture_output=True)
            after = snapshot(output)
            for table, frame in reference.items():
                if table not in after or not after[table].equals(frame):
                    problem = problem or f"{table} differs after the re-run"
            survived += not problem
            rows = readable.get("articles")
            print(
                f"trial {trial:2}: killed after {delay:5.1f} s ({'killed' if killed else 'had finished'}), "
                f"{0 if rows is None else len(rows)} articles stored before the re-run, "
                f"files {len(written)}: {problem or 'ok'}"
            )
        print(f"{survived}/{args.trials} trials: every table read, and the re-run equals the uninterrupted run")


if __name__ == "__main__":
    main()
