"""``graphkit build``: sources → extract → store, then resolve → co-occurrences.

Extraction is the expensive part and is incremental: an article whose text
and extraction settings are already stored is not processed again. Entity
resolution reads corpus-wide facts (generic words, how many articles and
mentions each name has, the majority type of a group, which names the
recall pass finds again), so it is recomputed from the stored mentions
after every change. What can be kept is kept, each equal to doing it all
again (``tests/test_incremental.py``): the store counts each article's words
once (generic words come from the counts), the recall pass re-reads only
the articles its changed names can touch, near-duplicate groups are reused
under a digest of the articles,
an article read as before is not repaired again, and a re-link writes only
the mentions whose entity or attribution changed, the entities (and their
explanations and name index rows) that changed, and the ties of the articles
whose mentions, links or near-duplicate standing changed (every article's
under another window or other tie rules); it reads the context of a mention
only when it is newly read as a source (every source's under other
attribution rules). A decision (merge, rename …) applies to the rules'
groups kept by the previous one (:func:`_rule_groups`) instead of running
the rules again.
"""

from __future__ import annotations

import contextlib
import functools
import gc
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
from graphkit.ingest import duplicates
from graphkit.ingest.duplicates import near_duplicates, signature
from graphkit.ingest.feeds import fetch_feeds
from graphkit.ingest.parallel import extract_batches
from graphkit.ingest.settings import DEFAULT_MODEL, DEFAULT_TYPES
from graphkit.ingest.sources import ReadReport, read_articles
from graphkit.ingest.text_repair import REPAIR_RULES, repair_article, repair_text
from graphkit.models import Article
from graphkit.progress import Progress, as_progress
from graphkit.resolve import kept
from graphkit.resolve.attribution import CONTEXT, attributions, read_as_source
from graphkit.resolve.attribution import rules as attribution_rules
from graphkit.resolve.evidence import candidate_words, generic_from_counts
from graphkit.resolve.overrides import overrides_from_rows
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

WINDOWS = ("sentence", "paragraph", "article")
DEFAULT_WINDOW = "sentence"
# Bump when the near-duplicate test changes in a way its constants (see
# derived_digest) do not show.
DERIVED_RULES = 1
# The version of how ties are made from linked mentions (cooccurrences() and
# the mention contexts attributions read): another one re-ties every article.
TIE_RULES = 1
KEPT_RULE_GROUPS = "rule_groups"  # the automatic rules' groups (graphkit.resolve.kept)
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
    generic = None
    if summary.extracted or store.get_meta("recalled") is None:
        _, found = store.mentions(recalled=False)
        generic = stored_generic_words(store, found)
        recall_started = time.monotonic()
        summary.recalled = recall(store, found, generic)
        summary.recall_seconds = time.monotonic() - recall_started
    if store.needs_resolution():
        resolution = link(store, window=window, progress=progress, generic=generic)
        summary.warnings += unapplied_warnings(resolution)
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
    model's other labels on names are kept apart as type evidence. A
    top-level function so that worker processes (and Dask workers) run it
    next to the extraction, and the process writing the store only writes.
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


def link(
    store: Store,
    *,
    window: str | None = None,
    progress: Progress | None = None,
    generic: dict[str, float] | None = None,
    keep_rules: bool = False,
) -> resolve.Resolution:
    """Resolve every stored mention into entities and bring co-occurrences up to date.

    Runs after each build and after each user decision (merge, rename …);
    returns the resolution so callers can report decisions that named no entity.
    Resolution reads every mention; what follows costs what changed: the
    ties of the articles :func:`_relinked_articles` names (every article's
    when the window changed or the stored ties' window is not known), the
    attributions of mentions newly read as sources (:func:`_attributions`),
    the rows that differ (:meth:`Store.save_resolution`). The store ends as
    a link from nothing leaves it (``tests/test_incremental.py``).
    ``progress`` hears of two phases: ``resolve`` and ``link``. ``generic``:
    :func:`stored_generic_words`, when the caller has it (the recall
    pass adds no mention it counts, so a build computes it once).
    ``keep_rules``: keep the rules' groups in the store for the decisions to
    come (:func:`_rule_groups`; curation asks, a build does not pay for it).
    """
    progress = progress or Progress()
    with store.write_lock():  # read → resolve → save, with no commit from others between
        window = window or store.settings.get("window") or DEFAULT_WINDOW
        progress.start("resolve", unit="mention")
        mention_ids, mentions, recalled, previous = store.linked_mentions()
        if generic is None:
            found = [m for m, again in zip(mentions, recalled, strict=True) if not again]
            generic = stored_generic_words(store, found)
        overrides = overrides_from_rows(store.overrides())
        with _paused_gc():
            groups = _rule_groups(store, mentions, recalled, generic, keep=keep_rules)
            resolution = resolve.apply_decisions(groups, overrides)
        progress.advance(len(mentions))
        progress.finish()
        progress.start("link", unit="tie")
        state = store.link_state()
        same_rules = state is not None and state.get("attribution") == attribution_rules()
        sources = _attributions(
            store,
            mention_ids,
            mentions,
            resolution.keys,
            {key: entity.type for key, entity in resolution.entities.items()},
            previous=previous,
            stored_types=store.entity_types() if same_rules else None,
        )
        duplicates = find_near_duplicates(store)
        articles = None  # every article's ties, unless the stored ones are known
        if state is not None and (state.get("window"), state.get("ties")) == (window, TIE_RULES):
            articles = _relinked_articles(store, mentions, resolution.keys, sources, previous)
            articles |= store.duplicate_articles().keys() ^ duplicates.keys()
        chosen = [i for i, m in enumerate(mentions) if articles is None or m.article_id in articles]
        rows = list(
            cooccurrences(
                [mentions[i] for i in chosen],
                [resolution.keys[i] for i in chosen],
                window=window,
                paragraphs=store.sentence_paragraphs(articles) if window == "paragraph" else {},
                attributions=[sources[i] for i in chosen],
                duplicates=set(duplicates),
            )
        )
        store.save_resolution(
            mention_ids,
            resolution,
            rows,
            attributions=sources,
            duplicates=duplicates,
            previous=previous,
            articles=articles,
            window=window,
            tie_rules=TIE_RULES,
        )
        progress.advance(len(rows))
        progress.finish()
    return resolution


def _rule_groups(
    store: Store, mentions: list, recalled: list[bool], generic: dict[str, float], *, keep: bool
) -> resolve.RuleGroups:
    """The automatic rules' groups of ``mentions``, kept from the last run if its inputs match.

    A user decision changes nothing the rules read, so the first decision
    after a build keeps their result in the store (:mod:`graphkit.resolve.kept`)
    and each further one is applied to it without running them again.
    ``keep``: keep what is worked out here.
    """
    inputs = {
        "abbreviations": store.abbreviations(),
        "evidence": store.label_evidence(),
        "generic_words": generic,
        "types": store.settings.get("types") or (),
        "recalled": recalled,
    }
    digest = kept.inputs_digest(mentions, **inputs)
    text = store.kept_result(KEPT_RULE_GROUPS, digest) if digest else None
    groups = kept.load(text) if text is not None else None
    if groups is None:
        groups = resolve.rule_groups(mentions, **inputs)
        if keep and digest:
            groups.complete()  # worked out once: for what is kept and the decisions now
            store.keep_result(KEPT_RULE_GROUPS, digest, kept.dump(groups))
    return groups


@contextlib.contextmanager
def _paused_gc() -> Iterator[None]:
    """Python's cycle collector paused while entities are resolved.

    Resolution makes millions of small containers and no reference cycles;
    the collector would walk them again and again for nothing (a third of
    the time on BBC). Memory is freed as usual, by reference counts.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _relinked_articles(
    store: Store, mentions: Sequence, keys: Sequence, sources: Sequence, previous: Sequence
) -> set[str]:
    """The articles whose ties a re-link changes, near-duplicates apart.

    An article's ties are worked out from its own mentions alone: their
    sentences, keys and attributions (and, with the paragraph window, its
    paragraphs). They change only where a mention's key or attribution
    differs from the stored link, where mentions were stored, re-extracted
    or recalled since the last re-link (:meth:`Store.link_pending`), and in
    articles no longer stored; whether an article is a near-duplicate is
    compared by the caller.
    """
    changed = store.link_pending() | store.tied_articles_gone()
    for mention, key, source, stored in zip(mentions, keys, sources, previous, strict=True):
        if (key, source) != tuple(stored):
            changed.add(mention.article_id)
    return changed


def _attributions(
    store: Store,
    mention_ids: Sequence[int],
    mentions: Sequence,
    keys: Sequence[str | None],
    types: dict[str, str],
    *,
    previous: Sequence[tuple],
    stored_types: dict[str, str] | None,
) -> list[str | None]:
    """:func:`~graphkit.resolve.attribution.attributions` of every mention, reading only
    the contexts of those it has to work out.

    A mention's pattern depends on its context (its article's text, its
    span and sentence: fixed for a stored mention) and on whether its key is
    read as a source, not on which key it is. Where the stored link was read
    as a source (``stored_types``: the stored entities' types) and the new
    one is too, the stored pattern is the answer; ``stored_types=None`` (the
    stored patterns are of other rules, or unknown) works out every one.
    Mentions not read as a source have none, with no context read.
    """
    found: list[str | None] = [None] * len(mentions)
    todo = []
    for i, key in enumerate(keys):
        if not read_as_source(key, types):
            continue
        entity, source = previous[i]
        if stored_types is not None and read_as_source(entity, stored_types):
            found[i] = source
        else:
            todo.append(i)
    contexts = _mention_contexts(store, [mention_ids[i] for i in todo])
    worked_out = attributions(
        [mentions[i] for i in todo],
        [keys[i] for i in todo],
        types,
        [contexts[mention_ids[i]] for i in todo],
    )
    for i, source in zip(todo, worked_out, strict=True):
        found[i] = source
    return found


def _mention_contexts(store: Store, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """The sentence text just before and after each of the mentions ``ids``."""
    rows = store.query(
        "SELECT m.id, substr(ar.text, max(ifnull(s.start, 0), m.start - ?) + 1,"
        " m.start - max(ifnull(s.start, 0), m.start - ?)),"
        " substr(ar.text, m.end + 1, min(ifnull(s.end, m.end + ?) - m.end, ?))"
        " FROM mentions m JOIN articles ar ON ar.id = m.article_id"
        " LEFT JOIN sentences s ON s.article_id = m.article_id AND s.idx = m.sentence"
        " WHERE m.id IN (SELECT value FROM json_each(?))",
        (CONTEXT, CONTEXT, CONTEXT, CONTEXT, json.dumps(list(ids))),
    )
    return {mention_id: (before or "", after or "") for mention_id, before, after in rows}


def derived_digest(store: Store) -> str:
    """The key under which the near-duplicate groups are kept.

    :meth:`Store.articles_digest` with the settings of the near-duplicate
    test, so a release that changes it looks again instead of serving the
    old groups.
    """
    copies = (duplicates.THRESHOLD, duplicates.PERMUTATIONS, duplicates.BANDS, duplicates.SHINGLE)
    rules = json.dumps([DERIVED_RULES, *copies])
    return f"{store.articles_digest()}:{hashlib.sha256(rules.encode()).hexdigest()[:12]}"


def stored_generic_words(store: Store, mentions: list | None = None) -> dict[str, float]:
    """:func:`~graphkit.resolve.evidence.generic_words` of the store, without reading its texts.

    The store keeps how often the corpus writes each word in each case,
    updated as articles are stored (:meth:`Store.word_cases`), so the words
    come from those counts and the model's mentions (40 ms on BBC).
    ``mentions``: the model's mentions (not recalled ones), when the caller
    has them.
    """
    if mentions is None:
        _, mentions = store.mentions(recalled=False)
    candidates = candidate_words(mentions)
    return generic_from_counts(candidates, *store.word_cases(candidates))


def find_near_duplicates(store: Store) -> dict[str, str]:
    """``{copy: original}`` for every stored article that repeats an older one.

    Signatures are computed once per article (when missing) and kept in the
    store; the oldest dated article of a group is the original. The groups
    depend on the articles' texts and dates alone: while
    :func:`derived_digest` is the one they were found for, the stored
    ``duplicate_of`` is the answer and MinHash is not run again.
    """
    digest = derived_digest(store)
    if store.get_meta("near_duplicates") == digest:
        return dict(
            store.query("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")
        )
    store.set_meta("near_duplicates", digest)  # saved with duplicate_of by save_resolution
    missing = store.query("SELECT id, text FROM articles WHERE signature IS NULL").fetchall()
    if missing:  # written in the caller's transaction (link's write lock)
        store.connection.executemany(
            "UPDATE articles SET signature = ? WHERE id = ?",
            [(signature(text), article_id) for article_id, text in missing],
        )
    rows = store.query(
        "SELECT id, signature FROM articles ORDER BY date IS NULL, date, id"
    ).fetchall()
    return {copy: original for copy, (original, _) in near_duplicates(rows).items()}


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


def unapplied_warnings(resolution: resolve.Resolution) -> list[str]:
    """One line per user decision that named no entity of the corpus."""
    return [
        f"decision {o.id or ''} '{o.action} {', '.join(o.names)}' names no entity; it has no effect"
        for o in resolution.unapplied
    ]


def cooccurrences(
    mentions: Sequence,
    keys: Sequence[str | None],
    *,
    window: str,
    paragraphs: dict | None = None,
    attributions: Sequence[str | None] | None = None,
    duplicates: set[str] | frozenset = frozenset(),
) -> Iterator[tuple[str, str, str, int, int, float]]:
    """Entity pairs sharing a window unit: ``(a, b, article, sentence_a, sentence_b, weight)``.

    Each unit counts once per pair (a name repeated in a sentence is not a
    stronger tie); ``a < b`` so every pair has one spelling. The sentences
    are where each entity is first named in the unit: the evidence.

    ``weight`` is ``1 / (n - 1)`` for a unit naming ``n`` entities: each unit
    gives each entity it names one unit of tie strength, shared among the
    others it names. Two people in a sentence make a tie of 1; a team sheet
    of 40 names makes 780 ties of 1/39 each, so it adds as much to a
    player's weighted degree as one sentence with one other person. The row
    count is the raw co-occurrence count.

    Mentions with an ``attributions`` pattern (a source, "told BBC News")
    and the mentions of ``duplicates`` (near-duplicate articles, whose
    sentences already count through their original) make no pairs.
    """
    units: dict[tuple, dict[str, int]] = {}
    attributions = attributions if attributions is not None else [None] * len(mentions)
    for mention, key, source in zip(mentions, keys, attributions, strict=True):
        if key is None or source is not None or mention.article_id in duplicates:
            continue
        if window == "sentence":
            unit = (mention.article_id, mention.sentence)
        elif window == "paragraph":
            unit = (
                mention.article_id,
                (paragraphs or {}).get((mention.article_id, mention.sentence), 0),
            )
        else:
            unit = (mention.article_id,)
        first = units.setdefault(unit, {})
        if key not in first or mention.sentence < first[key]:
            first[key] = mention.sentence
    for unit, first in units.items():
        if len(first) < 2:
            continue
        weight = 1 / (len(first) - 1)
        for a, b in itertools.combinations(sorted(first), 2):
            yield a, b, unit[0], first[a], first[b], weight
