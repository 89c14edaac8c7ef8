"""Mentions → entities: decide which surface forms name the same thing.

Pure functions over :class:`~graphkit.models.Mention` records; no spaCy, no
store. The pipeline hands every stored mention to :func:`resolve_entities`
and writes back what it returns, so the rules can change without re-running
extraction. It is two steps: :func:`rule_groups` (the automatic rules) and
:func:`apply_decisions` (the user's decisions on their groups), so a user
decision can reuse the rules' result while the mentions are the same.
The rules themselves live in :mod:`graphkit.resolve.linking` (with
:mod:`~graphkit.resolve.shared_words` for words several names share and
:mod:`~graphkit.resolve.variants` for two spellings of one name), name
normalisation in :mod:`graphkit.resolve.names`, acronym detection and span repair in
:mod:`graphkit.resolve.acronyms`, user decisions in :mod:`graphkit.resolve.overrides`; this
module puts them together and builds the :class:`~graphkit.models.Entity`
records, each with the trail of decisions behind it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from graphkit.models import Abbreviation, Entity, Mention
from graphkit.resolve.evidence import (
    COMMON,
    EVIDENCE_RULE,
    ROLE_PREFIX,
    ROLE_THING,
    THING_LABELS,
    TypeDecision,
    decide_type,
    named_as_org,
)
from graphkit.resolve.linking import Links, Node, NodeInfo, link_article, link_corpus
from graphkit.resolve.names import (
    clean_surface,
    core_name,
    display_name,
    is_acronym,
    name_key,
    noise_reason,
    other_number,
    strip_possessive,
    surface_changes,
)
from graphkit.resolve.overrides import (
    Override,
    apply_overrides,
    entity_key,
    lookup_names,
)
from graphkit.resolve.shared_words import SHARED_WORD, settle_in_articles, shared_lone_words
from graphkit.resolve.variants import (
    join_middle_initials,
    products_to_companies,
    without_common_leads,
)

__all__ = [
    "Decisions",
    "Explanation",
    "Resolution",
    "RuleGroups",
    "apply_decisions",
    "automatic_drop",
    "entity_key",
    "merged_group",
    "resolve_entities",
    "rule_groups",
]

THINGS = THING_LABELS | {ROLE_THING}


@dataclass(frozen=True)
class Explanation:
    """One decision behind an entity: ``surface`` was joined to ``target`` by ``rule``.

    ``count`` is how many times (articles, mostly) the same decision was taken.
    Normalisation decisions read like ``"same name (possessive, case)"``.
    """

    surface: str
    rule: str
    target: str
    count: int = 1


@dataclass
class Resolution:
    """What :func:`resolve_entities` decided.

    Attributes
    ----------
    keys : list of str or None
        ``keys[i]`` is the entity key of ``mentions[i]``, or ``None`` when the
        mention was dropped (as noise, or by the user).
    entities : dict
        Entity key → :class:`~graphkit.models.Entity`.
    dropped : Counter
        Dropped mentions by reason ("no letters", "pronoun", "dropped by user" …).
    explanations : dict
        Entity key → list of :class:`Explanation`, for ``entities --explain``.
    ambiguous : dict
        Entity key → display names of the entities this one (a short name)
        may also be: it was kept apart because there was more than one
        candidate, or because the only one matched it as a given name across
        articles, which is never enough to merge ("Wang" → Wang Lin, Wang Hua).
    unapplied : list of Override
        User decisions naming no entity of this corpus (shown as warnings).
    retyped : dict
        Entity key → ``(model's majority label, chosen type, reason)`` where
        the corpus evidence chose another type than the model's majority.
    """

    keys: list[str | None]
    entities: dict[str, Entity]
    dropped: Counter = field(default_factory=Counter)
    explanations: dict[str, list[Explanation]] = field(default_factory=dict)
    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    unapplied: list[Override] = field(default_factory=list)
    retyped: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    clashes: set[str] | None = None  # :attr:`~graphkit.resolve.overrides.Applied.clashes`
    # Entity key → the type the user gave it (a merge in place, graphkit.in_place, keeps it).
    typed: dict[str, str] = field(default_factory=dict)
    # Ids of decisions that found an entity by name (:attr:`~.overrides.Applied.by_name`).
    by_name: set[int] = field(default_factory=set)


def resolve_entities(
    mentions: Sequence[Mention],
    *,
    abbreviations: Iterable[Abbreviation] = (),
    overrides: Sequence[Override] = (),
    evidence: Iterable[tuple[str, str, str]] = (),
    generic_words: Mapping[str, float] | Iterable[str] = (),
    types: Iterable[str] = (),
    recalled: Sequence[bool] | None = None,
) -> Resolution:
    """Group mentions into entities (see :mod:`graphkit.resolve.linking` for the rules).

    :func:`rule_groups`, then :func:`apply_decisions`: the rules, then the
    user's decisions on what they made.

    Parameters
    ----------
    mentions : sequence of Mention
        Every mention of the corpus; the result does not depend on their order.
    abbreviations : iterable of Abbreviation
        Acronyms the articles introduce (:func:`find_abbreviations`).
    overrides : sequence of Override
        User decisions, applied in order after the automatic rules.
    evidence : iterable of (article_id, text, label)
        Spans the model gave labels that are not wanted types (PRODUCT,
        GPE …), weighed when types are decided (:mod:`~graphkit.resolve.evidence`).
    generic_words : mapping or iterable of str
        Folded single words the corpus also writes in lower case, with the
        ratio of lower-case to capitalised uses (:func:`generic_words`; a plain
        iterable means ratio 1): such a word never joins a longer name by its
        first word ("cabinet"), and from a ratio of 1 a group named by it
        alone is dropped ("may", "budget").
    types : iterable of str
        The entity types asked for (the build's ``--types``); default: the
        mentions' labels plus PERSON and ORG.
    recalled : sequence of bool, optional
        ``recalled[i]``: ``mentions[i]`` was added by the recall pass; its
        label (copied from the model's other mentions) casts no type vote.

    Returns
    -------
    Resolution
        Keys are stable for the same input: the type and folded display name.
    """
    groups = rule_groups(
        mentions,
        abbreviations=abbreviations,
        evidence=evidence,
        generic_words=generic_words,
        types=types,
        recalled=recalled,
    )
    return apply_decisions(groups, overrides)


@dataclass
class RuleGroups:
    """What the automatic rules make of a corpus's mentions, before any user decision.

    It depends on the mentions and the corpus evidence alone, so a store
    keeps it (:mod:`graphkit.resolve.kept`) and a user decision (merge,
    rename, undo …) is applied to it without running the rules again.

    Attributes
    ----------
    nodes : dict
        One :class:`~graphkit.resolve.linking.NodeInfo` per name per article.
    groups : dict
        Smallest node → the nodes the rules joined to it (sorted).
    joins, ambiguous : list, dict
        :attr:`Links.joins` and :attr:`Links.ambiguous`: what joined what, by
        which rule, and the short names kept apart with their candidates.
    shared : set
        Nodes of lone words several names share (:func:`shared_lone_words`).
    noise : Counter
        Mentions dropped as noise, by reason.
    count : int
        How many mentions there were (the length of ``Resolution.keys``).
    first : dict
        Node → where it is first named: ``(article, start, end, text)``.
    normalised : dict
        Node → its spellings other than its best one, with the normalisation
        that made them one name, as ``(surface, rule, target)``.
    common : frozenset
        Words the corpus mostly writes in lower case (never a name alone).
    decisions : Decisions
        Each group's type decision and automatic entity.
    names : dict, optional
        Group → its :func:`~graphkit.resolve.overrides.lookup_names`, when
        known already (kept groups), so user decisions find groups without
        working out every group's names again.
    """

    nodes: dict[Node, NodeInfo]
    groups: dict[Node, list[Node]]
    joins: list[tuple[Node, Node, str]]
    ambiguous: dict[Node, list[Node]]
    shared: set[Node]
    noise: Counter
    count: int
    first: dict[Node, tuple]
    normalised: dict[Node, list[tuple[str, str, str]]]
    common: frozenset[str]
    decisions: Decisions
    names: dict[Node, tuple[str, list[str]]] | None = None

    def complete(self) -> None:
        """Work out every group's type decision, entity and lookup names now.

        What a store keeps (:func:`graphkit.resolve.kept.dump`) holds them, so
        the decisions applied to kept groups find them done.
        """
        for members in self.groups.values():
            self.decisions.entity(members)
        if self.names is None:
            self.names = {
                root: lookup_names(members, self.nodes) for root, members in self.groups.items()
            }

    def first_mention(self, members: Iterable[Node]) -> tuple:
        """Where a group is first named: orders key clashes ("~2") independently of input order."""
        return min(self.first[node] for node in members)


def rule_groups(
    mentions: Sequence[Mention],
    *,
    abbreviations: Iterable[Abbreviation] = (),
    evidence: Iterable[tuple[str, str, str]] = (),
    generic_words: Mapping[str, float] | Iterable[str] = (),
    types: Iterable[str] = (),
    recalled: Sequence[bool] | None = None,
) -> RuleGroups:
    """The automatic rules over every mention (arguments as :func:`resolve_entities`)."""
    abbreviations = list(abbreviations)
    noise: Counter = Counter()
    ratios = (
        dict(generic_words)
        if isinstance(generic_words, Mapping)
        else dict.fromkeys(generic_words, 1.0)
    )
    wanted = set(types) or {m.label for m in mentions} | {"PERSON", "ORG"}
    evidence = list(evidence)
    other_labels = _other_labels(evidence)
    mentions = without_common_leads(mentions, ratios, evidence, recalled)
    mentions = products_to_companies(mentions, other_labels, THINGS, ratios)
    nodes, raw = _nodes(mentions, recalled, noise)
    links = _link(nodes, abbreviations, ratios)
    decisions = Decisions(nodes, other_labels, wanted)
    groups = links.groups()
    return RuleGroups(
        nodes=nodes,
        groups=groups,
        joins=links.joins,
        ambiguous=links.ambiguous,
        shared=shared_lone_words(links, other_labels),
        noise=noise,
        count=len(mentions),
        first={node: _first_mention([node], nodes, mentions) for node in nodes},
        normalised={node: _normalised(nodes[node], raw[node]) for node in nodes},
        common=frozenset(word for word, ratio in ratios.items() if ratio >= COMMON),
        decisions=decisions,
    )


def apply_decisions(rules: RuleGroups, overrides: Sequence[Override] = ()) -> Resolution:
    """The entities of :func:`rule_groups` after the user's decisions, applied in order."""
    decisions = rules.decisions
    applied = apply_overrides(
        rules.groups,
        rules.nodes,
        overrides,
        order=rules.first_mention,
        shown=lambda group: decisions.entity(group).name,
        key=lambda group: decisions.entity(group).key,
        names=rules.names,
    )
    resolution = Resolution(
        keys=[None] * rules.count,
        entities={},
        dropped=Counter(rules.noise),
        unapplied=applied.unapplied,
        clashes=applied.clashes,
        by_name=applied.by_name,
    )
    root_key, type_reasons = _make_entities(resolution, applied, rules)
    where = {node: root for root, members in applied.groups.items() for node in members}
    _explain(resolution, rules, where, root_key, applied.joins, type_reasons)
    _record_ambiguity(resolution, rules.ambiguous, where, root_key)
    return resolution


def _nodes(
    mentions: Sequence[Mention], recalled: Sequence[bool] | None, dropped: Counter
) -> tuple[dict[Node, NodeInfo], dict[Node, Counter]]:
    """One node per name per article, and the raw spellings behind each; noise is counted."""
    nodes: dict[Node, NodeInfo] = {}
    raw: dict[Node, Counter] = defaultdict(Counter)
    for i, mention in enumerate(mentions):
        reason = noise_reason(mention.text)
        if reason:
            dropped[reason] += 1
            continue
        node = (mention.article_id, name_key(mention.text, mention.label))
        info = nodes.setdefault(node, NodeInfo())
        info.label[mention.label] += 1
        if recalled is not None and recalled[i]:
            info.recalled[mention.label] += 1  # found again: no vote on the type
        info.surfaces[clean_surface(mention.text)] += 1
        info.mentions.append(i)
        raw[node][" ".join(mention.text.split())] += 1
    return nodes, raw


def _other_labels(evidence: Iterable[tuple[str, str, str]]) -> dict[str, Counter]:
    """Name key → the model's other labels and the role words on that string.

    Role words count once per article, as the model's own labels on the
    entity do: an article that says "an Ipsumpod" four times is one vote.
    """
    other_labels: dict[str, Counter] = defaultdict(Counter)
    roles = set()
    for article_id, text, label in evidence:
        key = name_key(text, "ORG")
        if label.startswith(ROLE_PREFIX):
            if (article_id, key, label) in roles:
                continue
            roles.add((article_id, key, label))
        other_labels[key][label] += 1
    return other_labels


def _link(
    nodes: dict[Node, NodeInfo], abbreviations: list[Abbreviation], ratios: dict[str, float]
) -> Links:
    """The linking rules: each article's names, then the corpus's."""
    links = Links(nodes, generic=frozenset(ratios))
    by_article: dict[str, list[Node]] = defaultdict(list)
    for node in sorted(nodes):
        by_article[node[0]].append(node)
    abbreviations_of: dict[str, list[Abbreviation]] = defaultdict(list)
    for abbreviation in abbreviations:
        abbreviations_of[abbreviation.article_id].append(abbreviation)
    for article_id, article_nodes in by_article.items():
        link_article(links, article_nodes, abbreviations_of.get(article_id, ()))
    settle_in_articles(links)
    join_middle_initials(links)
    link_corpus(links, abbreviations)
    return links


def _why_dropped(root, members, applied, rules: RuleGroups) -> str | None:
    """Why a group makes no entity (a reason counted in ``dropped``), or ``None``.

    A user's drop first; then, unless the user named the group, the rules'
    reasons (:func:`automatic_drop`).
    """
    if root in applied.removed:
        return "dropped by user"
    if root in applied.names:
        return None
    return automatic_drop(rules, members)


def automatic_drop(rules: RuleGroups, members) -> str | None:
    """Why the rules make no entity of a group no user decision names, or ``None``:
    a common word, a lone word several names share, a type the build does not want."""
    if _common_word(members, rules.nodes, rules.common, rules.decisions):
        return "common word, never a longer name"
    if all(node in rules.shared for node in members):
        return SHARED_WORD
    if rules.decisions.type(members).type is None:
        return "not a wanted type (corpus evidence)"
    return None


def _make_entities(
    resolution: Resolution, applied, rules: RuleGroups
) -> tuple[dict[Node, str], dict[str, TypeDecision]]:
    """Each group that stays becomes an entity with a unique key; mentions get their keys.

    Groups are taken in order of first mention, so clashing keys ("org:x~2")
    do not depend on input order. Returns each group's key and each key's
    type decision.
    """
    groups, dropped, keys = applied.groups, resolution.dropped, resolution.keys
    nodes, decisions = rules.nodes, rules.decisions
    root_key: dict[Node, str] = {}
    type_reasons: dict[str, TypeDecision] = {}
    for root in sorted(groups, key=lambda r: rules.first_mention(groups[r])):
        members = groups[root]
        reason = _why_dropped(root, members, applied, rules)
        if reason:
            dropped[reason] += sum(len(nodes[n].mentions) for n in members)
            continue
        decision = decisions.type(members)
        if root in applied.names:
            entity = _entity(members, nodes, applied.names[root], decision.type or decision.model)
        else:
            entity = decisions.entity(members)
        if root in applied.types:
            entity = replace(entity, type=applied.types[root])
        key = applied.keys.get(root, entity.key)
        suffix = 2
        base = key
        while key in resolution.entities:
            key, suffix = f"{base}~{suffix}", suffix + 1
        resolution.entities[key] = replace(entity, key=key)
        root_key[root] = key
        if root in applied.types:
            resolution.typed[key] = applied.types[root]
        type_reasons[key] = decision
        if decision.changed and decision.type:
            resolution.retyped[key] = (decision.model, decision.type, decision.reason)
        for node in members:
            for i in nodes[node].mentions:
                keys[i] = key
    return root_key, type_reasons


def _record_ambiguity(resolution: Resolution, ambiguous: dict, where, root_key) -> None:
    """Short names kept apart: which entities each may also be (``Resolution.ambiguous``)."""
    for node, candidates in ambiguous.items():
        key = root_key.get(where.get(node))
        names_ = {root_key.get(where.get(c)) for c in candidates} - {key, None}
        if key and names_:
            resolution.ambiguous[key] = sorted(resolution.entities[k].name for k in names_)


def _first_mention(members: list[Node], nodes: dict[Node, NodeInfo], mentions) -> tuple:
    """Where the nodes are first named: ``(article, start, end, text)``."""
    return min(
        (mentions[i].article_id, mentions[i].start, mentions[i].end, mentions[i].text)
        for node in members
        for i in nodes[node].mentions
    )


def _common_word(members, nodes, generic, decisions) -> bool:
    """A group named only by one word the corpus mostly writes in lower case ("May"),
    unless words around it in two articles or more say it is an organisation ("told
    the Times", "the Independent newspaper")."""
    words = {node[1] for node in members}
    if len(words) != 1 or " " in next(iter(words)) or next(iter(words)) not in generic:
        return False
    if named_as_org(decisions.other_labels, next(iter(words))):
        return False
    return not any(" " in s for node in members for s in nodes[node].surfaces)


def _type_decision(members, nodes, other_labels, wanted) -> TypeDecision:
    """Weigh the corpus evidence on a group's type (:func:`decide_type`)."""
    # One vote per article (the node's majority label): the model repeats its
    # mistake on every mention of a name in an article.
    labels, full_labels, surfaces = Counter(), Counter(), Counter()
    for node in members:
        info = nodes[node]
        surfaces.update(info.surfaces)
        if not info.model_labels:
            continue  # only found again by the recall pass: no vote
        labels[info.type] += 1
        if not info.short or any(is_acronym(surface) for surface in info.surfaces):
            full_labels[info.type] += 1
    if not labels:
        labels = Counter({nodes[members[0]].type: 1})
    other: Counter = Counter()
    keys = {node[1] for node in members if not nodes[node].short}
    for key in sorted(keys):  # sorted: ties in the explanation read the same in every process
        other.update(other_labels.get(key, ()))
    for key in sorted({other_number(key) for key in keys} - keys):
        # "Oscars" is what "Oscar" is, and "Lorems" what "Lorem" is: the
        # plural's or singular's work and product labels count too.
        other.update({t: n for t, n in other_labels.get(key, {}).items() if t in THINGS})
    given = sum(1 for node in members if any(len(s.split()) >= 2 for s in nodes[node].surfaces))
    return decide_type(full_labels or labels, surfaces, other, wanted, given_articles=given)


class Decisions:
    """Each group's type decision and automatic entity, worked out once per set of members.

    User decisions look groups up by the name and key the resolver will give
    them, and the resolver then makes the same entities.
    """

    def __init__(self, nodes, other_labels, wanted):
        self.nodes, self.other_labels, self.wanted = nodes, other_labels, wanted
        self.decided_types: dict[tuple, TypeDecision] = {}
        self.made_entities: dict[tuple, Entity] = {}

    def type(self, members) -> TypeDecision:
        group = tuple(sorted(members))
        if group not in self.decided_types:
            self.decided_types[group] = _type_decision(
                group, self.nodes, self.other_labels, self.wanted
            )
        return self.decided_types[group]

    def entity(self, members) -> Entity:
        """The entity a group makes before user decisions (its display name and key)."""
        group = tuple(sorted(members))
        if group not in self.made_entities:
            decision = self.type(group)
            self.made_entities[group] = _entity(
                list(group), self.nodes, None, decision.type or decision.model
            )
        return self.made_entities[group]


def _entity(
    members: list[Node], nodes: dict[Node, NodeInfo], rename: str | None, type_: str
) -> Entity:
    aliases: Counter = Counter()
    labels: Counter = Counter()
    full: Counter = Counter()
    for node in members:
        info = nodes[node]
        aliases.update(info.surfaces)
        labels.update(info.label)
        if not info.short:
            full.update(info.surfaces)
    type_counts = sorted(labels.items(), key=lambda item: (-item[1], item[0]))
    automatic = display_name(full or aliases, type_)
    name = rename or automatic
    if name not in aliases:
        aliases[name] += 0
    return Entity(
        key=entity_key(automatic, type_),
        name=name,
        type=type_,
        aliases=tuple(
            sorted(aliases.items(), key=lambda item: (-item[1], item[0] != name, item[0]))
        ),
        type_counts=tuple(type_counts),
    )


def _normalisation(surface: str, target: str, type_: str) -> str:
    steps = surface_changes(surface)
    cleaned = clean_surface(surface)
    if strip_possessive(cleaned) != cleaned:
        steps.append("possessive")
    if core_name(surface, type_) != strip_possessive(cleaned):
        steps.append("title" if type_ == "PERSON" else "legal form")
    core, other = core_name(surface, type_), core_name(target, type_)
    if core != other:
        steps.append("case" if core.casefold() == other.casefold() else "accents or punctuation")
    return "same name (" + ", ".join(steps) + ")" if steps else "same name"


def _normalised(info: NodeInfo, raw: Counter) -> list[tuple[str, str, str]]:
    """A node's spellings other than its best one, each with what made it the same name."""
    target = info.surface
    return [
        (surface, _normalisation(surface, target, info.type), target)
        for surface in raw
        if surface != target
    ]


def _explain(resolution, rules: RuleGroups, where, root_key, user_joins, type_reasons) -> None:
    counts: dict[str, Counter] = defaultdict(Counter)
    for key, decision in type_reasons.items():
        if not decision.contested:
            continue
        entity = resolution.entities[key]
        counts[key][(entity.name, f"{EVIDENCE_RULE}: {decision.reason}", entity.type)] += 1
    nodes = rules.nodes
    for node, normalised in rules.normalised.items():
        key = root_key.get(where[node])
        if key is not None:
            for found in normalised:
                counts[key][found] += 1
    for short, target, rule in rules.joins:
        key = root_key.get(where[short])
        if key is not None and where[short] == where[target]:
            counts[key][(nodes[short].surface, rule, nodes[target].surface)] += 1
    for surface, rule, target in user_joins:
        key = root_key.get(where.get(target))
        if key is not None:
            counts[key][(surface, rule, nodes[target].surface)] += 1
    for key, counter in counts.items():
        resolution.entities[key], resolution.explanations[key] = _explained(
            resolution.entities[key], counter, retyped=key in resolution.retyped
        )


def _explained(entity: Entity, counter: Counter, *, retyped: bool):
    """``entity`` with the rules behind it, and its explanations in order, from ``counter``
    (``(surface, rule, target)`` → how many times)."""
    explanations = [
        Explanation(s, r, t, c)
        for (s, r, t), c in sorted(counter.items(), key=lambda x: (-x[1], x[0]))
    ]
    used = {r for _, r, _ in counter if not r.startswith(EVIDENCE_RULE)}
    if retyped:
        used.add(EVIDENCE_RULE)
    return replace(entity, rules=tuple(sorted(used))), explanations


def merged_group(
    rules: RuleGroups,
    members: Sequence[Node],
    *,
    key: str,
    name: str,
    user_type: str | None,
    user_joins: Counter,
) -> tuple[Entity, list[Explanation]]:
    """The entity, and its explanations, a merge makes of ``members`` (kept groups' nodes).

    What :func:`apply_decisions` makes of a group the user named (as a merge
    does): ``name`` and ``key`` kept, ``user_type`` if the user gave one, else
    the type the corpus evidence decides for all its members; explained by
    its members' spellings, the rules' joins among them and ``user_joins``
    (``(surface, rule, target)`` → count: the user's joins into the group).
    """
    members = sorted(members)
    decision = rules.decisions.type(members)
    entity = _entity(members, rules.nodes, name, decision.type or decision.model)
    if user_type is not None:
        entity = replace(entity, type=user_type)
    entity = replace(entity, key=key)
    counter: Counter = Counter(user_joins)
    if decision.contested:
        counter[(entity.name, f"{EVIDENCE_RULE}: {decision.reason}", entity.type)] += 1
    inside = set(members)
    for node in members:
        counter.update(rules.normalised[node])
    nodes = rules.nodes
    for short, target, rule in rules.joins:
        if short in inside and target in inside:
            counter[(nodes[short].surface, rule, nodes[target].surface)] += 1
    return _explained(entity, counter, retyped=decision.changed and bool(decision.type))
