"""The co-occurrence graph: built from the store, then analysed. ``G`` in, plain data out.

- :mod:`~graphkit.graph.from_store`: store → networkx ``Graph``, evidence and period summaries;
- :mod:`~graphkit.graph.lookup`: the node a user means by a name or alias;
- :mod:`~graphkit.graph.filters`: smaller graphs (types, weights, top N);
- :mod:`~graphkit.graph.measures`: centrality (igraph), exact or sampled;
- :mod:`~graphkit.graph.community`: Louvain communities;
- :mod:`~graphkit.graph.paths`: neighbours and strongest paths, with evidence;
- :mod:`~graphkit.graph.compare`: who rises and falls between two periods;
- :mod:`~graphkit.graph.annotate`: a copy carrying measures and communities;
- :mod:`~graphkit.graph.settings`: the measures' names and the defaults (no import cost).

The names below are imported from their modules on first use (PEP 562), so a
command that reads one module (``graphkit.graph.drilldown``) does not pay for
networkx, igraph and numpy through this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from graphkit.errors import NotConnectedError
from graphkit.graph.annotate import annotate
from graphkit.graph.settings import (
    DEFAULT_MEASURES,
    EVIDENCE_PER_EDGE,
    EXACT_LIMIT,
    LIST_SIZE,
    MEASURES,
    SAMPLE_SIZE,
)

if TYPE_CHECKING:
    from graphkit.graph.community import (
        LOUVAIN,
        Community,
        communities,
        communities_note,
        community_of,
        largest_communities,
        modularity,
    )
    from graphkit.graph.compare import Change, compare_periods
    from graphkit.graph.filters import copy_graph, filter_graph
    from graphkit.graph.from_store import build_graph, corpus_summary, edge_evidence
    from graphkit.graph.lookup import NodeMatch, find_node, lookup_node, node_name
    from graphkit.graph.measures import CentralityReport, centrality, check_measures
    from graphkit.graph.paths import (
        Hop,
        Neighbour,
        Route,
        neighbours,
        neighbours_from_store,
        strongest_paths,
    )

_LAZY = {
    **dict.fromkeys(
        [
            "LOUVAIN",
            "Community",
            "communities",
            "communities_note",
            "community_of",
            "largest_communities",
            "modularity",
        ],
        "community",
    ),
    **dict.fromkeys(["Change", "compare_periods"], "compare"),
    **dict.fromkeys(["copy_graph", "filter_graph"], "filters"),
    **dict.fromkeys(["build_graph", "corpus_summary", "edge_evidence"], "from_store"),
    **dict.fromkeys(["NodeMatch", "find_node", "lookup_node", "node_name"], "lookup"),
    **dict.fromkeys(["CentralityReport", "centrality", "check_measures"], "measures"),
    **dict.fromkeys(
        ["Hop", "Neighbour", "Route", "neighbours", "neighbours_from_store", "strongest_paths"],
        "paths",
    ),
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'graphkit.graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"graphkit.graph.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "DEFAULT_MEASURES",
    "EVIDENCE_PER_EDGE",
    "EXACT_LIMIT",
    "LIST_SIZE",
    "LOUVAIN",
    "MEASURES",
    "SAMPLE_SIZE",
    "CentralityReport",
    "Change",
    "Community",
    "Hop",
    "Neighbour",
    "NodeMatch",
    "NotConnectedError",
    "Route",
    "annotate",
    "build_graph",
    "centrality",
    "check_measures",
    "communities",
    "communities_note",
    "community_of",
    "compare_periods",
    "copy_graph",
    "corpus_summary",
    "edge_evidence",
    "filter_graph",
    "find_node",
    "largest_communities",
    "lookup_node",
    "modularity",
    "neighbours",
    "neighbours_from_store",
    "node_name",
    "strongest_paths",
]
