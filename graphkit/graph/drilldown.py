"""Every claim one step from its sources: all the mentions of an entity, all the sentences of a tie.

A page shows a few sentences per tie and a graph export keeps a few; these
queries list everything the store holds, a page at a time, newest first.
They read the store with indexed queries (``mentions (entity, article_id)``,
``cooccurrences (a, b, ...)``), so their cost grows with the entity's own mentions
or the tie's own sentences, not with the corpus, and they never build the
graph.

- :func:`entity_mentions`: the articles that mention an entity (title, date,
  url, how many times, how many of those are attributions such as "told BBC
  News"), or with ``sentences=True`` every sentence;
- :func:`tie_evidence`: every sentence in which two entities are mentioned
  together (each with the weight it gives the tie).

Near-duplicate articles are listed with the article they repeat
(``duplicate_of``); their sentences do not add to a tie (the original's do).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graphkit.errors import GraphkitError, UnknownEntityError
from graphkit.graph.lookup import stored_entity
from graphkit.graph.selection import select_articles
from graphkit.store import Store

NEWEST_FIRST = "ar.date IS NULL, ar.date DESC, ar.id"


@dataclass(frozen=True)
class Listing:
    """One page of a drill-down: ``rows`` (dicts), and ``total`` rows over all pages.

    ``entities`` are the display names the query was about; ``selection``
    the filter as typed (empty when none).
    """

    rows: list[dict]
    total: int
    offset: int
    limit: int | None
    entities: tuple[str, ...]
    selection: str = ""
    totals: dict = field(default_factory=dict)

    @property
    def remaining(self) -> int:
        """Rows after this page."""
        return max(self.total - self.offset - len(self.rows), 0)


def _entity(store: Store, name: str) -> tuple[str, str]:
    match = stored_entity(store, name)
    return match.node, match.name


def _page(limit: int | None, offset: int) -> tuple[str, list]:
    if offset < 0 or (limit is not None and limit < 1):
        raise GraphkitError("--limit must be at least 1 and --offset at least 0")
    return " LIMIT ? OFFSET ?", [-1 if limit is None else limit, offset]


def entity_mentions(
    store: Store,
    name: str,
    *,
    sentences: bool = False,
    limit: int | None = None,
    offset: int = 0,
    **selection,
) -> Listing:
    """Every article (or, with ``sentences``, every sentence) that mentions ``name``.

    Article rows: ``article_id, title, date, url, mentions, attributions,
    duplicate_of``. Sentence rows: ``article_id, title, date, url, sentence
    (index), text, mentions, attribution`` (the reporting pattern when the
    entity is named there as a source). Newest first, undated last.
    ``selection``: ``since``, ``until``, ``dated_only``, ``where``, as for
    :func:`graphkit.graph.selection.select_articles`.

    Raises
    ------
    UnknownEntityError
        No entity of the store is called ``name`` (with suggestions), or it
        has no mention in the articles selected (the message says so).
    """
    key, display = _entity(store, name)
    selection = select_articles(store, **selection)
    base = (
        " FROM mentions m JOIN articles ar INDEXED BY articles_original ON ar.id = m.article_id"
        f" WHERE m.entity = ? AND {selection.sql}"
    )
    params = [key, *selection.params]
    total_mentions, total_articles, total_sentences = store.query(
        "SELECT COUNT(*), COUNT(DISTINCT m.article_id),"
        " COUNT(DISTINCT m.article_id || char(31) || m.sentence)" + base,
        params,
    ).fetchone()
    if total_mentions == 0:
        _nothing_selected(store, key, display, selection.describe())
    page_sql, page_params = _page(limit, offset)
    # The totals and the page come from indexes alone (the entity's mentions,
    # the articles' dates); only the page's own rows are read, for titles and
    # sentence texts. Reading every article naming the entity would cost, at
    # 100,000 articles, 11,000 scattered rows for a page of 20.
    if sentences:
        # Each sentence once, with its text, the entity's mentions in it and
        # the reporting pattern when the entity is named there as a source.
        chosen = "m.sentence AS sentence, COUNT(*) AS n, MAX(m.attribution) AS a"
        select = (
            "p.sentence, (SELECT substr(ar.text, s.start + 1, s.end - s.start) FROM sentences s"
            "   WHERE s.article_id = p.id AND s.idx = p.sentence), p.n, p.a"
        )
        grouping, columns = (
            "m.article_id, m.sentence",
            ("sentence", "text", "mentions", "attribution"),
        )
        then, total = "sentence", total_sentences
    else:
        chosen = "COUNT(*) AS n, COUNT(m.attribution) AS a"
        select = "p.n, p.a"
        grouping, columns = "m.article_id", ("mentions", "attributions")
        then, total = None, total_articles
    rows = store.query(
        f"WITH p AS (SELECT m.article_id AS id, ar.date AS date, {chosen}"
        + base
        + f" GROUP BY {grouping} ORDER BY {NEWEST_FIRST}{f', m.{then}' if then else ''}"
        + page_sql
        + f") SELECT ar.id, ar.title, ar.date, ar.url, {select}, ar.duplicate_of"
        " FROM p JOIN articles ar ON ar.id = p.id"
        f" ORDER BY p.date IS NULL, p.date DESC, p.id{f', p.{then}' if then else ''}",
        [*params, *page_params],
    )
    names = ("article_id", "title", "date", "url", *columns, "duplicate_of")
    records = [dict(zip(names, row, strict=True)) for row in rows]
    for record in records if sentences else ():
        record["text"] = " ".join((record["text"] or "").split())
    return Listing(
        records,
        total,
        offset,
        limit,
        (display,),
        selection.describe(),
        {"mentions": total_mentions, "articles": total_articles, "sentences": total_sentences},
    )


def tie_evidence(
    store: Store,
    a: str,
    b: str,
    *,
    limit: int | None = None,
    offset: int = 0,
    **selection,
) -> Listing:
    """Every sentence in which ``a`` and ``b`` are mentioned together, newest first.

    Rows: ``article_id, title, date, url, sentence, weight`` (what the
    sentence adds to the tie: ``1/(n-1)`` for a sentence naming ``n``
    entities). With a paragraph or article window the two entities may sit in
    two sentences; both are given, joined by " … ". ``selection`` as for
    :func:`entity_mentions`.

    Raises
    ------
    UnknownEntityError
        A name matches no entity of the store.
    GraphkitError
        The two names are one entity, or they are never mentioned together
        (in the articles selected).
    """
    (key_a, name_a), (key_b, name_b) = _entity(store, a), _entity(store, b)
    if key_a == key_b:
        raise GraphkitError(f"{a!r} and {b!r} are the same entity ({name_a!r})")
    first, second = sorted((key_a, key_b))
    selection = select_articles(store, **selection)
    base = (
        " FROM cooccurrences c JOIN articles ar ON ar.id = c.article_id"
        f" WHERE c.a = ? AND c.b = ? AND {selection.sql}"
    )
    params = [first, second, *selection.params]
    total, weight, articles = store.query(
        "SELECT COUNT(*), ROUND(SUM(c.weight), 4), COUNT(DISTINCT c.article_id)" + base, params
    ).fetchone()
    if total == 0:
        everywhere = store.query(
            "SELECT COUNT(*) FROM cooccurrences WHERE a = ? AND b = ?", (first, second)
        ).fetchone()[0]
        if everywhere and selection.active:
            raise GraphkitError(
                f"{name_a!r} and {name_b!r} are mentioned together {everywhere} time(s) in the"
                f" store, but not in the articles selected by {selection.describe()}"
            )
        raise GraphkitError(
            f"{name_a!r} and {name_b!r} are never mentioned together"
            " (as actors: a source such as 'told X' makes no tie); try 'graphkit path'"
        )
    page_sql, page_params = _page(limit, offset)
    rows = store.query(
        "SELECT ar.id, ar.title, ar.date, ar.url, c.weight,"
        " (SELECT substr(ar.text, s.start + 1, s.end - s.start) FROM sentences s"
        "   WHERE s.article_id = c.article_id AND s.idx = min(c.sentence_a, c.sentence_b)),"
        " (SELECT substr(ar.text, s.start + 1, s.end - s.start) FROM sentences s"
        "   WHERE s.article_id = c.article_id AND s.idx = max(c.sentence_a, c.sentence_b)),"
        " c.sentence_a = c.sentence_b"
        + base
        + f" ORDER BY {NEWEST_FIRST}, min(c.sentence_a, c.sentence_b)"
        + page_sql,
        [*params, *page_params],
    )
    records = []
    for article_id, title, date, url, tie_weight, one, other, same in rows:
        text = one if same else f"{(one or '').strip()} … {(other or '').strip()}"
        records.append(
            {
                "article_id": article_id,
                "title": title,
                "date": date,
                "url": url,
                "sentence": " ".join((text or "").split()),
                "weight": round(tie_weight, 4),
            }
        )
    return Listing(
        records,
        total,
        offset,
        limit,
        (name_a, name_b),
        selection.describe(),
        {"sentences": total, "weight": weight, "articles": articles},
    )


def _nothing_selected(store: Store, key: str, display: str, selection: str) -> None:
    everywhere = store.query("SELECT COUNT(*) FROM mentions WHERE entity = ?", (key,)).fetchone()[0]
    if selection and everywhere:
        raise UnknownEntityError(
            display,
            outside=f"{display!r} has {everywhere} mention(s) in the store, none in the"
            f" articles selected by {selection}",
        )
    raise GraphkitError(f"{display!r} has no stored mention")
