"""Review and correct the entity list: list, explain, merge, unmerge, rename, drop, undo.

User decisions are stored in the store's ``overrides`` table and applied by
the resolver after its own rules on every rebuild, so they survive new
articles; undoing one deactivates it. Every function opens the store by path
and re-links it when it changes something, so each is one call from the CLI.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.graph import find_node
from graphkit.pipeline import link, unapplied_warnings
from graphkit.resolve.overrides import (
    Override,
    overrides_from_rows,
    read_aliases_file,
    write_aliases_file,
)
from graphkit.store import Store, open_store


@dataclass(frozen=True)
class Decision:
    """A user decision as stored: its id, action, names and whether it is in force."""

    id: int
    action: str
    names: tuple[str, ...]
    active: bool


def list_entities(
    db=None, *, types=None, search: str | None = None, limit: int | None = None
) -> list[dict]:
    """Entities with type, counts and aliases, most mentioned first.

    ``search`` keeps entities whose name or any alias contains it (ignoring
    case). Each row also lists ``other_types`` (labels a minority of mentions
    carried) and ``ambiguous`` (entities a short name could also mean).
    """
    wanted = {t.upper() for t in types} if types else None
    needle = search.casefold() if search else None
    with open_store(db) as store:
        matched = []
        for key, name, etype, aliases, type_counts, ambiguous in store.query(
            "SELECT key, name, type, aliases, type_counts, ambiguous FROM entities"
        ):
            surfaces = [surface for surface, _ in json.loads(aliases)]
            if wanted and etype not in wanted:
                continue
            if needle and not any(needle in s.casefold() for s in [name, *surfaces]):
                continue
            matched.append((key, name, etype, surfaces, type_counts, ambiguous))
        counts = _mention_counts(store, [m[0] for m in matched])
        rows = []
        for key, name, etype, surfaces, type_counts, ambiguous in matched:
            mentions, articles = counts.get(key, (0, 0))
            rows.append(
                {
                    "key": key,
                    "name": name,
                    "type": etype,
                    "mentions": mentions,
                    "articles": articles,
                    "aliases": [s for s in surfaces if s != name],
                    "other_types": [f"{t} {n}" for t, n in json.loads(type_counts) if t != etype],
                    "ambiguous": json.loads(ambiguous),
                }
            )
    rows.sort(key=lambda r: (-r["mentions"], r["name"].casefold(), r["key"]))
    return rows[:limit]


# Below this many entities, counting each one's mentions through the
# ``mentions_entity`` index beats one pass over every mention of the corpus.
_INDEXED_COUNTS = 2000


def _mention_counts(store: Store, keys: list[str]) -> dict[str, tuple[int, int]]:
    """Entity key → (mentions, articles), for ``keys``: by index when they are few."""
    if len(keys) <= _INDEXED_COUNTS:
        sql = "SELECT COUNT(*), COUNT(DISTINCT article_id) FROM mentions WHERE entity = ?"
        return {key: tuple(store.query(sql, (key,)).fetchone()) for key in keys}
    return {
        key: (mentions, articles)
        for key, mentions, articles in store.query(
            "SELECT entity, COUNT(*), COUNT(DISTINCT article_id) FROM mentions"
            " WHERE entity IS NOT NULL GROUP BY entity"
        )
    }


def explain_entity(db, name: str) -> dict:
    """Which rule joined which surface form into the entity ``name`` names.

    Returns the entity's row (as :func:`list_entities`) plus ``explanations``:
    a list of ``{"surface", "rule", "target", "count"}``.
    """
    with open_store(db) as store:
        key = _find(store, name)
        explanations = [
            {"surface": surface, "rule": rule, "target": target, "count": count}
            for surface, rule, target, count in store.query(
                "SELECT surface, rule, target, count FROM entity_explanations WHERE entity = ?"
                " ORDER BY count DESC, surface",
                (key,),
            )
        ]
    (row,) = [r for r in list_entities(db) if r["key"] == key]
    return {**row, "explanations": explanations}


def record_decision(db, action: str, names) -> list[str]:
    """Store a user decision (merge, unmerge, rename, drop) and re-link the store.

    Every name but a rename's new name must name an entity (by name, alias
    or key). Returns warnings: decisions that named no entity after re-linking.

    Raises
    ------
    OverrideError
        Unknown action or wrong number of names.
    UnknownEntityError
        A name matches no entity; the message suggests close ones.
    """
    override = Override(action, tuple(names))
    with open_store(db) as store:
        existing = override.names[:1] if action == "rename" else override.names
        for name in existing:
            _find(store, name)
        store.add_override(override.action, list(override.names))
        return _relink(store)


def list_decisions(db=None, *, include_undone: bool = False) -> list[Decision]:
    """The user decisions in the order they apply (undone ones too if asked)."""
    with open_store(db) as store:
        rows = store.query("SELECT id, action, args, active FROM overrides ORDER BY id")
        return [
            Decision(i, a, tuple(json.loads(args)), bool(active))
            for i, a, args, active in rows
            if active or include_undone
        ]


def undo_decision(db, decision_id: int, *, redo: bool = False) -> list[str]:
    """Deactivate (or with ``redo``, reactivate) decision ``decision_id`` and re-link."""
    with open_store(db) as store:
        if not store.set_override_active(decision_id, redo):
            raise GraphkitError(
                f"no decision with id {decision_id}; run 'graphkit decisions' to list them"
            )
        return _relink(store)


def export_aliases(db, path) -> int:
    """Write the decisions in force to an aliases file; returns how many."""
    with open_store(db) as store:
        decisions = overrides_from_rows(store.overrides())
    write_aliases_file(decisions, Path(path))
    return len(decisions)


def import_aliases(db, path) -> tuple[int, list[str]]:
    """Add the decisions of an aliases file after the stored ones and re-link.

    The whole file is read and checked before anything is stored. Returns
    the number imported and warnings for decisions naming no entity.
    """
    decisions = read_aliases_file(path)
    with open_store(db) as store:
        with store.db:
            for decision in decisions:
                store.db.execute(
                    "INSERT INTO overrides (action, args) VALUES (?, ?)",
                    (decision.action, json.dumps(list(decision.names), ensure_ascii=False)),
                )
            store.set_meta("resolved", "0")
        return len(decisions), _relink(store)


def _relink(store: Store) -> list[str]:
    return unapplied_warnings(link(store))


def _find(store: Store, name: str) -> str:
    """The key of the entity ``name`` names (display name, alias or key)."""
    index = nx.Graph()
    for key, display, aliases in store.query("SELECT key, name, aliases FROM entities"):
        index.add_node(key, name=display, aliases=[s for s, _ in json.loads(aliases)])
    return find_node(index, name)
