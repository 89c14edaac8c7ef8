"""Near-duplicate detection: graphkit's numpy MinHash beside datasketch, on a JSONL corpus.

For each article of ``SOURCE`` (JSON Lines with a ``text`` field; default the
bundled sample corpus): the time to compute graphkit's signatures
(:func:`graphkit.ingest.duplicates.signature`) and to group them
(:func:`near_duplicates`), and, when ``datasketch`` is installed, the same
with ``datasketch.MinHash`` (128 permutations, ``update_batch``) and
``MinHashLSH`` at the same threshold, with how far the two agree. Timings
are printed, never asserted.

Usage: ``python benchmarks/duplicates.py [SOURCE] [--limit N]``.
"""

from __future__ import annotations

import argparse
import json
import time

import graphkit
from graphkit.ingest.duplicates import PERMUTATIONS, THRESHOLD, near_duplicates, shingles, signature


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(graphkit.SAMPLE_CORPUS))
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    with open(args.source, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()][: args.limit]
    texts = [(str(r.get("id", i)), r["text"]) for i, r in enumerate(records)]
    print(f"{len(texts)} articles from {args.source}; threshold {THRESHOLD}")

    started = time.perf_counter()
    signatures = [(i, signature(t)) for i, t in texts]
    signed = time.perf_counter() - started
    started = time.perf_counter()
    ours = near_duplicates(signatures)
    grouped = time.perf_counter() - started
    print(
        f"graphkit (numpy): signatures {signed:.2f}s, grouping {grouped:.3f}s, {len(ours)} copies"
    )

    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("datasketch: not installed (pip install datasketch to compare)")
        return
    started = time.perf_counter()
    hashes = []
    for i, text in texts:
        m = MinHash(num_perm=PERMUTATIONS, seed=1)
        m.update_batch([str(s).encode() for s in shingles(text)])
        hashes.append((i, m))
    signed = time.perf_counter() - started
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    by_id = dict(hashes)
    theirs = {}
    for i, m in hashes:
        found = [c for c in lsh.query(m) if m.jaccard(by_id[c]) >= THRESHOLD]
        if found:
            theirs[i] = found[0]
        else:
            lsh.insert(i, m)
    grouped = time.perf_counter() - started
    agree = len(set(ours) & set(theirs))
    print(
        f"datasketch: signatures {signed:.2f}s, grouping {grouped:.3f}s, {len(theirs)} copies;"
        f" {agree} copies found by both"
    )


if __name__ == "__main__":
    main()
