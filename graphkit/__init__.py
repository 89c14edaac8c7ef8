"""graphkit: turn a corpus of news articles into a map of who is connected to whom.

The Python API does everything the CLI does::

    import graphkit
    graphkit.build([graphkit.SAMPLE_CORPUS], db="sample.db")
    G = graphkit.load_graph("sample.db")
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from graphkit.errors import GraphkitError, ModelError, SourceError, StoreError, UnknownEntityError
from graphkit.graph import build_graph, edge_evidence, find_node
from graphkit.graph import corpus_summary as _corpus_summary
from graphkit.graph.snapshot import cached_graph
from graphkit.ingest.sources import read_articles
from graphkit.pipeline import BuildSummary, build
from graphkit.store import open_store, store_info

__version__ = "0.1.0"

SAMPLE_CORPUS = Path(str(files("graphkit") / "data" / "sample" / "articles.jsonl"))


def load_graph(
    db=None, *, since: str | None = None, until: str | None = None, dated_only: bool = False
):
    """The co-occurrence graph of the store at ``db`` (see :func:`build_graph`).

    The whole graph comes from a snapshot kept beside the store when no write
    happened since it was taken (:mod:`graphkit.graph.snapshot`).
    """
    with open_store(db) as store:
        if since is None and until is None and not dated_only:
            return cached_graph(store)
        return build_graph(store, since=since, until=until, dated_only=dated_only)


def corpus_summary(
    db=None, *, since: str | None = None, until: str | None = None, dated_only: bool = False
) -> dict:
    """Counts, date range and settings of the store's articles in a period (for reports)."""
    with open_store(db) as store:
        return _corpus_summary(store, since=since, until=until, dated_only=dated_only)


__all__ = [
    "SAMPLE_CORPUS",
    "BuildSummary",
    "GraphkitError",
    "ModelError",
    "SourceError",
    "StoreError",
    "UnknownEntityError",
    "__version__",
    "build",
    "build_graph",
    "corpus_summary",
    "edge_evidence",
    "find_node",
    "load_graph",
    "open_store",
    "read_articles",
    "store_info",
]
