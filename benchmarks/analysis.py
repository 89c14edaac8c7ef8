"""Time graphkit's full centrality report beside igraph computing the same measures.

Synthetic co-occurrence-like graphs: ``networkx.powerlaw_cluster_graph(n, 5, 0.1)``
(mean degree about 10) with seeded random weights 1-20. For each size:

- exact (up to ``--exact-max`` entities): graphkit's report with all six
  measures forced exact, and igraph computing the same six measures from the
  same networkx graph (conversion included); at ``--networkx-max`` entities or
  fewer, networkx's own exact betweenness and closeness for reference;
- sampled (above graphkit's exact limit, and at 10k to check it): graphkit's
  default report, and igraph running the same pivot-sampled computations; at
  sizes that also ran exact, the Spearman correlation of the sampled and exact
  values over the top 50 entities by the exact ranking, for ``--seeds`` seeds;
- Louvain communities (networkx), which the report also needs.

Goals (issue 5): at 10k, exact within 1.5x of igraph; at 50k, the sampled
report faster than the exact one at 10k, with Spearman >= 0.9 at 10k.

Usage: ``python benchmarks/analysis.py [--sizes 1000,10000,50000] [--json out.json]``.
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

import igraph as ig
import networkx as nx
import numpy as np

from graphkit.graph import centrality, communities
from graphkit.graph.settings import EXACT_LIMIT, MEASURES, SAMPLE_SIZE


def synthetic(n: int, seed: int) -> nx.Graph:
    """A graphkit-shaped graph: power-law clusters, weights 1-20, names, types and counts."""
    G = nx.powerlaw_cluster_graph(n, 5, 0.1, seed=seed)
    G = nx.relabel_nodes(G, {i: f"e{i:06d}" for i in G})
    rng = random.Random(seed)
    for _, _, data in G.edges(data=True):
        data["weight"] = rng.randint(1, 20)
        data["articles"] = max(1, data["weight"] // 2)
    for i, (_, data) in enumerate(G.nodes(data=True)):
        data.update(name=f"Entity {i}", type="PERSON" if i % 3 else "ORG", articles=1 + i % 7)
    return G


def igraph_reference(G: nx.Graph, *, sample: int | None, seed: int) -> float:
    """Seconds for plain igraph to compute the six measures (sampled like graphkit if asked)."""
    start = time.perf_counter()
    nodes = sorted(G)
    index = {node: i for i, node in enumerate(nodes)}
    H = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
    weight = [float(w) for _, _, w in G.edges(data="weight")]
    H.es["weight"] = weight
    H.es["distance"] = [1 / w for w in weight]
    H.degree()
    H.strength(weights="weight")
    H.pagerank(weights="weight")
    H.eigenvector_centrality(weights="weight", scale=False)
    if sample is None:
        H.betweenness(weights="distance")
        H.closeness(weights="distance")
    else:
        pivots = sorted(random.Random(seed).sample(range(len(nodes)), sample))
        H.betweenness(weights="distance", sources=pivots)
        pivots = sorted(random.Random(seed).sample(range(len(nodes)), sample // 3))
        for i in range(0, len(pivots), 64):
            np.asarray(H.distances(source=pivots[i : i + 64], weights="distance")).sum(axis=0)
    return time.perf_counter() - start


def spearman(a, b) -> float:
    """Spearman rank correlation (average ranks for ties)."""

    def ranks(x):
        x = np.asarray(x, dtype=float)
        order = np.argsort(x, kind="stable")
        r = np.empty(len(x))
        r[order] = np.arange(len(x))
        _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
        return (np.bincount(inverse, weights=r) / counts)[inverse]

    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def run(n: int, args) -> dict:
    G = synthetic(n, args.seed)
    out = {"entities": n, "ties": G.number_of_edges()}
    say = lambda text: print(f"[{n:>6,}] {text}", flush=True)  # noqa: E731
    exact = None
    if n <= args.exact_max:
        exact, out["graphkit_exact_s"] = timed(
            lambda: centrality(G, measures="all", exact_limit=n, seed=args.seed)
        )
        out["igraph_exact_s"] = igraph_reference(G, sample=None, seed=args.seed)
        out["exact_ratio"] = out["graphkit_exact_s"] / out["igraph_exact_s"]
        say(
            f"exact, all measures: graphkit {out['graphkit_exact_s']:.2f} s, igraph"
            f" {out['igraph_exact_s']:.2f} s, ratio {out['exact_ratio']:.2f}"
        )
    if n <= args.networkx_max:
        D = G.copy()
        for _, _, data in D.edges(data=True):
            data["distance"] = 1 / data["weight"]
        _, out["networkx_betweenness_s"] = timed(
            lambda: nx.betweenness_centrality(D, weight="distance")
        )
        _, out["networkx_closeness_s"] = timed(
            lambda: nx.closeness_centrality(D, distance="distance")
        )
        say(
            f"networkx exact betweenness {out['networkx_betweenness_s']:.2f} s,"
            f" closeness {out['networkx_closeness_s']:.2f} s"
        )
    if n > args.exact_limit and args.k < n:
        sampled, out["graphkit_sampled_s"] = timed(
            lambda: centrality(
                G, measures="all", exact_limit=args.exact_limit, k=args.k, seed=args.seed
            )
        )
        out["igraph_sampled_s"] = igraph_reference(G, sample=args.k, seed=args.seed)
        out["sampled_ratio"] = out["graphkit_sampled_s"] / out["igraph_sampled_s"]
        say(
            f"sampled (k={args.k}, seed {args.seed}): graphkit {out['graphkit_sampled_s']:.2f} s,"
            f" igraph {out['igraph_sampled_s']:.2f} s, ratio {out['sampled_ratio']:.2f}"
        )
        if exact is not None:
            seeds = [args.seed + i for i in range(args.seeds)]
            runs = [sampled] + [
                centrality(G, measures=("betweenness", "closeness"), exact_limit=args.exact_limit,
                           k=args.k, seed=seed)
                for seed in seeds[1:]
            ]  # fmt: skip
            for measure in ("betweenness", "closeness"):
                truth = {r["key"]: r[measure] for r in exact.rows}
                top = sorted(truth, key=lambda key: -truth[key])[: args.top]
                rhos, overlaps = [], []
                for run_ in runs:
                    guess = {r["key"]: r[measure] for r in run_.rows}
                    rhos.append(spearman([truth[k] for k in top], [guess[k] for k in top]))
                    found = sorted(guess, key=lambda key: -guess[key])[: args.top]
                    overlaps.append(len(set(found) & set(top)))
                out[f"spearman_top{args.top}_{measure}"] = rhos
                out[f"overlap_top{args.top}_{measure}"] = overlaps
                say(
                    f"{measure}: Spearman over the exact top {args.top}, seeds {seeds}:"
                    f" {', '.join(f'{r:.3f}' for r in rhos)} (min {min(rhos):.3f});"
                    f" in the sampled top {args.top}: {', '.join(map(str, overlaps))}"
                )
    _, out["louvain_s"] = timed(lambda: communities(G, seed=args.seed))
    say(f"Louvain communities (networkx) {out['louvain_s']:.2f} s")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated entity counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--k", type=int, default=SAMPLE_SIZE, help="pivots when sampling")
    parser.add_argument("--exact-limit", type=int, default=EXACT_LIMIT, help="graphkit's default")
    parser.add_argument("--exact-max", type=int, default=10_000, help="largest exact run")
    parser.add_argument("--networkx-max", type=int, default=1000, help="largest networkx run")
    parser.add_argument("--top", type=int, default=50, help="entities compared by Spearman")
    parser.add_argument("--seeds", type=int, default=3, help="sampling seeds checked by Spearman")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(
        f"graphkit centrality benchmark: measures {', '.join(MEASURES)};"
        f" igraph {ig.__version__}, networkx {nx.__version__},"
        f" Python {platform.python_version()}",
        flush=True,
    )
    centrality(synthetic(50, args.seed), measures="all")  # warm up lazy imports before timing
    results = [run(n, args) for n in sizes]
    exact_10k = next((r["graphkit_exact_s"] for r in results if r["entities"] == 10_000), None)
    for r in results:
        if r["entities"] > 10_000 and exact_10k and "graphkit_sampled_s" in r:
            r["sampled_vs_exact_10k"] = r["graphkit_sampled_s"] / exact_10k
            print(
                f"[{r['entities']:>6,}] sampled report {r['graphkit_sampled_s']:.2f} s vs exact"
                f" report at 10k {exact_10k:.2f} s (x{r['sampled_vs_exact_10k']:.2f})"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
