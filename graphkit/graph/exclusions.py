"""Entities left out of every reading: a corpus's own publisher, a wire service, a byline.

``graphkit exclude add "BBC News"`` stores an exclusion in the store's
``exclusions`` table; every graph built from the store then leaves the
entity out, with its ties (``--exclude NAME`` does the same for one
command). The table is a log of decisions like the curation decisions: each
``add`` or ``remove`` is a row, the latest active row for a name wins, and
``undo`` deactivates the latest row, so every change can be taken back.
Names are matched when the graph is built (by name or alias, as
:func:`~graphkit.graph.lookup.find_node` does), so an exclusion survives
rebuilds and merges.

A corpus's own publishers are excluded without being asked: the
organisations the store finds named as the source of a large share of its
articles (:meth:`graphkit.store.Store.publishers`; "told BBC News", "the BBC
website"). They are listed with the user's exclusions (``graphkit exclude
list``, ``graphkit info``, the build summary). ``graphkit exclude remove
NAME`` keeps one in the graph (a decision like any other, so ``exclude
undo`` takes it back), and ``stored_exclusions=False`` reads them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from graphkit.errors import AmbiguousEntityError, GraphkitError, UnknownEntityError
from graphkit.graph.lookup import find_node, match_in_store, node_name
from graphkit.store import Store

if TYPE_CHECKING:
    import networkx as nx


def _latest(store: Store) -> dict[str, tuple[str, str]]:
    """The latest decision in force per name (casefolded): ``(action, name)``, oldest first."""
    latest: dict[str, tuple[str, str]] = {}
    for action, name in store.query(
        "SELECT action, name FROM exclusions WHERE active = 1 ORDER BY id"
    ):
        latest.pop(name.casefold(), None)
        latest[name.casefold()] = (action, name)
    return latest


def stored_exclusions(store: Store) -> list[str]:
    """The names the user excluded and still excludes, in the order they were added."""
    return [name for action, name in _latest(store).values() if action == "add"]


def publishers(store: Store) -> list[dict]:
    """The publishers the store finds that the user has not chosen to keep.

    Each is ``{"key", "name", "sources", "articles"}`` (see
    :meth:`graphkit.store.Store.publishers`).
    """
    latest = _latest(store)
    return [
        found
        for found in store.publishers()
        if latest.get(found["name"].casefold(), ("add",))[0] != "remove"
    ]


def exclusion_list(store: Store) -> list[dict]:
    """Every entity left out of readings now, with why: ``{"name", "why"}``."""
    rows = [{"name": name, "why": "excluded by you"} for name in stored_exclusions(store)]
    chosen = {row["name"].casefold() for row in rows}
    rows += [
        {
            "name": found["name"],
            "why": f"publisher: the source in {found['sources']} of the"
            f" {found['articles']} articles naming it",
        }
        for found in publishers(store)
        if found["name"].casefold() not in chosen
    ]
    return rows


def exclusion_log(store: Store) -> list[dict]:
    """Every exclusion decision, oldest first, with whether it is still in force."""
    rows = store.query("SELECT id, action, name, created_at, active FROM exclusions ORDER BY id")
    return [
        {"id": i, "action": a, "name": n, "created_at": c, "active": bool(act)}
        for i, a, n, c, act in rows
    ]


def add_exclusion(store: Store, name: str) -> int:
    """Exclude ``name`` from every reading of the store; returns the decision's id."""
    name = " ".join(name.split())
    if not name:
        raise GraphkitError("exclude add: give the name of an entity")
    if match_in_store(store, name) is None:  # ambiguous: raises, listing the candidates
        raise UnknownEntityError(name, [])
    with store.connection:
        return store.connection.execute(
            "INSERT INTO exclusions (action, name) VALUES ('add', ?)", (name,)
        ).lastrowid


def remove_exclusion(store: Store, name: str) -> int:
    """Take ``name`` off the exclusion list (a decision of its own, so it can be undone).

    A publisher the store found is kept in the graph from then on.
    """
    name = " ".join(name.split())
    current = {row["name"].casefold(): row["name"] for row in exclusion_list(store)}
    if name.casefold() not in current:
        listed = ", ".join(current.values()) or "none"
        raise GraphkitError(f"{name!r} is not excluded (excluded: {listed})")
    with store.connection:
        return store.connection.execute(
            "INSERT INTO exclusions (action, name) VALUES ('remove', ?)",
            (current[name.casefold()],),
        ).lastrowid


def undo_exclusion(store: Store) -> dict:
    """Take back the latest exclusion decision still in force; returns it."""
    row = store.query(
        "SELECT id, action, name FROM exclusions WHERE active = 1 ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        raise GraphkitError("no exclusion decision to undo")
    with store.connection:
        store.connection.execute("UPDATE exclusions SET active = 0 WHERE id = ?", (row[0],))
    return {"id": row[0], "action": row[1], "name": row[2]}


def apply_exclusions(
    G: nx.Graph, store: Store, names: Iterable[str] = (), *, stored: bool = True
) -> list[str]:
    """Remove the excluded entities from ``G``; returns the names removed.

    ``names`` (from ``--exclude``) must each name an entity of the store;
    stored exclusions that name none (any more) are skipped. With
    ``stored``, the store's publishers go too. What was left out is
    recorded in ``G.graph["excluded"]``, the publishers also in
    ``G.graph["publishers"]``.
    """
    removed = []
    if stored:
        found = [p for p in publishers(store) if p["key"] in G]
        G.remove_nodes_from(p["key"] for p in found)
        if found:
            G.graph["publishers"] = "; ".join(p["name"] for p in found)
            removed += [p["name"] for p in found]
    wanted = [(n, True) for n in names] + [
        (n, False) for n in (stored_exclusions(store) if stored else [])
    ]
    for name, required in wanted:
        try:
            node = find_node(G, name, suggestions=0)
        except UnknownEntityError:
            if required and not _in_store(store, name):
                raise
            continue
        except AmbiguousEntityError as err:
            if required:
                raise
            # a merge or rename since the decision made its name fit two entities
            raise GraphkitError(
                f"the stored exclusion {name!r} now fits several entities ({err}); run"
                f" 'graphkit exclude remove \"{name}\"' and exclude the one you mean by full name"
            ) from err
        removed.append(node_name(G, node))
        G.remove_node(node)
    if removed:
        G.graph["excluded"] = "; ".join(removed)
    return removed


def _in_store(store: Store, name: str) -> bool:
    """Whether ``name`` is an entity of the store at all (it may be outside a filter)."""
    from graphkit.graph.lookup import find_in_store

    return find_in_store(store, name) is not None
