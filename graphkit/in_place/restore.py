"""An undo in place: the entities a decision named, given back as the rules made them."""

from __future__ import annotations

import json
from collections import Counter

from graphkit.in_place.kept_groups import ambiguity, kept_part, merges_into, root_keeping
from graphkit.in_place.state import forget
from graphkit.in_place.ties import retie
from graphkit.relink import mention_contexts
from graphkit.resolve import Override
from graphkit.resolve.attribution import ATTRIBUTION_TYPES, attribution
from graphkit.resolve.overrides import MERGED
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
    groups = _rules_groups(rules, keys)
    if groups is None:
        return False
    members = {node for nodes in groups.values() for node in nodes}
    linked = {node for node, key in key_of.items() if key in keys}
    now = {key_of[node] for node in members}
    if not linked <= members or not (now <= keys or now == {None}):
        return False
    after = {**key_of, **{node: key for key, nodes in groups.items() for node in nodes}}
    _rewrite(store, state, found, _automatic(rules, groups), after, groups)
    forget(state, keys)
    return True


def _rules_groups(rules, keys: set[str]) -> dict[str, list] | None:
    """The one group of the rules' each of ``keys`` is the automatic key of; ``None``
    when a key has none or two (which one was named?) or the rules make no entity of one."""
    keyed: dict[str, list] = {}
    for members in rules.groups.values():
        key = rules.decisions.entity(members).key
        if key in keys:
            keyed.setdefault(key, []).append(members)
    if keyed.keys() != keys or any(len(found) > 1 for found in keyed.values()):
        return None
    groups = {key: found[0] for key, found in keyed.items()}
    if any(automatic_drop(rules, members) for members in groups.values()):
        return None
    return groups


def _automatic(rules, groups: dict[str, list]) -> dict:
    """Each group's entity and explanations as the rules make them (no user decision)."""
    return {
        key: merged_group(
            rules,
            nodes,
            key=key,
            name=rules.decisions.entity(nodes).name,
            user_type=None,
            user_joins=Counter(),
        )
        for key, nodes in groups.items()
    }


def _rewrite(store: Store, state: dict, found, made: dict, after: dict, members: dict) -> None:
    """The entities ``made`` written (``members``: their nodes, by key), their mentions
    linked to them, the lists of possible meanings that change, the publishers."""
    rules = found.rules
    names = {key: entity.name for key, (entity, _) in made.items()}
    ambiguous = ambiguity(store, rules, found.key_of, after, names, set(made))
    mentions = {
        found.ids[i]: key
        for key, nodes in members.items()
        for n in nodes
        for i in rules.nodes[n].mentions
    }
    types = {key: entity.type for key, (entity, _) in made.items()}
    _relink_restored(store, mentions, types, state["window"])
    _write_restored(store, made, ambiguous)
    store.find_publishers()


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


def split(store: Store, state: dict, decision: Override) -> bool:
    """Undo a merge whose first entity other decisions in force also name: the
    entities it took in given back as the rules made them, the first one kept with the
    rest of its members, name, type and joins; ``False`` (nothing written) unless each
    one taken in is one whole group of the rules' and the first is named by a decision
    that stays (so its name is the one stored)."""
    target, others = decision.keys[0], set(decision.keys[1:])
    found = kept_part(store, linked_to={target}, keys=others)
    if found is None:
        return False
    rules, key_of = found.rules, found.key_of
    groups = _rules_groups(rules, others)
    if groups is None:
        return False
    moved = {node for nodes in groups.values() for node in nodes}
    if {key_of[node] for node in moved} != {target}:
        return False
    remaining = [node for node, key in key_of.items() if key == target and node not in moved]
    first = root_keeping(rules, set(remaining), target)
    if first is None:
        return False
    joins = _joins_without(store, target, decision, rules.nodes[first].surface)
    if joins is None:
        return False
    ((name,),) = store.query("SELECT name FROM entities WHERE key = ?", (target,)).fetchall()
    made = {
        target: merged_group(
            rules,
            remaining,
            key=target,
            name=name,
            user_type=state["typed"].get(target),
            user_joins=joins,
        ),
        **_automatic(rules, groups),
    }
    after = {**key_of, **{node: key for key, nodes in groups.items() for node in nodes}}
    _rewrite(store, state, found, made, after, {target: remaining, **groups})
    return True  # the others were named by this decision alone: no type of theirs is kept


def _joins_without(store: Store, key: str, decision: Override, surface: str) -> Counter | None:
    """The user's merges into entity ``key`` but ``decision``'s (they name ``surface``, its
    first node's); ``None`` when one of those is not there to take away."""
    joins = merges_into(store, [key])
    for name in decision.names[1:]:
        joins[(name, MERGED, surface)] -= 1
    return +joins if all(count >= 0 for count in joins.values()) else None
