"""Exploring the graph: ``centrality``, ``neighbours``, ``communities``, ``path``."""

from __future__ import annotations

import json

import click

from graphkit import graph
from graphkit.cli.naming import chosen_node
from graphkit.cli.options import (
    PositiveFloat,
    choice_option,
    count_option,
    evidence_text,
    filter_options,
    filters_named,
    format_option,
    fresh,
    graph_for,
    period_options,
    top_options,
)
from graphkit.outputs.tables import format_rows


@click.command(name="centrality")
@choice_option(
    "--measure",
    "measures",
    choices=[*graph.MEASURES, "all"],
    multiple=True,
    help="A measure to compute (repeatable, or 'all') "
    "[default: weighted_degree (the ranking), degree, pagerank, betweenness].",
)
@choice_option(
    "--sort-by", choices=graph.MEASURES, help="Rank by this measure [default: the first]."
)
@count_option("--top", default=20, help="Rows to show.")
@count_option(
    "--exact-limit",
    default=graph.EXACT_LIMIT,
    help="Above this many entities, betweenness and closeness are sampled.",
)
@count_option(
    "--k", "k", default=graph.SAMPLE_SIZE, help="Pivots for sampled betweenness and closeness."
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

    \b
        graphkit centrality --top 10 --type PERSON
        graphkit centrality --measure all --format csv > centrality.csv
    """
    types = filters.pop("types")
    report = graph.centrality(
        graph_for(obj, period, filters, types=types),
        measures=measures or graph.DEFAULT_MEASURES,
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


@click.command(name="neighbours")
@click.argument("entity")
@count_option("--depth", maximum=2, default=1, help="2 also lists entities two ties away.")
@count_option("--limit", help="At most this many neighbours per depth.")
@count_option("--evidence", minimum=0, default=1, help="Evidence sentences per neighbour.")
@format_option
@period_options
@filter_options
@top_options
@click.pass_obj
def neighbours_command(obj, entity, depth, limit, evidence, fmt, period, filters):
    """Who is next to ENTITY, strongest tie first, with the sentences that link them.

    ENTITY is a name or any alias ("Xi", "President Xi", "PBOC"). Each
    neighbour shows the tie's weight (each sentence naming n entities adds
    1/(n-1)), the sentences and articles behind it, and evidence sentences
    with their article title and date ('graphkit evidence A B' lists all).

    Example:

    \b
        graphkit neighbours "Xi Jinping" --limit 5 --evidence 2
    """
    answer = None
    unfiltered = filters["min_weight"] == filters["min_articles"] == 1
    if unfiltered and not any(period.values()) and not filters["types"] and not filters["top"]:
        # The whole graph, unfiltered: read the entity's neighbourhood by index.
        fresh(obj["db"])
        answer = graph.neighbours_from_store(
            obj["db"],
            entity,
            depth=depth,
            min_weight=filters["min_weight"],
            limit=limit,
            evidence=max(evidence, 1),
        )
    if answer:
        match, rows = answer
        if match.note:
            click.echo(f"Note: {match.note}", err=True)
    else:
        G = graph_for(
            obj,
            period,
            {**filters, "types": None},
            types=filters["types"],
            evidence=max(evidence, graph.EVIDENCE_PER_EDGE),
        )
        with filters_named(obj, period, filters):
            rows = graph.neighbours(
                G,
                chosen_node(G, entity),
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
            "sentences": n.sentences,
            "articles": n.articles,
            "depth": n.depth,
            "via": n.via_name,
            "evidence": n.evidence[:evidence]
            if fmt == "json"
            else [evidence_text(e) for e in n.evidence[:evidence]],
        }
        for rank, n in enumerate(rows, 1)
    ]
    columns = ["rank", "name", "type", "weight", "sentences", "articles"]
    columns += ["depth", "via"] if depth == 2 else []
    columns += ["evidence"] if evidence else []
    click.echo(format_rows(records, columns, fmt, width=200))


@click.command()
@click.option(
    "--resolution",
    type=PositiveFloat(),
    default=1.0,
    show_default=True,
    help="Above 1: smaller communities; below 1: larger.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Louvain's random seed.")
@count_option("--members", default=5, help="Top members shown per community.")
@count_option("--limit", help="Show at most this many communities.")
@count_option(
    "--min-size",
    default=2,
    help="Hide communities smaller than this (1 shows single entities too).",
)
@format_option
@period_options
@filter_options
@top_options
@click.pass_obj
def communities(obj, resolution, seed, members, limit, min_size, fmt, period, filters):
    """Groups of entities mentioned together more than with the rest (weighted Louvain).

    Largest first, with their sizes; groups smaller than --min-size (by
    default, single entities with no tie) are counted under the table.

    Example:

    \b
        graphkit communities --resolution 1.5
        graphkit communities --limit 10 --min-size 5
    """
    found = graph.communities(
        graph_for(obj, period, filters), resolution=resolution, seed=seed, top=members
    )
    shown = graph.largest_communities(found, min_size=min_size, limit=limit)
    rows = [
        {
            "community": c.id,
            "size": c.size,
            "types": [f"{t} {n}" for t, n in c.types.items()],
            "members": [m["name"] for m in c.top],
        }
        for c in shown
    ]
    click.echo(format_rows(rows, ["community", "size", "types", "members"], fmt, width=120))
    if len(shown) < len(found):
        click.echo(graph.communities_note(found, shown, min_size=min_size), err=fmt != "table")


@click.command()
@click.argument("source")
@click.argument("target")
@count_option("--k", "k", default=1, help="Alternative paths to show.")
@count_option("--evidence", default=1, help="Evidence sentences per hop.")
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

    \b
        graphkit path "Xi Jinping" "Red Date Technology" --k 3
    """
    G = graph_for(obj, period, filters, evidence=max(evidence, graph.EVIDENCE_PER_EDGE))
    with filters_named(obj, period, filters):
        found = graph.strongest_paths(
            G, chosen_node(G, source), chosen_node(G, target), k=k, evidence=evidence
        )
    rows = [
        {
            "path": number,
            "hop": hop_number,
            "from": hop.source_name,
            "to": hop.target_name,
            "weight": hop.weight,
            "articles": hop.articles,
            "evidence": hop.evidence if fmt == "json" else [evidence_text(e) for e in hop.evidence],
        }
        for number, found_path in enumerate(found, 1)
        for hop_number, hop in enumerate(found_path.hops, 1)
    ]
    click.echo(
        format_rows(
            rows, ["path", "hop", "from", "to", "weight", "articles", "evidence"], fmt, width=200
        )
    )
