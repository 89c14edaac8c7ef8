"""The graph's vocabulary and defaults, importable without networkx, igraph or numpy.

The CLI shows these in its options (``--measure``, ``--top-by``, ``--lists``)
when it starts; keeping them apart from the modules that compute with them
(:mod:`~graphkit.graph.measures`, :mod:`~graphkit.graph.from_store`) lets a
command that never builds a graph (``graphkit info``) start without loading
those libraries, as :mod:`graphkit.ingest.settings` does for spaCy.
"""

from __future__ import annotations

# Centrality measures (graphkit.graph.measures), in the order tables show them.
MEASURES = ("degree", "weighted_degree", "pagerank", "eigenvector", "betweenness", "closeness")
# The default ranking (the first measure) is weighted degree: with weights shared out per
# sentence (1/(n-1) for a sentence naming n entities) it counts the sentences that name an
# entity with anyone else, so a team sheet of 40 names counts once per player, not 39 times.
DEFAULT_MEASURES = ("weighted_degree", "degree", "pagerank", "betweenness")
# Above EXACT_LIMIT entities, betweenness and closeness are estimated from SAMPLE_SIZE pivots.
EXACT_LIMIT = 5000
SAMPLE_SIZE = 768

# Evidence sentences each edge of the graph carries (all stay queryable in the store).
EVIDENCE_PER_EDGE = 3
# A sentence naming more than this many entities is a list (a team sheet, a
# cast, a table of results): ties seen only in lists make no edge by default.
# The README ("Lists make no ties") says how the number was chosen.
LIST_SIZE = 6
