"""A written summary of a corpus graph that a journalist can share, as Markdown or HTML.

The report is first assembled as plain blocks (headings, paragraphs, tables,
lists) and then rendered; every piece of text from the corpus (names, titles,
sentences, URLs) is escaped by the renderer, because article text is
untrusted: HTML with :func:`html.escape`, Markdown with backslash escapes,
and only ``http(s)`` URLs become links.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.graph import centrality, communities, compare_periods, modularity
from graphkit.graph.lookup import node_name as _name
from graphkit.graph.measures import check_measures, measure_label
from graphkit.graph.paths import times_seen
from graphkit.graph.settings import EXACT_LIMIT, MEASURES, SAMPLE_SIZE
from graphkit.outputs.markup import Link, Strong, to_html, to_markdown
from graphkit.writing import write_output

REPORT_FORMATS = ("md", "html")


def write_report(
    G: nx.Graph, corpus: dict, path, *, format: str = "md", compare=None, **options
) -> Path:
    """Write :func:`report_text` to ``path`` (see :mod:`graphkit.writing`) and return the path."""
    write_output(path, report_text(G, corpus, format=format, compare=compare, **options))
    return Path(path)


def report_text(
    G: nx.Graph,
    corpus: dict,
    *,
    format: str = "md",
    compare=None,
    measures="all",
    top: int = 10,
    ties: int = 10,
    resolution: float = 1.0,
    seed: int = 0,
    exact_limit: int = EXACT_LIMIT,
    k: int = SAMPLE_SIZE,
) -> str:
    """The report on ``G`` as Markdown (``format="md"``) or a standalone HTML page.

    Parameters
    ----------
    G : networkx.Graph
        The graph to report on (already filtered as the user asked).
    corpus : dict
        ``articles``, ``mentions``, ``entities`` (ints), ``first_date``,
        ``last_date`` (str or None) and ``settings`` (dict) of the store.
    compare : tuple of two graphs, optional
        ``(before, after)``: adds the entities rising and falling between the
        two periods (by articles mentioning them).
    measures : sequence of str or "all"
        Centrality measures listed, each with its ``top`` entities.
    ties : int
        Strongest ties listed, each with an evidence sentence and its article.
    resolution, seed, exact_limit, k
        Passed to :func:`~graphkit.graph.communities` and
        :func:`~graphkit.graph.centrality`.

    Returns
    -------
    str
    """
    if format not in REPORT_FORMATS:
        raise GraphkitError(f"unknown report format {format!r}; choose md or html")
    measures = check_measures(measures)
    report = centrality(G, measures=measures, exact_limit=exact_limit, k=k, seed=seed)
    found = communities(G, resolution=resolution, seed=seed)
    blocks = _summary_blocks(G, corpus)
    blocks += _centrality_blocks(report, top)
    blocks += _community_blocks(G, found, resolution, seed)
    blocks += _tie_blocks(G, ties)
    if compare is not None:
        blocks += _compare_blocks(*compare, top)
    blocks += _method_blocks(corpus, report, resolution, seed, G)
    return to_html(blocks) if format == "html" else to_markdown(blocks)


def _summary_blocks(G, corpus) -> list:
    first, last = corpus.get("first_date"), corpus.get("last_date")
    dates = f"dated {first} to {last}" if first else "undated"
    summary = (
        f"{corpus.get('articles', 0):,} articles ({dates}) with {corpus.get('mentions', 0):,}"
        f" mentions of {corpus.get('entities', 0):,} entities. The graph shows"
        f" {G.number_of_nodes():,} entities and {G.number_of_edges():,} ties (entities"
        f" mentioned together in the same {G.graph.get('window', 'sentence')})."
    )
    return [("h1", ["graphkit report"]), ("p", [summary])]


def _centrality_blocks(report, top) -> list:
    blocks = [("h2", ["Top entities"])]
    for measure in report.measures:
        ordered = sorted(report.rows, key=lambda r: (-(r[measure] or 0), r["name"].casefold()))
        rows = [
            [str(i), r["name"], r["type"] or "", f"{r['articles']:,}", _number(r[measure])]
            for i, r in enumerate(ordered[:top], 1)
        ]
        blocks.append(("h3", [f"By {measure_label(measure, explained=True)}"]))
        blocks.append(("table", ["rank", "name", "type", "articles", measure], rows))
    return blocks


def _community_blocks(G, found, resolution, seed) -> list:
    shown = [c for c in found if c.size > 1][:10]
    score = modularity(G, found, resolution=resolution)
    text = (
        f"{_count(len(found), 'community', 'communities')} (Louvain on co-mention weights,"
        f" resolution {resolution}, seed {seed}; modularity {score:.3f})."
        f" The largest {len(shown)} with their most connected members:"
    )
    blocks = [("h2", ["Communities"]), ("p", [text])]
    rows = [
        [
            str(c.id),
            f"{c.size:,}",
            ", ".join(m["name"] for m in c.top),
            ", ".join(f"{t} {n}" for t, n in sorted(c.types.items(), key=lambda x: -x[1])),
        ]
        for c in shown
    ]
    blocks.append(("table", ["community", "size", "main members", "types"], rows))
    return blocks


def _tie_blocks(G, ties) -> list:
    edges = sorted(
        G.edges(data=True),
        key=lambda e: (-e[2].get("weight", 1), -e[2].get("articles", 0), _pair(G, e)),
    )
    items = []
    for u, v, data in edges[:ties]:
        item = [
            Strong(_name(G, u)),
            " and ",
            Strong(_name(G, v)),
            f": {_count(times_seen(data), 'co-mention')} in"
            f" {_count(data.get('articles', 0), 'article')}.",
        ]
        for record in (data.get("evidence") or [])[:1]:
            title = record.get("title") or record.get("article_id") or "article"
            date = f", {record['date']}" if record.get("date") else ""
            item += [
                f" “{record.get('sentence', '')}” (",
                Link(title, record.get("url")),
                f"{date})",
            ]
        items.append(item)
    return [("h2", ["Strongest ties"]), ("ol", items)]


def _compare_blocks(before, after, top) -> list:
    change = compare_periods(before, after, top=top)
    a, b = _period(before), _period(after)
    blocks = [
        ("h2", ["Rising and falling"]),
        ("p", [f"Articles mentioning each entity before ({a}) and after ({b})."]),
    ]
    for label, rows in (("Rising", change["rising"]), ("Falling", change["falling"])):
        blocks.append(("h3", [label]))
        cells = [
            [c.name, c.type or "", f"{c.before:,}", f"{c.after:,}", f"{c.change:+,}"] for c in rows
        ]
        blocks.append(("table", ["name", "type", "before", "after", "change"], cells))
    return blocks


def _method_blocks(corpus, report, resolution, seed, G) -> list:
    settings = dict(corpus.get("settings") or {})
    filters = G.graph.get("filters")
    if filters:
        settings["filters"] = {k: v for k, v in filters.items() if v is not None}
    rows = [
        [str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)]
        for k, v in settings.items()
    ]
    method = [[f"{m}: {report.method['measures'][m]}"] for m in report.measures]
    method.append(
        [
            "Ties become distances for betweenness and closeness as distance = 1/weight:"
            " a tie seen four times is a quarter as long as a tie seen once."
        ]
    )
    method.append([f"Communities: Louvain (networkx), resolution {resolution}, seed {seed}."])
    return [
        ("h2", ["Settings and methods"]),
        ("table", ["setting", "value"], rows),
        ("ul", method),
    ]


def _period(G) -> str:
    since, until = G.graph.get("since"), G.graph.get("until")
    if since and until:
        return f"{since} to {until}"
    return f"from {since}" if since else f"until {until}" if until else "all dates"


def _pair(G, edge) -> tuple:
    return tuple(sorted((_name(G, edge[0]).casefold(), _name(G, edge[1]).casefold())))


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:,}" if isinstance(value, int) else f"{value:.4g}"


__all__ = ["MEASURES", "REPORT_FORMATS", "report_text", "write_report"]
