"""A merge in place: one entity made of several, from the rules' kept groups of those entities."""

from __future__ import annotations

import json

from graphkit.in_place.kept_groups import (
    ambiguity,
    kept_part,
    merges_into,
    root_keeping,
    stored_otherwise,
)
from graphkit.in_place.state import forget, unmerges_or_unprintable_renames
from graphkit.in_place.ties import retie
from graphkit.relink import mention_contexts
from graphkit.resolve import Override
from graphkit.resolve.attribution import ATTRIBUTION_TYPES, attribution
from graphkit.resolve.overrides import MERGED, overrides_from_rows
from graphkit.resolve.resolver import merged_group
from graphkit.store import Store, entity_row


def merge(store: Store, state: dict, decision: Override) -> bool:
    """The merged entity's rows, from the rules' kept groups; ``False`` (nothing written)
    where that could differ from a re-link.

    The first entity keeps its key and name and takes the others' mentions;
    its type is the one the user gave it, else what the evidence of all its
    names decides. Declines when the entities are not all different, when an
    unmerge is in force (a group it made goes by the key its members give it,
    and its nodes' order is the decisions' history), when the rules' kept
    groups do not tell which group is the first entity's, or a name could
    have been changed by storing it.
    """
    target, others = decision.keys[0], list(decision.keys[1:])
    if len(set(decision.keys)) != len(decision.keys):
        return False
    if unmerges_or_unprintable_renames(overrides_from_rows(store.overrides())):
        return False
    stored = {
        key: (name, type_)
        for key, name, type_ in store.query(
            "SELECT key, name, type FROM entities WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(decision.keys),),
        )
    }
    if len(stored) != len(decision.keys):
        return False
    found = kept_part(store, linked_to=set(stored))
    if found is None:
        return False
    rules, key_of = found.rules, found.key_of
    members = [node for node, key in key_of.items() if key in stored]
    kept_members = [n for n in members if key_of[n] == target]
    first = root_keeping(rules, set(kept_members), target)
    name = stored[target][0]
    if first is None or stored_otherwise(rules, kept_members, name):
        return False
    joins = merges_into(store, decision.keys)
    for merged_name in decision.names[1:]:
        joins[(merged_name, MERGED, rules.nodes[first].surface)] += 1
    entity, explanations = merged_group(
        rules,
        members,
        key=target,
        name=name,
        user_type=state["typed"].get(target),
        user_joins=joins,
    )
    after = {node: target if key in stored else key for node, key in key_of.items()}
    ambiguous = ambiguity(store, rules, key_of, after, {}, {target})
    _write_merged(store, entity, explanations, others, ambiguous)
    types = {key: type_ for key, (_, type_) in stored.items()}
    _relink_merged(store, entity.type, types, target, state["window"])
    forget(state, others)
    return True


def _write_merged(
    store: Store, entity, explanations: list, others: list[str], ambiguous: dict[str, list[str]]
) -> None:
    """The merged entity's row, explanations and name index; the others' rows gone; the
    lists of possible meanings the merge changed."""
    row = entity_row(entity, ambiguous.get(entity.key, []))
    store.connection.execute(
        "UPDATE entities SET name = ?, type = ?, aliases = ?, type_counts = ?, rules = ?,"
        " ambiguous = ? WHERE key = ?",
        (*row, entity.key),
    )
    store.connection.executemany(
        "UPDATE entities SET ambiguous = ? WHERE key = ?",
        [
            (json.dumps(names, ensure_ascii=False), key)
            for key, names in ambiguous.items()
            if key != entity.key
        ],
    )
    gone = [(key,) for key in others]
    store.connection.executemany("DELETE FROM entities WHERE key = ?", gone)
    store.connection.executemany(
        "DELETE FROM entity_explanations WHERE entity = ?", [*gone, (entity.key,)]
    )
    store.connection.executemany(
        "INSERT INTO entity_explanations (entity, surface, rule, target, count)"
        " VALUES (?, ?, ?, ?, ?)",
        [(entity.key, x.surface, x.rule, x.target, x.count) for x in explanations],
    )
    store.index_entity_names({entity.key: (row[0], row[2]), **dict.fromkeys(others)})


def _relink_merged(
    store: Store, merged_type: str, types: dict[str, str], target: str, window: str
) -> None:
    """The others' mentions linked to the merged entity, sources read again where its
    type changes whether they can be one, and the ties of the articles that changed."""
    stored = store.query(
        "SELECT id, article_id, attribution, entity FROM mentions"
        " WHERE entity IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(types)),),
    ).fetchall()
    source = merged_type in ATTRIBUTION_TYPES
    again = [i for i, _, _, key in stored if (types[key] in ATTRIBUTION_TYPES) != source]
    contexts = mention_contexts(store, again) if source else {}
    sources = {i: attribution(*contexts[i]) if source else None for i in again}
    changed = [
        (target, sources.get(i, old), i, article)
        for i, article, old, key in stored
        if key != target or sources.get(i, old) != old
    ]
    store.connection.executemany(
        "UPDATE mentions SET entity = ?, attribution = ? WHERE id = ?",
        [row[:3] for row in changed],
    )
    if changed:
        retie(store, {row[3] for row in changed}, window)
    store.find_publishers()
