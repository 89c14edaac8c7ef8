"""The ``graphkit`` command: parse options, call one library function, format the result.

No logic lives here. Library errors (:class:`~graphkit.errors.GraphkitError`)
become a one-line ``Error: ...`` and exit status 1 in :class:`GraphkitGroup`;
usage errors exit 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import sys

import click

import graphkit
from graphkit import analyse, curation, export, pipeline, render
from graphkit import report as report_module
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
        click.echo(json.dumps(details, indent=2, ensure_ascii=False))
    else:
        click.echo(format_rows(rows, ["item", "value"], fmt, width=100))


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
        filters = {"types": _types(types), "min_weight": min_weight, "min_articles": min_articles}
        return f(*args, filters=filters, **kwargs)

    return wrapper


def top_options(f):
    """--top/--top-by: keep only the most central entities (for commands without a --top)."""

    @click.option("--top", "top", type=click.IntRange(1), help="Keep the N most central entities.")
    @click.option(
        "--top-by",
        type=click.Choice(analyse.MEASURES),
        default="pagerank",
        show_default=True,
        help="The measure --top ranks by.",
    )
    @functools.wraps(f)
    def wrapper(*args, top, top_by, **kwargs):
        kwargs["filters"] = {**kwargs.get("filters", {}), "top": top, "top_by": top_by}
        return f(*args, **kwargs)

    return wrapper


def _graph(obj, period, filters=None):
    """The store's graph for the period asked, filtered as asked."""
    G = graphkit.load_graph(obj["db"], **period)
    filters = filters or {}
    if (
        filters.get("types")
        or filters.get("top")
        or any(filters.get(k, 1) > 1 for k in ("min_weight", "min_articles"))
    ):
        G = analyse.filter_graph(G, **filters)
    return G


def _evidence_text(record: dict) -> str:
    date = f", {record['date']}" if record.get("date") else ""
    return f"{record['sentence']} [{record['title']}{date}]"


@cli.command()
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
    type=click.Choice(render.SIZE_MEASURES),
    default="pagerank",
    show_default=True,
    help="What node size shows.",
)
@click.option(
    "--color-by",
    "--colour-by",
    type=click.Choice(render.COLOUR_BY),
    default="type",
    show_default=True,
    help="What node colour shows.",
)
@click.option(
    "--top",
    type=click.IntRange(1),
    default=render.DEFAULT_TOP,
    show_default=True,
    help="Show at most this many entities (the most central).",
)
@click.option(
    "--top-by",
    type=click.Choice(render.SIZE_MEASURES),
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
def page(obj, output, title, size_by, color_by, top, top_by, focus, depth, period, filters):
    """Write the interactive graph page: one HTML file that works offline.

    Nodes are sized by a centrality measure and coloured by type or
    community; the page has a legend, a search box over names and aliases, a
    type filter, and a panel with each entity's aliases, counts and
    strongest ties with their evidence sentences.

    Example:

        graphkit page -o graph.html --top 200
        graphkit page -o xi.html --focus "Xi Jinping" --depth 2
    """
    summary = render.write_page(
        _graph(obj, period, filters),
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


@cli.command(name="centrality")
@click.option(
    "--measure",
    "measures",
    multiple=True,
    type=click.Choice([*analyse.MEASURES, "all"]),
    help="A measure to compute (repeatable, or 'all') "
    "[default: degree, weighted_degree, pagerank, betweenness].",
)
@click.option(
    "--sort-by",
    type=click.Choice(analyse.MEASURES),
    help="Rank by this measure [default: the first].",
)
@click.option("--top", type=click.IntRange(1), default=20, show_default=True, help="Rows to show.")
@click.option(
    "--exact-limit",
    type=click.IntRange(1),
    default=analyse.EXACT_LIMIT,
    show_default=True,
    help="Above this many entities, betweenness and closeness are sampled.",
)
@click.option(
    "--k",
    "k",
    type=click.IntRange(1),
    default=analyse.SAMPLE_SIZE,
    show_default=True,
    help="Pivots for sampled betweenness and closeness.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the sampling.")
@format_option
@period_options
@filter_options
@click.pass_obj
def centrality_command(obj, measures, sort_by, top, exact_limit, k, seed, fmt, period, filters):
    """Who matters: a table of centrality measures per entity.

    Betweenness and closeness turn co-occurrence weight into distance as
    1/weight (a tie seen four times is a quarter as long); above
    --exact-limit entities they are estimated from --k seeded pivots. How each
    measure was computed is printed under the table (in JSON: "method").

    Example:

        graphkit centrality --top 10 --type PERSON
        graphkit centrality --measure all --format csv > centrality.csv
    """
    types = filters.pop("types")
    report = analyse.centrality(
        _graph(obj, period, filters),
        measures=measures or analyse.DEFAULT_MEASURES,
        types=types,
        top=top,
        sort_by=sort_by,
        exact_limit=exact_limit,
        k=k,
        seed=seed,
    )
    if fmt == "json":
        click.echo(
            json.dumps({"rows": report.rows, "method": report.method}, indent=2, ensure_ascii=False)
        )
        return
    click.echo(format_rows(report.rows, report.columns, fmt))
    click.echo(report.note(), err=fmt == "csv")


@cli.command(name="neighbours")
@click.argument("entity")
@click.option(
    "--depth",
    type=click.IntRange(1, 2),
    default=1,
    show_default=True,
    help="2 also lists entities two ties away.",
)
@click.option("--limit", type=click.IntRange(1), help="At most this many neighbours per depth.")
@click.option(
    "--evidence",
    type=click.IntRange(0),
    default=1,
    show_default=True,
    help="Evidence sentences per neighbour.",
)
@format_option
@period_options
@filter_options
@top_options
@click.pass_obj
def neighbours_command(obj, entity, depth, limit, evidence, fmt, period, filters):
    """Who is next to ENTITY, strongest tie first, with the sentences that link them.

    ENTITY is a name or any alias ("Xi", "President Xi", "PBOC"). Each
    neighbour shows the tie's weight (co-occurrences), the number of
    articles, and evidence sentences with their article title and date.

    Example:

        graphkit neighbours "Xi Jinping" --limit 5 --evidence 2
    """
    G = _graph(obj, period, {**filters, "types": None})
    rows = analyse.neighbours(
        G,
        entity,
        depth=depth,
        min_weight=filters["min_weight"],
        types=filters["types"],
        limit=limit,
        evidence=max(evidence, 1),
    )
    records = [
        {
            "rank": rank,
            "name": n.name,
            "type": n.type,
            "weight": n.weight,
            "articles": n.articles,
            "depth": n.depth,
            "via": n.via_name,
            "evidence": n.evidence[:evidence]
            if fmt == "json"
            else [_evidence_text(e) for e in n.evidence[:evidence]],
        }
        for rank, n in enumerate(rows, 1)
    ]
    columns = ["rank", "name", "type", "weight", "articles"]
    columns += ["depth", "via"] if depth == 2 else []
    columns += ["evidence"] if evidence else []
    click.echo(format_rows(records, columns, fmt, width=200))


cli.add_command(neighbours_command, name="neighbors")


@cli.command()
@click.option(
    "--resolution",
    type=float,
    default=1.0,
    show_default=True,
    help="Above 1: smaller communities; below 1: larger.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Louvain's random seed.")
@click.option(
    "--members",
    type=click.IntRange(1),
    default=5,
    show_default=True,
    help="Top members shown per community.",
)
@format_option
@period_options
@filter_options
@top_options
@click.pass_obj
def communities(obj, resolution, seed, members, fmt, period, filters):
    """Groups of entities mentioned together more than with the rest (weighted Louvain).

    Example:

        graphkit communities --resolution 1.5
    """
    found = analyse.communities(
        _graph(obj, period, filters), resolution=resolution, seed=seed, top=members
    )
    rows = [
        {
            "community": c.id,
            "size": c.size,
            "types": [f"{t} {n}" for t, n in c.types.items()],
            "members": [m["name"] for m in c.top],
        }
        for c in found
    ]
    click.echo(format_rows(rows, ["community", "size", "types", "members"], fmt, width=120))


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option(
    "--k",
    "k",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Alternative paths to show.",
)
@click.option(
    "--evidence",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Evidence sentences per hop.",
)
@format_option
@period_options
@filter_options
@top_options
@click.pass_obj
def path(obj, source, target, k, evidence, fmt, period, filters):
    """The strongest connection from SOURCE to TARGET, hop by hop with evidence.

    A hop costs 1/weight, so a chain of often-repeated ties beats a single
    tie seen once.

    Example:

        graphkit path "Xi Jinping" "Red Date Technology" --k 3
    """
    found = analyse.strongest_paths(
        _graph(obj, period, filters), source, target, k=k, evidence=evidence
    )
    rows = [
        {
            "path": number,
            "hop": hop_number,
            "from": hop.source_name,
            "to": hop.target_name,
            "weight": hop.weight,
            "articles": hop.articles,
            "evidence": hop.evidence
            if fmt == "json"
            else [_evidence_text(e) for e in hop.evidence],
        }
        for number, found_path in enumerate(found, 1)
        for hop_number, hop in enumerate(found_path.hops, 1)
    ]
    click.echo(
        format_rows(
            rows, ["path", "hop", "from", "to", "weight", "articles", "evidence"], fmt, width=200
        )
    )


@cli.command()
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
def export_command(obj, fmt, output, measures, period, filters):
    """Export the graph for Gephi, Neo4j or your own scripts.

    Aliases, types, counts, communities and measures travel as attributes;
    GraphML and GEXF open in Gephi, neo4j writes neo4j-admin import CSVs.

    Example:

        graphkit export --format gexf -o graph.gexf
        graphkit export --format neo4j -o neo4j/
    """
    G = _graph(obj, period, filters)
    if measures:
        G = analyse.annotate(G, measures="all")
    for written in export.export_graph(G, output, format=fmt):
        click.echo(f"wrote {written}")


cli.add_command(export_command, name="export")


@cli.command()
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
def report(obj, output, fmt, top, compare_since, compare_until, period, filters):
    """A written summary to share: corpus, top entities, communities, strongest ties.

    With --compare-since/--compare-until, it also lists the entities rising
    and falling between that period and the one given by --since/--until.

    Example:

        graphkit report -o report.md
        graphkit report -o report.html --format html --since 2023 --compare-until 2022
    """
    G = _graph(obj, period, filters)
    compare = None
    if compare_since or compare_until:
        before = {**period, "since": compare_since, "until": compare_until}
        compare = (_graph(obj, before, filters), G)
    written = report_module.write_report(
        G,
        graphkit.corpus_summary(obj["db"], **period),
        output,
        format=fmt,
        compare=compare,
        top=top,
    )
    click.echo(f"wrote {written}")


@cli.command()
@click.option("--type", "types", metavar="TYPES", help="Only entities of these types, e.g. PERSON.")
@click.option(
    "--search", metavar="TEXT", help="Only entities whose name or an alias contains TEXT."
)
@click.option("--limit", type=click.IntRange(1), help="At most this many rows.")
@click.option(
    "--explain", metavar="NAME", help="Show which rule joined which name into entity NAME."
)
@format_option
@click.pass_obj
def entities(obj, types, search, limit, explain, fmt):
    """The entity list: type, counts and every name each entity goes by.

    Most mentioned first. "other types" are labels a minority of mentions
    carried; "ambiguous" lists the entities a short name (a lone surname or
    acronym) could also mean, which is why it was kept apart.

    Example:

        graphkit entities --type PERSON --search wang
        graphkit entities --explain "Xi Jinping"
    """
    if explain:
        found = curation.explain_entity(obj["db"], explain)
        if fmt == "json":
            click.echo(json.dumps(found, indent=2, ensure_ascii=False))
            return
        click.echo(
            f"{found['name']} ({found['type']}, {found['mentions']} mentions"
            f" in {found['articles']} articles)"
        )
        if found["ambiguous"]:
            click.echo("kept apart from: " + "; ".join(found["ambiguous"]))
        click.echo(
            format_rows(
                found["explanations"], ["surface", "rule", "target", "count"], fmt, width=80
            )
        )
        return
    rows = curation.list_entities(obj["db"], types=_types(types), search=search, limit=limit)
    columns = ["name", "type", "mentions", "articles", "aliases", "other_types", "ambiguous"]
    click.echo(format_rows(rows, columns if fmt != "json" else ["key", *columns], fmt, width=70))


def _decision_command(action: str, names_metavar: str, doc: str):
    @click.argument("names", nargs=-1, required=True, metavar=names_metavar)
    @click.pass_obj
    def command(obj, names):
        for warning in curation.record_decision(obj["db"], action, names):
            click.echo(f"Warning: {warning}", err=True)
        click.echo(
            f"recorded: {action} {', '.join(names)}"
            " (undo with 'graphkit undo ID'; see 'graphkit decisions')"
        )

    command.__doc__ = doc
    return cli.command(name=action)(command)


_decision_command(
    "merge",
    "A B...",
    """Merge entities B... into entity A (A keeps its key).

    Names may be display names, aliases or keys. Decisions are applied after
    the automatic rules on every rebuild.

    Example:

        graphkit merge "Xi Jinping" "Chairman Xi"
    """,
)
_decision_command(
    "unmerge",
    "NAME",
    """Take the name NAME out of the entity it was merged into.

    Example:

        graphkit unmerge Wang
    """,
)
_decision_command(
    "rename",
    "NAME NEW",
    """Show the entity NAME as NEW.

    Example:

        graphkit rename PBOC "People's Bank of China"
    """,
)
_decision_command(
    "drop",
    "NAME",
    """Leave the entity NAME out of the graph (its mentions are counted as dropped).

    Example:

        graphkit drop Reuters
    """,
)


@cli.command()
@click.option("--all", "include_undone", is_flag=True, help="Include undone decisions.")
@format_option
@click.pass_obj
def decisions(obj, include_undone, fmt):
    """Your merge / unmerge / rename / drop decisions, in the order they apply."""
    rows = [
        {"id": d.id, "action": d.action, "names": list(d.names), "active": d.active}
        for d in curation.list_decisions(obj["db"], include_undone=include_undone)
    ]
    click.echo(format_rows(rows, ["id", "action", "names", "active"], fmt, width=100))


@cli.command()
@click.argument("decision_id", type=int, metavar="ID")
@click.option("--redo", is_flag=True, help="Put an undone decision back in force.")
@click.pass_obj
def undo(obj, decision_id, redo):
    """Undo decision ID (see 'graphkit decisions'); --redo puts it back."""
    for warning in curation.undo_decision(obj["db"], decision_id, redo=redo):
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"{'redone' if redo else 'undone'}: decision {decision_id}")


@cli.group()
def aliases():
    """Move your decisions in and out as an aliases file (CSV).

    One decision per row: the action, then the names, e.g.
    "merge,Xi Jinping,President Xi" or "rename,PBOC,People's Bank of China".
    Lines starting with # are comments.
    """


@aliases.command(name="export")
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_obj
def aliases_export(obj, path):
    """Write the decisions in force to PATH."""
    count = curation.export_aliases(obj["db"], path)
    click.echo(f"wrote {count} decision(s) to {path}")


@aliases.command(name="import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_obj
def aliases_import(obj, path):
    """Add the decisions in PATH after the stored ones (the whole file is checked first)."""
    count, warnings = curation.import_aliases(obj["db"], path)
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)
    click.echo(f"imported {count} decision(s) from {path}")


def main() -> None:
    """Entry point of the ``graphkit`` console script."""
    cli(prog_name="graphkit")


__all__ = ["cli", "main", "open_store"]
