"""User decisions applied in place: a rename, retype, drop or merge rewrites only what it touches.

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
explanations come from the rules' kept groups of those entities alone
(:func:`graphkit.resolve.kept.part`, :func:`graphkit.resolve.resolver.merged_group`),
the rest as above, and the other entities' rows go.

It declines (and the caller re-links) wherever the shortcut could differ
from a re-link: the last link was not one that counted the groups' keys
(:data:`graphkit.relink.DECISION_STATE`: a store never curated, or with no
decision in force) or it was under other rules; the store has articles not
linked yet; the key is one several groups go by, so the decision's key
could mean another group; another entity goes by the same name (the lists
of possible meanings hold names, not keys); a new name that storing would
change; for a merge, an unmerge in force (the groups it made follow the
decisions' history). ``tests/test_in_place.py`` holds the result to a
re-link from nothing after every step of random decision sequences.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from graphkit.models import Mention
from graphkit.relink import (
    DECISION_STATE,
    KEPT_RULE_GROUPS,
    TIE_RULES,
    cooccurrences,
    mention_contexts,
    paused_gc,
)
from graphkit.resolve import Override, kept
from graphkit.resolve.attribution import ATTRIBUTION_TYPES, attribution
from graphkit.resolve.attribution import rules as attribution_rules
from graphkit.resolve.evidence import EVIDENCE_RULE
from graphkit.resolve.overrides import MERGED, overrides_from_rows
from graphkit.resolve.resolver import RuleGroups, automatic_drop, merged_group
from graphkit.store import Store, entity_row, printable

IN_PLACE = frozenset({"rename", "retype", "drop", "merge"})


def apply_in_place(store: Store, decision: Override) -> list[int] | None:
    """Apply ``decision`` (stored after every other) to the rows it touches.

    Written in the caller's transaction; returns the ids of the decisions
    that apply to nothing, as the last link found them (this one applies
    after them and changes none of them), or ``None``, having written
    nothing, when only a re-link gives the right result.
    """
    state = _decision_state(store)
    keys = decision.keys
    if decision.action not in IN_PLACE or state is None or not keys or None in keys:
        return None
    if any("~" in key or key in state["clashes"] for key in keys):
        return None
    if decision.action == "merge":
        if not _merge(store, state, decision):
            return None
        _keep_state(store, state)
        return state["unapplied"]
    key = keys[0]
    row = store.query("SELECT name, type, aliases FROM entities WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    name, type_, aliases = row
    if decision.action != "retype" and _named_alike(store, key, name):
        return None
    if decision.action == "rename":
        if printable(decision.names[1]) != decision.names[1]:
            return None
        _rename(store, key, name, aliases, decision.names[1])
    elif decision.action == "retype":
        _retype(store, key, type_, decision.names[1], state["window"])
        if "typed" in state:
            state["typed"][key] = decision.names[1]
    else:
        _drop(store, key, name, state["window"])
        _forget(state, [key])
    _keep_state(store, state)
    return state["unapplied"]


def _decision_state(store: Store) -> dict | None:
    """What the last link kept for decisions in place, with its window; ``None`` when the
    stored rows may not be what a link of the decisions in force gives."""
    if store.needs_resolution() or store.link_pending():
        return None
    state = json.loads(store.get_meta(DECISION_STATE) or "null")
    linked = store.link_state()
    if not isinstance(state, dict) or linked is None or state.get("rules") != kept.rules_version():
        return None
    if (linked.get("ties"), linked.get("attribution")) != (TIE_RULES, attribution_rules()):
        return None
    return {**state, "clashes": set(state["clashes"]), "window": linked["window"]}


def _keep_state(store: Store, state: dict) -> None:
    """What the decision changed of :data:`~graphkit.relink.DECISION_STATE`, kept."""
    kept_state = {k: v for k, v in state.items() if k != "window"}
    kept_state["clashes"] = sorted(state["clashes"])
    store.set_meta(DECISION_STATE, json.dumps(kept_state, ensure_ascii=False))


def _forget(state: dict, keys: Iterable[str]) -> None:
    """Keys no group goes by any more, out of the state's lists."""
    for key in keys:
        state.get("typed", {}).pop(key, None)


def _named_alike(store: Store, key: str, name: str) -> bool:
    """Whether another entity is called ``name`` too."""
    rows = store.query(
        "SELECT key, name FROM entities WHERE name = ? COLLATE NOCASE AND key <> ?", (name, key)
    )
    return any(other == name for _, other in rows)


def _rename(store: Store, key: str, old: str, aliases: str, new: str) -> None:
    """The entity's name, its aliases (the new name heads those of its count) and the
    lists that name it."""
    forms = [(alias, count) for alias, count in json.loads(aliases) if count > 0]
    if new not in {alias for alias, _ in forms}:
        forms.append((new, 0))  # a name no article writes, as the resolver lists it
    forms.sort(key=lambda item: (-item[1], item[0] != new, item[0]))
    aliases = json.dumps([[alias, count] for alias, count in forms], ensure_ascii=False)
    store.connection.execute(
        "UPDATE entities SET name = ?, aliases = ? WHERE key = ?", (new, aliases, key)
    )
    _rewrite_explanations(store, key, lambda s, r, t: (new if _evidence(r) else s, r, t))
    _rename_in_lists(store, key, old, new)
    store.index_entity_names({key: (new, aliases)})
    if any(found["key"] == key for found in store.publishers()):
        store.find_publishers()


def _retype(store: Store, key: str, old: str, new: str, window: str) -> None:
    """The entity's type; its mentions' attributions and their articles' ties when the
    type decides whether it can be a source."""
    store.connection.execute("UPDATE entities SET type = ? WHERE key = ?", (new, key))
    _rewrite_explanations(store, key, lambda s, r, t: (s, r, new if _evidence(r) else t))
    if (old in ATTRIBUTION_TYPES) == (new in ATTRIBUTION_TYPES):
        return
    stored = store.query(
        "SELECT id, article_id, attribution FROM mentions WHERE entity = ?", (key,)
    ).fetchall()
    if new in ATTRIBUTION_TYPES:
        contexts = mention_contexts(store, [i for i, _, _ in stored])
        sources = {i: attribution(*contexts[i]) for i, _, _ in stored}
    else:
        sources = {i: None for i, _, _ in stored}
    changed = [(i, article) for i, article, source in stored if source != sources[i]]
    if not changed:
        return
    store.connection.executemany(
        "UPDATE mentions SET attribution = ? WHERE id = ?", [(sources[i], i) for i, _ in changed]
    )
    _retie(store, {article for _, article in changed}, window)
    store.find_publishers()


def _drop(store: Store, key: str, name: str, window: str) -> None:
    """The entity out of every table; its mentions counted as dropped, its articles re-tied."""
    counts = dict(
        store.query(
            "SELECT article_id, COUNT(*) FROM mentions WHERE entity = ? GROUP BY article_id", (key,)
        )
    )
    store.connection.execute(
        "UPDATE mentions SET entity = NULL, attribution = NULL WHERE entity = ?", (key,)
    )
    store.connection.execute("DELETE FROM entities WHERE key = ?", (key,))
    store.connection.execute("DELETE FROM entity_explanations WHERE entity = ?", (key,))
    store.index_entity_names({key: None})
    store.connection.execute(
        "INSERT INTO dropped_mentions (reason, count) VALUES ('dropped by user', ?)"
        " ON CONFLICT (reason) DO UPDATE SET count = count + excluded.count",
        (sum(counts.values()),),
    )
    _rename_in_lists(store, key, name, None)
    _retie(store, counts, window)
    store.find_publishers()


def _evidence(rule: str) -> bool:
    """Whether an explanation is the type the corpus evidence chose (it names the entity)."""
    return rule.startswith(f"{EVIDENCE_RULE}: ")


def _rewrite_explanations(
    store: Store, key: str, change: Callable[[str, str, str], tuple[str, str, str]]
) -> None:
    """The entity's explanations with ``change`` made to each, in the resolver's order."""
    rows = store.query(
        "SELECT surface, rule, target, count FROM entity_explanations WHERE entity = ?"
        " ORDER BY rowid",
        (key,),
    ).fetchall()
    fresh = sorted(((*change(s, r, t), n) for s, r, t, n in rows), key=lambda x: (-x[3], x[:3]))
    if fresh == rows:
        return
    store.connection.execute("DELETE FROM entity_explanations WHERE entity = ?", (key,))
    store.connection.executemany(
        "INSERT INTO entity_explanations (entity, surface, rule, target, count)"
        " VALUES (?, ?, ?, ?, ?)",
        [(key, *row) for row in fresh],
    )


def _rename_in_lists(store: Store, key: str, old: str, new: str | None) -> None:
    """``old`` (the entity's name) made ``new`` in the other entities' lists of possible
    meanings, or taken out of them (``new=None``)."""
    changed = []
    for other, text in store.query(
        "SELECT key, ambiguous FROM entities WHERE ambiguous <> '[]' AND key <> ?", (key,)
    ):
        names = json.loads(text)
        if old not in names:
            continue
        names.remove(old)
        names = sorted([*names, new]) if new is not None else names
        changed.append((json.dumps(names, ensure_ascii=False), other))
    store.connection.executemany("UPDATE entities SET ambiguous = ? WHERE key = ?", changed)


def _retie(store: Store, articles: Iterable[str], window: str) -> None:
    """The ties of ``articles`` worked out again from their stored links."""
    articles = sorted(articles)
    chosen = json.dumps(articles)
    rows = store.query(
        "SELECT article_id, sentence, start, end, text, label, entity, attribution FROM mentions"
        " WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, start, id",
        (chosen,),
    ).fetchall()
    copies = {
        article
        for (article,) in store.query(
            "SELECT id FROM articles WHERE duplicate_of IS NOT NULL"
            " AND id IN (SELECT value FROM json_each(?))",
            (chosen,),
        )
    }
    ties = cooccurrences(
        [Mention(*row[:6]) for row in rows],
        [row[6] for row in rows],
        window=window,
        paragraphs=store.sentence_paragraphs(articles) if window == "paragraph" else {},
        attributions=[row[7] for row in rows],
        duplicates=copies,
    )
    store.replace_ties(articles, ties)


def _merge(store: Store, state: dict, decision: Override) -> bool:
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
    if len(set(decision.keys)) != len(decision.keys) or "typed" not in state:
        return False
    if _unmerges_or_unprintable_renames(store):
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
    found = _kept_part(store, lambda body, key_of: _numbered(body, key_of, set(stored)))
    if found is None:
        return False
    rules, key_of = found.rules, found.key_of
    members = [node for node, key in key_of.items() if key in stored]
    kept_members = [n for n in members if key_of[n] == target]
    first = _root_keeping(rules, set(kept_members), target)
    name = stored[target][0]
    if first is None or _stored_otherwise(rules, kept_members, name):
        return False
    joins: Counter = Counter()
    for surface, rule, shown, count in store.query(
        "SELECT surface, rule, target, count FROM entity_explanations"
        " WHERE entity IN (SELECT value FROM json_each(?)) AND rule = ?",
        (json.dumps(decision.keys), MERGED),
    ):
        joins[(surface, rule, shown)] += count
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
    ambiguous = _ambiguity(store, rules, key_of, after, {})
    _write_merged(store, entity, explanations, others, ambiguous)
    types = {key: type_ for key, (_, type_) in stored.items()}
    _relink_merged(store, entity.type, types, target, state["window"])
    _forget(state, others)
    return True


MENTIONS = "SELECT id, entity FROM mentions ORDER BY article_id, start, id"  # the rules' order


@dataclass
class _Kept:
    """The rules' kept groups of a few entities, and where every node stands now."""

    rules: RuleGroups  # the part holding the nodes asked for (graphkit.resolve.kept.part)
    key_of: dict  # every node → the key of the entity its mentions are linked to (or None)
    ids: list[int]  # mention ids in the rules' order (a node's ``mentions`` index it)


def _kept_part(store: Store, choose: Callable[[dict, dict], set[int]]) -> _Kept | None:
    """The kept groups of the nodes ``choose(body, key_of)`` numbers; ``None`` when the
    kept groups cannot be read or are not of the stored mentions."""
    text = store.kept_text(KEPT_RULE_GROUPS)
    with paused_gc():
        body = kept.parse(text) if text is not None else None
        if body is None:
            return None
        ids, linked = [], []
        for mention_id, key in store.query(MENTIONS):
            ids.append(mention_id)
            linked.append(key)
        try:
            if body["count"] != len(linked):
                return None
            key_of = {node: linked[at] for node, at in kept.first_mentions(body)}
            rules = kept.part(body, choose(body, key_of))
        except (TypeError, KeyError, IndexError):
            return None
    return _Kept(rules, key_of, ids) if rules is not None else None


def _unmerges_or_unprintable_renames(store: Store) -> bool:
    """Whether a decision in force is an unmerge, or a rename to a name storing changes."""
    return any(
        decision.action == "unmerge"
        or (decision.action == "rename" and printable(decision.names[1]) != decision.names[1])
        for decision in overrides_from_rows(store.overrides())
    )


def _root_keeping(rules, members: set, key: str):
    """The rules' group whose key the entity of ``members`` keeps (its root node), or
    ``None`` when not exactly one of its groups goes by ``key``."""
    roots = [
        root
        for root, nodes in rules.groups.items()
        if root in members and rules.decisions.entity(nodes).key == key
    ]
    return roots[0] if len(roots) == 1 else None


def _stored_otherwise(rules, members: list, name: str) -> bool:
    """Whether the stored ``name`` may not be the one the entity of ``members`` is shown
    by: its automatic name, stored otherwise (a rename to it cannot be told from it)."""
    automatic = rules.decisions.entity(members).name
    return automatic != name and printable(automatic) == name


def _numbered(body: dict, key_of: dict, keys: set[str]) -> set[int]:
    """The positions of the nodes linked to the entities ``keys``."""
    return {i for i, (node, _) in enumerate(kept.first_mentions(body)) if key_of[node] in keys}


def _ambiguity(
    store: Store, rules, before: dict, after: dict, names: dict[str, str]
) -> dict[str, list[str]]:
    """The lists of possible meanings of the entities there are ``after`` a decision
    (node → entity key), for those whose list changes from ``before`` and those the
    decision made or changed (every key ``after`` holds that ``before`` did not hold
    for all the same nodes), worked out as the resolver does from the rules' short
    names. ``names``: the entities' names the decision gives (the rest are stored)."""
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
    made = {after[node] for node in after if after[node] != before[node]} - {None}
    return {
        key: new.get(key, [])
        for key in (old.keys() | new.keys() | made) & remaining
        if key in made or old.get(key) != new.get(key)
    }


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
        _retie(store, {row[3] for row in changed}, window)
    store.find_publishers()


def undo_in_place(store: Store, decision_id: int, *, redo: bool) -> list[int] | None:
    """Apply the undo (or redo) of decision ``decision_id``, just switched in the caller's
    transaction, to the rows it touches; as :func:`apply_in_place` returns.

    A redo of the decision that is then the last in force is applied as a
    new one. An undo of the last decision in force gives back the entities
    it named as the rules made them (:func:`_restore`), when no other
    decision in force names them and none found its entities by name (so no
    other decision is about them); else ``None``, having written nothing.
    """
    state = _decision_state(store)
    if state is None:
        return None
    in_force = overrides_from_rows(store.overrides())
    if redo:
        last = in_force[-1] if in_force else None
        return apply_in_place(store, last) if last and last.id == decision_id else None
    if in_force and in_force[-1].id > decision_id:
        return None
    if decision_id in state["unapplied"]:
        state["unapplied"].remove(decision_id)
        _keep_state(store, state)
        return state["unapplied"]
    (decision,) = [
        o for o in overrides_from_rows(store.overrides(active_only=False)) if o.id == decision_id
    ]
    keys = decision.keys
    if decision.action not in IN_PLACE or not keys or None in keys or len(set(keys)) < len(keys):
        return None
    if "by_name" not in state or decision_id in state["by_name"]:
        return None
    for other in in_force:
        if other.action == "unmerge" or other.id in state["by_name"] or set(other.keys) & set(keys):
            return None
    if any("~" in key or key in state["clashes"] for key in keys):
        return None
    if not _restore(store, state, set(keys)):
        return None
    _keep_state(store, state)
    return state["unapplied"]


def _restore(store: Store, state: dict, keys: set[str]) -> bool:
    """The entities ``keys`` made again as the rules made them, with no user decision;
    ``False`` (nothing written) unless each is one whole group of the rules' that
    makes an entity, and together they are exactly the nodes now linked to them."""
    found = _kept_part(store, lambda body, key_of: kept.nodes_keyed(body, keys))
    if found is None:
        return False
    rules, key_of = found.rules, found.key_of
    groups = {rules.decisions.entity(members).key: members for members in rules.groups.values()}
    if groups.keys() != keys or any(automatic_drop(rules, m) for m in groups.values()):
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
    ambiguous = _ambiguity(store, rules, key_of, after, names)
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
    _forget(state, keys)
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
        _retie(store, {row[3] for row in changed}, window)
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
