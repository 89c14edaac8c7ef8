"""Who is next to an entity, and how two entities are connected, with the sentences that say so.

Both functions accept an entity's key, display name or any alias (see
:func:`graphkit.graph.find_node`). The strongest connection is the path of
least total cost where a hop costs ``1 / weight``, the same distance
betweenness and closeness use (:mod:`graphkit.graph.measures`): two hops seen 10
times each (cost 0.2) beat one hop seen 4 times (cost 0.25).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from itertools import islice, pairwise

import networkx as nx

from graphkit.errors import AmbiguousEntityError, GraphkitError, NotConnectedError
from graphkit.graph.exclusions import publishers
from graphkit.graph.from_store import (
    NOT_DUPLICATES,
    ORIGINALS,
    _evidence_rows,
    prose_weight,
    tie_rows,
)
from graphkit.graph.lookup import NodeMatch, find_node, match_in_store, type_test
from graphkit.graph.lookup import node_name as _name
from graphkit.store import Store, open_store


@dataclass(frozen=True)
class Neighbour:
    """An entity co-mentioned with the one asked about (``depth`` 1) or with one of those (2).

    For ``depth`` 2, ``via`` is the direct neighbour linking them, ``weight``
    the weaker of the two ties, and ``articles`` and ``evidence`` belong to
    the tie from ``via`` to this entity.
    """

    key: str
    name: str
    type: str | None
    weight: int
    articles: int
    depth: int = 1
    via: str | None = None
    via_name: str | None = None
    evidence: list[dict] = field(default_factory=list)
    sentences: int = 0  # raw co-occurrences behind the tie (``weight`` shares out list sentences)


@dataclass(frozen=True)
class Hop:
    """One tie on a path: its two entities, weight, article count and evidence records."""

    source: str
    target: str
    source_name: str
    target_name: str
    weight: int
    articles: int
    evidence: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Route:
    """A chain of ties from one entity to another.

    ``cost`` is the sum of ``1/weight`` over the hops (lower is stronger);
    ``strength`` is the weakest hop's weight.
    """

    nodes: tuple[str, ...]
    names: tuple[str, ...]
    hops: tuple[Hop, ...]
    cost: float
    strength: int


def neighbours(
    G: nx.Graph,
    key: str,
    *,
    depth: int = 1,
    min_weight: int = 1,
    types=None,
    limit: int | None = None,
    evidence: int = 3,
) -> list[Neighbour]:
    """The entities co-mentioned with ``key``, strongest tie first, each with its evidence.

    Parameters
    ----------
    G : networkx.Graph
        A graphkit graph.
    key : str
        The entity: key, name or alias.
    depth : {1, 2}
        2 also lists entities two ties away (not directly tied), each with the
        direct neighbour it is reached ``via`` (the one giving the strongest
        weaker tie).
    min_weight : int
        Follow only ties seen at least this many times.
    types : iterable of str, optional
        List only neighbours of these types (any type may be a ``via``).
    limit : int, optional
        At most this many neighbours at each depth.
    evidence : int
        Evidence records (sentence, article title, date, url) per neighbour.

    Returns
    -------
    list of Neighbour
        Depth 1 first; within a depth by weight (descending), then name.
    """
    if depth not in (1, 2):
        raise GraphkitError(f"depth must be 1 or 2, not {depth}")
    node = find_node(G, key)
    of_type = type_test(types)
    direct = {n: d for n, d in G[node].items() if n != node and times_seen(d) >= min_weight}
    rows = [
        Neighbour(
            n,
            _name(G, n),
            G.nodes[n].get("type"),
            d.get("weight", 1),
            d.get("articles", 0),
            evidence=list(d.get("evidence", ()))[:evidence],
            sentences=times_seen(d),
        )
        for n, d in direct.items()
        if of_type(G.nodes[n].get("type"))
    ]
    result = _ordered(rows)[:limit]
    if depth == 2:
        best: dict = {}
        for via, first in direct.items():
            for n, d in G[via].items():
                if n == node or n in direct or not of_type(G.nodes[n].get("type")):
                    continue
                w1, w2 = first.get("weight", 1), d.get("weight", 1)
                if times_seen(d) < min_weight:
                    continue
                rank = (min(w1, w2), w1 + w2, _name(G, via).casefold())
                if n not in best or _better(rank, best[n][0]):
                    best[n] = (rank, via, d)
        second = [
            Neighbour(
                n,
                _name(G, n),
                G.nodes[n].get("type"),
                rank[0],
                d.get("articles", 0),
                depth=2,
                via=via,
                via_name=_name(G, via),
                evidence=list(d.get("evidence", ()))[:evidence],
                sentences=times_seen(d),
            )
            for n, (rank, via, d) in best.items()
        ]
        result += _ordered(second)[:limit]
    return result


def neighbours_from_store(
    db,
    name: str,
    *,
    depth: int = 1,
    min_weight: int = 1,
    types=None,
    limit: int | None = None,
    evidence: int = 3,
) -> tuple[NodeMatch, list[Neighbour]] | None:
    """:func:`neighbours` of ``name`` in the whole graph, read from the store by index.

    Only the entity's own ties (and at ``depth`` 2 its neighbours' ties) are
    read (:func:`neighbourhood`), so the answer costs what the entity's
    neighbourhood costs, not the corpus. The rows are those
    :func:`neighbours` gives on the store's whole graph; the name is looked
    up by the same rule over the whole store (:func:`match_in_store`).
    Ties seen only in list sentences and the store's publishers are left
    out, as in the whole graph. Returns ``None`` where the answer or the
    error is the whole graph's to give: the store has exclusion decisions
    (``graphkit exclude``, matched on the whole graph), or ``name`` is
    unknown, ambiguous, a publisher, or named only in near-duplicates.
    """
    if depth not in (1, 2):
        raise GraphkitError(f"depth must be 1 or 2, not {depth}")
    with open_store(db) as store:
        if store.query("SELECT 1 FROM exclusions WHERE active = 1 LIMIT 1").fetchone():
            return None
        try:
            match = match_in_store(store, name)
        except AmbiguousEntityError:
            return None  # the candidates the graph lists are those it holds
        left_out = {found["key"] for found in publishers(store)}
        if match is None or match.node in left_out:
            return None
        G = neighbourhood(store, match.node, depth=depth, leave_out=left_out)
        if match.node not in G:  # named in near-duplicate articles only: the graph says so
            return None
        rows = neighbours(
            G, match.node, depth=depth, min_weight=min_weight, types=types, limit=limit
        )
        return match, _with_evidence(store, match.node, rows, evidence)


def _with_evidence(store: Store, key: str, rows: list[Neighbour], evidence: int) -> list[Neighbour]:
    """``rows`` with the first ``evidence`` records of the tie each one lists.

    Read for those ties only (one query): at depth 2 the neighbourhood holds
    every tie of every neighbour, and a list of 20 rows shows 20 of them.
    """
    if evidence < 1 or not rows:
        return rows
    tie = {row.key: tuple(sorted((row.via or key, row.key))) for row in rows}
    found: dict[tuple, list[dict]] = {}
    prose = prose_weight(store.settings.get("window", "sentence"), False)
    for a, b, record in _evidence_rows(
        store, ORIGINALS, [], evidence, sorted(set(tie.values())), prose=prose
    ):
        found.setdefault((a, b), []).append(record)
    return [replace(row, evidence=found.get(tie[row.key], [])) for row in rows]


def neighbourhood(
    store: Store,
    key: str,
    *,
    depth: int = 1,
    leave_out=frozenset(),
) -> nx.Graph:
    """The part of the store's whole graph :func:`neighbours` reads for ``key``.

    ``key``, its ties and the entities at their ends; at ``depth`` 2 also
    those entities' ties and the entities at their ends. Edges carry what
    :func:`graphkit.graph.build_graph` gives them but their evidence (read
    for the rows shown only, :func:`_with_evidence`); nodes their name, type
    and aliases only (mention counts would read every mention of a
    much-named entity). Read from the covering indexes of the ties at either
    end (``cooccurrences (a, b, ...)``, ``cooccurrences (b, a, ...)``), of
    the near-duplicates and of the entities' keys: no table row is read but
    the entities'. Ties seen only in list sentences make no edge, as in
    :func:`graphkit.graph.build_graph`; the entities in ``leave_out`` are no
    nodes, and nothing is reached through them.
    """
    G = nx.Graph()
    prose = prose_weight(store.settings.get("window", "sentence"), False)
    seen, frontier, ties = {key}, [key], []
    for _ in range(depth):
        rows = [
            (a, b, weight, count, articles)
            for a, b, weight, count, articles, in_prose in tie_rows(
                store,
                f"{_AT_ENDS} AND {NOT_DUPLICATES}",
                [json.dumps(frontier)] * 2,
                prose,
                articles=False,
            )
            if in_prose and a not in leave_out and b not in leave_out
        ]
        ties += rows
        reached = {end for a, b, *_ in rows for end in (a, b)} - seen
        seen |= reached
        frontier = sorted(reached)
    if (
        not ties
        and not store.query(
            "SELECT 1 FROM mentions m JOIN articles ar ON ar.id = m.article_id"
            f" WHERE m.entity = ? AND {ORIGINALS} LIMIT 1",
            (key,),
        ).fetchone()
    ):
        return G  # named in near-duplicate articles only: not in the graph
    # Every end of a tie is named in an original article (ties are only
    # counted there), so it is a node of the whole graph.
    for k, name, kind, aliases in store.query(
        "SELECT key, name, type, aliases FROM entities"
        " WHERE key IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(seen)),),
    ):
        G.add_node(k, name=name, type=kind, aliases=[surface for surface, _ in json.loads(aliases)])
    G.add_edges_from(
        (a, b, {"weight": weight, "cooccurrences": count, "articles": articles, "evidence": []})
        for a, b, weight, count, articles in ties
        if a in G and b in G
    )
    return G


# A tie with either end among the keys of a JSON list (bound twice).
_AT_ENDS = "(c.a IN (SELECT value FROM json_each(?)) OR c.b IN (SELECT value FROM json_each(?)))"


def strongest_paths(G: nx.Graph, a: str, b: str, *, k: int = 1, evidence: int = 3) -> list[Route]:
    """The ``k`` strongest connections from ``a`` to ``b``, hop by hop with evidence.

    Parameters
    ----------
    G : networkx.Graph
        A graphkit graph.
    a, b : str
        The two entities: key, name or alias.
    k : int
        How many alternatives (Yen's k shortest simple paths, by cost).
    evidence : int
        Evidence records kept per hop.

    Returns
    -------
    list of Route
        Strongest (lowest cost) first; fewer than ``k`` if there are no more.

    Raises
    ------
    NotConnectedError
        No chain of ties links ``a`` and ``b``.
    """
    source, target = find_node(G, a), find_node(G, b)
    if source == target:
        raise GraphkitError(f"{a!r} and {b!r} are the same entity; give two different entities")
    if k < 1:
        raise GraphkitError(f"k must be at least 1, not {k}")
    found = nx.shortest_simple_paths(G, source, target, weight=_cost)
    try:
        chains = list(islice(found, k))
    except nx.NetworkXNoPath as err:
        where = " in the graph as filtered" if G.graph.get("filters") else ""
        raise NotConnectedError(
            f"{_name(G, source)!r} and {_name(G, target)!r} are not connected{where}:"
            " no chain of co-mentions links them"
        ) from err
    paths = []
    for chain in chains:
        hops = tuple(
            Hop(
                u,
                v,
                _name(G, u),
                _name(G, v),
                G.edges[u, v].get("weight", 1),
                G.edges[u, v].get("articles", 0),
                list(G.edges[u, v].get("evidence", ()))[:evidence],
            )
            for u, v in pairwise(chain)
        )
        paths.append(
            Route(
                nodes=tuple(chain),
                names=tuple(_name(G, n) for n in chain),
                hops=hops,
                cost=sum(1.0 / hop.weight for hop in hops),
                strength=min(hop.weight for hop in hops),
            )
        )
    return paths


def times_seen(data: dict) -> int:
    """Co-occurrences (sentences or windows) a tie rests on; ``--min-weight`` counts them."""
    return data.get("cooccurrences", data.get("weight", 1))


def _cost(u, v, data) -> float:
    return 1.0 / data.get("weight", 1)


def _better(rank: tuple, other: tuple) -> bool:
    """Higher weaker tie, then higher total, then the via name first alphabetically."""
    return (rank[0], rank[1]) > (other[0], other[1]) or (
        (rank[0], rank[1]) == (other[0], other[1]) and rank[2] < other[2]
    )


def _ordered(rows: list[Neighbour]) -> list[Neighbour]:
    return sorted(rows, key=lambda r: (-r.weight, r.name.casefold(), str(r.key)))
