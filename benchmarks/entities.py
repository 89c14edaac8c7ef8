"""Entity audit of a real corpus: what a person can check in five minutes.

Usage::

    python benchmarks/entities.py CORPUS.jsonl [--limit N] [--db FILE] [--top 60]

Builds the corpus (the first ``--limit`` articles; 0: all) into a fresh store
and prints:

1. the build time, and the share of it the recall pass took;
2. display names by junk class among the 1,000 most mentioned entities
   (possessive, function word at an edge, dash/comma/list, HTML entity or
   mojibake, figures or a score, a bare honorific and surname, lower case
   start), with examples;
3. type changes the corpus evidence made (model's majority → chosen type);
4. merges by rule (how many surface forms each rule joined);
5. the share of entities mentioned once;
6. the ``--top`` most central entities by PageRank, with their type, mention
   count and aliases, to read by eye: right name, right type, one node per entity.

Nothing is asserted: this is for reading. Timings depend on the machine's load.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import graphkit
from graphkit.graph.measures import centrality
from graphkit.relink import link
from graphkit.resolve.names import FUNCTION_WORDS
from graphkit.resolve.spans import PERSON_HONORIFICS
from graphkit.store import open_store

JUNK = {
    "possessive": re.compile(r"['’]s?$"),
    "edge function word": re.compile(
        r"^(?:"
        + "|".join(sorted(FUNCTION_WORDS))
        + r")\s|\s(?:"
        + "|".join(sorted(FUNCTION_WORDS))
        + r")$",
        re.IGNORECASE,
    ),
    "dash, comma or list": re.compile(r"\s[-–—]\s|[-–—]$|^[-–—]|[,;]|:\s|\sor\s|\s(?:and|&)\s\S+,"),
    "html entity or mojibake": re.compile(r"&#?\w+;|Ã.|â€|¿|\ufffd"),
    "figures or score": re.compile(r"(?:^|\s)(?:\d{3,}|\d+[-–:./]\d+)(?:\s|$)|^\d+\s"),
    "honorific and surname": re.compile(
        r"^(?:" + "|".join(PERSON_HONORIFICS) + r")\.?\s\S+$", re.IGNORECASE
    ),
    "lower-case first word": re.compile(r"^[a-z][a-z-]*(?:\s|$)"),
}


def junk_classes(name: str) -> list[str]:
    """The junk classes a display name falls in (none for a clean name)."""
    return [label for label, pattern in JUNK.items() if pattern.search(name)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int, default=500, help="articles to read (0: all)")
    parser.add_argument("--db", type=Path, help="keep the store here (default: a temp file)")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument(
        "--reuse", action="store_true", help="keep an existing --db: re-link, re-extract nothing"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with args.corpus.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as dst:
            dst.writelines(itertools.islice(src, args.limit or None))
        db = args.db or Path(tmp) / "audit.db"
        if db.exists() and not args.reuse:
            db.unlink()
        summary = graphkit.build([corpus], db=db)
        audit(db, summary, args)


def audit(db: Path, summary, args) -> None:
    print(f"corpus: {args.corpus} (first {args.limit or 'all'} articles)")
    share = summary.recall_seconds / summary.seconds if summary.seconds else 0
    print(
        f"build: {summary.extracted} articles, {summary.entities} entities, {summary.edges} edges"
        f" in {summary.seconds:.1f}s; recall pass {summary.recall_seconds:.2f}s ({share:.1%}),"
        f" {summary.recalled} mentions found again"
    )
    with open_store(db) as store:
        started = time.perf_counter()
        resolution = link(store)
        seconds = time.perf_counter() - started
        counts = dict(
            store.query(
                "SELECT entity, COUNT(*) FROM mentions WHERE entity IS NOT NULL GROUP BY entity"
            )
        )
    print(f"resolution: {seconds:.1f}s")
    entities = resolution.entities
    ranked = sorted(entities, key=lambda k: (-counts.get(k, 0), k))

    print("\n== junk display names among the 1,000 most mentioned entities ==")
    classes: dict[str, list[str]] = {label: [] for label in JUNK}
    for key in ranked[:1000]:
        for label in junk_classes(entities[key].name):
            classes[label].append(entities[key].name)
    for label, names in classes.items():
        print(f"  {label:26} {len(names):4}  {', '.join(names[:8])}")
    print(f"  {'total junk':26} {len({n for v in classes.values() for n in v}):4}")

    print(f"\n== type changes by corpus evidence: {len(resolution.retyped)} ==")
    changes = Counter((old, new) for old, new, _ in resolution.retyped.values())
    for (old, new), n in changes.most_common():
        print(f"  {old} → {new}: {n}")
    retyped = sorted(resolution.retyped, key=lambda k: -counts.get(k, 0))
    for key in retyped[:15]:
        old, new, reason = resolution.retyped[key]
        print(f"    {entities[key].name} ({counts.get(key, 0)}): {reason}")
    print(
        "  mentions dropped, by reason: "
        + ", ".join(f"{reason} {n}" for reason, n in resolution.dropped.most_common())
    )

    print("\n== merges by rule (surface forms joined) ==")
    rules: Counter = Counter()
    for items in resolution.explanations.values():
        for item in items:
            if not item.rule.startswith("type from"):
                rules[item.rule.split(" (")[0]] += item.count
    for rule, n in rules.most_common():
        print(f"  {n:6}  {rule}")

    once = sum(1 for k in entities if counts.get(k, 0) == 1)
    print(
        f"\n== single-mention entities: {once} of {len(entities)} ({once / len(entities):.1%}) =="
    )

    G = graphkit.load_graph(db)
    report = centrality(G, measures=("pagerank",), top=args.top)
    print(f"\n== top {args.top} by PageRank ==")
    for i, row in enumerate(report.rows, 1):
        data = G.nodes[row["key"]]
        aliases = [a for a in data.get("aliases", []) if a != data["name"]][:6]
        print(
            f"  {i:2}. {data['name']} [{data['type']}] {data.get('mentions', 0)}"
            f" — {'; '.join(aliases)}"
        )


if __name__ == "__main__":
    main()
