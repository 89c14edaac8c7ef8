"""Graph pages without a browser: self-contained, escaped, capped, and G left alone.

What the page does in a browser is checked in ``test_browser.py``.
"""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from graphkit.errors import GraphkitError, UnknownEntityError
from graphkit.graph.measures import centrality
from graphkit.outputs.page import page_data, render_page, script_json, write_page

HOSTILE = '<img src=x onerror="window.__x=1"> <script>window.__y=1</script> "href" \'q\' </script>'


def entity(G, key, name, kind="PERSON", aliases=(), mentions=3, **extra):
    G.add_node(
        key,
        name=name,
        type=kind,
        mentions=mentions,
        articles=max(1, mentions // 2),
        aliases=[name, *aliases],
        first_date="2024-03-01",
        last_date="2024-03-09",
        **extra,
    )


def tie(G, a, b, weight=1, sentence="They met.", url="https://news.example.org/1", title="Story"):
    record = {"article_id": f"{a}-{b}", "title": title, "date": "2024-03-01", "url": url}
    record["sentence"] = sentence
    G.add_edge(a, b, weight=weight, articles=weight, evidence=[record])


@pytest.fixture
def small():
    G = nx.Graph(window="sentence", model="test", articles=3)
    entity(G, "alice", "Alice Moreau", aliases=["Moreau"], mentions=6)
    entity(G, "bank", "Bank of Lorraine", "ORG", aliases=["BoL"], mentions=4)
    entity(G, "tomas", "Tomas Berg", aliases=["Berg"], mentions=2)
    entity(G, "nordpay", "Nordpay", "ORG", mentions=2)
    tie(G, "alice", "bank", 3, "Alice Moreau, governor of the Bank of Lorraine, spoke.")
    tie(G, "alice", "tomas", 1, "Moreau said Tomas Berg would join.")
    tie(G, "tomas", "nordpay", 2, "Tomas Berg of Nordpay.", url=None)
    return G


@pytest.fixture
def hostile():
    G = nx.Graph()
    entity(G, "evil", f"Evil {HOSTILE}", aliases=[HOSTILE, "</script><!--"])
    entity(G, "other", 'Other "href" </script>', "ORG", aliases=["Other"])
    tie(G, "evil", "other", 2, f"Said {HOSTILE}.", url="javascript:window.__x=1", title=HOSTILE)
    return G


def star(n):
    """A star with ``n`` leaves plus a separate pair: the hub is the top entity."""
    G = nx.Graph()
    entity(G, "hub", "Hub")
    for i in range(n):
        entity(G, f"leaf{i}", f"Leaf {i}")
        tie(G, "hub", f"leaf{i}", weight=1 + i % 3)
    return G


def data_block(text: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="graphkit-data">(.*?)</script>', text, re.S
    )
    assert match, "no data block"
    return json.loads(match.group(1))


def snapshot(G):
    return json.dumps(nx.node_link_data(G, edges="edges"), sort_keys=True, default=str)


def test_page_needs_nothing_outside_itself(small):
    text = render_page(small)
    assert "@version 9.1.2" in text  # vis-network, inlined from pyvis's package
    assert not re.search(r"<link|<script[^>]*\ssrc=|<img|<iframe|@import|url\(\s*['\"]?http", text)
    assert "cdnjs" not in text and "jsdelivr" not in text
    assert "bootstrap" not in text.lower()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1)
    assert "default-src 'none'" in csp
    nonce = re.search(r"'nonce-([\w-]+)'", csp).group(1)
    scripts = re.findall(r"^<script([^>]*)>", text, re.M)  # the template's own tags
    assert scripts == [' type="application/json" id="graphkit-data"'] + [f' nonce="{nonce}"'] * 2


def test_graph_is_not_changed(small):
    before = snapshot(small)
    render_page(small, color_by="community", focus="Moreau", depth=2, top=2)
    render_page(small, size_by="mentions", physics_limit=1)
    assert snapshot(small) == before


def test_script_json_cannot_close_the_script():
    value = {"text": "</script><!--<script>\u2028\u2029&"}
    text = script_json(value)
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == value


def test_hostile_text_stays_data(hostile):
    text = render_page(hostile, title=HOSTILE)
    data = data_block(text)
    names = {node["name"] for node in data["nodes"]}
    assert names == {f"Evil {HOSTILE}", 'Other "href" </script>'}
    assert data["meta"]["title"] == HOSTILE
    outside = text.replace(re.search(r"(?s)graphkit-data\">.*?</script>", text).group(0), "")
    assert "<img" not in outside and "<script>window" not in outside
    assert text.count("<title>&lt;img src=x onerror=&quot;window.__x=1&quot;&gt;") == 1
    assert "<h1>&lt;img src=x" in text


def test_only_http_links_reach_the_page(hostile, small):
    assert data_block(render_page(hostile))["articles"] == [[HOSTILE, "2024-03-01", None]]
    urls = {tuple(a) for a in data_block(render_page(small))["articles"]}
    assert ("Story", "2024-03-01", "https://news.example.org/1") in urls
    assert ("Story", "2024-03-01", None) in urls


def test_nodes_carry_what_the_panel_shows(small):
    data, summary = page_data(small, size_by="mentions")
    assert (summary.entities, summary.total, summary.ties) == (4, 4, 3)
    by_key = {node["key"]: node for node in data["nodes"]}
    alice = by_key["alice"]
    assert alice["aliases"] == ["Alice Moreau", "Moreau"]
    assert (alice["mentions"], alice["value"], alice["degree"]) == (6, 6, 2)
    index = {node["key"]: i for i, node in enumerate(data["nodes"])}
    assert [ref for ref, _ in alice["ties"]] == [index["bank"], index["tomas"]]  # strongest first
    weight, articles, total, records = data["ties"][alice["ties"][0][1]]
    assert (weight, articles, total) == (3, 3, 3)
    [(article, sentence)] = records
    assert sentence == "Alice Moreau, governor of the Bank of Lorraine, spoke."
    assert data["articles"][article][0] == "Story"
    assert summary.notice == "4 entities; 3 ties"
    assert data["others"] == []


def test_top_keeps_the_highest_and_says_so():
    G = star(40)
    data, summary = page_data(G, top=10)
    keys = [node["key"] for node in data["nodes"]]
    expected = [row["key"] for row in centrality(G, measures=("pagerank",), top=10).rows]
    assert keys[0] == "hub" and set(keys) == set(expected)
    assert summary.notice == "showing 10 of 41 entities, by PageRank; 9 ties"
    assert data["meta"]["notice"] == summary.notice
    assert len(data["edges"]) == 9


def test_notice_counts_with_thousands_separators():
    _, summary = page_data(star(1200), top=300, top_by="degree")
    assert summary.notice.startswith("showing 300 of 1,201 entities, by degree; 299 ties")


def test_max_edges_keeps_the_strongest():
    data, summary = page_data(star(30), max_edges=5)
    assert [data["ties"][edge[2]][0] for edge in data["edges"]] == [3, 3, 3, 3, 3]
    assert summary.notice == "31 entities; 5 ties (the strongest of 30)"


@pytest.mark.parametrize(
    ("focus", "depth", "expected"),
    [("Moreau", 1, {"alice", "bank", "tomas"}), ("BoL", 2, {"bank", "alice", "tomas"}),
     ("nordpay", 0, {"nordpay"}), ("Bank of Lorraine", 3, {"bank", "alice", "tomas", "nordpay"})],
)  # fmt: skip
def test_focus_shows_the_neighbourhood(small, focus, depth, expected):
    data, summary = page_data(small, focus=focus, depth=depth)
    assert {node["key"] for node in data["nodes"]} == expected
    assert data["nodes"][data["meta"]["focus"]]["key"] == summary.focus


def test_focus_is_kept_even_when_it_ranks_low():
    data, summary = page_data(star(20), focus="Leaf 3", depth=2, top=4)
    assert data["nodes"][0]["key"] == "leaf3" and data["meta"]["focus"] == 0
    assert summary.notice.startswith("showing 4 of 21 entities within 2 steps of Leaf 3, by")


def test_unknown_focus_suggests_names(small):
    with pytest.raises(UnknownEntityError, match="Alice Moreau"):
        render_page(small, focus="Alice Morow")


@pytest.mark.parametrize(
    ("options", "message"),
    [({"size_by": "fame"}, "unknown --size-by 'fame'"), ({"color_by": "mood"}, "--color-by"),
     ({"top": 0}, "--top must be at least 1"), ({"depth": -1}, "--depth"),
     ({"top_by": "x"}, "--top-by")],
)  # fmt: skip
def test_bad_options_are_graphkit_errors(small, options, message):
    with pytest.raises(GraphkitError, match=re.escape(message)):
        render_page(small, **options)


def test_measure_names_accept_hyphens(small):
    data, summary = page_data(small, size_by="Weighted-Degree")
    assert summary.size_by == "weighted_degree"
    assert {node["key"]: node["value"] for node in data["nodes"]}["alice"] == 4


def test_colour_by_type_builds_the_legend(small):
    data, _ = page_data(small)
    groups = data["meta"]["groups"]
    assert [(g["label"], g["count"]) for g in groups] == [("PERSON", 2), ("ORG", 2)]
    assert all(data["meta"]["groups"][n["group"]]["label"] == n["type"] for n in data["nodes"])


def test_colour_by_community_uses_louvain_or_given_ids():
    G = nx.Graph()
    for side in "ab":
        for i in range(5):
            entity(G, f"{side}{i}", f"{side.upper()} {i}")
        for i in range(5):
            for j in range(i + 1, 5):
                tie(G, f"{side}{i}", f"{side}{j}", weight=3)
    tie(G, "a0", "b0")
    data, _ = page_data(G, color_by="community")
    group = {node["key"]: node["group"] for node in data["nodes"]}
    assert len({group[f"a{i}"] for i in range(5)}) == len({group[f"b{i}"] for i in range(5)}) == 1
    assert group["a1"] != group["b1"]
    assert [g["count"] for g in data["meta"]["groups"]] == [5, 5]
    for node in G:
        G.nodes[node]["community"] = 7
    data, _ = page_data(G, color_by="community")
    assert [g["count"] for g in data["meta"]["groups"]] == [10]


def test_large_pages_are_laid_out_here_with_physics_off():
    G = star(30)
    small_data, small_summary = page_data(G)
    assert small_summary.physics and small_data["meta"]["physics"]
    big, summary = page_data(G, physics_limit=10)
    again, _ = page_data(G, physics_limit=10)
    assert not summary.physics and big["meta"]["physics"] is False
    positions = [(node["x"], node["y"]) for node in big["nodes"]]
    assert positions == [(node["x"], node["y"]) for node in again["nodes"]]
    assert len(set(positions)) == len(positions)


def test_empty_graph_gives_an_empty_page():
    data, summary = page_data(nx.Graph())
    assert data["nodes"] == [] and summary.notice == "no entities to show; 0 ties"


def test_write_page_is_atomic_and_reports(small, tmp_path):
    path = tmp_path / "out" / "graph.html"
    summary = write_page(small, path, title="Sample")
    assert path.read_bytes().decode("utf-8").startswith("<!DOCTYPE html>")
    assert summary.path == path and summary.bytes == path.stat().st_size
    assert sorted(p.name for p in path.parent.iterdir()) == ["graph.html"]
    write_page(small, path, top=1)
    assert data_block(path.read_text(encoding="utf-8"))["meta"]["notice"].startswith("showing 1")


def test_write_page_error_is_a_graphkit_error(small, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(GraphkitError):
        write_page(small, blocker / "graph.html")


def many_sentences(G, a, b, count, length=10, articles=1):
    """A tie of weight ``count`` whose edge carries ``count`` sentences of ``length`` chars."""
    records = [
        {"article_id": f"{a}-{b}-{i}", "title": f"T{i}", "date": None, "url": None,
         "sentence": f"{i:0{length}d}"}
        for i in range(count)
    ]  # fmt: skip
    G.add_edge(a, b, weight=count, articles=articles, evidence=records)


def test_every_tie_of_a_drawn_entity_is_listed_even_to_entities_not_drawn():
    G = star(12)
    data, summary = page_data(G, top=3, top_by="mentions")
    assert summary.entities == 3
    hub = next(node for node in data["nodes"] if node["key"] == "hub")
    assert len(hub["ties"]) == 12 == hub["degree"]
    weights = [data["ties"][t][0] for _, t in hub["ties"]]
    assert weights == sorted(weights, reverse=True)
    drawn = {node["name"] for node in data["nodes"]}
    off = [data["others"][-1 - ref][0] for ref, _ in hub["ties"] if ref < 0]
    assert len(off) == 10 and not drawn & set(off)
    assert {name for name, *_ in data["others"]} == {f"Leaf {i}" for i in range(12)} - drawn


def test_evidence_is_shared_out_round_by_round_within_the_budget():
    G = nx.Graph()
    for key in "abcd":
        entity(G, key, key.upper())
    many_sentences(G, "a", "b", 6)  # strongest
    many_sentences(G, "a", "c", 3)
    many_sentences(G, "a", "d", 1)
    data, _ = page_data(G, evidence_budget=10 * 7)  # seven sentences of 10 characters
    carried = [len(t[3]) for t in data["ties"]]
    totals = [t[2] for t in data["ties"]]
    assert totals == [6, 3, 1] and carried == [3, 3, 1]  # rounds 1, 2 for all; round 3 for a-b, a-c
    data, _ = page_data(G, evidence_budget=10 * 7 - 1)
    assert [len(t[3]) for t in data["ties"]] == [3, 2, 1]  # stops at the first that does not fit
    data, _ = page_data(G)
    assert [len(t[3]) for t in data["ties"]] == [6, 3, 1]
    assert [s for _, s in data["ties"][0][3]] == [f"{i:010d}" for i in range(6)]
    data, _ = page_data(G, evidence_budget=0)
    assert [len(t[3]) for t in data["ties"]] == [0, 0, 0] and data["articles"] == []


def test_search_index_holds_every_entity_and_alias_of_the_graph():
    G = star(5)
    entity(G, "lonely", "Ed Balls", aliases=["Balls", "Edward Balls"], mentions=9)
    data, _ = page_data(G, top=2, top_by="degree")
    drawn = [node["key"] for node in data["nodes"]]
    assert len(drawn) == 2 and "lonely" not in drawn
    assert len(data["nodes"]) + len(data["others"]) == len(G)
    assert data["others"][0] == ["Ed Balls", "PERSON", 9, ["Balls", "Edward Balls"]]


def test_ego_pages_are_titled_with_their_entity(small):
    data, _ = page_data(small, focus="BoL")
    assert data["meta"]["title"] == "Bank of Lorraine"
    assert "<title>Bank of Lorraine</title>" in render_page(small, focus="BoL")
    assert page_data(small, focus="BoL", title="Mine")[0]["meta"]["title"] == "Mine"
    assert page_data(small)[0]["meta"]["title"] == "graphkit"


def test_commands_for_drill_down_are_carried(small):
    data, _ = page_data(small, command="graphkit --db bbc.db", command_filters="--since 2005")
    assert (data["meta"]["command"], data["meta"]["filters"]) == (
        "graphkit --db bbc.db",
        "--since 2005",
    )


def test_only_a_live_page_carries_the_reload_script_and_its_marker(tmp_path):
    G = nx.Graph()
    G.add_node("a", name="A", type="PERSON", mentions=1, articles=1, aliases=["A"])
    still = tmp_path / "still.html"
    write_page(G, still)
    assert "graphkitLive" not in still.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["still.html"]
    live = tmp_path / "live.html"
    write_page(G, live, live=True)
    text = live.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="graphkit-data">(.*?)</script>', text, re.S).group(1))
    generation = data["meta"]["live"]["generation"]
    assert data["meta"]["live"] == {
        "src": "live.html.live.js",
        "generation": generation,
        "every": 2,
    }
    assert re.fullmatch(r"[0-9a-f]{16}", generation)
    marker = tmp_path / "live.html.live.js"
    assert marker.read_text() == f'window.graphkitLive && window.graphkitLive("{generation}");\n'
    write_page(G, live, live=True)
    assert generation not in marker.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "live.html",
        "live.html.live.js",
        "still.html",
    ]
