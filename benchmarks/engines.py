"""Engines side by side: start-up, incremental re-runs, Dask scale-out, memory.

Usage: python benchmarks/engines.py [--articles 2000] [--big 10000] [--repeat 3] [--shared DIR]
                                    [--only startup,marginal,rerun,dask,worker,memory] [--baseline SRC]
                                    [--dask-batch-size 100]

Every figure comes from `nvo-nlp run` in a fresh process, as a scheduled run would see it;
runs that are compared alternate, so both see the same machine load, and medians are printed.

- startup: the 7 bundled samples, `--engine local` against `--engine prefect`: wall time, model
  loading and fixed cost (wall time less analysis). With --baseline SRC, the local engine also runs
  the package found in SRC (a `src` folder of another version, e.g. exported with
  `git archive HEAD src | tar -x -C /tmp/before`), alternating with the others.
- marginal: the first tenth of a corpus of --articles articles and the whole corpus, local engine,
  fresh outputs: what each article beyond the first tenth adds (articles/s of wall time and of
  analysis), the issue's "200 vs 2,000" measure. With --baseline SRC, that package too, alternating.
- rerun: a corpus of --articles articles, cold and then again with nothing new (local engine).
- dask: the same corpus on a local Dask cluster of 1 and of 2 worker processes, analysis tasks of
  --dask-batch-size articles, fresh outputs, and whether its tables equal the local engine's row
  for row. With --baseline SRC, that package too, alternating.
- worker: 5 batches of 100 articles of that corpus analyzed in this process and on a one-worker Dask
  cluster as the pipeline starts it (no Prefect), alternating: what running on a Dask worker costs
  the analysis itself.
- memory: a corpus of --big articles on the local engine: peak resident memory of the process.

The corpora are made of the sentences of the 394 real news texts of shared/data/news,
recombined per language into articles of 8 to 22 sentences with publication dates spread
over 2024-2025 (seeded), so their length and language mix are those of regional news.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline_cost import news_jsonl  # noqa: E402  (the 394 shared news texts)

_TIMES = re.compile(
    r"time: (?P<wall>[\d.]+) s = .*?\+ (?P<load>[\d.]+) s loading models .*?\+ (?P<analyze>[\d.]+) s analyzing", re.S
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĀČĒĢĪĶĻŅŠŪŽĄĘĖĮŲ„\"«])")


def corpus(shared: Path, count: int, target: Path, seed: int = 13) -> Path:
    """``count`` articles recombined from the sentences of the shared news texts, per language."""
    with tempfile.TemporaryDirectory() as folder:
        news = Path(folder) / "news.jsonl"
        news_jsonl(shared, news)
        texts = [json.loads(line)["text"] for line in news.read_text(encoding="utf-8").splitlines()]
    pools: dict[str, list[str]] = {"lt": [], "lv": []}
    for text in texts:
        # ALKSNIS texts come first in news_jsonl; their letters tell Lithuanian from Latvian anyway.
        language = "lt" if re.search("[ąęėįų]", text) and not re.search("[āēīņļķģ]", text) else "lv"
        pools[language] += [s.strip() for s in _SENTENCE_END.split(text.replace("\n", " ")) if len(s.split()) >= 4]
    rng = random.Random(seed)
    with target.open("w", encoding="utf-8") as handle:
        for number in range(count):
            language = "lt" if rng.random() < 0.3 else "lv"
            sentences = rng.sample(pools[language], rng.randint(8, 22))
            cut = len(sentences) // 2
            text = " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
            published = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
            record = {
                "text": text,
                "title": " ".join(sentences[0].split()[:8]),
                "url": f"https://news.example/{language}/{number}",
                "published_at": published.isoformat(),
                "language": language,
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


def with_package(package: Path | None) -> dict[str, str]:
    """This process's environment, with ``package`` (a ``src`` folder) first on PYTHONPATH when given."""
    environment = dict(os.environ)
    if package is not None:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package), os.environ.get("PYTHONPATH")]))
    return environment


def run(inputs: Path, output: Path, *options: str, package: Path | None = None) -> dict[str, float]:
    """One `nvo-nlp run` in a fresh process: its timings and its peak resident memory (MB).

    ``package``: a folder put first on PYTHONPATH, so the run imports the nvo_nlp found there.
    """
    command = [sys.executable, "-m", "nvo_nlp.cli", "run", "--input", str(inputs), "--output", str(output), *options]
    # A wrapper process whose only child is the run reports the run's peak memory (children included).
    wrapper = [sys.executable, "-c", _MEASURE, *command]
    environment = {**with_package(package), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    started = time.perf_counter()
    completed = subprocess.run(wrapper, capture_output=True, text=True, env=environment)
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout}\n{completed.stderr}")
    match = _TIMES.search(completed.stdout)
    # "nothing new" prints no timings
    load, analyze = (float(match["load"]), float(match["analyze"])) if match else (0.0, 0.0)
    peak_kb = int(completed.stderr.strip().splitlines()[-1])
    return {"wall": wall, "load": load, "analyze": analyze, "rss_mb": peak_kb / 1024}


_MEASURE = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


def median(results: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in results)


def startup(folder: Path, repeat: int, baseline: Path | None = None) -> None:
    samples = REPO / "data" / "raw" / "samples"
    variants: dict[str, tuple[str, Path | None]] = {"local": ("local", None), "prefect": ("prefect", None)}
    if baseline is not None:
        variants["local, baseline"] = ("local", baseline)
    results: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    for index in range(repeat):
        for number, (name, (engine, package)) in enumerate(variants.items()):
            output = folder / f"start-{number}-{index}"
            results[name].append(run(samples, output, "--engine", engine, package=package))
    print("\n## start-up: the 7 bundled samples, fresh output each run")
    if baseline is not None:
        print(f"baseline: the package in {baseline}")
    print(f"{'engine':<17}{'wall s':>9}{'loading models s':>18}{'analysis s':>12}{'fixed s (wall - analysis)':>28}")
    for name, runs in results.items():
        fixed = statistics.median(r["wall"] - r["analyze"] for r in runs)
        print(
            f"{name:<17}{median(runs, 'wall'):>9.2f}{median(runs, 'load'):>18.2f}{median(runs, 'analyze'):>12.2f}"
            f"{fixed:>28.2f}"
        )


def marginal(folder: Path, inputs: Path, count: int, repeat: int, baseline: Path | None = None) -> None:
    tenth = count // 10
    small = folder / "corpus-tenth.jsonl"
    small.write_text("".join(inputs.read_text(encoding="utf-8").splitlines(keepends=True)[:tenth]), encoding="utf-8")
    packages = {"this package": None} | ({f"baseline {baseline}": baseline} if baseline is not None else {})
    results = {(name, size): [] for name in packages for size in (tenth, count)}
    for index in range(repeat):
        for number, (name, package) in enumerate(packages.items()):
            for size, source in ((tenth, small), (count, inputs)):
                output = folder / f"marginal-{number}-{index}-{size}"
                results[name, size].append(run(source, output, package=package))
    print(f"\n## marginal cost: {tenth} against {count} articles, local engine")
    print(f"{'package':<40}{'wall s':>16}{'analysis s':>16}{'marginal articles/s':>22}")
    for name in packages:
        few, many = results[name, tenth], results[name, count]
        print(
            f"{name:<40}{median(few, 'wall'):>7.1f} / {median(many, 'wall'):<6.1f}"
            f"{median(few, 'analyze'):>7.1f} / {median(many, 'analyze'):<6.1f}"
            f"{(count - tenth) / (median(many, 'wall') - median(few, 'wall')):>9.0f} wall, "
            f"{(count - tenth) / (median(many, 'analyze') - median(few, 'analyze')):.0f} analysis"
        )


def rerun(folder: Path, inputs: Path, count: int, repeat: int) -> None:
    cold, again = [], []
    for index in range(repeat):
        output = folder / f"rerun-{index}"
        cold.append(run(inputs, output))
        again.append(run(inputs, output))
    print(f"\n## re-run with nothing new: {count} articles, local engine")
    print(
        f"cold {median(cold, 'wall'):.1f} s, re-run {median(again, 'wall'):.2f} s: "
        f"{median(again, 'wall') / median(cold, 'wall'):.1%} of the cold run "
        f"({1000 * median(cold, 'analyze') / count:.1f} ms/article analysis when cold)"
    )


def dask(folder: Path, inputs: Path, count: int, repeat: int, batch_size: int, baseline: Path | None = None) -> None:
    import nvo_nlp
    from nvo_nlp.store import TABLES

    packages = {"this package": None} | ({f"baseline {baseline}": baseline} if baseline is not None else {})
    results: dict[tuple[str, int], list[dict[str, float]]] = {(name, w): [] for name in packages for w in (1, 2)}
    for index in range(repeat):
        for number, (name, package) in enumerate(packages.items()):
            for workers in (1, 2):
                output = folder / f"dask-{number}-{workers}-{index}"
                options = ("--engine", "dask", "--dask-workers", str(workers), "--batch-size", str(batch_size))
                results[name, workers].append(run(inputs, output, *options, package=package))
    print(f"\n## dask: {count} articles, batches of {batch_size}, local cluster")
    print(f"{'package':<40}{'workers':<9}{'wall s':>9}{'analysis s':>12}{'articles/s (analysis)':>23}")
    for (name, workers), runs in results.items():
        print(
            f"{name:<40}{workers:<9}{median(runs, 'wall'):>9.1f}{median(runs, 'analyze'):>12.1f}"
            f"{count / median(runs, 'analyze'):>23.0f}"
        )
    for name in packages:
        one, two = results[name, 1], results[name, 2]
        print(
            f"{name}: 2 workers / 1 worker {median(one, 'wall') / median(two, 'wall'):.2f}x wall, "
            f"{median(one, 'analyze') / median(two, 'analyze'):.2f}x analysis"
        )
    local = folder / "dask-local"
    run(inputs, local)
    differing = []
    for table in ("articles", "mentions", "events", "language_spans", "entities", "signatures"):
        key = list(TABLES[table].key)
        # content_hash covers the package's files: equal unless the code changed between the runs.
        expected = nvo_nlp.load(table, local).drop(columns=["content_hash"], errors="ignore")
        got = nvo_nlp.load(table, folder / "dask-0-2-0").drop(columns=["content_hash"], errors="ignore")
        if not expected.sort_values(key).reset_index(drop=True).equals(got.sort_values(key).reset_index(drop=True)):
            differing.append(table)
    print(
        f"tables equal to the local engine's row for row: {'yes' if not differing else 'no: ' + ', '.join(differing)}"
    )


def _timed_analysis(batch: list) -> float:
    from nvo_nlp.process import analyze_batch

    started = time.perf_counter()
    analyze_batch(batch)
    return time.perf_counter() - started


def worker(inputs: Path, repeat: int) -> None:
    """Seconds per batch of 100 articles analyzed in this process and on a one-worker Dask cluster as
    the pipeline starts it (``local_cluster``, no Prefect), alternating; each side analyzes a few
    articles first, so the models are loaded."""
    from distributed import Client

    from nvo_nlp.flows.pipeline import local_cluster
    from nvo_nlp.ingest import read_inputs

    articles, _ = read_inputs([str(inputs)])
    batches = [articles[start : start + 100] for start in range(0, 500, 100)]
    seconds: dict[str, list[float]] = {"this process": [], "Dask worker": []}
    with (
        local_cluster(1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        client.submit(_timed_analysis, articles[:5]).result()
        _timed_analysis(articles[:5])
        for _ in range(repeat):
            seconds["this process"] += [_timed_analysis(batch) for batch in batches]
            seconds["Dask worker"] += [client.submit(_timed_analysis, b, pure=False).result() for b in batches]
    print(f"\n## analysis of a batch of 100 articles: this process or a Dask worker ({repeat} x 5 batches)")
    for name, values in seconds.items():
        print(f"{name:<14}median {statistics.median(values):.2f} s")
    print(
        f"Dask worker / this process: {statistics.median(seconds['Dask worker']) / statistics.median(seconds['this process']):.2f}x"
    )


def memory(folder: Path, inputs: Path, count: int) -> None:
    figures = run(inputs, folder / "memory")
    print(f"\n## memory: {count} articles, local engine")
    print(
        f"peak RSS {figures['rss_mb']:.0f} MB, wall {figures['wall']:.0f} s, "
        f"{1000 * figures['analyze'] / count:.1f} ms/article analysis"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--big", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--only", default="startup,rerun,dask,memory")
    parser.add_argument(
        "--baseline", type=Path, help="startup, marginal, dask: also time the package in this src folder"
    )
    parser.add_argument("--dask-batch-size", type=int, default=100, help="dask: articles per analysis task")
    args = parser.parse_args()
    if not (args.shared / "news").is_dir():
        raise SystemExit(f"needs the news texts of shared/data (not found at {args.shared})")
    only = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"nvo-nlp engines, {os.cpu_count()} cores; medians of {args.repeat} alternating runs")
        if "startup" in only:
            startup(folder, args.repeat, args.baseline)
        if only & {"marginal", "rerun", "dask", "worker"}:
            inputs = corpus(args.shared, args.articles, folder / "corpus.jsonl")
            if "marginal" in only:
                marginal(folder, inputs, args.articles, args.repeat, args.baseline)
            if "worker" in only:
                worker(inputs, args.repeat)
            if "rerun" in only:
                rerun(folder, inputs, args.articles, args.repeat)
            if "dask" in only:
                dask(folder, inputs, args.articles, args.repeat, args.dask_batch_size, args.baseline)
        if "memory" in only:
            memory(folder, corpus(args.shared, args.big, folder / "big.jsonl"), args.big)


if __name__ == "__main__":
    main()
