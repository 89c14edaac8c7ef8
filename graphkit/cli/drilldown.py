"""Following a lead to its sources: ``mentions``, ``evidence``, and the ``exclude`` list."""

from __future__ import annotations

import json

import click

import graphkit
from graphkit.cli.options import count_option, format_option
from graphkit.graph import exclusions
from graphkit.outputs.tables import format_rows
from graphkit.store import open_store


def selection_options(f):
    """--limit/--offset and the article filters shared by the drill-down commands."""
    options = [
        count_option("--limit", default=50, help="Rows per page."),
        count_option(
            "--offset", minimum=0, default=0, help="Rows to skip (the next page: --offset 50)."
        ),
        click.option("--all", "everything", is_flag=True, help="Every row, no paging."),
        click.option("--since", metavar="DATE", help="Only articles dated on or after DATE."),
        click.option("--until", metavar="DATE", help="Only articles dated on or before DATE."),
        click.option("--dated-only", is_flag=True, help="Leave out undated articles."),
        click.option(
            "--where",
            metavar="FIELD=VALUE",
            multiple=True,
            help="Only articles whose FIELD is VALUE (repeatable).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _selection(limit, offset, everything, since, until, dated_only, where) -> dict:
    return {
        "limit": None if everything else limit,
        "offset": offset,
        "since": since,
        "until": until,
        "dated_only": dated_only,
        "where": list(where),
    }


def _show(listing, columns: list[str], fmt: str, what: str, command: str) -> None:
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "entities": list(listing.entities),
                    "total": listing.total,
                    "offset": listing.offset,
                    "totals": listing.totals,
                    "rows": listing.rows,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    click.echo(format_rows(listing.rows, columns, fmt, width=400 if fmt == "csv" else 160))
    shown = f"{listing.offset + 1}-{listing.offset + len(listing.rows)}" if listing.rows else "0"
    note = f"{what} {shown} of {listing.total}"
    if listing.selection:
        note += f" ({listing.selection})"
    if listing.remaining:
        next_offset = listing.offset + len(listing.rows)
        note += f"; {listing.remaining} more: {command} --offset {next_offset} (or --all)"
    click.echo(note, err=True)


@click.command(name="mentions")
@click.argument("entity")
@click.option("--sentences", is_flag=True, help="One row per sentence instead of per article.")
@selection_options
@format_option
@click.pass_obj
def mentions_command(
    obj, entity, sentences, limit, offset, everything, since, until, dated_only, where, fmt
):
    """Every article that mentions ENTITY (or every sentence), newest first.

    Article rows give the title, date, url, how many times the entity is
    named, and how many of those name it as a source ("told X", "according
    to X"), which makes no tie. Near-duplicates show the article they repeat.

    \b
    Example:
        graphkit mentions "Tony Blair" --limit 20
        graphkit mentions "Tony Blair" --sentences --where category=politics --format csv
    """
    listing = graphkit.mentions(
        obj["db"],
        entity,
        sentences=sentences,
        **_selection(limit, offset, everything, since, until, dated_only, where),
    )
    if sentences:
        columns = ["date", "title", "text", "mentions", "attribution", "url"]
        what = "sentences"
    else:
        columns = ["date", "title", "mentions", "attributions", "duplicate_of", "url"]
        what = "articles"
    name = listing.entities[0]
    command = f'graphkit mentions "{name}"' + (" --sentences" if sentences else "")
    _show(listing, columns, fmt, what, command)


@click.command(name="evidence")
@click.argument("a")
@click.argument("b")
@selection_options
@format_option
@click.pass_obj
def evidence_command(obj, a, b, limit, offset, everything, since, until, dated_only, where, fmt):
    """Every sentence in which A and B are mentioned together, newest first.

    Each sentence shows what it adds to the tie's weight: 1/(n-1) for a
    sentence naming n entities (a team sheet of 40 names adds 1/39).

    \b
    Example:
        graphkit evidence "Tony Blair" "Gordon Brown" --all --format csv > ties.csv
    """
    listing = graphkit.evidence(
        obj["db"], a, b, **_selection(limit, offset, everything, since, until, dated_only, where)
    )
    first, second = listing.entities
    _show(
        listing,
        ["date", "title", "sentence", "weight", "url"],
        fmt,
        "sentences",
        f'graphkit evidence "{first}" "{second}"',
    )


@click.group(name="exclude")
def exclude():
    """Entities left out of every reading of this store (e.g. the corpus's own publisher).

    Excluded entities and their ties disappear from centrality, neighbours,
    paths, communities, pages, reports and exports; they stay in the store.
    Every change is a decision that 'graphkit exclude undo' takes back.

    \b
    Example:
        graphkit exclude add "BBC News"
        graphkit exclude list
        graphkit exclude undo && graphkit exclude list
    """


@exclude.command(name="add")
@click.argument("names", nargs=-1, required=True)
@click.pass_obj
def exclude_add(obj, names):
    """Exclude NAMES (entity names or aliases) from every reading of this store.

    Excluded entities keep their mentions in the store but are left out of
    the graph, pages, exports and reports until removed or undone.

    Example:

    \b
        graphkit exclude add "BBC News" BBC
    """
    with open_store(obj["db"]) as store:
        for name in names:
            decision = exclusions.add_exclusion(store, name)
            click.echo(f"decision {decision}: exclude {name!r}")


@exclude.command(name="remove")
@click.argument("names", nargs=-1, required=True)
@click.pass_obj
def exclude_remove(obj, names):
    """Take NAMES off the exclusion list, so they are read again everywhere.

    Example:

    \b
        graphkit exclude remove BBC
    """
    with open_store(obj["db"]) as store:
        for name in names:
            decision = exclusions.remove_exclusion(store, name)
            click.echo(f"decision {decision}: include {name!r} again")


@exclude.command(name="list")
@click.option("--history", is_flag=True, help="Every decision, including undone ones.")
@format_option
@click.pass_obj
def exclude_list(obj, history, fmt):
    """The excluded entities and why, or with --history every exclusion decision ever made.

    A corpus's own publishers (organisations named as the source of a large
    share of its articles: "told BBC News") are excluded until you remove them.

    Example:

    \b
        graphkit exclude list --history --format json
    """
    with open_store(obj["db"]) as store:
        if history:
            rows = exclusions.exclusion_log(store)
            columns = ["id", "action", "name", "created_at", "active"]
        else:
            rows = exclusions.exclusion_list(store)
            columns = ["name", "why"]
    click.echo(format_rows(rows, columns, fmt))


@exclude.command(name="undo")
@click.pass_obj
def exclude_undo(obj):
    """Take back the latest exclusion decision (an add or a remove), as if never made.

    Example:

    \b
        graphkit exclude undo && graphkit exclude list
    """
    with open_store(obj["db"]) as store:
        undone = exclusions.undo_exclusion(store)
    click.echo(f"undid decision {undone['id']}: {undone['action']} {undone['name']!r}")
