"""Drill-down: every mention of an entity and every sentence of a tie, complete and paged."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import write_jsonl

import graphkit
from graphkit.cli import cli
from graphkit.errors import GraphkitError, UnknownEntityError
from graphkit.graph import find_node
from graphkit.store import open_store


@pytest.fixture
def run():
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args])


def _stored_mentions(db, name):
    G = graphkit.load_graph(db)
    key = find_node(G, name)
    with open_store(db) as store:
        mentions, articles = store.query(
            "SELECT COUNT(*), COUNT(DISTINCT article_id) FROM mentions WHERE entity = ?", (key,)
        ).fetchone()
    return mentions, articles


@pytest.mark.parametrize("name", ["Xi Jinping", "People's Bank of China", "Ant Group"])
def test_mentions_are_complete(sample_db, name):
    mentions, articles = _stored_mentions(sample_db, name)
    listing = graphkit.mentions(sample_db, name)
    assert listing.total == articles == len(listing.rows)
    assert sum(r["mentions"] for r in listing.rows) == mentions
    sentences = graphkit.mentions(sample_db, name, sentences=True)
    assert sum(r["mentions"] for r in sentences.rows) == mentions
    assert sentences.total == len(sentences.rows) == listing.totals["sentences"]
    dates = [r["date"] for r in listing.rows if r["date"]]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_mentions_page_through_everything(sample_db):
    everything = graphkit.mentions(sample_db, "Xi Jinping", sentences=True).rows
    pages, offset = [], 0
    while True:
        page = graphkit.mentions(sample_db, "Xi Jinping", sentences=True, limit=4, offset=offset)
        pages += page.rows
        offset += len(page.rows)
        if not page.remaining:
            break
    assert pages == everything
    assert len(everything) > 4


def test_evidence_lists_every_sentence_of_a_tie(sample_db):
    G = graphkit.load_graph(sample_db)
    a, b, data = max(G.edges(data=True), key=lambda e: e[2]["cooccurrences"])
    name_a, name_b = G.nodes[a]["name"], G.nodes[b]["name"]
    listing = graphkit.evidence(sample_db, name_a, name_b)
    assert listing.total == len(listing.rows) == data["cooccurrences"]
    assert sum(r["weight"] for r in listing.rows) == pytest.approx(data["weight"])
    assert len({r["article_id"] for r in listing.rows}) == data["articles"]
    # the store-path form of edge_evidence, as the README shows
    records = graphkit.edge_evidence(sample_db, a, b, limit=100)
    assert len(records) == data["cooccurrences"]


def test_drilldown_queries_use_indexes(sample_db):
    with open_store(sample_db) as store:
        plan = " ".join(
            row[-1]
            for row in store.query(
                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM mentions m JOIN articles ar"
                " ON ar.id = m.article_id WHERE m.entity = ?",
                ("x",),
            )
        )
        assert "mentions_entity" in plan and "SCAN m" not in plan
        plan = " ".join(
            row[-1]
            for row in store.query(
                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM cooccurrences c JOIN articles ar"
                " ON ar.id = c.article_id WHERE c.a = ? AND c.b = ?",
                ("x", "y"),
            )
        )
        assert "c USING COVERING INDEX cooccurrences_" in plan and "SCAN c" not in plan


def _query_plans(monkeypatch) -> set[str]:
    """The steps of every query plan the store runs from now on, filled in as they run."""
    from graphkit import store as store_module

    steps: set[str] = set()
    query = store_module.Store.query

    def explained(self, sql, params=()):
        steps.update(row[-1] for row in query(self, "EXPLAIN QUERY PLAN " + sql, params))
        return query(self, sql, params)

    monkeypatch.setattr(store_module.Store, "query", explained)
    return steps


def test_the_neighbours_of_one_entity_are_read_from_indexes(sample_db, monkeypatch):
    """Every query ``neighbours`` runs on the store reads ties, articles and near-duplicates
    from covering indexes (schema 5); rows of ``articles`` only for the evidence it keeps."""
    from graphkit.graph.paths import neighbours_from_store

    steps = _query_plans(monkeypatch)
    _, rows = neighbours_from_store(sample_db, "Xi Jinping", depth=2, limit=3)
    assert len(rows) == 6
    reads = {s for s in steps if s.split()[:2] in (["SCAN", "articles"], ["SCAN", "c"])}
    reads |= {s for s in steps if s.split()[1:2] in (["c"], ["ar"], ["art"])}
    assert sorted(reads) == [
        "SCAN articles USING COVERING INDEX articles_duplicates",
        "SEARCH ar USING COVERING INDEX articles_original (id=? AND duplicate_of=?)",
        "SEARCH art USING INDEX sqlite_autoindex_articles_1 (id=?)",
        "SEARCH c USING COVERING INDEX cooccurrences_a_ties (a=?)",
        "SEARCH c USING COVERING INDEX cooccurrences_b_ties (b=? AND a=?)",
        "SEARCH c USING COVERING INDEX cooccurrences_b_ties (b=?)",
    ]


@pytest.mark.parametrize("sentences", [False, True], ids=["articles", "sentences"])
def test_a_page_of_mentions_reads_only_its_own_rows(sample_db, monkeypatch, sentences):
    """The totals and the page of ``mentions`` come from covering indexes (schema 8);
    rows of ``articles`` are read for the page's titles alone (``p`` is the page)."""
    from graphkit.graph.drilldown import entity_mentions

    steps = _query_plans(monkeypatch)
    with open_store(sample_db) as store:
        listing = entity_mentions(store, "Xi Jinping", sentences=sentences, limit=2)
    assert len(listing.rows) == 2 < listing.total
    reads = {s for s in steps if s.split()[1:2] in (["m"], ["ar"], ["s"], ["p"])}
    assert sorted(reads) == [
        "MATERIALIZE p",
        "SCAN p",
        "SEARCH ar USING COVERING INDEX articles_original (id=?)",
        "SEARCH ar USING INDEX sqlite_autoindex_articles_1 (id=?)",
        "SEARCH m USING COVERING INDEX mentions_entity_reading (entity=?)",
        *(["SEARCH s USING PRIMARY KEY (article_id=? AND idx=?)"] if sentences else []),
    ]


def test_a_tie_across_two_sentences_reads_them_in_text_order(tmp_path):
    # The key that sorts first ("ingrid") is named in the later sentence.
    text = "Tomas Berg spoke in Oslo on Monday.\n\nLater that week, Ingrid Lund answered him."
    write_jsonl(tmp_path / "a.jsonl", [{"id": "one", "title": "Talks", "text": text}])
    db = tmp_path / "across.db"
    graphkit.build([tmp_path / "a.jsonl"], db=db, window="article")
    expected = "Tomas Berg spoke in Oslo on Monday. … Later that week, Ingrid Lund answered him."
    (record,) = graphkit.evidence(db, "Ingrid Lund", "Tomas Berg").rows
    assert record["sentence"] == expected
    G = graphkit.load_graph(db)
    a, b = (find_node(G, name) for name in ("Ingrid Lund", "Tomas Berg"))
    assert [e["sentence"] for e in G.edges[a, b]["evidence"]] == [expected]


def test_drilldown_errors(sample_db):
    with pytest.raises(UnknownEntityError, match="did you mean"):
        graphkit.mentions(sample_db, "Xi Jinpin")
    with pytest.raises(GraphkitError, match="same entity"):
        graphkit.evidence(sample_db, "Xi Jinping", "President Xi")
    G = graphkit.load_graph(sample_db)
    oldest = min(d["first_date"] for _, d in G.nodes(data=True))
    late = max(G.nodes, key=lambda n: G.nodes[n]["first_date"])
    assert G.nodes[late]["first_date"] > oldest
    with pytest.raises(UnknownEntityError, match=r"mention\(s\) in the store, none in the"):
        graphkit.mentions(sample_db, G.nodes[late]["name"], until=oldest, dated_only=True)


def test_mentions_and_evidence_commands(run, sample_db):
    table = run("--db", sample_db, "mentions", "Xi Jinping", "--limit", "2")
    assert table.exit_code == 0, table.output
    assert "articles 1-2 of " in table.output
    assert 'more: graphkit mentions "Xi Jinping" --offset 2' in table.output
    data = json.loads(
        run("--db", sample_db, "mentions", "Xi", "--sentences", "--all", "--format", "json").output
    )
    assert data["entities"] == ["Xi Jinping"]
    assert len(data["rows"]) == data["total"] == data["totals"]["sentences"]
    csv = run("--db", sample_db, "evidence", "Xi Jinping", "PBOC", "--format", "csv")
    assert csv.exit_code == 0, csv.output
    assert csv.output.splitlines()[0] == "date,title,sentence,weight,url"
    assert "People's Bank of China" in csv.output
