"""Finding the node a user means: by key, display name or any alias.

A name that fits several entities equally well is an error listing them,
never a silent pick: "Wang" may be Wang Lin or Wang Hua, and a neighbour
list, a path or a merge of the wrong one is a false story. The match says
which entity was chosen and how, so a command can tell the user when the
name typed was not the entity's display name ("'Xi' is Xi Jinping").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from graphkit.errors import AmbiguousEntityError, GraphkitError, UnknownEntityError
from graphkit.resolve.names import clean_surface, fold, strip_possessive, strip_title
from graphkit.resolve.typed import has_visible_letters
from graphkit.store import Store, open_store

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class NodeMatch:
    """The node a typed name was taken to mean.

    Attributes
    ----------
    node
        The node (entity key).
    name : str
        Its display name.
    query : str
        What the user typed.
    matched : str
        How: ``"key"``, ``"name"`` (its display name), ``"alias"`` (another
        name it goes by), ``"title"`` (a name or alias after dropping a
        leading title, "President Xi").
    """

    node: object
    name: str
    query: str
    matched: str

    @property
    def note(self) -> str | None:
        """``"'Xi' is Xi Jinping"`` when the query was not the display name, else ``None``.

        A difference of case alone ("xi jinping") leaves no doubt and gets no note.
        """
        if self.query.casefold() == self.name.casefold():
            return None
        return f"{self.query!r} is {self.name}"


def node_name(G: nx.Graph, node) -> str:
    """The display name of ``node`` (its key when it has none, or an empty one)."""
    return _display(G.nodes, node)


def type_test(types) -> Callable[[object], bool]:
    """A test of an entity type against ``types``, ignoring case; with no ``types``, all pass.

    The one rule behind every ``--type`` option (filters, centrality rows,
    neighbours, the entity list).
    """
    wanted = {str(t).upper() for t in types} if types else None
    return lambda kind: wanted is None or str(kind or "").upper() in wanted


def lookup_node(G: nx.Graph, name: str, *, suggestions: int = 3) -> NodeMatch:
    """The node a user means by ``name`` (its key, display name or any alias), and how.

    Matching ignores case, accents, punctuation, a possessive and a leading
    title ("President Xi" finds Xi Jinping through his alias "Xi"). Looser
    matches are tried only when tighter ones find nothing, in this order: the
    key; display names; aliases; display names and aliases without a
    leading title. Among several matches at one level, the only one spelt
    exactly as typed wins; otherwise the name is ambiguous.

    Raises
    ------
    AmbiguousEntityError
        Several entities fit equally well; the message lists them with
        their keys.
    UnknownEntityError
        Nothing matches; the message suggests the closest names.
    GraphkitError
        ``name`` has no letters or digits (an invisible or punctuation-only name).
    """
    if name in G:
        return NodeMatch(name, node_name(G, name), name, "key")
    _visible(name)
    found = _lookup_among(G.nodes, name)
    if found:
        return found
    outside = _outside_filter(G, name)
    if outside:
        raise UnknownEntityError(name, [], outside=outside)
    names = {data.get("name", str(n)) for n, data in G.nodes(data=True)}
    close = process.extract(name, names, scorer=fuzz.WRatio, limit=suggestions, score_cutoff=60)
    raise UnknownEntityError(name, [match for match, _, _ in close])


def _visible(name: str) -> None:
    if not has_visible_letters(name):
        raise GraphkitError(
            f"{name!r} has no letters or digits; give an entity's name, alias or key"
        )


def _lookup_among(nodes, name: str) -> NodeMatch | None:
    """:func:`_match` over ``nodes`` (node → attributes: name, aliases, type, mentions).

    Raises :class:`AmbiguousEntityError` with the candidates, most mentioned first.
    """
    folded: dict[str, dict] = {}  # each node's forms, folded once

    def forms(attribute: str) -> dict:
        if attribute not in folded:
            folded[attribute] = {n: _folded(d, attribute) for n, d in nodes.items()}
        return folded[attribute]

    found = _match(name, forms, lambda n, attribute: name in _values(nodes[n], attribute))
    if isinstance(found, list):
        rows = [
            (str(n), _display(nodes, n), nodes[n].get("type"), nodes[n].get("mentions", 0))
            for n in found
        ]
        raise AmbiguousEntityError(name, sorted(rows, key=lambda row: (-row[3], row[1], row[0])))
    if found:
        node, how = found
        return NodeMatch(node, _display(nodes, node), name, how)
    return None


def _display(nodes, node) -> str:
    return str(nodes[node].get("name") or node)


def _match(name: str, forms, spelt) -> tuple | list | None:
    """The one matching rule of :func:`lookup_node` and :func:`entity_in_store`.

    ``forms(attribute)`` gives ``{node: folded forms}`` for ``"name"`` or
    ``"aliases"``; ``spelt(node, attribute)`` whether one of them is exactly
    ``name``. Returns ``(node, how)``, a list of equally good nodes (the name
    is ambiguous), or ``None``.
    """
    cleaned = strip_possessive(clean_surface(name))
    exact = {fold(cleaned), fold(strip_possessive(name))}
    loose = {fold(strip_title(cleaned))}
    levels = [("name", "name", exact), ("alias", "aliases", exact)]
    if loose - exact:
        levels += [("title", "name", loose), ("title", "aliases", loose)]
    for how, attribute, wanted in levels:
        found = [n for n, names in forms(attribute).items() if wanted & names]
        if len(found) > 1:
            exactly = [n for n in found if spelt(n, attribute)]
            found = exactly if len(exactly) == 1 else found
        if len(found) == 1:
            return found[0], how
        if found:
            return found
    return None


def find_node(G: nx.Graph, name: str, *, suggestions: int = 3):
    """The node a user means by ``name``: :func:`lookup_node` without the how."""
    return lookup_node(G, name, suggestions=suggestions).node


def _outside_filter(G: nx.Graph, name: str) -> str | None:
    """When ``name`` is in the store but not in ``G``: a sentence saying why (a filter,
    an exclusion, or near-duplicate articles only), else ``None``."""
    selection, path = G.graph.get("selection"), G.graph.get("store")
    excluded = G.graph.get("excluded")
    if not path:
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
    if G.graph.get("filters"):
        return f"{found!r} is in the store but the graph's filters leave it out"
    if not selection:
        return (
            f"{found!r} is named only in near-duplicate articles (counted under the"
            " articles they repeat), so it has no ties; 'graphkit mentions' lists them"
        )
    return f"{found!r} is in the store but not among the articles selected by {selection}"


def find_in_store(store: Store, name: str) -> str | None:
    """The display name of the stored entity ``name`` means, whatever the filters, or ``None``.

    A name that may mean several entities is in the store too: it is returned as typed.
    """
    try:
        found = entity_in_store(store, name)
    except AmbiguousEntityError:
        return name
    return found[1] if found else None


def entity_in_store(store: Store, name: str) -> tuple[str, str] | None:
    """``(key, display name)`` of the stored entity ``name`` means (:func:`match_in_store`)."""
    match = match_in_store(store, name)
    return (match.node, match.name) if match else None


def stored_entity(store: Store, name: str) -> NodeMatch:
    """The stored entity ``name`` means (:func:`match_in_store`), or an error suggesting names.

    Raises
    ------
    UnknownEntityError
        Nothing matches; the message suggests the closest stored names.
    AmbiguousEntityError, GraphkitError
        As :func:`match_in_store`.
    """
    match = match_in_store(store, name)
    if match is None:
        raise UnknownEntityError(name, store_suggestions(store, name))
    return match


def match_in_store(store: Store, name: str) -> NodeMatch | None:
    """The stored entity ``name`` means, and how, or ``None``.

    The rule of :func:`lookup_node` (case, accents, punctuation, possessive,
    a leading title; key, then name, then alias; among equals only the one
    spelt exactly as typed), over the entities table, so it works on any
    store without building the graph. A key, or a display name exactly as
    typed that one entity has, is found by index; other names read the
    names and aliases of every entity.

    Raises
    ------
    AmbiguousEntityError
        Several entities fit equally well (the message lists them).
    GraphkitError
        ``name`` has no letters or digits.
    """
    row = store.query("SELECT key, name FROM entities WHERE key = ?", (name,)).fetchone()
    if row:
        return NodeMatch(row[0], row[1], name, "key")
    _visible(name)
    exact = [
        (key, entity_name)
        for key, entity_name in store.query(
            "SELECT key, name FROM entities WHERE name = ? COLLATE NOCASE", (name,)
        )
        if entity_name == name
    ]
    if len(exact) == 1:  # the only one spelt as typed: what the rule picks among equals
        return NodeMatch(exact[0][0], exact[0][1], name, "name")
    nodes = {}
    for key, entity_name, type_, aliases in store.query(
        "SELECT key, name, type, aliases FROM entities"
    ):
        surfaces = json.loads(aliases)
        nodes[key] = {
            "name": entity_name,
            "type": type_,
            "aliases": [surface for surface, _ in surfaces],
            "mentions": sum(count for _, count in surfaces),
        }
    return _lookup_among(nodes, name)


def store_suggestions(store: Store, name: str, limit: int = 3) -> list[str]:
    """The stored entity names closest to ``name``, for an error message."""
    # Each name once (entities may share one), in key order: rapidfuzz ranks equal
    # scores by position, and the table's row order follows the store's history.
    names = list(dict.fromkeys(n for (n,) in store.query("SELECT name FROM entities ORDER BY key")))
    close = process.extract(name, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [match for match, _, _ in close]


def _values(data: dict, attribute: str) -> list[str]:
    values = data.get(attribute) or ()
    return [values] if isinstance(values, str) else list(values)


def _folded(data: dict, attribute: str) -> set[str]:
    return {fold(strip_possessive(clean_surface(v))) for v in _values(data, attribute)}
