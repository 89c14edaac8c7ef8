"""Review and correct the entity list: list, explain, merge, unmerge, rename, drop, undo.

User decisions are stored in the store's ``overrides`` table and applied by
the resolver after its own rules on every rebuild, so they survive new
articles; undoing one deactivates it. Every function opens the store by path
and re-links it when it changes something, so each is one call from the CLI;
a rename, retype or drop touching one entity is applied to its rows alone
(:mod:`graphkit.in_place`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

import networkx as nx

from graphkit.errors import (
    AmbiguousEntityError,
    GraphkitError,
    OverrideError,
    UnknownEntityError,
)
from graphkit.graph import lookup_node
from graphkit.graph.lookup import stored_entity, type_test
from graphkit.in_place import apply_in_place, undo_in_place
from graphkit.ingest.settings import NAME_LABELS
from graphkit.relink import link, unapplied_warnings
from graphkit.resolve.overrides import (
    Override,
    overrides_from_rows,
    read_aliases_file,
    unmerge_takes,
    write_aliases_file,
)
from graphkit.store import Store, open_store

# A merge in place costs what its entities hold (a tenth of a re-link on BBC,
# benchmarks/decisions.py), and a big entity holds many mentions and ties to rewrite:
# past this many merges, an import re-links once instead.
MERGES_IN_PLACE = 2


@dataclass(frozen=True)
class Decision:
    """A user decision as stored: its id, action, names and whether it is in force.

    ``keys`` are the entities its names were taken to mean when it was made
    (empty for decisions stored before graphkit kept them, or imported by name).
    """

    id: int
    action: str
    names: tuple[str, ...]
    active: bool
    keys: tuple[str | None, ...] = ()


def list_entities(
    db=None, *, types=None, search: str | None = None, limit: int | None = None
) -> list[dict]:
    """Entities with type, counts and aliases, most mentioned first.

    ``search`` keeps entities whose name or any alias contains it (ignoring
    case). Each row also lists ``other_types`` (labels a minority of mentions
    carried) and ``ambiguous`` (entities a short name could also mean).
    """
    of_type = type_test(types)
    needle = search.casefold() if search else None
    with open_store(db) as store:
        matched = []
        for key, name, etype, aliases, type_counts, ambiguous in _entity_rows(store, needle):
            surfaces = [surface for surface, _ in json.loads(aliases)]
            if not of_type(etype):
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


def _entity_rows(store: Store, needle: str | None) -> Iterable[tuple]:
    """The entities' rows ``list_entities`` reads: those the name index finds for
    ``needle`` when it can tell (it finds every match), else all of them."""
    columns = "SELECT key, name, type, aliases, type_counts, ambiguous FROM entities"
    keys = store.entities_containing(needle) if needle else None
    if keys is None:
        yield from store.query(columns)
        return
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        yield from store.query(f"{columns} WHERE key IN ({', '.join('?' * len(chunk))})", chunk)


# Below this many entities, counting each one's mentions through the
# ``mentions_entity_reading`` index beats one pass over every mention of the corpus.
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
    a list of ``{"surface", "rule", "target", "count"}``, and ``note``: which
    entity ``name`` was taken to mean when it is not its display name, else
    ``None``.

    Raises
    ------
    UnknownEntityError, AmbiguousEntityError
        ``name`` names no entity, or several.
    """
    with open_store(db) as store:
        match = stored_entity(store, name)
        key = match.node
        explanations = [
            {"surface": surface, "rule": rule, "target": target, "count": count}
            for surface, rule, target, count in store.query(
                "SELECT surface, rule, target, count FROM entity_explanations WHERE entity = ?"
                " ORDER BY count DESC, surface",
                (key,),
            )
        ]
    (row,) = [r for r in list_entities(db) if r["key"] == key]
    return {**row, "explanations": explanations, "note": match.note}


@dataclass(frozen=True)
class DecisionResult:
    """What recording a decision did.

    ``changes`` says what changed, one line each ("merged 'Blair' (35
    mentions) into 'Tony Blair'"); ``notes`` which entity each name was taken
    to mean when it was not that entity's display name ("'Xi' is Xi
    Jinping"); ``warnings`` other decisions that no longer name an entity.
    """

    id: int
    action: str
    names: tuple[str, ...]
    changes: list[str]
    notes: list[str]
    warnings: list[str]


def record_decision(db, action: str, names) -> DecisionResult:
    """Store a user decision (merge, unmerge, rename, drop, retype) and apply it.

    Names may be display names, aliases or keys; each is resolved to an
    entity now, and the decision keeps that entity's key, so it means the
    same entity on every rebuild even where the name is also another's
    alias. Recording, re-linking and saving are one transaction: an
    interrupted command leaves the store as it was, with no decision.

    Raises
    ------
    OverrideError
        Unknown action, wrong number of names, a name without letters, an
        unknown type, or a decision that would change nothing (``merge X X``,
        a rename to the current name, a decision already in force).
    UnknownEntityError
        A name matches no entity; the message suggests close ones.
    AmbiguousEntityError
        A name fits several entities equally well; the message lists them.
    """
    override = Override(action, tuple(names))
    with open_store(db) as store:
        _refuse_duplicate(store, override)
        if store.needs_resolution():
            link(store, keep_rules=True)
        matches = [stored_entity(store, name) for name in override.entity_names]
        decision = Override(action, override.names, keys=tuple(m.node for m in matches))
        before = _describe(store, decision, matches)
        decision_id, unapplied = _record_one(store, decision)
        if any(o.id == decision_id for o in unapplied):
            with _transaction(store):
                store.connection.execute("DELETE FROM overrides WHERE id = ?", (decision_id,))
                store.set_meta("resolved", "0")
                link(store, keep_rules=True)
            raise OverrideError(
                f"{action} {', '.join(decision.names)}: its names do not pick one entity"
                " when the decisions before it are applied; not recorded"
            )
        others = [o for o in unapplied if o.id != decision_id]
        return DecisionResult(
            decision_id,
            action,
            decision.names,
            before(_merged_entity(store, matches[0].node) if action == "merge" else None),
            [m.note for m in matches if m.note],
            unapplied_warnings(others),
        )


def list_decisions(db=None, *, include_undone: bool = False) -> list[Decision]:
    """The user decisions in the order they apply (undone ones too if asked)."""
    with open_store(db) as store:
        rows = list(store.query("SELECT id, action, args, active FROM overrides ORDER BY id"))
    decisions = overrides_from_rows((i, a, json.loads(args)) for i, a, args, _ in rows)
    return [
        Decision(d.id, d.action, d.names, bool(active), d.keys)
        for d, (*_, active) in zip(decisions, rows, strict=True)
        if active or include_undone
    ]


def undo_decision(db, decision_id: int, *, redo: bool = False) -> list[str]:
    """Deactivate (or with ``redo``, reactivate) decision ``decision_id``; in place when
    :func:`~graphkit.in_place.undo_in_place` can, else by re-linking."""
    with open_store(db, write=True) as store, _transaction(store):
        row = store.query("SELECT active FROM overrides WHERE id = ?", (decision_id,)).fetchone()
        if row is None:
            raise GraphkitError(
                f"no decision with id {decision_id}; run 'graphkit decisions' to list them"
            )
        store.connection.execute(
            "UPDATE overrides SET active = ? WHERE id = ?", (int(redo), decision_id)
        )
        if bool(row[0]) != redo:
            unapplied = undo_in_place(store, decision_id, redo=redo)
            if unapplied is not None:
                store.connection.commit()
                in_force = overrides_from_rows(store.overrides())
                return unapplied_warnings([o for o in in_force if o.id in unapplied])
        store.set_meta("resolved", "0")
        return _relink(store)


def export_aliases(db, path) -> int:
    """Write the decisions in force to an aliases file; returns how many."""
    with open_store(db) as store:
        decisions = [d for d in overrides_from_rows(store.overrides()) if not d.refused]
    write_aliases_file(decisions, path)
    return len(decisions)


def import_aliases(db, path) -> tuple[int, list[str]]:
    """Add the decisions of an aliases file after the stored ones and apply them.

    The whole file is read and checked before anything is stored; each
    name is resolved to an entity of this store now, as a typed decision
    is (an ambiguous name is an error naming the decision; a name that
    matches nothing is kept by name, for articles still to come). They are
    applied as :func:`_record` says; storing and applying are one
    transaction. Returns the number imported and warnings for decisions
    naming no entity.
    """
    decisions = read_aliases_file(path)
    with open_store(db) as store:
        if store.needs_resolution():
            link(store, keep_rules=True)
        index = _entity_index(store)
        resolved = []
        for number, decision in enumerate(decisions, 1):
            keys = []
            for name in decision.entity_names:
                try:
                    keys.append(lookup_node(index, name).node)
                except UnknownEntityError:
                    keys.append(None)
                except AmbiguousEntityError as err:
                    raise OverrideError(f"{path}, decision {number}: {err}") from err
            resolved.append(Override(decision.action, decision.names, keys=tuple(keys)))
        return len(decisions), unapplied_warnings(_record(store, resolved))


@contextmanager
def _transaction(store: Store):
    """Roll back whatever the block wrote unless it committed (also on Ctrl-C)."""
    try:
        yield
    except BaseException:
        store.connection.rollback()
        raise


def _record(store: Store, decisions: list[Override]) -> list[Override]:
    """Insert ``decisions`` and apply them, in one transaction: each in place, in order,
    while :func:`~graphkit.in_place.apply_in_place` can (and at most
    :data:`MERGES_IN_PLACE` merges), then the rest by one re-link. The decisions in
    force that apply to nothing.

    Applied one at a time in place, each leaves the rows a re-link would, so the
    whole import does; a few renames in a large store then cost milliseconds, not
    a re-link of every mention.
    """
    with _transaction(store):
        unapplied: list[int] | None = []
        merges = 0
        for decision in decisions:
            _insert(store, decision)
            if unapplied is None:
                continue
            merges += decision.action == "merge"
            unapplied = None if merges > MERGES_IN_PLACE else apply_in_place(store, decision)
        if unapplied is not None:
            store.connection.commit()
            return [o for o in overrides_from_rows(store.overrides()) if o.id in unapplied]
        store.set_meta("resolved", "0")
        return link(store, keep_rules=True).unapplied  # saving it commits the decisions


def _record_one(store: Store, decision: Override) -> tuple[int, list[Override]]:
    """Insert ``decision`` and apply it, in one transaction: in place when it touches one
    entity (:mod:`graphkit.in_place`), else by re-linking. Its id, and the decisions in
    force that apply to nothing."""
    with _transaction(store):
        decision_id = _insert(store, decision)
        unapplied = apply_in_place(store, decision)
        if unapplied is not None:
            store.connection.commit()
            in_force = overrides_from_rows(store.overrides())
            return decision_id, [o for o in in_force if o.id in unapplied]
        store.set_meta("resolved", "0")
        return decision_id, link(store, keep_rules=True).unapplied


def _insert(store: Store, decision: Override) -> int:
    return store.connection.execute(
        "INSERT INTO overrides (action, args) VALUES (?, ?)",
        (decision.action, json.dumps(decision.args(), ensure_ascii=False)),
    ).lastrowid


def _relink(store: Store) -> list[str]:
    return unapplied_warnings(link(store, keep_rules=True).unapplied)


def _refuse_duplicate(store: Store, decision: Override) -> None:
    """A decision already in force (same action, same names) is not recorded twice."""
    for existing in overrides_from_rows(store.overrides()):
        if (existing.action, existing.names) == (decision.action, decision.names):
            raise OverrideError(
                f"{decision.action} {', '.join(decision.names)} is already decision"
                f" {existing.id}; nothing to do"
            )


def _describe(store: Store, decision: Override, matches: list):
    """Check ``decision`` changes something; returns how to say what it changed.

    The returned function takes what the decision made of the merge target
    (:func:`_merged_entity`; ``None`` for other actions) and gives the lines
    for :attr:`DecisionResult.changes`.

    Raises
    ------
    OverrideError
        The decision would change nothing.
    """
    action, names = decision.action, decision.names
    info = {m.node: _entity_facts(store, m.node) for m in matches}

    def label(match) -> str:
        return f"{match.name!r} ({_count(info[match.node]['mentions'], 'mention')})"

    if action == "merge":
        target, others = matches[0], matches[1:]
        for name, match in zip(names[1:], others, strict=True):
            if match.node == target.node:
                raise OverrideError(
                    f"merge: {name!r} is already part of {target.name!r} (key {target.node});"
                    " nothing to merge"
                )
        if len({m.node for m in others}) < len(others):
            raise OverrideError("merge: the same entity is named twice; name each once")

        def merged(after: dict | None) -> list[str]:
            lines = [f"merged {label(m)} into {target.name!r}" for m in others]
            if after is not None:
                data = after
                lines.append(
                    f"{data['name']!r} now has {_count(data['mentions'], 'mention')}"
                    f" in {_count(data['articles'], 'article')}"
                )
            return lines

        return merged
    if action == "rename":
        if names[1] == matches[0].name:
            raise OverrideError(f"rename: {matches[0].name!r} is already called that")
        return lambda after: [f"renamed {label(matches[0])} to {names[1]!r}"]
    if action == "retype":
        old = info[matches[0].node]["type"]
        if names[1] == old:
            raise OverrideError(f"retype: {matches[0].name!r} is already {old}")
        known = set(NAME_LABELS) | {t for (t,) in store.query("SELECT DISTINCT type FROM entities")}
        known |= set(store.settings.get("types") or ())
        if names[1] not in known:
            raise OverrideError(
                f"retype: unknown type {names[1]!r}; known types: {', '.join(sorted(known))}"
            )
        return lambda after: [f"retyped {label(matches[0])} from {old} to {names[1]}"]
    if action == "drop":
        return lambda after: [f"dropped {label(matches[0])} from the graph"]
    # unmerge: a surface form, wherever it occurs
    surface = names[0]
    owners = [
        (key, {"name": name, "aliases": [alias for alias, _ in json.loads(aliases)]})
        for key, name, aliases in store.query("SELECT key, name, aliases FROM entities")
    ]
    owners = [
        (key, data)
        for key, data in owners
        if any(unmerge_takes(surface, a) for a in data["aliases"])
    ]
    if not owners:
        raise OverrideError(
            f"unmerge: no entity goes by {surface!r}; run 'graphkit entities --search' to find"
            " the names entities go by"
        )
    if len(owners) == 1 and all(unmerge_takes(surface, a) for a in owners[0][1]["aliases"]):
        raise OverrideError(f"unmerge: {surface!r} is already an entity of its own")
    froms = " and ".join(repr(data["name"]) for _, data in owners)
    return lambda after: [f"took {surface!r} out of {froms}; it is now an entity of its own"]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _entity_facts(store: Store, key: str) -> dict:
    """The stored entity ``key``'s type and mention count, read by its own rows (indexed)."""
    (type_,) = store.query("SELECT type FROM entities WHERE key = ?", (key,)).fetchone()
    (mentions,) = store.query("SELECT COUNT(*) FROM mentions WHERE entity = ?", (key,)).fetchone()
    return {"type": type_, "mentions": mentions}


def _merged_entity(store: Store, key: str) -> dict | None:
    """The entity ``key`` after a merge (name and counts), or ``None`` when it is gone.

    Read by the entity's own rows (indexed), not by building the whole index again.
    """
    row = store.query("SELECT name FROM entities WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    mentions, articles = store.query(
        "SELECT COUNT(*), COUNT(DISTINCT article_id) FROM mentions WHERE entity = ?", (key,)
    ).fetchone()
    return {"name": row[0], "mentions": mentions, "articles": articles}


def _entity_index(store: Store) -> nx.Graph:
    """The stored entities as graph nodes (name, aliases, type, counts) for lookups."""
    counts = {
        key: (mentions, articles)
        for key, mentions, articles in store.query(
            "SELECT entity, COUNT(*), COUNT(DISTINCT article_id) FROM mentions"
            " WHERE entity IS NOT NULL GROUP BY entity"
        )
    }
    index = nx.Graph()
    for key, display, type_, aliases in store.query(
        "SELECT key, name, type, aliases FROM entities"
    ):
        mentions, articles = counts.get(key, (0, 0))
        index.add_node(
            key,
            name=display,
            type=type_,
            aliases=[s for s, _ in json.loads(aliases)],
            mentions=mentions,
            articles=articles,
        )
    return index
