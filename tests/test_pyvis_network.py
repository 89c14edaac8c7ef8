"""graphkit.to_pyvis: pyvis's Network of the page's picture, plain-text tooltips, G untouched."""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest
from pyvis.network import Network

import graphkit
from graphkit.outputs.page import page_data

HOSTILE = '<img src=x onerror="window.__x=1"> <a HREF="javascript:alert(1)">x</a> href'


def entity(G, key, name, kind="PERSON", aliases=(), mentions=3):
    G.add_node(key, name=name, type=kind, mentions=mentions, articles=1, aliases=[name, *aliases])


def tie(G, a, b, weight, sentence):
    record = {"article_id": f"{a}|{b}", "title": "Story", "date": None, "url": None}
    G.add_edge(a, b, weight=weight, articles=1, evidence=[{**record, "sentence": sentence}])


@pytest.fixture
def G():
    G = nx.Graph()
    entity(G, "evil", f"Evil {HOSTILE}", aliases=[f"alias {HOSTILE}"], mentions=9)
    entity(G, "bank", "Bank of Lorraine", "ORG", aliases=["BoL"], mentions=4)
    entity(G, "tomas", "Tomas Berg", mentions=2)
    tie(G, "evil", "bank", 4, f"Sentence {HOSTILE}.")
    tie(G, "bank", "tomas", 1, "Tomas Berg joined the Bank of Lorraine.")
    return G


def snapshot(G):
    return json.dumps(nx.node_link_data(G, edges="edges"), sort_keys=True, default=str)


def test_same_entities_sizes_colours_and_positions_as_the_page(G):
    net = graphkit.to_pyvis(G, color_by="community")
    assert isinstance(net, Network)
    data, _ = page_data(G, color_by="community")
    by_id = {node["id"]: node for node in net.nodes}
    assert set(by_id) == {node["key"] for node in data["nodes"]}
    values = [node["value"] for node in data["nodes"]]
    lo, hi = min(values), max(values)
    for node in data["nodes"]:
        shown = by_id[node["key"]]
        assert shown["label"] == node["name"]
        assert shown["color"] == data["meta"]["groups"][node["group"]]["colour"]
        assert (shown["x"], shown["y"]) == (node["x"], node["y"])
        assert shown["size"] == pytest.approx(
            6 + 34 * math.sqrt((node["value"] - lo) / (hi - lo)), abs=0.01
        )
    assert sorted(n["size"] for n in net.nodes)[::2] == [6.0, 40.0]  # the page's min and max
    widths = {frozenset((e["from"], e["to"])): e["width"] for e in net.edges}
    assert widths == {frozenset(("evil", "bank")): 8.0, frozenset(("bank", "tomas")): 1.0}


def test_titles_are_plain_text_and_never_switch_pyvis_to_html(G):
    net = graphkit.to_pyvis(G)
    titles = [n["title"] for n in net.nodes] + [e["title"] for e in net.edges]
    assert all("href" not in t.lower() for t in titles)
    shown = [t.replace("\u2060", "") for t in titles]
    evil = next(n["title"] for n in net.nodes if n["id"] == "evil").replace("\u2060", "")
    assert evil.splitlines() == [
        f"Evil {HOSTILE}",
        "PERSON · 9 mentions in 1 articles · 1 ties",
        f"also: alias {HOSTILE}",
    ]
    assert any(f"Sentence {HOSTILE}." in t for t in shown)
    page = net.generate_html()
    assert "popup.innerHTML" not in page  # pyvis's link template (innerHTML tooltips) is off
    assert "<img src=x" not in page and 'HREF="javascript' not in page  # data stays escaped JSON
    assert "<h1></h1>" in page  # no heading from the data


def test_graph_is_not_changed_and_pyvis_api_works(G):
    before = snapshot(G)
    net = graphkit.to_pyvis(G, height="500px", focus="BoL")
    assert snapshot(G) == before
    assert net.height == "500px"
    assert {n["id"] for n in net.nodes} == {"evil", "bank", "tomas"}
    assert next(n for n in net.nodes if n["id"] == "bank")["borderWidth"] == 4
    net.show_buttons(filter_=["physics"])
    assert "configure" in net.generate_html()


def test_physics_off_above_the_limit(G):
    assert graphkit.to_pyvis(G).options.physics.enabled is True
    assert graphkit.to_pyvis(G, physics_limit=2).options.physics.enabled is False
