"""User decisions about entities, applied after the automatic rules on every rebuild.

Five decisions, each naming entities the way a user sees them (a display
name, any alias, or an entity key such as ``person:xi-jinping``):

``merge A B …``
    B … join A's entity (the merged entity keeps A's key).
``unmerge A``
    The surface form A leaves whatever entity the rules put it in and becomes
    an entity of its own, everywhere in the corpus.
``rename A NEW``
    A's entity is shown as NEW (its key does not change).
``drop A``
    A's entity and its mentions leave the graph (counted as "dropped by user").
``retype A TYPE``
    A's entity gets the type TYPE (PERSON, ORG, …) whatever its mentions' labels say.

Decisions are kept in order (the store keeps them with an id and an active
flag, so undoing one is deactivating it) and can be exported to, and
imported from, an *aliases file*: CSV, UTF-8, one decision per row, the
action in the first column and the names in the following ones::

    # graphkit aliases file
    action,names
    merge,Xi Jinping,Xi,President Xi
    unmerge,Martin
    rename,PBOC,People's Bank of China
    drop,Reuters
    retype,Lattice Pay,ORG

Rows starting with ``#`` and blank rows are ignored; the ``action,names``
header is optional. CSV rather than YAML: no extra dependency, it opens in
any spreadsheet, and quoting (``"Smith, John"``) is standard.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graphkit.errors import OverrideError
from graphkit.resolve.names import (
    clean_surface,
    display_name,
    fold,
    name_key,
    strip_possessive,
    strip_title,
)
from graphkit.resolve.typed import has_visible_letters
from graphkit.writing import write_output

ARITY = {
    "merge": (2, None),
    "unmerge": (1, 1),
    "rename": (2, 2),
    "drop": (1, 1),
    "retype": (2, 2),
}
MERGED = "merged by user"
UNMERGED = "unmerged by user"
RETYPED = "retyped by user"
HEADER = ["action", "names"]
_TYPE = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class Override:
    """One user decision: ``action`` (merge, unmerge, rename, drop, retype) and its names.

    ``id`` is the store's row id when the decision came from the store.
    ``keys`` holds, for each name that names an entity (see
    :attr:`entity_names`), the key of the entity it was taken to mean when
    the decision was made, or ``None``: a decision then finds its entities
    by key first, so "Blair" keeps meaning the entity the user picked even
    where the name is also an alias of another; the name is the fallback
    when the key is gone (the corpus changed) and what aliases files carry.

    Raises
    ------
    OverrideError
        Unknown action, wrong number of names, a name without letters or
        digits, or a retype to something that is not a type name.
    """

    action: str
    names: tuple[str, ...]
    id: int | None = None
    keys: tuple[str | None, ...] = ()
    refused: str | None = None  # why a stored decision is not valid any more (see below)

    def __post_init__(self):
        if self.refused:
            # A stored decision this version refuses (a rename to an invisible
            # name, made before names were checked) is kept as it is, applied
            # to nothing and reported, so the user can see it and undo it.
            return
        if self.action not in ARITY:
            raise OverrideError(
                f"unknown override action {self.action!r}; use one of: {', '.join(ARITY)}"
            )
        low, high = ARITY[self.action]
        names = tuple(" ".join(str(n).split()) for n in self.names)
        if any(not n for n in names):
            raise OverrideError(f"{self.action}: names must not be empty")
        if len(names) < low or (high is not None and len(names) > high):
            count = f"{low}" if low == high else f"at least {low}"
            raise OverrideError(f"{self.action} takes {count} name(s), got {len(names)}")
        for name in names:
            if not has_visible_letters(name):
                raise OverrideError(
                    f"{self.action}: {name!r} has no letters or digits; names must be visible"
                )
        if self.action == "retype":
            names = (names[0], names[1].upper())
            if not _TYPE.fullmatch(names[1]):
                raise OverrideError(
                    f"retype: {self.names[1]!r} is not an entity type (e.g. PERSON, ORG, GPE)"
                )
        object.__setattr__(self, "names", names)
        keys = tuple(self.keys)
        if keys and len(keys) != len(self.entity_names):
            raise OverrideError(f"{self.action}: {len(keys)} key(s) for {len(names)} name(s)")
        object.__setattr__(self, "keys", keys)

    @property
    def entity_names(self) -> tuple[str, ...]:
        """The names that name entities: all of a merge's, the first of a rename, drop or
        retype, none of an unmerge (it names a surface form, wherever it occurs)."""
        if self.action == "merge":
            return self.names
        return () if self.action == "unmerge" else self.names[:1]

    def args(self) -> list | dict:
        """The JSON form the store keeps: the names, with the keys when there are any."""
        if any(self.keys):
            return {"names": list(self.names), "keys": list(self.keys)}
        return list(self.names)


def overrides_from_rows(rows: Iterable) -> list[Override]:
    """The store's ``(id, action, args)`` rows → :class:`Override` records, in order.

    ``args`` is what :meth:`Override.args` gives: a list of names, or a dict
    of names and keys. A row this version refuses (say, a rename to a name
    without letters, stored before names were checked) comes back with
    ``refused`` set: it applies to nothing and is reported, and can be undone.
    """
    result = []
    for id, action, args in rows:
        names, keys = (
            (args["names"], args.get("keys") or ()) if isinstance(args, dict) else (args, ())
        )
        try:
            result.append(Override(action, tuple(names), id, tuple(keys)))
        except OverrideError as err:
            result.append(Override(action, tuple(names), id, refused=str(err)))
    return result


def read_aliases_file(path: str | Path) -> list[Override]:
    """The decisions in an aliases file (format in the module docstring).

    Raises
    ------
    OverrideError
        The file is missing, not UTF-8, or a row is malformed (the message
        gives its line number).
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise OverrideError(f"cannot read aliases file {str(path)!r}: {err}") from err
    result = []
    reader = csv.reader(io.StringIO(text), strict=True)
    rows = iter(reader)
    while True:
        started = reader.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as err:  # an unterminated quote would swallow every row after it
            raise OverrideError(
                f"{path}, line {started}: malformed CSV ({err}); check its quotes"
            ) from err
        cells = [cell.strip() for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells or cells[0].startswith("#") or [c.casefold() for c in cells] == HEADER:
            continue
        try:
            result.append(Override(cells[0].casefold(), tuple(cells[1:])))
        except OverrideError as err:
            raise OverrideError(f"{path}, line {reader.line_num}: {err}") from err
    return result


def write_aliases_file(overrides: Sequence[Override], path: str | Path) -> None:
    """Write ``overrides`` as an aliases file (by :mod:`graphkit.writing`: atomic, folders made)."""
    buffer = io.StringIO()
    buffer.write("# graphkit aliases file: one decision per row, applied in order.\n")
    buffer.write("# merge,A,B,...  unmerge,A  rename,A,NEW  drop,A  retype,A,TYPE\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for override in overrides:
        writer.writerow([override.action, *override.names])
    write_output(path, buffer.getvalue())


@lru_cache(maxsize=100_000)
def _terms(name: str) -> frozenset[str]:
    """The keys a typed name or a surface form is compared by (see :func:`unmerge_takes`)."""
    return frozenset(
        {fold(clean_surface(name)), name_key(name, "PERSON"), name_key(name, "ORG"), name}
    )


def unmerge_takes(name: str, surface: str) -> bool:
    """Whether ``unmerge name`` takes the surface form ``surface`` out of its entity.

    The one rule for applying the decision and for saying beforehand what it
    will do (:mod:`graphkit.curation`): the two share a comparison key, with or
    without a possessive, title or legal form ("Xi's" takes "Xi").
    """
    return bool(_terms(name) & _terms(surface))


def _folded(text: str) -> str:
    """How names compare in lookups: case, accents, punctuation and possessive ignored."""
    return fold(strip_possessive(clean_surface(text)))


class _Groups:
    """Entity groups being edited by overrides, with what a typed name can match.

    ``index`` maps a folded name or a key to the groups that had it at some
    point; a lookup re-checks every candidate against its current names, so
    groups that lost a name to a merge or unmerge are not found by it.
    """

    def __init__(self, groups: dict, nodes: dict, order=None, shown=None, key=None, names=None):
        self.nodes = nodes
        self.order = order or min
        self.shown = shown or self._shown
        self.keyer = key
        self.members = {root: list(members) for root, members in groups.items()}
        self.where = {node: root for root, members in groups.items() for node in members}
        self.index: dict[str, set] = defaultdict(set)
        self.keys: dict = {}  # root → the key it keeps (groups the rules made)
        self.auto: dict = {}  # root → the key its current members give it
        self.legacy: dict = {}  # root → the key older versions gave it (majority of all labels)
        self.display: dict = {}  # root → its display name, once asked (see name())
        self.folded: dict = {}  # root → folded names it goes by
        self.node_keys: dict = {}  # root → name keys of its nodes
        self.renamed: dict = {}
        self.removed: set = set()
        names = names or {}
        for root, members in self.members.items():
            self._index(root, members, names.get(root))
            self.keys[root] = self.auto[root]

    def _index(self, root, members, names: tuple[str, list[str]] | None = None) -> None:
        """Record a group's names and automatic key, and index it under them.

        ``names``: the group's :func:`lookup_names`, when they are known already.
        """
        legacy, folded = names or lookup_names(members, self.nodes)
        self.legacy[root] = legacy
        self.auto[root] = self.keyer(members) if self.keyer else self.legacy[root]
        self.display.pop(root, None)
        self.folded[root] = set(folded)
        if root in self.renamed:
            self.folded[root].add(_folded(self.renamed[root]))
        self.node_keys[root] = {node[1] for node in members}
        for term in (*self.folded[root], *self.node_keys[root]):
            self.index[term].add(root)
        self.index["key " + self.auto[root]].add(root)
        self.index["legacy " + self.legacy[root]].add(root)

    def _shown(self, members) -> str:
        """The display name of a group of nodes (the resolver passes its own rule)."""
        return display_name(*_surfaces_and_type(members, self.nodes))

    def name(self, root) -> str:
        """The name the group is shown by: the user's after a rename, else its display name."""
        if root in self.renamed:
            return self.renamed[root]
        if root not in self.display:
            self.display[root] = self.shown(self.members[root])
        return self.display[root]

    def live(self, roots) -> list:
        return sorted(r for r in roots if r in self.members and r not in self.removed)

    def by_key(self, key: str):
        """The group an entity key names (``org:x~2`` is the second ``org:x`` by first mention).

        Keys follow the type the resolver decides; a decision stored with the
        key an older version gave (from the majority of all the model's
        labels: ``org:wang`` for the person Wang Lin) still finds its group.
        """
        base, _, suffix = key.partition("~")
        rank = int(suffix) if suffix.isdigit() else 1 if not suffix else 0
        for kind, current in (("key ", self.key), ("legacy ", self.legacy.get)):
            roots = [r for r in self.live(self.index.get(kind + base, ())) if current(r) == base]
            roots.sort(key=lambda r: self.order(self.members[r]))
            if 1 <= rank <= len(roots):
                return roots[rank - 1]
        return None

    def key(self, root) -> str:
        return self.keys.get(root, self.auto[root])

    def find(self, name: str, key: str | None = None):
        """The group ``key`` or else ``name`` means: ``(root, None)`` or ``(None, why not)``.

        A name is looked up as :func:`graphkit.graph.lookup_node` does: key,
        display names, other names, then without a leading title; several
        groups at the first level that matches make the name ambiguous.
        """
        for wanted in (key, name):
            root = self.by_key(wanted) if wanted else None
            if root is not None:
                return root, None
        cleaned = strip_possessive(clean_surface(name))
        exact = {fold(cleaned), fold(strip_possessive(name))}
        loose = fold(strip_title(cleaned))
        keys = {name_key(name, "PERSON"), name_key(name, "ORG")}
        terms = {*exact, loose, *keys}
        candidates = self.live(set().union(*(self.index.get(t, ()) for t in terms)))
        levels = [
            [r for r in candidates if _folded(self.name(r)) in exact],
            [r for r in candidates if exact & self.folded[r]],
            [r for r in candidates if _folded(self.name(r)) == loose],
            [r for r in candidates if loose in self.folded[r]],
            [r for r in candidates if keys & self.node_keys[r]],
        ]
        for found in levels:
            if len(found) == 1:
                return found[0], None
            if found:
                names = sorted(self.name(r) for r in found)
                return None, f"{name!r} may mean " + ", ".join(names)
        return None, f"{name!r} names no entity"

    def move(self, nodes: list, to) -> None:
        """Move ``nodes`` into group ``to`` (a new group when it does not exist yet)."""
        left = set()
        for node in nodes:
            old = self.where[node]
            if old != to:
                self.members[old].remove(node)
                left.add(old)
                if not self.members[old]:
                    del self.members[old]
        self.members.setdefault(to, [])
        self.members[to].extend(n for n in nodes if self.where[n] != to)
        for node in nodes:
            self.where[node] = to
        for root in [*sorted(r for r in left if r in self.members), to]:
            self._index(root, self.members[root])

    def rename(self, root, name: str) -> None:
        self.renamed[root] = name
        self._index(root, self.members[root])


def _surfaces_and_type(members, nodes) -> tuple[Counter, str]:
    """A group's surface forms, and the majority of the model's labels on it."""
    surfaces: Counter = Counter()
    labels: Counter = Counter()
    for node in members:
        surfaces.update(nodes[node].surfaces)
        labels.update(nodes[node].label)
    return surfaces, max(sorted(labels), key=labels.__getitem__)


def lookup_names(members, nodes) -> tuple[str, list[str]]:
    """What a decision may call a group besides its key: its legacy key and its folded names.

    The legacy key is the one older versions gave it (from the majority of
    all the model's labels); the folded names are its surface forms as
    lookups compare them (:func:`_folded`), sorted.
    """
    surfaces, type_ = _surfaces_and_type(members, nodes)
    return entity_key(display_name(surfaces, type_), type_), sorted({_folded(s) for s in surfaces})


def entity_key(name: str, type_: str) -> str:
    """The node id of an entity: its type and folded name, e.g. ``"person:xi-jinping"``."""
    return f"{type_.lower()}:{name_key(name, type_).replace(' ', '-')}"


@dataclass
class Applied:
    """Groups after the user's decisions (see :func:`apply_overrides`)."""

    groups: dict  # smallest node → member nodes
    names: dict  # group → the name the user gave it
    keys: dict  # group → the key it had before the decisions (kept, so node ids stay)
    removed: set  # groups the user dropped
    unapplied: list  # decisions that named no entity (or an ambiguous name)
    joins: list  # (surface, rule, node) records for explanations
    types: dict = field(default_factory=dict)  # group → the type the user gave it
    # Keys more than one group in force goes by (a decision's key picks among them by
    # first mention); ``None`` when no decision was applied and they were not counted.
    clashes: set | None = None
    # Ids of the decisions that found an entity by a name, not by the key they were
    # recorded with (what they meant may have moved to another group since).
    by_name: set = field(default_factory=set)


def apply_overrides(
    groups: dict,
    nodes: dict,
    overrides: Sequence[Override],
    *,
    order=None,
    shown=None,
    key=None,
    names=None,
) -> Applied:
    """Apply user decisions, in order, to the automatic groups (used by ``resolve_entities``).

    Each decision finds its entities by the keys it was recorded with, then
    by its names (a name two groups answer to equally well applies to
    neither: the decision is reported unapplied, not guessed). A merged
    entity keeps the key of the first entity named; an entity that loses a
    surface form to ``unmerge`` keeps its key; the unmerged form gets a key
    of its own. ``order`` ranks groups by where they are first named (how the
    resolver numbers keys that clash, ``org:x~2``); without it, by their
    smallest node. ``shown`` gives a group's display name as the resolver
    will show it (names are looked up by what users see); without it, the
    display name of all its surface forms. ``key`` gives a group's entity key
    as the resolver will make it (from the type it decides); without it, the
    key of the majority of the model's labels, which older versions used and
    which stored decisions may still name (both are looked up). ``names``:
    each group's :func:`lookup_names`, when they are known already.
    """
    if all(override.refused for override in overrides):
        # Nothing to apply (most re-links): the groups as the rules made them.
        groups = {min(members): sorted(members) for members in groups.values()}
        return Applied(groups, {}, {}, set(), list(overrides), [])
    state = _Groups(groups, nodes, order, shown, key, names)
    types, unapplied, joins, by_name = {}, [], [], set()
    for override in overrides:
        if override.refused:
            unapplied.append(override)
            continue
        if override.action == "unmerge":
            name = override.names[0]
            moving = sorted(
                n for n in state.where if any(unmerge_takes(name, s) for s in nodes[n].surfaces)
            )
            if not moving:
                unapplied.append(override)
                continue
            state.move(moving, ("user", len(joins), override.names[0]))
            joins.append((override.names[0], UNMERGED, moving[0]))
            continue
        keys = override.keys or (None,) * len(override.entity_names)
        found, why = [], None
        for name, key in zip(override.entity_names, keys, strict=True):
            root, why = state.find(name, key)
            if root is None:
                break
            if override.id is not None and (key is None or state.by_key(key) != root):
                by_name.add(override.id)
            found.append(root)
        if why is not None:
            unapplied.append(override)
            continue
        if override.action == "merge":
            # B … join A, and the entity keeps showing as A ("Nordpay", not the
            # longer "Acme Holdings" the display-name rule would pick).
            shown = state.name(found[0])
            for name, root in zip(override.names[1:], found[1:], strict=True):
                if root != found[0] and root in state.members:
                    state.move(list(state.members[root]), found[0])
                    joins.append((name, MERGED, state.members[found[0]][0]))
            state.rename(found[0], shown)
        elif override.action == "rename":
            state.rename(found[0], override.names[1])
        elif override.action == "retype":
            types[found[0]] = override.names[1]
        else:
            state.removed.add(found[0])
    applied = Applied({}, {}, {}, set(), unapplied, joins, by_name=by_name)
    in_force = Counter(state.key(root) for root in state.members if root not in state.removed)
    applied.clashes = {key for key, count in in_force.items() if count > 1}
    for root, members in state.members.items():
        first = min(members)
        applied.groups[first] = sorted(members)
        if root in state.renamed:
            applied.names[first] = state.renamed[root]
        if root in types:
            applied.types[first] = types[root]
        if root in state.keys:
            applied.keys[first] = state.keys[root]
        if root in state.removed:
            applied.removed.add(first)
    return applied
