"""A curation session on a built store: each decision's time, applied in place or by re-linking.

For a copy of the store given (build it first, e.g. ``graphkit --db bbc.db
build ../shared/data/news/bbc.jsonl``), in one process: the decisions a
user makes in a row — merge the two most-mentioned people, merge the
fourth into them, rename the most-mentioned organisation, retype it, drop
the third person, then undo the five, last first — each through
:func:`graphkit.curation.record_decision` or
:func:`~graphkit.curation.undo_decision`, as the CLI runs them; then merge
the second and third people again and import an aliases file
(:func:`~graphkit.curation.import_aliases`) of five decisions: rename and
retype the two most-mentioned organisations, drop the fourth person, merge
the third organisation into the second; last, undo that merge of people
(decision 6), which the import's decisions, about other entities, follow.

Two rows, on two copies of the same store, alternating decision by decision
so the machine's load falls on both alike:

- ``graphkit``: as graphkit runs (the first decision re-links and keeps the
  rules' groups; a merge, rename, retype or drop after it is applied in
  place, :mod:`graphkit.in_place`, and so is the undo of the last decision
  in force when no other decision in force names its entities, or, for a
  merge, names its first entity alone (``undo 2``, of the second merge,
  splits the person the first merge made); ``undo 4`` re-links: the
  rename names the organisation retyped); an undo of an earlier decision
  too, when each decision after it found its entities by key and is about
  others (``undo 6``);
- ``re-link``: what a decision in place needs forgotten before each
  decision, so every one re-links the store (on the kept groups), as before.

Both copies must hold the same content after every decision (checked, and
said; ``--compare end`` checks the end alone, for stores too large to read
ten times). Figures are printed, never asserted.

Usage: ``python benchmarks/decisions.py STORE``.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from graphkit.curation import import_aliases, record_decision, undo_decision
from graphkit.relink import DECISION_STATE
from graphkit.resolve import Override
from graphkit.resolve.overrides import write_aliases_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from store_content import resolved_content


def _top(db: Path, type_: str, count: int) -> list[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT e.key FROM entities e JOIN mentions m ON m.entity = e.key"
            " WHERE e.type = ? GROUP BY e.key ORDER BY COUNT(*) DESC, e.key LIMIT ?",
            (type_, count),
        )
        return [key for (key,) in rows]


def _forget_decision_state(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM meta WHERE key = ?", (DECISION_STATE,))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument(
        "--compare",
        choices=["each", "end"],
        default="each",
        help="compare the two copies after each decision (default) or at the end only",
    )
    args = parser.parse_args()
    people, orgs = _top(args.store, "PERSON", 4), _top(args.store, "ORG", 3)
    steps = [
        ("merge", [people[0], people[1]]),
        ("merge", [people[0], people[3]]),
        ("rename", [orgs[0], "Renamed Organisation"]),
        ("retype", [orgs[0], "PERSON"]),
        ("drop", [people[2]]),
        ("undo", 5),
        ("undo", 4),
        ("undo", 3),
        ("undo", 2),
        ("undo", 1),
        ("merge", [people[1], people[2]]),
        ("import", "aliases.csv"),
        ("undo", 6),
    ]
    imported = [
        Override("rename", (orgs[0], "Renamed Organisation")),
        Override("retype", (orgs[0], "PERSON")),
        Override("rename", (orgs[1], "Second Organisation")),
        Override("drop", (people[3],)),
        Override("merge", (orgs[1], orgs[2])),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        copies = {"graphkit": Path(tmp) / "graphkit.db", "re-link": Path(tmp) / "relink.db"}
        write_aliases_file(imported, Path(tmp) / "aliases.csv")
        for copy in copies.values():
            shutil.copy(args.store, copy)
        times: dict[str, list[float]] = {name: [] for name in copies}
        same = []
        for action, names in steps:
            for name, db in copies.items():
                if name == "re-link":
                    _forget_decision_state(db)
                start = time.perf_counter()
                if action == "undo":
                    undo_decision(db, names)
                elif action == "import":
                    import_aliases(db, Path(tmp) / names)
                else:
                    record_decision(db, action, names)
                times[name].append(time.perf_counter() - start)
            if args.compare == "each" or len(same) == len(steps) - 1:
                same.append(
                    resolved_content(copies["graphkit"]) == resolved_content(copies["re-link"])
                )
            else:
                same.append(None)
    labels = [f"{a} {n if a in ('undo', 'import') else ' '.join(n)}" for a, n in steps]
    print(f"store {args.store}; seconds per decision (one process, alternating)")
    print(f"{'decision':50} {'graphkit':>9} {'re-link':>9} {'same':>5}")
    for i, label in enumerate(labels):
        row = f"{times['graphkit'][i]:9.2f} {times['re-link'][i]:9.2f} {same[i]!s:>5}"
        print(f"{label[:50]:50} {row}")
    compared = [s for s in same if s is not None]
    print(f"same content wherever compared ({len(compared)} of {len(same)}): {all(compared)}")


if __name__ == "__main__":
    main()
