"""What every command shares: the error-handling group, options, and loading the graph."""

from __future__ import annotations

import functools
import sys

import click

import graphkit
from graphkit import graph
from graphkit.errors import GraphkitError
from graphkit.outputs.tables import FORMATS


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


def parse_types(value: str | None) -> tuple[str, ...] | None:
    """ "PERSON, org" → ("PERSON", "ORG"); nothing → None."""
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
    """--since/--until/--dated-only/--where/--exclude: which articles and entities are read."""

    @click.option(
        "--since",
        metavar="DATE",
        help="Only articles dated on or after DATE (YYYY[-MM[-DD]]; 2021-2 = from 1 Feb 2021).",
    )
    @click.option(
        "--until",
        metavar="DATE",
        help="Only articles dated on or before DATE (2021-2 = through 28 Feb 2021).",
    )
    @click.option(
        "--dated-only", is_flag=True, help="Leave out undated articles (kept by default)."
    )
    @click.option(
        "--where",
        "where",
        metavar="FIELD=VALUE",
        multiple=True,
        help="Only articles whose FIELD is VALUE (repeatable; 'graphkit info' lists fields).",
    )
    @click.option(
        "--exclude",
        "exclude",
        metavar="ENTITY",
        multiple=True,
        help="Leave this entity and its ties out (repeatable; see 'graphkit exclude').",
    )
    @functools.wraps(f)
    def wrapper(*args, since, until, dated_only, where, exclude, **kwargs):
        period = {"since": since, "until": until, "dated_only": dated_only}
        if where:
            period["where"] = list(where)
        if exclude:
            period["exclude"] = list(exclude)
        return f(*args, period=period, **kwargs)

    return wrapper


def filter_options(f):
    """--type/--min-weight/--min-articles: which entities and ties to keep."""

    @click.option(
        "--type", "types", metavar="TYPES", help="Keep entities of these types, e.g. PERSON,ORG."
    )
    @click.option(
        "--min-weight",
        type=click.IntRange(1),
        default=1,
        show_default=True,
        help="Keep ties seen at least this often.",
    )
    @click.option(
        "--min-articles",
        type=click.IntRange(1),
        default=1,
        show_default=True,
        help="Keep entities in at least this many articles.",
    )
    @functools.wraps(f)
    def wrapper(*args, types, min_weight, min_articles, **kwargs):
        filters = {
            "types": parse_types(types),
            "min_weight": min_weight,
            "min_articles": min_articles,
        }
        return f(*args, filters=filters, **kwargs)

    return wrapper


def top_options(f):
    """--top/--top-by: keep only the most central entities (for commands without a --top)."""

    @click.option("--top", "top", type=click.IntRange(1), help="Keep the N most central entities.")
    @click.option(
        "--top-by",
        type=click.Choice(graph.MEASURES),
        default="pagerank",
        show_default=True,
        help="The measure --top ranks by.",
    )
    @functools.wraps(f)
    def wrapper(*args, top, top_by, **kwargs):
        kwargs["filters"] = {**kwargs.get("filters", {}), "top": top, "top_by": top_by}
        return f(*args, **kwargs)

    return wrapper


def graph_for(obj, period, filters=None, **load):
    """The store's graph for the period asked, filtered as asked (``load``: e.g. evidence=)."""
    G = graphkit.load_graph(obj["db"], **period, **load)
    filters = filters or {}
    if (
        filters.get("types")
        or filters.get("top")
        or any(filters.get(k, 1) > 1 for k in ("min_weight", "min_articles"))
    ):
        G = graph.filter_graph(G, **filters)
    return G


def evidence_text(record: dict) -> str:
    date = f", {record['date']}" if record.get("date") else ""
    return f"{record['sentence']} [{record['title']}{date}]"
