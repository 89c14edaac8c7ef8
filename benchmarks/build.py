"""Build throughput: articles per second for a first build, and the cost of a rebuild.

Usage: python benchmarks/build.py [CORPUS.jsonl] [--limit N] [--workers 1,2]

Defaults to the BBC corpus in ../shared/data when it is there, else the
bundled sample. Prints a table; nothing is asserted (timings never gate tests).
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

import graphkit

BBC = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "bbc.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = BBC if BBC.exists() else graphkit.SAMPLE_CORPUS
    parser.add_argument("corpus", nargs="?", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=500, help="articles to read (0: all)")
    parser.add_argument("--workers", default="1,2", help="comma-separated process counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with args.corpus.open(encoding="utf-8") as src, corpus.open("w", encoding="utf-8") as dst:
            dst.writelines(itertools.islice(src, args.limit or None))
        print(f"corpus: {args.corpus} (first {args.limit or 'all'} lines)")
        header = ("workers", "articles", "build s", "art/s", "rebuild s", "entities", "edges")
        print("  ".join(f"{h:>9}" for h in header))
        for workers in (int(w) for w in args.workers.split(",")):
            db = Path(tmp) / f"w{workers}.db"
            first = graphkit.build([corpus], db=db, workers=workers)
            started = time.perf_counter()
            again = graphkit.build([corpus], db=db, workers=workers)
            rebuild = time.perf_counter() - started
            assert again.extracted == 0
            rate = first.extracted / first.seconds
            row = (
                workers,
                first.extracted,
                f"{first.seconds:.1f}",
                f"{rate:.1f}",
                f"{rebuild:.2f}",
            )
            print("  ".join(f"{v:>9}" for v in (*row, first.entities, first.edges)))


if __name__ == "__main__":
    main()
