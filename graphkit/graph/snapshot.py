"""A snapshot of the store's graph kept beside it, so whole-graph commands skip rebuilding it.

Building the graph from rows (aggregating every mention and co-occurrence,
picking evidence) grows with the corpus; unpickling a saved graph is several
times faster. The snapshot (``<store>.graph``, next to the store) is keyed by
what SQLite itself changes on every committed write: the database header's
file change counter, with the file's size and modification time. Any build,
curation decision or undo — by graphkit or by any other SQLite client —
changes the key, so a stale snapshot is never used; it is rebuilt on the next
read. Stores in WAL mode do not keep that counter up to date, so they get no
snapshot (the graph is built from rows every time, as before).

The snapshot is a pickle: it is only read when it belongs to the user running
graphkit and nobody else can write it (it is written with mode 0600), since
loading a pickle runs code. Only the whole graph (no ``since``/``until``) is
kept; periods are built from rows. The graph with list-only ties
(``lists=True``) has a snapshot of its own, and the rules a graph is read
by (the list size, the default evidence per tie, the publisher rule) are
part of every key, so a snapshot taken under another rule is never read.

What is worked out from a whole graph alone (centrality measures,
communities) is kept beside its snapshot under the same key
(:func:`kept_for_graph`), so ``export``, ``report``, ``centrality`` and
``communities`` compute it once per version of the store, not once per command;
a new snapshot removes what was kept for the one it replaces.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

from graphkit.graph import settings
from graphkit.graph.from_store import build_graph
from graphkit.resolve import attribution
from graphkit.store import Store

_FORMAT = 2
# Graph read from a snapshot → (the store's path, the snapshot's, the store version,
# the graph's shape when read).
_origins: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _rules() -> tuple:
    """The rules a whole graph is read by: one changed (in a release) is a new key."""
    return (
        settings.LIST_SIZE,
        settings.EVIDENCE_PER_EDGE,
        *attribution.publisher_rules(),
    )


def snapshot_path(store_path: Path) -> Path:
    """Where the snapshot of the store at ``store_path`` lives."""
    return store_path.with_name(store_path.name + ".graph")


def store_version(store_path: Path) -> tuple | None:
    """What changes on every committed write to the store, or ``None`` if it cannot tell.

    The SQLite header's file change counter (offset 24) and version-valid-for
    number (offset 92), the file's size and modification time. ``None`` for a
    store in WAL mode (header bytes 18-19 are 2), where the counter is not kept.
    """
    try:
        with open(store_path, "rb") as handle:
            header = handle.read(100)
            stat = os.fstat(handle.fileno())
    except OSError:
        return None
    if len(header) < 100 or header[18] == 2 or header[19] == 2:
        return None
    if Path(str(store_path) + "-wal").exists():
        return None
    return (
        _FORMAT,
        _rules(),
        header[24:28],
        header[92:96],
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ino,
    )


def cached_graph(store: Store, *, evidence: int | None = None, lists: bool = False) -> nx.Graph:
    """The store's whole graph: from the snapshot when it is current, else built and saved.

    ``evidence`` (sentences carried per tie, as :func:`build_graph` takes it)
    and ``lists`` (keep list-only ties) each keep a snapshot of their own:
    pages carry more sentences than other commands. The default count is the
    plain snapshot's, asked for or not.
    """
    if evidence == settings.EVIDENCE_PER_EDGE:
        evidence = None
    more = {"lists": lists} if evidence is None else {"evidence": evidence, "lists": lists}
    version = store_version(store.path)
    if version is None:
        return build_graph(store, **more)
    path = snapshot_path(store.path)
    if evidence is not None:
        path = path.with_name(f"{path.name}.e{evidence}")
    if lists:
        path = path.with_name(f"{path.name}.lists")
    G = _read(path, version)
    if G is None:
        G = build_graph(store, **more)
        if store_version(store.path) != version:  # written meanwhile: nothing to keep
            return G
        _write(path, version, G)
        with contextlib.suppress(OSError):  # a read-only folder keeps nothing anyway
            _kept_path(path).unlink(missing_ok=True)  # kept for the graph this replaces
    _origins[G] = (store.path, path, version, _shape(G))
    return G


@contextlib.contextmanager
def kept_for_graph(G: nx.Graph, *, keep: bool = True) -> Iterator[dict]:
    """What was worked out from ``G`` before, as a dict to read and add to.

    Keys name a result (``("measure", "pagerank")``); a result must depend on
    its key and on ``G`` alone. What is added is kept beside the snapshot
    ``G`` was read from, under its key, for the next command: any write to the
    store makes it worked out again. A graph not read from a snapshot (a
    period, a filtered copy), changed in place since it was read, or
    ``keep=False`` (an unseeded run, other each time) gets an empty dict that
    is not kept. The file is read once and written once per use.
    """
    store_path, path, version, shape = _origins.get(G, (None, None, None, None))
    if not keep or path is None or store_version(store_path) != version or _shape(G) != shape:
        yield {}
        return
    kept = _kept(path, version)
    before = set(kept)
    yield kept
    added = {name: kept[name] for name in kept.keys() - before}
    if added and store_version(store_path) == version:
        # with what other commands kept meanwhile
        _write(_kept_path(path), version, {**_kept(path, version), **added})


def _kept_path(snapshot: Path) -> Path:
    """The one file holding what :func:`kept_for_graph` keeps for ``snapshot``."""
    return snapshot.with_name(snapshot.name + ".kept")


def _kept(snapshot: Path, version: tuple) -> dict:
    """What is kept for ``snapshot`` at ``version``: name → result."""
    kept = _read(_kept_path(snapshot), version)
    return kept if isinstance(kept, dict) else {}


def _shape(G: nx.Graph) -> tuple[int, int, float]:
    """What changes when a graph is edited in place: its entities, ties and total weight."""
    weight = math.fsum(w for _, _, w in G.edges(data="weight", default=1))
    return G.number_of_nodes(), G.number_of_edges(), weight


def _read(path: Path, version: tuple):
    """What was saved at ``path`` under ``version``; ``None`` when it is not that, or unsafe."""
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            owner = os.getuid() if hasattr(os, "getuid") else stat.st_uid
            if stat.st_uid != owner or stat.st_mode & 0o022:
                return None
            saved_version, saved = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return saved if saved_version == version else None


def _write(path: Path, version: tuple, saved) -> None:
    """Save atomically (temp file, then rename); a store in a read-only folder gets none."""
    try:
        handle, temp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump((version, saved), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)
