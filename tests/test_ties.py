"""Ties that mean something: shared-out weights, attributions, near-duplicates, fields, exclusions.

Built from small hand-written articles (a team sheet, a quote told to a news
agency, the same story stored twice, records with extra fields and bad dates).
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from conftest import build_records

import graphkit
from graphkit import relink
from graphkit.cli import cli
from graphkit.errors import GraphkitError, UnknownEntityError
from graphkit.graph import find_node
from graphkit.ingest.duplicates import near_duplicates, signature, similarity
from graphkit.resolve.attribution import attribution
from graphkit.store import _SCHEMA, SCHEMA_VERSION, open_store

RECORDS = [
    {
        "id": "a1",
        "title": "Squad named",
        "text": "Coach Martin Keller named his squad on Monday.\n\n"
        "The squad: Peter Olsen, David Marsh, Samuel Byrne, Oliver Grant and Henry Walsh.\n\n"
        "Peter Olsen said he was delighted to play with David Marsh again.",
        "date": "2024-02-10",
        "category": "sport",
        "author": "J. Doe",
    },
    {
        "id": "a2",
        "title": "Banker resigns",
        "text": "Alice Moreau told Reuters that Tomas Berg had resigned from the Bank of "
        "Lorraine.\n\nAccording to Reuters, Tomas Berg will join Nordpay next month.",
        "date": "2024-03-05",
        "category": "politics",
    },
    {
        "id": "a3",
        "title": "Banker resigns (updated)",
        "text": "Alice Moreau told Reuters that Tomas Berg had resigned from the Bank of "
        "Lorraine.\n\nAccording to Reuters, Tomas Berg will join Nordpay next month!",
        "date": "2024-03-06",
        "category": "politics",
    },
    {
        "id": "a4",
        "title": "Bad date",
        "text": "Gordon Hale met Maria Lind in Oslo.",
        "date": "2024-13-45",
        "category": "business",
    },
    {
        "id": "a5",
        "title": "Ambiguous date",
        "text": "Maria Lind met Gordon Hale again.",
        "date": "05/01/2024",
        "category": "business",
    },
]


@pytest.fixture(scope="module")
def ties_db(tmp_path_factory):
    return build_records(tmp_path_factory.mktemp("ties"), "ties", RECORDS)


def _key(G, name):
    return find_node(G, name)


def test_a_list_sentence_shares_its_weight(ties_db):
    db, _ = ties_db
    G = graphkit.load_graph(db)
    olsen, marsh, byrne = (_key(G, n) for n in ("Peter Olsen", "David Marsh", "Samuel Byrne"))
    # the team sheet names 5 players: each pair gets 1/4; Olsen and Marsh also share
    # a two-name sentence (1), so their tie is 1.25 over 2 sentences
    assert G.edges[olsen, byrne]["weight"] == pytest.approx(0.25)
    assert G.edges[olsen, byrne]["cooccurrences"] == 1
    assert G.edges[olsen, marsh]["weight"] == pytest.approx(1.25)
    assert G.edges[olsen, marsh]["cooccurrences"] == 2
    # weighted degree counts sentences with others: the list counts once per player
    report = graphkit.graph.centrality(G, measures=("weighted_degree", "degree"))
    rows = {r["name"]: r for r in report.rows}
    assert rows["Samuel Byrne"]["weighted_degree"] == pytest.approx(1.0)
    assert rows["Samuel Byrne"]["degree"] == 4
    assert report.measures[0] == "weighted_degree"


def test_an_attribution_is_not_a_tie(ties_db):
    db, _ = ties_db
    G = graphkit.load_graph(db)
    reuters, moreau, berg = (_key(G, n) for n in ("Reuters", "Alice Moreau", "Tomas Berg"))
    assert G.degree(reuters) == 0  # "told Reuters", "according to Reuters"
    assert G.has_edge(moreau, berg)  # the people in the same sentence still are tied
    with open_store(db) as store:
        patterns = sorted(
            p
            for (p,) in store.query(
                "SELECT attribution FROM mentions WHERE text = 'Reuters' AND article_id LIKE '%#a2'"
            )
        )
    assert patterns == ["according to", "told"]
    listing = graphkit.mentions(db, "Reuters")
    assert sum(r["attributions"] for r in listing.rows) == sum(r["mentions"] for r in listing.rows)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("he told ", " on Monday", "told"),
        ("according to the ", ", sales fell", "according to"),
        ("A spokesman for ", " said", "spokesperson for"),
        ("", " reported that", "reported"),
        ("", "'s political correspondent Nick Robinson", "correspondent"),
        ("on the ", " website", "website"),
        ("said ", " political editor Andrew Marr", "correspondent"),
        ("A ", " spokesman said", "correspondent"),
        ("says the ", "'s Sarah Rainsford in Moscow", "correspondent"),
        ("in a ", " documentary called", "website"),
        ("", "'s Bill Gates said", None),
        ("he added, on ", "'s Today programme", "speaking to"),
        ("speaking exclusively to ", ", also admits", "speaking to"),
        ("a spokesman confirmed to ", ".", "confirmed to"),
        ("unavailable for comment when contacted by ", ".", "contacted by"),
        ("", " news agency reported that", "reported"),
        ("", " quoted one trader as saying", "reported"),
        ("", " also beat its savings target", None),
        ("Blair met ", " officials", None),
        ("", " and Microsoft agreed", None),
    ],
)
def test_attribution_patterns(before, after, expected):
    assert attribution(before, after) == expected


def test_near_duplicates_count_once(ties_db):
    db, summary = ties_db
    assert summary.near_duplicates == 1
    info = graphkit.store_info(db)
    assert info["near_duplicates"]["count"] == 1
    source = str(db.parent / "articles.jsonl")  # ids are scoped by their source
    assert info["near_duplicates"]["pairs"] == [f"{source}#a3 repeats {source}#a2"]
    G = graphkit.load_graph(db)
    berg, nordpay = _key(G, "Tomas Berg"), _key(G, "Nordpay")
    assert G.edges[berg, nordpay]["cooccurrences"] == 1  # not 2: a3 repeats a2
    assert G.nodes[berg]["articles"] == 1
    evidence = graphkit.evidence(db, "Tomas Berg", "Nordpay")
    assert evidence.total == 1
    # the copy is kept and listed
    listing = graphkit.mentions(db, "Tomas Berg")
    assert {r["article_id"]: r["duplicate_of"] for r in listing.rows} == {
        f"{source}#a3": f"{source}#a2",
        f"{source}#a2": None,
    }


def test_minhash_tells_near_from_different():
    base = " ".join(f"word{i} filler{i % 7} more{i % 3}" for i in range(200))
    edited = base.replace("word50 ", "changed50 ").replace("word150 ", "changed150 ")
    other = " ".join(f"other{i} text{i % 5}" for i in range(200))
    a, b, c = signature(base), signature(edited), signature(other)
    assert similarity(a, b) > 0.8 > similarity(a, c)
    found = near_duplicates([("first", a), ("second", b), ("third", c)])
    assert set(found) == {"second"}
    assert found["second"][0] == "first"


def test_fields_are_kept_and_listed(ties_db):
    db, _ = ties_db
    info = graphkit.store_info(db)
    assert info["fields"]["category"]["articles"] == 5
    assert info["fields"]["category"]["common"][0] in ("business (2)", "politics (2)")
    assert info["fields"]["author"]["common"] == ["J. Doe (1)"]
    with open_store(db) as store:
        (fields,) = store.query("SELECT fields FROM articles WHERE id LIKE '%#a1'").fetchone()
    assert json.loads(fields) == {"author": "J. Doe", "category": "sport"}


def test_where_on_a_jsonl_field(ties_db):
    db, _ = ties_db
    sport = graphkit.load_graph(db, where=["category=sport"])
    assert {sport.nodes[n]["name"] for n in sport} >= {"Peter Olsen", "Martin Keller"}
    assert not any(sport.nodes[n]["name"] == "Tomas Berg" for n in sport)
    with pytest.raises(GraphkitError, match="no article matches all of these conditions"):
        graphkit.load_graph(db, where=["category=Politics", "author=J. Doe"])
    assert graphkit.load_graph(db, where=["category=SPORT", "author=J. Doe"]).graph["articles"] == 1
    with pytest.raises(UnknownEntityError, match="not among the articles selected by --where"):
        find_node(sport, "Tomas Berg")
    with pytest.raises(GraphkitError, match=r"no article has a field 'section'.*category"):
        graphkit.load_graph(db, where=["section=sport"])
    with pytest.raises(GraphkitError, match=r"no article has this value \(most common: "):
        graphkit.load_graph(db, where=["category=weather"])
    with pytest.raises(GraphkitError, match="FIELD=VALUE"):
        graphkit.load_graph(db, where=["category"])
    listing = graphkit.mentions(db, "Tomas Berg", where=["category=politics"])
    assert listing.total == 2


def test_where_on_the_command_line(ties_db):
    from click.testing import CliRunner

    db, _ = ties_db
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--db", str(db), "centrality", "--where", "category=sport", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert "Peter Olsen" in result.output and "Tomas Berg" not in result.output
    missing = runner.invoke(
        cli, ["--db", str(db), "neighbours", "Tomas Berg", "--where", "category=sport"]
    )
    assert missing.exit_code == 1
    assert "'Tomas Berg' is in the store but not among the articles selected" in missing.output


def test_bad_record_dates_are_not_stored_and_said(ties_db):
    db, summary = ties_db
    warning = "\n".join(summary.lines())
    assert "1 article date(s) impossible, stored as undated (e.g. '2024-13-45')" in warning
    assert "1 article date(s) ambiguous day/month, stored as undated (e.g. '05/01/2024')" in warning
    with open_store(db) as store:
        dates = {i.rsplit("#", 1)[1]: d for i, d in store.query("SELECT id, date FROM articles")}
    assert dates["a4"] is None and dates["a5"] is None and dates["a1"] == "2024-02-10"


def test_exclusions_are_stored_and_undoable(tmp_path, ties_db):
    import shutil

    from click.testing import CliRunner

    db = tmp_path / "copy.db"
    shutil.copy(ties_db[0], db)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, ["--db", str(db), *args])

    assert "Bank of Lorraine" in run("centrality", "--format", "csv").output
    assert run("exclude", "add", "Bank of Lorraine").exit_code == 0
    listed = run("exclude", "list", "--format", "csv").output.splitlines()
    assert listed == ["name,why", "Bank of Lorraine,excluded by you"]
    G = graphkit.load_graph(db)
    assert not any(G.nodes[n]["name"] == "Bank of Lorraine" for n in G)
    assert G.graph["excluded"] == "Bank of Lorraine"
    hidden = run("neighbours", "Bank of Lorraine")
    assert hidden.exit_code == 1 and "is excluded" in hidden.output
    assert graphkit.load_graph(db, stored_exclusions=False).number_of_nodes() == len(G) + 1
    assert run("exclude", "undo").exit_code == 0
    assert "Bank of Lorraine" in run("centrality", "--format", "csv").output
    # --exclude for one command only
    once = run("centrality", "--exclude", "Nordpay", "--format", "csv")
    assert once.exit_code == 0 and "Nordpay" not in once.output
    unknown = run("centrality", "--exclude", "Nobody Atall")
    assert unknown.exit_code == 1 and "no entity named 'Nobody Atall'" in unknown.output
    assert run("exclude", "remove", "Nordpay").exit_code == 1
    history = run("exclude", "list", "--history", "--format", "json")
    assert [r["active"] for r in json.loads(history.output)] == [False]


def test_markdown_front_matter_fields(tmp_path):
    from graphkit.ingest.sources import read_articles

    (tmp_path / "a.md").write_text(
        "---\ntitle: Front matter title\ndate: 2024-05-02\nsection: world\n"
        'author: "A. Writer"\n---\n\nBody of the article names Alice Moreau.\n',
        encoding="utf-8",
    )
    (article,) = read_articles([tmp_path])
    assert article.title == "Front matter title"
    assert article.date == "2024-05-02"
    assert article.fields == {"section": "world", "author": "A. Writer"}


def test_a_build_stores_each_article_s_signature_of_its_stored_text(sample_db):
    """Workers take the near-duplicate signature next to the extraction; it must
    be the stored (repaired) text's, as a signature worked out later would be."""
    with open_store(sample_db) as store:
        rows = store.query("SELECT text, signature FROM articles").fetchall()
    assert rows and all(sig == signature(text) for text, sig in rows)


def test_a_build_takes_signatures_with_the_extraction_not_after(tmp_path, monkeypatch):
    """The re-link works a signature out only for articles stored without one."""

    def unexpected(text):
        raise AssertionError("a signature was left to the re-link")

    monkeypatch.setattr(relink, "signature", unexpected)
    summary = graphkit.build([graphkit.SAMPLE_CORPUS], db=tmp_path / "s.db")
    assert summary.new > 0


def test_an_older_store_is_upgraded_in_place(tmp_path):
    db = tmp_path / "v1.db"
    connection = sqlite3.connect(db)
    connection.executescript(_SCHEMA)  # the schema as version 1 wrote it
    connection.execute("INSERT INTO meta VALUES ('app', 'graphkit'), ('schema_version', '1')")
    connection.execute(
        "INSERT INTO articles (id, source, title, text, content_hash, extraction)"
        " VALUES ('a', 'a.txt', 'A', 'The May fair. May said no.', 'h', 'x')"
    )
    connection.commit()
    connection.close()
    with open_store(db) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        # The words of the stored articles are counted on the way.
        assert store.word_cases(["may", "fair", "said"]) == (
            {"may": 0, "fair": 1, "said": 1},
            {"may": 2, "fair": 0, "said": 0},
        )
        columns = {r[1] for r in store.query("PRAGMA table_info(articles)")}
        assert {"fields", "duplicate_of", "signature", "link_pending"} <= columns
        assert store.link_pending() == {"a"}  # its ties are worked out on the next re-link
        assert {r[1] for r in store.query("PRAGMA table_info(cooccurrences)")} >= {"weight"}
        of_mentions = _index_columns(store, "mentions")
    # one covering index reads an entity's mentions; the narrower ones it replaced went
    assert "entity, article_id, sentence, attribution" in of_mentions
    assert not {"entity", "entity, article_id"} & of_mentions


def _index_columns(store, table: str) -> set[str]:
    """The columns of each index of ``table``, as ``"a, b"``."""
    names = store.query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = ?",
        (table,),
    ).fetchall()
    return {
        ", ".join(row[2] for row in store.query(f"PRAGMA index_info('{name}')"))
        for (name,) in names
    }


def _store_with_a_near_duplicate(tmp_path):
    """A store of an article and its copy with one more sentence, naming Greta Quarry."""
    body = (
        "Alice Moreau met Tomas Berg at the Bank of Lorraine on Monday to discuss the merger. "
        "The two bankers spoke for an hour about the terms and the timetable of the deal. "
        "Alice Moreau said afterwards that the talks had gone well and would go on. "
        "Tomas Berg declined to comment on the price that the bank might pay for the firm. "
    )
    records = [
        {"id": "x1", "title": "Talks", "text": body, "date": "2024-03-05"},
        {"id": "x2", "title": "Talks", "text": body + "Greta Quarry agreed.", "date": "2024-03-06"},
    ]
    db, summary = build_records(tmp_path, "copies", records)
    assert summary.near_duplicates == 1
    return db


def test_ties_stored_for_a_near_duplicate_count_on_neither_path(tmp_path):
    """A tie row left in a near-duplicate (written before the article was found to repeat
    another) is in neither the whole graph nor the neighbours read by index."""
    from graphkit.graph.from_store import build_graph
    from graphkit.graph.paths import neighbours, neighbours_from_store

    db = _store_with_a_near_duplicate(tmp_path)
    with open_store(db, write=True) as store, store.connection:
        keys = dict(store.query("SELECT name, key FROM entities"))
        ((copy,),) = store.query("SELECT id FROM articles WHERE duplicate_of IS NOT NULL")
        a, b = sorted((keys["Alice Moreau"], keys["Greta Quarry"]))
        store.connection.execute(
            "INSERT INTO cooccurrences (a, b, article_id, sentence_a, sentence_b, weight)"
            " VALUES (?, ?, ?, 0, 3, 1.0)",
            (a, b, copy),
        )
    with open_store(db) as store:
        G = build_graph(store)
    assert not G.has_node(keys["Greta Quarry"])
    for key in G:
        _, rows = neighbours_from_store(db, G.nodes[key]["name"], depth=2)
        assert rows == neighbours(G, key, depth=2)
    assert [n.name for n in neighbours_from_store(db, "Alice Moreau")[1]] == [
        "Bank of Lorraine",
        "Tomas Berg",
    ]


def test_a_schema_3_store_keeps_its_entities_through_the_upgrade(tmp_path, monkeypatch):
    """Schema 4 counts the stored words and marks every article for the recall pass;
    the entities already resolved stay, with no re-link on the next reading."""
    from graphkit import store as store_module

    db = tmp_path / "v3.db"
    with monkeypatch.context() as old:
        old.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:2])
        old.setattr(store_module, "SCHEMA_VERSION", 3)
        old.setattr(store_module, "notify", lambda line: None)
        with open_store(db, create=True) as store, store.connection:
            store.connection.execute(
                "INSERT INTO articles (id, source, title, text, content_hash, extraction)"
                " VALUES ('a', 'a.txt', 'A', 'Budget day. The budget.', 'h', 'x')"
            )
            store.set_meta("resolved", "1")
    monkeypatch.setattr(store_module, "notify", lambda line: None)
    with open_store(db) as store:
        assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
        assert not store.needs_resolution()
        assert store.word_cases(["budget", "day"]) == (
            {"budget": 1, "day": 1},
            {"budget": 1, "day": 0},
        )
        assert store.recall_state(1) == (None, {"a"})


def test_an_entity_named_only_in_a_near_duplicate_has_no_ties_and_is_told_so(tmp_path):
    db = _store_with_a_near_duplicate(tmp_path)
    told = CliRunner().invoke(cli, ["--db", str(db), "neighbours", "Greta Quarry"])
    assert told.exit_code == 1
    assert "'Greta Quarry' is named only in near-duplicate articles" in told.output
    listed = CliRunner().invoke(cli, ["--db", str(db), "mentions", "Greta Quarry"])
    assert listed.exit_code == 0 and "x2" not in listed.output.split("\n")[0]
