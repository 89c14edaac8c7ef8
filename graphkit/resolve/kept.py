"""What the automatic rules made, as text a store can keep (:class:`RuleGroups` ↔ JSON).

A user decision (merge, rename, drop, undo …) changes nothing the rules
read, so the store keeps their result under a digest of everything they
read (:func:`inputs_digest`) and the next decision applies to it at once
(:func:`~graphkit.resolve.resolver.apply_decisions`) instead of running the
rules over every mention again. JSON, not pickle: a store is a file users
pass around, and loading it must never run code.

The digest covers the rules themselves (the source of this package and the
versions of the name data it reads), so a store kept by another release is
worked out afresh instead of serving groups the current rules would not make.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from graphkit.models import Abbreviation, Entity, Mention
from graphkit.resolve.evidence import TypeDecision
from graphkit.resolve.linking import NodeInfo
from graphkit.resolve.names import other_number
from graphkit.resolve.resolver import Decisions, RuleGroups, automatic_drop

FORMAT = 1
# graphkit's release, and the data the rules read besides their own source:
# given names, legal forms.
_VERSIONED = ("graphkit", "gender-guesser", "cleanco")


@cache
def rules_version() -> str | None:
    """A digest of the rules: this package's source, graphkit's version, the name data
    the rules read and the Unicode version names are folded by.

    ``None`` when the source is not there to read (an install of compiled
    files only): then nothing is kept, since a change of rules could not be told.
    """
    sources = sorted(Path(__file__).parent.glob("*.py"))
    if not sources:
        return None
    digest = hashlib.sha256(f"{FORMAT}:{unicodedata.unidata_version}".encode())
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in _VERSIONED:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()


def inputs_digest(
    mentions: Sequence[Mention],
    *,
    abbreviations: Iterable[Abbreviation],
    evidence: Iterable[tuple[str, str, str]],
    generic_words: Mapping[str, float],
    types: Iterable[str],
    recalled: Sequence[bool] | None,
) -> str | None:
    """A digest of everything :func:`~graphkit.resolve.resolver.rule_groups` reads, in the
    order it reads it; ``None`` when the rules cannot be told apart (:func:`rules_version`)."""
    rules = rules_version()
    if rules is None:
        return None
    digest = hashlib.sha256(rules.encode())
    parts = (
        [[m.article_id, m.sentence, m.start, m.end, m.text, m.label] for m in mentions],
        list(recalled) if recalled is not None else None,
        [[a.article_id, a.short, a.long] for a in abbreviations],
        [list(row) for row in evidence],
        sorted(generic_words.items()),
        sorted(types),
    )
    for part in parts:
        digest.update(json.dumps(part, ensure_ascii=False).encode("utf-8") + b"\x1e")
    return digest.hexdigest()


def dump(rules: RuleGroups) -> str:
    """``rules`` as JSON text; ``rules`` must be :meth:`~RuleGroups.complete`.

    Raises
    ------
    ValueError
        Some group's decision or names are not worked out yet.
    """
    decisions, names = rules.decisions, rules.names
    if names is None or any(
        tuple(members) not in decisions.made_entities for members in rules.groups.values()
    ):
        raise ValueError("RuleGroups.complete() first: what is kept must hold every decision")
    order = list(rules.nodes)
    number = {node: i for i, node in enumerate(order)}

    def ids(nodes: Iterable) -> list[int]:
        return [number[node] for node in nodes]

    body = {
        "format": FORMAT,
        "nodes": [
            [
                *node,
                list(info.label.items()),
                list(info.recalled.items()),
                list(info.surfaces.items()),
                info.mentions,
                info.short,
                info.surface,
                list(rules.first[node]),
                [list(found) for found in rules.normalised[node]],
            ]
            for node, info in rules.nodes.items()
        ],
        "groups": [
            [number[root], ids(members), *names.get(root, ())]
            for root, members in rules.groups.items()
        ],
        "joins": [[number[short], number[target], rule] for short, target, rule in rules.joins],
        "ambiguous": [[number[node], ids(roots)] for node, roots in rules.ambiguous.items()],
        "shared": sorted(ids(rules.shared)),
        "noise": list(rules.noise.items()),
        "count": rules.count,
        "common": sorted(rules.common),
        "wanted": sorted(decisions.wanted),
        "other_labels": [
            [key, list(labels.items())] for key, labels in decisions.other_labels.items()
        ],
        "types": [
            [ids(group), [d.type, d.model, d.reason, d.contested]]
            for group, d in decisions.decided_types.items()
        ],
        "entities": [
            [ids(group), [e.key, e.name, e.type, e.aliases, e.type_counts]]
            for group, e in decisions.made_entities.items()
        ],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def load(text: str) -> RuleGroups | None:
    """:class:`RuleGroups` from :func:`dump`'s text; ``None`` when it is not such text.

    Text of another format, or damaged, is ``None`` too: what was kept is
    only ever a shortcut, and the caller runs the rules instead.
    """
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        return None
    try:
        return _from_body(body)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None


def _from_body(body: dict) -> RuleGroups:
    order: list[tuple[str, str]] = [(row[0], row[1]) for row in body["nodes"]]
    nodes: dict = {}
    first: dict = {}
    normalised: dict = {}
    for i, row in enumerate(body["nodes"]):
        node = order[i]
        nodes[node], first[node], normalised[node] = _node(row)

    def group(ids: list[int]) -> tuple:
        return tuple(order[i] for i in ids)

    other_labels: dict[str, Counter] = defaultdict(Counter)
    for key, labels in body["other_labels"]:
        other_labels[key] = _counter(labels)
    decisions = Decisions(nodes, other_labels, set(body["wanted"]))
    for ids, (type_, model, reason, contested) in body["types"]:
        decisions.decided_types[group(ids)] = TypeDecision(type_, model, reason, contested)
    for ids, made in body["entities"]:
        decisions.made_entities[group(ids)] = _entity(made)
    groups, names = {}, {}
    for root, ids, legacy, folded in body["groups"]:
        groups[order[root]] = list(group(ids))
        names[order[root]] = (legacy, folded)
    return RuleGroups(
        nodes=nodes,
        groups=groups,
        joins=[(order[a], order[b], rule) for a, b, rule in body["joins"]],
        ambiguous={order[node]: list(group(roots)) for node, roots in body["ambiguous"]},
        shared=set(group(body["shared"])),
        noise=Counter(dict(body["noise"])),
        count=body["count"],
        first=first,
        normalised=normalised,
        common=frozenset(body["common"]),
        decisions=decisions,
        names=names,
    )


def _node(row: list) -> tuple[NodeInfo, tuple, list]:
    """A kept node's row: its :class:`NodeInfo`, first mention and other spellings."""
    _, _, label, recalled, surfaces, mentions, short, surface, at, found = row
    info = NodeInfo(
        label=_counter(label),
        recalled=_counter(recalled),
        surfaces=_counter(surfaces),
        mentions=mentions,
        short=short,
    )
    info.surface = surface  # worked out from the rest once, when it was kept
    return info, tuple(at), [tuple(item) for item in found]


def _entity(made: list) -> Entity:
    """A group's automatic entity as kept: ``[key, name, type, aliases, type counts]``."""
    key, name, type_, aliases, type_counts = made
    return Entity(
        key=key,
        name=name,
        type=type_,
        aliases=tuple((alias, n) for alias, n in aliases),
        type_counts=tuple((label, n) for label, n in type_counts),
    )


def _counter(pairs: list) -> Counter:
    """A Counter of ``(item, count)`` pairs, in their order (counts as kept, not re-added)."""
    counter: Counter = Counter()
    dict.update(counter, pairs)
    return counter


@dataclass
class Index:
    """:func:`dump`'s content as rows a store indexes, so a decision about a few entities
    reads their groups alone (:mod:`graphkit.in_place.kept_groups`), not the whole text.

    Nodes are numbered as :func:`dump` orders them; their mentions are the stored
    mentions' ids, not positions in the rules' order, so no row is read to place them.
    """

    nodes: list[tuple[int, int, int, str]]  # number, first mention's id, group's root, row
    groups: list[tuple[int, str, str]]  # root, automatic key, row
    ambiguous: list[tuple[int, int, str]]  # position, node, candidates
    candidates: list[tuple[int, int]]  # candidate, position
    other_labels: list[tuple[str, str]]  # name key, labels
    wanted: list[str]  # the types the build asked for


def index(rules: RuleGroups, ids: Sequence[int]) -> Index:
    """The rows of ``rules`` (:meth:`~RuleGroups.complete`) for a store to index;
    ``ids[i]`` is the id of the ``i``-th mention the rules read."""
    decisions, names = rules.decisions, rules.names or {}
    number = {node: i for i, node in enumerate(rules.nodes)}
    root_of = {node: root for root, members in rules.groups.items() for node in members}
    joins: dict = defaultdict(list)
    for short, target, rule in rules.joins:
        joins[root_of[short]].append([number[short], number[target], rule])
    nodes = [
        (
            number[node],
            ids[info.mentions[0]],
            number[root_of[node]],
            _json(
                [
                    *node,
                    list(info.label.items()),
                    list(info.recalled.items()),
                    list(info.surfaces.items()),
                    [ids[i] for i in info.mentions],
                    info.short,
                    info.surface,
                    list(rules.first[node]),
                    [list(found) for found in rules.normalised[node]],
                ]
            ),
        )
        for node, info in rules.nodes.items()
    ]
    groups = []
    for root, members in rules.groups.items():
        group = tuple(members)
        decision, entity = decisions.type(group), decisions.entity(group)
        row = [
            [number[node] for node in members],
            *names.get(root, ("", [])),
            [decision.type, decision.model, decision.reason, decision.contested],
            [entity.key, entity.name, entity.type, entity.aliases, entity.type_counts],
            joins.get(root, []),
            automatic_drop(rules, members),
        ]
        groups.append((number[root], entity.key, _json(row)))
    ambiguous, candidates = [], []
    for position, (node, roots) in enumerate(rules.ambiguous.items()):
        ambiguous.append((position, number[node], _json([number[r] for r in roots])))
        candidates.extend((number[r], position) for r in roots)
    other_labels = [
        (key, _json(list(labels.items()))) for key, labels in decisions.other_labels.items()
    ]
    return Index(nodes, groups, ambiguous, candidates, other_labels, sorted(decisions.wanted))


@dataclass
class Part:
    """A few of the rules' kept groups, read from a store's index (:func:`index`)."""

    rules: RuleGroups  # the nodes read, their groups made whole, and those groups' decisions
    number: dict  # node → its number in the index
    dropped: dict  # group's root → why the rules make no entity of it (None: they make one)


def part_of(
    node_rows: Iterable[tuple[int, str]],
    group_rows: Iterable[tuple[int, str]],
    labels_of: Callable[[list[str]], Iterable[tuple[str, str]]],
    wanted: Iterable[str],
) -> Part | None:
    """The :class:`Part` of ``node_rows`` (number, row) and the groups ``group_rows``
    (root, row) whose nodes those are, with the types the build asked for;
    ``labels_of(names)`` gives the rows of the other labels of those names (the nodes'
    and their other numbers', as type decisions read them). ``None`` when a row is damaged."""
    try:
        return _part_of(node_rows, group_rows, labels_of, wanted)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None


def _part_of(node_rows, group_rows, labels_of, wanted) -> Part:
    nodes, first, normalised, number = {}, {}, {}, {}
    for i, text in node_rows:
        row = json.loads(text)
        node = (row[0], row[1])
        number[node] = i
        nodes[node], first[node], normalised[node] = _node(row)
    node_of = {i: node for node, i in number.items()}
    names = {key for _, key in nodes}
    labels: dict[str, Counter] = defaultdict(Counter)
    for key, text in labels_of(sorted(names | {other_number(key) for key in names})):
        labels[key] = _counter(json.loads(text))
    decisions = Decisions(nodes, labels, set(wanted))
    groups, names, joins, dropped = {}, {}, [], {}
    for root, text in group_rows:
        ids, legacy, folded, decided, made, joined, reason = json.loads(text)
        members = [node_of[i] for i in ids]
        group = tuple(members)
        groups[node_of[root]] = members
        names[node_of[root]] = (legacy, folded)
        dropped[node_of[root]] = reason
        decisions.decided_types[group] = TypeDecision(*decided)
        decisions.made_entities[group] = _entity(made)
        joins.extend((node_of[a], node_of[b], rule) for a, b, rule in joined)
    rules = RuleGroups(
        nodes=nodes,
        groups=groups,
        joins=joins,
        ambiguous={},
        shared=set(),
        noise=Counter(),
        count=0,
        first=first,
        normalised=normalised,
        common=frozenset(),
        decisions=decisions,
        names=names,
    )
    return Part(rules, number, dropped)


# json.dumps(value, ensure_ascii=False, separators=(",", ":")) without an encoder per row.
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
