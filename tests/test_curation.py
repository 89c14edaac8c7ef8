"""Reviewing and correcting entities end to end: decisions survive rebuilds and can be undone."""

import pytest

import graphkit
from graphkit import curation
from graphkit.errors import OverrideError, UnknownEntityError


def _names(db):
    return {row["name"] for row in curation.list_entities(db)}


def test_merge_survives_a_rebuild_and_can_be_undone(small_db, articles_dir):
    assert {"Nordpay", "Acme Holdings"} <= _names(small_db)
    done = curation.record_decision(small_db, "merge", ["Nordpay", "Acme Holdings"])
    assert done.changes == [
        "merged 'Acme Holdings' (1 mention) into 'Nordpay'",
        "'Nordpay' now has 4 mentions in 2 articles",
    ]
    assert (done.notes, done.warnings) == ([], [])
    (merged,) = curation.list_entities(small_db, search="Nordpay")
    assert (merged["name"], merged["aliases"]) == ("Nordpay", ["Acme Holdings"])
    (articles_dir / "more.txt").write_text("More\nAcme Holdings signed with Tomas Berg again.\n")
    summary = graphkit.build([articles_dir], db=small_db)
    assert summary.new == 1
    (after_rebuild,) = curation.list_entities(small_db, search="Acme")
    assert {after_rebuild["name"], *after_rebuild["aliases"]} == {"Nordpay", "Acme Holdings"}
    (decision,) = curation.list_decisions(small_db)
    curation.undo_decision(small_db, decision.id)
    assert {"Nordpay", "Acme Holdings"} <= _names(small_db)
    assert curation.list_decisions(small_db) == []
    curation.undo_decision(small_db, decision.id, redo=True)
    (redone,) = curation.list_entities(small_db, search="Acme")
    assert "Nordpay" in {redone["name"], *redone["aliases"]}


def test_rename_and_drop(small_db):
    curation.record_decision(small_db, "rename", ["Nordpay", "Nordpay AB"])
    curation.record_decision(small_db, "drop", ["Acme Holdings"])
    names = _names(small_db)
    assert "Nordpay AB" in names
    assert "Acme Holdings" not in names
    assert graphkit.store_info(small_db)["dropped_mentions"]["dropped by user"] == 1


def test_decision_names_must_exist_and_match_arity(small_db):
    with pytest.raises(
        UnknownEntityError, match="no entity named 'Nordpey'; did you mean 'Nordpay'"
    ):
        curation.record_decision(small_db, "merge", ["Nordpey", "Acme Holdings"])
    with pytest.raises(OverrideError):
        curation.record_decision(small_db, "rename", ["Nordpay"])
    assert curation.list_decisions(small_db) == []


def test_aliases_file_round_trips(small_db, tmp_path):
    curation.record_decision(small_db, "merge", ["Nordpay", "Acme Holdings"])
    curation.record_decision(small_db, "rename", ["Tomas Berg", 'Tomas "Tom" Berg, Jr'])
    path = tmp_path / "aliases.csv"
    assert curation.export_aliases(small_db, path) == 2
    other = tmp_path / "other.db"
    graphkit.build([tmp_path / "articles"], db=other)
    assert curation.import_aliases(other, path) == (2, [])
    assert _names(other) == _names(small_db)
    again = tmp_path / "again.csv"
    curation.export_aliases(other, again)
    assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_explain_lists_rules(small_db):
    found = curation.explain_entity(small_db, "Alice Moreau")
    assert found["aliases"] == ["Moreau"]
    assert any(
        x["surface"] == "Moreau" and x["target"] == "Alice Moreau" for x in found["explanations"]
    )
