"""User decisions applied in place: a decision or an undo rewrites only the rows it touches.

Any decision can be applied by re-linking the store (:func:`graphkit.relink.link`),
which replays every decision over all of the rules' groups; that costs what the
corpus holds (about 6 s at 20,000 articles, 35 s at 100,000). A rename,
retype or drop changes one entity and nothing the rules read, and it applies
after every decision in force, so what it changes in the stored rows is
known: the entity's row, explanations and name index; the lists of entities
that name it as another possible meaning; and, where it changes which of its
mentions are read as sources or whether they count at all, their
attributions and the ties of their articles. :func:`apply_in_place` writes
those rows alone. A merge makes one entity of several: its type and
explanations come from the rules' kept groups of those entities alone, read
from the store's index of them (:func:`graphkit.resolve.kept.index`,
:func:`graphkit.resolve.resolver.merged_group`), the rest as above, and the
other entities' rows go: nothing it reads or writes grows with the corpus
beyond the entities it names and the short names that may mean them. An
undo (:func:`undo_in_place`) gives the entities a decision named back as
the rules made them, when no other decision in force is about them (of the
last decision, a merge, but its first entity, which keeps the rest) and
every decision made after it found its entities by their keys; a redo that
makes a decision the last again applies it as a new one.

It declines (and the caller re-links) wherever the shortcut could differ
from a re-link: the last link was not one that counted the groups' keys
(:data:`graphkit.relink.DECISION_STATE`: a store never curated, or with no
decision in force) or it was under other rules; the store has articles not
linked yet; the key is one several groups go by, so the decision's key
could mean another group; another entity goes by the same name (the lists
of possible meanings hold names, not keys); a new name that storing would
change; for a merge or an undo, an unmerge in force (the groups it made
follow the decisions' history) or a rename to a name storing changes; for
an undo, a decision in force that found its entity by name.
``tests/test_in_place.py`` holds the result to a re-link from nothing after
every step of random sequences of decisions, undos and redos.
"""

from __future__ import annotations

from graphkit.in_place.merge import merge
from graphkit.in_place.one_entity import drop, named_alike, rename, retype
from graphkit.in_place.restore import restore, split
from graphkit.in_place.state import (
    clashing,
    decision_state,
    forget,
    keep_state,
    unmerges_or_unprintable_renames,
)
from graphkit.resolve import Override
from graphkit.resolve.overrides import overrides_from_rows
from graphkit.store import Store, printable

__all__ = ["IN_PLACE", "apply_in_place", "undo_in_place"]

IN_PLACE = frozenset({"rename", "retype", "drop", "merge"})


def apply_in_place(store: Store, decision: Override) -> list[int] | None:
    """Apply ``decision`` (stored after every other) to the rows it touches.

    Written in the caller's transaction; returns the ids of the decisions
    that apply to nothing, as the last link found them (this one applies
    after them and changes none of them), or ``None``, having written
    nothing, when only a re-link gives the right result.
    """
    state = decision_state(store)
    keys = decision.keys
    if decision.action not in IN_PLACE or state is None or not keys or None in keys:
        return None
    if clashing(state, keys):
        return None
    if decision.action == "merge":
        if not merge(store, state, decision):
            return None
        keep_state(store, state)
        return state["unapplied"]
    key = keys[0]
    row = store.query("SELECT name, type, aliases FROM entities WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    name, type_, aliases = row
    if decision.action != "retype" and named_alike(store, key, name):
        return None
    if decision.action == "rename":
        if printable(decision.names[1]) != decision.names[1]:
            return None
        rename(store, key, name, aliases, decision.names[1])
    elif decision.action == "retype":
        retype(store, key, type_, decision.names[1], state["window"])
        state["typed"][key] = decision.names[1]
    else:
        drop(store, key, name, state["window"])
        forget(state, [key])
    keep_state(store, state)
    return state["unapplied"]


def undo_in_place(store: Store, decision_id: int, *, redo: bool) -> list[int] | None:
    """Apply the undo (or redo) of decision ``decision_id``, just switched in the caller's
    transaction, to the rows it touches; as :func:`apply_in_place` returns.

    A redo of the decision that is then the last in force is applied as a
    new one. An undo of a decision that applied to nothing changes no row.
    An undo of a decision in force gives back the entities it named as the
    rules made them (:func:`restore`), when no other decision in force names
    them, none found its entities by name (so no other decision is about
    them) and each made after it applied to entities found by their keys (so
    none starts to apply once this one is undone): the decisions made after
    it are about other entities and stay as they are. Of the last decision,
    a merge, also when the others name its first entity alone, and name it,
    which then keeps the rest (:func:`split`). Else ``None``, having written
    nothing.
    """
    state = decision_state(store)
    if state is None:
        return None
    in_force = overrides_from_rows(store.overrides())
    if redo:
        last = in_force[-1] if in_force else None
        return apply_in_place(store, last) if last and last.id == decision_id else None
    if decision_id in state["unapplied"]:  # it changed nothing, wherever it stands
        state["unapplied"].remove(decision_id)
        keep_state(store, state)
        return state["unapplied"]
    later = [other for other in in_force if other.id > decision_id]
    if not all(_found_by_key(other, state) for other in later):
        return None
    (decision,) = [
        o for o in overrides_from_rows(store.overrides(active_only=False)) if o.id == decision_id
    ]
    keys = decision.keys
    if decision.action not in IN_PLACE or not keys or None in keys or len(set(keys)) < len(keys):
        return None
    if decision_id in state["by_name"] or clashing(state, keys):
        return None
    if unmerges_or_unprintable_renames(in_force):
        return None
    if any(other.id in state["by_name"] for other in in_force):
        return None
    about = [other for other in in_force if set(other.keys) & set(keys)]
    if not about:
        done = restore(store, state, set(keys))
    elif decision.action == "merge" and not later and _first_named_alone(about, keys):
        done = split(store, state, decision)
    else:
        return None
    if not done:
        return None
    keep_state(store, state)
    return state["unapplied"]


def _found_by_key(decision: Override, state: dict) -> bool:
    """Whether ``decision`` (in force after the one undone) found its entities by the keys
    it was recorded with and applied to them: undoing an earlier one about other
    entities then leaves it as it is. One that applied to nothing might apply once
    the earlier one no longer does, so it leaves the undo to a re-link."""
    keys = decision.keys
    return bool(keys) and None not in keys and decision.id not in state["unapplied"]


def _first_named_alone(others: list[Override], keys: tuple[str, ...]) -> bool:
    """Whether ``others`` (the decisions in force that name one of a merge's ``keys``)
    name its first entity alone, first (never to merge it into another), and one of
    them names it (a rename, or a merge into it): it then keeps the name it is stored
    with when the merge is undone."""
    first = keys[0]
    if any(set(o.keys) & set(keys) != {first} or o.keys[0] != first for o in others):
        return False
    return any(o.action in ("rename", "merge") for o in others)
