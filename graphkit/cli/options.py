"""What every command shares: the error-handling group, options, and loading the graph."""

from __future__ import annotations

import contextlib
import functools
import importlib
import math
import sqlite3
import sys

import click

import graphkit
from graphkit import graph, pipeline
from graphkit.errors import GraphkitError, UnknownEntityError
from graphkit.ingest.settings import SPACY_LABELS
from graphkit.outputs.tables import FORMATS, terminal_safe
from graphkit.store import store_error


class PositiveFloat(click.ParamType):
    """A finite number above zero (rejects -1, 0, nan and inf)."""

    name = "number"

    def convert(self, value, param, ctx):
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number) or number <= 0:
            self.fail(f"{value!r} must be a finite number above 0", param, ctx)
        return number


def count_option(*decls, minimum=1, maximum=None, **attrs):
    """A whole-number option from ``minimum`` (to ``maximum``), its default shown in --help."""
    return click.option(
        *decls, type=click.IntRange(minimum, maximum), show_default="default" in attrs, **attrs
    )


def choice_option(*decls, choices, **attrs):
    """An option taking one of ``choices``, its default shown in --help."""
    return click.option(
        *decls, type=click.Choice(choices), show_default="default" in attrs, **attrs
    )


def fresh(db) -> None:
    """Before a read command: re-link a store left half-built, or warn that it is stale.

    Once per command: a command that tries the store's index first and then
    the whole graph checks (and warns) once.
    """
    context = click.get_current_context(silent=True)
    checked = context.meta.setdefault("graphkit.fresh", set()) if context else set()
    if db in checked:
        return
    checked.add(db)
    note = pipeline.ensure_linked(db)
    if note:
        click.echo(f"Warning: {note}", err=True)


class _TerminalSafe:
    """A text stream that escapes control characters on the way out (item 24).

    Every command's output passes through it, so no article text, entity
    name or file name can send escape sequences to a terminal.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        return self._stream.write(terminal_safe(text) if isinstance(text, str) else text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


class GraphkitGroup(click.Group):
    """A click group that turns graphkit errors into clean one-line messages.

    Its commands load on first use (click's "lazily loading subcommands"):
    ``lazy_commands`` maps each name to ``"module:attribute"`` in
    :mod:`graphkit.cli`, so a command imports only what its own module needs.
    """

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx, cmd_name):
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module, attribute = self.lazy_commands[cmd_name].split(":")
            command = getattr(importlib.import_module(f"graphkit.cli.{module}"), attribute)
            self.add_command(command, name=cmd_name)
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand as err:  # suggest from every command, loaded or not
            raise click.NoSuchCommand(
                err.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None

    def invoke(self, ctx):
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _TerminalSafe(stdout), _TerminalSafe(stderr)
        try:
            return super().invoke(ctx)
        except click.NoSuchOption as err:
            if err.option_name == "--db":
                raise click.UsageError(
                    "--db goes before the command, e.g. 'graphkit --db FILE build SOURCES'", ctx
                ) from err
            raise
        except GraphkitError as err:
            raise click.ClickException(terminal_safe(str(err))) from err
        except sqlite3.Error as err:  # the library's own paths map these; this is the net
            raise click.ClickException(str(store_error(err, (ctx.obj or {}).get("db")))) from err
        except KeyboardInterrupt:
            click.echo(
                "Interrupted; what was stored so far is kept. Run the command again to resume.",
                err=True,
            )
            sys.exit(130)
        finally:
            sys.stdout, sys.stderr = stdout, stderr


def parse_types(value: str | None) -> tuple[str, ...] | None:
    """ "PERSON, org" → ("PERSON", "ORG"); nothing → None."""
    if not value:
        return None
    return tuple(t.strip().upper() for t in value.split(",") if t.strip())


def format_option(f):
    return choice_option(
        "--format",
        "fmt",
        choices=FORMATS,
        default="table",
        help="Output as an aligned table, JSON or CSV.",
    )(f)


def period_options(f):
    """--since/--until/--dated-only/--where/--exclude/--lists: which articles, entities, ties."""

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
    @click.option(
        "--lists",
        is_flag=True,
        help="Also keep ties seen only in list sentences (naming more than "
        f"{graph.LIST_SIZE} entities; left out by default; sentence window only).",
    )
    @functools.wraps(f)
    def wrapper(*args, since, until, dated_only, where, exclude, lists, **kwargs):
        period = {"since": since, "until": until, "dated_only": dated_only}
        if where:
            period["where"] = list(where)
        if exclude:
            period["exclude"] = list(exclude)
        if lists:
            period["lists"] = True
        return f(*args, period=period, **kwargs)

    return wrapper


def filter_options(f):
    """--type/--min-weight/--min-articles: which entities and ties to keep."""

    @click.option(
        "--type", "types", metavar="TYPES", help="Keep entities of these types, e.g. PERSON,ORG."
    )
    @count_option("--min-weight", default=1, help="Keep ties seen at least this often.")
    @count_option("--min-articles", default=1, help="Keep entities in at least this many articles.")
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

    @count_option("--top", "top", help="Keep the N most central entities.")
    @choice_option(
        "--top-by", choices=graph.MEASURES, default="pagerank", help="The measure --top ranks by."
    )
    @functools.wraps(f)
    def wrapper(*args, top, top_by, **kwargs):
        kwargs["filters"] = {**kwargs.get("filters", {}), "top": top, "top_by": top_by}
        return f(*args, **kwargs)

    return wrapper


def graph_for(obj, period, filters=None, *, types=None, **load):
    """The store's graph for the period asked, filtered as asked (``load``: e.g. evidence=).

    ``types`` are entity types the command filters by itself: checked like
    ``filters["types"]`` so a mistyped one is an error, not an empty answer.
    """
    fresh(obj["db"])
    G = graphkit.load_graph(obj["db"], **period, **load)
    filters = filters or {}
    present = {d.get("type") for _, d in G.nodes(data=True)}
    check_types([*(filters.get("types") or ()), *(types or ())], present)
    if (
        filters.get("types")
        or filters.get("top")
        or any(filters.get(k, 1) > 1 for k in ("min_weight", "min_articles"))
    ):
        G = graph.filter_graph(G, **filters)
    return G


@contextlib.contextmanager
def filters_named(obj, period, filters):
    """Say so when a filter (not a typo) hides the entity a command asked for (item 22)."""
    try:
        yield
    except UnknownEntityError as err:
        active = {k: v for k, v in (filters or {}).items() if v not in (None, 1, "pagerank")}
        if not active:
            raise
        try:
            graph.find_node(graphkit.load_graph(obj["db"], **period), err.name)
        except GraphkitError:
            raise err from None
        shown = ", ".join(
            f"--{'type' if k == 'types' else k.replace('_', '-')} "
            + (",".join(v) if isinstance(v, list | tuple) else str(v))
            for k, v in active.items()
        )
        raise GraphkitError(
            f"{err.name!r} is in the store but the filters ({shown}) leave it out; "
            "loosen them to see it"
        ) from err


def check_types(types, present) -> None:
    """An unknown ``--type`` is an error listing the known ones, not an empty result."""
    known = set(SPACY_LABELS) | {t for t in present if t}
    unknown = [t for t in types or () if t not in known]
    if unknown:
        raise GraphkitError(
            f"unknown entity type {unknown[0]!r}; known types: "
            + ", ".join(sorted(t for t in present if t) or SPACY_LABELS)
        )


def evidence_text(record: dict) -> str:
    date = f", {record['date']}" if record.get("date") else ""
    return f"{record['sentence']} [{record['title']}{date}]"
