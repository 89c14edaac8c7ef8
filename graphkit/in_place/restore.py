"""An undo in place: the entities a decision named, given back as the rules made them."""

from __future__ import annotations

import json
from collections import Counter

from graphkit.in_place.kept_groups import ambiguity, kept_part
from graphkit.in_place.state import forget
from graphkit.in_place.ties import retie
from graphkit.relink import mention_contexts
from graphkit.resolve.attribution import ATTRIBUTION_TYPES, attribution
from graphkit.resolve.resolver import automatic_drop, merged_group
from graphkit.store import Store, entity_row


def restore(store: Store, state: dict, keys: set[str]) -> bool:
    """The entities ``keys`` made again as the rules made them, with no user decision;
    ``False`` (nothing written) unless each is one whole group of the rules' that
    makes an entity, and together they are exactly the nodes now linked to them."""
    found = kept_part(store, keys=keys)
    if found is None:
        return False
    rules, key_of = found.rules, found.key_of
    keyed: dict[str, list] = {}
    for members in rules.groups.values():
        keyed.setdefault(rules.decisions.entity(members).key, []).append(members)
    if keyed.keys() != keys or any(len(found) > 1 for found in keyed.values()):
        return False  # a key two of the rules' groups go by: which one was named?
    groups = {key: found[0] for key, found in keyed.items()}
    if any(automatic_drop(rules, members) for members in groups.values()):
        return False
    members = {node for nodes in groups.values() for node in nodes}
    linked = {node for node, key in key_of.items() if key in keys}
    now = {key_of[node] for node in members}
    if not linked <= members or not (now <= keys or now == {None}):
        return False
    made = {}
    for key, nodes in groups.items():
        name = rules.decisions.entity(nodes).name
        made[key] = merged_group(
            rules, nodes, key=key, name=name, user_type=None, user_joins=Counter()
        )
    after = {**key_of, **{node: key for key, nodes in groups.items() for node in nodes}}
    names = {key: entity.name for key, (entity, _) in made.items()}
    ambiguous = ambiguity(store, rules, key_of, after, names, keys)
    mentions = {
        found.ids[i]: key
        for key, nodes in groups.items()
        for n in nodes
        for i in rules.nodes[n].mentions
    }
    _relink_restored(
        store, mentions, {key: e.type for key, (e, _) in made.items()}, state["window"]
    )
    _write_restored(store, made, ambiguous)
    store.find_publishers()
    forget(state, keys)
    return True


def _relink_restored(store: Store, mentions: dict[int, str], types: dict[str, str], window: str):
    """The mentions of restored entities linked to them (``mentions``: id → key), read
    as sources again where the type changes whether they can be one, the ties of the
    articles that changed, and the mentions a user's drop had taken counted again."""
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


def _write_restored(store: Store, made: dict, ambiguous: dict[str, list[str]]) -> None:
    """The restored entities' rows, explanations and name index; the lists of possible
    meanings that changed."""
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
    store.connection.executemany(
        "DELETE FROM entity_explanations WHERE entity = ?", [(key,) for key in made]
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
    store.index_entity_names({key: (row[0], row[2]) for key, row in rows.items()})
