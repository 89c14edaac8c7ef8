"""A rename, retype or drop in place: the rows of the entity it names, and those naming it."""

from __future__ import annotations

import json
from collections.abc import Callable

from graphkit.in_place.ties import retie
from graphkit.relink import mention_contexts
from graphkit.resolve.attribution import ATTRIBUTION_TYPES, attribution
from graphkit.resolve.evidence import EVIDENCE_RULE
from graphkit.store import Store


def named_alike(store: Store, key: str, name: str) -> bool:
    """Whether another entity is called ``name`` too."""
    rows = store.query(
        "SELECT key, name FROM entities WHERE name = ? COLLATE NOCASE AND key <> ?", (name, key)
    )
    return any(other == name for _, other in rows)


def rename(store: Store, key: str, old: str, aliases: str, new: str) -> None:
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


def retype(store: Store, key: str, old: str, new: str, window: str) -> None:
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
    retie(store, {article for _, article in changed}, window)
    store.find_publishers()


def drop(store: Store, key: str, name: str, window: str) -> None:
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
    retie(store, counts, window)
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
