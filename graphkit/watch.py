"""``graphkit watch``: keep the store, and a page, up to date as articles arrive.

A story that grows by the hour should not mean running ``build`` and
``page`` by hand again and again. :func:`watch` builds the sources once,
then waits: a file added or changed under a watched folder (seen by
``watchfiles``: inotify, FSEvents or ReadDirectoryChangesW, no polling) is
built within about a second, feeds are fetched again every ``every`` seconds,
and after each update that stored something the page is written again,
atomically, as a live page that reloads itself in an open browser
(:mod:`graphkit.outputs.page.live`).

Each update is an ordinary incremental :func:`graphkit.pipeline.build` of
only what changed: same readers, same skips, same store transactions. So
stopping it at any moment (Ctrl-C, a kill, a crash) loses nothing already
stored; at worst the batch being written is not, and the next run reads it
again. Files deleted from a watched folder stay in the store (it is a record
of what was read; ``graphkit build`` never forgets either).

It sits beside :mod:`graphkit.curation`, above ``outputs``, because it writes
pages.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.errors import GraphkitError, SourceError
from graphkit.graph import build_graph
from graphkit.ingest.sources import article_files
from graphkit.outputs.page import write_page
from graphkit.outputs.page.live import marker_path
from graphkit.pipeline import build
from graphkit.store import default_db_path, open_store

DEFAULT_EVERY = 600.0
DEBOUNCE_MS = 600
TICK_MS = 1000


@dataclass
class Update:
    """One round of watching: what was read, and what the graph gained."""

    reason: str
    new: int = 0
    changed: int = 0
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)
    entities: int = 0
    ties: int = 0
    entities_gained: int = 0
    ties_gained: int = 0
    page: Path | None = None
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.new + self.changed

    def line(self) -> str:
        """The one line printed for this update."""
        what = f"{self.new} new, {self.changed} changed article(s)"
        if self.duplicates:
            what += f", {self.duplicates} duplicate"
        if self.skipped:
            what += f", {len(self.skipped)} skipped"
        gained = (
            f"{_signed(self.entities_gained)} entities ({self.entities:,}), "
            f"{_signed(self.ties_gained)} ties ({self.ties:,})"
        )
        page = f"; page {self.page}" if self.page else ""
        return f"{self.reason}: {what}; {gained}{page} [{self.seconds:.1f}s]"


def watch(
    sources: Sequence[str | Path],
    *,
    db: str | Path | None = None,
    feeds: Sequence[str] = (),
    every: float = DEFAULT_EVERY,
    page: str | Path | None = None,
    page_options: dict | None = None,
    build_options: dict | None = None,
    on_update: Callable[[Update], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Build ``sources`` and ``feeds``, then keep building what changes until stopped.

    Parameters
    ----------
    sources : sequence of str or Path
        Files and folders to read now and watch (folders recursively).
    db : str or Path, optional
        The store, as for :func:`graphkit.build`.
    feeds : sequence of str
        RSS/Atom feed URLs, fetched now and every ``every`` seconds.
    every : float
        Seconds between two fetches of the feeds.
    page : str or Path, optional
        A live page to write after each update that stored something.
    page_options, build_options : dict, optional
        Passed to :func:`graphkit.outputs.page.write_page` and :func:`graphkit.build`.
    on_update : callable, optional
        Called with each :class:`Update` (the CLI prints its line).
    stop : threading.Event, optional
        Set it to stop watching (from another thread); Ctrl-C stops it too
        (``KeyboardInterrupt`` propagates).

    Returns
    -------
    int
        How many updates stored something.

    Raises
    ------
    SourceError
        A source does not exist, or there is nothing to watch.
    ModelError, StoreError
        As for :func:`graphkit.build`.
    """
    import watchfiles

    if not sources and not feeds:
        raise SourceError("nothing to watch: give files or folders, or feeds")
    for source in sources:
        if not Path(source).exists():
            raise SourceError(f"{source}: no such file or folder; check the path")
    if every <= 0:
        raise SourceError(f"the feed interval must be positive, not {every:g}s")
    stop = stop or threading.Event()
    runner = _Runner(db, page, page_options or {}, build_options or {}, on_update)
    # an empty folder is fine to watch (articles will come), but not to build
    present = [str(s) for s in sources if Path(s).is_file() or any(article_files(Path(s)))]
    roots = [(Path(s), Path(s).resolve()) for s in sources]
    before_start = _stamps(roots)
    runner.update("start", present, feeds)
    next_fetch = time.monotonic() + every
    ignored = runner.own_files()
    usual = watchfiles.DefaultFilter()  # editors' swap and backup files, VCS folders
    changes = (
        watchfiles.watch(
            *[resolved for _, resolved in roots],
            watch_filter=lambda change, path: (
                change != watchfiles.Change.deleted
                and usual(change, path)
                and Path(path) not in ignored
                and _as_given(Path(path), roots) is not None
            ),
            debounce=DEBOUNCE_MS,
            rust_timeout=TICK_MS,
            yield_on_timeout=True,
            stop_event=stop,
        )
        if sources
        else _ticks(stop)
    )
    for changed in changes:
        found = {_as_given(Path(path), roots) for _, path in changed}
        if before_start is not None:  # the watcher runs now: catch up with files written meanwhile
            since = _stamps(roots)
            found |= {
                _as_given(p, roots) for p, stamp in since.items() if before_start.get(p) != stamp
            }
            before_start = None
        files = [f for f in sorted(found - {None}) if Path(f).is_file()]
        files = [f for f in files if Path(f).resolve() not in ignored]
        if files:
            runner.update(_describe(files), files, ())
        if feeds and time.monotonic() >= next_fetch:
            runner.update("feeds", [], feeds)
            next_fetch = time.monotonic() + every
        if stop.is_set():
            break
    return runner.stored


class _Runner:
    """Runs one update: build, count what was gained, write the page, report."""

    def __init__(self, db, page, page_options, build_options, on_update):
        self.db, self.page = db, Path(page) if page else None
        self.page_options, self.build_options = page_options, build_options
        self.on_update = on_update
        self.stored = 0

    def own_files(self) -> set[Path]:
        """Files watch writes itself, never read as articles: the page, its marker, the store."""
        own = set()
        if self.page is not None:
            own |= {self.page.resolve(), marker_path(self.page).resolve()}
        store = Path(self.db if self.db is not None else default_db_path()).resolve()
        own |= {store, *(store.with_name(store.name + s) for s in ("-journal", "-wal", "-shm"))}
        return own

    def update(self, reason: str, sources: list[str], feeds: Sequence[str]) -> None:
        started = time.monotonic()
        before = self._counts()
        result = Update(reason=reason)
        if not sources and not feeds:
            result.warnings.append("nothing to read yet; waiting for articles")
            result.entities, result.ties = before
            if self.on_update:
                self.on_update(result)
            return
        try:
            summary = build(
                sources,
                db=self.db,
                feeds=list(feeds),
                **self.build_options,
            )
        except SourceError as err:  # nothing readable in what changed: a skip, not the end
            result.warnings.append(f"Warning: {err}")
            result.skipped = list(sources)
            result.entities, result.ties = before
        else:
            result.new, result.changed = summary.new, summary.changed
            result.duplicates = summary.duplicates
            result.skipped = list(summary.read_report.skipped)
            result.warnings = [line for line in summary.lines() if line.startswith("Warning")]
            result.entities, result.ties = summary.entities, summary.edges
            result.entities_gained = summary.entities - before[0]
            result.ties_gained = summary.edges - before[1]
            if result.stored or reason == "start":  # at start: make the page live, and current
                self._write_page(result)
        self.stored += result.stored > 0
        result.seconds = time.monotonic() - started
        if self.on_update:
            self.on_update(result)

    def _counts(self) -> tuple[int, int]:
        try:
            with open_store(self.db) as store:
                counts = store.counts()
        except GraphkitError:  # no store yet (or not ours, which build says clearly)
            return 0, 0
        return counts["entities"], counts["edges"]

    def _write_page(self, result: Update) -> None:
        if self.page is None:
            return
        with open_store(self.db) as store:
            G = build_graph(store)
        write_page(G, self.page, live=True, **self.page_options)
        result.page = self.page


def _as_given(path: Path, roots) -> str | None:
    """``path`` as the folder walk of :func:`read_articles` names it (so ids stay the same).

    ``None`` for a hidden file or folder, or a path under no watched source.
    """
    for given, resolved in roots:
        if path == resolved:
            return str(given)
        try:
            relative = path.relative_to(resolved)
        except ValueError:
            continue
        if any(part.startswith(".") for part in relative.parts):
            return None
        return str(given / relative)
    return None


def _stamps(roots) -> dict[Path, tuple[int, int]]:
    """(modification time, size) of every file under the watched sources, by resolved path."""
    stamps = {}
    for _, resolved in roots:
        for path in [resolved] if resolved.is_file() else article_files(resolved):
            try:
                info = path.stat()
            except OSError:
                continue
            stamps[path] = (info.st_mtime_ns, info.st_size)
    return stamps


def _ticks(stop: threading.Event):
    """Empty change sets once a tick, for feeds-only watching."""
    while not stop.wait(TICK_MS / 1000):
        yield set()


def _describe(files: list[str]) -> str:
    name = Path(files[0]).name
    return name if len(files) == 1 else f"{name} and {len(files) - 1} more"


def _signed(n: int) -> str:
    return f"+{n}" if n >= 0 else str(n)
