"""The merge rules of entity resolution, over groups of same-named mentions.

A *node* is one name in one article: every mention of the article whose
:func:`~graphkit.resolve.names.name_key` is the same ("Xi's", "XI" and "Xi" are one
node). The rules join nodes in a union–find structure, each join recorded
with the rule that made it, in two passes:

Within an article
    1. an acronym the article introduces joins its long form;
    2. "China's National Development and Reform Commission" joins
       "National Development and Reform Commission" named in the same article;
    3. a bare acronym joins the one name of the article whose initials it is;
    4. a short name joins the one longer name it starts or ends ("Xi" →
       "Xi Jinping", "President Xi" → "Xi Jinping", "Roda" → "Roda JC
       Kerkrade"); for people a lone word is tried as a surname first, then as a
       given name. Two candidates (two Chicago teams, two Smiths) mean no join.

Across the corpus
    5. the same name (a node that was not joined as a short form) is one
       entity in every article, whatever label the model gave it (the type is
       then the majority);
    6. an entity known only by a lone word, an initial and surname, or an
       acronym joins the one entity whose full name it can shorten: first an
       acronym some article introduces for one long form; then by initials
       ("U.N." → "United Nations", "R. Croft" → "Robert Croft"; with several
       long forms, the one with ten times the mentions of any other); then an
       organisation's name followed only by organisation words ("Labour" →
       "Labour Party"; with several, the one with ten times the mentions);
       then as a surname (of a compatible gender: "Mr Howard" never joins
       "Sandra Howard", "Mrs Howard" never "Michael Howard") or an
       organisation's first or last word ("PSV" → "PSV Eindhoven"). Never a
       lone form used ten times as often as the name it would join
       ("Liverpool" is not "Liverpool Riverside", "Leicester" not "BBC Radio
       Leicester"), nor a word the corpus also writes in lower case by
       prefix ("Cabinet" is not "Cabinet Office"). With several
       candidates it stays apart and the candidates are kept, so the
       ambiguity is visible; a match on a given name alone ("Wang" and "Wang
       Lin", "Anna" and "Anna Kowal") is only reported.

Label noise: within an article a short name tries names of its own type
first, then of any type; across articles only names of its own type.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from graphkit.resolve.acronyms import acronym_letters
from graphkit.resolve.evidence import BASE_WORDS, ORG_WORDS
from graphkit.resolve.given_names import HONORIFIC_GENDER, compatible, name_gender
from graphkit.resolve.names import (
    FEMALE_HONORIFICS,
    FUNCTION_WORDS,
    display_name,
    fold,
    initials,
    is_acronym,
    name_key,
)

ACRONYM = "acronym introduced in the article"
POSSESSIVE_PREFIX = "same name without a possessive modifier"
# Articles from which a possessive form ("People's Bank of China") is a name of its own.
ESTABLISHED = 3
INITIALS = "acronym of a name in the same article"
SHORT_NAME = "short name of a name in the same article"
SAME_NAME = "same name in another article"
LONE_NAME = "short name or acronym, one candidate in the corpus"
SHORT_FORM = "organisation's short form, one full name in the corpus"
INTRODUCED = "acronym the corpus introduces for one long form"
DOMINANT = "acronym of the one long form the corpus mostly uses"
# An acronym joins the long form with the most mentions when it has this many
# times more than every other candidate ("EU": "European Union", not a stray name).
DOMINANCE = 10

Node = tuple[str, str]  # (article_id, name key)


def _initialled(tokens: tuple[str, ...]) -> bool:
    """ "R Croft": a given name cut to its initial, then a surname."""
    return len(tokens) >= 2 and len(tokens[0]) == 1 and all(len(t) > 1 for t in tokens[1:])


def _expands(full: tuple[str, ...], initialled: tuple[str, ...]) -> bool:
    """Whether ``full`` ("robert croft") is a name ``initialled`` ("r croft") abbreviates."""
    return (
        len(full) == len(initialled)
        and len(full[0]) > 1
        and full[0][0] == initialled[0]
        and full[1:] == initialled[1:]
    )


@dataclass
class NodeInfo:
    """What is known about one name in one article."""

    label: Counter = field(default_factory=Counter)
    recalled: Counter = field(default_factory=Counter)  # of ``label``, the recall pass's
    surfaces: Counter = field(default_factory=Counter)
    mentions: list[int] = field(default_factory=list)
    short: bool = False  # joined as the short side: not a full name of its entity

    @cached_property
    def type(self) -> str:
        """The majority label of the model's own mentions (read once all mentions are in)."""
        labels = self.model_labels or self.label
        return max(sorted(labels), key=labels.__getitem__)

    @cached_property
    def model_labels(self) -> Counter:
        """Labels of the model's own mentions, not those the recall pass copied.

        Read, like :attr:`type`, once all mentions are in; kept, since the
        corpus rules ask for it tens of thousands of times.
        """
        return self.label - self.recalled

    @cached_property
    def surface(self) -> str:
        """The best-looking spelling ("Xi Jinping" over "XI JINPING")."""
        return display_name(self.surfaces, self.type)

    @cached_property
    def gender(self) -> str | None:
        """The gender an honorific in front of this name gives ("Mrs Howard" → "f")."""
        found = {
            HONORIFIC_GENDER.get(fold(s.split(" ", 1)[0])) for s in self.surfaces if " " in s
        } - {None}
        return found.pop() if len(found) == 1 else None

    def acronym(self) -> bool:
        """An organisation's name written as an acronym ("BABEC"), read once all mentions are in."""
        return self._acronym

    @cached_property
    def _acronym(self) -> bool:
        return (
            self.type != "PERSON"
            and is_acronym(self.surface)
            and self.surface.upper() == self.surface
        )


class Links:
    """Union–find over nodes that remembers which rule joined what."""

    def __init__(self, nodes: dict[Node, NodeInfo], generic: frozenset = frozenset()):
        self.nodes = nodes
        self.generic = generic  # folded single words the corpus mostly writes in lower case
        self.articles = Counter(key for _, key in nodes)  # name key → articles naming it
        self.parent: dict[Node, Node] = {node: node for node in nodes}
        self.joins: list[tuple[Node, Node, str]] = []
        self.ambiguous: dict[Node, list[Node]] = {}

    def find(self, node: Node) -> Node:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def join(self, short: Node, target: Node, rule: str, *, as_short: bool = True) -> bool:
        """Put ``short`` in ``target``'s group, marked as a short form unless ``as_short`` is false.

        The root stays the smaller node, so groups do not depend on input order.
        """
        a, b = self.find(short), self.find(target)
        if a == b:
            return False
        self.joins.append((short, target, rule))
        self.nodes[short].short = self.nodes[short].short or as_short
        low, high = sorted((a, b))
        self.parent[high] = low
        return True

    def groups(self) -> dict[Node, list[Node]]:
        result: dict[Node, list[Node]] = defaultdict(list)
        for node in sorted(self.nodes):
            result[self.find(node)].append(node)
        return result


def _tokens(node: Node) -> tuple[str, ...]:
    return tuple(node[1].split())


def _person_like(tokens: tuple[str, ...]) -> bool:
    """ "bill ford": a given name of a known gender then one word, whatever the label.

    An organisation's lone last word ("Ford") never joins such a name.
    """
    return len(tokens) == 2 and name_gender(tokens[0]) is not None


def _titled(tokens: tuple[str, ...]) -> bool:
    """ "mrs howard": a lone surname keyed with a woman's honorific (see ``name_key``)."""
    return len(tokens) == 2 and tokens[0] in FEMALE_HONORIFICS


def link_article(links: Links, nodes: list[Node], abbreviations: Iterable) -> None:
    """Rules 1–4 on the nodes of one article."""
    info = links.nodes
    by_key = {node[1]: node for node in nodes}
    abbreviations = list(abbreviations)
    # The letters of each acronym this article introduces, by its long form.
    introduced = {fold(a.long): acronym_letters(a.short).casefold() for a in abbreviations}
    for abbreviation in abbreviations:
        long = by_key.get(name_key(abbreviation.long, "ORG")) or by_key.get(fold(abbreviation.long))
        short = by_key.get(fold(abbreviation.short)) or by_key.get(
            fold(acronym_letters(abbreviation.short))
        )
        if long and short:
            links.join(short, long, ACRONYM)
    for node in nodes:
        for surface in info[node].surfaces:
            head, sep, rest = surface.replace("’", "'").partition("'s ")
            # "China's Cyberspace Administration" is the Cyberspace Administration, but
            # "People's Bank of China (PBOC)" is not the Bank of China: its acronym spells
            # the first word too, so that word is part of the name, not an owner.
            # Nor is a possessive form the corpus uses as a name in several articles.
            spelt = introduced.get(fold(surface), "").startswith(head[:1].casefold())
            established = links.articles[node[1]] >= ESTABLISHED
            owned = sep and " " not in head and not spelt and not established
            target = by_key.get(name_key(rest, info[node].type)) if owned else None
            if target and links.join(node, target, POSSESSIVE_PREFIX):
                break
    long_names = [n for n in nodes if len(_tokens(n)) >= 2 and info[n].type != "PERSON"]
    for node in nodes:
        if not info[node].acronym() or info[node].short:
            continue
        letters = acronym_letters(info[node].surface)
        found = {
            links.find(n) for n in long_names if n != node and letters in initials(info[n].surface)
        }
        if len(found) == 1:
            links.join(node, found.pop(), INITIALS)
    _link_short_names(links, nodes)


def _link_short_names(links: Links, nodes: list[Node]) -> None:
    """Rule 4, longest names first, so "Roda" finds "Roda JC" already in "Roda JC Kerkrade".

    Candidates of the mention's own type come first; only when there are none
    is a name of another type tried, since the model's label on one word is
    weak evidence ("Christie" tagged ORG after "Linford Christie" as PERSON).
    """
    info = links.nodes
    prefixes: dict[tuple, list[Node]] = defaultdict(list)
    suffixes: dict[tuple, list[Node]] = defaultdict(list)
    for node in nodes:
        tokens = _tokens(node)
        if _titled(tokens):
            continue
        for j in range(1, len(tokens)):
            prefixes[tokens[:j]].append(node)
            suffixes[tokens[-j:]].append(node)
    types = sorted({info[n].type for n in nodes})
    for node in sorted(nodes, key=lambda n: (-len(_tokens(n)), n)):
        if info[node].short or info[node].acronym():
            continue
        tokens = _tokens(node)
        generic = len(tokens) == 1 and tokens[0] in links.generic  # "Cabinet" ≠ "Cabinet Office"
        gender = info[node].gender
        if _titled(tokens):
            tokens = tokens[1:]
        kind = info[node].type
        tiers = [
            [c for c in tier if info[c].type == other and compatible(gender, _tokens(c))]
            for other in [kind] + [t for t in types if t != kind]
            for tier in _short_tiers(tokens, other, prefixes, suffixes, generic=generic)
        ]
        for candidates in tiers:
            roots = {links.find(c) for c in candidates} - {links.find(node)}
            if len(roots) == 1:
                links.join(node, min(c for c in candidates if links.find(c) in roots), SHORT_NAME)
                break
            if len(roots) > 1:
                links.ambiguous[node] = sorted(roots)
                break


def _short_tiers(
    tokens: tuple, kind: str, prefixes: dict, suffixes: dict, *, generic: bool = False
) -> list[list[Node]]:
    """Longer names ``tokens`` may shorten, as a name of type ``kind``, best guesses first.

    A ``generic`` word never shortens a name it starts ("Cabinet", "Cabinet Office").
    """
    if kind == "PERSON" and _initialled(tokens):
        return [[c for c in suffixes[tokens[1:]] if _expands(_tokens(c), tokens)]]
    if kind == "PERSON":
        return [suffixes[tokens]] + ([] if generic else [prefixes[tokens]])
    if len(tokens) > 1:
        return []  # "United Nations" is a name, not a short "United Nations Commission"
    ends = [
        c
        for c in suffixes[tokens]
        if _tokens(c)[-2] not in FUNCTION_WORDS and not _person_like(_tokens(c))
    ]
    return [ends + ([] if generic else prefixes[tokens])]


def link_corpus(links: Links, abbreviations: Iterable) -> None:
    """Rules 5–6: full names across articles, then lone words and acronyms."""
    anchors = _join_same_names(links)
    _link_clipped(links, anchors)
    groups = links.groups()
    types = {
        root: _majority_type(links.nodes[n] for n in members) for root, members in groups.items()
    }
    full = {
        root: [n for n in members if _full(links.nodes[n], n)] for root, members in groups.items()
    }
    index = _full_name_index(links, full, types)
    _index_introduced(links, index, anchors, types, abbreviations)
    size = {
        root: sum(len(links.nodes[n].mentions) for n in members) for root, members in groups.items()
    }
    for root in _lone_roots(links, groups, full):
        tiers = _lone_tiers(links, groups[root], types[root], index)
        gender = next((g for n in groups[root] if (g := links.nodes[n].gender)), None)
        _join_lone(links, root, tiers, types[root], full, size, gender)


def _join_same_names(links: Links) -> dict[str, list[Node]]:
    """Rule 5: nodes of one name key that are not short forms join; returns them by key."""
    info = links.nodes
    anchors: dict[str, list[Node]] = defaultdict(list)
    for node in sorted(info):
        if not info[node].short:
            anchors[node[1]].append(node)
    for same in anchors.values():
        for node in same[1:]:
            links.join(node, same[0], SAME_NAME, as_short=False)
    return anchors


def _full_name_index(
    links: Links, full: dict[Node, list[Node]], types: dict[Node, str]
) -> dict[tuple, set[Node]]:
    """The groups' full names by what may shorten them: (type, kind of form, form) → roots."""
    index: dict[tuple, set[Node]] = defaultdict(set)
    for root, names in full.items():
        kind = types[root]
        for node in names:
            tokens = _tokens(node)
            if kind == "PERSON":
                index[(kind, "last", tokens[-1])].add(root)
                index[(kind, "initial", tokens[0][0], *tokens[1:])].add(root)
                index[(kind, "given", tokens[0])].add(root)
                continue
            if not (ORG_WORDS - BASE_WORDS) & set(tokens[1:]):
                # "Celtic League", "Cabinet Office" are other bodies than "Celtic".
                index[(kind, "first", tokens[0])].add(root)
            if tokens[0] not in ORG_WORDS and all(t in BASE_WORDS for t in tokens[1:]):
                index[(kind, "base", tokens[0])].add(root)
            if tokens[-2] not in FUNCTION_WORDS and not _person_like(tokens):
                index[(kind, "last", tokens[-1])].add(root)
            for letters in initials(links.nodes[node].surface):
                index[(kind, "initials", letters)].add(root)
    return index


def _index_introduced(
    links: Links,
    index: dict[tuple, set[Node]],
    anchors: dict[str, list[Node]],
    types: dict[Node, str],
    abbreviations: Iterable,
) -> None:
    """Add the acronyms articles introduce to ``index``, under their long forms' groups."""
    for abbreviation in abbreviations:
        for node in anchors.get(name_key(abbreviation.long, "ORG"), ()):
            root = links.find(node)
            index[(types[root], "initials", acronym_letters(abbreviation.short))].add(root)
            index[(types[root], "introduced", acronym_letters(abbreviation.short))].add(root)


def _lone_roots(
    links: Links, groups: dict[Node, list[Node]], full: dict[Node, list[Node]]
) -> list[Node]:
    """Groups with no full name, acronyms and initialled names first.

    "R. Croft" joining "Robert Croft" first leaves one candidate for a bare "Croft".
    """
    lone = [root for root in groups if not full[root]]
    lone.sort(key=lambda root: (len(_tokens(root)) == 1 and not links.nodes[root].acronym(), root))
    return lone


def _lone_tiers(
    links: Links, members: list[Node], kind: str, index: dict[tuple, set[Node]]
) -> list[set[Node]]:
    """The groups a lone group may shorten, by tier, strongest evidence first.

    Tiers: an acronym the corpus introduces; initials and initialled names;
    an organisation's name plus organisation words only ("Labour" → "Labour
    Party"); a surname or an organisation's first or last word; a given name
    (never joined across articles, "Anna" may be anyone: only reported, so
    "Wang" shows it may be Wang Lin or Wang Hua).
    """
    info = links.nodes
    tiers: list[set[Node]] = [set(), set(), set(), set(), set()]
    for node in members:
        tokens = _tokens(node)
        if info[node].acronym():
            letters = acronym_letters(info[node].surface)
            tiers[0] |= index[(kind, "introduced", letters)]
            tiers[1] |= index[(kind, "initials", letters)]
        if _initialled(tokens):
            tiers[1] |= index[(kind, "initial", *tokens)]
        elif _titled(tokens):
            tiers[3] |= index[(kind, "last", tokens[1])]
        elif len(tokens) == 1:
            tiers[3] |= index[(kind, "last", tokens[0])]
            if tokens[0] not in links.generic:
                tiers[2] |= index[(kind, "base", tokens[0])]
                # An organisation's first word, unless the lone word is used
                # far more than the name it would shorten ("Liverpool" is
                # not "Liverpool Riverside").
                tiers[3] |= index[(kind, "first", tokens[0])]
            tiers[4] |= index[(kind, "given", tokens[0])]
    return tiers


def _join_lone(
    links: Links,
    root: Node,
    tiers: list[set[Node]],
    kind: str,
    full: dict[Node, list[Node]],
    size: dict[Node, int],
    gender: str | None,
) -> None:
    """Join the lone group ``root`` to the one candidate of its first tier that has any.

    Several candidates leave it apart, the candidates recorded as ambiguous;
    the given-name tier is only ever recorded.
    """
    info = links.nodes
    rules = (INTRODUCED, LONE_NAME, SHORT_FORM, LONE_NAME)
    for number, tier in enumerate(tiers):
        # A lone form used ten times as often as a name it could shorten
        # names something better known ("Leicester" is not "BBC Radio Leicester").
        candidates = {links.find(c) for c in tier} - {links.find(root)}
        if kind == "PERSON":
            candidates = {
                c for c in candidates if any(compatible(gender, _tokens(n)) for n in full[c])
            }
        rule = rules[number] if number < len(rules) else None
        if number in (1, 2) and len(candidates) > 1 and (number == 2 or info[root].acronym()):
            ranked = sorted(candidates, key=lambda c: -size[c])
            if size[ranked[0]] >= DOMINANCE * size[ranked[1]]:
                candidates, rule = {ranked[0]}, (DOMINANT if number == 1 else SHORT_FORM)
        if len(candidates) == 1 and size[root] > DOMINANCE * size[next(iter(candidates))]:
            break  # the lone form names something better known
        if len(candidates) == 1 and rule:
            target = min(n for c in tier for n in full[c] if links.find(c) in candidates)
            links.join(root, target, rule, as_short=False)
            break
        if candidates:
            links.ambiguous[root] = sorted(candidates)
            break


CLIPPED = "clipped form of the one name it shortens word by word"


def _link_clipped(links: Links, anchors: dict[str, list[Node]]) -> None:
    """ "Lib Dems" → "Liberal Democrats": each word a clipped start of the other's word.

    Names of two words or more, each word of three letters or more. Names that
    differ only by plural "s" are one name ("Lib Dem", "Lib Dems"); a name
    whose words all start the matching words of exactly one other name, two
    of them or more clipped, joins it ("BBC News" does not join "BBC Newsnight").
    """
    canon: dict[str, list[str]] = defaultdict(list)
    for key in anchors:
        words = key.split()
        if len(words) >= 2 and all(len(w) >= 3 for w in words):
            canon[" ".join(w.removesuffix("s") for w in words)].append(key)
    for keys in canon.values():
        for key in keys[1:]:
            links.join(anchors[key][0], anchors[keys[0]][0], CLIPPED, as_short=False)
    by_shape: dict[tuple, list[str]] = defaultdict(list)
    for form in canon:
        by_shape[tuple(w[:3] for w in form.split())].append(form)
    for forms in by_shape.values():
        for short in forms:
            longer = [f for f in forms if f != short and _clips(short.split(), f.split())]
            if len(longer) == 1:
                target = anchors[canon[longer[0]][0]][0]
                links.join(anchors[canon[short][0]][0], target, CLIPPED, as_short=False)


def _clips(short: list[str], long: list[str]) -> bool:
    pairs = list(zip(short, long, strict=True))
    clipped = sum(len(s) < len(w) for s, w in pairs)
    return all(w.startswith(s) for s, w in pairs) and clipped >= 2


def _full(info: NodeInfo, node: Node) -> bool:
    """A full name: not joined as a short form, two words or more, no lone initial."""
    tokens = _tokens(node)
    return not info.short and len(tokens) >= 2 and not _initialled(tokens) and not _titled(tokens)


def _majority_type(infos: Iterable[NodeInfo]) -> str:
    return _majority(info.model_labels or info.label for info in infos)


def _majority(labels: Iterable[Counter]) -> str:
    total: Counter = Counter()
    for counter in labels:
        total.update(counter)
    return max(sorted(total), key=total.__getitem__)
