"""A curation session on a built store: each decision's time, with and without the kept groups.

For a copy of the store given (build it first, e.g. ``graphkit --db bbc.db
build ../shared/data/news/bbc.jsonl``), in one process: the decisions a
user makes in a row — merge the two most-mentioned people, rename the
most-mentioned organisation, drop the third person, then undo the three —
each through :func:`graphkit.curation.record_decision` or
:func:`~graphkit.curation.undo_decision`, as the CLI runs them.

Two rows, on two copies of the same store, alternating decision by decision
so the machine's load falls on both alike:

- ``kept``: as graphkit runs (the first decision runs the rules and keeps
  their groups; the others apply to what was kept);
- ``rules``: the kept groups removed before each decision, so every one runs
  the rules over every mention, as before they were kept.

Both copies must end with the same content (checked, and said). Figures are
printed, never asserted.

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

from graphkit.curation import record_decision, undo_decision

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


def _forget_kept(db: Path) -> None:
    with sqlite3.connect(db) as connection:
        connection.execute("DELETE FROM meta WHERE key LIKE 'kept:%'")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    args = parser.parse_args()
    people, orgs = _top(args.store, "PERSON", 3), _top(args.store, "ORG", 1)
    steps = [
        ("merge", [people[0], people[1]]),
        ("rename", [orgs[0], "Renamed Organisation"]),
        ("drop", [people[2]]),
        ("undo", 3),
        ("undo", 2),
        ("undo", 1),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        copies = {"kept": Path(tmp) / "kept.db", "rules": Path(tmp) / "rules.db"}
        for copy in copies.values():
            shutil.copy(args.store, copy)
        times: dict[str, list[float]] = {name: [] for name in copies}
        for action, names in steps:
            for name, db in copies.items():
                if name == "rules":
                    _forget_kept(db)
                start = time.perf_counter()
                if action == "undo":
                    undo_decision(db, names)
                else:
                    record_decision(db, action, names)
                times[name].append(time.perf_counter() - start)
        same = resolved_content(copies["kept"]) == resolved_content(copies["rules"])
    labels = [f"{a} {n if a == 'undo' else ' '.join(str(x) for x in n)}" for a, n in steps]
    print(f"store {args.store}; seconds per decision (one process, alternating)")
    print(f"{'decision':55} {'kept':>7} {'rules':>7}")
    for i, label in enumerate(labels):
        print(f"{label[:55]:55} {times['kept'][i]:7.2f} {times['rules'][i]:7.2f}")
    later = [sum(times[name][1:]) / (len(steps) - 1) for name in ("kept", "rules")]
    print(f"{'mean of decisions 2-6':55} {later[0]:7.2f} {later[1]:7.2f}")
    print(f"same content at the end: {same}")


if __name__ == "__main__":
    main()
