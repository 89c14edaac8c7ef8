"""The page layout: communities as separate islands, seeded, every entity placed once."""

import math

from graphkit.outputs.page.layout import GAP, community_layout


def cliques(sizes):
    """Cliques of the given sizes, each tied to the next by one weak tie; their partition."""
    ties, groups, start = [], [], 0
    for size in sizes:
        members = list(range(start, start + size))
        ties += [(a, b, 3) for i, a in enumerate(members) for b in members[i + 1 :]]
        groups.append(members)
        start += size
    ties += [(groups[i][0], groups[i + 1][0], 1) for i in range(len(groups) - 1)]
    return start, ties, groups


def disc(positions, members):
    xs = [positions[i][0] for i in members]
    ys = [positions[i][1] for i in members]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    return cx, cy, max(math.hypot(x - cx, y - cy) for x, y in zip(xs, ys, strict=True))


def test_communities_do_not_overlap_and_the_layout_is_seeded():
    n, ties, groups = cliques([12, 9, 7, 5, 3])
    positions = community_layout(n, ties, groups, seed=2)
    assert positions == community_layout(n, ties, groups, seed=2)
    assert len(set(positions)) == n
    discs = [disc(positions, members) for members in groups]
    for i, (x1, y1, r1) in enumerate(discs):
        for x2, y2, r2 in discs[i + 1 :]:
            assert math.hypot(x2 - x1, y2 - y1) > r1 + r2 + GAP / 2
    cx = sum(x for x, _ in positions) / n
    cy = sum(y for _, y in positions) / n
    assert abs(cx) < 1 and abs(cy) < 1  # centred


def test_entities_without_ties_are_gathered_not_scattered():
    n, ties, groups = cliques([6, 6])
    singles = [[n + i] for i in range(10)]
    positions = community_layout(n + 10, ties, groups + singles, seed=0)
    lonely = [i for [i] in singles]
    _, _, spread = disc(positions, lonely)
    assert len(set(positions)) == n + 10
    assert spread < 45 * math.sqrt(10) + 1  # one sunflower, not ten islands far apart


def test_small_inputs():
    assert community_layout(0, [], []) == []
    assert community_layout(1, [], [[0]]) == [(0.0, 0.0)]
