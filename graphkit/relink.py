"""Re-linking: stored mentions → entities, and the ties between them.

Runs after every build and every user decision (:func:`link`) but a rename,
retype or drop that :mod:`graphkit.in_place` can apply to one entity's rows,
from what the last link kept for it (:data:`DECISION_STATE`). Resolution
reads corpus-wide facts (generic words, how many articles and mentions each
name has, the majority type of a group), so it runs over every stored
mention; a decision applies to the rules' groups kept by the previous one
(:func:`_rule_groups`) instead of running the rules again. What follows
costs what changed, each equal to doing it all again
(``tests/test_incremental.py``): the ties of the articles whose mentions,
links or near-duplicate standing changed (every article's under another
window or other tie rules), the attributions of mentions newly read as
sources (every source's under other attribution rules), and the rows that
differ. Near-duplicate groups are reused under a digest of the articles.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import itertools
import json
from array import array
from collections.abc import Iterable, Iterator, Sequence

from graphkit import resolve
from graphkit.ingest import duplicates
from graphkit.ingest.duplicates import near_duplicates, signature
from graphkit.progress import Progress
from graphkit.resolve import kept
from graphkit.resolve.attribution import CONTEXT, attributions, read_as_source
from graphkit.resolve.attribution import rules as attribution_rules
from graphkit.resolve.evidence import candidate_words, generic_from_counts
from graphkit.resolve.overrides import Override, overrides_from_rows
from graphkit.store import Store

WINDOWS = ("sentence", "paragraph", "article")
DEFAULT_WINDOW = "sentence"
# Bump when the near-duplicate test changes in a way its constants (see
# derived_digest) do not show.
DERIVED_RULES = 1
# The version of how ties are made from linked mentions (cooccurrences() and
# the mention contexts attributions read): another one re-ties every article.
TIE_RULES = 1
KEPT_RULE_GROUPS = "rule_groups"  # the automatic rules' groups (graphkit.resolve.kept)
# What a decision applied in place needs to know of the last link (graphkit.in_place).
DECISION_STATE = "decision_state"


def link(
    store: Store,
    *,
    window: str | None = None,
    progress: Progress | None = None,
    generic: dict[str, float] | None = None,
    keep_rules: bool = False,
) -> resolve.Resolution:
    """Resolve every stored mention into entities and bring co-occurrences up to date.

    Runs after each build and after each user decision (merge, rename …);
    returns the resolution so callers can report decisions that named no entity.
    Resolution reads every mention; what follows costs what changed: the
    ties of the articles :func:`_relinked_articles` names (every article's
    when the window changed or the stored ties' window is not known), the
    attributions of mentions newly read as sources (:func:`_attributions`),
    the rows that differ (:meth:`Store.save_resolution`). The store ends as
    a link from nothing leaves it (``tests/test_incremental.py``).
    ``progress`` hears of two phases: ``resolve`` and ``link``. ``generic``:
    :func:`stored_generic_words`, when the caller has it (the recall
    pass adds no mention it counts, so a build computes it once).
    ``keep_rules``: keep the rules' groups in the store for the decisions to
    come (:func:`_rule_groups`; curation asks, a build does not pay for it).
    """
    progress = progress or Progress()
    # read → resolve → save, no commit from others between; what is read is gone when
    # the collector runs again, so it never walks it
    with store.write_lock(), paused_gc():
        return _link_locked(store, window, progress, generic, keep_rules)


def _link_locked(
    store: Store,
    window: str | None,
    progress: Progress,
    generic: dict[str, float] | None,
    keep_rules: bool,
) -> resolve.Resolution:
    window = window or store.settings.get("window") or DEFAULT_WINDOW
    progress.start("resolve", unit="mention")
    mention_ids, mentions, recalled, previous = store.linked_mentions()
    if generic is None:
        found = [m for m, again in zip(mentions, recalled, strict=True) if not again]
        generic = stored_generic_words(store, found)
    overrides = overrides_from_rows(store.overrides())
    groups = _rule_groups(store, mention_ids, mentions, recalled, generic, keep=keep_rules)
    resolution = resolve.apply_decisions(groups, overrides)
    progress.advance(len(mentions))
    progress.finish()
    progress.start("link", unit="tie")
    state = store.link_state()
    same_rules = state is not None and state.get("attribution") == attribution_rules()
    sources = _attributions(
        store,
        mention_ids,
        mentions,
        resolution.keys,
        {key: entity.type for key, entity in resolution.entities.items()},
        previous=previous,
        stored_types=store.entity_types() if same_rules else None,
    )
    duplicates = find_near_duplicates(store)
    articles = None  # every article's ties, unless the stored ones are known
    if state is not None and (state.get("window"), state.get("ties")) == (window, TIE_RULES):
        articles = _relinked_articles(store, mentions, resolution.keys, sources, previous)
        articles |= store.duplicate_articles().keys() ^ duplicates.keys()
    chosen = [i for i, m in enumerate(mentions) if articles is None or m.article_id in articles]
    rows = list(
        cooccurrences(
            [mentions[i] for i in chosen],
            [resolution.keys[i] for i in chosen],
            window=window,
            paragraphs=store.sentence_paragraphs(articles) if window == "paragraph" else {},
            attributions=[sources[i] for i in chosen],
            duplicates=set(duplicates),
        )
    )
    _keep_decision_state(store, resolution if keep_rules else None)
    store.save_resolution(
        mention_ids,
        resolution,
        rows,
        attributions=sources,
        duplicates=duplicates,
        previous=previous,
        articles=articles,
        window=window,
        tie_rules=TIE_RULES,
    )
    progress.advance(len(rows))
    progress.finish()
    return resolution


def _rule_groups(
    store: Store,
    ids: list[int],
    mentions: list,
    recalled: list[bool],
    generic: dict[str, float],
    *,
    keep: bool,
) -> resolve.RuleGroups:
    """The automatic rules' groups of ``mentions``, kept from the last run if its inputs match.

    A user decision changes nothing the rules read, so the first decision
    after a build keeps their result in the store (:mod:`graphkit.resolve.kept`)
    and each further one is applied to it without running them again.
    ``keep``: keep what is worked out here, indexed (:func:`graphkit.resolve.kept.index`)
    by the mentions' ``ids``. Without it, and with nothing
    kept, no digest of the inputs is taken (a build of a store never curated);
    a result kept for other inputs is dropped, so the next builds take none.
    """
    inputs = {
        "abbreviations": store.abbreviations(),
        "evidence": store.label_evidence(),
        "generic_words": generic,
        "types": store.settings.get("types") or (),
        "recalled": recalled,
    }
    kept_before = store.keeps(KEPT_RULE_GROUPS)
    digest = kept.inputs_digest(mentions, **inputs) if keep or kept_before else None
    text = store.kept_result(KEPT_RULE_GROUPS, digest) if digest else None
    groups = kept.load(text) if text is not None else None
    if groups is None:
        groups = resolve.rule_groups(mentions, **inputs)
        if kept_before and not keep:
            store.forget_result(KEPT_RULE_GROUPS)
        if keep and digest:
            groups.complete()  # worked out once: for what is kept and the decisions now
            store.keep_result(KEPT_RULE_GROUPS, digest, kept.dump(groups))
    if keep and digest:
        # The same mentions may be stored again under new ids (an article read again).
        marker = f"{digest}:{hashlib.sha256(array('q', ids).tobytes()).hexdigest()}"
        if store.kept_index_marker(KEPT_RULE_GROUPS) != marker:
            store.keep_index(KEPT_RULE_GROUPS, marker, kept.index(groups, ids))
    return groups


def _keep_decision_state(store: Store, resolution: resolve.Resolution | None) -> None:
    """Keep what :mod:`graphkit.in_place` checks a decision against, or forget it.

    The keys several groups go by (a decision's key could then mean
    another group), the decisions that applied to nothing or found an entity
    by name, the types users gave (a merge in place keeps them), and the rules
    (another release resolves otherwise: its next decision re-links all).
    Kept when the link is for curation (``keep_rules``) and decisions were
    applied, so the groups' keys were counted; forgotten otherwise, and the
    next decision takes the whole re-link.
    """
    rules = kept.rules_version()
    if resolution is None or resolution.clashes is None or rules is None:
        store.connection.execute("DELETE FROM meta WHERE key = ?", (DECISION_STATE,))
        return
    state = {
        "rules": rules,
        "clashes": sorted(resolution.clashes),
        "unapplied": [o.id for o in resolution.unapplied],
        "typed": resolution.typed,
        "by_name": sorted(resolution.by_name),
    }
    store.set_meta(DECISION_STATE, json.dumps(state, ensure_ascii=False))


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector paused while stored mentions are read, resolved and linked.

    That makes millions of small containers and no reference cycles; the
    collector would walk them again and again for nothing (decoding the kept
    groups of BBC: 0.38 s with it, 0.05 s without; finding near-duplicates
    among BBC's signatures, 0.13 s with it, 0.04 s without). Memory is freed
    as usual, by reference counts; a cycle, if one is made, at the next
    collection after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _relinked_articles(
    store: Store, mentions: Sequence, keys: Sequence, sources: Sequence, previous: Sequence
) -> set[str]:
    """The articles whose ties a re-link changes, near-duplicates apart.

    An article's ties are worked out from its own mentions alone: their
    sentences, keys and attributions (and, with the paragraph window, its
    paragraphs). They change only where a mention's key or attribution
    differs from the stored link, where mentions were stored, re-extracted
    or recalled since the last re-link (:meth:`Store.link_pending`), and in
    articles no longer stored; whether an article is a near-duplicate is
    compared by the caller.
    """
    changed = store.link_pending() | store.tied_articles_gone()
    for mention, key, source, stored in zip(mentions, keys, sources, previous, strict=True):
        if (key, source) != tuple(stored):
            changed.add(mention.article_id)
    return changed


def _attributions(
    store: Store,
    mention_ids: Sequence[int],
    mentions: Sequence,
    keys: Sequence[str | None],
    types: dict[str, str],
    *,
    previous: Sequence[tuple],
    stored_types: dict[str, str] | None,
) -> list[str | None]:
    """:func:`~graphkit.resolve.attribution.attributions` of every mention, reading only
    the contexts of those it has to work out.

    A mention's pattern depends on its context (its article's text, its
    span and sentence: fixed for a stored mention) and on whether its key is
    read as a source, not on which key it is. Where the stored link was read
    as a source (``stored_types``: the stored entities' types) and the new
    one is too, the stored pattern is the answer; ``stored_types=None`` (the
    stored patterns are of other rules, or unknown) works out every one.
    Mentions not read as a source have none, with no context read.
    """
    found: list[str | None] = [None] * len(mentions)
    todo = []
    for i, key in enumerate(keys):
        if not read_as_source(key, types):
            continue
        entity, source = previous[i]
        if stored_types is not None and read_as_source(entity, stored_types):
            found[i] = source
        else:
            todo.append(i)
    contexts = mention_contexts(store, [mention_ids[i] for i in todo])
    worked_out = attributions(
        [mentions[i] for i in todo],
        [keys[i] for i in todo],
        types,
        [contexts[mention_ids[i]] for i in todo],
    )
    for i, source in zip(todo, worked_out, strict=True):
        found[i] = source
    return found


def mention_contexts(store: Store, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """The sentence text just before and after each of the mentions ``ids``."""
    rows = store.query(
        "SELECT m.id, substr(ar.text, max(ifnull(s.start, 0), m.start - ?) + 1,"
        " m.start - max(ifnull(s.start, 0), m.start - ?)),"
        " substr(ar.text, m.end + 1, min(ifnull(s.end, m.end + ?) - m.end, ?))"
        " FROM mentions m JOIN articles ar ON ar.id = m.article_id"
        " LEFT JOIN sentences s ON s.article_id = m.article_id AND s.idx = m.sentence"
        " WHERE m.id IN (SELECT value FROM json_each(?))",
        (CONTEXT, CONTEXT, CONTEXT, CONTEXT, json.dumps(list(ids))),
    )
    return {mention_id: (before or "", after or "") for mention_id, before, after in rows}


def derived_digest(store: Store) -> str:
    """The key under which the near-duplicate groups are kept.

    :meth:`Store.articles_digest` with the settings of the near-duplicate
    test, so a release that changes it looks again instead of serving the
    old groups.
    """
    copies = (duplicates.THRESHOLD, duplicates.PERMUTATIONS, duplicates.BANDS, duplicates.SHINGLE)
    rules = json.dumps([DERIVED_RULES, *copies])
    return f"{store.articles_digest()}:{hashlib.sha256(rules.encode()).hexdigest()[:12]}"


def stored_generic_words(store: Store, mentions: list | None = None) -> dict[str, float]:
    """:func:`~graphkit.resolve.evidence.generic_words` of the store, without reading its texts.

    The store keeps how often the corpus writes each word in each case,
    updated as articles are stored (:meth:`Store.word_cases`), so the words
    come from those counts and the model's mentions (40 ms on BBC).
    ``mentions``: the model's mentions (not recalled ones), when the caller
    has them.
    """
    if mentions is None:
        _, mentions = store.mentions(recalled=False)
    candidates = candidate_words(mentions)
    return generic_from_counts(candidates, *store.word_cases(candidates))


def find_near_duplicates(store: Store) -> dict[str, str]:
    """``{copy: original}`` for every stored article that repeats an older one.

    Signatures are computed once per article (when missing) and kept in the
    store; the oldest dated article of a group is the original. The groups
    depend on the articles' texts and dates alone: while
    :func:`derived_digest` is the one they were found for, the stored
    ``duplicate_of`` is the answer and MinHash is not run again.
    """
    digest = derived_digest(store)
    if store.get_meta("near_duplicates") == digest:
        return dict(
            store.query("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")
        )
    store.set_meta("near_duplicates", digest)  # saved with duplicate_of by save_resolution
    missing = store.query("SELECT id, text FROM articles WHERE signature IS NULL").fetchall()
    if missing:  # written in the caller's transaction (link's write lock)
        store.connection.executemany(
            "UPDATE articles SET signature = ? WHERE id = ?",
            [(signature(text), article_id) for article_id, text in missing],
        )
    rows = store.query(
        "SELECT id, signature FROM articles ORDER BY date IS NULL, date, id"
    ).fetchall()
    return {copy: original for copy, (original, _) in near_duplicates(rows).items()}


def unapplied_warnings(unapplied: Iterable[Override]) -> list[str]:
    """One line per user decision that named no entity of the corpus
    (:attr:`Resolution.unapplied <graphkit.resolve.Resolution.unapplied>`)."""
    return [
        f"decision {o.id or ''} '{o.action} {', '.join(o.names)}' names no entity; it has no effect"
        for o in unapplied
    ]


def cooccurrences(
    mentions: Sequence,
    keys: Sequence[str | None],
    *,
    window: str,
    paragraphs: dict | None = None,
    attributions: Sequence[str | None] | None = None,
    duplicates: set[str] | frozenset = frozenset(),
) -> Iterator[tuple[str, str, str, int, int, float]]:
    """Entity pairs sharing a window unit: ``(a, b, article, sentence_a, sentence_b, weight)``.

    Each unit counts once per pair (a name repeated in a sentence is not a
    stronger tie); ``a < b`` so every pair has one spelling. The sentences
    are where each entity is first named in the unit: the evidence.

    ``weight`` is ``1 / (n - 1)`` for a unit naming ``n`` entities: each unit
    gives each entity it names one unit of tie strength, shared among the
    others it names. Two people in a sentence make a tie of 1; a team sheet
    of 40 names makes 780 ties of 1/39 each, so it adds as much to a
    player's weighted degree as one sentence with one other person. The row
    count is the raw co-occurrence count.

    Mentions with an ``attributions`` pattern (a source, "told BBC News")
    and the mentions of ``duplicates`` (near-duplicate articles, whose
    sentences already count through their original) make no pairs.
    """
    units: dict[tuple, dict[str, int]] = {}
    attributions = attributions if attributions is not None else [None] * len(mentions)
    for mention, key, source in zip(mentions, keys, attributions, strict=True):
        if key is None or source is not None or mention.article_id in duplicates:
            continue
        if window == "sentence":
            unit = (mention.article_id, mention.sentence)
        elif window == "paragraph":
            unit = (
                mention.article_id,
                (paragraphs or {}).get((mention.article_id, mention.sentence), 0),
            )
        else:
            unit = (mention.article_id,)
        first = units.setdefault(unit, {})
        if key not in first or mention.sentence < first[key]:
            first[key] = mention.sentence
    for unit, first in units.items():
        if len(first) < 2:
            continue
        weight = 1 / (len(first) - 1)
        for a, b in itertools.combinations(sorted(first), 2):
            yield a, b, unit[0], first[a], first[b], weight
