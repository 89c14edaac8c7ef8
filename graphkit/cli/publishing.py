"""Publishing: the ``page``, a ``report`` and ``export`` files for other tools."""

from __future__ import annotations

import click

import graphkit
from graphkit import graph
from graphkit.cli.options import filter_options, graph_for, period_options, top_options
from graphkit.cli.progress import phase, progress_for, quiet_option
from graphkit.outputs import export, page
from graphkit.outputs import report as report_module


@click.command(name="page")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default="graph.html",
    show_default=True,
    help="The HTML file to write.",
)
@click.option("--title", default="graphkit", show_default=True, help="Heading of the page.")
@click.option(
    "--size-by",
    type=click.Choice(page.SIZE_MEASURES),
    default="pagerank",
    show_default=True,
    help="What node size shows.",
)
@click.option(
    "--color-by",
    "--colour-by",
    type=click.Choice(page.COLOUR_BY),
    default="type",
    show_default=True,
    help="What node colour shows.",
)
@click.option(
    "--top",
    type=click.IntRange(1),
    default=page.DEFAULT_TOP,
    show_default=True,
    help="Show at most this many entities (the most central).",
)
@click.option(
    "--top-by",
    type=click.Choice(page.SIZE_MEASURES),
    default="pagerank",
    show_default=True,
    help="Which entities --top keeps.",
)
@click.option("--focus", metavar="ENTITY", help="Only the entities around ENTITY (an ego page).")
@click.option(
    "--depth", type=click.IntRange(1, 3), default=1, show_default=True, help="Steps from --focus."
)
@period_options
@filter_options
@click.pass_obj
@quiet_option
def page_command(obj, output, title, size_by, color_by, top, top_by, focus, depth, period, filters):
    """Write the interactive graph page: one HTML file that works offline.

    Nodes are sized by a centrality measure and coloured by type or
    community; the page has a legend, a search box over names and aliases, a
    type filter, and a panel with each entity's aliases, counts and
    strongest ties with their evidence sentences.

    Example:

        graphkit page -o graph.html --top 200
        graphkit page -o xi.html --focus "Xi Jinping" --depth 2
    """
    progress = progress_for(obj)
    with phase(progress, "graph", "node"):
        G = graph_for(obj, period, filters)
        progress.advance(len(G))
    with phase(progress, "page"):
        summary = page.write_page(
            G,
            output,
            title=title,
            size_by=size_by,
            color_by=color_by,
            top=top,
            measure_for_top=top_by,
            focus=focus,
            depth=depth,
        )
    click.echo(f"wrote {summary.path} ({summary.bytes / 1024:.0f} KiB): {summary.notice}")


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(export.FORMATS),
    default="graphml",
    show_default=True,
    help="File format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    required=True,
    help="File (graphml, gexf, json) or folder (csv, neo4j).",
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

        graphkit export --format gexf -o graph.gexf
        graphkit export --format neo4j -o neo4j/
    """
    progress = progress_for(obj)
    with phase(progress, "graph", "node"):
        G = graph_for(obj, period, filters)
        progress.advance(len(G))
    if measures:
        with phase(progress, "measures"):
            G = graph.annotate(G, measures="all")
    with phase(progress, "export"):
        written = list(export.export_graph(G, output, format=fmt))
    for path in written:
        click.echo(f"wrote {path}")


@click.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="The report file."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    default="md",
    show_default=True,
    help="Markdown or a standalone HTML page.",
)
@click.option(
    "--top",
    type=click.IntRange(1),
    default=10,
    show_default=True,
    help="Entities listed per measure.",
)
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
    click.echo(f"wrote {written}")
