"""HTML entities and mojibake repaired when articles are read (hand-written text only)."""

from __future__ import annotations

import json

import graphkit
from graphkit.ingest.text_repair import repair_article, repair_text
from graphkit.models import Article


def test_html_entities_are_decoded():
    assert repair_text("Pap&#233; met Bryn F&#244;n &amp; friends") == "Papé met Bryn Fôn & friends"


def test_mojibake_is_repaired():
    assert repair_text("the cafÃ© owner") == "the café owner"


def test_a_lost_quote_between_letters_becomes_an_apostrophe():
    assert repair_text("Vance&#191;s plan") == "Vance’s plan"
    assert repair_text("¿Qué tal?") == "¿Qué tal?"


def test_clean_text_and_ampersands_in_names_are_left_alone():
    for text in ("AT&T and S&P rose", "R&D budgets", "plain ascii text", "“curly” quotes"):
        assert repair_text(text) == text


def test_repair_article_keeps_an_unchanged_article_identical():
    article = Article("a", "Title", "Nothing to fix.", "src")
    assert repair_article(article) is article
    fixed = repair_article(Article("a", "Caf&#233;", "Caf&#233; owners", "src"))
    assert (fixed.title, fixed.text) == ("Café", "Café owners")


def test_build_stores_and_extracts_the_repaired_text(tmp_path):
    corpus = tmp_path / "c.jsonl"
    text = "Jos&#233; Mour&#237;nho, the Chelsea manager, spoke to reporters in London on Friday."
    corpus.write_text(json.dumps({"id": "x", "title": "t", "text": text}) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    graphkit.build([corpus], db=db)
    with graphkit.open_store(db) as store:
        (stored,) = store.query("SELECT text FROM articles").fetchone()
        mentions = [m.text for m in store.mentions()[1]]
    assert stored.startswith("José Mourínho")
    assert "&#" not in " ".join(mentions)
