"""Command line: a thin layer over :mod:`nvo_nlp.api`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from nvo_nlp import api
from nvo_nlp.errors import NvoError
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
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Directory for the Parquet tables and timeline.html.")
    ] = api.DEFAULT_OUTPUT,
    batch_size: Annotated[int, typer.Option(help="Articles per analysis task.")] = DEFAULT_BATCH_SIZE,
) -> None:
    """Run the pipeline flow: articles -> Parquet tables (articles, mentions, events, errors) + timeline.html."""
    try:
        summary = api.run(input, output, batch_size=batch_size)
    except NvoError as exc:
        raise _fail(str(exc)) from None
    for error in summary.errors:
        _err.print(f"[yellow]skipped[/yellow] {error.origin}: {error.reason}", highlight=False, soft_wrap=True)
    if summary.articles == 0:
        raise _fail(f"no article processed: all {len(summary.errors)} inputs failed (see above)")
    times = summary.times
    per_article = f"{summary.per_article_seconds * 1000:.0f} ms/article" if summary.per_article_seconds else ""
    typer.echo(
        f"{summary.articles} articles ({len(summary.errors)} failed) -> {summary.mentions} mentions, "
        f"{summary.events} events in {summary.output}\n"
        f"timeline: {summary.timeline}\n"
        f"time: {summary.wall_seconds:.1f} s = {summary.orchestration_seconds:.1f} s Prefect start-up/shutdown"
        f" + {times.load:.1f} s loading models + {times.read:.2f} s reading"
        f" + {times.analyze:.2f} s analyzing ({per_article}) + {times.write:.2f} s writing"
    )


@app.command()
def extract(
    file: Annotated[str, typer.Argument(help="Article file (.txt/.html/.jsonl; FILE.jsonl#LINE for one record).")],
) -> None:
    """Print the extracted records of one article as JSON (nothing is written)."""
    try:
        analysis = api.extract(file)
    except NvoError as exc:
        raise _fail(str(exc)) from None
    typer.echo(json.dumps(api.analysis_as_dict(analysis), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    app()
