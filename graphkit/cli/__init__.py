"""The ``graphkit`` command: parse options, call one library function, format the result.

No logic lives here. Library errors (:class:`~graphkit.errors.GraphkitError`)
become a one-line ``Error: ...`` and exit status 1 in :class:`GraphkitGroup`;
usage errors exit 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import click

import graphkit
from graphkit.cli.options import GraphkitGroup

# Each command, as "module:attribute" in graphkit.cli. A module is imported when
# one of its commands runs (or --help lists them), so ``graphkit info`` loads
# none of the graph, page or curation code, nor networkx, igraph and numpy.
COMMANDS = {
    "build": "building:build",
    "watch": "watching:watch",
    "info": "building:info",
    "centrality": "exploring:centrality_command",
    "neighbours": "exploring:neighbours_command",
    "neighbors": "exploring:neighbours_command",
    "communities": "exploring:communities",
    "path": "exploring:path",
    "mentions": "drilldown:mentions_command",
    "evidence": "drilldown:evidence_command",
    "exclude": "drilldown:exclude",
    "page": "publishing:page_command",
    "report": "publishing:report",
    "export": "publishing:export_command",
    "entities": "curating:entities",
    "merge": "curating:merge",
    "unmerge": "curating:unmerge",
    "rename": "curating:rename",
    "drop": "curating:drop",
    "retype": "curating:retype",
    "decisions": "curating:decisions",
    "undo": "curating:undo",
    "aliases": "curating:aliases",
}


@click.group(
    cls=GraphkitGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(graphkit.__version__, prog_name="graphkit")
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    envvar="GRAPHKIT_DB",
    default="graphkit.db",
    show_default=True,
    help="The store file (or set GRAPHKIT_DB).",
)
@click.option("-q", "--quiet", is_flag=True, help="Show no progress on stderr.")
@click.pass_context
def cli(ctx, db, quiet):
    """graphkit: who is connected to whom in a corpus of news articles.

    Build a store from articles, then explore it: a graph page, centrality
    reports, and the neighbours of an entity with the sentences that link them.

    Example:

    \b
        graphkit build articles/ && graphkit centrality --top 10
    """
    ctx.obj = {"db": db, "quiet": quiet}


def main() -> None:
    """Entry point of the ``graphkit`` console script."""
    cli(prog_name="graphkit")


__all__ = ["cli", "main"]
