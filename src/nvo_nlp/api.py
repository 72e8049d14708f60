"""The Python API; the CLI mirrors it one to one (``nvo-nlp run`` ↔ :func:`run`, ``nvo-nlp ingest`` ↔
:func:`ingest`, ``nvo-nlp serve`` ↔ :func:`serve`, ``nvo-nlp extract`` ↔ :func:`extract`, ``nvo-nlp evaluate``
↔ :func:`evaluate`, ``nvo-nlp timeline`` ↔ :func:`timeline`, ``nvo-nlp info`` ↔ :func:`info`)."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import socket
import time
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from nvo_nlp.errors import ConfigError, InputError
from nvo_nlp.evaluation import EvaluationReport, load_gold, score_articles
from nvo_nlp.ingest import Article, discover_files, read_path
from nvo_nlp.ingest.local import article_from_record
from nvo_nlp.ingest.sources import load_sources
from nvo_nlp.nlp.backends import SystemInfo, configure, system_info
from nvo_nlp.process import ArticleAnalysis, analyze
from nvo_nlp.report import write_timeline
from nvo_nlp.runs import DEFAULT_BATCH_SIZE, ENGINES, RunSummary, execute_run, local_steps
from nvo_nlp.store.files import atomic_write

if TYPE_CHECKING:
    from nvo_nlp.ingest.web import IngestSummary

DEFAULT_INPUT = Path("data/raw/samples")
DEFAULT_OUTPUT = Path("data/processed")


def run(
    inputs: Sequence[str | Path] | None = None,
    output: str | Path | None = None,
    *,
    sources: str | Path | None = None,
    raw: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    backends: str | Path | None = None,
    ner: Mapping[str, str] | None = None,
    engine: str | None = None,
    force: bool = False,
    dask_address: str | None = None,
    dask_workers: int | None = None,
) -> RunSummary:
    """Run the pipeline on local files or folders and/or the sources of a sources file.

    Without ``inputs`` and ``sources``, processes the bundled samples. ``engine`` is ``local`` (in
    this process, no orchestration API: the default), ``prefect`` (a Prefect flow: the default when
    ``PREFECT_API_URL`` is set) or ``dask`` (a Prefect flow whose analysis batches run on the Dask
    scheduler at ``dask_address``, else on a local cluster of ``dask_workers`` processes). Articles
    already in the output with the same content are skipped unless ``force``. Raises
    :class:`ConfigError` before reading any article when there is nothing to read, the sources file
    is invalid or the engine cannot be reached. Bad files and pages do not raise: they are in
    ``summary.errors`` and in the ``errors`` table.
    """
    if batch_size < 1:
        raise ConfigError("batch_size must be at least 1")
    engine = _engine(engine, dask_address)
    _configure(backends, ner)
    paths = [Path(p) for p in (inputs or ([] if sources else [DEFAULT_INPUT]))]
    if paths and (not discover_files(paths) or not any(p.exists() for p in paths)):
        listed = ", ".join(str(p) for p in paths)
        raise ConfigError(f"no .txt, .html or .jsonl files found in {listed}")
    output = Path(output or DEFAULT_OUTPUT)
    if sources is not None:
        load_sources(sources)  # fail fast on a bad sources file
    parameters = {
        "inputs": [str(p) for p in paths],
        "output": str(output),
        "batch_size": batch_size,
        "sources": str(sources) if sources else None,
        "raw": str(raw_dir(output, raw)),
        "force": force,
    }
    started = time.perf_counter()
    if engine == "local":
        summary = execute_run(steps=local_steps(), **parameters)
    else:
        from nvo_nlp.flows.settings import shared_temporary_api  # no Prefect import: the API starts first

        with shared_temporary_api(_flows) as flows, flows.settings.local_run_settings():
            if engine == "dask":
                pipeline = flows.pipeline.dask_pipeline(dask_address, dask_workers)
                summary = pipeline(**parameters, parallel_batches=True)
            else:
                summary = flows.pipeline.pipeline_flow(**parameters)
    wall = time.perf_counter() - started
    orchestration = max(0.0, wall - summary.times.total)
    return dataclasses.replace(summary, engine=engine, wall_seconds=wall, orchestration_seconds=orchestration)


def _engine(engine: str | None, dask_address: str | None) -> str:
    """The engine to run on, checked before any article is read."""
    api_url = os.environ.get("PREFECT_API_URL")
    engine = engine or ("prefect" if api_url else "local")
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}: one of {', '.join(ENGINES)}")
    if engine != "local" and api_url:
        _check_reachable(api_url, "the Prefect API (PREFECT_API_URL)")
    if engine == "dask":
        if importlib.util.find_spec("prefect_dask") is None:  # found, not imported: the API starts first
            raise ConfigError('the dask engine needs prefect-dask: pip install "nvo-nlp[dask]"')
        if dask_address:
            _check_reachable(dask_address, "the Dask scheduler (--dask-address)")
    elif dask_address:
        raise ConfigError("--dask-address needs --engine dask")
    return engine


def _check_reachable(url: str, what: str) -> None:
    parts = urlsplit(url)
    if not parts.hostname or not parts.port and parts.scheme not in ("http", "https"):
        raise ConfigError(f"{what}: not an address: {url!r} (use scheme://host:port)")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=5).close()
    except OSError as exc:
        raise ConfigError(f"cannot reach {what} at {url}: {exc.strerror or exc}") from None


def ingest(
    sources: str | Path, output: str | Path | None = None, *, raw: str | Path | None = None, engine: str | None = None
) -> IngestSummary:
    """Fetch what changed in the sources into the raw store (``nvo-nlp ingest``); ``engine`` as for :func:`run`
    (``local`` or ``prefect``: fetching is network-bound, there is nothing to spread on Dask)."""
    engine = _engine(engine, None)
    if engine == "dask":
        raise ConfigError("ingest runs on the local or the prefect engine")
    load_sources(sources)
    raw = str(raw_dir(Path(output or DEFAULT_OUTPUT), raw))
    if engine == "local":
        from nvo_nlp.ingest.crawl import ingest_sources  # the crawler and its HTTP/2 stack: only when ingesting

        return ingest_sources(sources, raw)
    from nvo_nlp.flows.settings import shared_temporary_api  # no Prefect import: the API starts first

    with shared_temporary_api(_flows) as flows, flows.settings.local_run_settings():
        return flows.ingest.run_ingest(str(sources), raw)


def serve(
    inputs: Sequence[str | Path] | None = None,
    output: str | Path | None = None,
    *,
    sources: str | Path | None = None,
    raw: str | Path | None = None,
    cron: str = "0 6 * * *",
    timezone: str = "Europe/Vilnius",
    ingest_cron: str | None = None,
    languages: Sequence[str] | None = None,
    ner: Mapping[str, str] | None = None,
    backends: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    name: str = "serve",
) -> None:
    """Serve scheduled runs from this process until interrupted (``nvo-nlp serve``); no work pool needed.

    Registers the deployment ``nvo-nlp-scheduled-run/NAME`` (``nvo_nlp.flows.serve.scheduled_run``)
    with the Prefect server at ``PREFECT_API_URL``, on ``cron`` in ``timezone``, and, with
    ``sources``, ``nvo-nlp-scheduled-ingest/NAME`` (on ``ingest_cron``, else only when triggered);
    then executes their scheduled and triggered runs, one at a time, each in a subprocess, until
    Ctrl-C (which pauses the schedules). A run ingests ``sources``, then analyzes what is new in the
    raw store's articles and in ``inputs`` (default: the bundled samples when there are no sources),
    only in ``languages`` (default: all), with the NER backends of ``ner`` and ``backends``. Paths
    are made absolute. Raises :class:`ConfigError` before registering anything when no Prefect
    server is set or reachable, or an argument is invalid.
    """
    from prefect.settings import get_current_settings  # PREFECT_API_URL: the environment, else the profile

    api_url = get_current_settings().api.url
    if not api_url:
        raise ConfigError(
            "serve needs a Prefect server: start one with `prefect server start` and set "
            "PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    _check_reachable(api_url, "the Prefect API (PREFECT_API_URL)")
    if batch_size < 1:
        raise ConfigError("batch_size must be at least 1")
    _configure(backends, ner)  # fail fast on a backend that cannot load
    paths = [Path(p).resolve() for p in (inputs or ([] if sources else [DEFAULT_INPUT]))]
    if paths and (not discover_files(paths) or not any(p.exists() for p in paths)):
        raise ConfigError(f"no .txt, .html or .jsonl files found in {', '.join(str(p) for p in paths)}")
    if sources is not None:
        load_sources(sources)
    elif ingest_cron:
        raise ConfigError("an ingest schedule needs a sources file (--sources)")
    codes = [code.strip().lower() for code in languages or ()]
    if not all(code.isalpha() for code in codes):
        raise ConfigError(f"languages are codes such as lt, lv or en, not {', '.join(languages or ())}")
    output = Path(output or DEFAULT_OUTPUT).resolve()
    _flows()
    from prefect import serve as prefect_serve

    import nvo_nlp.flows.serve

    nvo_nlp.flows.serve.check_schedule(cron, ingest_cron, timezone)
    served = nvo_nlp.flows.serve.deployments(
        name=name,
        cron=cron,
        timezone=timezone,
        ingest_cron=ingest_cron,
        output=str(output),
        inputs=[str(p) for p in paths],
        sources=str(Path(sources).resolve()) if sources else None,
        raw=str(raw_dir(output, raw).resolve()),
        languages=codes,
        ner=dict(ner) if ner else None,
        backends=str(Path(backends).resolve()) if backends else None,
        batch_size=batch_size,
    )
    prefect_serve(*served, limit=1)  # one run at a time: runs of one output and raw store never overlap


def raw_dir(output: Path, raw: str | Path | None) -> Path:
    """The raw store of an output directory: ``--raw`` when given, else ``raw/`` beside the output."""
    return Path(raw) if raw else Path(output).parent / "raw"


def _flows():
    import nvo_nlp.flows.ingest
    import nvo_nlp.flows.pipeline  # Prefect is heavy: import only when running
    import nvo_nlp.flows.settings

    return nvo_nlp.flows


def extract(
    path: str | Path, *, backends: str | Path | None = None, ner: Mapping[str, str] | None = None
) -> ArticleAnalysis:
    """Analyze one article file (``FILE.jsonl#LINE`` picks one record of a JSONL file), without writing anything."""
    _configure(backends, ner)
    file, _, line = str(path).partition("#")
    items = read_path(Path(file))
    if line:
        items = [item for item in items if item.origin.endswith(f"#{line}")]
        if not items:
            raise ConfigError(f"{file} has no record on line {line}")
    articles = [item for item in items if isinstance(item, Article)]
    if not articles:
        failure = items[0]
        raise InputError(f"{failure.origin}: {failure.reason}", path=failure.origin)
    if len(articles) > 1:
        raise ConfigError(f"{file} holds {len(articles)} articles; pick one with {file}#LINE")
    return analyze(articles[0])


def evaluate(
    gold: str | Path,
    output: str | Path | None = None,
    *,
    backends: str | Path | None = None,
    ner: Mapping[str, str] | None = None,
    on_article=None,
) -> EvaluationReport:
    """Score the pipeline on a gold JSONL file (format: ``tests/gold/README.md``).

    With ``output``, writes ``scores.json`` (per field type) and ``items.jsonl`` (every gold and
    predicted item with its outcome, tp/fp/fn) there. ``on_article`` is called after each article.
    """
    _configure(backends, ner)
    articles = load_gold(gold)
    if not articles:
        raise ConfigError(f"{gold} holds no gold articles")

    def analyses():
        for item in articles:
            published = item.published.isoformat() if item.published else None
            record = {"text": item.text, "language": item.language, "published_at": published}
            yield item, analyze(article_from_record(f"{gold}#{item.id}", record))
            if on_article is not None:
                on_article()

    report = score_articles(analyses())
    if output is not None:
        _write_evaluation(report, Path(output))
    return report


def _write_evaluation(report: EvaluationReport, output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    scores = {
        score.field: {
            "gold": score.gold,
            "predicted": score.predicted,
            "true_positives": score.true_positives,
            "precision": round(score.precision, 4),
            "recall": round(score.recall, 4),
            "f1": round(score.f1, 4),
        }
        for score in report.scores
    }
    summary = {"articles": report.articles, "scores": scores}
    scores_text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
    atomic_write(output / "scores.json", lambda path: path.write_text(scores_text, encoding="utf-8"))
    lines = "".join(json.dumps(dataclasses.asdict(item), ensure_ascii=False) + "\n" for item in report.items)
    atomic_write(output / "items.jsonl", lambda path: path.write_text(lines, encoding="utf-8"))


def timeline(
    output: str | Path,
    *,
    project: str | None = None,
    municipality: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    html: str | Path | None = None,
) -> Path:
    """Write the timeline page of an output directory's events; returns its path (default ``OUTPUT/timeline.html``).

    One self-contained HTML file, filterable in the browser. The tables are only read. ``project``
    matches an event's project, English project name or project id; ``municipality`` (ISO 3166-2
    code or name), ``since`` and ``until`` (on the event's first day) filter as in :func:`load`.
    Raises :class:`StoreError` or :class:`ConfigError` with a one-line message.
    """
    return write_timeline(output, project=project, municipality=municipality, since=since, until=until, html=html)


def info() -> SystemInfo:
    """What this machine can run: NER backend per language, bundled and installed models, versions."""
    return system_info()


def _configure(backends: str | Path | None, ner: Mapping[str, str] | None) -> None:
    """``backends`` (a TOML file) and ``ner`` (language -> backend) choose each language's NER; see
    :mod:`nvo_nlp.nlp.backends`. Without either, the current settings stay."""
    if backends is not None or ner:
        configure(ner, file=backends)


def analysis_as_dict(analysis: ArticleAnalysis) -> dict[str, Any]:
    """JSON-ready dict of an analysis (dates as ISO strings)."""
    return _jsonable(dataclasses.asdict(analysis))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
