"""Lone words several names share, settled by how well the corpus knows each name.

A lone "United" in an article that also names "Manchester United" and
"Shareholders United" is left apart by the short-name rule of
:mod:`~graphkit.resolve.linking` (two candidates). When the corpus names one
of the candidates in :data:`~graphkit.resolve.linking.DOMINANCE` times as
many articles as every other one, the lone word is that one: a club the whole
corpus writes about, not a supporters' group named twice. Never for a person's
lone name ("Blair" in an article naming Tony and Cherie Blair stays apart,
however famous one of them is): a surname says nothing about which of two
people of that name the sentence means, while an organisation's shared word
is the usual short form of the best-known one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

from graphkit.resolve.evidence import named_as_org
from graphkit.resolve.linking import DOMINANCE, Links, Node

BETTER_KNOWN = "short name of the one name of the article the corpus knows far better"


def settle_in_articles(links: Links) -> None:
    """Join each lone non-person word kept apart in its article to its dominant candidate.

    Runs after the per-article rules and before the corpus-wide ones, over
    ``links.ambiguous`` (which then holds only per-article ambiguities).
    """
    by_article: dict[str, list[Node]] = defaultdict(list)
    for node in links.nodes:
        by_article[node[0]].append(node)
    for node, roots in sorted(links.ambiguous.items()):
        if links.nodes[node].type == "PERSON" or links.nodes[node].short:
            continue
        known = {}
        # Later joins in the article may have merged candidate groups: use their roots now.
        for root in {links.find(r) for r in roots} - {links.find(node)}:
            members = [n for n in by_article[node[0]] if links.find(n) == root]
            if members:
                known[root] = max(members, key=lambda n: (links.articles[n[1]], n))
        if len(known) < 2:
            continue
        ranked = sorted(known, key=lambda r: (-links.articles[known[r][1]], r))
        first, second = (links.articles[known[r][1]] for r in ranked[:2])
        if first >= DOMINANCE * second and links.join(node, known[ranked[0]], BETTER_KNOWN):
            del links.ambiguous[node]


SHARED_WORD = "a word several names share, none of them named"


def shared_lone_words(links: Links, other_labels: Mapping[str, Counter]) -> set[Node]:
    """Nodes of organisations known only by a word several longer names share.

    A group of lone words ("United") that stayed apart with two candidates
    or more across the corpus ("Manchester United", "Dundee United") names
    none of them for sure, so it is no entity of its own, unless it is used
    more than all its candidates together: then it is the name of something
    better known than any of them ("Liverpool", not "Liverpool Riverside"),
    or when the words around it in two articles or more say it is an
    organisation ("told the Times": the newspaper, not the Sunday Times).
    People's lone names stay, ambiguity shown (:attr:`Resolution.ambiguous`).
    """
    groups = links.groups()
    size = {
        root: sum(len(links.nodes[n].mentions) for n in members) for root, members in groups.items()
    }
    result: set[Node] = set()
    for root, members in groups.items():
        infos = [links.nodes[n] for n in members]
        if any(" " in n[1] for n in members) or any(
            i.type == "PERSON" or i.acronym() for i in infos
        ):
            continue  # people's names, and acronyms (matched by initials, not a shared word)
        if any(named_as_org(other_labels, n[1]) for n in members):
            continue
        candidates = {links.find(c) for n in members for c in links.ambiguous.get(n, ())}
        candidates.discard(root)
        if len(candidates) >= 2 and size[root] <= sum(size[c] for c in candidates):
            result.update(members)
    return result
