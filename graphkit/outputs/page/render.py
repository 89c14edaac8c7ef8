"""Interactive graph pages: one self-contained, offline, injection-safe HTML file.

pyvis 0.3.2 is not used to write the page, only for the vis-network build
it ships. Its template loads Bootstrap from a CDN in every mode (and
vis-network itself from cdnjs in ``"local"`` mode), switches every tooltip
to ``innerHTML`` as soon as one contains the text ``href``, leaves the
heading unescaped, and its ``from_nx`` is quadratic and changes the graph it
is given. graphkit's page instead:

- inlines vis-network's JS and CSS, read from the installed pyvis package,
  and sets a Content-Security-Policy that forbids any outside request;
- carries the graph as JSON in a ``<script type="application/json">`` block
  with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and builds every piece
  of untrusted text into the page with ``textContent`` (the page script is
  ``page.js`` beside this module); links go only to http(s) article URLs;
- is built straight from ``G`` (read, never changed) in linear time, keeps the
  ``top`` entities by a centrality measure and says so on the page, and above
  ``physics_limit`` entities lays the graph out in Python (igraph's
  Fruchterman-Reingold) and turns vis.js physics off, so the page is usable at
  once.
"""

from __future__ import annotations

import functools
import heapq
import html
import json
import math
import os
import random
import re
import secrets
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path

import igraph as ig
import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.graph import find_node
from graphkit.graph.measures import MEASURES, centrality
from graphkit.outputs.page.live import live_meta, write_live_marker

VIS_DIR = ("lib", "vis-9.1.2")
DEFAULT_TOP = 300
PHYSICS_LIMIT = 200
MAX_EDGES = 5000
NEIGHBOURS = 8
SIZE_MEASURES = (*MEASURES, "mentions", "articles")
COLOUR_BY = ("type", "community")
MEASURE_LABELS = {
    "degree": "degree",
    "weighted_degree": "weighted degree",
    "pagerank": "PageRank",
    "eigenvector": "eigenvector centrality",
    "betweenness": "betweenness",
    "closeness": "closeness",
    "mentions": "mentions",
    "articles": "articles",
}
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1")
PALETTE += ("#ff9da7", "#9c755f")
TYPE_COLOURS = {"PERSON": "#4e79a7", "ORG": "#f28e2b", "GPE": "#59a14f", "NORP": "#e15759"}
OTHER_COLOUR = "#bab0ac"
_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


@dataclass(frozen=True)
class PageSummary:
    """What a page shows: ``entities`` of ``total`` candidates, ``ties`` of ``total_ties``.

    ``total`` counts the entities the page could have shown (the whole graph,
    or those within ``depth`` of ``focus``); ``notice`` is the line the page
    prints about it. ``physics`` is False when the layout was computed in
    Python. ``path`` and ``bytes`` describe the file written (``None``/0 for
    :func:`render_page`).
    """

    entities: int
    total: int
    ties: int
    total_ties: int
    size_by: str
    color_by: str
    top_by: str
    focus: str | None
    physics: bool
    notice: str
    path: Path | None = None
    bytes: int = 0


def write_page(G: nx.Graph, path, *, live: bool = False, **options) -> PageSummary:
    """Write an interactive page of ``G`` to ``path`` (atomically) and say what it shows.

    Parameters
    ----------
    G : networkx.Graph
        A graphkit graph (see :mod:`graphkit.graph`); it is not changed.
    path : str or Path
        The HTML file to write; its folder is created when missing.
    live : bool
        Make the page reload itself, when open, each time it is written again
        (for ``graphkit watch``): see :mod:`graphkit.outputs.page.live`.
    **options
        As for :func:`render_page`.

    Returns
    -------
    PageSummary
    """
    path = Path(path)
    generation = secrets.token_hex(8) if live else None
    text, summary = _render(G, live=live_meta(path, generation) if live else None, **options)
    data = text.encode("utf-8", errors="replace")
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except OSError as err:
        if temp.exists():
            temp.unlink()
        raise GraphkitError(f"cannot write the page {str(path)!r}: {err.strerror}") from err
    if generation is not None:
        write_live_marker(path, generation)
    return replace(summary, path=path, bytes=len(data))


def render_page(
    G: nx.Graph,
    *,
    title: str = "graphkit",
    size_by: str = "pagerank",
    color_by: str = "type",
    top: int | None = DEFAULT_TOP,
    focus: str | None = None,
    depth: int = 1,
    measure_for_top: str = "pagerank",
    max_edges: int | None = MAX_EDGES,
    neighbours: int = NEIGHBOURS,
    physics_limit: int = PHYSICS_LIMIT,
    seed: int = 0,
) -> str:
    """The HTML of an interactive page of ``G``: one file that needs nothing else.

    Parameters
    ----------
    G : networkx.Graph
        A graphkit graph; it is only read.
    title : str
        Heading and window title (escaped like all other text).
    size_by : str
        Node size: a measure of :data:`graphkit.graph.MEASURES`, ``mentions`` or ``articles``.
    color_by : str
        ``type``, or ``community``: the nodes' ``community`` attribute when every
        shown node has one, else seeded weighted Louvain on the entities shown.
    top : int or None
        Show at most this many entities, the highest by ``measure_for_top``
        (``None``: all). The page says when it shows fewer than it could.
    focus : str, optional
        An entity (key, name or alias; see :func:`graphkit.graph.find_node`):
        show only entities within ``depth`` co-mentions of it.
    depth : int
        Steps from ``focus``.
    measure_for_top : str
        Ranking behind ``top``, from the same list as ``size_by``.
    max_edges : int or None
        Keep at most this many ties among the entities shown, the strongest.
    neighbours : int
        Strongest neighbours (in all of ``G``) listed in each entity's panel.
    physics_limit : int
        Above this many entities the layout is computed here and physics is off.
    seed : int
        Seed of the layout and of Louvain.

    Returns
    -------
    str

    Raises
    ------
    UnknownEntityError
        ``focus`` names no entity.
    GraphkitError
        An option has a value outside those listed.
    """
    text, _ = _render(
        G,
        title=title,
        size_by=size_by,
        color_by=color_by,
        top=top,
        focus=focus,
        depth=depth,
        measure_for_top=measure_for_top,
        max_edges=max_edges,
        neighbours=neighbours,
        physics_limit=physics_limit,
        seed=seed,
    )
    return text


def script_json(value) -> str:
    """JSON safe to place inside ``<script type="application/json">``: no ``</script>``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_JSON_ESCAPES)


def _render(G, live: dict | None = None, **options) -> tuple[str, PageSummary]:
    data, summary = page_data(G, **options)
    assets = _assets()
    if live is not None:
        data["meta"]["live"] = live
    values = {
        "title": html.escape(data["meta"]["title"]),
        "nonce": secrets.token_urlsafe(18),
        "vis_css": assets["vis_css"],
        "page_css": assets["page_css"],
        "vis_js": assets["vis_js"],
        "page_js": assets["page_js"] + (assets["live_js"] if live is not None else ""),
        "data": script_json(data),
    }
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], assets["page_html"]), summary


def page_data(
    G: nx.Graph,
    *,
    title: str = "graphkit",
    size_by: str = "pagerank",
    color_by: str = "type",
    top: int | None = DEFAULT_TOP,
    focus: str | None = None,
    depth: int = 1,
    measure_for_top: str = "pagerank",
    max_edges: int | None = MAX_EDGES,
    neighbours: int = NEIGHBOURS,
    physics_limit: int = PHYSICS_LIMIT,
    seed: int = 0,
) -> tuple[dict, PageSummary]:
    """The data the page script draws (JSON-ready) and its :class:`PageSummary`."""
    size_by, top_by = _measure(size_by, "--size-by"), _measure(measure_for_top, "--top-by")
    color_by = _choice(color_by, COLOUR_BY, "--color-by")
    for value, option in ((top, "--top"), (max_edges, "max_edges")):
        if value is not None and value < 1:
            raise GraphkitError(f"{option} must be at least 1, not {value}")
    if depth < 0:
        raise GraphkitError(f"--depth must be 0 or more, not {depth}")
    values = _measures(G, {size_by, top_by})
    focus_key = find_node(G, focus) if focus is not None else None
    candidates, kept = _choose(G, values[top_by], focus_key, depth, top)
    index = {node: i for i, node in enumerate(kept)}
    all_ties = _ties(G, kept, index)
    ties = all_ties if max_edges is None else all_ties[:max_edges]
    physics = len(kept) <= physics_limit
    positions = _layout(len(kept), ties, seed)
    groups, group_of = _groups(G, kept, ties, color_by, seed)
    articles: dict = {}
    nodes = []
    for i, node in enumerate(kept):
        attrs = G.nodes[node]
        nodes.append(
            {
                "key": str(node),
                "name": _name(G, node),
                "type": str(attrs.get("type") or ""),
                "aliases": [str(a) for a in attrs.get("aliases", ())],
                "mentions": attrs.get("mentions", 0),
                "articles": attrs.get("articles", 0),
                "first": attrs.get("first_date"),
                "last": attrs.get("last_date"),
                "degree": G.degree(node),
                "value": values[size_by][node],
                "group": group_of[i],
                "x": positions[i][0],
                "y": positions[i][1],
                "neighbours": _neighbours(G, node, index, articles, neighbours),
            }
        )
    edges = []
    for a, b, weight in ties:
        attrs = G.edges[kept[a], kept[b]]
        evidence = [_evidence(record, articles) for record in attrs.get("evidence", ())]
        edges.append([a, b, weight, attrs.get("articles", 0), evidence])
    focus_name = _name(G, focus_key) if focus_key is not None else None
    notice = _notice(
        len(kept), len(candidates), len(ties), len(all_ties), top_by, focus_name, depth
    )
    meta = {
        "title": str(title),
        "notice": notice,
        "sizeBy": MEASURE_LABELS[size_by],
        "colorBy": color_by,
        "groups": groups,
        "physics": physics,
        "focus": index.get(focus_key) if focus_key is not None else None,
        "entities": len(G),
        "about": _about(G.graph),
    }
    table = [record[1:] for record in articles.values()]
    data = {"meta": meta, "articles": table, "nodes": nodes, "edges": edges}
    summary = PageSummary(
        entities=len(kept),
        total=len(candidates),
        ties=len(ties),
        total_ties=len(all_ties),
        size_by=size_by,
        color_by=color_by,
        top_by=top_by,
        focus=str(focus_key) if focus_key is not None else None,
        physics=physics,
        notice=notice,
    )
    return data, summary


def _choose(G, rank: dict, focus_key, depth: int, top: int | None) -> tuple[list, list]:
    """The candidate entities (all, or near ``focus_key``) and the ``top`` of them kept."""
    if focus_key is None:
        candidates = list(G)
    else:
        candidates = list(nx.single_source_shortest_path_length(G, focus_key, cutoff=depth))
    order = sorted(candidates, key=lambda n: (n != focus_key, -rank[n], _name(G, n), str(n)))
    return candidates, (order if top is None else order[:top])


def _ties(G, kept: list, index: dict) -> list[tuple[int, int, int]]:
    """Ties among the kept entities as (index, index, weight), strongest first."""
    ties = [
        (i, index[other], attrs.get("weight", 1))
        for i, node in enumerate(kept)
        for other, attrs in G.adj[node].items()
        if index.get(other, -1) > i
    ]
    ties.sort(key=lambda t: (-t[2], t[0], t[1]))
    return ties


def _measure(name: str, option: str) -> str:
    return _choice(str(name).strip().lower().replace("-", "_"), SIZE_MEASURES, option)


def _choice(value: str, allowed, option: str) -> str:
    if value not in allowed:
        raise GraphkitError(f"unknown {option} {value!r}; choose from {', '.join(allowed)}")
    return value


def _measures(G: nx.Graph, names) -> dict[str, dict]:
    """Each measure asked for, as node → finite number."""
    out = {}
    computed = [m for m in MEASURES if m in names]
    if computed and len(G):
        report = centrality(G, measures=computed)
        for m in computed:
            out[m] = {row["key"]: _finite(row[m]) for row in report.rows}
    for m in names:
        if m not in out:
            out[m] = {n: _finite(G.nodes[n].get(m, 0)) for n in G}
    return out


def _finite(value) -> float | int:
    if isinstance(value, int):
        return value
    value = float(value or 0)
    return value if math.isfinite(value) else 0


def _name(G: nx.Graph, node) -> str:
    return str(G.nodes[node].get("name") or node)


def _neighbours(G, node, index, articles, limit) -> list:
    """The ``limit`` strongest ties of ``node`` in ``G``: [page index or -1, name, type, ...]."""
    adjacent = G.adj[node].items()
    strongest = heapq.nlargest(limit, adjacent, key=lambda item: item[1].get("weight", 1))
    out = []
    for other, attrs in strongest:
        evidence = attrs.get("evidence") or ()
        out.append(
            [
                index.get(other, -1),
                _name(G, other),
                str(G.nodes[other].get("type") or ""),
                attrs.get("weight", 1),
                attrs.get("articles", 0),
                _evidence(evidence[0], articles) if evidence else None,
            ]
        )
    return out


def _evidence(record: dict, articles: dict) -> list:
    """[article index, sentence], adding the article to the shared table once."""
    article_id = str(record.get("article_id", ""))
    if article_id not in articles:
        url = record.get("url")
        url = url.strip() if isinstance(url, str) else ""
        articles[article_id] = [
            len(articles),
            str(record.get("title") or ""),
            record.get("date"),
            url if url.lower().startswith(("http://", "https://")) else None,
        ]
    return [articles[article_id][0], str(record.get("sentence", ""))]


def _layout(n: int, ties, seed: int) -> list[tuple[float, float]]:
    """Seeded Fruchterman-Reingold positions (igraph), scaled to vis.js pixels.

    igraph draws random numbers from Python's ``random`` module; a private,
    seeded generator is swapped in for the call and the default put back.
    """
    if n == 0:
        return []
    H = ig.Graph(n=n, edges=[(a, b) for a, b, _ in ties])
    weights = [1 + math.log(max(w, 1)) for _, _, w in ties] or None
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = H.layout_fruchterman_reingold(weights=weights, niter=500, grid=n > 500).coords
    finally:
        ig.set_random_number_generator(random)
    cx = sum(x for x, _ in coords) / n
    cy = sum(y for _, y in coords) / n
    radii = sorted(math.hypot(x - cx, y - cy) for x, y in coords)
    spread = math.sqrt(sum(r * r for r in radii) / n) or 1.0
    scale = 45 * math.sqrt(n) / spread
    # FR pushes entities without a shown tie far out; bring them to the cloud's edge.
    limit = radii[int(0.97 * (n - 1))] * 1.08 or 1.0
    out = []
    for x, y in coords:
        dx, dy = x - cx, y - cy
        shrink = min(1.0, limit / (math.hypot(dx, dy) or 1.0)) * scale
        out.append((round(dx * shrink, 1), round(dy * shrink, 1)))
    return out


def _groups(G, kept, ties, color_by: str, seed: int) -> tuple[list[dict], list[int]]:
    """Legend entries (label, colour, count) and each shown node's entry."""
    if color_by == "type":
        labels = [str(G.nodes[n].get("type") or "unknown") for n in kept]
        counts: dict[str, int] = {}
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
        known = list(TYPE_COLOURS)
        order = sorted(counts, key=lambda t: (known.index(t) if t in known else 99, -counts[t], t))
        spare = iter([c for c in PALETTE if c not in TYPE_COLOURS.values()])
        colours = {t: TYPE_COLOURS.get(t) or next(spare, OTHER_COLOUR) for t in order}
        position = {t: i for i, t in enumerate(order)}
        groups = [{"label": t, "colour": colours[t], "count": counts[t]} for t in order]
        return groups, [position[label] for label in labels]
    found = _communities(G, kept, ties, seed)
    found.sort(key=lambda members: (-len(members), min(members)))
    groups, group_of = [], [0] * len(kept)
    for number, members in enumerate(found[: len(PALETTE)], 1):
        head = kept[min(members)]
        label = f"{number}: {_name(G, head)} …"
        groups.append({"label": label, "colour": PALETTE[number - 1], "count": len(members)})
        for i in members:
            group_of[i] = number - 1
    rest = found[len(PALETTE) :]
    if rest:
        size = sum(len(m) for m in rest)
        groups.append(
            {"label": f"{len(rest)} smaller communities", "colour": OTHER_COLOUR, "count": size}
        )
        for members in rest:
            for i in members:
                group_of[i] = len(groups) - 1
    return groups, group_of


def _communities(G, kept, ties, seed: int) -> list[list[int]]:
    """Communities as lists of page indexes (each led by its strongest member).

    Uses the nodes' own ``community`` ids when all shown nodes carry one
    (e.g. from :func:`graphkit.graph.annotate`), else Louvain on the ties shown.
    """
    if kept and all("community" in G.nodes[n] for n in kept):
        by_id: dict = {}
        for i, node in enumerate(kept):
            by_id.setdefault(G.nodes[node]["community"], []).append(i)
        return list(by_id.values())
    H = nx.Graph()
    H.add_nodes_from(range(len(kept)))
    H.add_weighted_edges_from(ties)
    return [sorted(c) for c in nx.community.louvain_communities(H, weight="weight", seed=seed)]


def _about(info: dict) -> str:
    """Where the graph came from, from ``G.graph``: articles, window, period, model."""
    parts = []
    if isinstance(info.get("articles"), int):
        parts.append(f"Built from {info['articles']:,} articles.")
    if info.get("window") in ("sentence", "paragraph", "article"):
        parts.append(f"Ties are co-mentions in the same {info['window']}.")
    if info.get("since") or info.get("until"):
        parts.append(f"Period: {info.get('since') or '…'} to {info.get('until') or '…'}.")
    if info.get("model"):
        parts.append(f"Model: {info['model']}.")
    return " ".join(parts)


def _notice(shown, total, ties, total_ties, top_by, focus_name, depth) -> str:
    """The status line: what the page shows and why it may be less than everything."""
    steps = "step" if depth == 1 else "steps"
    where = f" within {depth} {steps} of {focus_name}" if focus_name is not None else ""
    if shown == 0:
        text = f"no entities to show{where}"
    elif shown < total:
        text = f"showing {shown:,} of {total:,} entities{where}, by {MEASURE_LABELS[top_by]}"
    else:
        text = f"{shown:,} {'entity' if shown == 1 else 'entities'}{where}"
    text += f"; {ties:,} {'tie' if ties == 1 else 'ties'}"
    if ties < total_ties:
        text += f" (the strongest of {total_ties:,})"
    return text


@functools.cache
def _assets() -> dict[str, str]:
    """The page template and script, and vis-network's JS and CSS from the pyvis package."""
    vis = files("pyvis").joinpath(*VIS_DIR)
    own = files("graphkit.outputs.page")
    assets = {
        "vis_js": vis.joinpath("vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": vis.joinpath("vis-network.css").read_text(encoding="utf-8"),
        "page_html": own.joinpath("page.html").read_text(encoding="utf-8"),
        "page_js": own.joinpath("page.js").read_text(encoding="utf-8"),
        "live_js": own.joinpath("live.js").read_text(encoding="utf-8"),
        "page_css": own.joinpath("page.css").read_text(encoding="utf-8"),
    }
    for name in ("vis_js", "page_js", "live_js", "vis_css", "page_css"):
        if re.search(r"</(script|style)", assets[name], re.IGNORECASE):
            raise GraphkitError(f"cannot inline {name}: it contains a closing tag")
    return assets
