"""How far a small increment reaches into a store, through what the resolution rules read.

Usage: python benchmarks/increment_reach.py STORE.db [--share 0.01]

The resolution rules read corpus-wide counts per name key (articles naming
a key: ``ESTABLISHED``, ``DOMINANCE``; labels per key: type evidence) and
join a lone word ("Blair") to the full names holding it, across articles.
Re-resolving exactly only what new articles can affect means re-reading at
least every older article that names one of their keys, and every one whose
full names hold a lone word of theirs, or whose lone words one of their full
names holds. This prints both shares for the newest articles of the store
(insertion order: the order of the corpus file, unless articles were
replaced since), so the ceiling of "blocking by name keys" is a measured
figure, not a guess. Reads the store; asserts nothing.
"""

from __future__ import annotations

import argparse
import sqlite3

from graphkit.resolve.names import name_key, noise_reason


def _joins(keys: set[str], lone: set[str], full_words: set[str]) -> bool:
    """Whether a full name of ``keys`` holds one of the ``lone`` words, or a lone
    word of ``keys`` is one of the ``full_words`` (the words of the other side's
    full names): the lone-word rule may join them."""
    return any(
        bool(lone.intersection(key.split())) if " " in key else key in full_words for key in keys
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--share", type=float, default=0.01, help="newest articles, as a share")
    args = parser.parse_args()
    connection = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    order = [row[0] for row in connection.execute("SELECT id FROM articles ORDER BY rowid")]
    keys: dict[str, set[str]] = {article: set() for article in order}
    for article_id, text, label in connection.execute(
        "SELECT article_id, text, label FROM mentions"
    ):
        if not noise_reason(text):
            keys[article_id].add(name_key(text, label))
    count = max(1, round(len(order) * args.share))
    if count >= len(order):
        parser.error(f"--share {args.share} leaves no older article to reach")
    new, old = order[-count:], order[:-count]
    new_keys = set().union(*(keys[a] for a in new))
    new_lone = {key for key in new_keys if " " not in key}
    new_full_words = {word for key in new_keys if " " in key for word in key.split()}
    by_key = [a for a in old if keys[a] & new_keys]
    by_word = [a for a in old if keys[a] & new_keys or _joins(keys[a], new_lone, new_full_words)]
    print(f"store: {args.store}: {len(order)} articles; newest {count} name {len(new_keys)} keys")
    print("| older articles that name ... | articles | share |")
    print("| --- | --- | --- |")
    print(f"| one of their keys | {len(by_key)} | {len(by_key) / len(old):.0%} |")
    label = "that, or a lone word joining a full name"
    print(f"| {label} | {len(by_word)} | {len(by_word) / len(old):.0%} |")


if __name__ == "__main__":
    main()
