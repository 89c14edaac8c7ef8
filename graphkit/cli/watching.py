"""Keeping a store and its page up to date as articles arrive: ``watch``."""

from __future__ import annotations

import contextlib
import re
import signal

import click

from graphkit import watch as watching
from graphkit.cli.options import parse_types
from graphkit.ingest.feeds import read_feed_list
from graphkit.ingest.settings import DEFAULT_MODEL, DEFAULT_TYPES

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$", re.IGNORECASE)


def parse_duration(value: str) -> float:
    """ "90", "90s", "10m", "1.5h" → seconds."""
    match = _DURATION.match(str(value))
    if not match or float(match.group(1)) <= 0:
        raise click.BadParameter(f"{value!r} is not a duration like 30s, 10m or 1h")
    unit = {"": 1, "s": 1, "m": 60, "h": 3600}[match.group(2).lower()]
    return float(match.group(1)) * unit


@click.command()
@click.argument("sources", nargs=-1)
@click.option(
    "--feeds",
    "feeds_file",
    type=click.Path(dir_okay=False),
    help="A file of RSS/Atom feed URLs (one a line), fetched again --every so often.",
)
@click.option(
    "--every",
    default="10m",
    show_default=True,
    metavar="DURATION",
    help="How often to fetch the feeds: 30s, 10m, 1h.",
)
@click.option(
    "--page",
    type=click.Path(dir_okay=False),
    help="Keep this live page up to date (it reloads itself when open).",
)
@click.option("--title", default="graphkit", show_default=True, help="Heading of the page.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="Installed spaCy pipeline.")
@click.option(
    "--types",
    default=",".join(DEFAULT_TYPES),
    show_default=True,
    help="Entity labels to keep, comma-separated.",
)
@click.pass_obj
def watch(obj, sources, feeds_file, every, page, title, model, types):
    """Build SOURCES, then keep building new and changed articles until stopped.

    Files added or changed in the folders (pages, feeds, web archives, text,
    JSONL, CSV) are built within seconds; feeds are fetched again every
    --every. Each update prints one line: what was added and the entities
    and ties gained. With --page, the page is rewritten after each update
    and, when open in a browser, reloads itself. Stop with Ctrl-C or SIGTERM
    (exit status 0); stopping, or a crash, never loses what was stored.

    Example:

    \b
        graphkit watch saved-pages/ --page graph.html
        graphkit watch inbox/ --feeds feeds.txt --every 10m --page graph.html
    """
    feeds = read_feed_list(feeds_file) if feeds_file else []
    if not sources and not feeds:
        raise click.UsageError("give at least one SOURCE (file or folder), or --feeds")
    seconds = parse_duration(every)
    click.echo(
        f"watching {', '.join(sources) or 'no folder'}"
        + (f" and {len(feeds)} feed(s) every {every}" if feeds else "")
        + "; Ctrl-C to stop",
        err=True,
    )
    stored = []

    def show(update: watching.Update) -> None:
        for warning in update.warnings:
            click.echo(warning, err=True)
        click.echo(update.line())
        stored.append(update.stored)

    signal.signal(signal.SIGTERM, _interrupt)  # `kill PID` stops it as cleanly as Ctrl-C
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how watching ends: exit 0
        watching.watch(
            sources,
            db=obj["db"],
            feeds=feeds,
            every=seconds,
            page=page,
            page_options={"title": title},
            build_options={"model": model, "types": parse_types(types) or DEFAULT_TYPES},
            on_update=show,
        )
    click.echo(
        f"stopped watching after {sum(1 for n in stored if n)} update(s) that stored articles; "
        f"{obj['db']} keeps everything stored",
        err=True,
    )


def _interrupt(signum, frame):
    raise KeyboardInterrupt
