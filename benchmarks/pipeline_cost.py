"""Where the time of `nvo-nlp run` goes: fixed start-up versus per-article cost.

Usage: python benchmarks/pipeline_cost.py [--repeat 3] [--shared DIR]

Runs the CLI in fresh processes (as a scheduled run would) on
1. the bundled samples (7 articles) and
2. the real news texts of shared/data/news (394 articles, written to a temporary JSONL),
alternating the two so both see the same machine load, and prints the median of each
figure: wall time, Prefect start-up/shutdown, model loading, analysis per article.
Also times the pure core (no Prefect) on the same news articles.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_TIMES = re.compile(
    r"(?P<n>\d+) articles .*?time: (?P<wall>[\d.]+) s = (?P<orch>[\d.]+) s start-up.*?\+ (?P<load>[\d.]+) s loading"
    r".*?\+ (?P<read>[\d.]+) s reading \+ (?P<analyze>[\d.]+) s analyzing.*?\+ (?P<write>[\d.]+) s writing",
    re.S,
)


def news_jsonl(shared: Path, target: Path) -> int:
    rows = []
    for lang in ("lt", "lv"):
        with (shared / "news" / lang / "sources.tsv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                text = (shared / "news" / row["file"]).read_text(encoding="utf-8")
                text = re.sub(r"^\[[^\]]+\]\s*", "", text, flags=re.M)
                rows.append({"text": text, "title": row["title_guess"], "source": row["publication"] or None})
    target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def cli_run(input_path: Path, output: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "nvo_nlp.cli", "run", "--input", str(input_path), "--output", str(output)]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    match = _TIMES.search(completed.stdout)
    if match is None:
        raise SystemExit(f"could not read timings from:\n{completed.stdout}")
    return {key: float(value) for key, value in match.groupdict().items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    if not (args.shared / "news").is_dir():
        raise SystemExit(f"needs the news texts of shared/data (not found at {args.shared})")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        count = news_jsonl(args.shared, tmp / "news.jsonl")
        inputs = {"samples": REPO / "data" / "raw" / "samples", f"news ({count})": tmp / "news.jsonl"}
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in inputs}
        for repetition in range(args.repeat):
            for name, path in inputs.items():
                runs[name].append(cli_run(path, tmp / f"out-{name[:4]}-{repetition}"))

        from nvo_nlp.ingest import read_inputs
        from nvo_nlp.process import analyze_batch
        from nvo_nlp.runs import warm_up

        articles, _ = read_inputs([tmp / "news.jsonl"])
        warm_up()
        core = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            analyze_batch(articles)
            core.append((time.perf_counter() - started) / len(articles))

    print(f"median of {args.repeat} runs each, alternating, fresh process per run")
    print(
        f"{'input':<14}{'articles':>9}{'wall s':>9}{'start-up s':>12}{'load s':>8}{'analyze s':>11}{'ms/article':>12}{'write s':>9}"
    )
    for name, results in runs.items():
        med = {key: statistics.median(r[key] for r in results) for key in results[0]}
        print(
            f"{name:<14}{int(med['n']):>9}{med['wall']:>9.1f}{med['orch']:>12.1f}{med['load']:>8.1f}"
            f"{med['analyze']:>11.2f}{1000 * med['analyze'] / med['n']:>12.1f}{med['write']:>9.2f}"
        )
    per_article = statistics.median(core)
    print(f"core only (no Prefect): {1000 * per_article:.1f} ms/article, {1 / per_article:.0f} articles/s")


if __name__ == "__main__":
    main()
