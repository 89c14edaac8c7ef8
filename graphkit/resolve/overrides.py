"""User decisions about entities, applied after the automatic rules on every rebuild.

Four decisions, each naming entities the way a user sees them (a display
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

Rows starting with ``#`` and blank rows are ignored; the ``action,names``
header is optional. CSV rather than YAML: no extra dependency, it opens in
any spreadsheet, and quoting (``"Smith, John"``) is standard.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graphkit.errors import OverrideError
from graphkit.resolve.names import clean_surface, display_name, fold, name_key

ARITY = {"merge": (2, None), "unmerge": (1, 1), "rename": (2, 2), "drop": (1, 1)}
MERGED = "merged by user"
UNMERGED = "unmerged by user"
HEADER = ["action", "names"]


@dataclass(frozen=True)
class Override:
    """One user decision: ``action`` (merge, unmerge, rename, drop) and the names it takes.

    ``id`` is the store's row id when the decision came from the store.

    Raises
    ------
    OverrideError
        Unknown action, wrong number of names, or an empty name.
    """

    action: str
    names: tuple[str, ...]
    id: int | None = None

    def __post_init__(self):
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
        object.__setattr__(self, "names", names)


def overrides_from_rows(rows: Iterable) -> list[Override]:
    """The store's ``(id, action, names)`` rows → :class:`Override` records, in order."""
    return [Override(action, tuple(names), id) for id, action, names in rows]


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
    """Write ``overrides`` as an aliases file, atomically (temp file, then rename)."""
    path = Path(path)
    buffer = io.StringIO()
    buffer.write("# graphkit aliases file: one decision per row, applied in order.\n")
    buffer.write("# merge,A,B,...  unmerge,A  rename,A,NEW  drop,A\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for override in overrides:
        writer.writerow([override.action, *override.names])
    fd, tmp = tempfile.mkstemp(prefix=".aliases-", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _terms(name: str) -> set[str]:
    """The index terms a typed name can match: folded text and name keys."""
    return {fold(clean_surface(name)), name_key(name, "PERSON"), name_key(name, "ORG"), name}


class _Groups:
    """Entity groups being edited by overrides, with a name index and their keys."""

    def __init__(self, groups: dict, nodes: dict):
        self.nodes = nodes
        self.members = {root: list(members) for root, members in groups.items()}
        self.where = {node: root for root, members in groups.items() for node in members}
        self.index: dict[str, set] = defaultdict(set)
        self.keys: dict = {}
        for root, members in self.members.items():
            self.keys[root] = self._index(root, members)

    def _index(self, root, members) -> str:
        """Index a group under its names; returns its automatic key."""
        surfaces: Counter = Counter()
        labels: Counter = Counter()
        for node in members:
            surfaces.update(self.nodes[node].surfaces)
            labels.update(self.nodes[node].label)
            self.index[node[1]].add(root)
        type_ = max(sorted(labels), key=labels.__getitem__)
        key = entity_key(display_name(surfaces, type_), type_)
        self.index[key].add(root)
        for surface in surfaces:
            self.index[fold(surface)].add(root)
        return key

    def size(self, root) -> int:
        return sum(len(self.nodes[n].mentions) for n in self.members[root])

    def find(self, name: str):
        roots = set().union(*(self.index.get(t, set()) for t in _terms(name)))
        roots &= self.members.keys()
        return max(sorted(roots), key=self.size) if roots else None

    def move(self, nodes: list, to) -> None:
        for node in nodes:
            old = self.where[node]
            if old != to:
                self.members[old].remove(node)
                if not self.members[old]:
                    del self.members[old]
        self.members.setdefault(to, [])
        self.members[to].extend(n for n in nodes if self.where[n] != to)
        for node in nodes:
            self.where[node] = to
        self._index(to, self.members[to])


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
    unapplied: list  # decisions that named no entity
    joins: list  # (surface, rule, node) records for explanations


def apply_overrides(groups: dict, nodes: dict, overrides: Sequence[Override]) -> Applied:
    """Apply user decisions, in order, to the automatic groups (used by ``resolve_entities``).

    A merged entity keeps the key of the first entity named; an entity that
    loses a surface form to ``unmerge`` keeps its key; the unmerged form gets
    a key of its own.
    """
    state = _Groups(groups, nodes)
    names, removed, unapplied, joins = {}, set(), [], []
    for override in overrides:
        if override.action == "unmerge":
            terms = _terms(override.names[0])
            moving = sorted(n for n in state.where if n[1] in terms)
            if not moving:
                unapplied.append(override)
                continue
            state.move(moving, ("user", len(joins), override.names[0]))
            joins.append((override.names[0], UNMERGED, moving[0]))
            continue
        named = override.names if override.action == "merge" else override.names[:1]
        found = [state.find(name) for name in named]
        if None in found:
            unapplied.append(override)
            continue
        if override.action == "merge":
            for name, root in zip(override.names[1:], found[1:], strict=True):
                if root != found[0] and root in state.members:
                    state.move(list(state.members[root]), found[0])
                    joins.append((name, MERGED, state.members[found[0]][0]))
        elif override.action == "rename":
            names[found[0]] = override.names[1]
            state.index[fold(override.names[1])].add(found[0])
        else:
            removed.add(found[0])
    applied = Applied({}, {}, {}, set(), unapplied, joins)
    for root, members in state.members.items():
        first = min(members)
        applied.groups[first] = sorted(members)
        if root in names:
            applied.names[first] = names[root]
        if root in state.keys:
            applied.keys[first] = state.keys[root]
        if root in removed:
            applied.removed.add(first)
    return applied
