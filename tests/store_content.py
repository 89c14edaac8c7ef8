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
