"""Near-duplicate articles: the same story stored twice with small edits.

Each article gets a MinHash signature of its word 5-shingles
(:func:`signature`, computed once when the article is stored); locality
sensitive hashing over bands of the signatures finds candidate pairs in
about linear time, and a pair is a near-duplicate when the signatures agree
on at least ``threshold`` of their positions (an estimate of the Jaccard
similarity of the shingle sets; 0.7 by default, a story with edits or a
small update; the README says how it was chosen).

Why not ``datasketch``: it does the same thing but pulls in SciPy (tens of
MB) for one feature; numpy (already a dependency) computes the 128
permutations of all shingles of an article in one vectorised step, and the
banding is a dictionary. ``benchmarks/duplicates.py`` measures both.

numpy is imported when a signature is first computed or compared, not with
this module: the pipeline imports it, and commands that only read a store
(``graphkit info``) never hash an article.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterable

PERMUTATIONS = 128
BANDS = 32  # 32 bands of 4 rows: a pair at 0.7 becomes a candidate with probability 0.9998
SHINGLE = 5
THRESHOLD = 0.7
_PRIME = 4294967311  # a prime just above 2**32
_SEED = 20240105  # fixed: signatures are stored and must stay comparable
_WORD = re.compile(r"\w+")


@functools.cache
def _permutations():
    """numpy, and the ``a`` and ``b`` of the hash permutations ``(a * h + b) mod p``."""
    import numpy as np

    rng = np.random.default_rng(_SEED)
    a = rng.integers(1, 2**31, PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, 2**31, PERMUTATIONS, dtype=np.uint64)
    return np, a, b


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """Hashes of the word ``size``-grams of ``text`` (case and punctuation ignored)."""
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {
        zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)
    }


def signature(text: str) -> bytes:
    """The MinHash signature of ``text`` as bytes (for the store)."""
    np, a, b = _permutations()
    hashes = np.fromiter(shingles(text), dtype=np.uint64)
    prime = np.uint64(_PRIME)
    if hashes.size == 0:
        return np.full(PERMUTATIONS, prime, dtype=np.uint64).tobytes()
    # (a * h + b) mod p for every permutation and shingle; a < 2**31, h < 2**32: no overflow.
    values = (np.outer(a, hashes) + b[:, None]) % prime
    return values.min(axis=1).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    np = _permutations()[0]
    x, y = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.mean(x == y))


def near_duplicates(
    articles: Iterable[tuple[str, bytes]], *, threshold: float = THRESHOLD
) -> dict[str, tuple[str, float]]:
    """``{copy id: (original id, similarity)}`` for articles that repeat an earlier one.

    ``articles`` are ``(id, signature)`` in the order that decides which one
    is the original (the first seen: graphkit passes them oldest first).
    Every copy points at the first article of its group, never at another copy.
    """
    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple[int, bytes], list[tuple[str, bytes]]] = {}
    found: dict[str, tuple[str, float]] = {}
    for article_id, sig in articles:
        bands = [(band, sig[band * rows * 8 : (band + 1) * rows * 8]) for band in range(BANDS)]
        best = None
        seen = set()
        for key in bands:
            for other_id, other_sig in buckets.get(key, ()):
                if other_id in seen:
                    continue
                seen.add(other_id)
                score = similarity(sig, other_sig)
                if score >= threshold and (best is None or score > best[1]):
                    best = (other_id, score)
        if best is not None:
            found[article_id] = best
            continue
        for key in bands:
            buckets.setdefault(key, []).append((article_id, sig))
    return found
