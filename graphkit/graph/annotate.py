"""A copy of the graph carrying centrality measures and community ids, for pages and exports.

:func:`annotate` shares its name with this module, so :mod:`graphkit.graph`
imports it when the package is imported, not on first use as its other names
(were the module imported first, ``graphkit.graph.annotate`` would name the
module); its own imports wait until it is called, so that costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphkit.graph.settings import DEFAULT_MEASURES, EXACT_LIMIT, SAMPLE_SIZE

if TYPE_CHECKING:
    import networkx as nx


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
    from graphkit.graph.community import LOUVAIN, communities, community_of
    from graphkit.graph.filters import copy_graph
    from graphkit.graph.measures import centrality

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
