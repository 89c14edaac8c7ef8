"""``graphkit build``: sources → extract → store, then resolve → co-occurrences.

Extraction is the expensive part and is incremental: an article whose text
and extraction settings are already stored is not processed again. Entity
resolution and co-occurrences are cheap and corpus-wide, so they are
recomputed from the stored mentions after every change.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphkit import resolve
from graphkit.errors import GraphkitError, SourceError
from graphkit.ingest.extract import (
    DEFAULT_MODEL,
    DEFAULT_TYPES,
    extract_mentions,
    load_pipeline,
    model_version,
    pipeline_meta,
)
from graphkit.ingest.sources import ReadReport, read_articles
from graphkit.ingest.text_repair import repair_article
from graphkit.models import Article
from graphkit.resolve.evidence import generic_words
from graphkit.resolve.overrides import overrides_from_rows
from graphkit.resolve.recall import confident_names, name_index, recall_mentions
from graphkit.resolve.spans import EVIDENCE_LABELS, clean_mentions
from graphkit.store import Store, open_store

WINDOWS = ("sentence", "paragraph", "article")
DEFAULT_WINDOW = "sentence"
EXTRACTION_VERSION = "2"  # 2: clean spans, label evidence, repaired text


@dataclass
class BuildSummary:
    """Counts of what one build did, for the closing line and for tests."""

    db: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    duplicates: int = 0
    mentions_added: int = 0
    entities: int = 0
    edges: int = 0
    recalled: int = 0
    seconds: float = 0.0
    recall_seconds: float = 0.0
    read_report: ReadReport = field(default_factory=ReadReport)
    warnings: list[str] = field(default_factory=list)

    @property
    def extracted(self) -> int:
        return self.new + self.changed

    def lines(self) -> list[str]:
        skipped = len(self.read_report.skipped)
        lines = [
            f"articles: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.duplicates} duplicate, {skipped} file(s) skipped",
            f"store {self.db}: {self.entities} entities, {self.edges} connections "
            f"({self.mentions_added} new mentions, {self.seconds:.1f}s)",
        ]
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
    workers: int = 1,
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
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
    model : str
        An installed spaCy pipeline name or path.
    types : sequence of str
        Entity labels to keep.
    window : {"sentence", "paragraph", "article"}, optional
        What "mentioned together" means. Default: the store's current window,
        else ``"sentence"``. Changing it re-links without re-extracting.
    progress : callable, optional
        Called with the number of articles processed so far.

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
    report = ReadReport()
    articles = map(
        repair_article, read_articles(sources, text_field=text_field, report=report, stdin=stdin)
    )
    first = next(articles, None)
    if first is None:
        where = ", ".join(str(s) for s in sources)
        detail = f" ({report.summary()})" if report.summary() else ""
        raise SourceError(
            f"{where}: no articles found{detail}; give .txt, .md, .jsonl or .csv files"
        )
    meta = pipeline_meta(model)
    types = tuple(dict.fromkeys(t.strip().upper() for t in types if t.strip()))
    settings = {"model": model, "model_version": model_version(meta), "types": list(types)}
    extraction = hashlib.sha256(
        json.dumps([settings, EXTRACTION_VERSION], sort_keys=True).encode()
    ).hexdigest()[:16]
    store = open_store(db, create=True)
    summary = BuildSummary(db=str(store.path), read_report=report)
    try:
        window = window or store.settings.get("window") or DEFAULT_WINDOW
        relink = window != store.settings.get("window")
        pending = _pending(store, itertools.chain([first], articles), extraction, summary)
        labels = (*types, *sorted(EVIDENCE_LABELS - set(types)))
        extractions = _extract_lazily(
            model, pending, types=labels, workers=workers, batch_size=batch_size
        )
        done = 0
        for batch in _batched(extractions, batch_size):
            rows = []
            for item in batch:
                text = item.article.text
                abbreviations = resolve.find_abbreviations(item.article.id, text)
                wanted, evidence = clean_mentions(text, item.mentions, types)
                mentions = resolve.repair_mentions(text, wanted, item.sentences, abbreviations)
                rows.append(
                    (
                        item.article,
                        content_hash(item.article),
                        item.sentences,
                        mentions,
                        abbreviations,
                        evidence,
                    )
                )
            summary.mentions_added += store.save_extractions(
                rows, extraction=extraction, settings=settings
            )
            done += len(batch)
            if progress:
                progress(done)
        with store.db:
            store.set_meta("settings", json.dumps({**settings, "window": window}))
        if summary.extracted or store.get_meta("recalled") is None:
            recall_started = time.monotonic()
            summary.recalled = recall(store)
            summary.recall_seconds = time.monotonic() - recall_started
        if relink or store.needs_resolution():
            summary.warnings += unapplied_warnings(link(store, window=window))
        counts = store.counts()
        summary.entities, summary.edges = counts["entities"], counts["edges"]
    finally:
        store.close()
    summary.seconds = time.monotonic() - started
    return summary


def _pending(
    store: Store, articles: Iterable[Article], extraction: str, summary: BuildSummary
) -> Iterator[Article]:
    """The articles that need extracting; counts the others into ``summary``."""
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    for article in articles:
        digest = content_hash(article)
        if article.id in seen_ids:
            summary.duplicates += 1
            continue
        seen_ids.add(article.id)
        stored = store.stored_article(article.id)
        if stored and stored.content_hash == digest and stored.extraction == extraction:
            summary.unchanged += 1
            if stored.metadata != (article.title, article.date, article.url, article.source):
                with store.db:
                    store.update_metadata(article)
            continue
        if stored is None and (digest in seen_texts or store.has_content(digest, extraction)):
            summary.duplicates += 1
            continue
        seen_texts.add(digest)
        if stored is None:
            summary.new += 1
        else:
            summary.changed += 1
        yield article


def _extract_lazily(model: str, articles: Iterator[Article], **options) -> Iterator:
    """Extract ``articles``, loading the pipeline only if there is at least one."""
    first = next(articles, None)
    if first is None:
        return
    nlp = load_pipeline(model)
    yield from extract_mentions(nlp, itertools.chain([first], articles), **options)


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def recall(store: Store) -> int:
    """The recall pass (:mod:`graphkit.resolve.recall`) over every stored article.

    Replaces the mentions an earlier pass added; returns how many it found.
    """
    _, mentions = store.mentions(recalled=False)
    evidence = store.label_evidence()
    names = confident_names(mentions, evidence, generic_words(store.article_texts(), mentions))
    index = name_index(names)
    by_article: dict[str, list] = {}
    for mention in mentions:
        by_article.setdefault(mention.article_id, []).append(mention)
    found = []
    for article_id, text, starts in store.articles_with_sentences():
        found += recall_mentions(article_id, text, starts, by_article.get(article_id, []), index)
    return store.replace_recalled(found)


def link(store: Store, *, window: str | None = None) -> resolve.Resolution:
    """Resolve every stored mention into entities and recompute co-occurrences.

    Runs after each build and after each user decision (merge, rename …);
    returns the resolution so callers can report decisions that named no entity.
    """
    window = window or store.settings.get("window") or DEFAULT_WINDOW
    mention_ids, mentions = store.mentions()
    resolution = resolve.resolve_entities(
        mentions,
        abbreviations=store.abbreviations(),
        overrides=overrides_from_rows(store.overrides()),
        evidence=store.label_evidence(),
        generic_words=generic_words(store.article_texts(), store.mentions(recalled=False)[1]),
        types=store.settings.get("types") or (),
        recalled=store.recalled_flags(),
    )
    paragraphs = store.sentence_paragraphs() if window == "paragraph" else {}
    rows = list(cooccurrences(mentions, resolution.keys, window=window, paragraphs=paragraphs))
    store.save_resolution(mention_ids, resolution, rows)
    return resolution


def unapplied_warnings(resolution: resolve.Resolution) -> list[str]:
    """One line per user decision that named no entity of the corpus."""
    return [
        f"decision {o.id or ''} '{o.action} {', '.join(o.names)}' names no entity; it has no effect"
        for o in resolution.unapplied
    ]


def cooccurrences(
    mentions: Sequence, keys: Sequence[str | None], *, window: str, paragraphs: dict | None = None
) -> Iterator[tuple[str, str, str, int, int]]:
    """Entity pairs sharing a window unit: ``(a, b, article, sentence_a, sentence_b)``.

    Each unit counts once per pair (a name repeated in a sentence is not a
    stronger tie); ``a < b`` so every pair has one spelling. The sentences
    are where each entity is first named in the unit: the evidence.
    """
    units: dict[tuple, dict[str, int]] = {}
    for mention, key in zip(mentions, keys, strict=True):
        if key is None:
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
        for a, b in itertools.combinations(sorted(first), 2):
            yield a, b, unit[0], first[a], first[b]
