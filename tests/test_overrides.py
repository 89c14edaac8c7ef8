"""User decisions: merge, unmerge, rename, drop; the aliases file that carries them."""

from __future__ import annotations

import pytest

from graphkit.errors import OverrideError
from graphkit.models import Mention
from graphkit.resolve import Override, resolve_entities
from graphkit.resolve.linking import NodeInfo
from graphkit.resolve.overrides import (
    apply_overrides,
    overrides_from_rows,
    read_aliases_file,
    write_aliases_file,
)


def corpus() -> list[Mention]:
    items = [
        ("a", "Anna Kowal", "PERSON"),
        ("a", "Kowal", "PERSON"),
        ("a", "Nordpay", "ORG"),
        ("b", "A. Kowalska", "PERSON"),
        ("b", "Nordpay Group", "ORG"),
        ("b", "Lorem Daily", "ORG"),
    ]
    return [Mention(a, i, 0, len(t), t, label) for i, (a, t, label) in enumerate(items)]


def names(result) -> set[str]:
    return {entity.name for entity in result.entities.values()}


def test_without_overrides():
    assert names(resolve_entities(corpus())) == {
        "Anna Kowal",
        "A. Kowalska",
        "Nordpay Group",
        "Lorem Daily",
    }


def test_merge_joins_entities_named_by_any_alias_and_explains_it():
    result = resolve_entities(corpus(), overrides=[Override("merge", ("Kowal", "a kowalska"))])
    assert names(result) == {"Anna Kowal", "Nordpay Group", "Lorem Daily"}
    (key,) = [k for k, e in result.entities.items() if e.name == "Anna Kowal"]
    assert dict(result.entities[key].aliases) == {"Anna Kowal": 1, "Kowal": 1, "A. Kowalska": 1}
    assert ("a kowalska", "merged by user") in {
        (e.surface, e.rule) for e in result.explanations[key]
    }


def test_merge_survives_a_rebuild_and_is_undone_by_leaving_it_out():
    decision = Override("merge", ("Anna Kowal", "A. Kowalska"), id=7)
    first = resolve_entities(corpus(), overrides=[decision])
    again = resolve_entities(corpus(), overrides=[decision])
    assert first.keys == again.keys and first.entities == again.entities
    assert len(first.entities) == 3
    assert len(resolve_entities(corpus()).entities) == 4


def test_unmerge_takes_a_surface_form_out_of_its_entity():
    result = resolve_entities(corpus(), overrides=[Override("unmerge", ("Nordpay",))])
    assert names(result) == {"Anna Kowal", "A. Kowalska", "Nordpay", "Nordpay Group", "Lorem Daily"}
    assert "unmerged by user" in result.entities["org:nordpay"].rules


def test_rename_changes_the_name_but_not_the_key():
    result = resolve_entities(corpus(), overrides=[Override("rename", ("Nordpay", "Nordpay AB"))])
    assert result.entities["org:nordpay-group"].name == "Nordpay AB"
    assert "Nordpay AB" in dict(result.entities["org:nordpay-group"].aliases)


def test_later_decisions_can_use_a_new_name():
    result = resolve_entities(
        corpus(),
        overrides=[
            Override("rename", ("Nordpay Group", "Nordpay AB")),
            Override("merge", ("Nordpay AB", "Lorem Daily")),
        ],
    )
    assert names(result) == {"Anna Kowal", "A. Kowalska", "Nordpay AB"}


def test_drop_removes_an_entity_and_counts_its_mentions():
    result = resolve_entities(corpus(), overrides=[Override("drop", ("Lorem Daily",))])
    assert "Lorem Daily" not in names(result)
    assert result.keys[5] is None
    assert result.dropped["dropped by user"] == 1


def test_entity_keys_are_accepted_as_names():
    result = resolve_entities(corpus(), overrides=[Override("drop", ("org:lorem-daily",))])
    assert "Lorem Daily" not in names(result)


def test_decisions_naming_no_entity_are_reported_not_applied():
    decision = Override("merge", ("Anna Kowal", "Nobody Here"))
    result = resolve_entities(corpus(), overrides=[decision])
    assert result.unapplied == [decision]
    assert len(result.entities) == 4


@pytest.mark.parametrize(
    "action, names_, message",
    [
        ("split", ("A",), "unknown override action 'split'"),
        ("merge", ("A",), "merge takes at least 2 name"),
        ("rename", ("A",), "rename takes 2 name"),
        ("drop", ("A", "B"), "drop takes 1 name"),
        ("drop", ("  ",), "names must not be empty"),
        ("retype", ("A", "Big Company"), "'Big Company' is not an entity type"),
    ],
)
def test_malformed_decisions_are_refused(action, names_, message):
    with pytest.raises(OverrideError, match=message):
        Override(action, names_)


def test_store_rows_become_overrides():
    rows = [(3, "merge", ["Anna Kowal", "Kowal"]), (4, "drop", ["Lorem Daily"])]
    assert overrides_from_rows(rows) == [
        Override("merge", ("Anna Kowal", "Kowal"), id=3),
        Override("drop", ("Lorem Daily",), id=4),
    ]


def test_aliases_file_round_trips(tmp_path):
    decisions = [
        Override("merge", ("Anna Kowal", "A. Kowalska", "Kowal, Anna")),
        Override("unmerge", ("Nordpay",)),
        Override("rename", ("People’s Bank of China", "PBOC")),
        Override("drop", ('Lorem "Daily"',)),
    ]
    path = tmp_path / "aliases.csv"
    write_aliases_file(decisions, path)
    assert read_aliases_file(path) == decisions
    assert path.read_text(encoding="utf-8").splitlines()[2:4] == [
        "action,names",
        'merge,Anna Kowal,A. Kowalska,"Kowal, Anna"',
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["aliases.csv"]


def test_aliases_file_skips_comments_blank_rows_and_header(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text(
        "# my decisions\n\nACTION,NAMES\nMerge, Anna Kowal , Kowal,,\ndrop,Lorem Daily\n",
        encoding="utf-8",
    )
    assert read_aliases_file(path) == [
        Override("merge", ("Anna Kowal", "Kowal")),
        Override("drop", ("Lorem Daily",)),
    ]


def test_aliases_file_errors_give_the_line(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("merge,A,B\nrename,A\n", encoding="utf-8")
    with pytest.raises(OverrideError, match=r"aliases.csv, line 2: rename takes 2 name"):
        read_aliases_file(path)


def test_missing_aliases_file(tmp_path):
    with pytest.raises(OverrideError, match="cannot read aliases file"):
        read_aliases_file(tmp_path / "nope.csv")


def blair_corpus() -> list[Mention]:
    """ "Blair" alone in article b is kept apart (Tony or Cherie?) yet an alias of both."""
    items = [
        ("a", "Tony Blair"),
        ("a", "Blair"),
        ("a", "Blair"),
        ("b", "Blair"),
        ("c", "Cherie Blair"),
        ("c", "Blair"),
        ("d", "Wang Lin"),
        ("d", "Wang"),
        ("e", "Wang Hua"),
        ("e", "Wang"),
    ]
    return [Mention(a, i, 0, len(t), t, "PERSON") for i, (a, t) in enumerate(items)]


def by_name(result) -> dict[str, int]:
    """Display name → mentions."""
    return {e.name: sum(n for _, n in e.aliases) for e in result.entities.values()}


def test_a_display_name_wins_over_the_same_name_as_an_alias():
    assert by_name(resolve_entities(blair_corpus()))["Blair"] == 1
    result = resolve_entities(
        blair_corpus(), overrides=[Override("merge", ("Tony Blair", "Blair"))]
    )
    assert by_name(result) == {"Tony Blair": 4, "Cherie Blair": 2, "Wang Lin": 2, "Wang Hua": 2}


def test_recorded_keys_come_before_names():
    decision = Override(
        "merge", ("Tony Blair", "Blair"), keys=("person:tony-blair", "person:cherie-blair")
    )
    result = resolve_entities(blair_corpus(), overrides=[decision])
    assert by_name(result) == {"Tony Blair": 5, "Blair": 1, "Wang Lin": 2, "Wang Hua": 2}
    gone = Override("merge", ("Tony Blair", "Blair"), keys=("person:tony-blair", "person:gone"))
    result = resolve_entities(blair_corpus(), overrides=[gone])
    assert "Blair" not in by_name(result)  # the key is gone: the name decides


def test_an_ambiguous_name_applies_to_no_entity():
    decision = Override("drop", ("Wang",))
    result = resolve_entities(blair_corpus(), overrides=[decision])
    assert result.unapplied == [decision]
    assert {"Wang Lin", "Wang Hua"} <= set(by_name(result))
    by_key = Override("drop", ("Wang",), keys=("person:wang-lin",))
    assert "Wang Lin" not in by_name(resolve_entities(blair_corpus(), overrides=[by_key]))


def test_a_merged_entity_keeps_the_first_name_and_key():
    result = resolve_entities(
        blair_corpus(), overrides=[Override("merge", ("Wang Hua", "Cherie Blair"))]
    )
    (merged,) = [e for e in result.entities.values() if "Cherie Blair" in dict(e.aliases)]
    assert (merged.key, merged.name) == ("person:wang-hua", "Wang Hua")


def test_retype_sets_the_type_and_keeps_the_key():
    result = resolve_entities(blair_corpus(), overrides=[Override("retype", ("Wang Lin", "org"))])
    assert result.entities["person:wang-lin"].type == "ORG"


def test_clashing_keys_are_told_apart_by_their_number():
    nodes = {}
    for article in ("a", "b"):
        info = NodeInfo()
        info.label["PERSON"] += 1
        info.surfaces["Wang"] += 1
        info.mentions.append(len(nodes))
        nodes[(article, "wang")] = info
    groups = {node: [node] for node in nodes}
    for key, dropped in (("person:wang", ("a", "wang")), ("person:wang~2", ("b", "wang"))):
        applied = apply_overrides(groups, nodes, [Override("drop", ("Wang",), keys=(key,))])
        assert applied.removed == {dropped}
    applied = apply_overrides(groups, nodes, [Override("drop", ("Wang",))])
    assert len(applied.unapplied) == 1  # the name alone fits both


@pytest.mark.parametrize("name", ["\u200b", "\u0301", "…", "-"])
def test_names_without_letters_or_digits_are_refused(name):
    with pytest.raises(OverrideError, match="has no letters or digits"):
        Override("rename", ("Nordpay", name))


def test_store_rows_with_keys_round_trip():
    decision = Override("merge", ("Tony Blair", "Blair"), 5, ("person:tony-blair", "person:blair"))
    assert overrides_from_rows([(5, "merge", decision.args())]) == [decision]
    assert Override("drop", ("X",)).args() == ["X"]


def wang_lin() -> list[Mention]:
    """The model calls the short "Wang" an organisation three times, "Wang Lin" a person once."""
    items = [("a", "Wang Lin", "PERSON")] + [("a", "Wang", "ORG")] * 3
    items += [("b", "Wang Lin", "PERSON"), ("b", "Wang", "ORG")]
    return [Mention(a, i, 0, len(t), t, label) for i, (a, t, label) in enumerate(items)]


def test_keys_follow_the_decided_type_and_decisions_stored_with_old_keys_still_apply():
    result = resolve_entities(wang_lin())
    (entity,) = result.entities.values()
    assert (entity.key, entity.name, entity.type) == ("person:wang-lin", "Wang Lin", "PERSON")
    # Earlier versions keyed this entity by the majority of all labels (ORG 4,
    # PERSON 2): "org:wang-lin". A decision stored then with that key still
    # applies, even by a name that names nothing now.
    old = Override("drop", ("Lorem",), keys=("org:wang-lin",))
    assert resolve_entities(wang_lin(), overrides=[old]).entities == {}
    new = Override("drop", ("Lorem",), keys=("person:wang-lin",))
    assert resolve_entities(wang_lin(), overrides=[new]).entities == {}
