"""Building the store and saying what it holds: ``build``, ``info``."""

from __future__ import annotations

import json

import click

import graphkit
from graphkit import pipeline
from graphkit.cli.options import format_option, parse_types
from graphkit.cli.progress import progress_for, quiet_option
from graphkit.ingest.settings import DEFAULT_MODEL, DEFAULT_TYPES
from graphkit.outputs.tables import format_rows


@click.command()
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
    "--workers",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Processes extracting in parallel, each loading the model once.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=64,
    show_default=True,
    help="Articles per spaCy batch and per commit.",
)
@click.option(
    "--dask",
    metavar="ADDRESS",
    help="Extract on a Dask cluster: a scheduler address (tcp://host:8786), "
    "or local:N for N local worker processes. Needs graphkit[dask].",
)
@click.pass_obj
@quiet_option
def build(obj, sources, sample, model, types, window, text_field, workers, batch_size, dask):
    """Add articles to the store: extract, resolve and link entities.

    SOURCES are files or folders (.txt/.md with the title on the first line,
    .jsonl/.csv with id, title, text, date, url fields) or - for JSONL on
    standard input. Articles already stored with the same text and settings
    are not extracted again, so an interrupted build just resumes.

    Example:

        graphkit build --sample
        graphkit build articles/ export.jsonl --window paragraph
        graphkit build archive/ --workers 2
        graphkit build archive/ --dask tcp://scheduler:8786
    """
    sources = list(sources) + ([str(graphkit.SAMPLE_CORPUS)] if sample else [])
    if not sources:
        raise click.UsageError("give at least one SOURCE (file, folder or -), or --sample")
    progress = progress_for(obj)
    summary = pipeline.build(
        sources,
        db=obj["db"],
        model=model,
        types=parse_types(types) or DEFAULT_TYPES,
        window=window,
        text_field=text_field,
        workers=workers,
        batch_size=batch_size,
        dask=dask,
        progress=progress,
    )
    for line in summary.lines():
        click.echo(line, err=line.startswith("Warning"))


@click.command()
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
        click.echo(json.dumps(details, indent=2, ensure_ascii=False))
    else:
        click.echo(format_rows(rows, ["item", "value"], fmt, width=100))
