import networkx as nx
import pytest

import graphkit
from graphkit.errors import GraphkitError, UnknownEntityError
from graphkit.graph import build_graph, edge_evidence, find_node
from graphkit.store import open_store


def test_nodes_and_edges_carry_counts_aliases_and_evidence(small_db):
    G = graphkit.load_graph(small_db)
    berg = find_node(G, "Tomas Berg")
    nordpay = find_node(G, "Nordpay")
    assert G.nodes[berg]["type"] == "PERSON"
    assert G.nodes[nordpay]["articles"] == 2
    edge = G.edges[berg, nordpay]
    # two sentences, each naming three entities: 1/(3-1) each
    assert edge["cooccurrences"] == 2
    assert edge["weight"] == 1.0
    assert edge["articles"] == 2
    sentences = {e["sentence"] for e in edge["evidence"]}
    assert "Tomas Berg said Nordpay had hired staff from Acme Holdings." in sentences
    titles = {e["title"] for e in edge["evidence"]}
    assert titles == {"Bank governor meets fintech founder", "Nordpay expands"}


def test_time_filter_keeps_undated_unless_dated_only(small_db):
    with open_store(small_db) as store:
        everything = build_graph(store)
        march = build_graph(store, since="2024-03")
        dated = build_graph(store, since="2024-03", dated_only=True)
        # a period holding no dated article is an error, not the undated articles alone
        with pytest.raises(GraphkitError, match="no dated article in this period"):
            build_graph(store, since="2024-04")
    assert find_node(everything, "Alice Moreau") == "person:alice-moreau"
    assert find_node(march, "Tomas Berg") == "person:tomas-berg"  # the undated article stays
    assert march.graph["articles"] == 2
    assert dated.graph["articles"] == 1
    with pytest.raises(UnknownEntityError, match=r"Acme Holdings.* not among the articles"):
        find_node(dated, "Acme Holdings")  # only in the undated article


def test_bad_date_is_a_clear_error(small_db):
    with open_store(small_db) as store, pytest.raises(GraphkitError, match="--since 'May'"):
        build_graph(store, since="May")


def test_edge_evidence_reads_all_from_the_store(small_db):
    G = graphkit.load_graph(small_db)
    berg, nordpay = find_node(G, "Tomas Berg"), find_node(G, "Nordpay")
    with open_store(small_db) as store:
        records = edge_evidence(store, nordpay, berg)
    assert len(records) == 2
    assert {r["article_id"] for r in records} == {
        e["article_id"] for e in G.edges[berg, nordpay]["evidence"]
    }


def test_find_node_matches_aliases_and_suggests_close_names():
    G = nx.Graph()
    G.add_node("k1", name="Xi Jinping", aliases=["Xi Jinping", "Xi", "President Xi"], mentions=5)
    G.add_node("k2", name="People's Bank of China", aliases=["PBOC"], mentions=3)
    assert find_node(G, "president xi") == "k1"
    assert find_node(G, "Xi Jinping's") == "k1"
    assert find_node(G, "PBOC") == "k2"
    with pytest.raises(
        UnknownEntityError, match=r"no entity named 'Xi Jinpin'; did you mean 'Xi Jinping'\?"
    ):
        find_node(G, "Xi Jinpin")


@pytest.mark.parametrize("limit", [None, 2])
@pytest.mark.parametrize("depth", [1, 2])
def test_neighbours_from_the_store_are_those_of_the_whole_graph(
    sample_db, sample_graph, depth, limit
):
    """Same rows, same evidence; with a limit, evidence is read for the rows shown only."""
    from graphkit.graph.paths import neighbours, neighbours_from_store

    G = sample_graph
    tied = sorted((n for n in G if G.degree(n)), key=lambda n: (-G.degree(n), n))
    assert len(tied) >= 20
    for key in tied[:20]:
        name = G.nodes[key]["name"]
        match, rows = neighbours_from_store(sample_db, name, depth=depth, evidence=3, limit=limit)
        assert match.node == key
        assert rows == neighbours(G, key, depth=depth, evidence=3, limit=limit)
        assert all(row.evidence for row in rows)
