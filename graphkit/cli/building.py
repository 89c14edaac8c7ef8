"""Building the store and saying what it holds: ``build``, ``info``."""

from __future__ import annotations

import json

import click

import graphkit
from graphkit import pipeline
from graphkit.cli.options import choice_option, count_option, format_option, fresh, parse_types
from graphkit.cli.progress import progress_for, quiet_option
from graphkit.ingest.feeds import read_feed_list
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
@choice_option(
    "--window",
    choices=pipeline.WINDOWS,
    help="What counts as mentioned together [default: sentence, or the store's].",
)
@click.option(
    "--text-field",
    default="text",
    show_default=True,
    help="JSONL/CSV field holding the article text.",
)
@click.option(
    "--feeds",
    "feeds_file",
    type=click.Path(dir_okay=False),
    help="A file of RSS/Atom feed URLs (one a line) to fetch and read too.",
)
@count_option(
    "--workers", default=1, help="Processes extracting in parallel, each loading the model once."
)
@count_option("--batch-size", default=64, help="Articles per spaCy batch and per commit.")
@click.option(
    "--dask",
    metavar="ADDRESS",
    help="Extract on a Dask cluster: a scheduler address (tcp://host:8786), "
    "or local:N for N local worker processes. Needs graphkit[dask].",
)
@click.pass_obj
@quiet_option
def build(
    obj, sources, sample, model, types, window, text_field, feeds_file, workers, batch_size, dask
):
    """Add articles to the store: extract, resolve and link entities.

    SOURCES are files or folders (.txt/.md with the title on the first line,
    .jsonl/.csv with id, title, text, date, url fields; saved web pages
    .html/.htm; RSS/Atom feeds; web archives .warc/.warc.gz) or - for JSONL
    on standard input. Articles already stored with the same text and settings
    are not extracted again, so an interrupted build just resumes.

    Example:

    \b
        graphkit build --sample
        graphkit build articles/ export.jsonl --window paragraph
        graphkit build saved-pages/ feed.xml crawl.warc.gz --feeds feeds.txt
        graphkit build archive/ --workers 2
        graphkit build archive/ --dask tcp://scheduler:8786
    """
    sources = list(sources) + ([str(graphkit.SAMPLE_CORPUS)] if sample else [])
    if not sources and not feeds_file:
        raise click.UsageError("give at least one SOURCE (file, folder or -), --feeds or --sample")
    progress = progress_for(obj)
    summary = pipeline.build(
        sources,
        db=obj["db"],
        model=model,
        types=parse_types(types) or DEFAULT_TYPES,
        window=window,
        text_field=text_field,
        feeds=read_feed_list(feeds_file) if feeds_file else (),
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

    The settings are the model, entity types and window the store was built with.

    Example:

    \b
        graphkit info --format json
    """
    fresh(obj["db"])
    details = graphkit.store_info(obj["db"])
    shown = dict(details)
    shown["near_duplicates"] = _near_duplicates_text(details.get("near_duplicates") or {})
    shown["fields"] = [
        f"{name} ({field['articles']} articles): {', '.join(field['common'])}"
        for name, field in (details.get("fields") or {}).items()
    ] or "none"
    shown["publishers"] = details["publishers"] or "none"
    rows = [{"item": k, "value": v} for k, v in shown.items()]
    if fmt == "json":
        click.echo(json.dumps(details, indent=2, ensure_ascii=False))
    else:
        click.echo(format_rows(rows, ["item", "value"], fmt, width=160))


def _near_duplicates_text(found: dict) -> str:
    count = found.get("count", 0)
    if not count:
        return "none"
    pairs = "; ".join(found.get("pairs", []))
    more = f" and {count - len(found['pairs'])} more" if count > len(found["pairs"]) else ""
    return f"{count} (counted once): {pairs}{more}"
