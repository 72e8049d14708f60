"""The Python API; the CLI mirrors it one to one (``nvo-nlp run`` ↔ :func:`run`, ``nvo-nlp extract`` ↔ :func:`extract`)."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nvo_nlp.errors import ConfigError, InputError
from nvo_nlp.ingest import Article, discover_files, read_path
from nvo_nlp.process import ArticleAnalysis, analyze
from nvo_nlp.runs import DEFAULT_BATCH_SIZE, RunSummary

DEFAULT_INPUT = Path("data/raw/samples")
DEFAULT_OUTPUT = Path("data/processed")


def run(
    inputs: Sequence[str | Path] | None = None,
    output: str | Path | None = None,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> RunSummary:
    """Run the Prefect pipeline flow on local files or folders; returns what it did.

    Raises :class:`ConfigError` before starting Prefect when ``inputs`` hold no
    supported file. Bad files do not raise: they are in ``summary.errors`` and
    in the ``errors`` table.
    """
    paths = [Path(p) for p in (inputs or [DEFAULT_INPUT])]
    if batch_size < 1:
        raise ConfigError("batch_size must be at least 1")
    if not discover_files(paths) or not any(p.exists() for p in paths):
        listed = ", ".join(str(p) for p in paths)
        raise ConfigError(f"no .txt, .html or .jsonl files found in {listed}")
    # Runs are offline: the temporary Prefect server must not try to send telemetry.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    started = time.perf_counter()
    from nvo_nlp.flows.pipeline import pipeline_flow  # Prefect is heavy: import only when running

    summary = pipeline_flow(
        inputs=[str(p) for p in paths], output=str(Path(output or DEFAULT_OUTPUT)), batch_size=batch_size
    )
    wall = time.perf_counter() - started
    return dataclasses.replace(summary, wall_seconds=wall, orchestration_seconds=max(0.0, wall - summary.times.total))


def extract(path: str | Path) -> ArticleAnalysis:
    """Analyze one article file (``FILE.jsonl#LINE`` picks one record of a JSONL file), without writing anything."""
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
