"""The page's picture as a ``pyvis.network.Network``, for notebook users who want pyvis's API.

The CLI's page is not written with pyvis (see :mod:`graphkit.outputs.page.render`
for why), but in a notebook pyvis's own tools are handy: ``show_buttons`` to
tune physics live, ``set_options``, ``show``. :func:`to_pyvis` builds that
``Network`` from the same choices the page makes (which entities, their size,
colour and position), without ``Network.from_nx`` (which changes the graph it
is given) and with tooltips that stay plain text:

- vis-network 9 shows a string ``title`` as text, but pyvis 0.3.2 switches every
  node's tooltip to ``innerHTML`` as soon as one title contains ``href``; each
  ``href`` in a title (any case) gets an invisible WORD JOINER (U+2060), so the
  switch never happens and the text reads the same;
- the heading is left empty (pyvis writes it unescaped);
- ``cdn_resources="in_line"`` by default, so vis-network is inlined and no
  ``lib/`` folder is copied into the working directory (pyvis's template still
  links Bootstrap from a CDN: it only styles pyvis's own menus).
"""

from __future__ import annotations

import math
import re

import networkx as nx
from pyvis.edge import Edge
from pyvis.network import Network

from graphkit.outputs.page.render import EDGE_WIDTHS, NODE_SIZES, page_data

NETWORK_DEFAULTS = {
    "height": "700px",
    "width": "100%",
    "notebook": True,
    "cdn_resources": "in_line",
}
_DRAWING_OPTIONS = {
    "size_by", "color_by", "top", "focus", "depth", "top_by", "max_edges", "physics_limit", "seed"
}  # fmt: skip
_HREF = re.compile(r"(hre)(f)", re.IGNORECASE)


def plain_title(text) -> str:
    """``text`` as a tooltip pyvis keeps as text: every ``href`` broken by U+2060."""
    return _HREF.sub("\\1\u2060\\2", str(text))


def to_pyvis(G: nx.Graph, **options) -> Network:
    """A ``pyvis.network.Network`` of ``G``, drawn as graphkit's page draws it.

    Parameters
    ----------
    G : networkx.Graph
        A graphkit graph; it is only read (``from_nx`` is not used).
    **options
        The drawing options of :func:`graphkit.outputs.page.page_data`
        (``size_by``, ``color_by``, ``top``, ``focus``, ``depth``, ``top_by``,
        ``max_edges``, ``physics_limit``, ``seed``): the same entities,
        sizes, colours and positions as the page; physics is off above
        ``physics_limit``. Any other option goes to ``pyvis.network.Network``
        (defaults: :data:`NETWORK_DEFAULTS`).

    Returns
    -------
    pyvis.network.Network
        Node ids are entity keys; ``title`` is plain text (name, type, counts,
        aliases; for a tie, its counts and first evidence sentence).

    Examples
    --------
    >>> net = to_pyvis(G, top=100)                  # doctest: +SKIP
    >>> net.show_buttons(filter_=["physics"])       # doctest: +SKIP
    >>> net.show("graph.html")                      # doctest: +SKIP
    """
    drawing = {name: options.pop(name) for name in _DRAWING_OPTIONS & set(options)}
    data, summary = page_data(G, **drawing, evidence_budget=0)
    net = Network(**{**NETWORK_DEFAULTS, **options})
    nodes = data["nodes"]
    values = [node["value"] for node in nodes]
    lo, hi = (min(values), max(values)) if values else (0, 0)
    for node in nodes:
        colour = data["meta"]["groups"][node["group"]]["colour"]
        net.add_node(
            node["key"],
            label=node["name"],
            title=plain_title(_node_title(node)),
            size=_scaled(node["value"], lo, hi, NODE_SIZES),
            color=colour,
            x=node["x"],
            y=node["y"],
            borderWidth=4 if node["key"] == summary.focus else 1,
        )
    weights = [data["ties"][t][0] for _, _, t in data["edges"]]
    wlo, whi = (min(weights), max(weights)) if weights else (0, 0)
    for (a, b, t), weight in zip(data["edges"], weights, strict=True):
        source, target = nodes[a]["key"], nodes[b]["key"]
        title = _edge_title(
            G, nodes[a]["name"], nodes[b]["name"], (source, target), data["ties"][t]
        )
        # pyvis's add_edge scans every edge added so far (quadratic); these are distinct.
        edge = Edge(source, target, net.directed, title=plain_title(title))
        edge.options["width"] = _scaled(weight, wlo, whi, EDGE_WIDTHS)
        net.edges.append(edge.options)
    net.toggle_physics(summary.physics)
    return net


def _scaled(value, lo, hi, bounds) -> float:
    """The page's scaling: sqrt of the value's place between lo and hi, onto ``bounds``."""
    small, large = bounds
    share = math.sqrt((value - lo) / (hi - lo)) if hi > lo else 0.5
    return round(small + (large - small) * share, 2)


def _node_title(node: dict) -> str:
    lines = [
        node["name"],
        f"{node['type'] or 'unknown type'} · {node['mentions']:,} mentions"
        f" in {node['articles']:,} articles · {node['degree']:,} ties",
    ]
    others = [a for a in node["aliases"] if a != node["name"]][:5]
    if others:
        lines.append("also: " + ", ".join(others))
    return "\n".join(lines)


def _edge_title(G, a: str, b: str, pair, tie: list) -> str:
    weight, articles, sentences, _ = tie
    lines = [
        f"{a} — {b}",
        f"{sentences:,} sentences in {articles:,} articles (weight {weight:.3g})",
    ]
    evidence = G.edges[pair].get("evidence") or ()
    if evidence:
        record = evidence[0]
        lines.append(f"“{record.get('sentence', '')}” — {record.get('title') or 'untitled'}")
    return "\n".join(lines)
