"""The ties of a few articles worked out again from their stored links."""

from __future__ import annotations

import json
from collections.abc import Iterable

from graphkit.models import Mention
from graphkit.relink import cooccurrences
from graphkit.store import Store


def retie(store: Store, articles: Iterable[str], window: str) -> None:
    """The ties of ``articles`` worked out again from their stored links."""
    articles = sorted(articles)
    chosen = json.dumps(articles)
    rows = store.query(
        "SELECT article_id, sentence, start, end, text, label, entity, attribution FROM mentions"
        " WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, start, id",
        (chosen,),
    ).fetchall()
    copies = {
        article
        for (article,) in store.query(
            "SELECT id FROM articles WHERE duplicate_of IS NOT NULL"
            " AND id IN (SELECT value FROM json_each(?))",
            (chosen,),
        )
    }
    ties = cooccurrences(
        [Mention(*row[:6]) for row in rows],
        [row[6] for row in rows],
        window=window,
        paragraphs=store.sentence_paragraphs(articles) if window == "paragraph" else {},
        attributions=[row[7] for row in rows],
        duplicates=copies,
    )
    store.replace_ties(articles, ties)
