"""A decision applied in place leaves the store a re-link from nothing would.

A rename, retype or drop after the first decision rewrites only the rows of
the entity it names (:mod:`graphkit.in_place`); where that could differ from
a re-link, it declines and the store is re-linked. After every step of random
decision sequences the store must equal one linked from nothing, and the
shortcut must have been taken where it can be (not a comparison of two re-links).
"""

from __future__ import annotations

import random

import pytest
from store_content import linked_content, relinked_from_nothing
from test_incremental import _add_sentences

from graphkit import curation, in_place, relink
from graphkit.curation import list_entities, record_decision, undo_decision
from graphkit.errors import OverrideError
from graphkit.pipeline import link
from graphkit.resolve import Override, kept
from graphkit.resolve.overrides import overrides_from_rows, write_aliases_file
from graphkit.store import open_store


@pytest.fixture
def taken(monkeypatch):
    """Each decision's path: its action (or undo, redo) and whether it was applied in place."""
    seen = []

    def applying(store, decision):
        result = in_place.apply_in_place(store, decision)
        seen.append((decision.action, result is not None))
        return result

    def undoing(store, decision_id, *, redo):
        result = in_place.undo_in_place(store, decision_id, redo=redo)
        seen.append(("redo" if redo else "undo", result is not None))
        return result

    monkeypatch.setattr(curation, "apply_in_place", applying)
    monkeypatch.setattr(curation, "undo_in_place", undoing)
    return seen


def _equals_a_relink_from_nothing(db, tmp_path):
    assert linked_content(db) == relinked_from_nothing(db, tmp_path / "from-nothing.db")


ALL_ACTIONS = ["rename", "rename", "retype", "retype", "drop", "merge", "unmerge"]


def _random_decision(
    rng: random.Random, db, decided: list[int], actions: list[str] = ALL_ACTIONS, merged: int = 1
) -> tuple[str, list[str]] | int:
    """A decision over ``db``'s entities now (or the id of one to undo); a merge names
    one to ``merged`` entities besides the first."""
    rows = list_entities(db)
    entity = rng.choice(rows)
    action = rng.choice(actions)
    if decided and rng.random() < 0.1:
        return rng.choice(decided)
    if action == "rename":
        return action, [entity["key"], f"{entity['name']} {rng.choice(['Jr', 'Sr', 'II'])}"]
    if action == "retype":
        return action, [entity["key"], "ORG" if entity["type"] == "PERSON" else "PERSON"]
    if action == "drop":
        return action, [entity["key"]]
    if action == "merge":
        others = rng.sample(
            [row for row in rows if row["key"] != entity["key"]], rng.randint(1, merged)
        )
        return action, [entity["key"], *(other["key"] for other in others)]
    with_aliases = [row for row in rows if row["aliases"]]
    return action, [rng.choice(rng.choice(with_aliases)["aliases"])]


def _made(db, decision, decided: list[int], *, redo: bool) -> bool:
    """Make ``decision`` (an id: undo it, or redo it); ``False`` when it changes nothing
    or names no entity once applied, and is refused."""
    try:
        if isinstance(decision, int):
            undo_decision(db, decision, redo=redo)
        else:
            decided.append(record_decision(db, *decision).id)
    except OverrideError:
        return False
    return True


@pytest.mark.parametrize("seed", [1, 2])
def test_random_decisions_equal_a_relink_from_nothing(sample_db_copy, tmp_path, taken, seed):
    rng = random.Random(seed)
    decided: list[int] = []
    for _ in range(14):
        decision = _random_decision(rng, sample_db_copy, decided)
        if _made(sample_db_copy, decision, decided, redo=rng.random() < 0.5):
            _equals_a_relink_from_nothing(sample_db_copy, tmp_path)
    in_place_actions = {action for action, done in taken if done}
    assert in_place_actions >= {"rename", "retype", "drop"}, taken
    assert not any(done for action, done in taken if action == "unmerge")


@pytest.mark.parametrize("seed", [3, 4])
def test_random_merges_equal_a_relink_from_nothing(sample_db_copy, tmp_path, taken, seed):
    """Merges among renames, retypes, drops, undos (of the last decision often) and redos,
    no unmerge: all of them are applied in place where they can be."""
    rng = random.Random(seed)
    decided: list[int] = []
    for _ in range(16):
        actions = ["merge", "merge", "merge", "rename", "retype", "drop"]
        decision = _random_decision(rng, sample_db_copy, decided, actions, merged=2)
        if decided and rng.random() < 0.25:
            last = _last_in_force(sample_db_copy)
            decision = last if last is not None and rng.random() < 0.8 else decided[-1]
        if _made(sample_db_copy, decision, decided, redo=rng.random() < 0.3):
            _equals_a_relink_from_nothing(sample_db_copy, tmp_path)
    assert sum(done for action, done in taken if action == "merge") >= 3, taken
    assert any(done for action, done in taken if action == "undo"), taken


def test_the_first_decision_relinks_and_the_next_are_in_place(sample_db_copy, tmp_path, taken):
    record_decision(sample_db_copy, "rename", ["Xi Jinping", "Xi Jinping (president)"])
    record_decision(sample_db_copy, "retype", ["Ant Group", "PERSON"])
    record_decision(sample_db_copy, "drop", ["Alipay"])
    assert taken == [("rename", False), ("retype", True), ("drop", True)]
    _equals_a_relink_from_nothing(sample_db_copy, tmp_path)


def test_in_place_decisions_run_no_resolution(sample_db_copy, tmp_path, monkeypatch):
    record_decision(sample_db_copy, "merge", ["Eddie Yue", "Paul Chan"])

    def no_link(*args, **kwargs):
        raise AssertionError("a decision in place re-linked the store")

    monkeypatch.setattr(curation, "link", no_link)
    done = record_decision(sample_db_copy, "rename", ["Ant Group", "Ant"])
    assert done.changes == ["renamed 'Ant Group' (15 mentions) to 'Ant'"]
    record_decision(sample_db_copy, "drop", ["Tencent"])
    monkeypatch.undo()
    _equals_a_relink_from_nothing(sample_db_copy, tmp_path)


@pytest.fixture
def wangs(tmp_path, taken):
    """Two Wangs by full name and a lone "Wang" either may be, a person named two ways
    once each, and an agency three articles cite; linked, with one decision made."""
    db = tmp_path / "wangs.db"
    wang_lin, wang_hua, corvid = (
        ("Wang Lin", "PERSON"),
        ("Wang Hua", "PERSON"),
        ("Corvid Bank", "ORG"),
    )
    with open_store(db, create=True) as store:
        _add_sentences(
            store,
            "one",
            [
                ("Wang Lin met Wang Hua at Corvid Bank.", 0, [wang_lin, wang_hua, corvid]),
                ("Aldo Zeller joined them.", 1, [("Aldo Zeller", "PERSON")]),
                ("Zeller paid.", 1, [("Zeller", "PERSON")]),
            ],
        )
        _add_sentences(
            store,
            "two",
            [
                (
                    "Wang told Corvid Bank so, Ida Roe said.",
                    0,
                    [("Wang", "PERSON"), corvid, ("Ida Roe", "PERSON")],
                )
            ],
        )
        for article, topic in [("three", "the bridge"), ("four", "a strike"), ("five", "rain")]:
            _add_sentences(
                store,
                article,
                [
                    (
                        f"Ida Roe told Kestrel News about {topic}.",
                        0,
                        [("Ida Roe", "PERSON"), ("Kestrel News", "ORG")],
                    )
                ],
            )
        link(store)
    record_decision(db, "rename", ["Ida Roe", "Ida Roe-Smith"])
    (wang,) = [row for row in list_entities(db) if row["name"] == "Wang"]
    assert wang["ambiguous"] == ["Wang Hua", "Wang Lin"]
    assert taken == [("rename", False)]  # the first decision keeps what the next ones need
    taken.clear()
    return db


def _publishers(db):
    with open_store(db) as store:
        return [(found["key"], found["name"]) for found in store.publishers()]


def test_a_rename_and_a_drop_rewrite_the_lists_that_name_the_entity(wangs, tmp_path, taken):
    record_decision(wangs, "rename", ["Wang Lin", "Lin Wang"])
    (wang,) = [row for row in list_entities(wangs) if row["name"] == "Wang"]
    assert wang["ambiguous"] == ["Lin Wang", "Wang Hua"]
    _equals_a_relink_from_nothing(wangs, tmp_path)
    record_decision(wangs, "drop", ["Wang Hua"])
    (wang,) = [row for row in list_entities(wangs) if row["name"] == "Wang"]
    assert wang["ambiguous"] == ["Lin Wang"]
    _equals_a_relink_from_nothing(wangs, tmp_path)
    record_decision(wangs, "drop", ["Zeller"])
    with open_store(wangs) as store:
        assert store.dropped()["dropped by user"] == 3
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert taken == [("rename", True), ("drop", True), ("drop", True)]


def test_a_rename_orders_the_aliases_as_the_resolver_does(wangs, tmp_path, taken):
    record_decision(wangs, "rename", ["Ida Roe-Smith", "Ida Roe"])  # a name its articles use
    (ida,) = list_entities(wangs, search="Ida")
    assert (ida["name"], ida["aliases"]) == ("Ida Roe", [])
    record_decision(wangs, "rename", ["Aldo Zeller", "Zeller"])
    (aldo,) = list_entities(wangs, search="Zeller")
    assert aldo["aliases"] == ["Aldo Zeller"]
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert taken == [("rename", True), ("rename", True)]


def test_a_name_another_entity_goes_by_too_is_left_to_a_relink(wangs, tmp_path, taken):
    record_decision(wangs, "rename", ["Aldo Zeller", "Wang Lin"])  # now two are so called
    record_decision(wangs, "rename", ["person:aldo-zeller", "Aldo"])
    (wang,) = [row for row in list_entities(wangs) if row["name"] == "Wang"]
    assert wang["ambiguous"] == ["Wang Hua", "Wang Lin"]  # the other Wang Lin's name
    assert taken == [("rename", True), ("rename", False)]
    _equals_a_relink_from_nothing(wangs, tmp_path)


def test_a_store_linked_under_other_rules_is_relinked(wangs, taken, monkeypatch):
    monkeypatch.setattr(kept, "rules_version", lambda: "another release")
    record_decision(wangs, "rename", ["Wang Hua", "Hua Wang"])
    assert taken == [("rename", False)]


def test_a_retype_makes_mentions_sources_and_takes_their_ties(wangs, tmp_path, taken):
    record_decision(wangs, "retype", ["Corvid Bank", "PERSON"])
    _equals_a_relink_from_nothing(wangs, tmp_path)
    record_decision(wangs, "retype", ["Corvid Bank", "ORG"])
    with open_store(wangs) as store:
        ((source,),) = store.query(
            "SELECT attribution FROM mentions WHERE text = 'Corvid Bank' AND article_id = 'two'"
        ).fetchall()
    assert source is not None  # "told Corvid Bank": a source again, so no tie in "two"
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert taken == [("retype", True), ("retype", True)]


def test_the_publishers_follow_decisions_in_place(wangs, tmp_path, taken):
    assert _publishers(wangs) == [("org:kestrel-news", "Kestrel News")]
    record_decision(wangs, "rename", ["Kestrel News", "Kestrel"])
    assert _publishers(wangs) == [("org:kestrel-news", "Kestrel")]
    _equals_a_relink_from_nothing(wangs, tmp_path)
    record_decision(wangs, "retype", ["Kestrel", "PERSON"])
    assert _publishers(wangs) == []
    _equals_a_relink_from_nothing(wangs, tmp_path)
    record_decision(wangs, "retype", ["Kestrel", "ORG"])
    record_decision(wangs, "drop", ["Kestrel"])
    assert _publishers(wangs) == []
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert all(done for _, done in taken)


def test_a_key_two_groups_go_by_is_left_to_a_relink(wangs, tmp_path, taken):
    # Taking the name "Wang Lin" out of its entity leaves two groups keyed person:wang-lin.
    record_decision(wangs, "merge", ["Wang Lin", "Wang"])
    record_decision(wangs, "unmerge", ["Wang Lin"])
    keys = {row["key"] for row in list_entities(wangs)}
    assert {"person:wang-lin", "person:wang-lin~2"} <= keys
    record_decision(wangs, "rename", ["person:wang-lin~2", "Lin"])
    record_decision(wangs, "rename", ["person:wang-lin", "Wang L."])
    assert [done for action, done in taken if action == "rename"][-2:] == [False, False]
    _equals_a_relink_from_nothing(wangs, tmp_path)


def test_other_decisions_that_name_nothing_are_still_reported(wangs, tmp_path, taken):
    with open_store(wangs) as store, store.connection:
        store.connection.execute(
            "INSERT INTO overrides (action, args) VALUES ('drop', '[\"Nobody Here\"]')"
        )
        store.set_meta("resolved", "0")
    done = record_decision(wangs, "rename", ["Wang Hua", "Hua Wang"])  # re-links: not resolved
    assert len(done.warnings) == 1 and "Nobody Here" in done.warnings[0]
    done = record_decision(wangs, "rename", ["Hua Wang", "Wang Hua"])
    assert taken[-1] == ("rename", True)
    assert len(done.warnings) == 1 and "Nobody Here" in done.warnings[0]
    (nobody,) = [o for o in overrides_from_rows(_all(wangs)) if o.names == ("Nobody Here",)]
    assert undo_decision(wangs, nobody.id) == []  # changes no row, though not the last
    assert taken[-1] == ("undo", True)
    _equals_a_relink_from_nothing(wangs, tmp_path)


def test_a_link_for_a_build_forgets_the_state_decisions_need(wangs, taken):
    with open_store(wangs) as store:
        assert store.get_meta(relink.DECISION_STATE)
        link(store)  # as a build of a store never curated links
        assert store.get_meta(relink.DECISION_STATE) is None
    record_decision(wangs, "rename", ["Wang Hua", "Hua Wang"])
    assert taken[-1] == ("rename", False)


def test_nothing_is_applied_in_place_on_a_store_not_linked_since_it_changed(wangs):
    with open_store(wangs) as store:
        store.set_meta("resolved", "0")
        (decision,) = overrides_from_rows(store.overrides())
        assert in_place.apply_in_place(store, decision) is None
        store.set_meta("resolved", "1")
        store.connection.execute("UPDATE articles SET link_pending = 1 WHERE id = 'two'")
        assert in_place.apply_in_place(store, decision) is None
        store.connection.execute("UPDATE articles SET link_pending = 0")
        assert in_place.apply_in_place(store, decision) is not None  # what the checks stop
        store.connection.rollback()


def test_a_drop_in_place_reties_by_paragraph_under_that_window(wangs, tmp_path, taken):
    with open_store(wangs) as store:
        link(store, window="paragraph", keep_rules=True)  # as a build with --window paragraph
    record_decision(wangs, "drop", ["Wang Hua"])
    assert taken == [("drop", True)]
    assert linked_content(wangs) == relinked_from_nothing(
        wangs, tmp_path / "from-nothing.db", window="paragraph"
    )


def _wang(db) -> dict:
    (wang,) = [row for row in list_entities(db) if row["name"] == "Wang"]
    return wang


def test_a_merge_in_place_rewrites_the_lists_of_possible_meanings(wangs, tmp_path, taken):
    record_decision(wangs, "merge", ["Wang Lin", "Wang Hua"])  # "Wang" may be one entity now
    assert _wang(wangs)["ambiguous"] == ["Wang Lin"]
    _equals_a_relink_from_nothing(wangs, tmp_path)
    undo_decision(wangs, 2)
    record_decision(wangs, "merge", ["Wang", "Wang Lin"])  # "Wang" is Wang Lin, or Wang Hua
    merged = _wang(wangs)
    assert (merged["key"], merged["ambiguous"]) == ("person:wang", ["Wang Hua"])
    assert "Wang Lin" in merged["aliases"]
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert taken == [("merge", True), ("undo", True), ("merge", True)]


def test_a_merge_keeps_the_type_the_user_gave_and_reads_sources_again(wangs, tmp_path, taken):
    record_decision(wangs, "retype", ["Aldo Zeller", "NORP"])
    record_decision(wangs, "merge", ["Aldo Zeller", "Corvid Bank"])
    with open_store(wangs) as store:
        ((source,),) = store.query(
            "SELECT attribution FROM mentions WHERE text = 'Corvid Bank' AND article_id = 'two'"
        ).fetchall()
    assert source is None  # "told Corvid Bank": not a source as the NORP the user made it
    _equals_a_relink_from_nothing(wangs, tmp_path)
    record_decision(wangs, "retype", ["Wang Hua", "ORG"])
    named = ["Wang Hua", "Ida Roe-Smith", "Kestrel News"]
    mentions = sum(row["mentions"] for row in list_entities(wangs) if row["name"] in named)
    record_decision(wangs, "merge", named)
    (hua,) = list_entities(wangs, search="Wang Hua")
    assert (hua["name"], hua["type"], hua["mentions"]) == ("Wang Hua", "ORG", mentions)
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert [done for _, done in taken] == [True] * 4


def test_a_merge_is_left_to_a_relink_while_an_unmerge_is_in_force(wangs, tmp_path, taken):
    record_decision(wangs, "unmerge", ["Zeller"])
    record_decision(wangs, "merge", ["Wang Lin", "Zeller"])
    assert taken == [("unmerge", False), ("merge", False)]
    _equals_a_relink_from_nothing(wangs, tmp_path)


def _last_in_force(db) -> int | None:
    with open_store(db) as store:
        in_force = store.overrides()
    return in_force[-1][0] if in_force else None


def test_an_undo_of_the_last_decision_gives_back_what_the_rules_made(wangs, tmp_path, taken):
    before = linked_content(wangs)
    with open_store(wangs) as store:
        dropped = store.dropped()
    for action, names in [
        ("merge", ["Wang Lin", "Wang", "Aldo Zeller"]),
        ("merge", ["Wang", "Kestrel News"]),  # "Wang" keeps the list it has
        ("drop", ["Corvid Bank"]),
        ("retype", ["Kestrel News", "PERSON"]),
        ("rename", ["Wang Hua", "Hua Wang"]),
    ]:
        record_decision(wangs, action, names)
        undo_decision(wangs, _last_in_force(wangs))
        assert linked_content(wangs) == before, action
        with open_store(wangs) as store:
            assert store.dropped() == dropped
    assert taken == [
        (action, True)
        for action in ["merge", "merge", "drop", "retype", "rename"]
        for action in (action, "undo")
    ]


def test_an_undo_of_an_earlier_decision_about_other_entities_is_applied_in_place(
    wangs, tmp_path, taken
):
    before = linked_content(wangs)
    decisions = [
        ("merge", ["Wang Lin", "Aldo Zeller"]),
        ("drop", ["Corvid Bank"]),
        ("retype", ["Kestrel News", "PERSON"]),
        ("rename", ["Wang Hua", "Hua Wang"]),
    ]
    ids = [record_decision(wangs, action, names).id for action, names in decisions]
    for decision in [ids[0], ids[2], ids[1]]:  # none of them the last in force
        undo_decision(wangs, decision)
        _equals_a_relink_from_nothing(wangs, tmp_path)
    undo_decision(wangs, ids[3])
    assert linked_content(wangs) == before
    assert [done for action, done in taken if action == "undo"] == [True] * 4


def test_a_redo_of_the_last_decision_is_applied_in_place(wangs, tmp_path, taken):
    decision = record_decision(wangs, "merge", ["Wang Hua", "Wang"]).id
    undo_decision(wangs, decision)
    undo_decision(wangs, decision, redo=True)
    (hua,) = list_entities(wangs, search="Wang Hua")
    assert hua["ambiguous"] == ["Wang Lin"]  # as "Wang", Wang Hua may be Wang Lin
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert taken == [("merge", True), ("undo", True), ("redo", True)]


def test_an_undo_the_rows_cannot_show_is_left_to_a_relink(wangs, tmp_path, taken):
    first = record_decision(wangs, "drop", ["Kestrel News"]).id
    with open_store(wangs) as store, store.connection:  # made after it, found by name
        store.connection.execute(
            "INSERT INTO overrides (action, args) VALUES ('drop', '[\"Nobody Here\"]')"
        )
        store.set_meta("resolved", "0")
    record_decision(wangs, "rename", ["Wang Hua", "Hua Wang"])  # re-links: not resolved
    undo_decision(wangs, first)  # a decision made after it applies to nothing
    _equals_a_relink_from_nothing(wangs, tmp_path)
    record_decision(wangs, "retype", ["Hua Wang", "ORG"])
    undo_decision(wangs, _last_in_force(wangs))  # another decision in force names Wang Hua
    _equals_a_relink_from_nothing(wangs, tmp_path)
    undo_decision(wangs, 1)  # the fixture's rename: decisions made after it are in force
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert [done for action, done in taken if action == "undo"] == [False, False, False]


def test_an_undo_is_left_to_a_relink_while_a_decision_finds_its_entity_by_name(
    wangs, tmp_path, taken
):
    with open_store(wangs) as store, store.connection:  # as stored before decisions had keys
        store.connection.execute(
            "INSERT INTO overrides (action, args) VALUES ('rename', '[\"Wang Hua\", \"Hua W.\"]')"
        )
        store.set_meta("resolved", "0")
    record_decision(wangs, "drop", ["Kestrel News"])  # after the link its names need
    record_decision(wangs, "merge", ["Hua W.", "Wang"])
    undo_decision(wangs, _last_in_force(wangs))  # the rename by name is about "Hua W." too
    (hua,) = list_entities(wangs, search="Hua")
    assert hua["name"] == "Hua W."
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert taken == [("drop", True), ("merge", True), ("undo", False)]


def test_an_undo_declines_where_the_rows_are_not_the_kept_groups(wangs, taken):
    record_decision(wangs, "merge", ["Wang Hua", "Wang"])
    with open_store(wangs) as store, store.connection:  # a mention linked otherwise
        store.connection.execute(
            "UPDATE mentions SET entity = 'person:wang-hua' WHERE text = 'Aldo Zeller'"
        )
    undo_decision(wangs, _last_in_force(wangs))
    assert taken == [("merge", True), ("undo", False)]


def _all(db):
    with open_store(db) as store:
        return store.overrides(active_only=False)


def test_an_undo_of_a_merge_into_an_entity_other_decisions_name_splits_it(wangs, tmp_path, taken):
    record_decision(wangs, "merge", ["Wang Lin", "Wang"])
    before = linked_content(wangs)
    record_decision(wangs, "merge", ["Wang Lin", "Aldo Zeller"])
    undo_decision(wangs, _last_in_force(wangs))  # Wang Lin keeps "Wang", Aldo Zeller is back
    assert linked_content(wangs) == before
    record_decision(wangs, "retype", ["Wang Hua", "ORG"])
    record_decision(wangs, "merge", ["Wang Hua", "Corvid Bank"])
    undo_decision(wangs, _last_in_force(wangs))  # a retype alone names no entity: re-linked
    _equals_a_relink_from_nothing(wangs, tmp_path)
    record_decision(wangs, "rename", ["Wang Hua", "Hua"])
    record_decision(wangs, "merge", ["Hua", "Kestrel News", "Aldo Zeller"])
    undo_decision(wangs, _last_in_force(wangs))  # Hua keeps its name and the type given
    (hua,) = list_entities(wangs, search="Hua")
    assert (hua["name"], hua["type"]) == ("Hua", "ORG")
    _equals_a_relink_from_nothing(wangs, tmp_path)
    undos = [done for action, done in taken if action == "undo"]
    assert undos == [True, False, True]


def test_an_undone_retype_leaves_no_type_for_a_merge_to_keep(wangs, tmp_path, taken):
    record_decision(wangs, "retype", ["Kestrel News", "PERSON"])
    undo_decision(wangs, _last_in_force(wangs))
    record_decision(wangs, "merge", ["Kestrel News", "Aldo Zeller"])
    (kestrel,) = list_entities(wangs, search="Kestrel")
    assert kestrel["type"] == "ORG"  # the evidence's, not the type the undone retype gave
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert taken == [("retype", True), ("undo", True), ("merge", True)]


def test_an_undo_is_left_to_a_relink_while_a_rename_storing_changes_is_in_force(
    wangs, tmp_path, taken
):
    # The lists of possible meanings hold the name as given, the entity's row as stored.
    record_decision(wangs, "rename", ["Wang Lin", "Wang\u202eLin"])
    dropped = record_decision(wangs, "drop", ["Wang Hua"]).id
    undo_decision(wangs, dropped)
    _equals_a_relink_from_nothing(wangs, tmp_path)
    assert taken[-1] == ("undo", False)


def _import(db, path, decisions) -> list[str]:
    write_aliases_file([Override(action, tuple(names)) for action, names in decisions], path)
    return curation.import_aliases(db, path)[1]


def test_an_aliases_import_applies_its_decisions_in_place(wangs, tmp_path, monkeypatch, taken):
    def no_link(*args, **kwargs):
        raise AssertionError("an import in place re-linked the store")

    monkeypatch.setattr(curation, "link", no_link)
    decisions = [
        ("rename", ["Aldo Zeller", "Aldo Zeller Sr"]),
        ("retype", ["Kestrel News", "PERSON"]),
        ("merge", ["Corvid Bank", "Kestrel News"]),
        ("drop", ["Wang Hua"]),
    ]
    assert _import(wangs, tmp_path / "aliases.csv", decisions) == []
    monkeypatch.undo()
    assert taken == [("rename", True), ("retype", True), ("merge", True), ("drop", True)]
    names = {row["name"] for row in list_entities(wangs)}
    assert {"Aldo Zeller Sr", "Corvid Bank"} <= names
    assert not names & {"Aldo Zeller", "Kestrel News", "Wang Hua"}
    _equals_a_relink_from_nothing(wangs, tmp_path)


def test_an_import_past_two_merges_or_past_a_decline_relinks_the_rest(wangs, tmp_path, taken):
    merges = [
        ("merge", ["Corvid Bank", "Kestrel News"]),
        ("merge", ["Aldo Zeller", "Ida Roe-Smith"]),
        ("merge", ["Wang Lin", "Wang Hua"]),
        ("rename", ["Wang Lin", "Lin Wang"]),
    ]
    _import(wangs, tmp_path / "merges.csv", merges)
    assert taken == [("merge", True), ("merge", True)]  # the third is left to the re-link
    assert {"Lin Wang", "Corvid Bank"} <= {row["name"] for row in list_entities(wangs)}
    _equals_a_relink_from_nothing(wangs, tmp_path)
    taken.clear()
    declined = [
        ("rename", ["Lin Wang", "Wang Lin"]),
        ("unmerge", ["Wang Hua"]),  # never in place: the rest are applied by the re-link
        ("drop", ["Aldo Zeller"]),
    ]
    warnings = _import(wangs, tmp_path / "declined.csv", [*declined, ("drop", ["Nobody Here"])])
    assert taken == [("rename", True), ("unmerge", False)]
    assert len(warnings) == 1 and "Nobody Here" in warnings[0]
    _equals_a_relink_from_nothing(wangs, tmp_path)


@pytest.mark.parametrize("seed", [5, 6])
def test_random_imports_equal_a_relink_from_nothing(sample_db_copy, tmp_path, taken, seed):
    """Aliases files of random decisions (the last with unmerges among them), each imported
    into the store as it stands: in place while they can be, the rest by one re-link."""
    rng = random.Random(seed)
    record_decision(sample_db_copy, "rename", ["Ant Group", "Ant"])  # re-links, keeps state
    for number in range(5):
        decisions = []
        actions = ALL_ACTIONS if number == 4 else ["rename", "retype", "drop", "merge", "merge"]
        for _ in range(rng.randint(1, 4)):
            decisions.append(_random_decision(rng, sample_db_copy, [], actions, merged=2))
        _import(sample_db_copy, tmp_path / f"aliases-{number}.csv", decisions)
        _equals_a_relink_from_nothing(sample_db_copy, tmp_path)
    assert sum(done for action, done in taken if action == "merge") >= 1, taken
    assert sum(done for action, done in taken if action != "merge") >= 3, taken
