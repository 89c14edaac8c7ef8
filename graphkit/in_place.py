"""User decisions applied in place: a rename, retype or drop rewrites only what it touches.

Any decision can be applied by re-linking the store (:func:`graphkit.relink.link`),
which replays every decision over all of the rules' groups; that costs what the
corpus holds (about 6 s at 20,000 articles, 35 s at 100,000). A rename,
retype or drop changes one entity and nothing the rules read, and it applies
after every decision in force, so what it changes in the stored rows is
known: the entity's row, explanations and name index; the lists of entities
that name it as another possible meaning; and, where it changes which of its
mentions are read as sources or whether they count at all, their
attributions and the ties of their articles. :func:`apply_in_place` writes
those rows alone.

It declines (and the caller re-links) wherever the shortcut could differ
from a re-link: the last link was not one that counted the groups' keys
(:data:`graphkit.relink.DECISION_STATE`: a store never curated, or with no
decision in force) or it was under other rules; the store has articles not
linked yet; the key is one several groups go by, so the decision's key
could mean another group; another entity goes by the same name (the lists
of possible meanings hold names, not keys); a new name that storing would
change. ``tests/test_in_place.py`` holds the result to a re-link from
nothing after every step of random decision sequences.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from graphkit.models import Mention
from graphkit.relink import DECISION_STATE, TIE_RULES, cooccurrences, mention_contexts
from graphkit.resolve import Override, kept
from graphkit.resolve.attribution import ATTRIBUTION_TYPES, attribution
from graphkit.resolve.attribution import rules as attribution_rules
from graphkit.resolve.evidence import EVIDENCE_RULE
from graphkit.store import Store, printable

IN_PLACE = frozenset({"rename", "retype", "drop"})


def apply_in_place(store: Store, decision: Override) -> list[int] | None:
    """Apply ``decision`` (stored after every other) to the rows it touches.

    Written in the caller's transaction; returns the ids of the decisions
    that apply to nothing, as the last link found them (this one applies
    after them and changes none of them), or ``None``, having written
    nothing, when only a re-link gives the right result.
    """
    state = _decision_state(store)
    key = decision.keys[0] if decision.keys else None
    if decision.action not in IN_PLACE or state is None or not key:
        return None
    if "~" in key or key in state["clashes"]:
        return None
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
    else:
        _drop(store, key, name, state["window"])
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
