"""What writing a run's batches costs, batched in input order or one publication month at a time.

Usage: python benchmarks/write_cost.py [--articles 2000] [--batch-size 100] [--repeat 3] [--shared DIR]

Analyzes the articles of the engines.py corpus once (dates spread over 24 months, two languages),
then writes the analyses into fresh outputs with `write_run`, batch after batch, in two orders that
alternate: as the input lists them (every batch spans most months, so it rewrites most partitions),
and sorted as `execute_run` sorts them (one month and language per batch). Prints the median total
write time of each order, the per-batch times of the last round, and whether both outputs hold the
same rows. Then, month by month, what the flow process of a Dask run does with each batch, alternating:
unpickle the analyses a worker sent and write them (`write_run` builds the rows), or unpickle the rows
the worker built (`prepare_batch`) and write those (`write_batch`), as runs do.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from engines import corpus  # noqa: E402

from nvo_nlp.ingest import read_inputs  # noqa: E402
from nvo_nlp.process import BatchResult, analyze_batch  # noqa: E402
from nvo_nlp.runs import content_hash, prepare_batch, use_returnable_arrow_memory  # noqa: E402
from nvo_nlp.store.parquet import article_partition, read_table  # noqa: E402
from nvo_nlp.store.schema import TABLES  # noqa: E402
from nvo_nlp.store.tables import write_batch, write_run  # noqa: E402


def write_all(analyses: list, hashes: dict[str, str], output: Path, batch_size: int) -> list[float]:
    seconds = []
    for start in range(0, len(analyses), batch_size):
        batch = analyses[start : start + batch_size]
        began = time.perf_counter()
        write_run(output, batch, [], [analysis.article.origin for analysis in batch], hashes)
        seconds.append(time.perf_counter() - began)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    options = parser.parse_args()
    use_returnable_arrow_memory()
    with tempfile.TemporaryDirectory() as folder:
        inputs = corpus(options.shared, options.articles, Path(folder) / "corpus.jsonl")
        articles, _ = read_inputs([str(inputs)])
        print(f"analyzing {len(articles)} articles once...", file=sys.stderr)
        analyses = list(analyze_batch(articles).analyses)
        hashes = {analysis.article.article_id: content_hash(analysis.article) for analysis in analyses}
        orders = {
            "input order": analyses,
            "one month per batch": sorted(
                analyses, key=lambda a: article_partition(a.article.language_declared or "", a.article.published_at)
            ),
        }
        totals: dict[str, list[float]] = {name: [] for name in orders}
        last: dict[str, list[float]] = {}
        for round_ in range(options.repeat):
            for name, ordered in orders.items():
                output = Path(folder) / f"{name.replace(' ', '-')}-{round_}"
                last[name] = write_all(ordered, hashes, output, options.batch_size)
                totals[name].append(sum(last[name]))
        same = all(
            read_table(Path(folder) / f"input-order-{options.repeat - 1}", spec)
            .sort_by([(c, "ascending") for c in spec.key])
            .equals(
                read_table(Path(folder) / f"one-month-per-batch-{options.repeat - 1}", spec).sort_by(
                    [(c, "ascending") for c in spec.key]
                )
            )
            for spec in TABLES.values()
        )
    print(f"\n## writing {options.articles} articles in batches of {options.batch_size}, median of {options.repeat}")
    print(f"{'order':<22}{'total s':>9}  per batch s (last round)")
    for name, seconds in totals.items():
        print(f"{name:<22}{statistics.median(seconds):>9.1f}  {' '.join(f'{s:.2f}' for s in last[name])}")
    ratio = statistics.median(totals["input order"]) / statistics.median(totals["one month per batch"])
    print(f"one month per batch: {ratio:.1f}x faster; same rows in every table: {'yes' if same else 'NO'}")
    flow_share(orders["one month per batch"], hashes, options)


def flow_share(analyses: list, hashes: dict[str, str], options: argparse.Namespace) -> None:
    """What a Dask run's flow process does per batch, alternating: unpickle the worker's analyses and
    write them (rows built here), or unpickle the rows the worker built and write those."""
    batches = [analyses[start : start + options.batch_size] for start in range(0, len(analyses), options.batch_size)]
    sent = {
        "analyses from the worker": [pickle.dumps(BatchResult(tuple(b), ())) for b in batches],
        "rows from the worker": [pickle.dumps(prepare_batch(BatchResult(tuple(b), ()))) for b in batches],
    }
    seconds: dict[str, list[float]] = {name: [] for name in sent}
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(options.repeat):
            for number, (name, payloads) in enumerate(sent.items()):
                output = Path(folder) / f"{number}-{round_}"
                began = time.perf_counter()
                for payload in payloads:
                    received = pickle.loads(payload)
                    if isinstance(received, BatchResult):
                        origins = [a.article.origin for a in received.analyses]
                        write_run(output, received.analyses, [], origins, hashes)
                    else:
                        write_batch(output, received.tables, [], list(received.origins), hashes)
                seconds[name].append(time.perf_counter() - began)
        same = all(
            read_table(Path(folder) / f"0-{options.repeat - 1}", spec).equals(
                read_table(Path(folder) / f"1-{options.repeat - 1}", spec)
            )
            for spec in TABLES.values()
        )
    print(f"\n## a Dask run's flow process: unpickle each batch and write it, median of {options.repeat}")
    for name, values in seconds.items():
        print(f"{name:<26}{statistics.median(values):>7.1f} s")
    ratio = statistics.median(seconds["analyses from the worker"]) / statistics.median(seconds["rows from the worker"])
    print(f"rows from the worker: {ratio:.1f}x less; same files' rows: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
