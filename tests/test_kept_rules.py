"""A decision applied to the rules' kept groups gives what running the rules again gives.

A user decision (merge, rename, drop, undo …) changes nothing the automatic
rules read, so the store keeps their groups and the next decision is applied
to them (:mod:`graphkit.resolve.kept`). These tests hold that shortcut to
the result of the whole resolution, and check it is taken only while what
the rules read is the same.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import zlib

import pytest
from conftest import write_jsonl
from store_content import linked_content, relinked_from_nothing
from test_merge_rules import corpus

import graphkit
from graphkit import build, curation, relink, resolve
from graphkit.curation import record_decision, undo_decision
from graphkit.models import Abbreviation
from graphkit.resolve import Override, kept
from graphkit.store import open_store

# Decisions over the sample corpus, alone and in sequence: every action, names
# given by alias and by key, a name two entities answer to, and one naming nothing.
DECISIONS = [
    [],
    [Override("merge", ("Eddie Yue", "Paul Chan"))],
    [Override("merge", ("Red Date", "Red Date Technology")), Override("rename", ("BSN", "BSN"))],
    [Override("unmerge", ("Yue",)), Override("drop", ("person:xi-jinping",))],
    [Override("retype", ("Lattice Pay", "ORG")), Override("merge", ("Wang", "Wang Lin"))],
    [
        Override("merge", ("Tencent", "Ant Group")),
        Override("rename", ("Ant Group", "Tencent and Ant")),
        Override("merge", ("Tencent and Ant", "Alipay")),
        Override("drop", ("No Such Body",)),
    ],
]


def _as_data(resolution) -> dict:
    """Everything a resolution says, ``Entity.rules`` included (equality leaves it out)."""
    return {
        "keys": resolution.keys,
        "entities": {k: dataclasses.astuple(e) for k, e in resolution.entities.items()},
        "dropped": dict(resolution.dropped),
        "explanations": resolution.explanations,
        "ambiguous": resolution.ambiguous,
        "unapplied": resolution.unapplied,
        "retyped": resolution.retyped,
    }


@pytest.fixture(scope="module")
def sample_inputs(sample_db):
    """The mentions of the sample store and everything else the rules read."""
    with open_store(sample_db) as store:
        _, mentions, recalled, _ = store.linked_mentions()
        inputs = {
            "abbreviations": store.abbreviations(),
            "evidence": store.label_evidence(),
            "generic_words": relink.stored_generic_words(store),
            "types": store.settings.get("types") or (),
            "recalled": recalled,
        }
    return mentions, inputs


@pytest.mark.parametrize("overrides", DECISIONS)
def test_decisions_on_kept_groups_equal_a_full_resolution(sample_inputs, overrides):
    mentions, inputs = sample_inputs
    groups = resolve.rule_groups(mentions, **inputs)
    groups.complete()
    groups = kept.load(kept.dump(groups))
    on_kept = resolve.apply_decisions(groups, overrides)
    full = resolve.resolve_entities(mentions, overrides=overrides, **inputs)
    assert _as_data(on_kept) == _as_data(full)
    if overrides:  # the decisions did something, so the comparison is about them
        assert len(full.unapplied) < len(overrides)
        assert _as_data(full) != _as_data(resolve.resolve_entities(mentions, **inputs))


def _hand_made():
    """Mentions that make every kind of state the rules keep: short names kept apart
    (two Wangs, two Uniteds), a lone word several names share, a common word, short
    forms joined in their article and across articles, an introduced acronym."""
    mentions = corpus(
        ("a", ["Wang Lin", "Wang Hua", "Wang", *ORGS, "Xi Jinping", "Xi", "May"]),
        ("b", ["Wang Lin", *ORGS, "May", ("People's Bank of China", "ORG"), ("PBOC", "ORG")]),
        ("c", ["Xi", ("Lorem United", "ORG"), "Wang"]),
    )
    inputs = {
        "abbreviations": [Abbreviation("b", "PBOC", "People's Bank of China")],
        "generic_words": {"may": 3.0},
    }
    return mentions, inputs


ORGS = [("Lorem United", "ORG"), ("Ipsum United", "ORG"), ("United", "ORG")]


FIELDS = ("groups", "joins", "ambiguous", "shared", "noise", "count", "first", "normalised")
FIELDS += ("common", "names")


def _state(rules) -> dict:
    """Everything a :class:`RuleGroups` holds, as comparable data."""
    decisions = rules.decisions
    return {
        "nodes": {
            node: (
                list(info.label.items()),
                list(info.recalled.items()),
                list(info.surfaces.items()),
                info.mentions,
                info.short,
                info.surface,
                info.type,
            )
            for node, info in rules.nodes.items()
        },
        "fields": [getattr(rules, name) for name in FIELDS],
        "decisions": (
            decisions.decided_types,
            decisions.made_entities,
            {key: list(labels.items()) for key, labels in decisions.other_labels.items()},
            decisions.wanted,
        ),
    }


def test_kept_groups_hold_all_the_rules_made():
    mentions, inputs = _hand_made()
    rules = resolve.rule_groups(mentions, **inputs)
    with pytest.raises(ValueError, match="complete"):
        kept.dump(rules)
    rules.complete()
    text = kept.dump(rules)
    assert _state(kept.load(text)) == _state(rules)
    # Not an empty comparison: the hand-made corpus makes each kind of state.
    assert {node[1] for node in rules.ambiguous} == {"united", "wang", "xi"}
    assert {node[1] for node in rules.shared} == {"united"}
    assert {node for node, info in rules.nodes.items() if info.short} == {
        ("a", "xi"),
        ("b", "pboc"),
    }
    assert rules.common == {"may"}
    decisions = [
        [],
        [Override("merge", ("Wang Lin", "Wang"))],
        [Override("unmerge", ("Xi",)), Override("retype", ("Lorem United", "PERSON"))],
        [Override("rename", ("PBOC", "The Central Bank")), Override("drop", ("Wang Hua",))],
    ]
    for overrides in decisions:
        full = resolve.resolve_entities(mentions, overrides=overrides, **inputs)
        assert _as_data(resolve.apply_decisions(kept.load(text), overrides)) == _as_data(full)
        assert full.ambiguous and full.dropped["common word, never a longer name"] == 2


def test_the_inputs_digest_follows_every_input(sample_inputs):
    mentions, inputs = sample_inputs
    digest = kept.inputs_digest(mentions, **inputs)
    assert kept.inputs_digest(list(mentions), **inputs) == digest
    first = mentions[0]
    other_label = "ORG" if first.label == "PERSON" else "PERSON"
    changed_fields = [
        {"article_id": "elsewhere"},
        {"sentence": first.sentence + 1},
        {"start": first.start + 1},
        {"end": first.end + 1},
        {"text": first.text + "s"},
        {"label": other_label},
    ]
    changes = [([dataclasses.replace(first, **c), *mentions[1:]], {}) for c in changed_fields]
    changes += [
        (mentions[:-1], {}),
        ([mentions[1], mentions[0], *mentions[2:]], {}),
        (mentions, {"recalled": [not inputs["recalled"][0], *inputs["recalled"][1:]]}),
        (mentions, {"abbreviations": inputs["abbreviations"][1:]}),
        (mentions, {"abbreviations": inputs["abbreviations"][::-1]}),
        (mentions, {"evidence": inputs["evidence"][1:]}),
        (mentions, {"evidence": inputs["evidence"][::-1]}),
        (mentions, {"generic_words": {**inputs["generic_words"], "lorem": 1.0}}),
        (mentions, {"types": ["PERSON"]}),
    ]
    for changed, replaced in changes:
        assert kept.inputs_digest(changed, **{**inputs, **replaced}) != digest


def test_damaged_or_foreign_kept_text_is_not_used():
    assert kept.load("{not json") is None
    assert kept.load('{"format": 0}') is None
    assert kept.load('{"format": 1, "nodes": [[1, 2]]}') is None
    assert kept.load("[]") is None
    assert kept.load("[" * 100_000 + "]" * 100_000) is None
    assert kept.load('{"format": 1, "nodes": 5}') is None


def _count_rule_runs(monkeypatch) -> list:
    runs = []
    rules = resolve.rule_groups

    def counted(*args, **kwargs):
        runs.append(1)
        return rules(*args, **kwargs)

    monkeypatch.setattr(resolve, "rule_groups", counted)
    return runs


def test_decisions_after_the_first_run_no_rule(sample_db_copy, tmp_path, monkeypatch):
    runs = _count_rule_runs(monkeypatch)
    first = record_decision(sample_db_copy, "merge", ["Eddie Yue", "Paul Chan"])
    assert runs == [1]  # worked out once, and kept
    second = record_decision(sample_db_copy, "rename", ["Red Date", "Red Date Group"])
    undo_decision(sample_db_copy, first.id)
    assert runs == [1]  # the next decisions and the undo used what was kept
    renamed = linked_content(sample_db_copy)
    names = {row[1] for row in renamed["entities"]}
    assert "Red Date Group" in names and "Paul Chan" in names  # the undo split them again
    assert renamed == relinked_from_nothing(sample_db_copy, tmp_path / "afresh.db")
    assert runs == [1, 1]
    undo_decision(sample_db_copy, second.id)
    assert runs == [1, 1]


def test_kept_groups_are_not_used_once_what_the_rules_read_changes(tmp_path, monkeypatch):
    records = [
        {"id": "one", "title": "Pilot", "text": "Tomas Berg of Nordpay met Ingrid Lund in Oslo."},
        {"id": "two", "title": "Talks", "text": "Ingrid Lund said Nordpay had answered."},
    ]
    write_jsonl(tmp_path / "articles.jsonl", records)
    db = tmp_path / "kept.db"
    build([tmp_path / "articles.jsonl"], db=db)
    first = record_decision(db, "merge", ["Ingrid Lund", "Tomas Berg"])
    runs = _count_rule_runs(monkeypatch)
    records.append({"id": "three", "title": "Later", "text": "Berg told Lund about Lorem Bank."})
    write_jsonl(tmp_path / "articles.jsonl", records)
    build([tmp_path / "articles.jsonl"], db=db)
    assert runs == [1]  # a new article: the rules run again
    with open_store(db) as store:
        linked = store.query("SELECT COUNT(*) FROM mentions WHERE article_id LIKE '%three'")
        assert linked.fetchone()[0] >= 2  # what the new article adds is in the store
    assert linked_content(db) == relinked_from_nothing(db, tmp_path / "afresh.db")
    assert runs == [1, 1]
    undo_decision(db, first.id)  # a store with decisions: its build kept the groups
    undo_decision(db, first.id, redo=True)
    assert runs == [1, 1]
    assert linked_content(db) == relinked_from_nothing(db, tmp_path / "again.db")
    monkeypatch.setattr(kept, "rules_version", lambda: "other rules")
    undo_decision(db, first.id)
    assert runs == [1, 1, 1, 1]  # other rules: what was kept under the old ones is not used


def test_a_build_keeps_the_rules_groups_only_for_a_store_with_decisions(
    sample_db_copy, tmp_path, monkeypatch
):
    later = tmp_path / "later.jsonl"
    write_jsonl(later, [{"id": "later", "text": "Eddie Yue met Paul Chan in Hong Kong."}])
    with open_store(sample_db_copy) as store:
        assert store.get_meta("kept:rule_groups:inputs") is None  # never curated: none kept
    first = record_decision(sample_db_copy, "merge", ["Eddie Yue", "Paul Chan"])
    undo_decision(sample_db_copy, first.id)  # undone, but it may be redone
    build([graphkit.SAMPLE_CORPUS, later], db=sample_db_copy)
    runs = _count_rule_runs(monkeypatch)
    undo_decision(sample_db_copy, first.id, redo=True)
    assert runs == []  # the build kept what the rules made of the new article too
    assert linked_content(sample_db_copy) == relinked_from_nothing(
        sample_db_copy, tmp_path / "afresh.db"
    )


def test_nothing_is_kept_when_the_rules_cannot_be_told_apart(sample_db_copy, monkeypatch):
    monkeypatch.setattr(kept, "rules_version", lambda: None)  # no source to read
    runs = _count_rule_runs(monkeypatch)
    record_decision(sample_db_copy, "merge", ["Eddie Yue", "Paul Chan"])
    record_decision(sample_db_copy, "rename", ["Red Date", "Red Date Group"])
    assert runs == [1, 1]
    with open_store(sample_db_copy) as store:
        assert store.get_meta("kept:rule_groups:inputs") is None


def test_a_damaged_kept_result_is_worked_out_again(sample_db_copy, tmp_path, monkeypatch):
    first = record_decision(sample_db_copy, "merge", ["Eddie Yue", "Paul Chan"])
    record_decision(sample_db_copy, "rename", ["Eddie Yue", "Eddie Yue Sr"])
    connection = sqlite3.connect(sample_db_copy)
    with connection:
        connection.execute(
            "UPDATE meta SET value = ? WHERE key = 'kept:rule_groups'", (zlib.compress(b"[1"),)
        )
    connection.close()
    runs = _count_rule_runs(monkeypatch)
    undo_decision(sample_db_copy, first.id)  # re-links: a later decision is about its entity
    assert runs == [1]
    assert linked_content(sample_db_copy) == relinked_from_nothing(
        sample_db_copy, tmp_path / "afresh.db"
    )


def test_a_damaged_index_of_the_kept_groups_is_left_to_a_relink(
    sample_db_copy, tmp_path, monkeypatch
):
    record_decision(sample_db_copy, "rename", ["Red Date", "Red Date Group"])
    connection = sqlite3.connect(sample_db_copy)
    with connection:
        damaged = connection.execute(
            "UPDATE kept_groups SET row = '[1' WHERE automatic_key = 'person:eddie-yue'"
        )
        assert damaged.rowcount == 1
        damaged = connection.execute(
            "UPDATE kept_nodes SET row = '{' WHERE root = (SELECT root FROM kept_groups"
            " WHERE automatic_key = 'person:paul-chan')"
        )
        assert damaged.rowcount >= 1
    connection.close()
    runs = _count_rule_runs(monkeypatch)
    links = []
    relink = curation.link
    monkeypatch.setattr(curation, "link", lambda *a, **k: links.append(1) or relink(*a, **k))
    record_decision(sample_db_copy, "merge", ["Eddie Yue", "Paul Chan"])
    assert (runs, links) == ([], [1])  # re-linked, on the kept groups
    record_decision(sample_db_copy, "merge", ["Eddie Yue", "Tencent"])
    assert (runs, links) == ([], [1])  # that link indexed them again: in place
    assert linked_content(sample_db_copy) == relinked_from_nothing(
        sample_db_copy, tmp_path / "afresh.db"
    )
