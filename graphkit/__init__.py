"""graphkit: turn a corpus of news articles into a map of who is connected to whom.

The Python API does everything the CLI does::

    import graphkit
    graphkit.build([graphkit.SAMPLE_CORPUS], db="sample.db")
    G = graphkit.load_graph("sample.db")
"""

from __future__ import annotations

import importlib
import inspect
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

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
from graphkit.store import open_store, store_info

if TYPE_CHECKING:
    from graphkit.graph.drilldown import Listing
    from graphkit.graph.from_store import build_graph, edge_evidence
    from graphkit.graph.lookup import find_node
    from graphkit.ingest.sources import read_articles
    from graphkit.pipeline import BuildSummary, build

__version__ = "0.1.0"

SAMPLE_CORPUS = Path(str(files("graphkit") / "data" / "sample" / "articles.jsonl"))

# The rest of the API, imported on first use (PEP 562): ``import graphkit`` stays
# cheap for commands that never build or analyse a graph (``graphkit info``),
# while ``graphkit.build``, ``graphkit.build_graph``... work as plain attributes.
_LAZY = {
    "BuildSummary": "graphkit.pipeline",
    "build": "graphkit.pipeline",
    "build_graph": "graphkit.graph.from_store",
    "edge_evidence": "graphkit.graph.from_store",
    "find_node": "graphkit.graph.lookup",
    "Listing": "graphkit.graph.drilldown",
    "read_articles": "graphkit.ingest.sources",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'graphkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def load_graph(db=None, *, evidence: int | None = None, **reading):
    """The co-occurrence graph of the store at ``db``.

    ``reading``: the keyword arguments of :func:`graphkit.graph.build_graph`
    (``since``, ``until``, ``dated_only``, ``where``, ``exclude``,
    ``stored_exclusions``, ``lists``). ``evidence``: sentences carried per tie
    (default: :data:`graphkit.graph.EVIDENCE_PER_EDGE`). The whole graph (no
    period, field or exclusion filter) comes from a snapshot kept beside the
    store when no write happened since it was taken (:mod:`graphkit.graph.snapshot`).
    """
    from graphkit.graph.from_store import build_graph
    from graphkit.graph.snapshot import cached_graph

    unknown = set(reading) - (
        set(inspect.signature(build_graph).parameters) - {"store", "evidence"}
    )
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
    from graphkit.graph.drilldown import entity_mentions

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
    from graphkit.graph.drilldown import tie_evidence

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
    from graphkit.graph.from_store import corpus_summary as summary

    with open_store(db) as store:
        return summary(store, **selection)


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
