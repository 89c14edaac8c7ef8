"""Everything a store holds, as comparable data: for tests of builds that must agree."""

from __future__ import annotations

import json
import sqlite3

from graphkit.relink import link
from graphkit.store import open_store

# Tables whose rows are the store's content; mention ids included, since they
# follow input order and a build must not depend on how the work was spread.
TABLES = (
    "articles",
    "extraction_settings",
    "sentences",
    "mentions",
    "abbreviations",
    "entities",
    "entity_explanations",
    "cooccurrences",
    "dropped_mentions",
    "overrides",
)


def store_content(db) -> dict[str, list[tuple]]:
    """Table → its sorted rows, plus the ``meta`` rows that describe the content."""
    connection = sqlite3.connect(db)
    try:
        content = {
            table: sorted(connection.execute(f"SELECT * FROM {table}"), key=repr)
            for table in TABLES
        }
        content["meta"] = sorted(
            connection.execute("SELECT key, value FROM meta WHERE key IN ('settings', 'resolved')")
        )
    finally:
        connection.close()
    return content


def resolved_content(db) -> dict[str, list[tuple]]:
    """:func:`store_content` without mention ids, and the decisions' undo flags apart.

    Mention ids follow the order mentions were written, which differs
    between a store built in two steps and one built at once; everything
    the ids point at (article, span, text, label, entity, attribution,
    recall flag) is compared.
    """
    content = store_content(db)
    content["mentions"] = sorted((row[1:] for row in content["mentions"]), key=repr)
    content.pop("overrides")
    return content


def relinked_from_nothing(db, copy, *, window=None):
    """``db``'s content when every link is computed afresh: nothing kept from earlier links.

    What the link saves is checked against its resolution too, so a save that
    writes nothing, even from nothing, is not taken for the answer.
    """
    copy.write_bytes(db.read_bytes())
    with open_store(copy) as store:
        with store.connection:
            store.connection.execute("UPDATE mentions SET entity = NULL, attribution = NULL")
            store.connection.execute("UPDATE articles SET duplicate_of = NULL")
            store.connection.execute("DELETE FROM meta WHERE key IN ('near_duplicates', 'linked')")
            store.connection.execute("DELETE FROM meta WHERE key LIKE 'kept:%'")
            for table in (
                "entities",
                "entity_explanations",
                "cooccurrences",
                "entity_search",
                "dropped_mentions",
            ):
                store.connection.execute(f"DELETE FROM {table}")
        resolution = link(store, window=window)
        explanations = store.query("SELECT * FROM entity_explanations").fetchall()
        assert sorted(explanations) == sorted(
            (key, x.surface, x.rule, x.target, x.count)
            for key, items in resolution.explanations.items()
            for x in items
        )
        assert store.dropped() == dict(resolution.dropped)
        assert store.query("SELECT COUNT(*) FROM entities").fetchone()[0] == len(
            resolution.entities
        )
    return linked_content(copy)


def linked_content(db):
    """:func:`resolved_content` with all else a re-link writes: the name index (checked
    against the entities), the publishers found and what the links were worked out under."""
    content = resolved_content(db)
    connection = sqlite3.connect(db)
    try:
        content["entity_search"] = sorted(connection.execute("SELECT * FROM entity_search"))
        content["linked"] = sorted(
            connection.execute("SELECT key, value FROM meta WHERE key IN ('linked', 'publishers')")
        )
    finally:
        connection.close()
    assert content["entity_search"] == sorted(
        (key, "\n".join(t.casefold() for t in [name, *(a for a, _ in json.loads(aliases))]))
        for key, name, _, aliases, *_ in content["entities"]
    )
    return content
