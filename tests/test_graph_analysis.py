"""Centrality, communities, neighbours, paths and filters on small hand-built graphs."""

from __future__ import annotations

import copy
import itertools
import random

import igraph as ig
import networkx as nx
import numpy as np
import pytest

from graphkit.errors import GraphkitError, NotConnectedError, UnknownEntityError
from graphkit.graph import (
    MEASURES,
    annotate,
    centrality,
    communities,
    community_of,
    compare_periods,
    filter_graph,
    modularity,
    neighbours,
    strongest_paths,
)


def evidence(a, b, n=1):
    return [
        {
            "article_id": f"{a}-{b}-{i}",
            "title": f"{a} and {b}, part {i}",
            "date": "2024-03-0" + str(i + 1),
            "url": f"https://news.example/{a}-{b}/{i}",
            "sentence": f"{a} met {b} (story {i}).",
        }
        for i in range(n)
    ]


def graph(nodes, edges) -> nx.Graph:
    """A graphkit-shaped graph: nodes (key, name, type, articles), edges (a, b, weight)."""
    G = nx.Graph(window="sentence", model="test", articles=10)
    for key, name, kind, articles in nodes:
        G.add_node(
            key,
            name=name,
            type=kind,
            mentions=articles * 2,
            articles=articles,
            aliases=[name, name.split()[-1]],
            first_date="2024-03-01",
            last_date="2024-03-09",
        )
    for a, b, weight in edges:
        G.add_edge(a, b, weight=weight, articles=max(1, weight // 2), evidence=evidence(a, b, 3))
    return G


@pytest.fixture
def people():
    """Two groups joined through Carol; Dave and Erin apart; Zed alone."""
    nodes = [
        ("alice", "Alice Moreau", "PERSON", 5),
        ("bob", "Bob Stone", "PERSON", 4),
        ("acme", "Acme Holdings", "ORG", 6),
        ("carol", "Carol Diaz", "PERSON", 3),
        ("nordpay", "Nordpay", "ORG", 4),
        ("tomas", "Tomas Berg", "PERSON", 2),
        ("dave", "Dave Lee", "PERSON", 1),
        ("erin", "Erin Roe", "ORG", 1),
        ("zed", "Zed Null", "PERSON", 1),
    ]
    edges = [
        ("alice", "bob", 8),
        ("alice", "acme", 4),
        ("bob", "acme", 4),
        ("acme", "carol", 2),
        ("carol", "nordpay", 2),
        ("nordpay", "tomas", 8),
        ("carol", "tomas", 1),
        ("alice", "tomas", 2),
        ("dave", "erin", 2),
    ]
    return graph(nodes, edges)


@pytest.fixture
def medium():
    """60 entities in a power-law cluster plus two small components and an isolate.

    Weights are powers of two, so 1/weight distances add up exactly and
    networkx's exact float comparison of path lengths finds the same ties igraph does.
    """
    G = nx.powerlaw_cluster_graph(60, 3, 0.1, seed=2)
    G.add_edges_from([(100, 101), (200, 201), (201, 202)])
    G.add_node(300)
    G = nx.relabel_nodes(G, {n: f"e{n:03d}" for n in G})
    rng = random.Random(1)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = rng.choice([1, 2, 4, 8, 16])
    for n in G:
        G.nodes[n].update(name=f"Entity {n}", type="ORG" if n.endswith("0") else "PERSON")
        G.nodes[n]["articles"] = 1
    return G


def values(report, measure) -> dict:
    return {row["key"]: row[measure] for row in report.rows}


def pagerank_reference(G, alpha=0.85) -> dict:
    """Weighted PageRank by power iteration of the Google matrix (dangling nodes: uniform)."""
    nodes = list(G)
    A = nx.to_numpy_array(G, nodelist=nodes, weight="weight")
    out = A.sum(axis=1)
    n = len(nodes)
    x = np.full(n, 1 / n)
    for _ in range(1000):
        spread = np.divide(x, out, out=np.zeros(n), where=out > 0)
        x = alpha * (A.T @ spread + x[out == 0].sum() / n) + (1 - alpha) / n
    return dict(zip(nodes, x, strict=True))


def distances(G) -> nx.Graph:
    D = G.copy()
    for _, _, data in D.edges(data=True):
        data["distance"] = 1 / data["weight"]
    return D


def test_hand_computed_values_on_a_path():
    G = graph(
        [("a", "A a", "PERSON", 1), ("b", "B b", "PERSON", 1), ("c", "C c", "ORG", 1)],
        [("a", "b", 1), ("b", "c", 2)],
    )
    report = centrality(G, measures="all")
    b = {m: values(report, m)["b"] for m in MEASURES}
    assert b["degree"] == 2
    assert b["weighted_degree"] == 3
    assert b["betweenness"] == pytest.approx(1.0)
    assert b["closeness"] == pytest.approx(2 / (1 + 0.5))
    assert values(report, "closeness")["a"] == pytest.approx(2 / (1 + 1.5))
    assert values(report, "closeness")["c"] == pytest.approx(2 / (0.5 + 1.5))
    # the leading eigenvector of [[0,1,0],[1,0,2],[0,2,0]]: (1, sqrt 5, 2) / sqrt 10
    assert values(report, "eigenvector") == pytest.approx(
        {"a": 1 / 10**0.5, "b": 5**0.5 / 10**0.5, "c": 2 / 10**0.5}
    )
    assert sum(values(report, "pagerank").values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("measure", "reference"),
    [
        ("degree", lambda G: dict(G.degree)),
        ("weighted_degree", lambda G: dict(G.degree(weight="weight"))),
        ("pagerank", pagerank_reference),
        (
            "eigenvector",
            lambda G: nx.eigenvector_centrality(G, weight="weight", max_iter=5000, tol=1e-12),
        ),
        ("betweenness", lambda G: nx.betweenness_centrality(distances(G), weight="distance")),
        ("closeness", lambda G: nx.closeness_centrality(distances(G), distance="distance")),
    ],
)
def test_measures_equal_networkx(medium, measure, reference):
    report = centrality(medium, measures=(measure,))
    assert values(report, measure) == pytest.approx(reference(medium), abs=1e-7)


def test_rows_ranked_with_columns_and_method(people):
    report = centrality(people, measures=("weighted_degree", "betweenness"), top=3)
    assert report.columns == ["rank", "name", "type", "articles", "weighted_degree", "betweenness"]
    assert [(r["rank"], r["name"], r["weighted_degree"]) for r in report.rows] == [
        (1, "Alice Moreau", 14),
        (2, "Bob Stone", 12),
        (3, "Tomas Berg", 11),
    ]
    assert report.rows[0]["key"] == "alice" and report.rows[0]["articles"] == 5
    assert report.method["distance"] == "1/weight"
    assert "exact" in report.method["measures"]["betweenness"]
    assert "k" not in report.method
    assert report.note().splitlines()[1].startswith("betweenness: exact")


def test_types_filter_rows_but_not_the_graph(people):
    full = values(centrality(people, measures=("betweenness",)), "betweenness")
    orgs = centrality(people, measures=("betweenness",), types=["org"])
    assert {r["type"] for r in orgs.rows} == {"ORG"}
    assert values(orgs, "betweenness") == {k: full[k] for k in ("acme", "nordpay", "erin")}
    assert [r["rank"] for r in orgs.rows] == [1, 2, 3]


def test_sort_by_and_measure_names(people):
    report = centrality(people, measures="all", sort_by="closeness")
    assert report.measures == MEASURES
    closeness = [r["closeness"] for r in report.rows]
    assert closeness == sorted(closeness, reverse=True)
    assert centrality(people, measures=["weighted-degree"]).measures == ("weighted_degree",)
    with pytest.raises(GraphkitError, match="unknown measure 'fame'"):
        centrality(people, measures=("degree", "fame"))
    with pytest.raises(GraphkitError, match="cannot sort by 'degree'"):
        centrality(people, measures=("pagerank",), sort_by="degree")


def test_sampled_above_the_limit_says_how(medium):
    exact = centrality(medium, measures=("betweenness", "closeness"))
    sampled = centrality(
        medium, measures=("betweenness", "closeness"), exact_limit=10, k=40, seed=7
    )
    assert sampled.method["k"] == 40 and sampled.method["seed"] == 7
    assert sampled.method["exact_limit"] == 10
    assert "sampled" in sampled.method["measures"]["betweenness"]
    assert "40 random source entities of 66 (seed 7)" in sampled.method["measures"]["betweenness"]
    assert "sampled" in sampled.method["measures"]["closeness"]
    again = centrality(medium, measures=("betweenness", "closeness"), exact_limit=10, k=40, seed=7)
    assert again.rows == sampled.rows
    for measure in ("betweenness", "closeness"):
        a, b = values(exact, measure), values(sampled, measure)
        keys = sorted(a)
        assert np.corrcoef([a[k] for k in keys], [b[k] for k in keys])[0, 1] > 0.9
    # components no larger than k are measured exactly
    for key in ("e100", "e101", "e200", "e201", "e202", "e300"):
        assert values(sampled, "closeness")[key] == pytest.approx(values(exact, "closeness")[key])


def test_no_sampling_when_k_covers_the_graph(medium):
    report = centrality(medium, measures=("betweenness",), exact_limit=10, k=len(medium))
    assert report.method["measures"]["betweenness"].startswith("exact")


def test_eigenvector_on_disconnected_graphs_is_networkx_limit():
    G = graph(
        [(k, k.upper() + " x", "ORG", 1) for k in "abcdefg"],
        [("a", "b", 1), ("b", "c", 1), ("c", "a", 1), ("d", "e", 1), ("e", "f", 1), ("f", "d", 1)],
    )
    G.add_edge("a", "g", weight=1)  # the first component now has the larger eigenvalue
    report = centrality(G, measures=("eigenvector",))
    expected = nx.eigenvector_centrality(G, weight="weight", max_iter=5000, tol=1e-10)
    assert values(report, "eigenvector") == pytest.approx(expected, abs=1e-6)
    assert values(report, "eigenvector")["d"] == 0
    G.remove_node("g")  # two identical triangles: equal shares, as networkx
    twins = values(centrality(G, measures=("eigenvector",)), "eigenvector")
    assert twins == pytest.approx(dict.fromkeys("abcdef", 1 / 6**0.5))


def test_eigenvector_falls_back_then_gives_up(people, monkeypatch):
    expected = values(centrality(people, measures=("eigenvector",)), "eigenvector")

    def fail(*args, **kwargs):
        raise ig.InternalError("ARPACK error")

    monkeypatch.setattr(ig.Graph, "eigenvector_centrality", fail)
    fallback = values(centrality(people, measures=("eigenvector",)), "eigenvector")
    assert fallback == pytest.approx(expected, abs=1e-5)

    def diverge(*args, **kwargs):
        raise nx.PowerIterationFailedConvergence(1000)

    monkeypatch.setattr(nx, "eigenvector_centrality", diverge)
    report = centrality(people, measures=("eigenvector", "degree"))
    assert set(values(report, "eigenvector").values()) == {None}
    assert "did not converge" in report.method["measures"]["eigenvector"]
    assert report.rows[0]["rank"] == 1


def test_graphs_without_ties_or_entities():
    lonely = graph([("a", "A a", "PERSON", 1), ("b", "B b", "ORG", 1)], [])
    report = centrality(lonely, measures="all")
    assert [r["eigenvector"] for r in report.rows] == [0.0, 0.0]
    assert [r["betweenness"] for r in report.rows] == [0.0, 0.0]
    assert [r["closeness"] for r in report.rows] == [0.0, 0.0]
    assert centrality(nx.Graph(), measures="all").rows == []


def test_communities_are_seeded_weighted_and_numbered(people):
    found = communities(people, seed=1)
    assert found == communities(people, seed=1)
    assert [c.id for c in found] == list(range(1, len(found) + 1))
    assert [c.size for c in found] == sorted((c.size for c in found), reverse=True)
    groups = {frozenset(c.members) for c in found}
    assert frozenset({"alice", "bob", "acme"}) in groups
    assert frozenset({"dave", "erin"}) in groups
    first = next(c for c in found if "alice" in c.members)
    assert [m["name"] for m in first.top] == ["Alice Moreau", "Bob Stone", "Acme Holdings"]
    assert first.top[0]["weighted_degree"] == 14
    assert first.types == {"PERSON": 2, "ORG": 1}
    membership = community_of(found)
    assert set(membership) == set(people) and membership["alice"] == first.id
    expected = nx.community.modularity(people, [set(c.members) for c in found], weight="weight")
    assert modularity(people, found) == pytest.approx(expected)


def test_annotate_works_on_a_copy(people):
    before = copy.deepcopy(people)
    annotated = annotate(people, measures=("pagerank", "degree"))
    assert nx.utils.graphs_equal(people, before)
    assert "pagerank" not in people.nodes["alice"] and "community" not in people.nodes["alice"]
    assert annotated.nodes["alice"]["degree"] == 3
    assert annotated.nodes["alice"]["community"] == annotated.nodes["bob"]["community"]
    assert "pagerank: PageRank" in annotated.graph["centrality"]
    assert "seed 0" in annotated.graph["communities"]


def test_neighbours_by_weight_then_name_with_evidence(people):
    rows = neighbours(people, "Alice Moreau", evidence=2)
    assert [(r.name, r.weight, r.depth) for r in rows] == [
        ("Bob Stone", 8, 1),
        ("Acme Holdings", 4, 1),
        ("Tomas Berg", 2, 1),
    ]
    assert rows[0].evidence == evidence("alice", "bob", 3)[:2]
    assert rows[0].evidence[0]["sentence"] == "alice met bob (story 0)."
    assert [r.name for r in neighbours(people, "alice", min_weight=4)] == [
        "Bob Stone",
        "Acme Holdings",
    ]
    assert [r.name for r in neighbours(people, "alice", types=["ORG"])] == ["Acme Holdings"]
    assert [r.name for r in neighbours(people, "moreau", limit=1)] == ["Bob Stone"]


def test_second_degree_neighbours_name_their_via(people):
    rows = neighbours(people, "alice", depth=2)
    assert [r.depth for r in rows] == [1, 1, 1, 2, 2]
    second = [(r.name, r.via_name, r.weight) for r in rows if r.depth == 2]
    # Carol: via Acme min(4, 2) = 2 beats via Tomas min(2, 1); Nordpay: via Tomas min(2, 8)
    assert second == [("Carol Diaz", "Acme Holdings", 2), ("Nordpay", "Tomas Berg", 2)]
    carol = next(r for r in rows if r.key == "carol")
    assert carol.via == "acme" and carol.evidence[0]["article_id"] == "acme-carol-0"
    assert [r.name for r in neighbours(people, "alice", depth=2, min_weight=3)] == [
        "Bob Stone",
        "Acme Holdings",
    ]
    persons = neighbours(people, "alice", depth=2, types=["PERSON"])
    assert [(r.name, r.via_name) for r in persons] == [
        ("Bob Stone", None),
        ("Tomas Berg", None),
        ("Carol Diaz", "Acme Holdings"),
    ]


def test_neighbours_errors(people):
    with pytest.raises(UnknownEntityError, match="Alise"):
        neighbours(people, "Alise Moreau")
    with pytest.raises(GraphkitError, match="depth must be 1 or 2"):
        neighbours(people, "alice", depth=3)


def test_strongest_path_prefers_strong_hops_and_carries_evidence(people):
    # Carol-Tomas directly costs 1/1; via Nordpay 1/2 + 1/8; via Acme and Alice 1/2 + 1/4 + 1/2
    paths = strongest_paths(people, "Carol Diaz", "Tomas Berg", k=3)
    assert [p.names for p in paths] == [
        ("Carol Diaz", "Nordpay", "Tomas Berg"),
        ("Carol Diaz", "Tomas Berg"),
        ("Carol Diaz", "Acme Holdings", "Alice Moreau", "Tomas Berg"),
    ]
    assert [p.cost for p in paths] == pytest.approx([0.625, 1.0, 1.25])
    assert [p.strength for p in paths] == [2, 1, 2]
    assert strongest_paths(people, "carol", "tomas")[0].nodes == ("carol", "nordpay", "tomas")
    for p in paths:
        assert len(p.hops) == len(p.nodes) - 1
        for hop, (a, b) in zip(p.hops, itertools.pairwise(p.nodes), strict=True):
            assert (hop.source, hop.target) == (a, b)
            assert hop.weight == people.edges[a, b]["weight"]
            assert hop.evidence == people.edges[a, b]["evidence"]
            assert {a, b} == set(hop.evidence[0]["article_id"].split("-")[:2])


def test_not_connected_and_same_entity(people):
    with pytest.raises(NotConnectedError, match="'Alice Moreau' and 'Dave Lee' are not connected"):
        strongest_paths(people, "alice", "dave")
    filtered = filter_graph(people, min_weight=4)
    with pytest.raises(NotConnectedError, match="not connected in the graph as filtered"):
        strongest_paths(filtered, "alice", "tomas")
    with pytest.raises(GraphkitError, match="same entity"):
        strongest_paths(people, "alice", "Moreau")


def test_filters_make_a_new_graph(people):
    before = copy.deepcopy(people)
    persons = filter_graph(people, types=["person"])
    assert {people.nodes[n]["type"] for n in persons} == {"PERSON"}
    assert persons.has_edge("alice", "bob") and not persons.has_edge("alice", "acme")
    heavy = filter_graph(people, min_weight=4, isolates=False)
    assert sorted(heavy.edges) == sorted(
        [("alice", "bob"), ("alice", "acme"), ("bob", "acme"), ("nordpay", "tomas")]
    )
    assert set(heavy) == {"alice", "bob", "acme", "nordpay", "tomas"}
    assert set(filter_graph(people, min_articles=4)) == {"alice", "bob", "acme", "nordpay"}
    top = filter_graph(people, top=3, top_by="weighted_degree")
    assert set(top) == {"alice", "bob", "tomas"} and top.number_of_edges() == 2
    assert top.graph["filters"]["top_by"] == "weighted_degree"
    assert top.graph["window"] == "sentence"
    with pytest.raises(GraphkitError, match="one measure to rank by"):
        filter_graph(people, top=2, top_by="all")
    top.nodes["alice"]["aliases"].append("changed")
    top.edges["alice", "bob"]["evidence"][0]["sentence"] = "changed"
    assert nx.utils.graphs_equal(people, before)
    assert people.nodes["alice"] == before.nodes["alice"]
    assert people.edges["alice", "bob"] == before.edges["alice", "bob"]


def test_compare_periods_lists_rising_and_falling(people):
    later = copy.deepcopy(people)
    later.nodes["carol"]["articles"] = 9
    later.nodes["alice"]["articles"] = 1
    later.remove_node("zed")
    later.add_node("new", name="New Comer", type="PERSON", articles=2)
    later.remove_edge("alice", "tomas")
    change = compare_periods(people, later)
    assert [(c.name, c.before, c.after, c.change) for c in change["rising"]] == [
        ("Carol Diaz", 3, 9, 6),
        ("New Comer", 0, 2, 2),
    ]
    assert [(c.name, c.change) for c in change["falling"]] == [
        ("Alice Moreau", -4),
        ("Zed Null", -1),
    ]
    by_ties = compare_periods(people, later, by="weighted_degree")
    assert [(c.name, c.before, c.after) for c in by_ties["falling"]] == [
        ("Alice Moreau", 14, 12),
        ("Tomas Berg", 11, 9),
    ]
    assert by_ties["rising"] == []
