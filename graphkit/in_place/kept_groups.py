"""The rules' kept groups of the few entities a decision names, what follows from them
for everyone (the lists of possible meanings), and the user's merges into them."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from graphkit.relink import KEPT_RULE_GROUPS, paused_gc
from graphkit.resolve import kept
from graphkit.resolve.overrides import MERGED
from graphkit.resolve.resolver import RuleGroups
from graphkit.store import Store, printable

MENTIONS = "SELECT id, entity FROM mentions ORDER BY article_id, start, id"  # the rules' order


@dataclass
class KeptPart:
    """The rules' kept groups of a few entities, and where every node stands now."""

    rules: RuleGroups  # the part holding the nodes asked for (graphkit.resolve.kept.part)
    key_of: dict  # every node → the key of the entity its mentions are linked to (or None)
    ids: list[int]  # mention ids in the rules' order (a node's ``mentions`` index it)


def kept_part(
    store: Store, *, linked_to: set[str] = frozenset(), keys: set[str] = frozenset()
) -> KeptPart | None:
    """The kept groups of the nodes now linked to the entities ``linked_to`` and of the
    rules' groups whose automatic key is in ``keys``; ``None`` when the kept groups
    cannot be read or are not of the stored mentions."""
    text = store.kept_text(KEPT_RULE_GROUPS)
    if text is None:
        return None
    ids, linked = [], []
    for mention_id, key in store.query(MENTIONS):
        ids.append(mention_id)
        linked.append(key)
    with paused_gc():  # the decoded text is gone when it ends: no collection walks it
        return _decoded_part(text, ids, linked, linked_to, keys)


def _decoded_part(text: str, ids: list, linked: list, linked_to: set, keys: set):
    body = kept.parse(text)
    if body is None:
        return None
    try:
        if body["count"] != len(linked):
            return None
        key_of, wanted = {}, set()
        for i, (node, at) in enumerate(kept.first_mentions(body)):
            key_of[node] = key = linked[at]
            if key in linked_to:
                wanted.add(i)
        rules = kept.part(body, wanted | (kept.nodes_keyed(body, keys) if keys else set()))
    except (TypeError, KeyError, IndexError):
        return None
    return KeptPart(rules, key_of, ids) if rules is not None else None


def root_keeping(rules, members: set, key: str):
    """The rules' group whose key the entity of ``members`` keeps (its root node), or
    ``None`` when not exactly one of its groups goes by ``key``."""
    roots = [
        root
        for root, nodes in rules.groups.items()
        if root in members and rules.decisions.entity(nodes).key == key
    ]
    return roots[0] if len(roots) == 1 else None


def stored_otherwise(rules, members: list, name: str) -> bool:
    """Whether the stored ``name`` may not be the one the entity of ``members`` is shown
    by: its automatic name, stored otherwise (a rename to it cannot be told from it)."""
    automatic = rules.decisions.entity(members).name
    return automatic != name and printable(automatic) == name


def ambiguity(
    store: Store, rules, before: dict, after: dict, names: dict[str, str], rewritten: set[str]
) -> dict[str, list[str]]:
    """The lists of possible meanings of the entities there are ``after`` a decision
    (node → entity key), worked out as the resolver does from the rules' short names:
    of those whose list changes from ``before``, and of the ``rewritten`` ones (whose
    rows the caller writes whole). ``names``: the names the decision gives entities
    (the rest are stored)."""
    stored = dict(store.query("SELECT key, name FROM entities"))

    def lists(key_of: dict, names: dict[str, str]) -> dict[str, list[str]]:
        found = {}
        for node, candidates in rules.ambiguous.items():
            key = key_of[node]
            meant = {key_of[c] for c in candidates} - {key, None}
            if key is not None and meant:
                found[key] = sorted(names[k] for k in meant)
        return found

    old, new = lists(before, stored), lists(after, {**stored, **names})
    remaining = set(after.values()) - {None}
    return {
        key: new.get(key, [])
        for key in (old.keys() | new.keys() | rewritten) & remaining
        if key in rewritten or old.get(key) != new.get(key)
    }


def merges_into(store: Store, keys) -> Counter:
    """The user's merges into the entities ``keys``, as their explanations hold them:
    ``(name merged, rule, surface it joined)`` → how many times."""
    joins: Counter = Counter()
    for surface, rule, target, count in store.query(
        "SELECT surface, rule, target, count FROM entity_explanations"
        " WHERE entity IN (SELECT value FROM json_each(?)) AND rule = ?",
        (json.dumps(list(keys)), MERGED),
    ):
        joins[(surface, rule, target)] += count
    return joins
