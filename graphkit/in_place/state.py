"""What the last link kept for decisions in place (:data:`graphkit.relink.DECISION_STATE`),
read, and kept up to date by each."""

from __future__ import annotations

import json
from collections.abc import Iterable

from graphkit.relink import DECISION_STATE, TIE_RULES
from graphkit.resolve import Override, kept
from graphkit.resolve.attribution import rules as attribution_rules
from graphkit.store import Store, printable


def decision_state(store: Store) -> dict | None:
    """What the last link kept for decisions in place, with its window; ``None`` when the
    stored rows may not be what a link of the decisions in force gives."""
    if store.needs_resolution() or store.link_pending():
        return None
    state = json.loads(store.get_meta(DECISION_STATE) or "null")
    linked = store.link_state()
    if not isinstance(state, dict) or linked is None or state.get("rules") != kept.rules_version():
        return None
    if not {"clashes", "unapplied", "typed", "by_name"} <= state.keys():
        return None  # kept by a link that did not count everything decisions in place read
    if (linked.get("ties"), linked.get("attribution")) != (TIE_RULES, attribution_rules()):
        return None
    return {**state, "clashes": set(state["clashes"]), "window": linked["window"]}


def keep_state(store: Store, state: dict) -> None:
    """What the decision changed of :data:`~graphkit.relink.DECISION_STATE`, kept."""
    kept_state = {k: v for k, v in state.items() if k != "window"}
    kept_state["clashes"] = sorted(state["clashes"])
    store.set_meta(DECISION_STATE, json.dumps(kept_state, ensure_ascii=False))


def forget(state: dict, keys: Iterable[str]) -> None:
    """Keys no group goes by any more, out of the state's lists."""
    for key in keys:
        state["typed"].pop(key, None)


def clashing(state: dict, keys: Iterable[str]) -> bool:
    """Whether one of ``keys`` is one several groups go by (``org:x~2``, or a key the
    last link counted twice): a decision's key could then mean another group."""
    return any("~" in key or key in state["clashes"] for key in keys)


def unmerges_or_unprintable_renames(in_force: Iterable[Override]) -> bool:
    """Whether a decision in force is an unmerge (the groups it makes follow the decisions'
    history, which the rows do not show), or a rename to a name storing changes (the
    lists of possible meanings hold the name as given, the entities' rows as stored)."""
    return any(
        decision.action == "unmerge"
        or (decision.action == "rename" and printable(decision.names[1]) != decision.names[1])
        for decision in in_force
    )
