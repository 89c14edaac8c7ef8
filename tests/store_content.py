"""Everything a store holds, as comparable data: for tests of builds that must agree."""

from __future__ import annotations

import sqlite3

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
