"""Curation by what the user sees: display names and aliases, ambiguity, retype, no-ops,
interrupted decisions and invisible names (issue 9 "corrections that work", issue 11
items 13 and 25).

The store is built from five hand-written articles: "Blair" alone in two of them
is kept apart from Tony Blair and Cherie Blair (two candidates), yet is an alias
of both; "Wang" is an alias of Wang Lin and of Wang Hua.
"""

from __future__ import annotations

import json
import shutil
import sqlite3

import networkx as nx
import pytest
from click.testing import CliRunner

import graphkit
from graphkit import curation
from graphkit.cli import cli
from graphkit.errors import AmbiguousEntityError, GraphkitError, OverrideError
from graphkit.graph import lookup_node

ARTICLES = {
    "one.txt": "Talks in London\nTony Blair met Gordon Brown in London on Monday. Blair said"
    " the talks had gone well. Blair thanked Brown. Blair left at noon.\n",
    "two.txt": "Blair in Paris\nBlair told reporters in Paris that the plan would work."
    " Blair spoke for an hour about Europe.\n",
    "three.txt": "Cherie Blair speaks\nCherie Blair opened a school in Leeds on Friday."
    " Blair said teachers deserved more support.\n",
    "four.txt": "Wang Lin and Ant Group\nWang Lin, chief executive of Ant Group, met"
    " regulators. Wang said the firm would comply.\n",
    "five.txt": "Wang Hua at Nordpay\nWang Hua, a director of Nordpay, spoke in Beijing."
    " Wang said payments were growing fast.\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("people")
    articles = folder / "articles"
    articles.mkdir()
    for name, text in ARTICLES.items():
        (articles / name).write_text(text, encoding="utf-8")
    db = folder / "people.db"
    graphkit.build([articles], db=db)
    return articles, db


@pytest.fixture
def people(built, tmp_path):
    """A private copy of the store and of its articles folder."""
    articles, db = built
    shutil.copytree(articles, tmp_path / "articles")
    shutil.copy(db, tmp_path / "people.db")
    return tmp_path / "people.db"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, [str(a) for a in args])

    return invoke


def entities(db) -> dict[str, tuple]:
    """Key → (name, type, mentions, aliases) of every entity."""
    return {
        r["key"]: (r["name"], r["type"], r["mentions"], r["aliases"])
        for r in curation.list_entities(db)
    }


def decisions(db) -> list[tuple]:
    return [(d.action, d.names, d.active) for d in curation.list_decisions(db, include_undone=True)]


def test_the_fixture_has_the_cases_these_tests_need(people):
    assert entities(people) == {
        "person:tony-blair": ("Tony Blair", "PERSON", 4, ["Blair"]),
        "person:cherie-blair": ("Cherie Blair", "PERSON", 3, ["Blair"]),
        "person:blair": ("Blair", "PERSON", 3, []),
        "person:gordon-brown": ("Gordon Brown", "PERSON", 2, ["Brown"]),
        "person:wang-lin": ("Wang Lin", "PERSON", 3, ["Wang"]),
        "person:wang-hua": ("Wang Hua", "PERSON", 3, ["Wang"]),
        "org:ant-group": ("Ant Group", "ORG", 2, []),
        "org:nordpay": ("Nordpay", "ORG", 1, []),
    }


def test_merge_by_display_name_merges_that_entity_and_says_so(people, run):
    # "Blair" is also an alias of Tony Blair (the bigger entity) and of Cherie
    # Blair: the entity the user sees as "Blair" is the one merged.
    result = run("--db", people, "merge", "Tony Blair", "Blair")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "merged 'Blair' (3 mentions) into 'Tony Blair'\n"
        "'Tony Blair' now has 7 mentions in 2 articles\n"
        "decision 1 recorded; undo it with 'graphkit undo 1'\n"
    )
    assert result.stderr == ""
    after = entities(people)
    assert "person:blair" not in after
    assert after["person:tony-blair"] == ("Tony Blair", "PERSON", 7, ["Blair"])
    assert after["person:cherie-blair"] == ("Cherie Blair", "PERSON", 3, ["Blair"])


def test_a_merge_keeps_meaning_the_chosen_entity_across_rebuilds(people):
    curation.record_decision(people, "merge", ["Tony Blair", "Blair"])
    articles = people.parent / "articles"
    (articles / "six.txt").write_text(
        "Blair returns\nBlair returned to London on Sunday. Blair met party officials.\n",
        encoding="utf-8",
    )
    summary = graphkit.build([articles], db=people)
    assert (summary.new, summary.warnings) == (1, [])
    after = entities(people)
    assert after["person:tony-blair"] == ("Tony Blair", "PERSON", 10, ["Blair"])  # 7 + 3 new
    assert after["person:cherie-blair"] == ("Cherie Blair", "PERSON", 3, ["Blair"])
    assert "person:blair" not in after


def test_decisions_by_alias_say_which_entity_they_chose(people, run):
    result = run("--db", people, "rename", "Brown", "Gordon Brown MP")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Note: 'Brown' is Gordon Brown\n"
    assert (
        result.stdout.splitlines()[0] == "renamed 'Gordon Brown' (2 mentions) to 'Gordon Brown MP'"
    )
    assert entities(people)["person:gordon-brown"][0] == "Gordon Brown MP"
    result = run("--db", people, "drop", "org:nordpay")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Note: 'org:nordpay' is Nordpay\n"
    assert result.stdout.splitlines()[0] == "dropped 'Nordpay' (1 mention) from the graph"
    assert "org:nordpay" not in entities(people)


AMBIGUOUS_WANG = (
    "Error: 'Wang' may mean 2 entities: Wang Hua (PERSON, 3 mentions, key person:wang-hua);"
    " Wang Lin (PERSON, 3 mentions, key person:wang-lin); name one by its full name or its key\n"
)


@pytest.mark.parametrize(
    "args",
    [
        ("merge", "Ant Group", "Wang"),
        ("rename", "Wang", "Mr Wang"),
        ("drop", "Wang"),
        ("retype", "Wang", "ORG"),
        ("neighbours", "Wang"),
        ("path", "Wang", "Ant Group"),
        ("entities", "--explain", "Wang"),
        ("mentions", "Wang"),
        ("evidence", "Wang", "Ant Group"),
    ],
)
def test_an_ambiguous_name_is_an_error_listing_the_candidates(people, run, args):
    before = entities(people)
    result = run("--db", people, *args)
    assert result.exit_code == 1
    assert result.output == AMBIGUOUS_WANG
    assert entities(people) == before
    assert decisions(people) == []


def test_the_ambiguous_case_is_settled_by_key(people, run):
    result = run("--db", people, "merge", "Ant Group", "person:wang-lin")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "merged 'Wang Lin' (3 mentions) into 'Ant Group'"
    after = entities(people)
    assert after["org:ant-group"] == ("Ant Group", "ORG", 5, ["Wang Lin", "Wang"])
    assert after["person:wang-hua"] == ("Wang Hua", "PERSON", 3, ["Wang"])


def test_lookups_name_the_entity_they_chose(people, run, tmp_path):
    result = run("--db", people, "neighbours", "Brown", "--evidence", "0")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Note: 'Brown' is Gordon Brown\n"
    assert [line.split()[1:3] for line in result.stdout.splitlines()[2:]] == [["Tony", "Blair"]]
    result = run("--db", people, "path", "President Tony Blair", "Brown", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Note: 'President Tony Blair' is Tony Blair\nNote: 'Brown' is Gordon Brown\n"
    )
    result = run("--db", people, "--quiet", "page", "-o", tmp_path / "p.html", "--focus", "BROWN")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Note: 'BROWN' is Gordon Brown\n"
    result = run("--db", people, "entities", "--explain", "Brown")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Note: 'Brown' is Gordon Brown\n"
    assert result.stdout.startswith("Gordon Brown (PERSON, 2 mentions in 1 articles)\n")
    result = run("--db", people, "neighbours", "gordon brown", "--evidence", "0")
    assert (result.exit_code, result.stderr) == (0, "")  # case alone leaves no doubt


def test_retype_is_a_decision_like_the_others(people, run, tmp_path):
    result = run("--db", people, "retype", "Nordpay", "product")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "retyped 'Nordpay' (1 mention) from ORG to PRODUCT\n"
        "decision 1 recorded; undo it with 'graphkit undo 1'\n"
    )
    assert entities(people)["org:nordpay"][1] == "PRODUCT"
    assert graphkit.load_graph(people).nodes["org:nordpay"]["type"] == "PRODUCT"
    assert decisions(people) == [("retype", ("Nordpay", "PRODUCT"), True)]
    graphkit.build([people.parent / "articles"], db=people)
    assert entities(people)["org:nordpay"][1] == "PRODUCT"
    aliases = tmp_path / "aliases.csv"
    assert curation.export_aliases(people, aliases) == 1
    assert aliases.read_text(encoding="utf-8").splitlines()[-1] == "retype,Nordpay,PRODUCT"
    curation.undo_decision(people, 1)
    assert entities(people)["org:nordpay"][1] == "ORG"
    assert curation.import_aliases(people, aliases) == (1, [])
    assert entities(people)["org:nordpay"][1] == "PRODUCT"


def test_retype_refuses_unknown_types_and_no_change(people):
    with pytest.raises(OverrideError, match=r"retype: unknown type 'PERSN'; known types: EVENT, "):
        curation.record_decision(people, "retype", ["Nordpay", "persn"])
    with pytest.raises(OverrideError, match=r"^retype: 'Nordpay' is already ORG$"):
        curation.record_decision(people, "retype", ["Nordpay", "ORG"])
    with pytest.raises(OverrideError, match=r"retype: 'P-1' is not an entity type"):
        curation.record_decision(people, "retype", ["Nordpay", "P-1"])
    assert decisions(people) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["merge", "Tony Blair", "Tony Blair"],
            "merge: 'Tony Blair' is already part of 'Tony Blair' (key person:tony-blair);"
            " nothing to merge",
        ),
        (
            ["merge", "Gordon Brown", "Brown"],
            "merge: 'Brown' is already part of 'Gordon Brown' (key person:gordon-brown);"
            " nothing to merge",
        ),
        (
            ["merge", "Nordpay", "Ant Group", "ant group"],
            "merge: the same entity is named twice; name each once",
        ),
        (["rename", "Nordpay", "Nordpay"], "rename: 'Nordpay' is already called that"),
        (["unmerge", "Nordpay"], "unmerge: 'Nordpay' is already an entity of its own"),
        (
            ["unmerge", "Lehman"],
            "unmerge: no entity goes by 'Lehman'; run 'graphkit entities --search' to find"
            " the names entities go by",
        ),
    ],
)
def test_decisions_that_change_nothing_are_refused_not_recorded(people, args, message):
    before = entities(people)
    with pytest.raises(OverrideError) as raised:
        curation.record_decision(people, args[0], args[1:])
    assert str(raised.value) == message
    assert (decisions(people), entities(people)) == ([], before)


def test_running_a_decision_again_records_no_duplicate(people, run):
    assert run("--db", people, "merge", "Tony Blair", "Blair").exit_code == 0
    result = run("--db", people, "merge", "Tony Blair", "Blair")
    assert result.exit_code == 1
    assert result.output == "Error: merge Tony Blair, Blair is already decision 1; nothing to do\n"
    curation.record_decision(people, "drop", ["Nordpay"])
    with pytest.raises(OverrideError, match=r"^drop Nordpay is already decision 2; nothing to do$"):
        curation.record_decision(people, "drop", ["Nordpay"])
    assert decisions(people) == [
        ("merge", ("Tony Blair", "Blair"), True),
        ("drop", ("Nordpay",), True),
    ]


def _store_state(db) -> tuple:
    with sqlite3.connect(db) as connection:
        tables = {
            table: sorted(connection.execute(f"SELECT * FROM {table}"))
            for table in ("overrides", "entities", "mentions", "cooccurrences", "meta")
        }
    return tuple(tables.items())


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    "where",
    ["resolving", "saving"],
)
def test_an_interrupted_merge_leaves_no_trace_and_can_be_run_again(people, monkeypatch, where):
    before = _store_state(people)
    with monkeypatch.context() as patch:
        if where == "resolving":
            patch.setattr("graphkit.relink.cooccurrences", _interrupt)
        else:
            # the last write of the save, after the entity tables were replaced
            original = graphkit.store.Store.set_meta

            def set_meta(self, key, value):
                if (key, value) == ("resolved", "1"):
                    raise KeyboardInterrupt
                original(self, key, value)

            patch.setattr(graphkit.store.Store, "set_meta", set_meta)
        with pytest.raises(KeyboardInterrupt):
            curation.record_decision(people, "merge", ["Tony Blair", "Blair"])
    assert _store_state(people) == before
    done = curation.record_decision(people, "merge", ["Tony Blair", "Blair"])
    assert done.changes[0] == "merged 'Blair' (3 mentions) into 'Tony Blair'"
    assert decisions(people) == [("merge", ("Tony Blair", "Blair"), True)]
    assert "person:blair" not in entities(people)


@pytest.mark.parametrize("invisible", ["\u200b", "\u0301", "…", "--", " \u200b "])
def test_names_without_visible_letters_are_refused(people, invisible):
    with pytest.raises(OverrideError, match="has no letters or digits"):
        curation.record_decision(people, "rename", ["Nordpay", invisible])
    with pytest.raises(OverrideError, match="has no letters or digits"):
        curation.record_decision(people, "retype", [invisible, "ORG"])
    with pytest.raises(GraphkitError, match="has no letters or digits"):
        graphkit.find_node(graphkit.load_graph(people), invisible)
    assert decisions(people) == []


def test_an_invisible_name_is_refused_on_the_command_line(people, run):
    result = run("--db", people, "neighbours", "\u0301")
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: '\u0301' has no letters or digits; give an entity's name, alias or key\n"
    )
    result = run("--db", people, "rename", "Nordpay", "\u200b")
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: rename: '\\u200b' has no letters or digits; names must be visible\n"
    )


def test_lookup_prefers_display_names_then_the_exact_spelling():
    G = nx.Graph()
    G.add_node("k1", name="Tony Blair", aliases=["Tony Blair", "Blair"], mentions=40)
    G.add_node("k2", name="Blair", aliases=["Blair"], mentions=3)
    G.add_node("k3", name="Wang Lin", aliases=["Wang Lin", "Wang"], mentions=5, type="PERSON")
    G.add_node("k4", name="Wang Hua", aliases=["Wang Hua", "Wang"], mentions=9, type="PERSON")
    G.add_node("k5", name="Red Date", aliases=["Red Date", "RED DATE"], mentions=2)
    G.add_node("k6", name="RED DATE", aliases=["RED DATE"], mentions=1)
    assert lookup_node(G, "Blair").node == "k2"
    assert lookup_node(G, "blair's").node == "k2"
    match = lookup_node(G, "Mr Tony Blair")
    assert (match.node, match.matched, match.note) == (
        "k1",
        "title",
        "'Mr Tony Blair' is Tony Blair",
    )
    assert lookup_node(G, "RED DATE").node == "k6"
    assert lookup_node(G, "Wang Lin").note is None
    with pytest.raises(AmbiguousEntityError) as raised:
        lookup_node(G, "wang")
    assert raised.value.candidates == [
        ("k4", "Wang Hua", "PERSON", 9),
        ("k3", "Wang Lin", "PERSON", 5),
    ]
    with pytest.raises(AmbiguousEntityError):
        lookup_node(G, "red date")


def test_decisions_list_the_keys_they_were_made_for(people, run):
    curation.record_decision(people, "merge", ["Tony Blair", "Blair"])
    result = run("--db", people, "decisions", "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert (row["names"], row["keys"]) == (
        ["Tony Blair", "Blair"],
        ["person:tony-blair", "person:blair"],
    )


def test_unmerge_says_which_entities_lose_the_name(people, run):
    result = run("--db", people, "unmerge", "Wang")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "took 'Wang' out of 'Wang Hua' and 'Wang Lin'; it is now an entity of its own"
    )
    after = entities(people)
    assert after["person:wang-hua"][3] == after["person:wang-lin"][3] == []
    assert [(v[0], v[2]) for v in after.values() if v[0] == "Wang"] == [("Wang", 2)]


def test_an_aliases_file_with_an_ambiguous_name_is_refused_whole(people, tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("merge,Tony Blair,Blair\ndrop,Wang\n", encoding="utf-8")
    with pytest.raises(OverrideError, match=r"aliases.csv, decision 2: 'Wang' may mean 2 entities"):
        curation.import_aliases(people, path)
    assert decisions(people) == []
    path.write_text("merge,Tony Blair,Blair\ndrop,person:wang-lin\n", encoding="utf-8")
    assert curation.import_aliases(people, path) == (2, [])
    after = entities(people)
    assert "person:blair" not in after and "person:wang-lin" not in after


def test_an_invisible_rename_stored_by_an_older_version_is_reported_and_undoable(people):
    with sqlite3.connect(people) as connection:
        connection.execute(
            "INSERT INTO overrides (action, args) VALUES ('rename', ?)", ('["Nordpay", "\\u200b"]',)
        )
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'resolved'")
    summary = graphkit.build([people.parent / "articles"], db=people)
    assert summary.warnings == [
        "decision 1 'rename Nordpay, \u200b' names no entity; it has no effect"
    ]
    assert entities(people)["org:nordpay"][0] == "Nordpay"
    assert curation.export_aliases(people, people.parent / "a.csv") == 0
    assert curation.undo_decision(people, 1) == []


def test_a_merged_entity_keeps_the_name_the_user_saw(sample_db_copy):
    # On the sample corpus most of Wang Hua's mentions are short ones the model
    # labelled ORG ("Ms Wang"); the entity is still shown as Wang Hua, and a
    # merge into it keeps showing it so.
    (before,) = [r for r in curation.list_entities(sample_db_copy) if r["name"] == "Wang Hua"]
    done = curation.record_decision(sample_db_copy, "merge", ["Wang Hua", "Lattice Pay"])
    assert done.changes[-1].startswith("'Wang Hua' now has ")
    (after,) = [r for r in curation.list_entities(sample_db_copy) if r["key"] == before["key"]]
    assert after["name"] == "Wang Hua"
    assert "Lattice Pay" in after["aliases"]


def test_unmerge_of_a_possessive_form_is_described_and_applied_by_one_rule(people, run):
    # No alias reads "Wang's", yet the decision takes "Wang" out (same key):
    # the command says so instead of refusing a decision that would apply.
    result = run("--db", people, "unmerge", "Wang's")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "took \"Wang's\" out of 'Wang Hua' and 'Wang Lin'; it is now an entity of its own"
    )
    after = entities(people)
    assert after["person:wang-hua"][3] == after["person:wang-lin"][3] == []


def test_an_exclusion_names_one_entity_and_a_stored_one_that_fits_two_says_so(people, run):
    refused = run("--db", people, "exclude", "add", "Wang")
    assert refused.exit_code == 1
    assert "'Wang' may mean 2 entities" in refused.output
    unknown = run("--db", people, "exclude", "add", "Nobody Atall")
    assert unknown.exit_code == 1 and "no entity named 'Nobody Atall'" in unknown.output
    with sqlite3.connect(people) as connection:  # a decision a later merge made ambiguous
        connection.execute("INSERT INTO exclusions (action, name) VALUES ('add', 'Wang')")
    broken = run("--db", people, "centrality")
    assert broken.exit_code == 1
    assert broken.output.startswith("Error: the stored exclusion 'Wang' now fits several entities")
    assert 'graphkit exclude remove "Wang"' in broken.output
    assert run("--db", people, "exclude", "remove", "Wang").exit_code == 0
    assert run("--db", people, "centrality").exit_code == 0


def test_suggestions_name_each_name_once(sample_db_copy):
    """Two entities may share a display name (a rename); a suggestion lists it once."""
    curation.record_decision(sample_db_copy, "rename", ["Lattice Pay", "Wang Hua"])
    with pytest.raises(GraphkitError, match="did you mean") as raised:
        curation.explain_entity(sample_db_copy, "Wang Huaa")
    assert str(raised.value).count("'Wang Hua'") == 1
