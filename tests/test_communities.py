"""Listing communities: largest first with sizes, single entities hidden unless asked."""

import json

import networkx as nx
import pytest
from click.testing import CliRunner

import graphkit
from graphkit.cli import cli
from graphkit.graph import communities, communities_note, largest_communities


@pytest.fixture
def groups():
    """A triangle, a pair and three entities with no tie."""
    G = nx.Graph()
    for key in "abcdexyz":
        G.add_node(key, name=key.upper(), type="PERSON")
    G.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e")], weight=2)
    return G


def test_largest_first_and_singles_hidden(groups):
    found = communities(groups)
    assert [c.size for c in found] == [3, 2, 1, 1, 1]
    shown = largest_communities(found)
    assert [c.size for c in shown] == [3, 2]
    assert [c.id for c in shown] == [1, 2]
    assert communities_note(found, shown, min_size=2) == (
        "showing 2 of 5 communities; 3 single entities hidden; --min-size 1 shows them"
    )


def test_min_size_and_limit(groups):
    found = communities(groups)
    assert [c.size for c in largest_communities(found, min_size=1)] == [3, 2, 1, 1, 1]
    assert [c.size for c in largest_communities(found, min_size=3)] == [3]
    shown = largest_communities(found, min_size=1, limit=2)
    assert [c.id for c in shown] == [1, 2]
    assert communities_note(found, shown, min_size=1) == (
        "showing 2 of 5 communities; --limit caps the list"
    )
    assert communities_note(found, largest_communities(found, min_size=3), min_size=3) == (
        "showing 1 of 5 communities; 4 groups of fewer than 3 (5 entities) hidden;"
        " --min-size 1 shows them"
    )


@pytest.fixture
def lonely_db(tmp_path):
    """Entities that share sentences, and entities alone in theirs."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Council meets\n\nAlice Moreau met Tomas Berg and Carla Diaz in Paris on Monday. "
        "Tomas Berg later called Carla Diaz.\n\nIvan Petrov spoke on Tuesday.\n\n"
        "Zoe Quinn stayed at home.\n",
        encoding="utf-8",
    )
    db = tmp_path / "g.db"
    graphkit.build([folder], db=db)
    return db


def test_cli_hides_single_entities_and_says_so(lonely_db):
    found = communities(graphkit.load_graph(lonely_db))
    singles = sum(1 for c in found if c.size == 1)
    assert singles >= 1 and any(c.size >= 2 for c in found)
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(lonely_db), "communities", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["size"] for r in rows] == [c.size for c in found if c.size >= 2]
    assert result.stderr.strip() == (
        f"showing {len(rows)} of {len(found)} communities; {singles} single "
        f"{'entity' if singles == 1 else 'entities'} hidden; --min-size 1 shows them"
    )
    result = runner.invoke(
        cli, ["--db", str(lonely_db), "communities", "--format", "json", "--min-size", "1"]
    )
    assert [r["size"] for r in json.loads(result.stdout)] == [c.size for c in found]
    assert result.stderr == ""
    result = runner.invoke(cli, ["--db", str(lonely_db), "communities", "--limit", "1"])
    table = result.stdout.splitlines()
    assert table[0].split() == ["community", "size", "types", "members"]
    assert table[2].split()[:2] == ["1", str(found[0].size)]
    assert table[-1].startswith(f"showing 1 of {len(found)} communities")
