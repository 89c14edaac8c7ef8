"""Who rises and who falls between two periods of the same corpus."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.graph.lookup import node_name as _name


@dataclass(frozen=True)
class Change:
    """How much an entity's article count (or weighted degree) moved between two periods."""

    key: str
    name: str
    type: str | None
    before: int | float
    after: int | float
    change: int | float


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
