"""What the safety checks of issue 11 cost: integrity checks on open, decoding, reading.

Usage: python benchmarks/robustness.py [STORE.db] [CORPUS.jsonl]

STORE defaults to a store built from the bundled sample; CORPUS to the BBC corpus
in ../shared/data when it is there, else the sample. Prints a table; nothing is
asserted (timings never gate tests).
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import graphkit
from graphkit import store
from graphkit.ingest.sources import ReadReport, decode_bytes, read_articles

BBC = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "bbc.jsonl"


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if len(sys.argv) > 1:
            db = Path(sys.argv[1])
        else:
            db = Path(tmp) / "sample.db"
            graphkit.build([graphkit.SAMPLE_CORPUS], db=db)
        corpus = Path(sys.argv[2]) if len(sys.argv) > 2 else BBC
        corpus = corpus if corpus.exists() else graphkit.SAMPLE_CORPUS
        size = db.stat().st_size / 2**20
        print(f"store: {db} ({size:.1f} MB)")
        plain = _best(lambda: sqlite3.connect(db).execute("SELECT 1 FROM meta").fetchone())
        checked = _best(lambda: store.open_store(db, write=True).close())
        quick = _best(lambda: store.check_integrity(store.open_store(db)))
        print(f"  open without checks       {plain * 1000:8.1f} ms")
        print(f"  open_store (checks)       {checked * 1000:8.1f} ms")
        print(f"  quick_check + JSON check  {quick * 1000:8.1f} ms")
        data = corpus.read_bytes()
        text = data.decode("utf-8", errors="replace")
        latin = text.encode("cp1252", errors="replace")
        print(f"corpus: {corpus} ({len(data) / 2**20:.1f} MB)")
        utf8 = _best(lambda: decode_bytes(data, "x", ReadReport()), 3)
        detected = _best(lambda: decode_bytes(latin, "x", ReadReport()), 3)
        reading = _best(lambda: sum(1 for _ in read_articles([corpus])), 3)
        print(f"  decode as UTF-8           {utf8 * 1000:8.1f} ms")
        print(f"  detect cp1252 and decode  {detected * 1000:8.1f} ms")
        print(f"  read_articles (all)       {reading * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
