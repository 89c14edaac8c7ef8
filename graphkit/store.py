"""The corpus store: one SQLite file holding a user's articles, mentions and entities.

Why SQLite: transactional (an interrupted build loses nothing), incremental
(stored content hashes and extraction settings tell what is new), queryable
without loading everything, and a plain file any SQLite tool can open.

Every article is written together with its sentences and mentions in one
transaction, so a build stopped at any point leaves whole articles only; the
``resolved`` flag in ``meta`` says whether the entity tables are up to date
with the mentions, and the next build finishes the job when they are not.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graphkit.errors import StoreError
from graphkit.models import Abbreviation, Article, Mention, Sentence

SCHEMA_VERSION = 1
DEFAULT_DB = "graphkit.db"
APP_ID = "graphkit"

# Spans the model gave labels that are not wanted types (PRODUCT, WORK_OF_ART,
# GPE …): evidence the resolver weighs when it settles an entity's type.
_EVIDENCE_TABLE = """
CREATE TABLE IF NOT EXISTS label_evidence (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    label TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS label_evidence_article ON label_evidence (article_id);
"""

_SCHEMA = (
    """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT,
    url TEXT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    extraction TEXT NOT NULL
);
CREATE INDEX articles_hash ON articles (content_hash, extraction);
CREATE INDEX articles_date ON articles (date);
CREATE TABLE extraction_settings (key TEXT PRIMARY KEY, settings TEXT NOT NULL);
CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    label TEXT NOT NULL,
    entity TEXT,
    recalled INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX mentions_entity ON mentions (entity);
CREATE TABLE abbreviations (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    short TEXT NOT NULL,
    long TEXT NOT NULL
);
CREATE INDEX abbreviations_article ON abbreviations (article_id);
"""
    + _EVIDENCE_TABLE
    + """
CREATE TABLE entities (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    aliases TEXT NOT NULL,
    type_counts TEXT NOT NULL,
    rules TEXT NOT NULL,
    ambiguous TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE entity_explanations (
    entity TEXT NOT NULL,
    surface TEXT NOT NULL,
    rule TEXT NOT NULL,
    target TEXT NOT NULL,
    count INTEGER NOT NULL
);
CREATE INDEX entity_explanations_entity ON entity_explanations (entity);
CREATE TABLE cooccurrences (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    article_id TEXT NOT NULL,
    sentence_a INTEGER NOT NULL,
    sentence_b INTEGER NOT NULL
);
CREATE INDEX cooccurrences_pair ON cooccurrences (a, b);
CREATE TABLE dropped_mentions (reason TEXT PRIMARY KEY, count INTEGER NOT NULL);
CREATE TABLE overrides (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    args TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    active INTEGER NOT NULL DEFAULT 1
);
"""
)


def default_db_path() -> Path:
    """``$GRAPHKIT_DB`` if set, else ``graphkit.db`` in the current directory."""
    return Path(os.environ.get("GRAPHKIT_DB") or DEFAULT_DB)


@dataclass(frozen=True)
class StoredArticle:
    """What the store remembers of an article to decide whether to extract it again."""

    content_hash: str
    extraction: str
    metadata: tuple  # (title, date, url, source)


class Store:
    """An open graphkit store. Use :func:`open_store` to get one."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self.db = connection

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- meta ------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def settings(self) -> dict:
        """The settings of the last build (model, types, window)."""
        return json.loads(self.get_meta("settings", "{}"))

    # -- articles --------------------------------------------------------
    def stored_article(self, article_id: str) -> StoredArticle | None:
        row = self.db.execute(
            "SELECT content_hash, extraction, title, date, url, source FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return StoredArticle(row[0], row[1], tuple(row[2:])) if row else None

    def has_content(self, content_hash: str, extraction: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM articles WHERE content_hash = ? AND extraction = ? LIMIT 1",
            (content_hash, extraction),
        ).fetchone()
        return row is not None

    def update_metadata(self, article: Article) -> None:
        """Refresh title, date, url and source of an article whose text is unchanged."""
        self.db.execute(
            "UPDATE articles SET title = ?, date = ?, url = ?, source = ? WHERE id = ?",
            (article.title, article.date, article.url, article.source, article.id),
        )

    def save_extractions(
        self,
        batch: Iterable[tuple[Article, str, list[Sentence], list[Mention], list[Abbreviation]]],
        *,
        extraction: str,
        settings: dict,
    ) -> int:
        """Write articles with everything extracted from them, all in one transaction.

        An article already stored under the same id is replaced whole.
        Returns the number of mentions written.
        """
        written = 0
        with self.db:
            self.db.execute(
                "INSERT OR IGNORE INTO extraction_settings (key, settings) VALUES (?, ?)",
                (extraction, json.dumps(settings, sort_keys=True)),
            )
            for article, content_hash, sentences, mentions, abbreviations, *evidence in batch:
                self.db.execute("DELETE FROM articles WHERE id = ?", (article.id,))
                self.db.execute(
                    "INSERT INTO articles (id, source, title, date, url, text, content_hash,"
                    " extraction) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id,
                        article.source,
                        article.title,
                        article.date,
                        article.url,
                        article.text,
                        content_hash,
                        extraction,
                    ),
                )
                self.db.executemany(
                    "INSERT INTO sentences (article_id, idx, start, end, paragraph)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(s.article_id, s.index, s.start, s.end, s.paragraph) for s in sentences],
                )
                self.db.executemany(
                    "INSERT INTO mentions (article_id, sentence, start, end, text, label)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [(m.article_id, m.sentence, m.start, m.end, m.text, m.label) for m in mentions],
                )
                self.db.executemany(
                    "INSERT INTO abbreviations (article_id, short, long) VALUES (?, ?, ?)",
                    [(a.article_id, a.short, a.long) for a in abbreviations],
                )
                self.db.executemany(
                    "INSERT INTO label_evidence (article_id, text, label) VALUES (?, ?, ?)",
                    [(m.article_id, m.text, m.label) for m in (evidence[0] if evidence else ())],
                )
                written += len(mentions)
            self.set_meta("resolved", "0")
        return written

    # -- mentions and resolution ----------------------------------------
    def mentions(self, *, recalled: bool = True) -> tuple[list[int], list[Mention]]:
        """Every stored mention with its row id, in article and position order.

        ``recalled=False`` leaves out the mentions the recall pass added.
        """
        ids, mentions = [], []
        where = "" if recalled else " WHERE recalled = 0"
        rows = self.db.execute(
            "SELECT id, article_id, sentence, start, end, text, label FROM mentions"
            f"{where} ORDER BY article_id, start, id"
        )
        for row in rows:
            ids.append(row[0])
            mentions.append(Mention(*row[1:]))
        return ids, mentions

    def recalled_flags(self) -> list[bool]:
        """Whether each mention of :meth:`mentions` (same order) came from the recall pass."""
        rows = self.db.execute("SELECT recalled FROM mentions ORDER BY article_id, start, id")
        return [bool(r[0]) for r in rows]

    def abbreviations(self) -> list[Abbreviation]:
        rows = self.db.execute("SELECT article_id, short, long FROM abbreviations")
        return [Abbreviation(*row) for row in rows]

    def article_texts(self) -> Iterator[str]:
        """The text of every stored article, streamed."""
        for (text,) in self.db.execute("SELECT text FROM articles"):
            yield text

    def articles_with_sentences(self) -> Iterator[tuple[str, str, list[int]]]:
        """``(article id, text, sentence starts)`` of every stored article, streamed."""
        starts: dict[str, list[int]] = {}
        for article_id, start in self.db.execute(
            "SELECT article_id, start FROM sentences ORDER BY article_id, idx"
        ):
            starts.setdefault(article_id, []).append(start)
        for article_id, text in self.db.execute("SELECT id, text FROM articles"):
            yield article_id, text, starts.get(article_id, [0])

    def replace_recalled(self, mentions: Iterable[Mention]) -> int:
        """Replace the recall pass's mentions with ``mentions``; returns how many."""
        with self.db:
            self.db.execute("DELETE FROM mentions WHERE recalled = 1")
            rows = [(m.article_id, m.sentence, m.start, m.end, m.text, m.label) for m in mentions]
            self.db.executemany(
                "INSERT INTO mentions (article_id, sentence, start, end, text, label, recalled)"
                " VALUES (?, ?, ?, ?, ?, ?, 1)",
                rows,
            )
            self.set_meta("recalled", str(len(rows)))
            self.set_meta("resolved", "0")
        return len(rows)

    def label_evidence(self) -> list[tuple[str, str, str]]:
        """``(article_id, text, label)`` of spans with labels that are not wanted types."""
        return self.db.execute("SELECT article_id, text, label FROM label_evidence").fetchall()

    def sentence_paragraphs(self) -> dict[tuple[str, int], int]:
        rows = self.db.execute("SELECT article_id, idx, paragraph FROM sentences")
        return {(a, i): p for a, i, p in rows}

    def needs_resolution(self) -> bool:
        return self.get_meta("resolved", "1") != "1"

    def save_resolution(self, mention_ids: list[int], resolution, cooccurrences) -> None:
        """Replace the entity tables with a fresh resolution, atomically.

        ``resolution`` is a :class:`graphkit.resolve.Resolution` whose ``keys``
        align with ``mention_ids``.
        """
        with self.db:
            self.db.executemany(
                "UPDATE mentions SET entity = ? WHERE id = ?",
                zip(resolution.keys, mention_ids, strict=True),
            )
            self.db.execute("DELETE FROM entities")
            self.db.executemany(
                "INSERT INTO entities (key, name, type, aliases, type_counts, rules, ambiguous)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        e.key,
                        e.name,
                        e.type,
                        json.dumps(e.aliases, ensure_ascii=False),
                        json.dumps(e.type_counts),
                        json.dumps(e.rules),
                        json.dumps(resolution.ambiguous.get(e.key, []), ensure_ascii=False),
                    )
                    for e in resolution.entities.values()
                ],
            )
            self.db.execute("DELETE FROM entity_explanations")
            self.db.executemany(
                "INSERT INTO entity_explanations (entity, surface, rule, target, count)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (key, x.surface, x.rule, x.target, x.count)
                    for key, items in resolution.explanations.items()
                    for x in items
                ],
            )
            self.db.execute("DELETE FROM dropped_mentions")
            self.db.executemany(
                "INSERT INTO dropped_mentions (reason, count) VALUES (?, ?)",
                resolution.dropped.items(),
            )
            self.db.execute("DELETE FROM cooccurrences")
            self.db.executemany(
                "INSERT INTO cooccurrences (a, b, article_id, sentence_a, sentence_b)"
                " VALUES (?, ?, ?, ?, ?)",
                cooccurrences,
            )
            self.set_meta("resolved", "1")

    # -- overrides -------------------------------------------------------
    def add_override(self, action: str, args: list[str]) -> int:
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO overrides (action, args) VALUES (?, ?)", (action, json.dumps(args))
            )
            self.set_meta("resolved", "0")
        return cursor.lastrowid

    def overrides(self, *, active_only: bool = True) -> list[tuple[int, str, list[str]]]:
        query = "SELECT id, action, args FROM overrides"
        if active_only:
            query += " WHERE active = 1"
        return [(i, a, json.loads(args)) for i, a, args in self.db.execute(query + " ORDER BY id")]

    def set_override_active(self, override_id: int, active: bool) -> bool:
        with self.db:
            cursor = self.db.execute(
                "UPDATE overrides SET active = ? WHERE id = ?", (int(active), override_id)
            )
            self.set_meta("resolved", "0")
        return cursor.rowcount > 0

    # -- queries for the graph and reports ------------------------------
    def query(self, sql: str, params: Iterable = ()) -> Iterator[tuple]:
        """Run a read-only query (for the graph builder and reports)."""
        return self.db.execute(sql, tuple(params))

    def counts(self) -> dict[str, int]:
        tables = ("articles", "sentences", "mentions", "entities")
        counts = {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
        counts["edges"] = self.db.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT a, b FROM cooccurrences)"
        ).fetchone()[0]
        counts["cooccurrences"] = self.db.execute("SELECT COUNT(*) FROM cooccurrences").fetchone()[
            0
        ]
        return counts

    def dropped(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT reason, count FROM dropped_mentions ORDER BY reason"))


def open_store(path: str | Path | None = None, *, create: bool = False) -> Store:
    """Open the store at ``path`` (default: :func:`default_db_path`).

    Parameters
    ----------
    create : bool
        Create the file and schema when it does not exist. Never touches an
        existing file that is not a graphkit store.

    Raises
    ------
    StoreError
        The file does not exist (and ``create`` is false), is not a graphkit
        store, or was written by a newer graphkit.
    """
    path = Path(path) if path is not None else default_db_path()
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a graphkit store; pass a file path to --db")
    if not path.exists():
        if not create:
            raise StoreError(
                f"{path}: no graphkit store here; run 'graphkit build SOURCES' first or pass --db"
            )
        return _create(path)
    try:
        connection = sqlite3.connect(path)
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as err:
        raise StoreError(f"{path}: not a graphkit store (not an SQLite database)") from err
    if "meta" not in tables:
        connection.close()
        raise StoreError(f"{path}: not a graphkit store; choose another file with --db")
    store = Store(path, connection)
    if store.get_meta("app") != APP_ID:
        connection.close()
        raise StoreError(f"{path}: not a graphkit store; choose another file with --db")
    version = int(store.get_meta("schema_version", "0"))
    if version > SCHEMA_VERSION:
        connection.close()
        raise StoreError(
            f"{path}: written by a newer graphkit (schema {version}); upgrade graphkit to read it"
        )
    connection.execute("PRAGMA foreign_keys = ON")
    if "label_evidence" not in tables:
        connection.executescript(_EVIDENCE_TABLE)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(mentions)")}
    if "recalled" not in columns:
        with connection:
            connection.execute(
                "ALTER TABLE mentions ADD COLUMN recalled INTEGER NOT NULL DEFAULT 0"
            )
    return store


def _create(path: Path) -> Store:
    if path.parent and not path.parent.exists():
        raise StoreError(f"{path}: the folder {path.parent} does not exist")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    with connection:
        connection.executescript(_SCHEMA)
        connection.execute("INSERT INTO meta VALUES ('app', ?)", (APP_ID,))
        connection.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return Store(path, connection)


def store_info(path: str | Path | None = None) -> dict:
    """A summary of a store: counts, date range, the settings used and dropped mentions."""
    with open_store(path) as store:
        counts = store.counts()
        settings = store.settings
        first, last, undated = store.query(
            "SELECT MIN(date), MAX(date), SUM(date IS NULL) FROM articles"
        ).fetchone()
        return {
            "store": str(store.path),
            "schema_version": int(store.get_meta("schema_version", "0")),
            "articles": counts["articles"],
            "first_date": first,
            "last_date": last,
            "undated_articles": undated or 0,
            "sentences": counts["sentences"],
            "mentions": counts["mentions"],
            "recalled_mentions": int(store.get_meta("recalled", "0")),
            "entities": counts["entities"],
            "edges": counts["edges"],
            "cooccurrences": counts["cooccurrences"],
            "model": settings.get("model"),
            "model_version": settings.get("model_version"),
            "types": settings.get("types"),
            "window": settings.get("window"),
            "dropped_mentions": store.dropped(),
            "overrides": len(store.overrides()),
        }
