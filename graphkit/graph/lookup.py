"""Finding the node a user means: by key, display name or any alias."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
from rapidfuzz import fuzz, process

from graphkit.errors import UnknownEntityError
from graphkit.resolve.names import clean_surface, fold, strip_possessive, strip_title


def node_name(G: nx.Graph, node) -> str:
    """The display name of ``node`` (its key when it has none, or an empty one)."""
    return str(G.nodes[node].get("name") or node)


def type_test(types) -> Callable[[object], bool]:
    """A test of an entity type against ``types``, ignoring case; with no ``types``, all pass.

    The one rule behind every ``--type`` option (filters, centrality rows,
    neighbours, the entity list).
    """
    wanted = {str(t).upper() for t in types} if types else None
    return lambda kind: wanted is None or str(kind or "").upper() in wanted


def find_node(G: nx.Graph, name: str, *, suggestions: int = 3) -> str:
    """The node a user means by ``name``: its key, display name or any alias.

    Matching ignores case, accents, punctuation, a possessive and a leading
    title ("President Xi" finds Xi Jinping through his alias "Xi"); an exact
    spelling wins over a looser one, and among equals the most mentioned
    entity. When nothing matches, :class:`UnknownEntityError` suggests the
    closest names.
    """
    if name in G:
        return name
    cleaned = strip_possessive(clean_surface(name))
    for wanted in dict.fromkeys([fold(cleaned), fold(strip_title(cleaned))]):
        for attribute in ("name", "aliases"):
            found = [n for n, data in G.nodes(data=True) if wanted in _folded(data, attribute)]
            if found:
                return max(found, key=lambda n: (G.nodes[n].get("mentions", 0), str(n)))
    names = {data.get("name", str(n)) for n, data in G.nodes(data=True)}
    close = process.extract(name, names, scorer=fuzz.WRatio, limit=suggestions, score_cutoff=60)
    raise UnknownEntityError(name, [match for match, _, _ in close])


def _folded(data: dict, attribute: str) -> set[str]:
    values = data.get(attribute) or ()
    values = [values] if isinstance(values, str) else values
    return {fold(strip_possessive(clean_surface(v))) for v in values}
