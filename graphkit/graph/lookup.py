"""Finding the node a user means: by key, display name or any alias."""

from __future__ import annotations

import json

import networkx as nx
from rapidfuzz import fuzz, process

from graphkit.errors import GraphkitError, UnknownEntityError
from graphkit.resolve.names import clean_surface, fold, strip_possessive, strip_title
from graphkit.store import Store, open_store


def node_name(G: nx.Graph, node) -> str:
    """The display name of ``node`` (its key when it has none)."""
    return G.nodes[node].get("name", str(node))


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
    outside = _outside_filter(G, name)
    if outside:
        raise UnknownEntityError(name, [], outside=outside)
    names = {data.get("name", str(n)) for n, data in G.nodes(data=True)}
    close = process.extract(name, names, scorer=fuzz.WRatio, limit=suggestions, score_cutoff=60)
    raise UnknownEntityError(name, [match for match, _, _ in close])


def _outside_filter(G: nx.Graph, name: str) -> str | None:
    """When ``G`` was filtered: a sentence saying ``name`` is in the store outside the filter."""
    selection, path = G.graph.get("selection"), G.graph.get("store")
    excluded = G.graph.get("excluded")
    if not path or not (selection or excluded):
        return None
    try:
        with open_store(path) as store:
            found = find_in_store(store, name)
    except GraphkitError:
        return None
    if found is None:
        return None
    if excluded and found in excluded.split("; "):
        return f"{found!r} is excluded (see 'graphkit exclude list'; --exclude)"
    return f"{found!r} is in the store but not among the articles selected by {selection}"


def find_in_store(store: Store, name: str) -> str | None:
    """The display name of the stored entity ``name`` means, whatever the filters, or ``None``."""
    found = entity_in_store(store, name)
    return found[1] if found else None


def entity_in_store(store: Store, name: str) -> tuple[str, str] | None:
    """``(key, display name)`` of the stored entity ``name`` means, or ``None``.

    Matches like :func:`find_node` (case, accents, punctuation, possessive,
    a leading title; name before alias), among equals the most mentioned.
    Reads the entities table only, so it works on any store size without
    building the graph.
    """
    row = store.query("SELECT key, name FROM entities WHERE key = ?", (name,)).fetchone()
    if row:
        return row[0], row[1]
    exact = store.query(  # the common case, by index: the display name as typed
        "SELECT key, name FROM entities WHERE name = ? COLLATE NOCASE", (" ".join(name.split()),)
    ).fetchall()
    if len(exact) == 1:
        return exact[0][0], exact[0][1]
    cleaned = strip_possessive(clean_surface(name))
    candidates = store.query("SELECT key, name, aliases FROM entities").fetchall()
    for wanted in dict.fromkeys([fold(cleaned), fold(strip_title(cleaned))]):
        by_name, by_alias = [], []
        for key, entity_name, aliases in candidates:
            surfaces = json.loads(aliases)
            mentions = sum(count for _, count in surfaces)
            if fold(strip_possessive(clean_surface(entity_name))) == wanted:
                by_name.append((mentions, key, entity_name))
            elif wanted in {fold(strip_possessive(clean_surface(a))) for a, _ in surfaces}:
                by_alias.append((mentions, key, entity_name))
        for found in (by_name, by_alias):
            if found:
                _, key, entity_name = max(found)
                return key, entity_name
    return None


def store_suggestions(store: Store, name: str, limit: int = 3) -> list[str]:
    """The stored entity names closest to ``name``, for an error message."""
    names = [n for (n,) in store.query("SELECT name FROM entities")]
    close = process.extract(name, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [match for match, _, _ in close]


def _folded(data: dict, attribute: str) -> set[str]:
    values = data.get(attribute) or ()
    values = [values] if isinstance(values, str) else values
    return {fold(strip_possessive(clean_surface(v))) for v in values}
