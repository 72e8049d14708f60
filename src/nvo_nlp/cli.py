"""Command line: a thin layer over :mod:`nvo_nlp.api`."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from nvo_nlp import api
from nvo_nlp.errors import NvoError
from nvo_nlp.progress import progress_listener
from nvo_nlp.runs import DEFAULT_BATCH_SIZE

app = typer.Typer(
    help="Structured records of municipal, NGO and community activities from Baltic regional news.",
    no_args_is_help=True,
    add_completion=False,
)
_err = Console(stderr=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    _err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _progress_bar() -> Progress:
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    return Progress(*columns, console=_err, transient=False)


@contextmanager
def _progress(*, ingesting: bool, analyzing: bool) -> Iterator[None]:
    """A progress bar of items discovered/fetched/failed while ingesting, and of articles analyzed."""
    counts: Counter[str] = Counter()
    with _progress_bar() as progress:
        bar = progress.add_task("starting", total=None)

        def update(event: str, count: int) -> None:
            counts[event] += count
            parts = []
            if ingesting:
                parts.append(
                    f"discovered {counts['discovered']} · fetched {counts['fetched']} · unchanged {counts['unchanged']}"
                    f" · duplicate {counts['duplicate']} · failed {counts['failed']}"
                )
            if analyzing and counts["queued"]:
                parts.append(f"analyzed {counts['analyzed']}/{counts['queued']}")
                done, total = counts["analyzed"], counts["queued"]
            else:
                done = sum(counts[k] for k in ("fetched", "unchanged", "duplicate", "failed"))
                total = max(done, counts["discovered"]) or None
            progress.update(bar, description=" | ".join(parts), completed=done, total=total)

        with progress_listener(update):
            yield


@contextmanager
def _article_progress(description: str, total: int | None) -> Iterator[Callable[[], None]]:
    """A progress bar advanced once per article."""
    with _progress_bar() as progress:
        bar = progress.add_task(description, total=total)
        yield lambda: progress.advance(bar)


_BACKENDS = typer.Option("--backends", help='TOML file choosing each language\'s NER backend ([ner] lv = "bundled").')
_NER = typer.Option(
    "--ner",
    help="LANG=BACKEND: bundled, none, an installed spaCy package or a pipeline folder (repeatable; over --backends).",
)


def _ner_settings(values: list[str] | None) -> dict[str, str]:
    settings = {}
    for value in values or ():
        lang, separator, backend = value.partition("=")
        if not separator or not lang or not backend:
            raise _fail(f"--ner wants LANG=BACKEND, not {value!r}")
        settings[lang.strip()] = backend.strip()
    return settings


_SOURCES = typer.Option("--sources", "-s", help="Sources file (TOML) of feeds, sitemaps, pages and folders to ingest.")
_OUTPUT = typer.Option("--output", "-o", help="Directory for the Parquet tables and timeline.html.")
_RAW = typer.Option("--raw", help="Raw store and crawl state; default: raw/ beside the output directory.")


@app.command()
def run(
    input: Annotated[
        list[Path] | None,
        typer.Option(
            "--input",
            "-i",
            help="File or folder of .txt/.html/.jsonl articles (repeatable).",
            show_default="data/raw/samples",
        ),
    ] = None,
    output: Annotated[Path, _OUTPUT] = api.DEFAULT_OUTPUT,
    sources: Annotated[Path | None, _SOURCES] = None,
    raw: Annotated[Path | None, _RAW] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per analysis task.")] = DEFAULT_BATCH_SIZE,
    backends: Annotated[Path | None, _BACKENDS] = None,
    ner: Annotated[list[str] | None, _NER] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="local (this process, no orchestration API), prefect (a Prefect flow) or dask (analysis batches on a Dask cluster).",
            show_default="prefect when PREFECT_API_URL is set, else local",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Analyze again articles already in the output unchanged.")
    ] = False,
    dask_address: Annotated[
        str | None, typer.Option("--dask-address", help="Dask scheduler (tcp://host:8786); default: a local cluster.")
    ] = None,
    dask_workers: Annotated[
        int | None,
        typer.Option("--dask-workers", help="Worker processes of the local Dask cluster.", show_default="one per core"),
    ] = None,
) -> None:
    """Run the pipeline: articles (and, with --sources, what ingesting brings) -> Parquet tables + timeline.html."""
    settings = _ner_settings(ner)
    try:
        with _progress(ingesting=sources is not None, analyzing=True):
            summary = api.run(
                input,
                output,
                sources=sources,
                raw=raw,
                batch_size=batch_size,
                backends=backends,
                ner=settings,
                engine=engine,
                force=force,
                dask_address=dask_address,
                dask_workers=dask_workers,
            )
    except NvoError as exc:
        raise _fail(str(exc)) from None
    for error in summary.errors:
        _err.print(f"[yellow]skipped[/yellow] {error.origin}: {error.reason}", highlight=False, soft_wrap=True)
    if summary.articles == 0 and summary.unchanged:
        typer.echo(f"nothing new: {summary.unchanged} articles unchanged since the last run ({summary.output})")
        return
    if summary.articles == 0:
        raise _fail(f"no article processed: all {len(summary.errors)} inputs failed (see above)")
    times = summary.times
    per_article = f"{summary.per_article_seconds * 1000:.0f} ms/article" if summary.per_article_seconds else ""
    unchanged = f", {summary.unchanged} unchanged" if summary.unchanged else ""
    typer.echo(
        f"{summary.articles} articles ({len(summary.errors)} failed{unchanged}) -> {summary.mentions} mentions, "
        f"{summary.events} events in {summary.output}\n"
        f"timeline: {summary.timeline}\n"
        f"time: {summary.wall_seconds:.1f} s = {summary.orchestration_seconds:.1f} s start-up/shutdown ({summary.engine})"
        f" + {times.load:.1f} s loading models + {times.read:.2f} s reading"
        f" + {times.analyze:.2f} s analyzing ({per_article}) + {times.write:.2f} s writing"
    )


@app.command()
def ingest(
    sources: Annotated[Path, _SOURCES],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Output directory whose sibling raw/ holds the raw store.")
    ] = api.DEFAULT_OUTPUT,
    raw: Annotated[Path | None, _RAW] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="local (this process) or prefect (a Prefect flow).",
            show_default="prefect when PREFECT_API_URL is set, else local",
        ),
    ] = None,
) -> None:
    """Fetch what changed in the sources (politely, incrementally) into the raw store; process later with run --input RAW/articles."""
    try:
        with _progress(ingesting=True, analyzing=False):
            summary = api.ingest(sources, output, raw=raw, engine=engine)
    except NvoError as exc:
        raise _fail(str(exc)) from None
    for failure in summary.failures:
        _err.print(
            f"[yellow]failed[/yellow] {failure.origin}: {failure.kind}: {failure.reason}",
            highlight=False,
            soft_wrap=True,
        )
    outcomes = ", ".join(f"{count} {outcome}" for outcome, count in sorted(summary.outcomes.items())) or "no requests"
    typer.echo(f"ingest {summary.run_id}: {len(summary.articles)} new articles; requests: {outcomes}")
    if summary.articles_file:
        typer.echo(f"articles: {summary.articles_file}")


@app.command()
def serve(
    sources: Annotated[Path | None, _SOURCES] = None,
    input: Annotated[
        list[Path] | None,
        typer.Option(
            "--input",
            "-i",
            help="File or folder of .txt/.html/.jsonl articles, analyzed by every run (repeatable).",
            show_default="data/raw/samples without --sources",
        ),
    ] = None,
    output: Annotated[Path, _OUTPUT] = api.DEFAULT_OUTPUT,
    raw: Annotated[Path | None, _RAW] = None,
    cron: Annotated[str, typer.Option("--cron", help="When to run: a cron schedule.")] = "0 6 * * *",
    timezone: Annotated[str, typer.Option("--timezone", help="Time zone of the cron schedules.")] = "Europe/Vilnius",
    ingest_cron: Annotated[
        str | None,
        typer.Option(
            "--ingest-cron",
            help="With --sources: also fetch on this schedule, between runs (feeds only list their latest items).",
            show_default="only when triggered",
        ),
    ] = None,
    language: Annotated[
        list[str] | None,
        typer.Option(
            "--language", "-l", help="Analyze only articles in this language (repeatable).", show_default="all"
        ),
    ] = None,
    backends: Annotated[Path | None, _BACKENDS] = None,
    ner: Annotated[list[str] | None, _NER] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per analysis task.")] = DEFAULT_BATCH_SIZE,
    name: Annotated[str, typer.Option("--name", help="Deployment name.")] = "serve",
) -> None:
    """Run the pipeline on a schedule: serve Prefect deployments from this process until Ctrl-C (needs PREFECT_API_URL)."""
    settings = _ner_settings(ner)
    try:
        api.serve(
            input,
            output,
            sources=sources,
            raw=raw,
            cron=cron,
            timezone=timezone,
            ingest_cron=ingest_cron,
            languages=language,
            ner=settings,
            backends=backends,
            batch_size=batch_size,
            name=name,
        )
    except NvoError as exc:
        raise _fail(str(exc)) from None


@app.command()
def extract(
    file: Annotated[str, typer.Argument(help="Article file (.txt/.html/.jsonl; FILE.jsonl#LINE for one record).")],
    backends: Annotated[Path | None, _BACKENDS] = None,
    ner: Annotated[list[str] | None, _NER] = None,
) -> None:
    """Print the extracted records of one article as JSON (nothing is written)."""
    settings = _ner_settings(ner)
    try:
        analysis = api.extract(file, backends=backends, ner=settings)
    except NvoError as exc:
        raise _fail(str(exc)) from None
    typer.echo(json.dumps(api.analysis_as_dict(analysis), ensure_ascii=False, indent=2))


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL file (format: tests/gold/README.md).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Folder for scores.json and items.jsonl (tp/fp/fn).")
    ] = None,
    backends: Annotated[Path | None, _BACKENDS] = None,
    ner: Annotated[list[str] | None, _NER] = None,
) -> None:
    """Score the pipeline against hand-annotated articles: precision, recall and F1 per field type."""
    settings = _ner_settings(ner)
    try:
        with _article_progress("scoring", _gold_size(gold)) as advance:
            report = api.evaluate(gold, output, backends=backends, ner=settings, on_article=advance)
    except (NvoError, OSError) as exc:
        raise _fail(str(exc)) from None
    table = Table(title=f"{report.articles} gold articles: {gold}")
    for column in ("field", "gold", "predicted", "matched", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "field" else "right")
    for score in report.scores:
        table.add_row(
            score.field,
            str(score.gold),
            str(score.predicted),
            str(score.true_positives),
            f"{score.precision:.3f}",
            f"{score.recall:.3f}",
            f"{score.f1:.3f}",
        )
    Console().print(table)
    if output is not None:
        typer.echo(f"scores and items in {output}")


@app.command()
def timeline(
    output: Annotated[Path, typer.Argument(help="Output directory of a run (its Parquet tables are only read).")],
    project: Annotated[
        str | None, typer.Option("--project", help="Only this project (its name, English name or id).")
    ] = None,
    municipality: Annotated[
        str | None, typer.Option("--municipality", help="Only events in this municipality (LT-21 or its name).")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only events from this day on (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only events up to this day (YYYY-MM-DD).")] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Page to write.", show_default="OUTPUT/timeline.html")
    ] = None,
) -> None:
    """Write the events as one self-contained HTML page, filterable in the browser (no server needed)."""
    try:
        page = api.timeline(output, project=project, municipality=municipality, since=since, until=until, html=html)
    except NvoError as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"timeline: {page}")


@app.command()
def info() -> None:
    """List the NER backend of each language, the bundled and installed spaCy pipelines, and versions."""
    details = api.info()
    console = Console()
    backends = Table(title="NER backend per language (rules and gazetteer always run)")
    for column in ("language", "backend", "loads"):
        backends.add_column(column)
    for lang, backend in details.ner.items():
        backends.add_row(lang, backend, details.ner_loads.get(lang) or "nothing: rules only")
    console.print(backends)
    models = Table(title="spaCy pipelines on this machine")
    for column in ("name", "source", "version", "language", "components", "NER labels", "dev F1", "location"):
        models.add_column(column)
    for model in details.models:
        f1 = f"{model.ents_f:.3f}" if model.ents_f is not None else ""
        models.add_row(
            model.name,
            model.source,
            model.version,
            model.lang,
            ", ".join(model.pipes),
            ", ".join(model.labels),
            f1,
            model.location,
        )
    console.print(models if details.models else "no spaCy pipeline bundled or installed")
    used = ", ".join(f"{lang} ({folder})" for lang, folder in details.stanza_dirs.items()) or "no language"
    console.print(f"stanza: {details.stanza or 'not installed'}; used for {used}", markup=False)
    console.print("versions: " + ", ".join(f"{name} {version or '-'}" for name, version in details.versions.items()))


def _gold_size(gold: Path) -> int | None:
    try:
        return sum(1 for line in gold.read_text(encoding="utf-8").splitlines() if line.strip())
    except OSError:
        return None


if __name__ == "__main__":
    app()
