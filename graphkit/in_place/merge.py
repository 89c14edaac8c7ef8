"""A merge in place: one entity made of several, from the rules' kept groups of those entities."""

from __future__ import annotations

import json

from graphkit.in_place.kept_groups import (
    kept_part,
    merges_into,
    root_keeping,
    stored_otherwise,
)
from graphkit.in_place.rows import rewrite
from graphkit.in_place.state import forget, unmerges_or_unprintable_renames
from graphkit.resolve import Override
from graphkit.resolve.overrides import MERGED, overrides_from_rows
from graphkit.resolve.resolver import merged_group
from graphkit.store import Store


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
    made = {target: (entity, explanations)}
    rewrite(store, found, made, after, {target: members}, state["window"], gone=others)
    forget(state, others)
    return True
