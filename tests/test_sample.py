"""The bundled sample corpus, end to end with the default model: what a first user sees."""

import json

import pytest

import graphkit
from graphkit import curation, graph
from graphkit.graph import find_node


def _entity(db, name):
    (row,) = [r for r in curation.list_entities(db) if r["name"] == name]
    return row


def test_sample_is_shipped_with_the_package():
    lines = graphkit.SAMPLE_CORPUS.read_text(encoding="utf-8").splitlines()
    articles = [json.loads(line) for line in lines]
    assert 30 <= len(articles) <= 40
    assert all(150 <= len(a["text"].split()) <= 400 for a in articles)
    assert all(a["date"] and a["title"] for a in articles)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Xi Jinping", "PERSON"),
        ("Eddie Yue", "PERSON"),
        ("Mu Changchun", "PERSON"),
        ("People's Bank of China", "ORG"),
        ("Hong Kong Monetary Authority", "ORG"),
        ("Digital Currency Institute", "ORG"),
        ("Red Date Technology", "ORG"),
    ],
)
def test_named_entities_are_found(sample_db, name, kind):
    assert _entity(sample_db, name)["type"] == kind


@pytest.mark.parametrize(
    ("name", "aliases"),
    [
        ("Xi Jinping", {"Xi"}),
        ("People's Bank of China", {"PBOC"}),
        ("Beijing Blockchain and Edge Computing Academy", {"BABEC"}),
        ("Hong Kong Monetary Authority", {"HKMA"}),
        ("Eddie Yue", {"Yue"}),
    ],
)
def test_short_names_and_acronyms_join_their_entity(sample_db, name, aliases):
    assert aliases <= set(_entity(sample_db, name)["aliases"])


def test_president_xi_and_possessives_find_xi(sample_graph):
    xi = find_node(sample_graph, "Xi Jinping")
    assert find_node(sample_graph, "President Xi") == xi
    assert find_node(sample_graph, "Xi’s") == xi
    assert find_node(sample_graph, "PBOC's") == find_node(sample_graph, "People's Bank of China")


def test_people_sharing_a_surname_stay_apart(sample_db):
    wangs = curation.list_entities(sample_db, search="Wang")
    names = {row["name"] for row in wangs}
    assert {"Wang Lin", "Wang Hua"} <= names
    assert "Wang" not in names or _entity(sample_db, "Wang")["ambiguous"]


def test_named_pair_are_neighbours_with_evidence(sample_graph):
    found = graph.neighbours(sample_graph, "Mu Changchun", evidence=20)
    by_name = {n.name: n for n in found}
    tie = by_name["Digital Currency Institute"]
    assert tie.weight >= 3
    sentences = [e["sentence"] for e in tie.evidence]
    assert any("Mu Changchun" in s and "Digital Currency Institute" in s for s in sentences)
    assert all(e["title"] and "articles.jsonl#gk-" in e["article_id"] for e in tie.evidence)


def test_xi_and_the_central_bank_are_linked(sample_graph):
    xi = find_node(sample_graph, "Xi Jinping")
    pboc = find_node(sample_graph, "PBOC")
    evidence = sample_graph.edges[xi, pboc]["evidence"]
    assert any(
        "Xi Jinping" in e["sentence"] and "People's Bank of China" in e["sentence"]
        for e in evidence
    )


def test_time_filters_change_the_graph(sample_db):
    everything = graphkit.load_graph(sample_db)
    early = graphkit.load_graph(sample_db, until="2021-12-31")
    late = graphkit.load_graph(sample_db, since="2022-01-01")
    assert early.graph["articles"] + late.graph["articles"] == everything.graph["articles"]
    assert 0 < early.number_of_nodes() < everything.number_of_nodes()
    assert 0 < late.number_of_nodes() < everything.number_of_nodes()
    assert all(d["last_date"] <= "2021-12-31" for _, d in early.nodes(data=True))
    assert all(d["first_date"] >= "2022-01-01" for _, d in late.nodes(data=True))
