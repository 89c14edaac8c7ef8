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
from graphkit.ingest.parallel import extract_batches
from graphkit.ingest.settings import DEFAULT_MODEL, DEFAULT_TYPES
from graphkit.ingest.sources import ReadReport, read_articles
from graphkit.models import Article
from graphkit.progress import Progress, as_progress
from graphkit.resolve.overrides import overrides_from_rows
from graphkit.store import Store, open_store

WINDOWS = ("sentence", "paragraph", "article")
DEFAULT_WINDOW = "sentence"
EXTRACTION_VERSION = "1"


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
    seconds: float = 0.0
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
    articles = read_articles(sources, text_field=text_field, report=report, stdin=stdin)
    first = next(articles, None)
    if first is None:
        where = ", ".join(str(s) for s in sources)
        detail = f" ({report.summary()})" if report.summary() else ""
        raise SourceError(
            f"{where}: no articles found{detail}; give .txt, .md, .jsonl or .csv files"
        )
    # Imported here, not at the top: only a build pays for importing spaCy.
    from graphkit.ingest.extract import model_version, pipeline_meta

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
        total = None
        if progress.wants_totals and not any(str(s) == "-" for s in sources):
            total = sum(1 for _ in read_articles(sources, text_field=text_field))
        progress.start("extract", total=total, unit="article")
        pending = _pending(
            store, itertools.chain([first], articles), extraction, summary, progress.advance
        )
        if dask:
            from graphkit.ingest.cluster import extract_batches_on_dask

            extracted = extract_batches_on_dask(
                dask, model, pending, types=types, batch_size=batch_size, finish=prepare_extraction
            )
        else:
            extracted = extract_batches(
                model,
                pending,
                types=types,
                batch_size=batch_size,
                workers=workers,
                finish=prepare_extraction,
            )
        for rows in extracted:
            summary.mentions_added += store.save_extractions(
                rows, extraction=extraction, settings=settings
            )
            progress.advance(len(rows))
        progress.finish()
        with store.db:
            store.set_meta("settings", json.dumps({**settings, "window": window}))
        if relink or store.needs_resolution():
            summary.warnings += unapplied_warnings(link(store, window=window, progress=progress))
        counts = store.counts()
        summary.entities, summary.edges = counts["entities"], counts["edges"]
    finally:
        store.close()
    summary.seconds = time.monotonic() - started
    return summary


def _pending(
    store: Store,
    articles: Iterable[Article],
    extraction: str,
    summary: BuildSummary,
    skipped: Callable[[int], None] = lambda n: None,
) -> Iterator[Article]:
    """The articles that need extracting; counts the others into ``summary`` and ``skipped``."""
    seen_ids: set[str] = set()
    seen_texts: set[str] = set()
    for article in articles:
        digest = content_hash(article)
        if article.id in seen_ids:
            summary.duplicates += 1
            skipped(1)
            continue
        seen_ids.add(article.id)
        stored = store.stored_article(article.id)
        if stored and stored.content_hash == digest and stored.extraction == extraction:
            summary.unchanged += 1
            skipped(1)
            if stored.metadata != (article.title, article.date, article.url, article.source):
                with store.db:
                    store.update_metadata(article)
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
        yield article


def prepare_extraction(item) -> tuple:
    """What the store keeps of one extraction: spans repaired, acronyms found.

    A top-level function so that worker processes (and Dask workers) run it
    next to the extraction, and the process writing the store only writes.
    """
    text = item.article.text
    abbreviations = resolve.find_abbreviations(item.article.id, text)
    mentions = resolve.repair_mentions(text, item.mentions, item.sentences, abbreviations)
    return (item.article, content_hash(item.article), item.sentences, mentions, abbreviations)


def link(
    store: Store, *, window: str | None = None, progress: Progress | None = None
) -> resolve.Resolution:
    """Resolve every stored mention into entities and recompute co-occurrences.

    Runs after each build and after each user decision (merge, rename …);
    returns the resolution so callers can report decisions that named no entity.
    ``progress`` hears of two phases: ``resolve`` and ``link``.
    """
    progress = progress or Progress()
    window = window or store.settings.get("window") or DEFAULT_WINDOW
    progress.start("resolve", unit="mention")
    mention_ids, mentions = store.mentions()
    resolution = resolve.resolve_entities(
        mentions,
        abbreviations=store.abbreviations(),
        overrides=overrides_from_rows(store.overrides()),
    )
    progress.advance(len(mentions))
    progress.finish()
    progress.start("link", unit="tie")
    paragraphs = store.sentence_paragraphs() if window == "paragraph" else {}
    rows = list(cooccurrences(mentions, resolution.keys, window=window, paragraphs=paragraphs))
    store.save_resolution(mention_ids, resolution, rows)
    progress.advance(len(rows))
    progress.finish()
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
