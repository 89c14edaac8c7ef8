"""Publishing: the ``page``, a ``report`` and ``export`` files for other tools."""

from __future__ import annotations

import shlex

import click

import graphkit
from graphkit import graph
from graphkit.cli.naming import chosen_node
from graphkit.cli.options import (
    choice_option,
    count_option,
    filter_options,
    graph_for,
    period_options,
    top_options,
)
from graphkit.cli.progress import phase, progress_for, quiet_option
from graphkit.outputs import export, page
from graphkit.outputs import report as report_module
from graphkit.writing import is_stdout


@click.command(name="page")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default="graph.html",
    show_default=True,
    help="The HTML file to write (- for standard output).",
)
@click.option(
    "--title", help="Heading of the page [default: the --focus entity's name, else graphkit]."
)
@choice_option(
    "--size-by", choices=page.SIZE_MEASURES, default="pagerank", help="What node size shows."
)
@choice_option(
    "--color-by",
    "--colour-by",
    choices=page.COLOUR_BY,
    default="type",
    help="What node colour shows.",
)
@count_option(
    "--top", default=page.DEFAULT_TOP, help="Show at most this many entities (the most central)."
)
@choice_option(
    "--top-by", choices=page.SIZE_MEASURES, default="pagerank", help="Which entities --top keeps."
)
@click.option("--focus", metavar="ENTITY", help="Only the entities around ENTITY (an ego page).")
@count_option("--depth", maximum=3, default=1, help="Steps from --focus.")
@period_options
@filter_options
@click.pass_obj
@quiet_option
def page_command(obj, output, title, size_by, color_by, top, top_by, focus, depth, period, filters):
    """Write the interactive graph page: one HTML file that works offline.

    Nodes are sized by a centrality measure and coloured by type or
    community; the page has a legend, a search box over names and aliases, a
    type filter, and a panel with each entity's aliases, counts and
    ties (all of them, strongest first) with their evidence sentences, up
    to a budget per page; beyond it, the panel gives the command that lists
    the rest. Search knows every entity in the store, drawn or not.

    Example:

    \b
        graphkit page -o graph.html --top 200
        graphkit page -o xi.html --focus "Xi Jinping" --depth 2
    """
    progress = progress_for(obj)
    with phase(progress, "graph", "node"):
        G = graph_for(obj, period, filters, evidence=page.PAGE_EVIDENCE)
        progress.advance(len(G))
    selection, drawing = page.command_options(period)
    with phase(progress, "page"):
        summary = page.write_page(
            G,
            output,
            title=title,
            size_by=size_by,
            color_by=color_by,
            top=top,
            top_by=top_by,
            focus=chosen_node(G, focus) if focus is not None else None,
            depth=depth,
            command=_command(obj),
            command_filters=selection,
            graph_filters=drawing,
        )
    click.echo(
        f"wrote {summary.path} ({summary.bytes / 1024:.0f} KiB): {summary.notice}",
        err=is_stdout(output),
    )


def _command(obj) -> str:
    """How the page should write graphkit commands: with --db unless it is the default."""
    db = str(obj["db"])
    return "graphkit" if db == "graphkit.db" else f"graphkit --db {shlex.quote(db)}"


@click.command()
@choice_option("--format", "fmt", choices=export.FORMATS, default="graphml", help="File format.")
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    required=True,
    help="File (graphml, gexf, json; - for standard output) or folder (csv, neo4j).",
)
@click.option(
    "--measures/--no-measures",
    default=True,
    show_default=True,
    help="Add centrality measures and communities as attributes.",
)
@period_options
@filter_options
@top_options
@click.pass_obj
@quiet_option
def export_command(obj, fmt, output, measures, period, filters):
    """Export the graph for Gephi, Neo4j or your own scripts.

    Aliases, types, counts, communities and measures travel as attributes;
    GraphML and GEXF open in Gephi, neo4j writes neo4j-admin import CSVs.

    Example:

    \b
        graphkit export --format gexf -o graph.gexf
        graphkit export --format neo4j -o neo4j/
    """
    progress = progress_for(obj)
    with phase(progress, "graph", "node"):
        G = graph_for(obj, period, filters, evidence=page.PAGE_EVIDENCE)
        progress.advance(len(G))
    if measures:
        with phase(progress, "measures"):
            G = graph.annotate(G, measures="all")
    with phase(progress, "export"):
        written = list(export.export_graph(G, output, format=fmt))
    for path in written:
        click.echo(f"wrote {path}", err=is_stdout(output))


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    required=True,
    help="The report file (- for standard output).",
)
@choice_option(
    "--format",
    "fmt",
    choices=["md", "html"],
    default="md",
    help="Markdown or a standalone HTML page.",
)
@count_option("--top", default=10, help="Entities listed per measure.")
@click.option(
    "--compare-since", metavar="DATE", help="Compare with an earlier period starting at DATE."
)
@click.option("--compare-until", metavar="DATE", help="... and ending at DATE.")
@period_options
@filter_options
@click.pass_obj
@quiet_option
def report(obj, output, fmt, top, compare_since, compare_until, period, filters):
    """A written summary to share: corpus, top entities, communities, strongest ties.

    With --compare-since/--compare-until, it also lists the entities rising
    and falling between that period and the one given by --since/--until.

    Example:

    \b
        graphkit report -o report.md
        graphkit report -o report.html --format html --since 2023 --compare-until 2022
    """
    progress = progress_for(obj)
    with phase(progress, "graph", "node"):
        G = graph_for(obj, period, filters)
        progress.advance(len(G))
        compare = None
        if compare_since or compare_until:
            before = {**period, "since": compare_since, "until": compare_until}
            compare = (graph_for(obj, before, filters), G)
    with phase(progress, "report"):
        written = report_module.write_report(
            G,
            graphkit.corpus_summary(obj["db"], **period),
            output,
            format=fmt,
            compare=compare,
            top=top,
        )
    click.echo(f"wrote {written}", err=is_stdout(output))
