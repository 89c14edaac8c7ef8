"""Exports read back equal, open in Gephi's formats, and survive awkward names."""

from __future__ import annotations

import copy
import csv
import errno
import json
from pathlib import Path

import networkx as nx
import pytest
from lxml import etree

from graphkit.errors import GraphkitError
from graphkit.graph import annotate
from graphkit.outputs.export import export_graph

# The official GEXF 1.2draft schema (gephi/gexf, specs/, CC BY 4.0): a copy in tests/data,
# else the one in shared/ beside the repository.
GEXF_XSD = next(
    (
        folder / "gexf-1.2draft" / "gexf.xsd"
        for folder in (
            Path(__file__).parent / "data" / "schemas",
            Path(__file__).resolve().parents[2] / "shared" / "schemas",
        )
        if (folder / "gexf-1.2draft" / "gexf.xsd").is_file()
    ),
    Path("tests/data/schemas/gexf-1.2draft/gexf.xsd"),
)
AWKWARD = 'Jo "The Boss" Smith, Jr.\nof <Acme> & Sons; Ltd'


@pytest.fixture
def G():
    """Three entities with quotes, commas, newlines, markup, a semicolon and a control character."""
    G = nx.Graph(window="sentence", model="en_core_web_sm 3.8.0", articles=4, since=None)
    G.add_node(
        "person:jo",
        name=AWKWARD,
        type="PERSON",
        mentions=5,
        articles=3,
        aliases=[AWKWARD, "Jo", "Smith; Jo", "Zoë\x0bS"],
        first_date="2024-03-01",
        last_date="2024-03-09",
    )
    G.add_node(
        "org:acme",
        name="Acme, Inc.",
        type="ORG",
        mentions=2,
        articles=2,
        aliases=["Acme, Inc.", "Acme"],
        first_date=None,
        last_date=None,
    )
    G.add_node(
        "gpe:x", name="Xanadu", type="GPE", mentions=1, articles=1, aliases=["Xanadu"],
        first_date="2024-03-02", last_date="2024-03-02",
    )  # fmt: skip
    G.add_edge(
        "person:jo",
        "org:acme",
        weight=3,
        articles=2,
        evidence=[
            {
                "article_id": "a1",
                "title": 'Acme, "the firm", grows',
                "date": "2024-03-01",
                "url": "https://news.example/a1?x=1&y=2",
                "sentence": 'Jo said, "Acme\nwill grow."',
            },
            {
                "article_id": "a2",
                "title": "Second",
                "date": None,
                "url": None,
                "sentence": "Again.",
            },
        ],
    )
    return annotate(G, measures=("degree", "pagerank", "betweenness"))


def expected_flat(data: dict) -> dict:
    """What GraphML/GEXF carry: lists of text joined with '; ', records as JSON, no None."""
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "; ".join(value)
        elif isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        if isinstance(value, str):
            value = value.replace("\x0b", " ")
        out[key] = value
    return out


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_formats_read_back_equal(G, tmp_path, fmt):
    path = tmp_path / f"graph.{fmt}"
    assert export_graph(G, path, format=fmt) == [path]
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert set(back) == set(G)
    for node, data in G.nodes(data=True):
        assert back.nodes[node] == {**expected_flat(data), "label": data["name"]}
    assert back.nodes["person:jo"]["community"] == G.nodes["person:jo"]["community"]
    assert back.nodes["person:jo"]["pagerank"] == pytest.approx(G.nodes["person:jo"]["pagerank"])
    edge = back.edges["person:jo", "org:acme"]
    assert edge["weight"] == 3 and edge["articles"] == 2
    assert json.loads(edge["evidence"]) == G.edges["person:jo", "org:acme"]["evidence"]
    assert back.number_of_edges() == 1


def test_graphml_keeps_graph_settings(G, tmp_path):
    export_graph(G, tmp_path / "g.graphml", format="graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.graph["window"] == "sentence" and back.graph["articles"] == 4
    assert "pagerank" in back.graph["centrality"]


def test_gexf_validates_against_the_official_schema(G, tmp_path):
    path = tmp_path / "graph.gexf"
    export_graph(G, path, format="gexf")
    assert GEXF_XSD.is_file(), f"the GEXF 1.2draft schema is missing: expected {GEXF_XSD}"
    schema = etree.XMLSchema(etree.parse(str(GEXF_XSD)))
    document = etree.parse(str(path))
    assert schema.validate(document), schema.error_log
    assert document.getroot().get("version") == "1.2"


def test_node_link_json_round_trip(G, tmp_path):
    path = tmp_path / "graph.json"
    export_graph(G, path, format="json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert "edges" in data and "links" not in data
    back = nx.node_link_graph(data, edges="edges")
    assert nx.utils.graphs_equal(back, G)
    assert back.nodes["person:jo"]["aliases"] == G.nodes["person:jo"]["aliases"]


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_nodes_and_edges(G, tmp_path):
    written = export_graph(G, tmp_path / "out", format="csv")
    assert written == [tmp_path / "out" / "nodes.csv", tmp_path / "out" / "edges.csv"]
    nodes = {row["id"]: row for row in read_csv(written[0])}
    assert list(nodes["person:jo"]) == [
        "id", "name", "type", "mentions", "articles", "aliases", "first_date", "last_date",
        "degree", "pagerank", "betweenness", "community",
    ]  # fmt: skip
    jo = nodes["person:jo"]
    assert jo["name"] == AWKWARD
    assert jo["aliases"] == "; ".join(G.nodes["person:jo"]["aliases"])
    assert (jo["mentions"], jo["degree"], jo["last_date"]) == ("5", "1", "2024-03-09")
    assert float(jo["pagerank"]) == G.nodes["person:jo"]["pagerank"]
    assert nodes["org:acme"]["first_date"] == ""
    (edge,) = read_csv(written[1])
    assert (edge["source"], edge["target"], edge["weight"]) == ("person:jo", "org:acme", "3")
    assert edge["source_name"] == AWKWARD
    assert edge["sentence"] == 'Jo said, "Acme\nwill grow."'
    assert edge["title"] == 'Acme, "the firm", grows'
    assert json.loads(edge["evidence"]) == G.edges["person:jo", "org:acme"]["evidence"]


def test_neo4j_bulk_import_files(G, tmp_path):
    nodes_csv, rels_csv = export_graph(G, tmp_path / "neo4j", format="neo4j")
    assert rels_csv.name == "relationships.csv"
    header, *rows = list(csv.reader(nodes_csv.open(encoding="utf-8", newline="")))
    assert header == [
        "id:ID", "name", "type", ":LABEL", "mentions:int", "articles:int", "aliases:string[]",
        "first_date:string", "last_date:string", "degree:int", "pagerank:float",
        "betweenness:float", "community:int",
    ]  # fmt: skip
    jo = dict(zip(header, next(r for r in rows if r[0] == "person:jo"), strict=True))
    assert jo["name"] == 'Jo "The Boss" Smith, Jr. of <Acme> & Sons; Ltd'  # one line for neo4j
    assert jo[":LABEL"] == "Entity;PERSON"
    assert jo["aliases:string[]"].split(";") == [
        'Jo "The Boss" Smith, Jr. of <Acme> & Sons, Ltd',
        "Jo",
        "Smith, Jo",
        "Zoë S",
    ]
    assert jo["mentions:int"] == "5" and jo["community:int"] == str(
        G.nodes["person:jo"]["community"]
    )
    for text in (nodes_csv.read_text(encoding="utf-8"), rels_csv.read_text(encoding="utf-8")):
        records = list(csv.reader(text.splitlines()))
        assert all(len(r) == len(records[0]) for r in records)  # no field spans two lines
    header, row = list(csv.reader(rels_csv.open(encoding="utf-8", newline="")))
    assert header == [
        ":START_ID", ":END_ID", ":TYPE", "weight:int", "articles:int",
        "sentence", "title", "date", "url", "evidence",
    ]  # fmt: skip
    assert row[:5] == ["person:jo", "org:acme", "MENTIONED_WITH", "3", "2"]
    assert row[5] == 'Jo said, "Acme will grow."'
    assert json.loads(row[9])[1]["sentence"] == "Again."


def test_exports_leave_G_alone_and_no_temporary_files(G, tmp_path):
    before = copy.deepcopy(G)
    for fmt in ("graphml", "gexf", "json", "csv", "neo4j"):
        export_graph(G, tmp_path / f"out-{fmt}", format=fmt)
    assert nx.utils.graphs_equal(G, before)
    assert all(G.nodes[n] == before.nodes[n] for n in G)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_failed_write_keeps_the_old_file(G, tmp_path, monkeypatch):
    path = tmp_path / "graph.graphml"
    path.write_text("old", encoding="utf-8")

    def broken(graph, fh):
        fh.write(b"<half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(nx, "write_graphml", broken)
    with pytest.raises(GraphkitError, match=f"^cannot write {path}: No space left on device$"):
        export_graph(G, path, format="graphml")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.graphml"]


def test_bad_formats_and_paths(G, tmp_path):
    with pytest.raises(GraphkitError, match="unknown export format 'dot'"):
        export_graph(G, tmp_path / "g.dot", format="dot")
    (tmp_path / "file.csv").write_text("x", encoding="utf-8")
    with pytest.raises(GraphkitError, match="is a file"):
        export_graph(G, tmp_path / "file.csv", format="csv")
    with pytest.raises(GraphkitError, match="is a folder"):
        export_graph(G, tmp_path, format="gexf")
    # A missing folder is created, as for every output (graphkit.writing).
    (written,) = export_graph(G, tmp_path / "missing" / "g.json", format="json")
    assert json.loads(written.read_text(encoding="utf-8"))["edges"]
