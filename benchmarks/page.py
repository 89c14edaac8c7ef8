"""Graph pages at 1k, 5k and 20k entities: graphkit beside pyvis's own path, and in a browser.

For each size, a synthetic co-occurrence-like graph (networkx
``powerlaw_cluster_graph``, seeded, with graphkit's node and edge attributes)
is written three ways in the same run:

- graphkit ``write_page`` at the default cap (300 entities by PageRank);
- graphkit ``write_page`` with every entity (``top=None``), the like-for-like
  comparison with pyvis, which has no cap;
- pyvis 0.3.2 ``Network().from_nx(G.copy())`` + ``write_html`` (the copy
  because ``from_nx`` changes its input; the copy's time is included).

It prints the write times, their ratio, page sizes, and the time until the
default page is interactive in headless Debian chromium (navigation to
``window.graphkit.ready``). ``pagerank_s`` is the part of each graphkit time
spent ranking entities (:func:`graphkit.graph.measures.centrality`): igraph's
PRPACK PageRank is much slower when OpenMP may use several threads, so compare
runs with ``OMP_NUM_THREADS=1``. Times are informative, never asserted.

Usage: ``python benchmarks/page.py [--sizes 1000 5000 20000] [--no-browser] [--no-pyvis]``
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from graphkit.graph.measures import centrality
from graphkit.outputs.page import write_page

HERE = Path(__file__).resolve().parent
SYLLABLES = ("ka", "lo", "mi", "re", "su", "ta", "ne", "vi", "do", "ra", "len", "mar", "tin")
SYLLABLES += ("ber", "sel", "gor", "dan", "fel", "ham")
SUFFIXES = ("Group", "Bank", "Ltd")


def synthetic_graph(n: int, *, seed: int = 0, m: int = 4, p: float = 0.3) -> nx.Graph:
    """A co-occurrence-like graph of ``n`` entities with graphkit's attributes."""
    rng = random.Random(seed)
    G = nx.powerlaw_cluster_graph(n, m, p, seed=seed)
    G = nx.relabel_nodes(G, {i: f"e{i:06d}" for i in G})
    G.graph.update(window="sentence", model="synthetic", articles=n * 2)
    for node in G:
        first = "".join(rng.choice(SYLLABLES) for _ in range(2)).title()
        last = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
        kind = rng.choices(["PERSON", "ORG", "GPE"], weights=[6, 3, 1])[0]
        name = f"{first} {last}" if kind == "PERSON" else f"{last} {rng.choice(SUFFIXES)}"
        mentions = G.degree(node) * rng.randint(1, 4)
        G.nodes[node].update(
            name=name,
            type=kind,
            mentions=mentions,
            articles=max(1, mentions // 2),
            aliases=[name, last, name.upper()],
            first_date="2024-01-0" + str(rng.randint(1, 9)),
            last_date="2024-02-1" + str(rng.randint(0, 9)),
        )
    for u, v in G.edges():
        weight = 1 + int(rng.paretovariate(1.5))
        evidence = []
        for _ in range(min(weight, 3)):
            article = rng.randrange(n * 2)
            words = " ".join(rng.choice(SYLLABLES) for _ in range(22))
            evidence.append(
                {
                    "article_id": f"a{article}",
                    "title": f"Report {article}: {G.nodes[u]['name']} and partners",
                    "date": "2024-01-15",
                    "url": f"https://news.example.org/{article}",
                    "sentence": f"{G.nodes[u]['name']} met {G.nodes[v]['name']} {words}.",
                }
            )
        G.edges[u, v].update(weight=weight, articles=min(weight, 3), evidence=evidence)
    return G


def timed(function, *args, repeat: int = 1, **kwargs) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def pyvis_page(G: nx.Graph, path: Path) -> None:
    """pyvis's own path: ``from_nx`` on a copy (it mutates its input) and ``write_html``."""
    from pyvis.network import Network

    net = Network(cdn_resources="in_line")
    net.from_nx(G.copy())
    cwd = os.getcwd()
    os.chdir(path.parent)  # pyvis writes lib/ next to the working directory in some modes
    try:
        net.write_html(path.name)
    finally:
        os.chdir(cwd)


def browser_times(paths: list[Path], repeat: int = 3) -> dict[Path, float]:
    """Median seconds from navigation to ``window.graphkit.ready`` for each page."""
    script = HERE.parent / "scripts" / "screenshot.py"
    spec = importlib.util.spec_from_file_location("screenshot", script)
    screenshot = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screenshot)
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as playwright:
        browser = screenshot.launch(playwright)
        try:
            for path in paths:
                runs = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    page, blocked = screenshot.open_offline(browser, path)
                    runs.append(time.perf_counter() - start)
                    if blocked:
                        raise SystemExit(f"{path} asked for outside resources: {blocked[:3]}")
                    page.close()
                out[path] = statistics.median(runs)
        finally:
            browser.close()
    return out


def print_table(rows: list[dict]) -> None:
    """The figures, one line per size; ratios are pyvis's time over graphkit's."""
    columns = [
        ("entities", "{:,}"),
        ("ties", "{:,}"),
        ("pagerank_s", "{:.3f}"),
        ("graphkit_capped_s", "{:.3f}"),
        ("capped_mb", "{:.1f}"),
        ("graphkit_all_s", "{:.3f}"),
        ("all_mb", "{:.1f}"),
        ("pyvis_s", "{:.2f}"),
        ("pyvis_mb", "{:.1f}"),
        ("pyvis/all", "{:.1f}x"),
        ("pyvis/capped", "{:.1f}x"),
        ("ready_s", "{:.2f}"),
    ]
    for row in rows:
        if "pyvis_s" in row:
            row["pyvis/all"] = row["pyvis_s"] / row["graphkit_all_s"]
            row["pyvis/capped"] = row["pyvis_s"] / row["graphkit_capped_s"]
    table = [[name for name, _ in columns]]
    for row in rows:
        table.append([form.format(row[name]) if name in row else "-" for name, form in columns])
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    for line in table:
        print("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip time-until-interactive")
    parser.add_argument("--no-pyvis", action="store_true", help="skip pyvis's path")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for n in args.sizes:
            G = synthetic_graph(n)
            capped = folder / f"graphkit-{n}.html"
            full = folder / f"graphkit-all-{n}.html"
            t_rank, _ = timed(centrality, G, measures=("pagerank",), repeat=args.repeat)
            t_cap, summary = timed(write_page, G, capped, repeat=args.repeat)
            t_all, _ = timed(write_page, G, full, top=None, repeat=1)
            row = {
                "entities": n,
                "ties": G.number_of_edges(),
                "pagerank_s": t_rank,
                "graphkit_capped_s": t_cap,
                "capped_mb": capped.stat().st_size / 1e6,
                "graphkit_all_s": t_all,
                "all_mb": full.stat().st_size / 1e6,
                "path": capped,
                "notice": summary.notice,
            }
            if not args.no_pyvis:
                theirs = folder / f"pyvis-{n}.html"
                row["pyvis_s"], _ = timed(pyvis_page, G, theirs, repeat=1)
                row["pyvis_mb"] = theirs.stat().st_size / 1e6
            rows.append(row)
            print(f"done {n:,} entities", file=sys.stderr)
        if not args.no_browser:
            ready = browser_times([row["path"] for row in rows])
            for row in rows:
                row["ready_s"] = ready[row["path"]]
    print_table(rows)
    print("\ncapped page notice:", rows[-1]["notice"] if rows else "-")
    return 0


if __name__ == "__main__":
    sys.exit(main())
