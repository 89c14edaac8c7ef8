"""``graphkit build``: sources → extract → store, then re-link (:mod:`graphkit.relink`).

Extraction is the expensive part and is incremental: an article whose text
and extraction settings are already stored is not processed again. What can
be kept is kept, each equal to doing it all again
(``tests/test_incremental.py``): the store counts each article's words once
(generic words come from the counts), the recall pass re-reads only the
articles its changed names can touch, and an article read as before is not
repaired again. The re-link that follows resolves every stored mention and
then costs what changed (see :mod:`graphkit.relink`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

from graphkit import resolve
from graphkit.errors import GraphkitError, SourceError
from graphkit.ingest.duplicates import signature
from graphkit.ingest.feeds import fetch_feeds
from graphkit.ingest.parallel import extract_batches
from graphkit.ingest.settings import DEFAULT_MODEL, DEFAULT_TYPES
from graphkit.ingest.sources import ReadReport, read_articles
from graphkit.ingest.text_repair import REPAIR_RULES, repair_article, repair_text
from graphkit.models import Article
from graphkit.progress import Progress, as_progress
from graphkit.relink import (
    DEFAULT_WINDOW,
    WINDOWS,
    link,
    paused_gc,
    stored_generic_words,
    unapplied_warnings,
)
from graphkit.resolve.recall import (
    RECALL_RULES,
    changed_names,
    confident_names,
    name_finder,
    name_index,
    recall_mentions,
)
from graphkit.resolve.spans import EVIDENCE_LABELS, clean_mentions
from graphkit.store import (
    Store,
    article_fields,
    default_db_path,
    fields_json,
    open_store,
    store_error,
)

EXTRACTION_VERSION = "3"  # 2: clean spans, label evidence, repaired text; 3: more role words


@dataclass
class BuildSummary:
    """Counts of what one build did, for the closing line and for tests."""

    db: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    duplicates: int = 0
    reextracted: int = 0
    mentions_added: int = 0
    entities: int = 0
    edges: int = 0
    near_duplicates: int = 0
    publishers: list[str] = field(default_factory=list)
    recalled: int = 0
    seconds: float = 0.0
    recall_seconds: float = 0.0
    read_report: ReadReport = field(default_factory=ReadReport)
    warnings: list[str] = field(default_factory=list)
    _seen_ids: set = field(default_factory=set, repr=False)
    _read_hashes: dict = field(default_factory=dict, repr=False)  # id → read_hash, until stored

    @property
    def extracted(self) -> int:
        return self.new + self.changed + self.reextracted

    def lines(self) -> list[str]:
        skipped = len(self.read_report.skipped)
        lines = [
            f"articles: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.duplicates} duplicate, {skipped} file(s) skipped"
            + (
                f", {self.reextracted} re-extracted with the new settings"
                if self.reextracted
                else ""
            )
            + (
                f"; {self.near_duplicates} near-duplicate(s) kept but counted once"
                " (graphkit info lists them)"
                if self.near_duplicates
                else ""
            ),
            f"store {self.db}: {self.entities} entities, {self.edges} connections "
            f"({self.mentions_added} new mentions, {self.seconds:.1f}s)",
        ]
        if self.publishers:
            lines.append(
                f"publishers found: {'; '.join(self.publishers)} (left out of the graph"
                " unless kept with 'graphkit exclude remove NAME'; see 'graphkit exclude list')"
            )
        if note := self.read_report.summary():
            lines.insert(0, f"Warning: {note}")
        return [f"Warning: {w}" for w in self.warnings] + lines


def content_hash(article: Article) -> str:
    """Hash of what extraction reads: the text. Titles and dates can change freely."""
    return hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def build(
    sources: Sequence[str | Path],
    *,
    db: str | Path | None = None,
    model: str = DEFAULT_MODEL,
    types: Sequence[str] = DEFAULT_TYPES,
    window: str | None = None,
    text_field: str = "text",
    feeds: Sequence[str] = (),
    workers: int = 1,
    batch_size: int = 64,
    dask: str | None = None,
    progress: Progress | Callable[[int], None] | None = None,
    stdin=None,
) -> BuildSummary:
    """Add the articles in ``sources`` to the store and bring its graph up to date.

    Parameters
    ----------
    sources : sequence of str or Path
        Files, folders or ``"-"``; see :func:`graphkit.ingest.sources.read_articles`.
    db : str or Path, optional
        The store file; created when missing. Default: ``$GRAPHKIT_DB`` or
        ``./graphkit.db``.
    feeds : sequence of str
        RSS/Atom feed URLs to fetch and read as well (see
        :func:`graphkit.ingest.feeds.fetch_feeds`); a feed that fails is a
        warning in the summary, not an error.
    model : str
        An installed spaCy pipeline name or path.
    types : sequence of str
        Entity labels to keep.
    window : {"sentence", "paragraph", "article"}, optional
        What "mentioned together" means. Default: the store's current window,
        else ``"sentence"``. Changing it re-links without re-extracting.
    workers : int
        Processes extracting in parallel on this machine, each loading the
        model once (:mod:`graphkit.ingest.parallel`).
    batch_size : int
        Articles per batch handed to a worker, and per store transaction.
    dask : str, optional
        Extract on a Dask cluster instead: a scheduler address
        (``tcp://host:8786``) or ``local:N`` for a local cluster of N
        processes (:mod:`graphkit.ingest.cluster`; needs ``graphkit[dask]``).
        The store is the same as a local build's.
    progress : Progress or callable, optional
        Told the phases (``extract``, ``resolve``, ``link``) and how far each
        got (:class:`graphkit.progress.Progress`); a plain callable is called
        with the number of articles handled so far.

    Raises
    ------
    SourceError
        A source is missing or empty, or no article was found at all.
    ModelError
        The model is not installed.
    StoreError
        ``db`` is not a graphkit store.
    """
    if window is not None and window not in WINDOWS:
        raise GraphkitError(f"unknown window {window!r}; choose one of {', '.join(WINDOWS)}")
    started = time.monotonic()
    progress = as_progress(progress)
    report = ReadReport()
    articles, feed_errors = _read_sources(
        sources, feeds, report, text_field=text_field, stdin=stdin
    )
    types, settings, extraction = _extraction_settings(model, types)
    created = not Path(db if db is not None else default_db_path()).exists()
    store = open_store(db, create=True)
    summary = BuildSummary(db=str(store.path), read_report=report)
    summary.warnings += feed_errors
    try:
        window = window or store.settings.get("window") or DEFAULT_WINDOW
        relink = window != store.settings.get("window")
        stale = _settings_change(store, settings, extraction, summary)
        with store.connection:  # an unclean end (SIGKILL) makes the next open check integrity
            store.set_meta("writing", str(os.getpid()))
        total = None
        if progress.wants_totals and not any(str(s) == "-" for s in sources) and not feeds:
            total = sum(1 for _ in read_articles(sources, text_field=text_field)) + len(stale)
        progress.start("extract", total=total, unit="article")
        pending = itertools.chain(
            _pending(store, articles, extraction, summary, progress.advance),
            _restale(store, stale, summary),
        )
        _extract_into(
            store,
            pending,
            summary,
            model=model,
            types=types,
            settings=settings,
            extraction=extraction,
            workers=workers,
            batch_size=batch_size,
            dask=dask,
            progress=progress,
        )
        summary.duplicates += report.duplicates  # repeats inside web archives
        _relink_after_build(
            store, summary, window=window, relink=relink, settings=settings, progress=progress
        )
    except GraphkitError:
        if summary.mentions_added or summary.extracted:
            # What was stored stays consistent: the entities match the articles (item 3).
            with contextlib.suppress(GraphkitError, sqlite3.Error):
                if store.needs_resolution():
                    link(store, window=store.settings.get("window") or DEFAULT_WINDOW)
        raise
    except sqlite3.Error as err:  # disk full, read-only, locked: one line, store unchanged
        raise store_error(err, store.path) from err
    finally:
        empty = created and _no_articles(store)
        store.close()
        if empty and sys.exc_info()[0] is not None:
            Path(store.path).unlink(missing_ok=True)  # a failed first build leaves no file
    summary.seconds = time.monotonic() - started
    return summary


def _read_sources(
    sources, feeds: Sequence[str], report: ReadReport, *, text_field: str, stdin
) -> tuple[Iterator[Article], list[str]]:
    """The articles of ``sources`` and ``feeds``, repaired, and the feeds' errors.

    Raises :class:`SourceError` when there is not a single article.
    """
    articles = read_articles(sources, text_field=text_field, report=report, stdin=stdin)
    fetched = fetch_feeds(list(feeds)) if feeds else None
    if fetched is not None:
        report.empty_records += fetched.empty
        articles = itertools.chain(articles, fetched.articles)
    first = next(articles, None)  # repaired later, when not stored already (see _pending)
    if first is None:
        where = ", ".join(str(s) for s in [*sources, *feeds])
        problems = [report.summary(), *(fetched.errors if fetched else ())]
        detail = f" ({'; '.join(p for p in problems if p)})" if any(problems) else ""
        raise SourceError(
            f"{where}: no articles found{detail}; give .txt, .md, .jsonl, .csv, "
            ".html, feed or .warc files"
        )
    return itertools.chain([first], articles), list(fetched.errors) if fetched else []


def _extraction_settings(model: str, types: Sequence[str]) -> tuple[tuple, dict, str]:
    """The entity types, the settings recorded in the store, and their key."""
    # Imported here, not at the top: only a build pays for importing spaCy.
    from graphkit.ingest.extract import model_version, pipeline_meta

    meta = pipeline_meta(model)
    types = tuple(dict.fromkeys(t.strip().upper() for t in types if t.strip()))
    settings = {"model": model, "model_version": model_version(meta), "types": list(types)}
    extraction = hashlib.sha256(
        json.dumps([settings, EXTRACTION_VERSION], sort_keys=True).encode()
    ).hexdigest()[:16]
    return types, settings, extraction


def _extract_into(
    store: Store,
    pending: Iterator[Article],
    summary: BuildSummary,
    *,
    model: str,
    types: tuple,
    settings: dict,
    extraction: str,
    workers: int,
    batch_size: int,
    dask: str | None,
    progress: Progress,
) -> None:
    """Extract ``pending`` (here, in worker processes or on Dask) and store each batch."""
    labels = (*types, *sorted(EVIDENCE_LABELS - set(types)))
    finish = functools.partial(prepare_extraction, types=types)
    if dask:
        from graphkit.ingest.cluster import extract_batches_on_dask

        extracted = extract_batches_on_dask(
            dask, model, pending, types=labels, batch_size=batch_size, finish=finish
        )
    else:
        extracted = extract_batches(
            model, pending, types=labels, batch_size=batch_size, workers=workers, finish=finish
        )
    for rows in extracted:
        summary.mentions_added += store.save_extractions(
            rows, extraction=extraction, settings=settings, read_hashes=summary._read_hashes
        )
        progress.advance(len(rows))
    progress.finish()


def _relink_after_build(
    store: Store,
    summary: BuildSummary,
    *,
    window: str,
    relink: bool,
    settings: dict,
    progress: Progress,
) -> None:
    """Record the settings, find names again, re-link, and count what the store holds."""
    with store.connection:
        # The settings and "needs re-linking" are committed together: a build
        # stopped before the re-link finishes it on the next run (item 2).
        store.set_meta("settings", json.dumps({**settings, "window": window}))
        if relink:
            store.set_meta("resolved", "0")
    with paused_gc():  # every stored mention read into small objects, and no cycle made
        generic = None
        if summary.extracted or store.get_meta("recalled") is None:
            _, found = store.mentions(recalled=False)
            generic = stored_generic_words(store, found)
            recall_started = time.monotonic()
            summary.recalled = recall(store, found, generic)
            summary.recall_seconds = time.monotonic() - recall_started
        if store.needs_resolution():
            # A store with decisions keeps the rules' groups for the next one: on BBC it
            # then takes 1.8-2.0 s, not 4.4-5.2 s (the first decision after a build ran them).
            curated = bool(store.overrides(active_only=False))
            resolution = link(
                store, window=window, progress=progress, generic=generic, keep_rules=curated
            )
            summary.warnings += unapplied_warnings(resolution.unapplied)
    counts = store.counts()
    summary.entities, summary.edges = counts["entities"], counts["edges"]
    summary.near_duplicates = store.query(
        "SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL"
    ).fetchone()[0]
    summary.publishers = [p["name"] for p in store.publishers()]
    with store.connection:
        store.set_meta("writing", "0")


def _no_articles(store: Store) -> bool:
    try:
        return not store.counts()["articles"]
    except sqlite3.Error:
        return False


def _settings_change(store: Store, settings: dict, extraction: str, summary) -> list[str]:
    """Ids of stored articles extracted with other settings; warns when there are some.

    Changing ``--types`` (or the model) applies to the whole store: articles
    read before are extracted again from their stored text, so the store
    never mixes two settings (item 12).
    """
    stale = store.ids_extracted_otherwise(extraction)
    if stale:
        old = store.settings
        what = []
        if old.get("types") != settings["types"]:
            what.append(
                f"entity types {','.join(old.get('types') or [])} -> {','.join(settings['types'])}"
            )
        if (old.get("model"), old.get("model_version")) != (
            settings["model"],
            settings["model_version"],
        ):
            what.append(f"model {old.get('model_version')} -> {settings['model_version']}")
        summary.warnings.append(
            f"extraction settings changed ({'; '.join(what) or 'graphkit version'}): "
            f"re-extracting {len(stale)} stored article(s) so the whole store uses them"
        )
    return stale


def _restale(store: Store, ids: list[str], summary: BuildSummary) -> Iterator[Article]:
    """The stored articles ``ids`` not given again in this build, from their stored text."""
    for article_id in ids:
        article = store.article(article_id)
        if article is None or article_id in summary._seen_ids:
            continue
        summary.reextracted += 1
        yield article


def _pending(
    store: Store,
    articles: Iterable[Article],
    extraction: str,
    summary: BuildSummary,
    skipped: Callable[[int], None] = lambda n: None,
) -> Iterator[Article]:
    """The articles that need extracting, repaired; counts the others into ``summary``
    and ``skipped``.

    An article whose text reads exactly as when it was stored is not
    repaired again (ftfy is the slowest part of reading a corpus); only its
    title is, to compare the metadata.
    """
    seen_ids = summary._seen_ids
    seen_texts: set[str] = set()
    for read in articles:
        if read.id in seen_ids:
            summary.duplicates += 1
            skipped(1)
            continue
        seen_ids.add(read.id)
        stored = store.stored_article(read.id)
        as_read = read_hash(read.text)
        if stored and stored.read_hash == as_read and stored.extraction == extraction:
            _unchanged(store, stored, replace(read, title=repair_text(read.title)), summary)
            skipped(1)
            continue
        article = repair_article(read)
        digest = content_hash(article)
        if stored and stored.content_hash == digest and stored.extraction == extraction:
            _unchanged(store, stored, article, summary, as_read=as_read)
            skipped(1)
            continue
        if stored is None and (digest in seen_texts or store.has_content(digest, extraction)):
            summary.duplicates += 1
            skipped(1)
            continue
        seen_texts.add(digest)
        if stored is None:
            summary.new += 1
        else:
            summary.changed += 1
        summary._read_hashes[article.id] = as_read
        yield article


def _unchanged(store, stored, article: Article, summary, *, as_read: str | None = None) -> None:
    """Count an article whose text is stored already; bring its metadata up to date."""
    summary.unchanged += 1
    metadata = (
        article.title,
        article.date,
        article.url,
        article.source,
        fields_json(article_fields(article)),
    )
    if stored.metadata != metadata or (as_read and stored.read_hash != as_read):
        with store.connection:
            store.update_metadata(article, read_hash=as_read or stored.read_hash)


def read_hash(text: str) -> str:
    """Hash of an article's text as read, before repair, and of the repair rules:
    the same hash means the same repaired text, without repairing it again."""
    return hashlib.sha256(f"{_repair_rules(REPAIR_RULES)}\x1f{text}".encode()).hexdigest()


@functools.lru_cache(maxsize=4)
def _repair_rules(rules: int) -> str:
    """The repair rules and the version of ftfy applying them (looked up once)."""
    return f"{rules}:{version('ftfy')}"


def prepare_extraction(item, *, types: Sequence[str]) -> tuple:
    """What the store keeps of one extraction: spans cleaned and repaired, acronyms found.

    Mentions of the wanted ``types`` are cleaned (:func:`clean_mentions`); the
    model's other labels on names are kept apart as type evidence, and the
    text's near-duplicate signature is taken here too. A top-level function
    so that worker processes (and Dask workers) run it next to the
    extraction, and the process writing the store only writes.
    """
    text = item.article.text
    abbreviations = resolve.find_abbreviations(item.article.id, text)
    wanted, evidence = clean_mentions(text, item.mentions, types)
    mentions = resolve.repair_mentions(text, wanted, item.sentences, abbreviations)
    return (
        item.article,
        content_hash(item.article),
        item.sentences,
        mentions,
        abbreviations,
        evidence,
        signature(text),
    )


def recall(
    store: Store, mentions: list | None = None, generic: dict[str, float] | None = None
) -> int:
    """The recall pass (:mod:`graphkit.resolve.recall`), brought up to date with the store.

    The names to look for are worked out from every model mention; the pass
    then reads only the articles it has not read yet and those spelling a
    name that was gained, lost or relabelled since it last ran, and replaces
    their recalled mentions: the result is the pass over every article,
    without reading every article after each build.
    Returns how many recalled mentions the store holds. ``mentions`` (the
    model's, not recalled ones) and ``generic`` (:func:`stored_generic_words`) when
    the caller has them already.
    """
    if mentions is None:
        _, mentions = store.mentions(recalled=False)
    evidence = store.label_evidence()
    if generic is None:
        generic = stored_generic_words(store, mentions)
    names = confident_names(mentions, evidence, generic)
    before, pending = store.recall_state(RECALL_RULES)
    if before is None:
        articles = None  # never ran: every article
    else:
        finder = name_finder(changed_names(before, names))
        articles = set(pending)
        if finder is not None:
            rows = store.query("SELECT id, text FROM articles WHERE recall_pending = 0")
            articles.update(article_id for article_id, text in rows if finder.search(text))
    index = name_index(names)
    by_article: dict[str, list] = {}
    for mention in mentions:
        if articles is None or mention.article_id in articles:
            by_article.setdefault(mention.article_id, []).append(mention)
    found = []
    for article_id, text, starts in store.articles_with_sentences(articles):
        found += recall_mentions(article_id, text, starts, by_article.get(article_id, []), index)
    return store.replace_recalled(found, names=names, rules=RECALL_RULES, articles=articles)


def ensure_linked(db=None) -> str | None:
    """Bring a store whose entities lag its articles up to date, or say why not.

    A build stopped by SIGKILL or an error leaves articles whose mentions are
    not resolved yet; read commands call this first so they never show stale
    entities in silence (item 3). Returns a line for the user, or ``None``.
    """
    with open_store(db) as store:
        if not store.needs_resolution():
            return None
        builder = store.get_meta("writing", "0")
        if builder.isdigit() and int(builder) not in (0, os.getpid()) and _alive(int(builder)):
            return (
                f"a build (process {builder}) is adding articles to the store; what is shown "
                "leaves out its newest articles until it finishes"
            )
        try:
            link(store)
        except (sqlite3.Error, GraphkitError) as err:
            return (
                f"the store's entities are out of date with its articles ({err}); "
                "run 'graphkit build' again to bring them up to date"
            )
    return (
        "the store's entities were out of date with its articles (an interrupted build?); re-linked"
    )


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (a build that was not killed)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
