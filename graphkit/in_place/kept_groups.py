"""The rules' kept groups of the few entities a decision names, read from the store's
index of them (:func:`graphkit.resolve.kept.index`), what follows from them for the
lists of possible meanings, and the user's merges into them. Each reads what those
entities hold, never every mention or group."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from graphkit.relink import KEPT_RULE_GROUPS
from graphkit.resolve import kept
from graphkit.resolve.overrides import MERGED
from graphkit.resolve.resolver import RuleGroups
from graphkit.store import Store, printable

# Each kept node with the key of the entity its first mention is linked to now.
_NODES = (
    "SELECT k.node, k.root, k.row, m.entity FROM kept_nodes k"
    " JOIN mentions m ON m.id = k.first_mention"
)
_LINKED_TO = (
    "SELECT k.node, k.root FROM mentions m JOIN kept_nodes k ON k.first_mention = m.id"
    " WHERE m.entity IN (SELECT value FROM json_each(?))"
)


@dataclass
class KeptPart:
    """The rules' kept groups of a few entities, and where each of their nodes stands now."""

    rules: RuleGroups  # the groups read, whole (graphkit.resolve.kept.part_of)
    key_of: dict  # each node read → the key of the entity its mentions are linked to (or None)
    number: dict  # each node read → its number in the index
    dropped: dict  # each group's root → why the rules make no entity of it, or None


def kept_part(
    store: Store, *, linked_to: Iterable[str] = (), keys: Iterable[str] = ()
) -> KeptPart | None:
    """The kept groups, whole, of the nodes now linked to the entities ``linked_to`` and
    of the rules' groups whose automatic key is in ``keys``; ``None`` when the store holds
    no index of the groups kept for its mentions, or it is damaged (then it is emptied,
    in the caller's transaction, and the re-link the caller makes instead indexes them
    again)."""
    marker = store.kept_index_marker(KEPT_RULE_GROUPS)
    inputs = store.get_meta(f"kept:{KEPT_RULE_GROUPS}:inputs")
    if marker is None or inputs is None or not marker.startswith(f"{inputs}:"):
        return None
    roots = {root for _, root in store.query(_LINKED_TO, (_list(linked_to),))}
    roots.update(
        root
        for (root,) in store.query(
            "SELECT root FROM kept_groups WHERE automatic_key IN (SELECT value FROM json_each(?))",
            (_list(keys),),
        )
    )
    chosen = (_list(roots),)
    node_rows, linked = [], {}
    for number, _, row, entity in store.query(
        _NODES + " WHERE k.root IN (SELECT value FROM json_each(?))", chosen
    ):
        node_rows.append((number, row))
        linked[number] = entity
    group_rows = store.query(
        "SELECT root, row FROM kept_groups WHERE root IN (SELECT value FROM json_each(?))", chosen
    ).fetchall()

    def labels_of(names: list[str]) -> list[tuple[str, str]]:
        return store.query(
            "SELECT key, labels FROM kept_other_labels"
            " WHERE key IN (SELECT value FROM json_each(?))",
            (_list(names),),
        ).fetchall()

    found = kept.part_of(node_rows, group_rows, labels_of, store.kept_wanted(KEPT_RULE_GROUPS))
    if found is None or len(found.rules.groups) != len(roots):
        store.forget_index(KEPT_RULE_GROUPS)  # damaged: the re-link that follows makes it again
        return None
    key_of = {node: linked[number] for node, number in found.number.items()}
    return KeptPart(found.rules, key_of, found.number, found.dropped)


def _list(items: Iterable) -> str:
    return json.dumps(sorted(items), ensure_ascii=False)


def _linked_keys(store: Store, numbers: Iterable[int]) -> dict[int, str | None]:
    """Nodes (numbers) → the key of the entity their first mention is linked to now."""
    return dict(
        store.query(
            "SELECT k.node, m.entity FROM kept_nodes k JOIN mentions m ON m.id = k.first_mention"
            " WHERE k.node IN (SELECT value FROM json_each(?))",
            (_list(numbers),),
        )
    )


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
    store: Store,
    found: KeptPart,
    after: dict,
    names: dict[str, str],
    rewritten: set[str],
    gone: Iterable[str] = (),
) -> dict[str, list[str]]:
    """The lists of possible meanings of the entities there are after a decision that
    moves ``found``'s nodes to ``after`` (node → entity key), worked out as the resolver
    does from the rules' short names: of those whose list changes, and of the
    ``rewritten`` ones (whose rows the caller writes whole); not of the ``gone`` ones.
    ``names``: the names the decision gives entities (the rest are stored).

    Only an entity whose short names (or their candidates) are among ``found``'s nodes,
    or one ``rewritten``, can have another list; its list is worked out again from every
    short name of it, read by its key, so the rest of the corpus is not read.
    """
    before = {found.number[node]: key for node, key in found.key_of.items()}
    moved = {found.number[node]: key for node, key in after.items()}
    numbers = _list(before)
    entries = _entries(
        store,
        "SELECT position, node, candidates FROM kept_ambiguous WHERE node IN"
        " (SELECT value FROM json_each(?)) UNION SELECT a.position, a.node, a.candidates"
        " FROM kept_candidates c JOIN kept_ambiguous a ON a.position = c.position"
        " WHERE c.candidate IN (SELECT value FROM json_each(?))",
        (numbers, numbers),
    )
    keys = {**_linked_keys(store, {e[1] for e in entries} - before.keys()), **before}
    relevant = set(rewritten)
    for _, node, _ in entries:
        # Where a short name leaves is an entity the decision rewrites or takes out, as
        # decisions in place are now; read anyway, so the lists stay right if one is not.
        relevant |= {keys[node], moved.get(node, keys[node])}
    relevant.discard(None)
    entries |= _entries(
        store,
        "SELECT a.position, a.node, a.candidates FROM mentions m"
        " JOIN kept_nodes k ON k.first_mention = m.id JOIN kept_ambiguous a ON a.node = k.node"
        " WHERE m.entity IN (SELECT value FROM json_each(?))",
        (_list(relevant),),
    )
    named = {node for _, node, candidates in entries for node in (node, *candidates)}
    keys.update(_linked_keys(store, named - keys.keys()))
    stored = dict(
        store.query(
            "SELECT key, name FROM entities WHERE key IN (SELECT value FROM json_each(?))",
            (_list({keys[n] for n in named} - {None}),),
        )
    )

    def lists(key_of, names: dict[str, str]) -> dict[str, list[str]]:
        lists_ = {}
        for _, node, candidates in sorted(entries):  # in the rules' order: the last one stands
            key = key_of(node)
            meant = {key_of(c) for c in candidates} - {key, None}
            if key in relevant and meant:
                lists_[key] = sorted(names[k] for k in meant)
        return lists_

    old = lists(keys.__getitem__, stored)
    new = lists(lambda node: moved.get(node, keys[node]), {**stored, **names})
    remaining = relevant - set(gone)
    return {
        key: new.get(key, [])
        for key in (old.keys() | new.keys() | rewritten) & remaining
        if key in rewritten or old.get(key) != new.get(key)
    }


def _entries(store: Store, sql: str, parameters: tuple) -> set[tuple[int, int, tuple]]:
    """Kept short names kept apart: ``(position, node, candidates)``."""
    return {
        (position, node, tuple(json.loads(candidates)))
        for position, node, candidates in store.query(sql, parameters)
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
