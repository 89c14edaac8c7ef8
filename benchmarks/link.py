"""What one re-link costs, and where: after a merge, and after a build adds a few articles.

Usage: python benchmarks/link.py BASE.db SOURCE.jsonl [--work DIR] [--merge "A" "B"]

``BASE.db`` is a store built from the first articles of ``SOURCE.jsonl``
(e.g. ``head -2203 bbc.jsonl``); it is copied, never written. The copy gets
the rest of ``SOURCE.jsonl`` (``graphkit build``), then a merge of the two
names given (``graphkit merge``). Each time, the re-link is timed as a
whole and by part: resolution, attributions (with reading the mentions'
contexts), near-duplicates, co-occurrences and the save. Parts that a
version of graphkit does not have are left out, so the same script times an
older checkout too (``PYTHONPATH=OLD python benchmarks/link.py ...``).
Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import time
from collections import defaultdict
from pathlib import Path

from graphkit import curation, pipeline, resolve, store

TIMES: dict[str, float] = defaultdict(float)


def _timed(owner, name: str, label: str, *, consume: bool = False) -> None:
    """Wrap ``owner.name`` so its time adds to ``TIMES[label]`` (generators run to the end)."""
    function = getattr(owner, name, None)
    if function is None:
        return

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            result = function(*args, **kwargs)
            if consume:
                result = list(result)
            return result
        finally:
            TIMES[label] += time.perf_counter() - started

    setattr(owner, name, timed)


def instrument() -> None:
    try:
        from graphkit import relink as linking
    except ImportError:  # an older checkout: the re-link lived in the pipeline
        linking = pipeline
    _timed(linking, "link", "link (total)")
    pipeline.link = curation.link = linking.link  # imported by name there
    _timed(resolve, "resolve_entities", "resolve")  # older checkouts
    _timed(linking, "_rule_groups", "resolve: the rules (or kept groups)")
    _timed(resolve, "apply_decisions", "resolve: the decisions")
    if hasattr(linking, "_attributions"):  # reads only the contexts it needs
        _timed(linking, "_attributions", "attributions + contexts")
    else:
        _timed(linking, "attributions", "attributions + contexts")
    _timed(linking, "find_near_duplicates", "near-duplicates")
    _timed(linking, "cooccurrences", "co-occurrences", consume=True)
    _timed(store.Store, "save_resolution", "save")
    _timed(store, "_index_entity_names", "  of which: name index (full)")
    _timed(store.Store, "_save_entities", "  of which: entities (changed)")


def run(label: str, action) -> dict[str, float]:
    TIMES.clear()
    started = time.perf_counter()
    action()
    result = dict(TIMES)
    result["command (total)"] = time.perf_counter() - started
    print(f"\n{label}")
    for part, seconds in result.items():
        print(f"  {part:32} {seconds:7.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("source", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/graphkit-link-bench"))
    parser.add_argument("--merge", nargs=2, default=("Tony Blair", "Cherie Blair"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    db = args.work / "bench.db"
    shutil.copyfile(args.base, db)
    run(f"build {args.source.name} into a copy of {args.base.name}", lambda: _build(args, db))
    run(
        f"merge {args.merge[0]!r} {args.merge[1]!r}",
        lambda: curation.record_decision(db, "merge", args.merge),
    )


def _build(args, db: Path) -> None:
    summary = pipeline.build([args.source], db=db)
    print(f"  (build: {summary.new} new articles, {summary.entities} entities)")


if __name__ == "__main__":
    instrument()
    main()
