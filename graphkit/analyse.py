"""Analysis of the co-occurrence graph: ``G`` in, plain data out; nothing here prints.

The questions analysts ask, one function each, like networkx:

- :func:`centrality` - who matters (a :class:`CentralityReport` table);
- :func:`communities` - which groups form (seeded, weighted Louvain);
- :func:`neighbours` - who is next to X, and the sentences that say so;
- :func:`strongest_paths` - how X reaches Y, hop by hop, with evidence;
- :func:`filter_graph` - a smaller graph to look at (types, weights, top N);
- :func:`annotate` - a copy of ``G`` carrying measures and communities for exports and pages;
- :func:`compare_periods` - who rises and who falls between two periods.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graphkit.centrality import (
    DEFAULT_MEASURES,
    EXACT_LIMIT,
    MEASURES,
    SAMPLE_SIZE,
    CentralityReport,
    centrality,
    check_measures,
)
from graphkit.errors import GraphkitError, NotConnectedError
from graphkit.paths import Hop, Neighbour, Path, neighbours, strongest_paths

LOUVAIN = "Louvain (networkx) on co-occurrence weights"


@dataclass(frozen=True)
class Community:
    """A group of entities more often mentioned with each other than with the rest.

    ``members`` lists every entity key, strongest first (by weighted degree);
    ``top`` gives the first few as dicts (``key``, ``name``, ``type``,
    ``weighted_degree``); ``types`` counts members per entity type.
    """

    id: int
    size: int
    members: tuple[str, ...]
    top: tuple[dict, ...]
    types: dict


@dataclass(frozen=True)
class Change:
    """How much an entity's article count (or weighted degree) moved between two periods."""

    key: str
    name: str
    type: str | None
    before: int | float
    after: int | float
    change: int | float


def communities(
    G: nx.Graph, *, resolution: float = 1.0, seed: int = 0, top: int = 5
) -> list[Community]:
    """Communities found by seeded, weighted Louvain, largest first.

    Parameters
    ----------
    G : networkx.Graph
        A graphkit graph.
    resolution : float
        Above 1 favours smaller communities, below 1 larger ones.
    seed : int
        Louvain visits nodes in random order; the same seed gives the same communities.
    top : int
        Members listed in each community's ``top``.

    Returns
    -------
    list of Community
        Numbered from 1, by size then total weighted degree.
    """
    found = nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed)
    strength = dict(G.degree(weight="weight"))
    result = []
    for group in found:
        members = sorted(group, key=lambda n: (-strength[n], _name(G, n).casefold(), str(n)))
        result.append(members)
    result.sort(key=lambda m: (-len(m), -sum(strength[n] for n in m), _name(G, m[0]).casefold()))
    out = []
    for number, members in enumerate(result, 1):
        types: dict[str, int] = {}
        for node in members:
            kind = G.nodes[node].get("type")
            types[kind] = types.get(kind, 0) + 1
        head = tuple(
            {
                "key": n,
                "name": _name(G, n),
                "type": G.nodes[n].get("type"),
                "weighted_degree": strength[n],
            }
            for n in members[:top]
        )
        out.append(Community(number, len(members), tuple(members), head, types))
    return out


def community_of(found: list[Community]) -> dict[str, int]:
    """Entity key → community id, for colouring pages and for exports."""
    return {node: c.id for c in found for node in c.members}


def modularity(G: nx.Graph, found: list[Community], *, resolution: float = 1.0) -> float:
    """Weighted modularity of a partition: how well it separates the graph (0: no better)."""
    if G.number_of_edges() == 0:
        return 0.0
    return nx.community.modularity(
        G, [set(c.members) for c in found], weight="weight", resolution=resolution
    )


def annotate(
    G: nx.Graph,
    *,
    measures=DEFAULT_MEASURES,
    with_communities: bool = True,
    resolution: float = 1.0,
    seed: int = 0,
    exact_limit: int = EXACT_LIMIT,
    k: int = SAMPLE_SIZE,
) -> nx.Graph:
    """A copy of ``G`` whose nodes also carry each measure and their ``community`` id.

    ``G`` itself is not changed. How the values were computed is recorded in
    the copy's ``graph["centrality"]`` and ``graph["communities"]`` texts.
    """
    H = copy_graph(G)
    if measures:
        report = centrality(G, measures=measures, exact_limit=exact_limit, k=k, seed=seed)
        for row in report.rows:
            H.nodes[row["key"]].update((m, row[m]) for m in report.measures if row[m] is not None)
        H.graph["centrality"] = report.note()
    if with_communities:
        found = communities(G, resolution=resolution, seed=seed)
        for node, number in community_of(found).items():
            H.nodes[node]["community"] = number
        H.graph["communities"] = f"{LOUVAIN}, resolution {resolution}, seed {seed}"
    return H


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
        Keep ties seen at least this many times.
    min_articles : int
        Keep entities mentioned in at least this many articles.
    top : int, optional
        Then keep the ``top`` entities by ``top_by`` (computed on the filtered graph).
    top_by : str
        A measure of :data:`graphkit.centrality.MEASURES`.
    isolates : bool
        Keep entities left with no tie (default True).

    Returns
    -------
    networkx.Graph
        With the filters recorded in ``graph["filters"]``.
    """
    wanted = {t.upper() for t in types} if types else None
    nodes = [
        n
        for n, data in G.nodes(data=True)
        if (wanted is None or str(data.get("type", "")).upper() in wanted)
        and data.get("articles", 0) >= min_articles
    ]
    keep = set(nodes)
    edges = [
        (u, v)
        for u, v, w in G.edges(data="weight", default=1)
        if w >= min_weight and u in keep and v in keep
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
        "types": sorted(wanted) if wanted else None,
        "min_weight": min_weight,
        "min_articles": min_articles,
        "top": top,
        "top_by": top_by if top is not None else None,
    }
    return H


def compare_periods(
    before: nx.Graph, after: nx.Graph, *, by: str = "articles", top: int = 10
) -> dict[str, list[Change]]:
    """Entities rising and falling from one period's graph to another's.

    ``by`` is ``"articles"`` (articles mentioning the entity) or
    ``"weighted_degree"`` (co-mentions). An entity absent from a period
    counts 0 there. Returns ``{"rising": [...], "falling": [...]}``, largest
    change first, ties by name; entities that did not change are left out.
    """
    if by not in ("articles", "weighted_degree"):
        raise GraphkitError(f"compare by 'articles' or 'weighted_degree', not {by!r}")

    def value(G, node):
        if node not in G:
            return 0
        return (
            G.degree(node, weight="weight") if by == "weighted_degree" else G.nodes[node].get(by, 0)
        )

    changes = []
    for node in set(before) | set(after):
        a, b = value(before, node), value(after, node)
        if a != b:
            G = after if node in after else before
            changes.append(Change(node, _name(G, node), G.nodes[node].get("type"), a, b, b - a))
    changes.sort(key=lambda c: (-c.change, c.name.casefold(), str(c.key)))
    rising = [c for c in changes if c.change > 0][:top]
    falling = sorted(
        (c for c in changes if c.change < 0), key=lambda c: (c.change, c.name.casefold())
    )
    return {"rising": rising, "falling": falling[:top]}


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


def _name(G: nx.Graph, node) -> str:
    return G.nodes[node].get("name", str(node))


__all__ = [
    "DEFAULT_MEASURES",
    "MEASURES",
    "CentralityReport",
    "Change",
    "Community",
    "Hop",
    "Neighbour",
    "NotConnectedError",
    "Path",
    "annotate",
    "centrality",
    "communities",
    "community_of",
    "compare_periods",
    "copy_graph",
    "filter_graph",
    "modularity",
    "neighbours",
    "strongest_paths",
]
