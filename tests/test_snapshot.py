"""The graph snapshot beside the store: used when current, never stale after any change."""

from __future__ import annotations

import pickle
import shutil

import networkx as nx
import pytest

import graphkit
from graphkit import curation
from graphkit.graph import measures, snapshot
from graphkit.graph.from_store import build_graph
from graphkit.store import open_store


def _from_rows(db) -> nx.Graph:
    with graphkit.open_store(db) as store:
        return build_graph(store)


def _same(G: nx.Graph, H: nx.Graph) -> bool:
    return (
        dict(G.nodes(data=True)) == dict(H.nodes(data=True))
        and {frozenset(e[:2]): e[2] for e in G.edges(data=True)}
        == {frozenset(e[:2]): e[2] for e in H.edges(data=True)}
        and G.graph == H.graph
    )


@pytest.fixture
def db(small_db, tmp_path):
    path = tmp_path / "snap.db"
    shutil.copy(small_db, path)
    return path


def test_a_second_read_comes_from_the_snapshot(db, monkeypatch):
    first = graphkit.load_graph(db)
    assert snapshot.snapshot_path(db).exists()

    def no_rows(store, **kwargs):
        raise AssertionError("the graph was rebuilt from rows")

    monkeypatch.setattr(snapshot, "build_graph", no_rows)
    assert _same(graphkit.load_graph(db), first)


def _merge(db):
    curation.record_decision(db, "merge", ["Tomas Berg", "Nordpay"])


def _undo(db):
    (decision,) = curation.list_decisions(db)
    curation.undo_decision(db, decision.id)


@pytest.mark.parametrize(
    ("prepare", "change"),
    [
        pytest.param(
            None, lambda db, folder: graphkit.build([folder], db=db, window="article"), id="build"
        ),
        pytest.param(None, lambda db, folder: _merge(db), id="curation"),
        pytest.param(_merge, lambda db, folder: _undo(db), id="undo"),
    ],
)
def test_never_stale_after_a_change(db, articles_dir, prepare, change):
    if prepare:
        prepare(db)
    before = graphkit.load_graph(db)
    measured = _worked_out(before)  # kept beside the snapshot
    graphkit.graph.communities(before, seed=1)  # kept too, and asked for no more
    change(db, articles_dir)
    after = graphkit.load_graph(db)
    kept_path = snapshot.snapshot_path(db).with_name(db.name + ".graph.kept")
    assert not kept_path.exists()  # went with the snapshot it was kept for
    assert _same(after, _from_rows(db))
    assert not _same(after, before)
    # nor what was kept with it, which the new snapshot replaced
    assert _worked_out(after) == _worked_out(_from_rows(db)) != measured
    with open(kept_path, "rb") as kept:
        _, results = pickle.load(kept)
    assert ("louvain", 1.0, 1) not in results  # kept for the old snapshot only
    assert len(results) == len(measures._COMPUTE) + 1  # this version's: each measure, louvain


def _worked_out(G: nx.Graph) -> tuple:
    """Every measure and the communities of ``G``, as the commands read them."""
    report = graphkit.graph.centrality(G, measures="all")
    found = graphkit.graph.communities(G)
    # PageRank's last bits may differ from one run of igraph to the next
    rows = [
        {k: round(v, 12) if isinstance(v, float) else v for k, v in r.items()} for r in report.rows
    ]
    return rows, report.method, [c.members for c in found]


def _count_work(monkeypatch) -> list[str]:
    calls: list[str] = []
    for name, compute in list(measures._COMPUTE.items()):
        monkeypatch.setitem(
            measures._COMPUTE, name, lambda *a, _c=compute, _n=name: calls.append(_n) or _c(*a)
        )
    louvain = nx.community.louvain_communities
    monkeypatch.setattr(
        nx.community,
        "louvain_communities",
        lambda *a, **k: calls.append("louvain") or louvain(*a, **k),
    )
    return calls


def test_measures_and_communities_are_kept_for_the_next_command(db, monkeypatch):
    first = _worked_out(graphkit.load_graph(db))
    calls = _count_work(monkeypatch)
    again = _worked_out(graphkit.load_graph(db))
    assert calls == []
    assert again == first
    assert _worked_out(_from_rows(db)) == first  # what a graph with no snapshot gives
    assert sorted(calls) == sorted([*measures._COMPUTE, "louvain"])


def test_unseeded_measures_and_communities_are_not_kept(db, monkeypatch):
    G = graphkit.load_graph(db)
    graphkit.graph.communities(G, seed=None)
    graphkit.graph.centrality(G, measures=["betweenness"], exact_limit=1, k=2, seed=None)
    calls = _count_work(monkeypatch)
    graphkit.graph.communities(G, seed=None)
    graphkit.graph.centrality(G, measures=["betweenness"], exact_limit=1, k=2, seed=None)
    assert calls == ["louvain", "betweenness"]


def test_kept_measures_are_not_used_for_a_graph_changed_in_place(db, monkeypatch):
    _worked_out(graphkit.load_graph(db))
    calls = _count_work(monkeypatch)
    G = graphkit.load_graph(db)
    G.remove_node(max(G, key=G.degree))
    assert _worked_out(G) == _worked_out(_from_rows(db).subgraph(G).copy())
    assert "louvain" in calls and "pagerank" in calls


def test_a_kept_file_that_cannot_be_removed_is_no_error(db, monkeypatch):
    first = _worked_out(graphkit.load_graph(db))
    snapshot.snapshot_path(db).unlink()  # the next read takes a new snapshot

    def refused(path, missing_ok=False):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(snapshot.Path, "unlink", refused)
    assert _worked_out(graphkit.load_graph(db)) == first


def test_a_store_changed_by_another_sqlite_client_is_rebuilt(db):
    import sqlite3

    graphkit.load_graph(db)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE entities SET name = 'Someone Else' WHERE name = 'Tomas Berg'")
    connection.close()
    G = graphkit.load_graph(db)
    assert "Someone Else" in {d["name"] for _, d in G.nodes(data=True)}


def test_a_snapshot_others_can_write_is_ignored(db, monkeypatch):
    graphkit.load_graph(db)
    snapshot.snapshot_path(db).chmod(0o666)
    calls = []
    monkeypatch.setattr(
        snapshot, "build_graph", lambda store, **k: calls.append(1) or build_graph(store)
    )
    graphkit.load_graph(db)
    assert calls == [1]


@pytest.mark.parametrize(("search", "found"), [("bank", True), ("wang", True), ("zzz", False)])
def test_entity_search_counts_by_index_agree_with_a_full_pass(
    sample_db, monkeypatch, search, found
):
    indexed = curation.list_entities(sample_db, search=search)
    assert bool(indexed) is found  # exact counts belong to the resolver's tests
    monkeypatch.setattr(curation, "_INDEXED_COUNTS", -1)
    full_pass = curation.list_entities(sample_db, search=search)
    assert indexed == full_pass
    assert indexed == [
        row
        for row in curation.list_entities(sample_db)
        if search in row["name"].casefold() or any(search in a.casefold() for a in row["aliases"])
    ]


def test_entity_search_by_name_index_finds_what_reading_every_entity_finds(sample_db_copy):
    everything = curation.list_entities(sample_db_copy)
    names = sorted({n for row in everything for n in [row["name"], *row["aliases"]]})
    needles = {n[i : i + size] for n in names for size in (3, 5) for i in (0, len(n) // 2)}
    needles |= {"WANG", "bank of", 'a"b', "é", "eu", "ß", "people's", "\nbank"}
    with open_store(sample_db_copy) as store:
        assert store.entities_containing("bank") is not None  # the index answers
        assert len(store.entities_containing("bank")) < len(everything)
    for needle in sorted(needles):
        folded = needle.casefold()
        expected = [
            row
            for row in everything
            if any(folded in n.casefold() for n in [row["name"], *row["aliases"]])
        ]
        assert curation.list_entities(sample_db_copy, search=needle) == expected, needle
    # Kept with the entities: a renamed entity is found by its new name only.
    curation.record_decision(sample_db_copy, "rename", ["Eddie Yue", "Edmund Quillfeather"])
    (renamed,) = curation.list_entities(sample_db_copy, search="quillfeather")
    assert renamed["name"] == "Edmund Quillfeather"
