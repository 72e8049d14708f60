"""Load and soak: a 5,000-page local site, a 10,000-article run, 50 re-runs in one process (issue 15).

Usage: python benchmarks/soak.py [--only site,big,soak] [--pages 5000] [--articles 10000] [--reference 1000]
                                 [--runs 50] [--base 200] [--new 3] [--quick] [--shared DIR]

- site: --pages HTML pages served on 127.0.0.1 by the test suite's server (tests/ingest/webserver.py),
  listed in a sitemap index of sitemaps of 1,000 URLs, ingested by `nvo-nlp ingest --engine local` in a
  fresh process: pages ingested, failures, wall time, pages/s and the peak RSS of that process. Then
  checks that the raw store holds every page exactly once, that a second ingest adds nothing, and
  that a third one finds the pages added meanwhile to the last sitemap (the index itself unchanged).
- big: `nvo-nlp run --input FILE --output DIR` over --articles articles in a fresh process (and first
  over --reference articles, to see how memory scales): wall time, articles/s, peak RSS; then checks
  that the articles table holds one row per article.
- soak: in ONE long-lived process, as a program calling the API on a schedule would, a cold
  `nvo_nlp.run` over --base articles, then three phases of --runs re-runs on the same output:
  "adding" (each run a new input file of --new articles, the old files read again), "ingesting"
  (as a scheduled run of `nvo-nlp serve` does: `nvo_nlp.api.ingest` of --new pages added to a local
  site, then `nvo_nlp.run` over the inputs and the raw store's articles) and "nothing new" (the
  same, the site unchanged). After every run: rows of
  every table (checked: old rows kept, new rows once), open file descriptors, resident memory,
  threads, pyarrow's pool, Python objects and the strings of the spaCy pipelines.

Pages and articles are the corpus of benchmarks/engines.py (sentences of the 394 shared news texts
recombined into Lithuanian and Latvian articles), so their length and language mix are those of
regional news. Peak RSS of a child is its ru_maxrss, read by a wrapper process whose only child it is.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "tests"))  # the test suite's local HTTP server

from engines import corpus  # noqa: E402
from ingest.webserver import LocalServer, Response, html_page  # noqa: E402

TABLES = ("articles", "mentions", "events", "language_spans", "errors", "entities", "signatures")
_SITEMAP_SIZE = 1000  # URLs per child sitemap: the index is exercised as on a large news site
_SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_MEASURE = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)"
)
_INGESTED = re.compile(r"ingest \S+: (?P<new>\d+) new articles; requests: (?P<requests>.*)")
_RUN_TIMES = re.compile(r"time: .*", re.S)


def measured(command: list[str]) -> tuple[float, float, str]:
    """Runs ``command`` in a fresh process: (wall seconds, peak RSS in MB, stdout); exits when it fails."""
    environment = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, env=environment
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stdout}\n{completed.stderr}")
    peak_kb = int(completed.stderr.strip().splitlines()[-1])
    return wall, peak_kb / 1024, completed.stdout


def cli(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "nvo_nlp.cli", *arguments]


def read_corpus(shared: Path, count: int, target: Path) -> list[dict]:
    return [json.loads(line) for line in corpus(shared, count, target).read_text("utf-8").splitlines()]


def page(record: dict) -> bytes:
    """A news page of ``record`` (engines.py's corpus), with its publication date as news sites declare it."""
    html = html_page(record["title"], record["text"].split("\n\n"), lang=record["language"])
    published = f'<meta property="article:published_time" content="{record["published_at"]}">'
    return html.replace("</head>", published + "</head>").encode()


def urlset(urls: list[str]) -> bytes:
    return f'<urlset xmlns="{_SITEMAPS}">{"".join(f"<url><loc>{u}</loc></url>" for u in urls)}</urlset>'.encode()


def etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:16]}"'


def html_response(body: bytes) -> Response:
    return Response(body, headers={"Content-Type": "text/html; charset=utf-8"}, etag=etag(body))


def sources_file(path: Path, sitemap_url: str) -> Path:
    # The site is on loopback (refused unless allowed); the limits are high enough that the crawler,
    # not the politeness settings, sets the pace.
    path.write_text(
        "[fetch]\nallow_private_hosts = true\nrequests_per_second_per_host = 10000.0\n"
        "max_concurrency_per_host = 8\nmax_concurrency = 8\n"
        f'[[source]]\nname = "local"\nkind = "sitemap"\nurl = "{sitemap_url}"\n',
        encoding="utf-8",
    )
    return path


# -- site ------------------------------------------------------------------------------------------------


def publish_site(server: LocalServer, records: list[dict], sitemaps: int) -> list[str]:
    """Routes for one page per record, ``sitemaps`` child sitemaps (1,000 URLs each, the rest in the
    last) and their index; returns the pages' URLs.

    The index lists the children by URL only, so it stays byte for byte the same as pages are added.
    """
    urls = []
    for number, record in enumerate(records):
        path = f"/news/{record['language']}/{number}"
        server.routes[path] = html_response(page(record))
        urls.append(server.url(path))
    children = []
    for child in range(sitemaps):
        last = child == sitemaps - 1
        body = urlset(urls[child * _SITEMAP_SIZE : None if last else (child + 1) * _SITEMAP_SIZE])
        path = f"/sitemap-{child}.xml"
        server.routes[path] = Response(body, etag=etag(body))
        children.append(f"<sitemap><loc>{server.url(path)}</loc></sitemap>")
    index = f'<sitemapindex xmlns="{_SITEMAPS}">{"".join(children)}</sitemapindex>'.encode()
    server.routes["/sitemap.xml"] = Response(index, etag=etag(index))
    return urls


def raw_records(raw: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((raw / "articles").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def site(folder: Path, shared: Path, pages: int) -> None:
    from nvo_nlp.store.parquet import read_columns
    from nvo_nlp.store.schema import FETCH_LOG

    added = 5  # pages published between the second and the third ingest
    records = read_corpus(shared, pages + added, folder / "site.jsonl")
    raw = folder / "site-raw"
    with LocalServer() as server:
        sitemaps = -(-pages // _SITEMAP_SIZE)
        urls = publish_site(server, records[:pages], sitemaps)
        sources = sources_file(folder / "site-sources.toml", server.url("/sitemap.xml"))
        ingest = cli("ingest", "--sources", str(sources), "--raw", str(raw), "--engine", "local")
        first_wall, first_rss, first_out = measured(ingest)
        log = read_columns(raw, FETCH_LOG, ["purpose", "outcome", "error_kind", "fetched_at"]).to_pylist()
        stored = raw_records(raw)
        hits = sum(server.hits.values())
        again_wall, again_rss, again_out = measured(ingest)
        again_hits, stored_again = sum(server.hits.values()) - hits, raw_records(raw)
        index = server.routes["/sitemap.xml"].body
        publish_site(server, records, sitemaps)
        assert server.routes["/sitemap.xml"].body == index  # only the last child sitemap changed
        _, _, third_out = measured(ingest)
    first, again, third = (_INGESTED.search(out) for out in (first_out, again_out, third_out))
    failed = Counter(row["error_kind"] for row in log if row["outcome"] == "failed")
    fetched = sorted(row["fetched_at"] for row in log)
    crawl = (fetched[-1] - fetched[0]).total_seconds()
    pages_fetched = sum(1 for row in log if row["purpose"] == "page")
    stored_urls = Counter(record["url"] for record in stored)
    exactly_once = len(stored) == pages and set(stored_urls) == set(urls) and max(stored_urls.values()) == 1
    print(f"\n## site: {pages} pages on 127.0.0.1, a sitemap index of {sitemaps} sitemaps")
    print(
        f"first ingest: {first['new']} pages ingested, {sum(failed.values())} failed {dict(failed) or ''}; "
        f"wall {first_wall:.1f} s (process start-up included) = {int(first['new']) / first_wall:.0f} pages/s; "
        f"crawl {crawl:.1f} s (first to last request of the fetch log) = {pages_fetched / crawl:.0f} pages/s; "
        f"peak RSS {first_rss:.0f} MB"
    )
    print(f"  requests: {first['requests']}")
    print(
        f"  raw records: {len(stored)}, {len(stored_urls)} distinct URLs, every page exactly once: "
        f"{'yes' if exactly_once else 'NO'}"
    )
    print(
        f"second ingest, nothing changed: {again['new']} new articles, {again_hits} requests served, "
        f"wall {again_wall:.1f} s, peak RSS {again_rss:.0f} MB; raw records still {len(stored_again)}: "
        f"{'yes' if again['new'] == '0' and len(stored_again) == pages else 'NO'}"
    )
    print(f"  requests: {again['requests']}")
    print(
        f"third ingest, {added} pages added to the last sitemap (the index unchanged): {third['new']} new articles "
        f"({'ok' if third['new'] == str(added) else 'MISSED: expected ' + str(added)}); requests: {third['requests']}"
    )


# -- big -------------------------------------------------------------------------------------------------


def big(folder: Path, shared: Path, articles: int, reference: int) -> None:
    from nvo_nlp.store.parquet import read_columns
    from nvo_nlp.store.schema import TABLES as SPECS

    print("\n## big: `nvo-nlp run --input FILE --output DIR`, local engine, fresh process, default batches of 500")
    for count in [n for n in (reference, articles) if n]:
        inputs = corpus(shared, count, folder / f"big-{count}.jsonl")
        output = folder / f"big-{count}" / "processed"
        wall, peak_mb, stdout = measured(cli("run", "--input", str(inputs), "--output", str(output)))
        ids = read_columns(output, SPECS["articles"], ["article_id"])["article_id"].to_pylist()
        rows = {table: read_columns(output, SPECS[table], list(SPECS[table].key)).num_rows for table in TABLES}
        times = _RUN_TIMES.search(stdout)
        print(f"{count} articles: wall {wall:.1f} s = {count / wall:.1f} articles/s, peak RSS {peak_mb:.0f} MB")
        print(f"  {times[0].strip() if times else stdout.strip()}")
        print(
            f"  articles table: {len(ids)} rows, {len(set(ids))} distinct article_id "
            f"({'ok' if len(ids) == len(set(ids)) == count else 'WRONG'}); rows {rows}"
        )


# -- soak ------------------------------------------------------------------------------------------------


class _FolderRoutes(dict):
    """Routes read from a folder at each request, so the soak can add pages the server process serves."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def get(self, path: str, default=None):
        file = self.root / path.lstrip("/")
        if not file.is_file():
            return default
        body = file.read_bytes()
        return html_response(body) if file.suffix == ".html" else Response(body, etag=etag(body))


def _serve_folder(root: Path, connection) -> None:
    with LocalServer() as server:
        server.routes = _FolderRoutes(root)
        connection.send(server.base)
        threading.Event().wait()


def process_figures() -> dict[str, float]:
    """Open descriptors, resident MB, threads (native ones too: pyarrow's pools), pyarrow's pool,
    Python objects and the strings the spaCy pipelines hold, of this process."""
    import pyarrow as pa

    from nvo_nlp.nlp.pipeline import SUPPORTED_LANGUAGES, pipeline_for

    resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
    return {
        "fds": len(os.listdir("/proc/self/fd")),
        "rss_mb": resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20,
        "threads": len(os.listdir("/proc/self/task")),
        "arrow_mb": pa.total_allocated_bytes() / 2**20,
        "objects": len(gc.get_objects()),
        # Built by the cold run already (cached): this reads them, it loads nothing.
        "strings": sum(len(pipeline_for(lang).vocab.strings) for lang in SUPPORTED_LANGUAGES),
    }


def table_rows(output: Path) -> dict[str, Counter]:
    """Rows per table per article (per origin for errors, per entity for entities): what a re-run must keep."""
    from nvo_nlp.store.parquet import read_columns
    from nvo_nlp.store.schema import TABLES as SPECS

    return {
        table: Counter(read_columns(output, SPECS[table], [SPECS[table].key[0]])[SPECS[table].key[0]].to_pylist())
        for table in TABLES
    }


def fetch_outcomes(raw: Path) -> Counter:
    from nvo_nlp.store.parquet import read_columns
    from nvo_nlp.store.schema import FETCH_LOG

    return Counter(
        f"{r['purpose']} {r['outcome']}" for r in read_columns(raw, FETCH_LOG, ["purpose", "outcome"]).to_pylist()
    )


def soak(folder: Path, shared: Path, runs: int, base: int, new: int) -> None:
    import nvo_nlp
    from nvo_nlp.api import ingest

    records = read_corpus(shared, base + 2 * runs * new, folder / "soak.jsonl")
    inputs, output, site_root = folder / "soak-inputs", folder / "soak" / "processed", folder / "soak-site"
    raw_articles = output.parent / "raw" / "articles"
    for directory in (inputs, raw_articles, site_root / "news"):
        directory.mkdir(parents=True)
    (inputs / "base.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:base]), "utf-8"
    )
    # The site is served by another process, so its sockets and threads do not count as this one's.
    receiving, sending = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.get_context("spawn").Process(target=_serve_folder, args=(site_root, sending), daemon=True)
    server.start()
    site_base = receiving.recv()
    sources = sources_file(folder / "soak-sources.toml", f"{site_base}/sitemap.xml")
    started = time.perf_counter()
    nvo_nlp.run([inputs, raw_articles], output, engine="local")
    cold = time.perf_counter() - started
    before = table_rows(output)
    problems: list[str] = []
    print(f"\n## soak: one process, cold run over {base} articles ({cold:.1f} s), then re-runs on the same output")
    print(f"after the cold run: {_figures_line(process_figures())}; rows {_totals(before)}")
    published: list[str] = []
    for phase, adding, ingesting in (("adding", new, False), ("ingesting", new, True), ("nothing new", 0, True)):
        figures, seconds = [], []
        requests_before = fetch_outcomes(raw_articles.parent)
        for number in range(1, runs + 1):
            known = len(before["articles"])
            batch = records[known : known + adding]
            if adding and not ingesting:
                # One file per run, as the raw store gets one per ingest; the old files are read again.
                text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch)
                (inputs / f"run-{number:03}.jsonl").write_text(text, encoding="utf-8")
            elif adding:
                for offset, record in enumerate(batch):
                    (site_root / "news" / f"{known + offset}.html").write_bytes(page(record))
                    published.append(f"{site_base}/news/{known + offset}.html")
                (site_root / "sitemap.xml").write_bytes(urlset(published))
            started = time.perf_counter()
            if ingesting:
                # Ingest first, then read the whole raw store, as flows/serve.py's scheduled_run does.
                ingested = ingest(sources, output, engine="local")
                if (len(ingested.articles), len(ingested.failures)) != (adding, 0):
                    problems.append(
                        f"{phase} run {number}: ingested {len(ingested.articles)}, {len(ingested.failures)} "
                        f"failed; expected {adding}, 0"
                    )
            summary = nvo_nlp.run([inputs, raw_articles], output, engine="local")
            seconds.append(time.perf_counter() - started)
            figures.append(process_figures())
            after = table_rows(output)
            problems += _check(f"{phase} run {number}", summary, before, after, known, adding)
            before = after
            if number in (1, 5) or number % 10 == 0:
                print(f"{phase} run {number:2}: {_figures_line(figures[-1])}; rows {_totals(after)}")
        first, fifth, last = figures[0], figures[min(4, runs - 1)], figures[-1]
        growth = last["rss_mb"] - fifth["rss_mb"]
        requests = fetch_outcomes(raw_articles.parent) - requests_before
        print(
            f"{phase}: {runs} runs of +{adding} articles, median {statistics.median(seconds):.2f} s/run; "
            f"fds {first['fds']} -> {last['fds']}, threads {first['threads']} -> {last['threads']}; "
            f"RSS after run 5 {fifth['rss_mb']:.1f} MB, after run {runs} {last['rss_mb']:.1f} MB "
            f"({growth:+.1f} MB, {1024 * growth / max(1, runs - 5):+.0f} KB/run); "
            f"pyarrow pool {fifth['arrow_mb']:.1f} -> {last['arrow_mb']:.1f} MB; "
            f"Python objects {fifth['objects']} -> {last['objects']}; "
            f"spaCy strings {fifth['strings']} -> {last['strings']}"
            + (f"; requests {dict(sorted(requests.items()))}" if ingesting else "")
        )
    server.kill()
    print(
        f"rows as expected after every run (old rows kept, new rows once, no duplicates): {'yes' if not problems else 'NO'}"
    )
    for problem in problems[:20]:
        print(f"  {problem}")


def _check(
    label: str, summary, before: dict[str, Counter], after: dict[str, Counter], known: int, adding: int
) -> list[str]:
    problems = []
    if (summary.articles, summary.unchanged, len(summary.errors)) != (adding, known, 0):
        problems.append(
            f"{label}: analyzed {summary.articles}, unchanged {summary.unchanged}, {len(summary.errors)} errors; "
            f"expected {adding}, {known}, 0"
        )
    ids = after["articles"]
    if len(ids) != known + adding or max(ids.values()) != 1:
        problems.append(f"{label}: {sum(ids.values())} article rows, {len(ids)} distinct; expected {known + adding}")
    if after["signatures"] != ids:
        problems.append(f"{label}: signatures are not one per article")
    if after["errors"]:
        problems.append(f"{label}: {sum(after['errors'].values())} error rows")
    added = set(ids) - set(before["articles"])
    for table in ("mentions", "events", "language_spans"):
        # The rows of every article stored before stay as they were.
        old = Counter({key: count for key, count in after[table].items() if key not in added})
        if old != before[table]:
            problems.append(f"{label}: {table} rows of the old articles changed")
    if not set(before["entities"]) <= set(after["entities"]) or max(after["entities"].values(), default=1) != 1:
        problems.append(f"{label}: entities lost or duplicated")
    if not adding and after != before:
        problems.append(f"{label}: rows changed although nothing was new")
    return problems


def _figures_line(figures: dict[str, float]) -> str:
    return (
        f"fds {figures['fds']}, RSS {figures['rss_mb']:.1f} MB, threads {figures['threads']}, "
        f"pyarrow pool {figures['arrow_mb']:.1f} MB, spaCy strings {figures['strings']}"
    )


def _totals(rows: dict[str, Counter]) -> str:
    return " ".join(f"{table}={sum(counts.values())}" for table, counts in rows.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="site,big,soak")
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--reference", type=int, default=1000, help="a smaller run first (0: none)")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--base", type=int, default=200)
    parser.add_argument("--new", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small sizes: checks that the script works")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    if args.quick:
        args.pages, args.articles, args.reference, args.runs, args.base, args.new = 200, 100, 0, 6, 20, 2
    if not (args.shared / "news").is_dir():
        raise SystemExit(f"needs the news texts of shared/data (not found at {args.shared})")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    only = set(args.only.split(","))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"nvo-nlp load and soak, {os.cpu_count()} cores")
        if "site" in only:
            site(folder, args.shared, args.pages)
        if "big" in only:
            big(folder, args.shared, args.articles, args.reference)
        if "soak" in only:
            soak(folder, args.shared, args.runs, args.base, args.new)


if __name__ == "__main__":
    main()
