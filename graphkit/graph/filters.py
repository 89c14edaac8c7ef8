"""Smaller graphs to look at: by type, tie weight, article count or the top N by a measure."""

from __future__ import annotations

import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.graph.lookup import type_test
from graphkit.graph.measures import centrality, check_measures


def filter_graph(
    G: nx.Graph,
    *,
    types=None,
    min_weight: int = 1,
    min_articles: int = 1,
    top: int | None = None,
    top_by: str = "pagerank",
    isolates: bool = True,
) -> nx.Graph:
    """A new graph with only the entities and ties asked for; ``G`` is not changed.

    Parameters
    ----------
    types : iterable of str, optional
        Keep entities of these types (e.g. ``("PERSON",)``).
    min_weight : int
        Keep ties seen at least this many times (co-occurrences, not the
        shared-out ``weight``).
    min_articles : int
        Keep entities mentioned in at least this many articles.
    top : int, optional
        Then keep the ``top`` entities by ``top_by`` (computed on the filtered graph).
    top_by : str
        A measure of :data:`graphkit.graph.settings.MEASURES`.
    isolates : bool
        Keep entities left with no tie (default True).

    Returns
    -------
    networkx.Graph
        With the filters recorded in ``graph["filters"]``.
    """
    of_type = type_test(types)
    nodes = [
        n
        for n, data in G.nodes(data=True)
        if of_type(data.get("type")) and data.get("articles", 0) >= min_articles
    ]
    keep = set(nodes)
    edges = [
        (u, v)
        for u, v, data in G.edges(data=True)
        if data.get("cooccurrences", data.get("weight", 1)) >= min_weight
        and u in keep
        and v in keep
    ]
    H = copy_graph(G, nodes, edges)
    if top is not None:
        if len(check_measures(top_by)) != 1:
            raise GraphkitError(f"--top needs one measure to rank by, not {top_by!r}")
        (top_by,) = check_measures(top_by)
        ranked = centrality(H, measures=(top_by,), top=top)
        H = copy_graph(H, [row["key"] for row in ranked.rows], None)
    if not isolates:
        H.remove_nodes_from([n for n in H if H.degree(n) == 0])
    H.graph["filters"] = {
        "types": sorted({t.upper() for t in types}) if types else None,
        "min_weight": min_weight,
        "min_articles": min_articles,
        "top": top,
        "top_by": top_by if top is not None else None,
    }
    return H


def copy_graph(G: nx.Graph, nodes=None, edges=None) -> nx.Graph:
    """A copy of ``G`` (or of the given ``nodes`` and ``edges``) sharing no mutable attribute.

    ``edges=None`` keeps every tie between the kept nodes.
    """
    H = nx.Graph()
    H.graph.update(_copy(G.graph))
    nodes = G.nodes if nodes is None else nodes
    H.add_nodes_from((n, _copy(G.nodes[n])) for n in nodes)
    if edges is None:
        edges = G.subgraph(H.nodes).edges if len(H) < len(G) else G.edges
    H.add_edges_from((u, v, _copy(G.edges[u, v])) for u, v in edges)
    return H


def _copy(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if isinstance(value, list):
            value = [dict(v) if isinstance(v, dict) else v for v in value]
        elif isinstance(value, dict):
            value = dict(value)
        out[key] = value
    return out
