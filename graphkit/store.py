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

import hashlib
import json
import math
import os
import re
import shutil
import sqlite3
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graphkit.errors import StoreError
from graphkit.models import Abbreviation, Article, Mention, Sentence
from graphkit.resolve import attribution
from graphkit.resolve.evidence import word_cases

DEFAULT_DB = "graphkit.db"
APP_ID = "graphkit"
# Seconds a command waits for another graphkit process holding the store's write
# lock before it stops with "the store is in use"; $GRAPHKIT_LOCK_TIMEOUT overrides.
LOCK_TIMEOUT = 60.0

# Schema migrations, in order: MIGRATIONS[i] upgrades a store of schema i + 1 to
# schema i + 2 (a description and a function of the open connection, run in one
# transaction). Branches that change the schema append one entry each, so their
# upgrades chain; SCHEMA_VERSION follows from the list.
Migration = tuple[str, Callable[[sqlite3.Connection], None]]
MIGRATIONS: list[Migration] = []  # filled below, after the schema it upgrades
# Stores up to this size are integrity-checked on every open (quick_check reads
# every page: ~80 ms for the 23 MB BBC store, benchmarks/robustness.py); bigger
# ones before writes and after an unclean shutdown only.
CHECK_ON_READ_BYTES = 64 * 2**20
# Tables every graphkit store has; one missing means the file is damaged.
REQUIRED_TABLES = ("meta", "articles", "sentences", "mentions", "entities", "overrides")

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

_SCHEMA = """
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
    entity TEXT
);
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX mentions_entity ON mentions (entity);
CREATE TABLE abbreviations (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    short TEXT NOT NULL,
    long TEXT NOT NULL
);
CREATE INDEX abbreviations_article ON abbreviations (article_id);
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


# Schema 2: article fields, near-duplicates, attributions, shared-out tie weights,
# drill-down indexes and the exclusion list.
_SCHEMA_2 = """
ALTER TABLE articles ADD COLUMN fields TEXT NOT NULL DEFAULT '{}';
ALTER TABLE articles ADD COLUMN duplicate_of TEXT;
ALTER TABLE articles ADD COLUMN signature BLOB;
ALTER TABLE mentions ADD COLUMN attribution TEXT;
ALTER TABLE cooccurrences ADD COLUMN weight REAL NOT NULL DEFAULT 1;
CREATE INDEX IF NOT EXISTS cooccurrences_b ON cooccurrences (b, a);
CREATE INDEX IF NOT EXISTS cooccurrences_article ON cooccurrences (article_id);
CREATE INDEX IF NOT EXISTS mentions_entity_article ON mentions (entity, article_id);
CREATE INDEX IF NOT EXISTS entities_name ON entities (name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS exclusions (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    active INTEGER NOT NULL DEFAULT 1
);
UPDATE meta SET value = '0' WHERE key = 'resolved';
"""


def _run_statements(script: str) -> Callable[[sqlite3.Connection], None]:
    """A migration running ``script``'s statements one by one, inside the caller's transaction."""

    def migrate(connection: sqlite3.Connection) -> None:
        for statement in script.split(";"):
            if statement.strip():
                connection.execute(statement)

    return migrate


MIGRATIONS.append(
    (
        "article fields, near-duplicates, attributions, tie weights, exclusions",
        _run_statements(_SCHEMA_2),
    )
)
# Schema 3: the model's other labels as type evidence, and mentions the recall pass found.
MIGRATIONS.append(
    (
        "type evidence and recalled mentions",
        _run_statements(
            _EVIDENCE_TABLE
            + "ALTER TABLE mentions ADD COLUMN recalled INTEGER NOT NULL DEFAULT 0;"
            + "UPDATE meta SET value = '0' WHERE key = 'resolved';"
        ),
    )
)


def _schema_4(connection: sqlite3.Connection) -> None:
    """Which articles the recall pass has not read yet (all of them, on upgrade), the
    hash of each article's text as read (known from its next reading), and how often
    the corpus writes each word in lower and in upper case (counted now).

    The entities stay as they are: the next build's recall pass reads every
    article once, as it did before.
    """
    _run_statements(
        "ALTER TABLE articles ADD COLUMN recall_pending INTEGER NOT NULL DEFAULT 1;"
        "ALTER TABLE articles ADD COLUMN read_hash TEXT;"
        "CREATE TABLE word_cases (word TEXT PRIMARY KEY, lower INTEGER NOT NULL,"
        " upper INTEGER NOT NULL) WITHOUT ROWID;"
    )(connection)
    _count_word_cases(
        connection, ((text, 1) for (text,) in connection.execute("SELECT text FROM articles"))
    )


def _count_word_cases(connection: sqlite3.Connection, texts: Iterable[tuple[str, int]]) -> None:
    """Add (``sign`` 1) or take away (-1) the words of each ``(text, sign)`` in ``word_cases``.

    A batch's texts are summed first: one row change per word, not per word and text.
    """
    totals: dict[str, list[int]] = {}
    for text, sign in texts:
        for (word, lowered), count in word_cases(text).items():
            totals.setdefault(word, [0, 0])[0 if lowered else 1] += sign * count
    connection.executemany(
        "INSERT INTO word_cases (word, lower, upper) VALUES (?, ?, ?) ON CONFLICT (word)"
        " DO UPDATE SET lower = lower + excluded.lower, upper = upper + excluded.upper",
        [(word, lower, upper) for word, (lower, upper) in totals.items()],
    )


MIGRATIONS.append(
    (
        "articles the recall pass has still to read, and the corpus's word counts",
        _schema_4,
    )
)
# Schema 5: indexes so that reading one entity, or what the store holds, costs what
# is read, not the corpus (benchmarks/queries.py, 2,000 to 100,000 articles):
# - covering indexes of the ties: a tie's rows (weight, article, sentences) come
#   from the index of either end, whether an article is an original (and its
#   date, which ranks evidence) from ``articles_original``, with no table row
#   read; the narrow tie indexes they extend go;
# - partial indexes of the few rows ``graphkit info`` counts: near-duplicates,
#   articles with extra fields, mentions that are attributions.
_SCHEMA_5 = """
CREATE INDEX IF NOT EXISTS cooccurrences_a_ties
    ON cooccurrences (a, b, article_id, sentence_a, sentence_b, weight);
CREATE INDEX IF NOT EXISTS cooccurrences_b_ties
    ON cooccurrences (b, a, article_id, sentence_a, sentence_b, weight);
DROP INDEX IF EXISTS cooccurrences_pair;
DROP INDEX IF EXISTS cooccurrences_b;
CREATE INDEX IF NOT EXISTS articles_original ON articles (id, duplicate_of, date);
CREATE INDEX IF NOT EXISTS articles_duplicates
    ON articles (id, duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_with_fields ON articles (fields) WHERE fields <> '{}';
CREATE INDEX IF NOT EXISTS mentions_attributed
    ON mentions (attribution) WHERE attribution IS NOT NULL;
"""
MIGRATIONS.append(("indexes for reading one entity and counting", _run_statements(_SCHEMA_5)))


def _schema_6(connection: sqlite3.Connection) -> None:
    """A substring index of entity names and aliases (``entities --search``), where the
    SQLite build has FTS5; without it, searches read every entity as before."""
    try:
        connection.execute(
            "CREATE VIRTUAL TABLE entity_search USING fts5(key UNINDEXED, names,"
            " tokenize = 'trigram')"
        )
    except sqlite3.OperationalError:
        return
    _index_entity_names(connection)


def _index_entity_names(connection: sqlite3.Connection) -> None:
    """Fill ``entity_search`` from the ``entities`` table: each entity's names and
    aliases, casefolded, a line each."""
    rows = connection.execute("SELECT key, name, aliases FROM entities").fetchall()
    connection.execute("DELETE FROM entity_search")
    connection.executemany(
        "INSERT INTO entity_search (key, names) VALUES (?, ?)",
        [(key, _searched_names(name, aliases)) for key, name, aliases in rows],
    )


# json.dumps(..., ensure_ascii=False) and json.dumps(...), without making an
# encoder per call: the same text, for every entity of the corpus.
_UNICODE, _ASCII = json.JSONEncoder(ensure_ascii=False).encode, json.JSONEncoder().encode


def entity_row(entity, ambiguous: list[str]) -> tuple[str, str, str, str, str, str]:
    """How the ``entities`` table holds an entity: name, type, aliases, type counts,
    rules and the names it may also be, as text."""
    return (
        printable(entity.name),
        entity.type,
        _UNICODE([[printable(a), n] for a, n in entity.aliases]),
        _ASCII(entity.type_counts),
        _ASCII(entity.rules),
        _UNICODE(ambiguous),
    )


def _index_rows(index) -> tuple[list, ...]:
    """A :class:`graphkit.resolve.kept.Index`'s rows, in the order of :data:`KEPT_INDEX`."""
    return (index.nodes, index.groups, index.ambiguous, index.candidates, index.other_labels)


def _names_of(row: tuple | None) -> tuple | None:
    """An entity row's name and aliases (what ``entity_search`` indexes), or ``None``."""
    return (row[0], row[2]) if row is not None else None


def _searched_names(name: str, aliases: str) -> str:
    """What ``entity_search`` holds of an entity: its name and aliases (stored JSON),
    casefolded, a line each."""
    return "\n".join(t.casefold() for t in [name, *(a for a, _ in json.loads(aliases))])


MIGRATIONS.append(("a substring index of entity names", _schema_6))
# Schema 7: which articles have mentions that changed since the last re-link (every
# article, on upgrade and when stored): a re-link rewrites the ties of those, and of
# the articles whose links changed, and keeps the others' (Store.save_resolution).
MIGRATIONS.append(
    (
        "articles whose ties are to be worked out again",
        _run_statements(
            "ALTER TABLE articles ADD COLUMN link_pending INTEGER NOT NULL DEFAULT 1;"
            "CREATE INDEX IF NOT EXISTS articles_link_pending ON articles (id)"
            " WHERE link_pending = 1;"
        ),
    )
)
# Schema 8: one index reads an entity's mentions (article, sentence, attribution)
# with no table row, so a page of them costs what it shows even when the store
# is not in memory; the two narrower indexes it replaces go.
MIGRATIONS.append(
    (
        "one covering index of the mentions by entity",
        _run_statements(
            "CREATE INDEX IF NOT EXISTS mentions_entity_reading"
            " ON mentions (entity, article_id, sentence, attribution);"
            "DROP INDEX IF EXISTS mentions_entity_article;"
            "DROP INDEX IF EXISTS mentions_entity;"
        ),
    )
)
# Schema 9: the rules' kept groups (graphkit.resolve.kept) indexed by node, group,
# automatic key and ambiguity, so a decision about a few entities reads their groups
# alone (graphkit.in_place); filled by the next link that keeps the groups.
MIGRATIONS.append(
    (
        "an index of the rules' kept groups",
        _run_statements(
            "CREATE TABLE IF NOT EXISTS kept_nodes (node INTEGER PRIMARY KEY,"
            " first_mention INTEGER NOT NULL, root INTEGER NOT NULL, row TEXT NOT NULL);"
            "CREATE INDEX IF NOT EXISTS kept_nodes_first_mention ON kept_nodes (first_mention);"
            "CREATE INDEX IF NOT EXISTS kept_nodes_root ON kept_nodes (root);"
            "CREATE TABLE IF NOT EXISTS kept_groups (root INTEGER PRIMARY KEY,"
            " automatic_key TEXT NOT NULL, row TEXT NOT NULL);"
            "CREATE INDEX IF NOT EXISTS kept_groups_key ON kept_groups (automatic_key);"
            "CREATE TABLE IF NOT EXISTS kept_ambiguous (position INTEGER PRIMARY KEY,"
            " node INTEGER NOT NULL, candidates TEXT NOT NULL);"
            "CREATE INDEX IF NOT EXISTS kept_ambiguous_node ON kept_ambiguous (node);"
            "CREATE TABLE IF NOT EXISTS kept_candidates (candidate INTEGER NOT NULL,"
            " position INTEGER NOT NULL);"
            "CREATE INDEX IF NOT EXISTS kept_candidates_candidate ON kept_candidates (candidate);"
            "CREATE TABLE IF NOT EXISTS kept_other_labels (key TEXT PRIMARY KEY,"
            " labels TEXT NOT NULL) WITHOUT ROWID;"
        ),
    )
)
KEPT_INDEX = ("kept_nodes", "kept_groups", "kept_ambiguous", "kept_candidates", "kept_other_labels")
SCHEMA_VERSION = 1 + len(MIGRATIONS)

# Control characters and bidirectional overrides: never part of a stored name.
_NOT_PRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(name: str) -> str:
    """``name`` without control characters, whitespace runs made one space (item 24)."""
    return " ".join(_NOT_PRINTABLE.sub(" ", name).split())


def default_db_path() -> Path:
    """``$GRAPHKIT_DB`` if set, else ``graphkit.db`` in the current directory."""
    return Path(os.environ.get("GRAPHKIT_DB") or DEFAULT_DB)


@dataclass(frozen=True)
class StoredArticle:
    """What the store remembers of an article to decide whether to extract it again."""

    content_hash: str
    extraction: str
    metadata: tuple  # (title, date, url, source, fields as JSON)
    read_hash: str | None = None  # pipeline.read_hash of the text before repair


class Store:
    """An open graphkit store. Use :func:`open_store` to get one."""

    def __init__(self, path: Path, connection: sqlite3.Connection):
        self.path = path
        self.connection = connection  # the sqlite3 connection (``db=`` elsewhere is a path)

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        self.close()
        if isinstance(error, sqlite3.Error | json.JSONDecodeError):
            raise store_error(error, self.path) from error

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the store's write lock from the first read to the commit.

        ``link`` reads every mention, resolves and saves; without the lock a
        build committing articles in between would have its mentions point at
        entities that the stale save never wrote (issue 11, item 1). Other
        writers wait (up to the lock timeout) instead.
        """
        if self.connection.in_transaction:
            # A write already opened this transaction (a decision being recorded with the
            # re-link, see curation): SQLite holds the write lock for it, and the caller
            # commits or rolls back the whole.
            yield
            return
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.rollback()
            raise
        if self.connection.in_transaction:
            self.connection.commit()

    # -- meta ------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value)
        )

    def kept_result(self, name: str, inputs: str) -> str | None:
        """The text kept as ``name`` (:meth:`keep_result`), if it was kept for ``inputs``."""
        if self.get_meta(f"kept:{name}:inputs") != inputs:
            return None
        return self.kept_text(name)

    def kept_text(self, name: str) -> str | None:
        """The text kept as ``name``, whatever inputs it was kept for (the caller knows
        they are the current ones); ``None`` when none is kept or it is damaged."""
        body = self.get_meta(f"kept:{name}")
        try:
            return zlib.decompress(body).decode("utf-8") if isinstance(body, bytes) else None
        except (zlib.error, UnicodeDecodeError):
            return None  # damaged: worked out again by the caller

    def keeps(self, name: str) -> bool:
        """Whether a result is kept as ``name`` (:meth:`keep_result`), for any inputs."""
        return self.get_meta(f"kept:{name}:inputs") is not None

    def forget_result(self, name: str) -> None:
        """Drop the result kept as ``name`` (it was kept for other inputs), and its index."""
        self.connection.execute(
            "DELETE FROM meta WHERE key IN (?, ?)", (f"kept:{name}", f"kept:{name}:inputs")
        )
        if self.kept_index_marker(name) is not None:
            self.forget_index(name)

    def keep_index(self, name: str, marker: str, index) -> None:
        """Index the result kept as ``name`` (a :class:`graphkit.resolve.kept.Index`), under
        ``marker`` (:meth:`kept_index_marker`); in the caller's transaction."""
        self.forget_index(name)
        for table, rows in zip(KEPT_INDEX, _index_rows(index), strict=True):
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                self.connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        self.set_meta(f"kept:{name}:wanted", json.dumps(index.wanted))
        self.set_meta(f"kept:{name}:index", marker)

    def kept_index_marker(self, name: str) -> str | None:
        """What the index of the result kept as ``name`` was made for, or ``None``."""
        return self.get_meta(f"kept:{name}:index")

    def kept_wanted(self, name: str) -> list[str]:
        """The types the build asked for, as the index of the result ``name`` holds them."""
        return json.loads(self.get_meta(f"kept:{name}:wanted") or "[]")

    def forget_index(self, name: str) -> None:
        """Empty the index of the result kept as ``name`` (:meth:`keep_index`)."""
        for table in KEPT_INDEX:
            self.connection.execute(f"DELETE FROM {table}")
        self.connection.execute(
            "DELETE FROM meta WHERE key IN (?, ?)", (f"kept:{name}:index", f"kept:{name}:wanted")
        )

    def keep_result(self, name: str, inputs: str, text: str) -> None:
        """Keep the derived result ``text`` as ``name``, valid while its inputs are ``inputs``.

        Compressed (a kept resolution of BBC is 8 MB of JSON, 1.6 MB
        compressed); written in the caller's transaction, so it is saved
        with the result it belongs to or not at all.
        """
        body = zlib.compress(text.encode("utf-8"), 1)
        self.connection.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (f"kept:{name}", body)
        )
        self.set_meta(f"kept:{name}:inputs", inputs)

    @property
    def settings(self) -> dict:
        """The settings of the last build (model, types, window)."""
        return json.loads(self.get_meta("settings", "{}"))

    # -- articles --------------------------------------------------------
    def stored_article(self, article_id: str) -> StoredArticle | None:
        row = self.connection.execute(
            "SELECT content_hash, extraction, read_hash, title, date, url, source, fields"
            " FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return StoredArticle(row[0], row[1], tuple(row[3:]), row[2]) if row else None

    def ids_extracted_otherwise(self, extraction: str) -> list[str]:
        """Ids of stored articles extracted with other settings than ``extraction``."""
        rows = self.connection.execute(
            "SELECT id FROM articles WHERE extraction != ? ORDER BY id", (extraction,)
        )
        return [row[0] for row in rows]

    def article(self, article_id: str) -> Article | None:
        """A stored article as read from its source (for re-extraction with new settings)."""
        row = self.connection.execute(
            "SELECT id, title, text, source, date, url FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return Article(*row) if row else None

    def has_content(self, content_hash: str, extraction: str) -> bool:
        row = self.connection.execute(
            "SELECT 1 FROM articles WHERE content_hash = ? AND extraction = ? LIMIT 1",
            (content_hash, extraction),
        ).fetchone()
        return row is not None

    def update_metadata(self, article: Article, *, read_hash: str | None = None) -> None:
        """Refresh title, date, url, source, fields (and the hash of the text as read)
        of an article whose text is unchanged."""
        self.connection.execute(
            "UPDATE articles SET title = ?, date = ?, url = ?, source = ?, fields = ?,"
            " read_hash = ? WHERE id = ?",
            (
                article.title,
                article.date,
                article.url,
                article.source,
                fields_json(article_fields(article)),
                read_hash,
                article.id,
            ),
        )

    def save_extractions(
        self,
        batch: Iterable[tuple[Article, str, list[Sentence], list[Mention], list[Abbreviation]]],
        *,
        extraction: str,
        settings: dict,
        read_hashes: dict[str, str] | None = None,
    ) -> int:
        """Write articles with everything extracted from them, all in one transaction.

        An article already stored under the same id is replaced whole. Each
        item may go on with the model's other labels (type evidence) and the
        article's near-duplicate signature, when the extraction worked it out
        (:func:`graphkit.pipeline.prepare_extraction`); else it is worked out
        when needed. ``read_hashes``: article id → the hash of its text as read,
        before repair (taken out of the mapping as the article is written).
        Returns the number of mentions written.
        """
        written = 0
        counted: list[tuple[str, int]] = []  # texts whose words come in (1) or go (-1)
        with self.connection:
            self.connection.execute(
                "INSERT OR IGNORE INTO extraction_settings (key, settings) VALUES (?, ?)",
                (extraction, json.dumps(settings, sort_keys=True)),
            )
            for article, content_hash, sentences, mentions, abbreviations, *more in batch:
                evidence = more[0] if more else ()
                signature = more[1] if len(more) > 1 else None
                replaced = self.connection.execute(
                    "SELECT text FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if replaced:
                    counted.append((replaced[0], -1))
                self.connection.execute("DELETE FROM articles WHERE id = ?", (article.id,))
                counted.append((article.text, 1))
                self.connection.execute(
                    "INSERT INTO articles (id, source, title, date, url, text, content_hash,"
                    " extraction, fields, read_hash, signature)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id,
                        article.source,
                        article.title,
                        article.date,
                        article.url,
                        article.text,
                        content_hash,
                        extraction,
                        fields_json(article_fields(article)),
                        (read_hashes or {}).pop(article.id, None),
                        signature,
                    ),
                )
                self.connection.executemany(
                    "INSERT INTO sentences (article_id, idx, start, end, paragraph)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(s.article_id, s.index, s.start, s.end, s.paragraph) for s in sentences],
                )
                self.connection.executemany(
                    "INSERT INTO mentions (article_id, sentence, start, end, text, label)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    [(m.article_id, m.sentence, m.start, m.end, m.text, m.label) for m in mentions],
                )
                self.connection.executemany(
                    "INSERT INTO abbreviations (article_id, short, long) VALUES (?, ?, ?)",
                    [(a.article_id, a.short, a.long) for a in abbreviations],
                )
                self.connection.executemany(
                    "INSERT INTO label_evidence (article_id, text, label) VALUES (?, ?, ?)",
                    [(m.article_id, m.text, m.label) for m in evidence],
                )
                written += len(mentions)
            _count_word_cases(self.connection, counted)
            self.set_meta("resolved", "0")
        return written

    # -- mentions and resolution ----------------------------------------
    def mentions(self, *, recalled: bool = True) -> tuple[list[int], list[Mention]]:
        """Every stored mention with its row id, in article and position order.

        ``recalled=False`` leaves out the mentions the recall pass added.
        """
        ids, mentions = [], []
        where = "" if recalled else " WHERE recalled = 0"
        rows = self.connection.execute(
            "SELECT id, article_id, sentence, start, end, text, label FROM mentions"
            f"{where} ORDER BY article_id, start, id"
        )
        for row in rows:
            ids.append(row[0])
            mentions.append(Mention(*row[1:]))
        return ids, mentions

    def linked_mentions(self) -> tuple[list[int], list[Mention], list[bool], list[tuple]]:
        """:meth:`mentions` with, in one read, each one's recall flag and stored link.

        The link is ``(entity, attribution)`` as the last resolution saved it,
        so :meth:`save_resolution` rewrites only the mentions whose link changed.
        """
        ids, mentions, recalled, links = [], [], [], []
        rows = self.connection.execute(
            "SELECT id, article_id, sentence, start, end, text, label, recalled, entity,"
            " attribution FROM mentions ORDER BY article_id, start, id"
        )
        for row in rows:
            ids.append(row[0])
            mentions.append(Mention(*row[1:7]))
            recalled.append(bool(row[7]))
            links.append((row[8], row[9]))
        return ids, mentions, recalled, links

    def articles_digest(self) -> str:
        """A digest of which articles the store holds and what was extracted from each.

        Results computed from the articles and their model mentions alone
        (generic words, near-duplicates) are kept under this digest and
        reused while it is unchanged: the same text, extraction settings and
        date give the same mentions and the same duplicates.
        """
        digest = hashlib.sha256()
        for row in self.connection.execute(
            "SELECT id, content_hash, extraction, ifnull(date, '') FROM articles ORDER BY id"
        ):
            digest.update("\x1f".join(row).encode("utf-8") + b"\x1e")
        return digest.hexdigest()

    def abbreviations(self) -> list[Abbreviation]:
        rows = self.connection.execute("SELECT article_id, short, long FROM abbreviations")
        return [Abbreviation(*row) for row in rows]

    def article_texts(self) -> Iterator[str]:
        """The text of every stored article, streamed."""
        for (text,) in self.connection.execute("SELECT text FROM articles"):
            yield text

    def articles_with_sentences(
        self, ids: Iterable[str] | None = None
    ) -> Iterator[tuple[str, str, list[int]]]:
        """``(article id, text, sentence starts)`` of articles ``ids`` (default: all), streamed."""
        if ids is not None:
            for article_id in sorted(ids):
                row = self.connection.execute(
                    "SELECT text FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
                starts = self.connection.execute(
                    "SELECT start FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,)
                )
                if row is not None:
                    yield article_id, row[0], [start for (start,) in starts] or [0]
            return
        starts: dict[str, list[int]] = {}
        for article_id, start in self.connection.execute(
            "SELECT article_id, start FROM sentences ORDER BY article_id, idx"
        ):
            starts.setdefault(article_id, []).append(start)
        for article_id, text in self.connection.execute("SELECT id, text FROM articles"):
            yield article_id, text, starts.get(article_id, [0])

    def has_table(self, name: str) -> bool:
        return bool(
            self.connection.execute(
                "SELECT 1 FROM sqlite_master WHERE name = ? AND type = 'table'", (name,)
            ).fetchone()
        )

    def entities_containing(self, needle: str) -> list[str] | None:
        """Keys of the entities a name or alias of which may contain ``needle`` (any case),
        found by index: every entity that does is among them. ``None`` when the index
        cannot tell (a needle under three characters or over several lines, or a SQLite
        without FTS5): the caller reads every entity instead."""
        folded = needle.casefold()
        if len(folded) < 3 or "\n" in folded or not self.has_table("entity_search"):
            return None
        rows = self.connection.execute(
            "SELECT key FROM entity_search WHERE names MATCH ?",
            ('"' + folded.replace('"', '""') + '"',),
        )
        return [key for (key,) in rows]

    def word_cases(self, words: Iterable[str]) -> tuple[dict[str, int], dict[str, int]]:
        """How often the stored articles write each of ``words`` in lower and in upper case."""
        lower, upper = {}, {}
        words = sorted(words)
        for i in range(0, len(words), 500):
            chunk = words[i : i + 500]
            rows = self.connection.execute(
                "SELECT word, lower, upper FROM word_cases WHERE word IN"
                f" ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for word, low, up in rows:
                lower[word], upper[word] = low, up
        return lower, upper

    def recall_state(self, rules: int) -> tuple[dict[str, str] | None, set[str]]:
        """The names the recall pass last looked for (``None``: it never ran, or ran under
        other ``rules`` or another schema), and the articles it has not read since they
        were stored."""
        kept = json.loads(self.get_meta("recall_names", "{}"))
        names = kept.get("names") if kept.get("rules") == rules else None
        pending = self.connection.execute("SELECT id FROM articles WHERE recall_pending = 1")
        return names, {article_id for (article_id,) in pending}

    def replace_recalled(
        self,
        mentions: Iterable[Mention],
        *,
        names: dict[str, str],
        rules: int,
        articles: Iterable[str] | None = None,
    ) -> int:
        """Replace the recall pass's mentions in ``articles`` (default: all) with ``mentions``.

        ``names`` are the names it looked for under ``rules``; kept with the
        mentions, so the next pass knows which articles they can change.
        Returns how many recalled mentions the store holds.
        """
        with self.connection:
            if articles is None:
                self.connection.execute("DELETE FROM mentions WHERE recalled = 1")
                self.connection.execute("UPDATE articles SET link_pending = 1")
            else:
                articles = [(article_id,) for article_id in articles]
                self.connection.executemany(
                    "DELETE FROM mentions WHERE recalled = 1 AND article_id = ?", articles
                )
                # A recalled mention taken away leaves no mention to tell it was there.
                self.connection.executemany(
                    "UPDATE articles SET link_pending = 1 WHERE id = ?", articles
                )
            rows = [(m.article_id, m.sentence, m.start, m.end, m.text, m.label) for m in mentions]
            self.connection.executemany(
                "INSERT INTO mentions (article_id, sentence, start, end, text, label, recalled)"
                " VALUES (?, ?, ?, ?, ?, ?, 1)",
                rows,
            )
            self.connection.execute("UPDATE articles SET recall_pending = 0 WHERE recall_pending")
            self.set_meta("recall_names", json.dumps({"rules": rules, "names": names}))
            total = self.connection.execute(
                "SELECT COUNT(*) FROM mentions WHERE recalled = 1"
            ).fetchone()[0]
            self.set_meta("recalled", str(total))
            self.set_meta("resolved", "0")
        return total

    def label_evidence(self) -> list[tuple[str, str, str]]:
        """``(article_id, text, label)`` of spans with labels that are not wanted types."""
        return self.connection.execute(
            "SELECT article_id, text, label FROM label_evidence"
        ).fetchall()

    def sentence_paragraphs(
        self, articles: Iterable[str] | None = None
    ) -> dict[tuple[str, int], int]:
        """``(article, sentence) → paragraph`` of ``articles`` (default: all)."""
        if articles is None:
            rows = self.connection.execute("SELECT article_id, idx, paragraph FROM sentences")
        else:
            rows = self.connection.execute(
                "SELECT article_id, idx, paragraph FROM sentences"
                " WHERE article_id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(articles)),),
            )
        return {(a, i): p for a, i, p in rows}

    def link_state(self) -> dict | None:
        """What the stored links and ties were worked out under, or ``None`` when unknown.

        ``{"window": ..., "ties": ..., "attribution": ...}`` (the window, the
        version of the tie rules and :func:`graphkit.resolve.attribution.rules`),
        written with them by
        :meth:`save_resolution`. With it the stored ties are those of the
        stored links, except in the articles :meth:`link_pending` lists.
        """
        state = json.loads(self.get_meta("linked") or "null")
        return state if isinstance(state, dict) else None

    def link_pending(self) -> set[str]:
        """Articles whose mentions changed (stored, re-extracted, recalled) since the last
        re-link."""
        rows = self.connection.execute("SELECT id FROM articles WHERE link_pending = 1")
        return {article_id for (article_id,) in rows}

    def entity_types(self) -> dict[str, str]:
        """Each stored entity's type, as the last resolution saved it."""
        return dict(self.connection.execute("SELECT key, type FROM entities"))

    def duplicate_articles(self) -> dict[str, str]:
        """``{copy: original}`` as the last resolution saved it."""
        return dict(
            self.connection.execute(
                "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL"
            )
        )

    def tied_articles_gone(self) -> set[str]:
        """Articles that have tie rows but are no longer stored."""
        rows = self.connection.execute(
            "SELECT DISTINCT article_id FROM cooccurrences"
            " WHERE article_id NOT IN (SELECT id FROM articles)"
        )
        return {article_id for (article_id,) in rows}

    def needs_resolution(self) -> bool:
        return self.get_meta("resolved", "1") != "1"

    def save_resolution(
        self,
        mention_ids: list[int],
        resolution,
        cooccurrences,
        *,
        attributions: Iterable[str | None] | None = None,
        duplicates: dict[str, str] | None = None,
        previous: Iterable[tuple] | None = None,
        articles: Iterable[str] | None = None,
        window: str | None = None,
        tie_rules: int | None = None,
    ) -> None:
        """Bring the entity tables up to date with a fresh resolution, atomically.

        ``resolution`` is a :class:`graphkit.resolve.Resolution` whose ``keys``
        align with ``mention_ids``, as do ``attributions`` (the attribution
        pattern a mention matched, or ``None``). ``cooccurrences`` rows are
        ``(a, b, article, sentence_a, sentence_b, weight)``: the ties of
        ``articles``, whose stored ties they replace (default: every
        article's, all replaced). ``duplicates`` maps a near-duplicate article
        to the article it repeats. ``window``: the window the ties were
        worked out with, recorded with ``tie_rules`` (the version of the
        rules that make them) and the attributions' rules (:meth:`link_state`);
        ``None`` records that nothing is known.
        ``previous``: the stored ``(entity, attribution)`` of each mention
        (:meth:`linked_mentions`); only the mentions whose link differs are
        written (after a merge, a few hundred rows instead of every mention).

        Entities, their explanations and the name index are written where
        they differ from what is stored, so the tables end as a rewrite
        would leave them at the cost of what changed.
        """
        attributions = list(attributions) if attributions is not None else None
        links = zip(
            resolution.keys,
            attributions if attributions is not None else [None] * len(mention_ids),
            mention_ids,
            strict=True,
        )
        if previous is not None:
            links = (
                (key, source, i)
                for (key, source, i), stored in zip(links, previous, strict=True)
                if (key, source) != tuple(stored)
            )
        with self.connection:
            self.connection.executemany(
                "UPDATE mentions SET entity = ?, attribution = ? WHERE id = ?", links
            )
            copies = self.duplicate_articles()
            duplicates = duplicates or {}
            self.connection.executemany(
                "UPDATE articles SET duplicate_of = ? WHERE id = ?",
                [
                    (duplicates.get(article_id), article_id)
                    for article_id in sorted(copies.keys() | duplicates.keys())
                    if copies.get(article_id) != duplicates.get(article_id)
                ],
            )
            self._save_entities(resolution)
            dropped = dict(resolution.dropped.items())
            if dict(self.connection.execute("SELECT reason, count FROM dropped_mentions")) != (
                dropped
            ):
                self.connection.execute("DELETE FROM dropped_mentions")
                self.connection.executemany(
                    "INSERT INTO dropped_mentions (reason, count) VALUES (?, ?)", dropped.items()
                )
            self.replace_ties(articles, cooccurrences)
            self.connection.execute("UPDATE articles SET link_pending = 0 WHERE link_pending = 1")
            state = None
            if window is not None and attributions is not None:
                state = {"window": window, "ties": tie_rules, "attribution": attribution.rules()}
            self.set_meta("linked", json.dumps(state))
            self.set_meta("resolved", "1")
            self.find_publishers()

    def _save_entities(self, resolution) -> None:
        """Write the entities, explanations and name index rows that differ from the stored."""
        stored = {
            key: tuple(row)
            for key, *row in self.connection.execute(
                "SELECT key, name, type, aliases, type_counts, rules, ambiguous FROM entities"
            )
        }
        fresh = {
            e.key: entity_row(e, resolution.ambiguous.get(e.key, []))
            for e in resolution.entities.values()
        }
        gone = sorted(stored.keys() - fresh.keys())
        changed = [key for key, row in fresh.items() if key in stored and stored[key] != row]
        self.connection.executemany("DELETE FROM entities WHERE key = ?", [(k,) for k in gone])
        self.connection.executemany(
            "UPDATE entities SET name = ?, type = ?, aliases = ?, type_counts = ?, rules = ?,"
            " ambiguous = ? WHERE key = ?",
            [(*fresh[key], key) for key in changed],
        )
        self.connection.executemany(
            "INSERT INTO entities (key, name, type, aliases, type_counts, rules, ambiguous)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(key, *row) for key, row in fresh.items() if key not in stored],
        )
        # Only an entity's name and aliases are in the index.
        self.index_entity_names(
            {
                key: _names_of(fresh.get(key))
                for key in stored.keys() | fresh.keys()
                if _names_of(stored.get(key)) != _names_of(fresh.get(key))
            }
        )
        explained: dict[str, list[tuple]] = {}
        for key, *row in self.connection.execute(
            "SELECT entity, surface, rule, target, count FROM entity_explanations ORDER BY rowid"
        ):
            explained.setdefault(key, []).append(tuple(row))
        explanations = {
            key: [(x.surface, x.rule, x.target, x.count) for x in items]
            for key, items in resolution.explanations.items()
        }
        redone = {
            key
            for key in explained.keys() | explanations.keys()
            if explained.get(key, []) != explanations.get(key, [])
        }
        self.connection.executemany(
            "DELETE FROM entity_explanations WHERE entity = ?", [(key,) for key in sorted(redone)]
        )
        self.connection.executemany(
            "INSERT INTO entity_explanations (entity, surface, rule, target, count)"
            " VALUES (?, ?, ?, ?, ?)",
            [(key, *row) for key, rows in explanations.items() if key in redone for row in rows],
        )

    # -- overrides -------------------------------------------------------
    def add_override(self, action: str, args: list[str]) -> int:
        with self.connection:
            cursor = self.connection.execute(
                "INSERT INTO overrides (action, args) VALUES (?, ?)",
                (action, json.dumps([printable(a) for a in args])),
            )
            self.set_meta("resolved", "0")
        return cursor.lastrowid

    def overrides(self, *, active_only: bool = True) -> list[tuple[int, str, list[str]]]:
        query = "SELECT id, action, args FROM overrides"
        if active_only:
            query += " WHERE active = 1"
        return [
            (i, a, json.loads(args))
            for i, a, args in self.connection.execute(query + " ORDER BY id")
        ]

    def set_override_active(self, override_id: int, active: bool) -> bool:
        with self.connection:
            cursor = self.connection.execute(
                "UPDATE overrides SET active = ? WHERE id = ?", (int(active), override_id)
            )
            self.set_meta("resolved", "0")
        return cursor.rowcount > 0

    # -- queries for the graph and reports ------------------------------
    def query(self, sql: str, params: Iterable = ()) -> Iterator[tuple]:
        """Run a read-only query (for the graph builder and reports)."""
        return self.connection.execute(sql, tuple(params))

    def publishers(self) -> list[dict]:
        """The corpus's own publishers, found from its attributions (most used first).

        Each is ``{"key", "name", "sources", "articles"}``: the articles that
        name it as a source and that name it at all (near-duplicates left
        out); see :func:`graphkit.resolve.attribution.publishers` for the rule.
        Found when the resolution is saved (under the rule's settings; a
        store saved before, or under other settings, is read afresh).
        """
        kept = json.loads(self.get_meta("publishers") or "{}")
        if kept.get("rules") == attribution.publisher_rules():
            return kept["found"]
        return self._find_publishers()

    def replace_ties(self, articles: Iterable[str] | None, rows) -> None:
        """The stored ties of ``articles`` (``None``: every article) replaced by ``rows``
        (as :meth:`save_resolution` takes them), in the caller's transaction."""
        if articles is None:
            self.connection.execute("DELETE FROM cooccurrences")
        else:
            self.connection.executemany(
                "DELETE FROM cooccurrences WHERE article_id = ?",
                [(article_id,) for article_id in sorted(articles)],
            )
        self.connection.executemany(
            "INSERT INTO cooccurrences (a, b, article_id, sentence_a, sentence_b, weight)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )

    def find_publishers(self) -> None:
        """Find the publishers again (:meth:`publishers`), in the caller's transaction.

        They change only with the resolution: found once when it is saved,
        read by every reading.
        """
        kept = {"rules": attribution.publisher_rules(), "found": self._find_publishers()}
        self.set_meta("publishers", json.dumps(kept))

    def index_entity_names(self, names: dict[str, tuple[str, str] | None]) -> None:
        """Put each entity's ``(name, aliases)`` (stored JSON) in the name index in place
        of what it held of it; ``None`` takes the entity out."""
        if not names or not self.has_table("entity_search"):
            return
        self.connection.execute(
            "DELETE FROM entity_search WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(names)),),
        )
        self.connection.executemany(
            "INSERT INTO entity_search (key, names) VALUES (?, ?)",
            [(key, _searched_names(*found)) for key, found in names.items() if found is not None],
        )

    def _find_publishers(self) -> list[dict]:
        rows = self.query(
            "SELECT m.entity, COUNT(DISTINCT CASE WHEN m.attribution IS NOT NULL"
            " THEN m.article_id END), COUNT(DISTINCT m.article_id)"
            " FROM mentions m JOIN articles ar ON ar.id = m.article_id"
            " WHERE ar.duplicate_of IS NULL AND m.entity IN"
            " (SELECT entity FROM mentions WHERE attribution IS NOT NULL) GROUP BY m.entity"
        ).fetchall()
        if not rows:
            return []
        total = self.query("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NULL").fetchone()
        counts = {key: (sources, naming) for key, sources, naming in rows}
        found = []
        for key in attribution.publishers(rows, total[0]):
            name = self.query("SELECT name FROM entities WHERE key = ?", (key,)).fetchone()
            if name is not None:
                sources, naming = counts[key]
                found.append({"key": key, "name": name[0], "sources": sources, "articles": naming})
        return found

    def counts(self) -> dict[str, int]:
        tables = ("articles", "sentences", "mentions", "entities")
        counts = {
            t: self.connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables
        }
        counts["edges"] = self.connection.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT a, b FROM cooccurrences)"
        ).fetchone()[0]
        counts["cooccurrences"] = self.connection.execute(
            "SELECT COUNT(*) FROM cooccurrences"
        ).fetchone()[0]
        return counts

    def dropped(self) -> dict[str, int]:
        return dict(
            self.connection.execute("SELECT reason, count FROM dropped_mentions ORDER BY reason")
        )


def article_fields(article: Article) -> dict:
    """The fields stored with an article: its extra fields, and a web page's author and site."""
    known = {name: getattr(article, name) for name in ("author", "site") if getattr(article, name)}
    return {**article.fields, **known}


def fields_json(fields: dict | None) -> str:
    """An article's extra fields as stored: JSON with sorted keys (equal fields compare equal)."""
    return json.dumps(fields or {}, sort_keys=True, ensure_ascii=False, default=str)


def lock_timeout() -> float:
    """How long to wait for another process's write lock ($GRAPHKIT_LOCK_TIMEOUT seconds)."""
    try:
        value = float(os.environ.get("GRAPHKIT_LOCK_TIMEOUT", LOCK_TIMEOUT))
    except ValueError:
        return LOCK_TIMEOUT
    return value if math.isfinite(value) and value >= 0 else LOCK_TIMEOUT


def store_error(error: BaseException, path) -> StoreError:
    """A one-line :class:`StoreError` for an SQLite (or stored-JSON) failure on ``path``."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return StoreError(
            f"{path}: the store is in use by another graphkit process; "
            "try again when it has finished"
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"{path}: the store or its folder is read-only; nothing was changed "
            "(make both writable, or copy the store somewhere writable)"
        )
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(
            f"{path}: the disk is full; nothing was changed (free some space and run again)"
        )
    if "unable to open" in text:
        return StoreError(
            f"{path}: cannot open the store (check that its folder exists and is writable)"
        )
    if "disk i/o" in text:
        return StoreError(f"{path}: disk I/O error while using the store; check the disk")
    return StoreError(
        f"{path}: the store is damaged ({str(error).splitlines()[0][:80]}); "
        "restore a copy or rebuild"
    )


notify: Callable[[str], None] = lambda line: print(line, file=sys.stderr)  # noqa: E731
"""Where one-off lines about the store go (a schema upgrade); stderr by default."""


def open_store(
    path: str | Path | None = None, *, create: bool = False, write: bool = False
) -> Store:
    """Open the store at ``path`` (default: :func:`default_db_path`).

    Parameters
    ----------
    create : bool
        Create the file and schema when it does not exist. Never touches an
        existing file that is not a graphkit store. Implies ``write``.
    write : bool
        The caller will write: the store's integrity is checked first
        (``PRAGMA quick_check``), so a damaged store is never written to.
        Read-only opens check only after an unclean shutdown.

    Raises
    ------
    StoreError
        The file does not exist (and ``create`` is false), is not a graphkit
        store, was written by a newer graphkit, is damaged, or is locked by
        another graphkit process for longer than the lock timeout.
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
        connection = sqlite3.connect(path, timeout=lock_timeout())
    except sqlite3.Error as err:
        raise store_error(err, path) from err
    try:
        store = _check(path, connection, write=write or create)
    except BaseException:
        connection.close()
        raise
    connection.execute("PRAGMA foreign_keys = ON")
    return store


def _check(path: Path, connection: sqlite3.Connection, *, write: bool) -> Store:
    """The checks of :func:`open_store` on an open connection; raises StoreError."""
    not_ours = StoreError(f"{path}: not a graphkit store; choose another file with --db")
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as err:
        if "not a database" in str(err) or "encrypted" in str(err):
            raise StoreError(f"{path}: not a graphkit store (not an SQLite database)") from err
        raise store_error(err, path) from err
    if "meta" not in tables:
        raise not_ours
    store = Store(path, connection)
    try:
        app = store.get_meta("app")
        raw_version = store.get_meta("schema_version", "0")
        unclean = store.get_meta("writing", "0") != "0"
    except sqlite3.OperationalError as err:  # a ``meta`` table of another shape
        if "no such column" in str(err):
            raise not_ours from err
        raise store_error(err, path) from err
    except sqlite3.DatabaseError as err:
        raise store_error(err, path) from err
    if app != APP_ID:
        raise not_ours
    try:
        version = int(raw_version)
    except (TypeError, ValueError):
        raise StoreError(
            f"{path}: the store's schema version {raw_version!r} is not one graphkit writes; "
            "restore a copy or rebuild"
        ) from None
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: written by a newer graphkit (schema {version}, this graphkit reads up to "
            f"{SCHEMA_VERSION}); upgrade graphkit to read it"
        )
    if version < 1:
        raise StoreError(
            f"{path}: the store's schema version {raw_version!r} is not one graphkit writes; "
            "restore a copy or rebuild"
        )
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise StoreError(
            f"{path}: the store is damaged (table {missing[0]} is missing); "
            "restore a copy or rebuild"
        )
    stat = path.stat()
    if write or unclean or stat.st_size <= CHECK_ON_READ_BYTES:
        state = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if write or unclean or _checked.get(path.resolve()) != state:
            check_integrity(store)
            _checked[path.resolve()] = state
    if version < SCHEMA_VERSION:
        _migrate(store, version)
    return store


# Stores this process has checked, with the file's state then: a read command
# opens its store twice (the freshness check, then the command), and a file
# that has not changed since its check is not read through again.
_checked: dict[Path, tuple] = {}

_JSON_COLUMNS = (
    ("entities", "aliases"),
    ("entities", "type_counts"),
    ("entities", "rules"),
    ("entities", "ambiguous"),
    ("overrides", "args"),
)


def check_integrity(store: Store) -> None:
    """``PRAGMA quick_check``; a damaged store raises and is never written to."""
    try:
        rows = [r[0] for r in store.connection.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as err:
        raise store_error(err, store.path) from err
    if rows != ["ok"]:
        raise StoreError(
            f"{store.path}: the store is damaged ({rows[0][:80]}); restore a copy or rebuild"
        )
    for table, column in _JSON_COLUMNS:
        try:
            bad = store.connection.execute(
                f"SELECT COUNT(*) FROM {table} WHERE json_valid({column}) = 0"
            ).fetchone()[0]
        except sqlite3.DatabaseError as err:
            raise store_error(err, store.path) from err
        if bad:
            raise StoreError(
                f"{store.path}: the store is damaged ({bad} row(s) of {table}.{column} are not "
                "valid JSON); restore a copy or rebuild"
            )


def _migrate(store: Store, version: int) -> None:
    """Upgrade a store of an older schema in place, after a backup copy; says so on ``notify``."""
    old = version
    backup = store.path.with_name(f"{store.path.name}.schema{version}.bak")
    done = []
    try:
        store.connection.execute("BEGIN IMMEDIATE")  # nobody writes while the copy is taken
        shutil.copy2(store.path, backup)
        for description, migrate in MIGRATIONS[version - 1 :]:
            migrate(store.connection)
            done.append(description)
            version += 1
            store.set_meta("schema_version", str(version))
        store.connection.commit()
    except (sqlite3.Error, OSError) as err:
        store.connection.rollback()
        raise StoreError(
            f"{store.path}: could not upgrade the store to schema {SCHEMA_VERSION} ({err}); "
            "it is unchanged"
        ) from err
    notify(
        f"upgraded store {store.path} from schema {old} to {version} ({'; '.join(done)}); "
        f"a copy of the old store is at {backup}"
    )


def _create(path: Path) -> Store:
    if path.parent and not path.parent.exists():
        raise StoreError(f"{path}: the folder {path.parent} does not exist")
    try:
        connection = sqlite3.connect(path, timeout=lock_timeout())
        connection.execute("PRAGMA foreign_keys = ON")
        with connection:
            connection.executescript(_SCHEMA)
            connection.execute("INSERT INTO meta VALUES ('app', ?)", (APP_ID,))
            for _, migrate in MIGRATIONS:  # a new store is the first schema, upgraded
                migrate(connection)
            connection.execute(
                "INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
    except sqlite3.Error as err:
        path.unlink(missing_ok=True)
        raise store_error(err, path) from err
    return Store(path, connection)


def store_info(path: str | Path | None = None) -> dict:
    """A summary of a store: counts, date range, the settings used and dropped mentions."""
    with open_store(path) as store:
        counts = store.counts()
        settings = store.settings
        first, last, undated = store.query(
            "SELECT (SELECT MIN(date) FROM articles), (SELECT MAX(date) FROM articles),"
            " (SELECT COUNT(*) FROM articles WHERE date IS NULL)"
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
            "near_duplicates": _near_duplicates(store),
            "attributions": store.query(
                "SELECT COUNT(*) FROM mentions WHERE attribution IS NOT NULL"
            ).fetchone()[0],
            "fields": _fields(store),
            "publishers": [
                f"{p['name']} (source in {p['sources']} of {p['articles']} articles)"
                for p in store.publishers()
            ],
        }


def _near_duplicates(store: Store, shown: int = 20) -> dict:
    """How many stored articles repeat another, and the first few pairs (copy → original)."""
    total = store.query("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[
        0
    ]
    pairs = store.query(
        "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL ORDER BY id LIMIT ?",
        (shown,),
    )
    return {"count": total, "pairs": [f"{copy} repeats {original}" for copy, original in pairs]}


def _fields(store: Store, values: int = 5) -> dict:
    """Each extra article field: how many articles carry it and its most common values."""
    fields = {}
    # ``fields <> '{}'``: only the articles that have fields, read from their own index.
    for name, count in store.query(
        "SELECT je.key, COUNT(*) FROM articles, json_each(articles.fields) je"
        " WHERE articles.fields <> '{}' GROUP BY je.key ORDER BY COUNT(*) DESC, je.key LIMIT 50"
    ).fetchall():
        path = '$."' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
        common = store.query(
            "SELECT CAST(json_extract(fields, ?) AS TEXT) AS v, COUNT(*) FROM articles"
            " WHERE fields <> '{}' AND v IS NOT NULL GROUP BY v ORDER BY COUNT(*) DESC, v LIMIT ?",
            (path, values),
        )
        fields[name] = {"articles": count, "common": [f"{v[:40]} ({n})" for v, n in common]}
    return fields
