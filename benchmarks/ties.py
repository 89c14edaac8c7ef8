"""What the tie weights, attributions and exclusions change: rankings and paths of a built store.

For the store given (build it first, e.g. ``graphkit --db bbc.db build
../shared/data/news/bbc.jsonl``): the top ``--top`` entities by degree,
weighted degree and PageRank; how many of the top 60 are people named in a
list sentence (one naming ``--list-size`` or more entities); the entities
whose name starts with ``--publisher`` and their degree; and how many
strongest paths between ``--pairs`` random pairs of the 200 most central
people run through one of them. Run it on a store built before and after a
change to compare. Figures are printed, never asserted.

Usage: ``python benchmarks/ties.py STORE [--publisher BBC] [--top 20]``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3

import networkx as nx

import graphkit
from graphkit import graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--publisher", default="BBC")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--list-size", type=int, default=10)
    parser.add_argument("--pairs", type=int, default=300)
    args = parser.parse_args()
    G = graphkit.load_graph(args.store)
    print(f"{args.store}: {len(G)} entities, {G.number_of_edges()} ties")
    measures = ("degree", "weighted_degree", "pagerank")
    report = graph.centrality(G, measures=measures, sort_by="degree")
    with sqlite3.connect(args.store) as con:
        listed = {
            key
            for (key,) in con.execute(
                "SELECT DISTINCT m.entity FROM mentions m JOIN (SELECT article_id, sentence"
                " FROM mentions WHERE entity IS NOT NULL GROUP BY article_id, sentence"
                " HAVING COUNT(DISTINCT entity) >= ?) l"
                " ON l.article_id = m.article_id AND l.sentence = m.sentence",
                (args.list_size,),
            )
        }
    for measure in measures:
        rows = sorted(report.rows, key=lambda r: -r[measure])
        in_lists = sum(r["key"] in listed and r["type"] == "PERSON" for r in rows[:60])
        print(f"\ntop {args.top} by {measure} ({in_lists} of the top 60 are people on lists)")
        for rank, row in enumerate(rows[: args.top], 1):
            label = f"{row['name']} ({row['type']}, {row['articles']} art.)"
            print(f"{rank:3d}. {label} {row[measure]:.4g}")
    hubs = [n for n in G if G.nodes[n]["name"].upper().startswith(args.publisher.upper())]
    biggest = sorted(hubs, key=G.degree, reverse=True)[:5]
    print(f"\n{args.publisher} entities: {len(hubs)}; most tied: ", end="")
    print(", ".join(f"{G.nodes[n]['name']} {G.degree(n)}" for n in biggest))
    ranked = sorted(report.rows, key=lambda r: -r["pagerank"])
    people = [r["key"] for r in ranked if r["type"] == "PERSON"][:200]
    rng = random.Random(0)
    connected = through = 0
    for _ in range(args.pairs):
        source, target = rng.sample(people, 2)
        try:
            path = nx.shortest_path(G, source, target, weight=lambda u, v, d: 1 / d["weight"])
        except nx.NetworkXNoPath:
            continue
        connected += 1
        through += any(n in hubs for n in path[1:-1])
    print(
        f"strongest paths between {args.pairs} random pairs of the top 200 people:"
        f" {connected} connected, {through} through a {args.publisher} entity"
    )


if __name__ == "__main__":
    main()
