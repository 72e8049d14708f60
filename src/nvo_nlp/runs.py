"""One pipeline run, whatever executes it: the steps of a run, its summary, model warm-up.

:func:`execute_run` is the body of a run. Its steps are injected (:class:`RunSteps`): the
local engine calls the library functions directly (no orchestration API, so a one-shot
run starts in about a second), the Prefect flow (``flows/pipeline.py``) passes the same
functions wrapped as Prefect tasks, and the Dask engine runs those tasks' analysis
batches on a Dask cluster. Analysis results are written batch by batch, so memory stays
bounded however many articles a run reads.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from nvo_nlp.ingest import Article, InputFailure, read_inputs
from nvo_nlp.langid import default_detector
from nvo_nlp.nlp.backends import ner_setting, stanza_settings
from nvo_nlp.nlp.pipeline import SUPPORTED_LANGUAGES, pipeline_for
from nvo_nlp.process import ArticleAnalysis, BatchResult, ErrorRecord, analyze_batch
from nvo_nlp.progress import report
from nvo_nlp.report import run_summary_markdown, write_timeline
from nvo_nlp.store.files import atomic_write
from nvo_nlp.store.parquet import article_partition, read_columns
from nvo_nlp.store.schema import ARTICLES
from nvo_nlp.store.tables import BatchTables, batch_tables, write_batch

if TYPE_CHECKING:
    from nvo_nlp.ingest.web import IngestSummary

#: Articles per analysis batch: each batch is one task (progress is logged per batch, and every
#: task run costs bookkeeping) and one write of the tables.
DEFAULT_BATCH_SIZE = 500
#: How runs execute: in this process without an orchestration API, as a Prefect flow, or as a
#: Prefect flow whose analysis batches run on a Dask cluster.
ENGINES = ("local", "prefect", "dask")
#: The local engine's run summary, beside the timeline (Prefect runs publish it as an artifact).
RUN_SUMMARY_FILE = "run-summary.md"


@dataclass(frozen=True)
class StageTimes:
    """Seconds spent in each stage of a run (wall clock)."""

    read: float = 0.0
    load: float = 0.0
    analyze: float = 0.0
    write: float = 0.0

    @property
    def total(self) -> float:
        return self.read + self.load + self.analyze + self.write


@dataclass(frozen=True)
class RunSummary:
    """What a run did: counts, failures, where the output is, and where the time went."""

    output: str
    timeline: str | None
    articles: int
    mentions: int
    events: int
    errors: tuple[ErrorRecord, ...] = ()
    table_rows: dict[str, int] = field(default_factory=dict)
    times: StageTimes = StageTimes()
    #: Articles read but not analyzed again: already in the output with the same content hash.
    unchanged: int = 0
    engine: str = "local"
    #: Seconds from the call until the run's body ran, plus after it: orchestration start-up and shutdown.
    orchestration_seconds: float = 0.0
    wall_seconds: float = 0.0

    @property
    def per_article_seconds(self) -> float | None:
        return self.times.analyze / self.articles if self.articles else None


@dataclass(frozen=True)
class AnalyzedBatch:
    """A batch ready to write, built where it was analyzed (:func:`prepare_batch`): on a Dask worker,
    so that the flow process, which every batch waits for, only merges rows into files."""

    tables: BatchTables
    errors: tuple[ErrorRecord, ...]
    #: Every input of the batch, analyzed or failed: their old error rows go.
    origins: tuple[str, ...]
    #: The analyses without text, mentions and language spans: what the run summary lists.
    reported: tuple[ArticleAnalysis, ...]
    mentions: int
    events: int

    @property
    def size(self) -> int:
        return len(self.reported) + len(self.errors)


def prepare_batch(result: BatchResult) -> AnalyzedBatch:
    """``result`` as rows of the tables, and what a run counts and reports of it."""
    analyses = result.analyses
    return AnalyzedBatch(
        tables=batch_tables(analyses),
        errors=result.errors,
        origins=tuple(a.article.origin for a in analyses) + tuple(e.origin for e in result.errors),
        reported=tuple(
            replace(a, article=replace(a.article, text=""), mentions=(), language_spans=()) for a in analyses
        ),
        mentions=sum(len(a.mentions) for a in analyses),
        events=sum(len(a.events) for a in analyses),
    )


def merged(batches: Sequence[AnalyzedBatch]) -> AnalyzedBatch:
    """Several analyzed batches as one, in order."""
    return AnalyzedBatch(
        tables=BatchTables.concat([batch.tables for batch in batches]),
        errors=tuple(error for batch in batches for error in batch.errors),
        origins=tuple(origin for batch in batches for origin in batch.origins),
        reported=tuple(analysis for batch in batches for analysis in batch.reported),
        mentions=sum(batch.mentions for batch in batches),
        events=sum(batch.events for batch in batches),
    )


@dataclass(frozen=True)
class RunSteps:
    """The I/O and compute steps of a run; the engines differ only in how these execute."""

    read: Callable[[list[str]], tuple[list[Article], list[InputFailure]]]
    ingest: Callable[[str, str], IngestSummary]
    load_models: Callable[[], float]
    #: Analyzes the batches, possibly in parallel; yields them ready to write (:func:`prepare_batch`), in any order.
    analyze: Callable[[Iterator[list[Article]]], Iterable[AnalyzedBatch]]
    write: Callable[[str, BatchTables, list[ErrorRecord], list[str], dict[str, str]], dict[str, int]]
    report: Callable[[str], str]
    publish: Callable[[dict[str, int], list[ArticleAnalysis], str], None]
    log: Callable[[str], None]
    warn: Callable[[str], None]


def execute_run(
    inputs: Sequence[str],
    output: str,
    *,
    steps: RunSteps,
    batch_size: int = DEFAULT_BATCH_SIZE,
    sources: str | None = None,
    raw: str | None = None,
    force: bool = False,
) -> RunSummary:
    """Read the inputs (and ingest ``sources``), analyze what is new in batches, write each batch's
    records, then the timeline and the run summary.

    Articles already in ``output`` with the same content hash (:func:`content_hash`) are skipped
    unless ``force``; a run with nothing new writes nothing.
    """
    started = time.perf_counter()
    use_returnable_arrow_memory()
    articles, failures = steps.read(list(inputs)) if inputs else ([], [])
    if sources:
        ingested = steps.ingest(sources, raw or str(Path(output).parent / "raw"))
        articles, failures = articles + list(ingested.articles), failures + list(ingested.failures)
    for failure in failures:
        steps.warn(f"skipped {failure.origin}: {failure.reason}")
    hashes = {article.article_id: content_hash(article) for article in reversed(articles)}  # the first read wins
    read_errors = [ErrorRecord(f.origin, "read", f.kind, f.reason) for f in failures]
    new = list(articles) if force else _changed(articles, hashes, Path(output))
    # A batch of one month (and language) rewrites few of the tables' files; in input order, every batch
    # of a backfill rewrites every month it spans (benchmarks/write_cost.py, 2,000 articles over 24 months
    # in batches of 100: writing 28.4 -> 8.1 s). The tables do not depend on the order of the articles.
    new.sort(key=lambda article: article_partition(article.language_hint or "", article.published_at))
    read_seconds = time.perf_counter() - started
    unchanged, queued = len(articles) - len(new), len(new)
    del articles  # from here on ``new`` alone holds the articles, and lets go of each batch once analyzed
    if unchanged:
        steps.log(f"{unchanged} of {unchanged + queued} articles unchanged since the last run: skipped")
    if not new and not failures:
        return RunSummary(output, None, 0, 0, 0, unchanged=unchanged, times=StageTimes(read=read_seconds))

    load_seconds = steps.load_models() if new else 0.0
    report("queued", queued)
    analyzing = time.perf_counter()
    write_seconds, done = 0.0, 0
    mentions = events = 0
    errors = list(read_errors)
    reported: list[ArticleAnalysis] = []  # without text and mentions: what the run summary lists
    counts: dict[str, int] = {}
    # Read failures are written with the first batch (or alone): their old rows and the inputs' go.
    pending_errors, pending_origins = read_errors, [f.origin for f in failures]
    for batch in steps.analyze(_taken_in_batches(new, batch_size)) if new else [prepare_batch(BatchResult((), ()))]:
        writing = time.perf_counter()
        counts = steps.write(
            output, batch.tables, pending_errors + list(batch.errors), pending_origins + list(batch.origins), hashes
        )
        write_seconds += time.perf_counter() - writing
        pending_errors, pending_origins = [], []
        done += batch.size
        mentions += batch.mentions
        events += batch.events
        errors += batch.errors
        reported += batch.reported
        del batch
        release_freed_memory()
        if queued:
            steps.log(f"analyzed and wrote {done}/{queued} articles")
    analyze_seconds = time.perf_counter() - analyzing - write_seconds

    writing = time.perf_counter()
    timeline = steps.report(output)
    steps.publish(counts, reported, timeline)
    write_seconds += time.perf_counter() - writing
    return RunSummary(
        output=output,
        timeline=timeline,
        articles=len(reported),
        mentions=mentions,
        events=events,
        errors=tuple(errors),
        table_rows=counts,
        unchanged=unchanged,
        times=StageTimes(read=read_seconds, load=load_seconds, analyze=analyze_seconds, write=write_seconds),
    )


def _taken_in_batches(articles: list[Article], size: int) -> Iterator[list[Article]]:
    """Batches of ``size`` taken off ``articles``, which is left empty: an analyzed batch's texts are freed."""
    while articles:
        batch, articles[:size] = articles[:size], []
        yield batch


def release_freed_memory() -> None:
    """Hands memory freed since the last call back to the system: glibc and pyarrow's pool keep it
    otherwise, and a long run's memory grows batch after batch (3,000 articles: peak 628 -> 596 MB)."""
    pa.default_memory_pool().release_unused()
    if _malloc_trim is not None:
        _malloc_trim(0)


def use_returnable_arrow_memory() -> None:
    """Allocate Arrow's buffers with glibc's malloc, whose freed memory :func:`release_freed_memory` hands
    back, unless ``ARROW_DEFAULT_MEMORY_POOL`` chooses a pool. mimalloc, pyarrow's default, keeps part of
    what a batch's write frees (3,000 articles analyzed and written in batches of 500: peak 559 -> 521 MB)."""
    if _malloc_trim is not None and "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        pa.set_memory_pool(pa.system_memory_pool())


def _glibc_malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # glibc only: elsewhere there is no such call
    except (AttributeError, OSError):
        return None


_malloc_trim = _glibc_malloc_trim()


def _changed(articles: list[Article], hashes: dict[str, str], output: Path) -> list[Article]:
    stored = read_columns(output, ARTICLES, ["article_id", "content_hash"]).to_pylist()
    known = {row["article_id"]: row["content_hash"] for row in stored}
    return [article for article in articles if known.get(article.article_id) != hashes[article.article_id]]


def content_hash(article: Article) -> str:
    """sha256 of the article as read and of everything its analysis depends on (:func:`analysis_fingerprint`)."""
    fields = asdict(article)
    fields["published_at"] = article.published_at.isoformat() if article.published_at else None
    key = json.dumps([fields, analysis_fingerprint()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def analysis_fingerprint() -> str:
    """What an analysis depends on: the package's code and data, and the NER settings of each language."""
    settings = {lang: [ner_setting(lang), stanza_settings(lang)] for lang in SUPPORTED_LANGUAGES}
    return hashlib.sha256(
        f"{_package_digest()}{json.dumps(settings, sort_keys=True, default=str)}".encode()
    ).hexdigest()


@functools.cache
def _package_digest() -> str:
    # Any change to the code, lexicons, gazetteer or models changes the results: re-analyze then.
    root = Path(str(resources.files("nvo_nlp")))
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


_WARM_UP_WORD = "Xyzzy"  # unknown everywhere: the lemmatizer goes on to the dictionary


def warm_up() -> None:
    """Load the language detector and every language pipeline once, so per-article timings exclude loading.

    Running each pipeline on a word also loads what they open on first use (simplemma's dictionary).
    lingua loads its models in Rust without holding the GIL, so the pipelines are built meanwhile
    (7 samples' loading 7.3 -> 5.8 s, median of 3 with another process busy on one of two cores).
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        detector = pool.submit(default_detector)
        for lang in SUPPORTED_LANGUAGES:
            pipeline_for(lang)(_WARM_UP_WORD)
        detector.result()  # re-raises what building the detector raised
    _freeze_long_lived()


@functools.cache
def _freeze_long_lived() -> None:
    """Move every object alive now (the models, once per process) out of the cyclic garbage collector's sight.

    They live as long as the process: frozen, no full collection walks them again, the passes of
    interpreter exit included (a run on the bundled samples: 0.3 s sooner, ``benchmarks/README.md``).
    """
    gc.collect()  # garbage frozen with them would never be freed
    gc.freeze()


def local_steps() -> RunSteps:
    """The steps of a run in this process, without an orchestration API (``--engine local``)."""
    logger = logging.getLogger("nvo_nlp.run")

    def load_models() -> float:
        started = time.perf_counter()
        warm_up()
        return time.perf_counter() - started

    def analyze(batches: list[list[Article]]) -> Iterator[AnalyzedBatch]:
        for batch in batches:
            yield prepare_batch(analyze_batch(batch, on_article=lambda: report("analyzed")))

    def publish(counts: dict[str, int], analyses: list[ArticleAnalysis], timeline: str) -> None:
        # What a Prefect run shows as its artifact, beside the timeline.
        markdown = run_summary_markdown(counts, analyses, timeline)
        atomic_write(Path(timeline).with_name(RUN_SUMMARY_FILE), lambda path: path.write_text(markdown, "utf-8"))

    return RunSteps(
        read=read_inputs,
        ingest=lambda sources, raw: _ingest_sources(sources, raw, log=logger.info),
        load_models=load_models,
        analyze=analyze,
        write=lambda output, tables, errors, origins, hashes: write_batch(
            Path(output), tables, errors, origins, hashes
        ),
        report=lambda output: str(write_timeline(output)),
        publish=publish,
        log=logger.info,
        warn=logger.warning,
    )


def _ingest_sources(sources: str, raw: str, *, log: Callable[[str], None]) -> IngestSummary:
    from nvo_nlp.ingest.crawl import ingest_sources  # the crawler and its HTTP/2 stack: only runs with sources

    return ingest_sources(sources, raw, log=log)
