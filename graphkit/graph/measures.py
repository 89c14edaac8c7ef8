"""Centrality measures of the co-occurrence graph: who matters, and how it was measured.

The graph stays a networkx ``Graph``; the measures are computed on an igraph
copy made once per call (:func:`to_igraph`), because igraph's compiled
betweenness and closeness are 20-30 times faster than networkx's on these
graphs (``benchmarks/analysis.py``), and its PageRank and eigenvector need no
SciPy (networkx's ``pagerank`` does, and graphkit does not depend on it).
Values follow networkx's definitions so that they can be checked against it.

Co-occurrence weight is a *strength*; betweenness and closeness need a
*length*. graphkit uses ``distance = 1 / weight``: a tie seen four times is a
quarter as long as a tie seen once (the same cost :func:`strongest_paths`
uses). Above ``exact_limit`` entities betweenness and closeness are estimated
from seeded random pivots (``k`` sources for betweenness, ``k // 3`` for
closeness, whose averages of distances settle faster), and the report says so.

One difference from networkx remains on purpose: igraph treats path lengths
equal within a small tolerance as ties (1/6 + 1/3 = 1/2), while networkx's
exact float comparison may count only one of such paths, so betweenness can
differ slightly when weights are not powers of two.
"""

from __future__ import annotations

import random
import warnings
from dataclasses import dataclass, field

import igraph as ig
import networkx as nx
import numpy as np

from graphkit.errors import GraphkitError
from graphkit.graph.lookup import type_test
from graphkit.graph.settings import DEFAULT_MEASURES, EXACT_LIMIT, MEASURES, SAMPLE_SIZE
from graphkit.graph.snapshot import kept_for_graph

# How each measure is named to a reader, and what it says (reports add the second).
MEASURE_LABELS = {
    "degree": ("degree", "distinct entities co-mentioned"),
    "weighted_degree": ("weighted degree", "co-mentions, shared out per sentence"),
    "pagerank": ("PageRank", None),
    "eigenvector": ("eigenvector centrality", None),
    "betweenness": ("betweenness", "bridges between groups"),
    "closeness": ("closeness", "near everyone else"),
}
DAMPING = 0.85
DISTANCE = "1/weight"
_CHUNK = 64


def measure_label(measure: str, *, explained: bool = False) -> str:
    """How ``measure`` is named to a reader ("weighted degree"); with ``explained``,
    what it says too ("weighted degree (co-mentions)"). Other attributes (``mentions``,
    ``articles``) are named as they are."""
    label, meaning = MEASURE_LABELS.get(measure, (measure, None))
    return f"{label} ({meaning})" if explained and meaning else label


@dataclass(frozen=True)
class CentralityReport:
    """Rows of a centrality table and how each measure was computed.

    ``rows`` are dicts with ``rank``, ``key``, ``name``, ``type``,
    ``articles`` and one value per measure, best first. ``method`` maps each
    measure to a sentence saying how it was computed, plus the graph size,
    the weight-to-distance conversion and, when sampling was used, ``k`` and
    ``seed``.
    """

    rows: list[dict]
    measures: tuple[str, ...]
    method: dict = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """The columns a table of this report shows, in order."""
        return ["rank", "name", "type", "articles", *self.measures]

    def note(self) -> str:
        """One line per measure saying how it was computed, for tables and reports."""
        return "\n".join(f"{m}: {self.method['measures'][m]}" for m in self.measures)


def centrality(
    G: nx.Graph,
    *,
    measures=DEFAULT_MEASURES,
    types=None,
    top: int | None = None,
    sort_by: str | None = None,
    exact_limit: int = EXACT_LIMIT,
    k: int = SAMPLE_SIZE,
    seed: int = 0,
) -> CentralityReport:
    """Centrality of every entity, as a sortable table.

    Parameters
    ----------
    G : networkx.Graph
        A graphkit graph (see :mod:`graphkit.graph`).
    measures : sequence of str or "all"
        Any of ``degree`` (distinct entities co-mentioned), ``weighted_degree``
        (the sum of tie weights: sentences naming the entity with others, a
        list sentence counting once; the default ranking), ``pagerank``
        (weighted, damping 0.85), ``eigenvector`` (weighted, unit length),
        ``betweenness`` and ``closeness`` (both with distance = 1/weight,
        normalised as networkx does).
    types : iterable of str, optional
        Show only entities of these types; measures are still computed on all of ``G``.
    top : int, optional
        Keep the first ``top`` rows.
    sort_by : str, optional
        Measure to rank by (default: the first of ``measures``).
    exact_limit : int
        Largest number of entities for exact betweenness and closeness;
        above it both are estimated from ``k`` pivots.
    k, seed : int
        Random pivots when sampling (``k`` betweenness sources, ``k // 3``
        closeness pivots) and the seed choosing them.

    Returns
    -------
    CentralityReport
    """
    measures = check_measures(measures)
    sort_by = sort_by or measures[0]
    if sort_by not in measures:
        raise GraphkitError(f"cannot sort by {sort_by!r}: it is not among the measures computed")
    nodes = sorted(G, key=str)
    n = len(nodes)
    sampled = n > exact_limit and k < n
    method = {"entities": n, "ties": G.number_of_edges(), "distance": DISTANCE, "measures": {}}
    if sampled and {"betweenness", "closeness"} & set(measures):
        method.update(k=k, closeness_k=_closeness_pivots(k), seed=seed, exact_limit=exact_limit)
    H = None  # the igraph copy, made only if a measure is not kept
    values = {}
    with kept_for_graph(G, keep=not (sampled and seed is None)) as kept:
        for name in measures:
            key = ("measure", name, sampled, k, seed) if sampled else ("measure", name)
            if key not in kept:
                H = to_igraph(G)[0] if H is None else H
                kept[key] = _COMPUTE[name](G, H, nodes, sampled, k, seed)
            values[name], method["measures"][name] = kept[key]
    of_type = type_test(types)
    rows = []
    for i, node in enumerate(nodes):
        data = G.nodes[node]
        if not of_type(data.get("type")):
            continue
        row = {
            "key": node,
            "name": data.get("name", str(node)),
            "type": data.get("type"),
            "articles": data.get("articles", 0),
        }
        row.update((name, values[name][i]) for name in measures)
        rows.append(row)
    rows.sort(key=lambda r: (-(r[sort_by] or 0), r["name"].casefold(), str(r["key"])))
    rows = [{"rank": rank, **row} for rank, row in enumerate(rows[:top], 1)]
    return CentralityReport(rows=rows, measures=measures, method=method)


def check_measures(measures) -> tuple[str, ...]:
    """Validated measure names; ``"all"`` (alone or in a list) means every measure."""
    if isinstance(measures, str):
        measures = (measures,)
    measures = tuple(dict.fromkeys(m.strip().lower().replace("-", "_") for m in measures))
    if "all" in measures:
        return MEASURES
    unknown = [m for m in measures if m not in MEASURES]
    if unknown or not measures:
        raise GraphkitError(
            f"unknown measure {', '.join(map(repr, unknown)) or '(none)'}; "
            f"choose from {', '.join(MEASURES)} or all"
        )
    return measures


def to_igraph(G: nx.Graph) -> tuple[ig.Graph, list]:
    """An igraph copy of ``G``'s structure with ``weight`` and ``distance`` edge attributes.

    Vertices are ``G``'s nodes sorted by key (so seeded sampling picks the
    same entities however ``G`` was built); the list of keys is returned.
    """
    nodes = sorted(G, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges()]
    weight = np.fromiter(
        (w for _, _, w in G.edges(data="weight", default=1)), dtype=float, count=len(edges)
    )
    if weight.size and not (weight > 0).all():
        raise GraphkitError("every edge weight must be positive to turn it into a distance")
    H = ig.Graph(n=len(nodes), edges=edges, directed=False)
    H.es["weight"] = weight.tolist()
    H.es["distance"] = (1.0 / weight).tolist()
    return H, nodes


def pivots(n: int, k: int, seed: int, among=None) -> list[int]:
    """``k`` vertex indices drawn without replacement by ``random.Random(seed)``, sorted."""
    population = range(n) if among is None else list(among)
    return sorted(random.Random(seed).sample(population, min(k, len(population))))


def _degree(G, H, nodes, sampled, k, seed):
    return H.degree(), "number of distinct entities co-mentioned (exact)"


def _weighted_degree(G, H, nodes, sampled, k, seed):
    strength = dict(G.degree(weight="weight"))
    return [strength[node] for node in nodes], (
        "sum of tie weights: the sentences naming the entity with others, each sentence"
        " counting 1 however many it names (exact)"
    )


def _pagerank(G, H, nodes, sampled, k, seed):
    if H.vcount() == 0:
        return [], "PageRank"
    values = H.pagerank(weights="weight", damping=DAMPING)
    return values, f"PageRank on weights, damping {DAMPING} (exact, igraph PRPACK)"


def _betweenness(G, H, nodes, sampled, k, seed):
    n = H.vcount()
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    if not sampled:
        values = np.asarray(H.betweenness(weights="distance"), dtype=float) * scale
        text = f"exact (Brandes, igraph); distance = {DISTANCE}; normalised as networkx"
        return values.tolist(), text
    sources = pivots(n, k, seed)
    values = np.asarray(H.betweenness(weights="distance", sources=sources), dtype=float)
    text = (
        f"sampled: Brandes-Pich estimate from {len(sources)} random source entities of {n}"
        f" (seed {seed}); distance = {DISTANCE}; normalised as networkx"
    )
    return (values * (n / len(sources)) * scale).tolist(), text


def _components(H) -> np.ndarray:
    """Size of each vertex's connected component."""
    membership = np.asarray(H.connected_components().membership, dtype=int)
    return np.bincount(membership)[membership] if membership.size else membership


def _closeness_pivots(k: int) -> int:
    """Closeness pivots to go with ``k`` betweenness sources.

    Averages of distances settle faster than sums of path dependencies: at 10k
    entities 256 pivots rank the exact top 50 with Spearman >= 0.93 over six
    seeds (benchmarks/analysis.py), for a third of the time.
    """
    return max(1, k // 3)


def _closeness(G, H, nodes, sampled, k, seed):
    n = H.vcount()
    size = _components(H).astype(float)
    scale = (size - 1) / (n - 1) if n > 1 else np.zeros(n)
    if not sampled:
        values = np.nan_to_num(np.asarray(H.closeness(weights="distance"), dtype=float))
        text = (
            f"exact; distance = {DISTANCE}; scaled by reachable entities"
            " (Wasserman-Faust, as networkx)"
        )
        return (values * scale).tolist(), text
    values = np.zeros(n)
    k = _closeness_pivots(k)
    chosen = pivots(n, k, seed, among=np.flatnonzero(size > k).tolist())
    total, count = np.zeros(n), np.zeros(n)
    for start in range(0, len(chosen), _CHUNK):
        D = np.asarray(H.distances(source=chosen[start : start + _CHUNK], weights="distance"))
        finite = np.isfinite(D)
        total += np.where(finite, D, 0.0).sum(axis=0)
        count += finite.sum(axis=0)
    estimated = (size > k) & (count > 0) & (total > 0)
    est_sum = total[estimated] * size[estimated] / count[estimated]
    values[estimated] = (size[estimated] - 1) / est_sum
    exact = np.flatnonzero(~estimated & (size > 1))
    if exact.size:
        found = H.closeness(vertices=exact.tolist(), weights="distance")
        values[exact] = np.nan_to_num(np.asarray(found, dtype=float))
    text = (
        f"sampled: Eppstein-Wang estimate from distances to {len(chosen)} random pivot"
        f" entities (seed {seed}), components of up to {k} entities exact;"
        f" distance = {DISTANCE}; Wasserman-Faust scaling"
    )
    return (values * scale).tolist(), text


def _eigenvector(G, H, nodes, sampled, k, seed):
    """Leading eigenvector of the weighted adjacency matrix, unit length, as networkx.

    On a disconnected graph it lives on the component(s) with the largest
    eigenvalue and is 0 elsewhere (the limit networkx's power iteration
    reaches); only components that can hold the largest eigenvalue are solved.
    """
    n = H.vcount()
    values = np.zeros(n)
    text = "weighted, unit length (igraph ARPACK); 0 outside the most central component"
    if H.ecount() == 0:
        return values.tolist(), "0 for every entity: the graph has no ties"
    membership = np.asarray(H.connected_components().membership, dtype=int)
    strength = np.asarray(H.strength(weights="weight"), dtype=float)
    size = np.bincount(membership)
    lower = np.bincount(membership, weights=strength) / size  # mean strength <= eigenvalue
    upper = np.zeros(size.size)  # eigenvalue <= largest strength
    np.maximum.at(upper, membership, strength)
    candidates = np.flatnonzero((upper >= lower.max() * (1 - 1e-9)) & (size > 1))
    found = []
    for c in candidates:
        vertices = np.flatnonzero(membership == c)
        leading = _leading_eigenvector(H.induced_subgraph(vertices.tolist()))
        if leading is None:
            return [None] * n, "not computed: the eigenvector iteration did not converge"
        found.append((leading[1], vertices, leading[0]))
    largest = max(value for value, _, _ in found)
    for value, vertices, vector in found:
        if value >= largest * (1 - 1e-9):
            values[vertices] = vector * vector.sum()
    # ARPACK starts from a random vector: the last digits vary run to run. Twelve
    # significant digits keep every export of the same store identical (item 14).
    return (values / np.linalg.norm(values)).tolist(), text


def _leading_eigenvector(sub: ig.Graph) -> tuple[np.ndarray, float] | None:
    """Unit leading eigenvector and eigenvalue of a connected graph, or None if unsolved."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # ARPACK draws its start vector from igraph's random generator (Python's
            # ``random`` by default): a fixed seed makes every export of the same
            # store identical to the last digit (issue 11, item 14).
            ig.set_random_number_generator(random.Random(0))
            try:
                vector, value = sub.eigenvector_centrality(
                    scale=False, weights="weight", return_eigenvalue=True
                )
            finally:
                ig.set_random_number_generator(random)
    except ig.InternalError:
        F = nx.Graph()
        F.add_nodes_from(range(sub.vcount()))
        F.add_weighted_edges_from(
            (*e, w) for e, w in zip(sub.get_edgelist(), sub.es["weight"], strict=True)
        )
        try:
            found = nx.eigenvector_centrality(F, max_iter=1000, weight="weight")
        except nx.PowerIterationFailedConvergence:
            return None
        vector = [found[i] for i in range(sub.vcount())]
        value = None
    vector = np.abs(np.asarray(vector, dtype=float))
    vector /= np.linalg.norm(vector)
    if value is None:
        A = np.zeros(sub.vcount())
        for (a, b), w in zip(sub.get_edgelist(), sub.es["weight"], strict=True):
            A[a] += w * vector[b]
            A[b] += w * vector[a]
        value = float(vector @ A)
    return vector, float(value)


_COMPUTE = {
    "degree": _degree,
    "weighted_degree": _weighted_degree,
    "pagerank": _pagerank,
    "eigenvector": _eigenvector,
    "betweenness": _betweenness,
    "closeness": _closeness,
}
