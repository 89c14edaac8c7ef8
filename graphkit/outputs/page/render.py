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
  ``top`` entities by a centrality measure and says so on the page, lays the
  graph out in Python, community by community (``layout.py``), and above
  ``physics_limit`` entities turns vis.js physics off, so the page is usable
  at once; the script then moves the few largest labels that still collide;
- carries every entity of ``G`` for search (drawn or not: a hit off the page
  gives the command for its own page), every tie of each drawn entity, and
  evidence sentences up to a budget per page, with the exact command that
  lists the rest (``graphkit evidence``, ``graphkit mentions``).

A notebook user who wants pyvis's own API gets a ``pyvis.network.Network`` of
the same picture from :func:`graphkit.outputs.page.to_pyvis`.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
import secrets
import shlex
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path

import networkx as nx

from graphkit.errors import GraphkitError
from graphkit.graph import find_node
from graphkit.graph.lookup import node_name as _name
from graphkit.graph.measures import centrality, measure_label
from graphkit.graph.paths import times_seen
from graphkit.graph.settings import MEASURES
from graphkit.outputs.markup import safe_url
from graphkit.outputs.page.layout import community_layout
from graphkit.outputs.page.live import live_meta, write_live_marker
from graphkit.writing import write_output

VIS_DIR = ("lib", "vis-9.1.2")
DEFAULT_TOP = 300
PHYSICS_LIMIT = 200
MAX_EDGES = 5000
EVIDENCE_BUDGET = 2_000_000
"""Characters of evidence sentences one page carries (about 2 MB; see :func:`render_page`)."""
NODE_SIZES = (6, 40)
"""Smallest and largest dot radius (the page script's vis.js ``scaling``; pyvis's too)."""
EDGE_WIDTHS = (1, 8)
PAGE_EVIDENCE = 20
"""Sentences per tie the ``page`` command loads with the graph (the budget decides how many
go in). More would hold most of a large store's evidence in memory for a few strong ties;
beyond these, the panel gives the command that lists them all."""
SIZE_MEASURES = (*MEASURES, "mentions", "articles")
COLOUR_BY = ("type", "community")
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
    generation = secrets.token_hex(8) if live else None
    live_info = live_meta(Path(path), generation) if live else None
    text, summary = _render(G, live=live_info, **options)
    data = text.encode("utf-8", errors="replace")
    write_output(path, data)
    if generation is not None:
        write_live_marker(Path(path), generation)
    return replace(summary, path=Path(path), bytes=len(data))


def render_page(G: nx.Graph, **options) -> str:
    """The HTML of an interactive page of ``G``: one file that needs nothing else.

    The options are :func:`page_data`'s, described here.

    Parameters
    ----------
    G : networkx.Graph
        A graphkit graph; it is only read.
    title : str, optional
        Heading and window title (escaped like all other text); by default
        the name of ``focus``, else "graphkit".
    size_by : str
        Node size: a measure of :data:`graphkit.graph.MEASURES`, ``mentions`` or ``articles``.
    color_by : str
        ``type``, or ``community``: the nodes' ``community`` attribute when every
        shown node has one, else seeded weighted Louvain on the entities shown.
    top : int or None
        Show at most this many entities, the highest by ``top_by``
        (``None``: all). The page says when it shows fewer than it could.
    focus : str, optional
        An entity (key, name or alias; see :func:`graphkit.graph.find_node`):
        show only entities within ``depth`` co-mentions of it.
    depth : int
        Steps from ``focus``.
    top_by : str
        Ranking behind ``top``, from the same list as ``size_by``.
    max_edges : int or None
        Keep at most this many ties among the entities shown, the strongest.
    evidence_budget : int
        Characters of evidence sentences the page carries in all. Each
        entity's panel lists all its ties in ``G``; the sentences of those
        ties (as many as ``G``'s edges carry) are shared out round by round,
        strongest tie first: every tie's first sentence, then every tie's
        second, and so on until the budget is spent. The panel says how many
        sentences a tie has beyond those, and the command that lists them all.
    command : str
        How the page writes graphkit commands (program and global options,
        e.g. ``graphkit --db bbc.db``), for the drill-down hints.
    command_filters : str
        Options those commands repeat to read the same articles (already
        shell-quoted, e.g. ``--since 2005-01``); see :func:`command_options`.
    graph_filters : str
        Options only the suggested ``graphkit page`` commands repeat, to draw
        the same graph (``--exclude``, ``--lists``); see :func:`command_options`.
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
    return _render(G, **options)[0]


def command_options(period: dict) -> tuple[str, str]:
    """The options the page's suggested commands repeat, so they show what the page shows.

    ``period`` holds what a reading command was given (``since``, ``until``,
    ``dated_only``, ``where``, ``exclude``, ``lists``, as
    :func:`graphkit.load_graph` takes them). Returns two shell-quoted option
    strings: the article selection (``--since``, ``--until``,
    ``--dated-only``, ``--where``), repeated by every suggested command, and
    the graph options (``--exclude``, ``--lists``), repeated by ``graphkit
    page`` only: an entity's mentions and a tie's sentences are the same
    whoever else is left out of the graph.
    """
    selection = [f"--{k} {shlex.quote(period[k])}" for k in ("since", "until") if period.get(k)]
    selection += ["--dated-only"] if period.get("dated_only") else []
    selection += [f"--where {shlex.quote(w)}" for w in period.get("where") or ()]
    drawing = [f"--exclude {shlex.quote(name)}" for name in period.get("exclude") or ()]
    drawing += ["--lists"] if period.get("lists") else []
    return " ".join(selection), " ".join(drawing)


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
    title: str | None = None,
    size_by: str = "pagerank",
    color_by: str = "type",
    top: int | None = DEFAULT_TOP,
    focus: str | None = None,
    depth: int = 1,
    top_by: str = "pagerank",
    max_edges: int | None = MAX_EDGES,
    evidence_budget: int = EVIDENCE_BUDGET,
    command: str = "graphkit",
    command_filters: str = "",
    graph_filters: str = "",
    physics_limit: int = PHYSICS_LIMIT,
    seed: int = 0,
) -> tuple[dict, PageSummary]:
    """The data the page script draws (JSON-ready) and its :class:`PageSummary`.

    ``nodes`` are the entities drawn; ``others`` every other entity of ``G``
    (name, type, mentions, aliases; most mentioned first), so that search
    knows the whole store and ties to entities not drawn can be listed;
    ``ties`` every tie of a drawn entity (weight, articles, sentences in all,
    the sentences carried); ``edges`` the ties drawn, as indexes into ``ties``.
    """
    size_by, top_by = _measure(size_by, "--size-by"), _measure(top_by, "--top-by")
    color_by = _choice(color_by, COLOUR_BY, "--color-by")
    _check_counts(top=top, max_edges=max_edges, depth=depth, evidence_budget=evidence_budget)
    values = _measures(G, {size_by, top_by})
    focus_key = find_node(G, focus) if focus is not None else None
    candidates, kept = _choose(G, values[top_by], focus_key, depth, top)
    index = {node: i for i, node in enumerate(kept)}
    drawn = _ties(G, kept, index)
    shown = drawn if max_edges is None else drawn[:max_edges]
    physics = len(kept) <= physics_limit
    found = _communities(G, kept, shown, seed)
    positions = community_layout(len(kept), shown, found, seed)
    groups, group_of = _groups(G, kept, found, color_by)
    others = _others(G, index)
    refs = {**index, **{n: -1 - j for j, n in enumerate(others)}}
    articles: dict = {}
    tie_of, ties = _tie_table(G, _all_ties(G, kept), evidence_budget, articles)
    nodes = [
        {
            **_node_record(G, node),
            "value": values[size_by][node],
            "group": group_of[i],
            "x": positions[i][0],
            "y": positions[i][1],
            "ties": sorted(
                ([refs[other], tie_of[frozenset((node, other))]] for other in G.adj[node]),
                key=lambda item: item[1],
            ),
        }
        for i, node in enumerate(kept)
    ]
    edges = [[a, b, tie_of[frozenset((kept[a], kept[b]))]] for a, b, _ in shown]
    focus_name = _name(G, focus_key) if focus_key is not None else None
    notice = _notice(len(kept), len(candidates), len(shown), len(drawn), top_by, focus_name, depth)
    if title is None:
        title = focus_name if focus_name is not None else "graphkit"
    meta = {
        "title": str(title),
        "notice": notice,
        "sizeBy": measure_label(size_by),
        "colorBy": color_by,
        "groups": groups,
        "physics": physics,
        "nodeSizes": NODE_SIZES,
        "edgeWidths": EDGE_WIDTHS,
        "focus": index.get(focus_key) if focus_key is not None else None,
        "entities": len(G),
        "about": _about(G.graph),
        "command": str(command),
        "filters": str(command_filters),
        "graphFilters": str(graph_filters),
    }
    data = {
        "meta": meta,
        "articles": [record[1:] for record in articles.values()],
        "nodes": nodes,
        "edges": edges,
        "ties": ties,
        "others": [_other(G, node) for node in others],
    }
    summary = PageSummary(
        entities=len(kept),
        total=len(candidates),
        ties=len(shown),
        total_ties=len(drawn),
        size_by=size_by,
        color_by=color_by,
        top_by=top_by,
        focus=str(focus_key) if focus_key is not None else None,
        physics=physics,
        notice=notice,
    )
    return data, summary


def _check_counts(*, top, max_edges, depth, evidence_budget) -> None:
    """The page's counts are in range, or an error naming the option."""
    for value, option in ((top, "--top"), (max_edges, "max_edges")):
        if value is not None and value < 1:
            raise GraphkitError(f"{option} must be at least 1, not {value}")
    if depth < 0:
        raise GraphkitError(f"--depth must be 0 or more, not {depth}")
    if evidence_budget < 0:
        raise GraphkitError(f"evidence_budget must be 0 or more, not {evidence_budget}")


def _tie_table(G: nx.Graph, pairs: list, budget: int, articles: dict) -> tuple[dict, list]:
    """Each tie's row (weight, articles, sentences, the evidence carried) and its index.

    The evidence of all ties shares ``budget``; the articles it quotes are
    collected in ``articles`` (each once).
    """
    carried = _share_evidence([G.edges[pair].get("evidence") or () for pair in pairs], budget)
    tie_of, ties = {}, []
    for pair, count in zip(pairs, carried, strict=True):
        attrs = G.edges[pair]
        tie_of[frozenset(pair)] = len(ties)
        ties.append(
            [
                attrs.get("weight", 1),
                attrs.get("articles", 0),
                _sentence_count(attrs),
                [_evidence(record, articles) for record in (attrs.get("evidence") or ())[:count]],
            ]
        )
    return tie_of, ties


def _node_record(G: nx.Graph, node) -> dict:
    """What the panel shows of a drawn entity (the drawing adds size, group and place)."""
    attrs = G.nodes[node]
    return {
        "key": str(node),
        "name": _name(G, node),
        "type": str(attrs.get("type") or ""),
        "aliases": [str(a) for a in attrs.get("aliases", ())],
        "mentions": attrs.get("mentions", 0),
        "articles": attrs.get("articles", 0),
        "first": attrs.get("first_date"),
        "last": attrs.get("last_date"),
        "degree": G.degree(node),
    }


def _others(G: nx.Graph, index: dict) -> list:
    """The entities of ``G`` not drawn, most mentioned first (the search's tail)."""
    rest = [node for node in G if node not in index]
    rest.sort(key=lambda n: (-_finite(G.nodes[n].get("mentions", 0)), _name(G, n), str(n)))
    return rest


def _other(G: nx.Graph, node) -> list:
    """[name, type, mentions, aliases other than the name]: compact, for search and ties."""
    attrs = G.nodes[node]
    name = _name(G, node)
    aliases = [str(a) for a in attrs.get("aliases", ()) if str(a) != name]
    return [name, str(attrs.get("type") or ""), _finite(attrs.get("mentions", 0)), aliases]


def _all_ties(G: nx.Graph, kept: list) -> list[tuple]:
    """Every tie in ``G`` of a drawn entity, drawn or not, strongest first."""
    seen: set = set()
    pairs = []
    for node in kept:
        for other in G.adj[node]:
            key = frozenset((node, other))
            if key not in seen:
                seen.add(key)
                pairs.append((node, other))

    def strength(pair):
        attrs = G.edges[pair]
        names = sorted((_name(G, pair[0]), _name(G, pair[1])))
        return (-_finite(attrs.get("weight", 1)), -_finite(attrs.get("articles", 0)), names)

    pairs.sort(key=strength)
    return pairs


def _sentence_count(attrs: dict) -> int:
    """How many sentences stand behind a tie: its raw co-mentions, one per sentence."""
    return int(times_seen(attrs))


def _share_evidence(available: list, budget: int) -> list[int]:
    """How many of each tie's sentences the page carries within ``budget`` characters.

    Round by round, strongest tie first: every tie's first sentence, then
    every tie's second, and so on; it stops at the first sentence that does
    not fit, so no tie gets a sentence more while a stronger one waits.
    """
    carried = [0] * len(available)
    spent = 0
    for step in range(max((len(records) for records in available), default=0)):
        for t, records in enumerate(available):
            if len(records) > step:
                spent += len(str(records[step].get("sentence", "")))
                if spent > budget:
                    return carried
                carried[t] += 1
    return carried


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


def _evidence(record: dict, articles: dict) -> list:
    """[article index, sentence], adding the article to the shared table once."""
    article_id = str(record.get("article_id", ""))
    if article_id not in articles:
        articles[article_id] = [
            len(articles),
            str(record.get("title") or ""),
            record.get("date"),
            safe_url(record.get("url")),
        ]
    return [articles[article_id][0], str(record.get("sentence", ""))]


def _groups(G, kept, found, color_by: str) -> tuple[list[dict], list[int]]:
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
    found = sorted(found, key=lambda members: (-len(members), min(members)))
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
    """Where the graph came from, from ``G.graph``: articles, window, period, what was left out."""
    parts = []
    if isinstance(info.get("articles"), int):
        parts.append(f"Built from {info['articles']:,} articles.")
    if info.get("window") in ("sentence", "paragraph", "article"):
        parts.append(f"Ties are co-mentions in the same {info['window']}.")
    if info.get("since") or info.get("until"):
        parts.append(f"Period: {info.get('since') or '…'} to {info.get('until') or '…'}.")
    if info.get("where"):
        parts.append(f"Articles where {info['where']}.")
    if info.get("lists"):
        rule = str(info["lists"])
        parts.append(f"{rule[:1].upper()}{rule[1:]} ({info.get('list_ties', 0):,} ties).")
    if info.get("excluded"):
        parts.append(f"Left out: {info['excluded']}.")
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
        text = f"showing {shown:,} of {total:,} entities{where}, by {measure_label(top_by)}"
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
