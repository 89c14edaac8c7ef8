"""Store → networkx ``Graph``: entities as nodes, co-occurrences as weighted edges.

The graph is derived on demand and never saved: the store is the truth.
Nodes carry ``name``, ``type``, ``mentions``, ``articles``, ``aliases``,
``first_date`` and ``last_date``; edges carry ``weight`` (the sum over the
sentences naming both of ``1/(n-1)`` for a sentence naming ``n`` entities,
see :func:`graphkit.relink.cooccurrences`), ``cooccurrences`` (the raw
count of those sentences), ``articles`` and a few ``evidence`` records
(sentence, article id, title, date, url). All the evidence stays queryable
in the store (:func:`edge_evidence`, :mod:`graphkit.graph.drilldown`).

Near-duplicate articles count once: their mentions and sentences are left
out of counts and weights (their originals carry them). Excluded entities
(``exclude``, the store's stored exclusion list and the publishers it
detects) are left out of the graph, with their ties.

List sentences make no ties: a sentence naming more than
:data:`~graphkit.graph.settings.LIST_SIZE` entities (a team sheet, a cast, a
results table) says nothing about how any two of them are related. A tie
seen only in such sentences stays in the store with its evidence (``graphkit
evidence`` lists it) but is no edge of the graph unless ``lists=True``; a tie
also seen in ordinary sentences keeps every sentence in its counts. The
graph records the rule in ``G.graph["lists"]`` and the number of ties it left
out in ``G.graph["list_ties"]``.
"""

from __future__ import annotations

import json

import networkx as nx

from graphkit.graph import settings
from graphkit.graph.exclusions import apply_exclusions
from graphkit.graph.selection import select_articles
from graphkit.graph.settings import EVIDENCE_PER_EDGE
from graphkit.store import Store

ORIGINALS = "ar.duplicate_of IS NULL"
# The same rows for a query of co-occurrences ``c`` that reads no article (a
# co-occurrence is only stored for a stored article): the near-duplicates are few
# and have their own index (schema 5), so a tie's rows are not each looked up
# among all the articles.
NOT_DUPLICATES = "c.article_id NOT IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL)"


def _period(
    since: str | None, until: str | None, dated_only: bool, store: Store, where=None
) -> tuple[str, list]:
    """SQL condition on ``articles`` (aliased ``ar``) for a filter, near-duplicates left out."""
    selection = select_articles(store, since=since, until=until, dated_only=dated_only, where=where)
    return f"{selection.sql} AND {ORIGINALS}", selection.params


def build_graph(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    dated_only: bool = False,
    where=None,
    exclude=(),
    stored_exclusions: bool = True,
    lists: bool = False,
    evidence: int = EVIDENCE_PER_EDGE,
) -> nx.Graph:
    """The co-occurrence graph of the store, optionally for a period of time.

    Parameters
    ----------
    store : Store
        An open store (see :func:`graphkit.store.open_store`).
    since, until : str, optional
        Keep articles dated in this range (``YYYY-MM-DD``, ``YYYY-MM`` or
        ``YYYY``; inclusive; a partial date is its whole period). Undated
        articles are kept unless ``dated_only``.
    where : sequence of ``"FIELD=VALUE"``, optional
        Keep articles whose field has this value (all must hold); see
        :func:`graphkit.graph.selection.select_articles`.
    exclude : sequence of str
        Entity names (or aliases) to leave out, with their ties.
    stored_exclusions : bool
        Also leave out the store's exclusion list (``graphkit exclude``) and
        the publishers it detects (:func:`graphkit.graph.exclusions.publishers`).
    lists : bool
        Keep the ties whose only evidence is list sentences (see
        :data:`~graphkit.graph.settings.LIST_SIZE`); by default they stay in
        the store but make no edge.
    evidence : int
        Evidence records carried by each edge (all stay in the store).

    Returns
    -------
    networkx.Graph
        Node ids are entity keys; see the module docstring for attributes.
    """
    selection = select_articles(store, since=since, until=until, dated_only=dated_only, where=where)
    articles = (f"{selection.sql} AND {ORIGINALS}", selection.params)
    G = nx.Graph()
    _describe(G, store, selection, since=since, until=until, lists=lists)
    _add_entities(G, store, articles)
    prose = prose_weight(G.graph["window"], lists)
    _add_ties(G, store, articles, prose)
    if evidence > 0:
        _add_evidence(G, store, articles, evidence, prose)
    G.graph["articles"] = store.query(
        f"SELECT COUNT(*) FROM articles ar WHERE {articles[0]}", articles[1]
    ).fetchone()[0]
    apply_exclusions(G, store, exclude, stored=stored_exclusions)
    G.graph["store"] = str(store.path)  # where a name missing from the graph is looked up
    return G


def _describe(G: nx.Graph, store: Store, selection, *, since, until, lists: bool) -> None:
    """The graph's own attributes: settings, the period and fields it was read for, the list rule.

    The list rule reads sentences only: a paragraph or an article naming many
    entities is no list.
    """
    stored = store.settings
    G.graph.update(
        window=stored.get("window", "sentence"),
        model=stored.get("model_version", stored.get("model", "")),
        since=since,
        until=until,
        weight="sum of 1/(n-1) per sentence naming n entities",
    )
    if prose_weight(G.graph["window"], lists):  # the list rule is on
        G.graph["lists"] = (
            f"ties seen only in sentences naming more than {settings.LIST_SIZE} entities"
            " are left out"
        )
    if selection.where:
        G.graph["where"] = "; ".join(f"{k}={v}" for k, v in selection.where)
    if selection.active:
        G.graph["selection"] = selection.describe()


def _add_entities(G: nx.Graph, store: Store, articles: tuple[str, list]) -> None:
    """One node per entity mentioned in the articles read, with its counts and dates."""
    where, params = articles
    entities = {
        key: (name, etype, json.loads(aliases))
        for key, name, etype, aliases in store.query(
            "SELECT key, name, type, aliases FROM entities"
        )
    }
    rows = store.query(
        "SELECT m.entity, COUNT(*), COUNT(DISTINCT m.article_id), MIN(ar.date), MAX(ar.date)"
        f" FROM mentions m JOIN articles ar ON ar.id = m.article_id"
        f" WHERE m.entity IS NOT NULL AND {where} GROUP BY m.entity",
        params,
    )
    for key, mentions, count, first_date, last_date in rows:
        if key not in entities:
            continue
        name, etype, aliases = entities[key]
        G.add_node(
            key,
            name=name,
            type=etype,
            mentions=mentions,
            articles=count,
            aliases=[surface for surface, _ in aliases],
            first_date=first_date,
            last_date=last_date,
        )


def prose_weight(window: str, lists: bool) -> float:
    """The least weight of a co-occurrence row that is not from a list sentence.

    A row's weight is ``1/(n-1)`` for a unit naming ``n`` entities, so a
    sentence naming more than :data:`~graphkit.graph.settings.LIST_SIZE`
    entities has a weight below ``1/(LIST_SIZE-1)``. ``0`` (every row) when
    the list rule is off: asked for ``lists``, or a window other than the
    sentence.
    """
    return 1 / (settings.LIST_SIZE - 1) - 1e-9 if not lists and window == "sentence" else 0.0


def _add_ties(G: nx.Graph, store: Store, articles: tuple[str, list], prose: float) -> None:
    """One edge per pair of entities seen together in at least one sentence that is no list.

    A tie's ``weight``, ``cooccurrences`` and ``articles`` count all its
    sentences, list sentences included: what ``graphkit evidence`` lists.
    """
    listed = 0
    for a, b, weight, count, in_articles, in_prose in tie_rows(store, *articles, prose):
        if a not in G or b not in G:
            continue
        if not in_prose:
            listed += 1
            continue
        G.add_edge(a, b, weight=weight, cooccurrences=count, articles=in_articles, evidence=[])
    if prose:
        G.graph["list_ties"] = listed


def tie_rows(store: Store, where: str, params: list, prose: float, *, articles: bool = True):
    """``(a, b, weight, sentences, articles, sentences that are no list)`` per tie
    seen in the articles ``where`` selects (``ar``; co-occurrences ``c``).

    ``articles=False``: ``where`` names no article column (e.g. it uses
    :data:`NOT_DUPLICATES`), and the articles are not joined.
    """
    join = " JOIN articles ar ON ar.id = c.article_id" if articles else ""
    return store.query(
        "SELECT c.a, c.b, ROUND(SUM(c.weight), 4), COUNT(*), COUNT(DISTINCT c.article_id),"
        f" SUM(c.weight >= ?) FROM cooccurrences c{join} WHERE {where} GROUP BY c.a, c.b",
        [prose, *params],
    )


def _add_evidence(
    G: nx.Graph, store: Store, articles: tuple[str, list], limit: int, prose: float
) -> None:
    """The first ``limit`` evidence records of each edge, sentences that are no list first."""
    for a, b, record in _evidence_rows(store, *articles, limit, prose=prose):
        if G.has_edge(a, b):
            G.edges[a, b]["evidence"].append(record)


# Evidence is ranked on the ties' index rows alone (weight, sentences, the article's
# date), then the text is read for the rows kept: a tie seen in thousands of
# sentences reads a few articles, not thousands. Only the two sentences leave
# SQLite, not the article's whole text (a page's graph of 100,000 articles keeps
# 420,000 records, each of which would carry a copy of its article).
_EVIDENCE_SQL = """
SELECT r.a, r.b, r.article_id, art.title, art.date, art.url,
       substr(art.text, sa.start + 1, sa.end - sa.start),
       CASE WHEN sa.start = sb.start AND sa.end = sb.end THEN NULL
            ELSE substr(art.text, sb.start + 1, sb.end - sb.start) END,
       sa.start, sb.start
FROM (
    SELECT c.a, c.b, c.article_id, c.sentence_a, c.sentence_b,
           ROW_NUMBER() OVER (
               PARTITION BY c.a, c.b
               ORDER BY c.weight >= ? DESC, c.sentence_a = c.sentence_b DESC, ar.date DESC,
                        c.article_id, c.sentence_a
           ) AS rank
    FROM cooccurrences c
    JOIN articles ar ON ar.id = c.article_id
    WHERE {where} {pairs}
) r
JOIN articles art ON art.id = r.article_id
JOIN sentences sa ON sa.article_id = r.article_id AND sa.idx = r.sentence_a
JOIN sentences sb ON sb.article_id = r.article_id AND sb.idx = r.sentence_b
WHERE r.rank <= ? ORDER BY r.a, r.b, r.rank
"""
# Only the ties of a JSON list of [a, b] pairs (bound once).
_PAIRS = (
    "AND (c.a, c.b) IN"
    " (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))"
)


def _evidence_rows(
    store: Store,
    where: str,
    params: list,
    limit: int,
    pairs: list[tuple[str, str]] | None = None,
    *,
    prose: float = 0.0,
):
    """``(a, b, record)``: the first ``limit`` evidence records of each tie ``where``
    selects (of ``pairs`` only, ``a < b``, when given), sentences that are no list first."""
    pairs_sql, pairs_params = (_PAIRS, [json.dumps(pairs)]) if pairs is not None else ("", [])
    sql = _EVIDENCE_SQL.format(where=where, pairs=pairs_sql)
    for a, b, article_id, title, date, url, text_a, text_b, start_a, start_b in store.query(
        sql, [prose, *params, *pairs_params, limit]
    ):
        sentence = text_a.strip()
        if text_b is not None:
            first, second = (text_a, text_b) if start_a < start_b else (text_b, text_a)
            sentence = f"{first.strip()} … {second.strip()}"
        yield (
            a,
            b,
            {
                "article_id": article_id,
                "title": title,
                "date": date,
                "url": url,
                "sentence": " ".join(sentence.split()),
            },
        )


def edge_evidence(
    store: Store,
    a: str,
    b: str,
    *,
    limit: int = 20,
    since: str | None = None,
    until: str | None = None,
    dated_only: bool = False,
    where=None,
) -> list[dict]:
    """Evidence sentences for the connection of entities ``a`` and ``b``, from the store.

    ``store`` is an open :class:`Store` or a store path; ``a`` and ``b`` are
    entity keys. :func:`graphkit.evidence` takes names and lists everything.
    """
    if not isinstance(store, Store):
        from graphkit.store import open_store

        with open_store(store) as opened:
            return edge_evidence(
                opened,
                a,
                b,
                limit=limit,
                since=since,
                until=until,
                dated_only=dated_only,
                where=where,
            )
    where, params = _period(since, until, dated_only, store, where)
    pair = tuple(sorted((a, b)))
    return [record for _, _, record in _evidence_rows(store, where, params, limit, [pair])]


def corpus_summary(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    dated_only: bool = False,
    where=None,
) -> dict:
    """Counts, date range and settings of the articles in a period, for reports."""
    where, params = _period(since, until, dated_only, store, where)
    articles, first, last = store.query(
        f"SELECT COUNT(*), MIN(ar.date), MAX(ar.date) FROM articles ar WHERE {where}", params
    ).fetchone()
    mentions, entities = store.query(
        "SELECT COUNT(*), COUNT(DISTINCT m.entity) FROM mentions m"
        f" JOIN articles ar ON ar.id = m.article_id WHERE {where}",
        params,
    ).fetchone()
    period = {"since": since, "until": until, "dated_only": dated_only}
    return {
        "articles": articles,
        "mentions": mentions,
        "entities": entities,
        "first_date": first,
        "last_date": last,
        "settings": {**store.settings, **{k: v for k, v in period.items() if v}},
    }
