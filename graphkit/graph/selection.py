"""Which articles a reading command looks at: a period, article fields, and near-duplicates.

Every command that reads the graph (and the drill-down queries) selects its
articles here, as one SQL condition on ``articles`` (aliased ``ar``), so a
filter means the same everywhere. A filter that cannot select anything is an
error that says why (no dates in the store, no article in the period, no
article with that field value), never an empty answer in silence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graphkit.dates import parse_period
from graphkit.errors import GraphkitError
from graphkit.store import Store

BUILT_IN_FIELDS = ("source", "title", "url")


@dataclass(frozen=True)
class Selection:
    """A period and field conditions, checked and turned into SQL by :func:`select_articles`."""

    since: str | None = None
    until: str | None = None
    dated_only: bool = False
    where: tuple[tuple[str, str], ...] = ()
    sql: str = "1"
    params: list = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.dated_only or self.where)

    def describe(self) -> str:
        """The filter as typed, for messages (``--since 2005 --where category=tech``)."""
        parts = []
        if self.since:
            parts.append(f"--since {self.since}")
        if self.until:
            parts.append(f"--until {self.until}")
        if self.dated_only:
            parts.append("--dated-only")
        parts += [f"--where {k}={v}" for k, v in self.where]
        return " ".join(parts)


def parse_where(values: Iterable[str] | None) -> tuple[tuple[str, str], ...]:
    """``["category=politics"]`` → ``(("category", "politics"),)``; no ``=`` is an error."""
    pairs = []
    for value in values or ():
        name, sep, wanted = str(value).partition("=")
        if not sep or not name.strip():
            raise GraphkitError(
                f"--where {value!r}: use FIELD=VALUE, e.g. --where category=politics"
            )
        pairs.append((name.strip(), wanted.strip()))
    return tuple(pairs)


def field_path(name: str) -> str:
    """The JSON path of an article field (quoted, so any field name works)."""
    return '$."' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def select_articles(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    dated_only: bool = False,
    where: Sequence[str] | Sequence[tuple[str, str]] | None = None,
    check: bool = True,
) -> Selection:
    """Check a filter against the store and return it with its SQL condition.

    Parameters
    ----------
    since, until : str, optional
        Dates or partial dates (``2021``, ``2021-2``, ``2021-02-14``),
        inclusive; a partial date is the whole period (see
        :func:`graphkit.dates.parse_period`). Undated articles are kept
        unless ``dated_only``.
    where : sequence of ``"FIELD=VALUE"`` (or pairs)
        Keep articles whose field equals the value (case-insensitive); all
        conditions must hold. Fields are the extra fields of the articles
        (``graphkit info`` lists them) and ``source``, ``title``, ``url``.
    check : bool
        Raise when the filter selects no article, saying why.

    Raises
    ------
    GraphkitError
        An invalid date or inverted range; a period on a store with no dated
        article; an unknown field; a filter that selects no article.
    """
    pairs = tuple(p if isinstance(p, tuple) else parse_where([p])[0] for p in (where or ()))
    start, end = parse_period(since, until)
    clauses, params = [], []
    if start:
        # '~' sorts after every digit and '-': a partial date "2021-02" reaches to its end.
        clauses.append(
            "ar.date || '~' >= ?" if dated_only else "(ar.date IS NULL OR ar.date || '~' >= ?)"
        )
        params.append(start)
    if end:
        clauses.append("ar.date <= ?" if dated_only else "(ar.date IS NULL OR ar.date <= ?)")
        params.append(end)
    if dated_only:
        clauses.append("ar.date IS NOT NULL")
    known = None
    for name, wanted in pairs:
        if known is None:
            known = article_fields(store)
        if name in known:
            clauses.append("CAST(json_extract(ar.fields, ?) AS TEXT) = ? COLLATE NOCASE")
            params += [field_path(name), wanted]
        elif name in BUILT_IN_FIELDS:
            clauses.append(f"ar.{name} = ? COLLATE NOCASE")
            params.append(wanted)
        else:
            listed = ", ".join([*known, *BUILT_IN_FIELDS])
            raise GraphkitError(
                f"--where {name}={wanted}: no article has a field {name!r} (fields: {listed})"
            )
    selection = Selection(since, until, dated_only, pairs, " AND ".join(clauses) or "1", params)
    if check and selection.active:
        _check_not_empty(store, selection, start, end)
    return selection


def _check_not_empty(store: Store, selection: Selection, start, end) -> None:
    if start or end or selection.dated_only:
        dated, first, last = store.query(
            "SELECT COUNT(date), MIN(date), MAX(date) FROM articles"
        ).fetchone()
        if not dated:
            raise GraphkitError(
                f"{selection.describe()}: no article in the store has a date, so a period "
                "selects nothing; leave out --since/--until (or give the articles dates)"
            )
        in_period = store.query(
            f"SELECT COUNT(*) FROM articles ar WHERE ar.date IS NOT NULL AND {selection.sql}",
            selection.params,
        ).fetchone()[0]
        if not in_period:
            raise GraphkitError(
                f"{selection.describe()}: no dated article in this period "
                f"(the store's articles are dated {first} to {last})"
            )
    for name, wanted in selection.where:
        alone = select_articles(store, where=[(name, wanted)], check=False)
        if not store.query(
            f"SELECT 1 FROM articles ar WHERE {alone.sql} LIMIT 1", alone.params
        ).fetchone():
            common = ", ".join(f"{v} ({n})" for v, n in field_values(store, name, limit=5))
            raise GraphkitError(
                f"--where {name}={wanted}: no article has this value"
                + (f" (most common: {common})" if common else "")
            )
    if not store.query(
        f"SELECT 1 FROM articles ar WHERE {selection.sql} LIMIT 1", selection.params
    ).fetchone():
        raise GraphkitError(
            f"{selection.describe()}: no article matches all of these conditions together"
        )


def article_fields(store: Store) -> dict[str, int]:
    """``{field: articles carrying it}`` for the articles' extra fields, most common first."""
    rows = store.query(
        "SELECT je.key, COUNT(*) FROM articles, json_each(articles.fields) je"
        " GROUP BY je.key ORDER BY COUNT(*) DESC, je.key"
    )
    return dict(rows)


def field_values(store: Store, name: str, *, limit: int = 5) -> list[tuple[str, int]]:
    """The most common values of an article field, with their article counts."""
    if name in BUILT_IN_FIELDS and name not in article_fields(store):
        sql = f"SELECT {name}, COUNT(*) FROM articles WHERE {name} IS NOT NULL GROUP BY 1"
        params: list = []
    else:
        sql = (
            "SELECT CAST(json_extract(fields, ?) AS TEXT) AS v, COUNT(*) FROM articles"
            " WHERE v IS NOT NULL GROUP BY v"
        )
        params = [field_path(name)]
    return list(store.query(sql + " ORDER BY COUNT(*) DESC, 1 LIMIT ?", [*params, limit]))
