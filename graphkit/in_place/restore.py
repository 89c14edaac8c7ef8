"""An undo in place: the entities a decision named, given back as the rules made them."""

from __future__ import annotations

from collections import Counter

from graphkit.in_place.kept_groups import kept_part, merges_into, root_keeping
from graphkit.in_place.rows import rewrite
from graphkit.in_place.state import forget
from graphkit.resolve import Override
from graphkit.resolve.overrides import MERGED
from graphkit.resolve.resolver import merged_group
from graphkit.store import Store


def restore(store: Store, state: dict, keys: set[str]) -> bool:
    """The entities ``keys`` made again as the rules made them, with no user decision;
    ``False`` (nothing written) unless each is one whole group of the rules' that
    makes an entity, and together they are exactly the nodes now linked to them."""
    found = kept_part(store, linked_to=keys, keys=keys)
    if found is None:
        return False
    rules, key_of = found.rules, found.key_of
    groups = _rules_groups(found, keys)
    if groups is None:
        return False
    members = {node for nodes in groups.values() for node in nodes}
    linked = {node for node, key in key_of.items() if key in keys}
    now = {key_of[node] for node in members}
    if not linked <= members or not (now <= keys or now == {None}):
        return False
    after = {**key_of, **{node: key for key, nodes in groups.items() for node in nodes}}
    rewrite(store, found, _automatic(rules, groups), after, groups, state["window"])
    forget(state, keys)
    return True


def _rules_groups(found, keys: set[str]) -> dict[str, list] | None:
    """The one group of the rules' each of ``keys`` is the automatic key of; ``None``
    when a key has none or two (which one was named?) or the rules make no entity of one."""
    rules = found.rules
    keyed: dict[str, list] = {}
    for root, members in rules.groups.items():
        key = rules.decisions.entity(members).key
        if key in keys:
            keyed.setdefault(key, []).append(root)
    if keyed.keys() != keys or any(len(roots) > 1 for roots in keyed.values()):
        return None
    if any(found.dropped[root] for (root,) in keyed.values()):
        return None
    return {key: rules.groups[root] for key, (root,) in keyed.items()}


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
    groups = _rules_groups(found, others)
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
    rewrite(store, found, made, after, {target: remaining, **groups}, state["window"])
    return True  # the others were named by this decision alone: no type of theirs is kept


def _joins_without(store: Store, key: str, decision: Override, surface: str) -> Counter | None:
    """The user's merges into entity ``key`` but ``decision``'s (they name ``surface``, its
    first node's); ``None`` when one of those is not there to take away."""
    joins = merges_into(store, [key])
    for name in decision.names[1:]:
        joins[(name, MERGED, surface)] -= 1
    return +joins if all(count >= 0 for count in joins.values()) else None
