"""graphkit: turn a corpus of news articles into a map of who is connected to whom.

The Python API does everything the CLI does::

    import graphkit
    graphkit.build([graphkit.SAMPLE_CORPUS], db="sample.db")
    G = graphkit.load_graph("sample.db")
"""

from __future__ import annotations

import inspect
from importlib.resources import files
from pathlib import Path

from graphkit.errors import (
    AmbiguousEntityError,
    GraphkitError,
    ModelError,
    NotConnectedError,
    OverrideError,
    SourceError,
    StoreError,
    UnknownEntityError,
)
from graphkit.graph import build_graph, edge_evidence, find_node
from graphkit.graph import corpus_summary as _corpus_summary
from graphkit.graph.drilldown import Listing, entity_mentions, tie_evidence
from graphkit.graph.snapshot import cached_graph
from graphkit.ingest.sources import read_articles
from graphkit.pipeline import BuildSummary, build
from graphkit.store import open_store, store_info

__version__ = "0.1.0"

SAMPLE_CORPUS = Path(str(files("graphkit") / "data" / "sample" / "articles.jsonl"))


_READING_OPTIONS = set(inspect.signature(build_graph).parameters) - {"store", "evidence"}


def load_graph(db=None, *, evidence: int | None = None, **reading):
    """The co-occurrence graph of the store at ``db``.

    ``reading``: the keyword arguments of :func:`graphkit.graph.build_graph`
    (``since``, ``until``, ``dated_only``, ``where``, ``exclude``,
    ``stored_exclusions``, ``lists``). ``evidence``: sentences carried per tie
    (default: :data:`graphkit.graph.EVIDENCE_PER_EDGE`). The whole graph (no
    period, field or exclusion filter) comes from a snapshot kept beside the
    store when no write happened since it was taken (:mod:`graphkit.graph.snapshot`).
    """
    unknown = set(reading) - _READING_OPTIONS
    if unknown:
        raise TypeError(f"load_graph() got an unexpected keyword argument {min(unknown)!r}")
    whole = not any(reading.get(k) for k in ("since", "until", "dated_only", "where", "exclude"))
    with open_store(db) as store:
        if whole and reading.get("stored_exclusions", True):
            return cached_graph(store, evidence=evidence, lists=reading.get("lists", False))
        more = {} if evidence is None else {"evidence": evidence}
        return build_graph(store, **reading, **more)


def mentions(
    db,
    name: str,
    *,
    sentences: bool = False,
    limit: int | None = None,
    offset: int = 0,
    **selection,
) -> Listing:
    """Every article (or sentence) of the store at ``db`` that mentions ``name``, newest first.

    ``selection``: ``since``, ``until``, ``dated_only``, ``where`` (see
    :func:`graphkit.graph.drilldown.entity_mentions`). The CLI's ``graphkit mentions``.
    """
    with open_store(db) as store:
        return entity_mentions(
            store, name, sentences=sentences, limit=limit, offset=offset, **selection
        )


def evidence(
    db, a: str, b: str, *, limit: int | None = None, offset: int = 0, **selection
) -> Listing:
    """Every sentence of the store at ``db`` in which ``a`` and ``b`` are mentioned together.

    Names or aliases; ``selection`` as for :func:`mentions` (see
    :func:`graphkit.graph.drilldown.tie_evidence`). The CLI's ``graphkit evidence``.
    """
    with open_store(db) as store:
        return tie_evidence(store, a, b, limit=limit, offset=offset, **selection)


def to_pyvis(G, **options):
    """``G`` as a ``pyvis.network.Network``, drawn as graphkit's page draws it.

    Same entities, sizes, colours and positions as the page, plain-text
    tooltips, ``G`` left unchanged; use pyvis's own API on the result
    (``show_buttons``, ``set_options``, ``show``). See
    :func:`graphkit.outputs.page.pyvis_network.to_pyvis` for the options.
    """
    from graphkit.outputs.page.pyvis_network import to_pyvis as _to_pyvis

    return _to_pyvis(G, **options)


def corpus_summary(db=None, *, exclude=(), lists: bool = False, **selection) -> dict:
    """Counts, date range and settings of the store's articles in a period (for reports).

    ``selection``: ``since``, ``until``, ``dated_only``, ``where``, as for
    :func:`load_graph`; ``exclude`` and ``lists`` are accepted for the same call
    and change nothing (they choose entities and ties, not articles).
    """
    with open_store(db) as store:
        return _corpus_summary(store, **selection)


__all__ = [
    "SAMPLE_CORPUS",
    "AmbiguousEntityError",
    "BuildSummary",
    "GraphkitError",
    "Listing",
    "ModelError",
    "NotConnectedError",
    "OverrideError",
    "SourceError",
    "StoreError",
    "UnknownEntityError",
    "__version__",
    "build",
    "build_graph",
    "corpus_summary",
    "edge_evidence",
    "evidence",
    "find_node",
    "load_graph",
    "mentions",
    "open_store",
    "read_articles",
    "store_info",
    "to_pyvis",
]
