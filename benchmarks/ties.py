"""What the tie weights, attributions, list rule and publishers change: rankings and paths.

For the store given (build it first, e.g. ``graphkit --db bbc.db build
../shared/data/news/bbc.jsonl``): the publishers the store finds; the top
``--top`` entities by degree, weighted degree and PageRank; how many of the
top 60 are people named in a list sentence (one naming ``--list-size`` or
more entities) and how many are named with others only in lists (sentences
naming more than :data:`graphkit.graph.LIST_SIZE` entities); the entities
whose name starts with ``--publisher`` and their degree; and how many
strongest paths between ``--pairs`` random pairs of the 200 most central
people run through one of them. ``--lists`` and ``--keep-publishers`` read
the graph without the list rule or without leaving publishers out, to
compare on one store. Figures are printed, never asserted.

Usage: ``python benchmarks/ties.py STORE [--publisher BBC] [--top 20] [--lists]``.
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
    parser.add_argument("--lists", action="store_true", help="keep list-only ties")
    parser.add_argument("--keep-publishers", action="store_true", help="and every exclusion")
    args = parser.parse_args()
    G = graphkit.load_graph(
        args.store, lists=args.lists, stored_exclusions=not args.keep_publishers
    )
    print(f"{args.store}: {len(G)} entities, {G.number_of_edges()} ties")
    print(f"list ties left out: {G.graph.get('list_ties', 0)}")
    with graphkit.open_store(args.store) as store:
        found = store.publishers()
    print(
        "publishers found:", "; ".join(f"{p['name']} {p['sources']}/{p['articles']}" for p in found)
    )
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
        sizes = (
            "SELECT article_id, sentence, COUNT(DISTINCT entity) AS n FROM mentions"
            " WHERE entity IS NOT NULL AND attribution IS NULL GROUP BY article_id, sentence"
        )
        only_lists = {
            key
            for (key,) in con.execute(
                f"SELECT m.entity FROM mentions m JOIN ({sizes}) s"
                " ON s.article_id = m.article_id AND s.sentence = m.sentence"
                " WHERE s.n >= 2 GROUP BY m.entity HAVING MIN(s.n) > ?",
                (graph.LIST_SIZE,),
            )
        }
    for measure in measures:
        rows = sorted(report.rows, key=lambda r: -r[measure])
        people = [r["key"] for r in rows[:60] if r["type"] == "PERSON"]
        in_lists = sum(key in listed for key in people)
        only = sum(key in only_lists for key in people)
        print(
            f"\ntop {args.top} by {measure} ({in_lists} of the top 60 are people on lists,"
            f" {only} named with others only in lists)"
        )
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
        hub = [n for n in path[1:-1] if n in hubs]
        through += bool(hub)
        if hub:
            print("  through:", " → ".join(G.nodes[n]["name"] for n in path))
    print(
        f"strongest paths between {args.pairs} random pairs of the top 200 people:"
        f" {connected} connected, {through} through a {args.publisher} entity"
    )


if __name__ == "__main__":
    main()
