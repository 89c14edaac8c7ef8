"""Where the page draws each entity: communities laid out apart, each one compact.

One Fruchterman-Reingold layout of the whole graph puts every hub in the
middle: on a news corpus the 30 best-known names end up in one blob whose
labels cannot be read. Here each community (the groups the page colours by)
is laid out on its own, sized by its number of members, and the communities
are then placed by a layout of the graph *between* them and pushed apart
until their discs no longer overlap, so each cluster is a readable island and
related clusters sit next to each other. The page script then nudges the few
labels that still collide at the first view (it alone knows the window size).

Seeded: igraph draws random numbers from Python's ``random`` module, so a
private, seeded generator is swapped in for each call and the default put back.
"""

from __future__ import annotations

import math
import random

import igraph as ig

SPACING = 45
"""Pixels per entity: a community of n is laid out with an RMS radius of SPACING·√n."""
GAP = 60
"""Pixels kept free between the discs of two communities."""
ASPECT = 1.5
"""Communities are placed in an area this much wider than high, as screens are."""


def community_layout(n: int, ties, communities, seed: int = 0) -> list[tuple[float, float]]:
    """Positions (vis.js pixels) of ``n`` entities, centred on (0, 0).

    Parameters
    ----------
    n : int
        Number of entities (page indexes 0..n-1).
    ties : list of (int, int, weight)
        The ties drawn, between page indexes.
    communities : list of list of int
        A partition of the page indexes (e.g. Louvain on ``ties``).
    seed : int
        Seed of both layouts.
    """
    if n == 0:
        return []
    # Entities with no tie on the page would each be an island: gather them in one.
    singles = [members[0] for members in communities if len(members) == 1]
    communities = [members for members in communities if len(members) > 1]
    if singles:
        communities.append(singles)
    group_of = [0] * n
    for c, members in enumerate(communities):
        for i in members:
            group_of[i] = c
    inner: list[list] = [[] for _ in communities]
    between: dict[tuple[int, int], float] = {}
    for a, b, weight in ties:
        ca, cb = group_of[a], group_of[b]
        if ca == cb:
            inner[ca].append((a, b, weight))
        else:
            key = (min(ca, cb), max(ca, cb))
            between[key] = between.get(key, 0) + _strength(weight)
    local, radius = [], []
    for c, members in enumerate(communities):
        coords = _island(members, inner[c], seed)
        local.append(coords)
        radius.append(max((math.hypot(x, y) for x, y in coords), default=0) + SPACING / 2)
    centres = _place(radius, between, seed)
    out = [(0.0, 0.0)] * n
    for c, members in enumerate(communities):
        cx, cy = centres[c]
        for i, (x, y) in zip(members, local[c], strict=True):
            out[i] = (round(cx + x, 1), round(cy + y, 1))
    mx = sum(x for x, _ in out) / n
    my = sum(y for _, y in out) / n
    return [(round(x - mx, 1), round(y - my, 1)) for x, y in out]


def _strength(weight) -> float:
    return 1 + math.log(max(float(weight), 1.0))


def _fruchterman_reingold(count: int, edges, weights, seed: int) -> list[tuple[float, float]]:
    H = ig.Graph(n=count, edges=edges)
    ig.set_random_number_generator(random.Random(seed))
    try:
        layout = H.layout_fruchterman_reingold(weights=weights or None, niter=500, grid=count > 500)
    finally:
        ig.set_random_number_generator(random)
    return [(float(x), float(y)) for x, y in layout.coords]


def _island(members: list[int], ties, seed: int) -> list[tuple[float, float]]:
    """One community laid out around (0, 0) with an RMS radius of SPACING·√n."""
    size = len(members)
    if size == 1:
        return [(0.0, 0.0)]
    if not ties:  # the entities without a tie: a sunflower, evenly spaced
        golden = math.pi * (3 - math.sqrt(5))
        return [
            (
                SPACING * math.sqrt(j) * math.cos(j * golden),
                SPACING * math.sqrt(j) * math.sin(j * golden),
            )
            for j in range(size)
        ]
    position = {i: j for j, i in enumerate(members)}
    edges = [(position[a], position[b]) for a, b, _ in ties]
    coords = _fruchterman_reingold(size, edges, [_strength(w) for _, _, w in ties], seed)
    cx = sum(x for x, _ in coords) / size
    cy = sum(y for _, y in coords) / size
    radii = sorted(math.hypot(x - cx, y - cy) for x, y in coords)
    spread = math.sqrt(sum(r * r for r in radii) / size) or 1.0
    scale = SPACING * math.sqrt(size) / spread
    # FR pushes members without a tie inside the community far out: keep them at its edge.
    limit = radii[int(0.97 * (size - 1))] * 1.08 or 1.0
    out = []
    for x, y in coords:
        dx, dy = x - cx, y - cy
        shrink = min(1.0, limit / (math.hypot(dx, dy) or 1.0)) * scale
        out.append((dx * shrink, dy * shrink))
    return out


def _place(radius: list[float], between: dict, seed: int) -> list[tuple[float, float]]:
    """Centres for discs of the given radii: related ones near, none overlapping.

    A weighted layout of the graph between communities gives the directions;
    then, for a few hundred rounds, overlapping discs are pushed apart and all
    are pulled gently towards the middle, so unrelated islands do not drift off.
    """
    k = len(radius)
    if k == 1:
        return [(0.0, 0.0)]
    edges = list(between)
    coords = _fruchterman_reingold(k, edges, [between[e] for e in edges], seed)
    cx = sum(x for x, _ in coords) / k
    cy = sum(y for _, y in coords) / k
    spread = math.sqrt(sum((x - cx) ** 2 + (y - cy) ** 2 for x, y in coords) / k) or 1.0
    total = math.sqrt(sum(r * r for r in radius))
    # wider than high, as screens are
    xs = [(x - cx) / spread * total * ASPECT for x, _ in coords]
    ys = [(y - cy) / spread * total for _, y in coords]
    order = sorted(range(k), key=lambda c: -radius[c])
    for _ in range(300):
        moved = False
        for p, a in enumerate(order):
            for b in order[p + 1 :]:
                dx, dy = xs[b] - xs[a], ys[b] - ys[a]
                distance = math.hypot(dx, dy)
                wanted = radius[a] + radius[b] + GAP
                if distance >= wanted:
                    continue
                moved = True
                if distance < 1e-6:
                    angle = (a * 2.399963 + b) % (2 * math.pi)
                    dx, dy, distance = math.cos(angle), math.sin(angle), 1.0
                push = (wanted - distance) / distance
                # the smaller disc moves more, so the big islands stay where FR put them
                share = radius[a] ** 2 / (radius[a] ** 2 + radius[b] ** 2)
                xs[b] += dx * push * share
                ys[b] += dy * push * share
                xs[a] -= dx * push * (1 - share)
                ys[a] -= dy * push * (1 - share)
        if not moved:
            break
        for c in range(k):
            xs[c] *= 0.98
            ys[c] *= 0.98**ASPECT
    return list(zip(xs, ys, strict=True))
