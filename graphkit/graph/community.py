"""Communities: groups of entities mentioned with each other more than with the rest.

Seeded, weighted Louvain (networkx), so the same store and seed give the same groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graphkit.graph.lookup import node_name as _name
from graphkit.graph.snapshot import kept_for_graph

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
    key = ("louvain", resolution, seed)
    with kept_for_graph(G, keep=seed is not None) as kept:  # unseeded: other groups each run
        if key not in kept:
            kept[key] = nx.community.louvain_communities(
                G, weight="weight", resolution=resolution, seed=seed
            )
        found = kept[key]
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


def largest_communities(
    found: list[Community], *, min_size: int = 2, limit: int | None = None
) -> list[Community]:
    """The communities worth listing: at least ``min_size`` members, the ``limit`` largest.

    ``found`` is already largest first (see :func:`communities`), so ids stay
    those of the whole partition. The default ``min_size`` of 2 leaves out
    single entities, which on a real corpus are most of the "communities".
    """
    shown = [c for c in found if c.size >= min_size]
    return shown if limit is None else shown[:limit]


def communities_note(found: list[Community], shown: list[Community], *, min_size: int) -> str:
    """The line under a community table: what it leaves out and how to see it."""
    small = [c for c in found if c.size < min_size]
    parts = [f"showing {len(shown):,} of {len(found):,} communities"]
    if small:
        if min_size == 2:
            what = f"{len(small):,} single {'entity' if len(small) == 1 else 'entities'}"
        else:
            entities = sum(c.size for c in small)
            what = f"{len(small):,} groups of fewer than {min_size} ({entities:,} entities)"
        parts.append(f"{what} hidden; --min-size 1 shows them")
    if len(shown) + len(small) < len(found):
        parts.append("--limit caps the list")
    return "; ".join(parts)
