"""The rows a decision on a few entities rewrites: their entities, their mentions' links
and sources, the ties of the articles those change, the lists of possible meanings."""

from __future__ import annotations

import json
from collections.abc import Iterable

from graphkit.in_place.kept_groups import KeptPart, ambiguity
from graphkit.in_place.ties import retie
from graphkit.relink import mention_contexts
from graphkit.resolve.attribution import ATTRIBUTION_TYPES, attribution
from graphkit.store import Store, entity_row


def rewrite(
    store: Store,
    found: KeptPart,
    made: dict,
    after: dict,
    members: dict,
    window: str,
    gone: Iterable[str] = (),
) -> None:
    """The entities ``made`` (key → entity and explanations) written, with ``members``
    (key → nodes) their mentions linked to them, the entities ``gone`` taken out; the
    lists of possible meanings that change from where ``found`` placed its nodes to
    ``after``, and the publishers."""
    gone = list(gone)
    rules = found.rules
    names = {key: entity.name for key, (entity, _) in made.items()}
    ambiguous = ambiguity(store, found, after, names, set(made), gone)
    mentions = {
        mention: key
        for key, nodes in members.items()
        for n in nodes
        for mention in rules.nodes[n].mentions  # the kept index holds their ids
    }
    types = {key: entity.type for key, (entity, _) in made.items()}
    _relink(store, mentions, types, window)
    _write(store, made, ambiguous, gone)
    store.find_publishers()


def _relink(store: Store, mentions: dict[int, str], types: dict[str, str], window: str) -> None:
    """``mentions`` (id → key) linked to their entities (of ``types``), read as sources
    again where the type changes whether they can be one (or they had no entity), the
    ties of the articles that changed, and the mentions a user's drop had taken counted
    again. Reads the types they had from the entities' rows: before those are written."""
    stored = store.query(
        "SELECT m.id, m.article_id, m.entity, m.attribution, e.type FROM mentions m"
        " LEFT JOIN entities e ON e.key = m.entity"
        " WHERE m.id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(mentions)),),
    ).fetchall()
    again = [
        i
        for i, _, key, _, type_ in stored
        if key is None or (type_ in ATTRIBUTION_TYPES) != (types[mentions[i]] in ATTRIBUTION_TYPES)
    ]
    contexts = mention_contexts(store, again)
    sources = {
        i: attribution(*contexts[i]) if types[mentions[i]] in ATTRIBUTION_TYPES else None
        for i in again
    }
    changed = [
        (mentions[i], sources.get(i, old), i, article)
        for i, article, key, old, _ in stored
        if (mentions[i], sources.get(i, old)) != (key, old)
    ]
    store.connection.executemany(
        "UPDATE mentions SET entity = ?, attribution = ? WHERE id = ?",
        [row[:3] for row in changed],
    )
    if changed:
        retie(store, {row[3] for row in changed}, window)
    counted = sum(1 for _, _, key, _, _ in stored if key is None)
    if counted:
        store.connection.execute(
            "UPDATE dropped_mentions SET count = count - ? WHERE reason = 'dropped by user'",
            (counted,),
        )
        store.connection.execute("DELETE FROM dropped_mentions WHERE count <= 0")


def _write(store: Store, made: dict, ambiguous: dict[str, list[str]], gone: list[str]) -> None:
    """The entities' rows, explanations and name index: ``made`` written, ``gone``
    taken out; the lists of possible meanings that changed."""
    rows = {key: entity_row(entity, ambiguous.get(key, [])) for key, (entity, _) in made.items()}
    store.connection.executemany(
        "INSERT INTO entities (key, name, type, aliases, type_counts, rules, ambiguous)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET name = excluded.name,"
        " type = excluded.type, aliases = excluded.aliases, type_counts = excluded.type_counts,"
        " rules = excluded.rules, ambiguous = excluded.ambiguous",
        [(key, *row) for key, row in rows.items()],
    )
    store.connection.executemany(
        "UPDATE entities SET ambiguous = ? WHERE key = ?",
        [
            (json.dumps(names, ensure_ascii=False), key)
            for key, names in ambiguous.items()
            if key not in made
        ],
    )
    store.connection.executemany("DELETE FROM entities WHERE key = ?", [(k,) for k in gone])
    store.connection.executemany(
        "DELETE FROM entity_explanations WHERE entity = ?", [(k,) for k in [*made, *gone]]
    )
    store.connection.executemany(
        "INSERT INTO entity_explanations (entity, surface, rule, target, count)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (key, x.surface, x.rule, x.target, x.count)
            for key, (_, explanations) in made.items()
            for x in explanations
        ],
    )
    store.index_entity_names(
        {**dict.fromkeys(gone), **{key: (row[0], row[2]) for key, row in rows.items()}}
    )
