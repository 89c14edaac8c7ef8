"""Small immutable records handed from one stage of the data flow to the next.

``sources`` yields :class:`Article`; ``extract`` yields :class:`Mention` and
:class:`Sentence`; ``resolve`` turns mentions into :class:`Entity` records.
Nothing here knows about spaCy, SQLite or networkx.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One news article as read from a source file.

    ``id`` is stable across runs: the record's own id when the source gives
    one, else derived from the file path (and line number for JSONL/CSV).
    ``author`` and ``site`` come from web pages' metadata when they have them.
    """

    id: str
    title: str
    text: str
    source: str
    date: str | None = None
    url: str | None = None
    fields: dict = field(default_factory=dict, hash=False)
    """Every other field the record carried (JSONL/CSV columns, Markdown front matter)."""
    author: str | None = None
    site: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: character span and the paragraph it sits in."""

    article_id: str
    index: int
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Mention:
    """One occurrence of a named entity in an article.

    ``start``/``end`` are character offsets into the article text, so
    ``article.text[start:end] == text``. ``sentence`` is the index of the
    :class:`Sentence` that holds it.
    """

    article_id: str
    sentence: int
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True)
class Abbreviation:
    """An acronym introduced in an article next to its long form.

    Found in the text itself ("People's Bank of China (PBOC)"), so it holds
    even when the NER model missed one of the two spans.
    """

    article_id: str
    short: str
    long: str


@dataclass(frozen=True)
class Entity:
    """A resolved entity: one node of the graph.

    ``key`` is stable across rebuilds of the same corpus and is the node id
    in the graph. ``aliases`` holds every surface form seen, with its count,
    most frequent first. ``type_counts`` keeps the labels the mentions
    carried, so a conflicting minority is visible.
    """

    key: str
    name: str
    type: str
    aliases: tuple[tuple[str, int], ...] = ()
    type_counts: tuple[tuple[str, int], ...] = ()
    rules: tuple[str, ...] = field(default=(), compare=False)
