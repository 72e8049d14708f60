"""Scheduled runs: the flows that deployments run, and the deployments ``nvo-nlp serve`` serves.

Two flows carry everything a schedule needs as parameters, so a deployment (``prefect.yaml`` at the
repository root, or :func:`deployments` served by ``nvo-nlp serve``) fully describes its runs:

- :func:`scheduled_ingest` fetches what changed in a sources file into the raw store;
- :func:`scheduled_run` ingests (with ``sources``), then analyzes every article of the raw store's
  ``articles/`` folder (and of ``inputs``) that the output does not hold yet, with the NER backends
  and only the article languages it is given.

Reading the raw store's articles, not only what this run's ingest brought, makes schedules loss-free:
articles fetched by the ingest deployment, by a run that crashed before writing, or by a run of another
language group are analyzed by the next run. Articles already in the output with the same content are
skipped by their content hash, so a run with nothing new costs reading and hashing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from prefect import flow, get_run_logger

from nvo_nlp.errors import ConfigError
from nvo_nlp.flows.ingest import run_ingest
from nvo_nlp.flows.pipeline import read_articles, task_steps
from nvo_nlp.ingest import Article, InputFailure
from nvo_nlp.ingest.web import IngestSummary
from nvo_nlp.langid import default_detector
from nvo_nlp.nlp.backends import configure
from nvo_nlp.process import choose_language
from nvo_nlp.runs import DEFAULT_BATCH_SIZE, RunSummary, content_hash, execute_run
from nvo_nlp.store.parquet import read_columns
from nvo_nlp.store.schema import ARTICLES

DEFAULT_OUTPUT = "data/processed"


def raw_store(output: str, raw: str | None) -> str:
    """The raw store of an output: ``raw`` when given, else ``raw/`` beside the output (as ``nvo-nlp run``)."""
    return raw or str(Path(output).parent / "raw")


@flow(name="nvo-nlp-scheduled-ingest", version="1")
def scheduled_ingest(sources: str, output: str = DEFAULT_OUTPUT, raw: str | None = None) -> IngestSummary:
    """Fetch what changed in the ``sources`` file into the raw store of ``output``; a later
    :func:`scheduled_run` on the same output analyzes it."""
    return run_ingest(sources, raw_store(output, raw))


@flow(name="nvo-nlp-scheduled-run", version="1")
def scheduled_run(
    sources: str | None = None,
    inputs: list[str] | None = None,
    output: str = DEFAULT_OUTPUT,
    raw: str | None = None,
    languages: list[str] | None = None,
    ner: dict[str, str] | None = None,
    backends: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    force: bool = False,
) -> RunSummary:
    """Ingest ``sources`` (when given), then analyze what is new in the raw store's articles and ``inputs``.

    ``languages`` (e.g. ``["lt"]``): only articles in these languages are analyzed, the language
    being decided as the analysis decides it (detected; the declared one when detection cannot
    tell). The others are left where they are (a run of their languages takes them) and logged.
    ``ner`` (language -> backend) and ``backends`` (a TOML file) set the NER backends of this run,
    on top of the defaults (:func:`nvo_nlp.nlp.backends.configure`).
    """
    logger = get_run_logger()
    settings = configure(ner, file=backends)
    logger.info("NER backends: " + ", ".join(f"{lang}={backend}" for lang, backend in sorted(settings.items())))
    raw = raw_store(output, raw)
    ingested = run_ingest(sources, raw) if sources else None
    articles = Path(raw) / "articles"
    paths = list(inputs or []) + ([str(articles)] if articles.is_dir() else [])
    if not paths and ingested is None:
        logger.info(f"nothing to analyze: no inputs and no ingested articles in {articles}")
        return RunSummary(output, None, 0, 0, 0)
    read = read_articles
    if languages:
        wanted = frozenset(language.strip().lower() for language in languages)
        read = _only_languages(wanted, output, force, logger.info)

    def ingest(sources: str, raw: str) -> IngestSummary:
        # It ran above: its articles are read back from the raw store with the others; its fetch
        # failures go to the errors table as in `nvo-nlp run --sources`.
        return replace(ingested, articles=())

    steps = replace(task_steps(), read=read, ingest=ingest)
    return execute_run(paths, output, steps=steps, batch_size=batch_size, sources=sources, raw=raw, force=force)


def select_languages(
    articles: list[Article], languages: frozenset[str], known: dict[str, str]
) -> tuple[list[Article], dict[str, int]]:
    """The articles in ``languages``, and how many of each other language were left out.

    Articles in ``known`` (article id -> content hash of the output) with the same hash pass
    without detecting their language: the run skips them as unchanged anyway.
    """
    detector = default_detector()
    kept: list[Article] = []
    left: Counter[str] = Counter()
    for article in articles:
        if known.get(article.article_id) == content_hash(article):
            kept.append(article)
            continue
        language = choose_language(article, detector.detect_document(article.text)[0]).language
        if language in languages:
            kept.append(article)
        else:
            left[language] += 1
    return kept, dict(left)


def _only_languages(languages: frozenset[str], output: str, force: bool, log):
    def read(inputs: list[str]) -> tuple[list[Article], list[InputFailure]]:
        articles, failures = read_articles(inputs)
        stored = [] if force else read_columns(Path(output), ARTICLES, ["article_id", "content_hash"]).to_pylist()
        known = {row["article_id"]: row["content_hash"] for row in stored}
        kept, left = select_languages(articles, languages, known)
        if left:
            counts = ", ".join(f"{count} {language}" for language, count in sorted(left.items()))
            log(f"left out {sum(left.values())} articles not in {', '.join(sorted(languages))}: {counts}")
        return kept, failures

    return read


def check_schedule(cron: str, ingest_cron: str | None, timezone: str) -> None:
    """Raise :class:`ConfigError` unless the cron strings are valid and the time zone is an IANA name."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from prefect.schedules import Cron

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {timezone!r}: an IANA name such as Europe/Vilnius") from None
    for schedule in filter(None, (cron, ingest_cron)):
        try:
            Cron(schedule, timezone=timezone)
        except ValueError:
            raise ConfigError(
                f"not a cron schedule: {schedule!r} (minute hour day-of-month month day-of-week)"
            ) from None


def deployments(
    *,
    name: str,
    cron: str,
    timezone: str,
    output: str,
    inputs: Sequence[str] = (),
    sources: str | None = None,
    raw: str | None = None,
    languages: Sequence[str] | None = None,
    ner: dict[str, str] | None = None,
    backends: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    ingest_cron: str | None = None,
) -> list:
    """The deployments ``nvo-nlp serve`` serves: the run on ``cron`` and, with ``sources``, the ingest
    (on ``ingest_cron``, else only when triggered). Both load their flow by module path, so they
    run from any working directory."""
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    run_parameters = {
        "sources": sources,
        "inputs": list(inputs),
        "output": output,
        "raw": raw,
        "languages": list(languages) if languages else None,
        "ner": dict(ner) if ner else None,
        "backends": backends,
        "batch_size": batch_size,
    }
    served = [
        scheduled_run.to_deployment(
            name=name,
            schedules=[Cron(cron, timezone=timezone)],
            parameters=run_parameters,
            entrypoint_type=EntrypointType.MODULE_PATH,
            description=f"nvo-nlp run on {cron!r} ({timezone}) into {output}",
            tags=["nvo-nlp"],
        )
    ]
    if sources:
        served.append(
            scheduled_ingest.to_deployment(
                name=name,
                schedules=[Cron(ingest_cron, timezone=timezone)] if ingest_cron else [],
                parameters={"sources": sources, "output": output, "raw": raw},
                entrypoint_type=EntrypointType.MODULE_PATH,
                description=f"nvo-nlp ingest of {sources} into the raw store of {output}",
                tags=["nvo-nlp"],
            )
        )
    return served
