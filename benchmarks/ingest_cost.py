"""Ingest throughput and the cost of an unchanged re-run, against pages served on 127.0.0.1.

Usage: python benchmarks/ingest_cost.py [--pages 1000] [--repeat 3]

Serves N real-text HTML pages (Lithuanian sample sentences) listed in a sitemap from a local
HTTP server (the same one the tests use), runs the ingest flow into a fresh raw store, then runs it
again on the unchanged sources. Prefect's temporary API is started before timing, so the figures
are the flow's own work. Prints the median pages/s of the first runs, the peak RSS of this process,
and the unchanged re-run's time as a fraction of the first run's (measured pairwise).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the test suite's local HTTP server

from ingest.webserver import LocalServer, Response, html_page  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from prefect import flow

    from nvo_nlp.flows.ingest import run_ingest
    from nvo_nlp.flows.settings import local_run_settings

    lines = (
        (REPO / "data" / "raw" / "samples" / "ngo_capacity_klaipeda_district_lt.txt").read_text("utf-8").splitlines()
    )

    @flow
    def start_prefect() -> None:
        """Starts Prefect's temporary API so that it is not timed."""

    firsts, reruns, ratios = [], [], []
    with local_run_settings(), LocalServer() as server, tempfile.TemporaryDirectory() as tmp:
        start_prefect()
        for n in range(args.pages):
            paragraphs = [f"Naujiena nr. {n}.", lines[n % 9], lines[(n + 3) % 9], lines[(n + 6) % 9]]
            server.routes[f"/news/{n}"] = Response(
                html_page(f"Naujiena {n}", paragraphs, lang="lt").encode(), etag=f'"{n}"'
            )
        urls = "".join(f"<url><loc>{server.url(f'/news/{n}')}</loc></url>" for n in range(args.pages))
        server.routes["/sitemap.xml"] = Response(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode(), etag='"s"'
        )
        sources = Path(tmp) / "sources.toml"
        sources.write_text(
            "[fetch]\nallow_private_hosts = true\nrequests_per_second_per_host = 10000.0\nmax_concurrency_per_host = 8\nmax_concurrency = 8\n"
            f'[[source]]\nname = "local"\nkind = "sitemap"\nurl = "{server.url("/sitemap.xml")}"\n',
            encoding="utf-8",
        )
        for repetition in range(args.repeat):
            raw = Path(tmp) / f"raw-{repetition}"
            started = time.perf_counter()
            first = run_ingest(str(sources), str(raw))
            firsts.append(time.perf_counter() - started)
            started = time.perf_counter()
            again = run_ingest(str(sources), str(raw))
            reruns.append(time.perf_counter() - started)
            ratios.append(reruns[-1] / firsts[-1])
            assert len(first.articles) == args.pages and len(again.articles) == 0, (
                len(first.articles),
                len(again.articles),
            )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first, rerun = statistics.median(firsts), statistics.median(reruns)
    print(f"{args.pages} pages, median of {args.repeat} pairs (first run, then unchanged re-run)")
    print(f"first run:     {first:.2f} s = {args.pages / first:.0f} pages/s")
    print(f"unchanged run: {rerun:.2f} s = {100 * statistics.median(ratios):.1f}% of the first run")
    print(f"peak RSS of the ingesting process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
