"""The ``graphkit`` command: parse options, call one library function, format the result.

No logic lives here. Library errors (:class:`~graphkit.errors.GraphkitError`)
become a one-line ``Error: ...`` and exit status 1 in :class:`GraphkitGroup`;
usage errors exit 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import sys

import click

import graphkit
from graphkit import pipeline
from graphkit.errors import GraphkitError
from graphkit.extract import DEFAULT_MODEL, DEFAULT_TYPES
from graphkit.formats import FORMATS, format_rows
from graphkit.store import open_store


class GraphkitGroup(click.Group):
    """A click group that turns graphkit errors into clean one-line messages."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GraphkitError as err:
            raise click.ClickException(str(err)) from err
        except KeyboardInterrupt:
            click.echo(
                "Interrupted; what was stored so far is kept. Run the command again to resume.",
                err=True,
            )
            sys.exit(130)


def _types(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    return tuple(t.strip().upper() for t in value.split(",") if t.strip())


def format_option(f):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output as an aligned table, JSON or CSV.",
    )(f)


def period_options(f):
    """--since/--until/--dated-only: which articles the graph is built from."""

    @click.option(
        "--since", metavar="DATE", help="Only articles dated on or after DATE (YYYY[-MM[-DD]])."
    )
    @click.option("--until", metavar="DATE", help="Only articles dated on or before DATE.")
    @click.option(
        "--dated-only", is_flag=True, help="Leave out undated articles (kept by default)."
    )
    @functools.wraps(f)
    def wrapper(*args, since, until, dated_only, **kwargs):
        period = {"since": since, "until": until, "dated_only": dated_only}
        return f(*args, period=period, **kwargs)

    return wrapper


@click.group(cls=GraphkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(graphkit.__version__, prog_name="graphkit")
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    envvar="GRAPHKIT_DB",
    default="graphkit.db",
    show_default=True,
    help="The store file (or set GRAPHKIT_DB).",
)
@click.pass_context
def cli(ctx, db):
    """graphkit: who is connected to whom in a corpus of news articles.

    Build a store from articles, then explore it: a graph page, centrality
    reports, and the neighbours of an entity with the sentences that link them.

    Example:

        graphkit build articles/ && graphkit centrality --top 10
    """
    ctx.obj = {"db": db}


@cli.command()
@click.argument("sources", nargs=-1)
@click.option("--sample", is_flag=True, help="Add the bundled sample corpus to SOURCES.")
@click.option(
    "--model",
    default=DEFAULT_MODEL,
    show_default=True,
    help="Installed spaCy pipeline name or path.",
)
@click.option(
    "--types",
    default=",".join(DEFAULT_TYPES),
    show_default=True,
    help="Entity labels to keep, comma-separated.",
)
@click.option(
    "--window",
    type=click.Choice(pipeline.WINDOWS),
    help="What counts as mentioned together [default: sentence, or the store's].",
)
@click.option(
    "--text-field",
    default="text",
    show_default=True,
    help="JSONL/CSV field holding the article text.",
)
@click.option(
    "--workers", type=click.IntRange(1), default=1, show_default=True, help="Processes for spaCy."
)
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=64,
    show_default=True,
    help="Articles per spaCy batch and per commit.",
)
@click.pass_obj
def build(obj, sources, sample, model, types, window, text_field, workers, batch_size):
    """Add articles to the store: extract, resolve and link entities.

    SOURCES are files or folders (.txt/.md with the title on the first line,
    .jsonl/.csv with id, title, text, date, url fields) or - for JSONL on
    standard input. Articles already stored with the same text and settings
    are not extracted again, so an interrupted build just resumes.

    Example:

        graphkit build --sample
        graphkit build articles/ export.jsonl --window paragraph
    """
    sources = list(sources) + ([str(graphkit.SAMPLE_CORPUS)] if sample else [])
    if not sources:
        raise click.UsageError("give at least one SOURCE (file, folder or -), or --sample")
    progress = _progress() if sys.stderr.isatty() else None
    summary = pipeline.build(
        sources,
        db=obj["db"],
        model=model,
        types=_types(types) or DEFAULT_TYPES,
        window=window,
        text_field=text_field,
        workers=workers,
        batch_size=batch_size,
        progress=progress,
    )
    if progress:
        click.echo("", err=True)
    for line in summary.lines():
        click.echo(line, err=line.startswith("Warning"))


def _progress():
    def show(done: int) -> None:
        click.echo(f"\rextracted {done} article(s)…", nl=False, err=True)

    return show


@cli.command()
@format_option
@click.pass_obj
def info(obj, fmt):
    """What the store holds: counts, settings and dropped mentions.

    Example:

        graphkit info --format json
    """
    details = graphkit.store_info(obj["db"])
    rows = [{"item": k, "value": v} for k, v in details.items()]
    if fmt == "json":
        import json

        click.echo(json.dumps(details, indent=2, ensure_ascii=False))
    else:
        click.echo(format_rows(rows, ["item", "value"], fmt, width=100))


def main() -> None:
    """Entry point of the ``graphkit`` console script."""
    cli(prog_name="graphkit")


__all__ = ["cli", "main", "open_store"]
