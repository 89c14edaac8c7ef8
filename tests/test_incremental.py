"""Incremental work gives the same store as doing it all again.

A build that adds articles to a store, and a decision (merge, undo), reuse
what they can (generic words, near-duplicates, the links of mentions that
did not change); the store they leave must equal a full rebuild of the same
articles: entities, aliases, explanations, mentions' entities, ties and
weights.
"""

from __future__ import annotations

import pytest
from conftest import write_jsonl
from store_content import resolved_content

from graphkit import pipeline
from graphkit.curation import record_decision, undo_decision
from graphkit.models import Article, Mention, Sentence
from graphkit.pipeline import build, content_hash, link, recall, stored_generic_words
from graphkit.resolve.evidence import generic_words
from graphkit.store import open_store

# Our own short articles. The second batch changes what the first one's
# mentions mean: "Moreau" alone gets a full name to join, "Nordpay" a longer
# form, and an earlier copy of the first article makes it the near-duplicate.
FIRST = {
    "a.txt": (
        "date 2024-03-05\nPilot announced\n\n"
        "Moreau said the pilot would start in April. Tomas Berg of Nordpay said the bank had "
        "asked Nordpay to run the payments. Tomas Berg met Moreau and Ingrid Lund in Oslo on "
        "Monday, and the three agreed on a timetable for the first stage of the work.\n"
    ),
    "b.txt": (
        "date 2024-03-06\nRegulator watches\n\n"
        "Ingrid Lund of the Financial Conduct Office said the regulator would watch the pilot. "
        "Lund told reporters that Nordpay had answered every question.\n"
    ),
}
SECOND = {
    "c.txt": (
        "date 2024-03-07\nGovernor speaks\n\n"
        "Alice Moreau, governor of the Bank of Lorraine, praised Nordpay Group. "
        "Alice Moreau said Ingrid Lund and Tomas Berg would report in May. "
        "Ingrid Lund told Nordpay Group that the pilot was ready.\n"
    ),
    "d.txt": (
        "date 2024-03-01\nPilot announced\n\n"
        "Moreau said the pilot would start in April. Tomas Berg of Nordpay said the bank had "
        "asked Nordpay to run the payments. Tomas Berg met Moreau and Ingrid Lund in Oslo on "
        "Monday, and the three agreed on a timetable for the first stage of the job.\n"
    ),
}


def _write(folder, files):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def two_step(tmp_path):
    """A store built from FIRST, then from FIRST and SECOND; and the folder."""
    folder = tmp_path / "articles"
    _write(folder, FIRST)
    db = tmp_path / "incremental.db"
    build([folder], db=db)
    _write(folder, SECOND)
    summary = build([folder], db=db)
    assert (summary.new, summary.unchanged) == (2, 2)
    return db, folder


def test_adding_articles_equals_a_full_rebuild(two_step, tmp_path):
    db, folder = two_step
    full = tmp_path / "full.db"
    build([folder], db=full)
    assert resolved_content(db) == resolved_content(full)
    with open_store(db) as store:
        # The second batch changed the first's meaning (what the test is about).
        duplicate = store.query("SELECT duplicate_of FROM articles WHERE id LIKE '%a.txt'")
        assert duplicate.fetchone()[0].endswith("d.txt")
        moreau = store.query("SELECT DISTINCT entity FROM mentions WHERE text = 'Moreau'")
        assert moreau.fetchall() == [("person:alice-moreau",)]


def test_a_decision_and_its_undo_equal_a_full_relink(two_step, tmp_path):
    db, _ = two_step
    before = resolved_content(db)
    decision = record_decision(db, "merge", ["Ingrid Lund", "Tomas Berg"])
    merged = resolved_content(db)
    assert merged != before
    assert merged == _relinked_from_nothing(db, tmp_path / "merged.db")
    undo_decision(db, decision.id)
    assert resolved_content(db) == before


def test_a_retype_that_only_changes_attributions_is_saved(two_step, tmp_path):
    db, _ = two_step
    told = (
        "SELECT DISTINCT entity, attribution FROM mentions WHERE text = 'Nordpay Group'"
        " ORDER BY attribution"
    )
    with open_store(db) as store:
        assert store.query(told).fetchall() == [
            ("org:nordpay-group", None),
            ("org:nordpay-group", "told"),
        ]
    record_decision(db, "retype", ["Nordpay Group", "PERSON"])
    with open_store(db) as store:
        # Same key, no longer an organisation: "told" no longer reads as a source.
        assert store.query(told).fetchall() == [("org:nordpay-group", None)]
    assert resolved_content(db) == _relinked_from_nothing(db, tmp_path / "retyped.db")


def test_generic_words_are_counted_again_when_articles_change(tmp_path):
    settings = {"model": "hand", "model_version": "1", "types": ["ORG"]}

    def add(store, article_id, text, mentions):
        article = Article(article_id, article_id, text, "hand")
        rows = [Mention(article_id, 0, s, s + len(t), t, "ORG") for s, t in mentions]
        store.save_extractions(
            [(article, content_hash(article), [], rows, [])], extraction="x", settings=settings
        )

    with open_store(tmp_path / "words.db", create=True) as store:
        add(store, "one", "Cabinet met. Cabinet agreed.", [(0, "Cabinet"), (13, "Cabinet")])
        assert stored_generic_words(store) == {}
        add(store, "two", "The cabinet and a cabinet maker.", [])
        found = store.mentions(recalled=False)[1]
        assert stored_generic_words(store) == generic_words(store.article_texts(), found)
        assert stored_generic_words(store) == {"cabinet": 0.25}
        # A changed article: its old words are taken away, its new ones counted.
        add(store, "two", "A budget and a new Budget.", [(18, "Budget")])
        found = store.mentions(recalled=False)[1]
        assert stored_generic_words(store) == generic_words(store.article_texts(), found)
        assert stored_generic_words(store) == {"budget": 0.25}
        counts = {w: (low, up) for w, low, up in store.query("SELECT * FROM word_cases")}
        assert counts["cabinet"] == (0, 2) and counts["budget"] == (1, 1)


def test_generic_words_are_counted_again_when_their_rule_changes(tmp_path, monkeypatch):
    from graphkit.resolve import evidence

    with open_store(tmp_path / "rule.db", create=True) as store:
        article = Article("one", "one", "Cabinet met. The cabinet and a cabinet maker.", "hand")
        mention = Mention("one", 0, 0, 7, "Cabinet", "ORG")
        settings = {"model": "hand", "model_version": "1", "types": ["ORG"]}
        store.save_extractions(
            [(article, content_hash(article), [], [mention], [])], extraction="x", settings=settings
        )
        assert stored_generic_words(store) == {"cabinet": 0.25}
        monkeypatch.setattr(evidence, "GENERIC", 3.0)  # a release that asks for more
        assert stored_generic_words(store) == {}


def _relinked_from_nothing(db, copy):
    """``db``'s content when every link is computed afresh: nothing kept from earlier links."""
    copy.write_bytes(db.read_bytes())
    with open_store(copy) as store:
        with store.connection:
            store.connection.execute("UPDATE mentions SET entity = NULL, attribution = NULL")
            store.connection.execute("UPDATE articles SET duplicate_of = NULL")
            store.connection.execute("DELETE FROM meta WHERE key = 'near_duplicates'")
            store.connection.execute("DELETE FROM meta WHERE key LIKE 'kept:%'")
            for table in ("entities", "entity_explanations", "cooccurrences"):
                store.connection.execute(f"DELETE FROM {table}")
        link(store)
    return resolved_content(copy)


def _add_by_hand(store, article_id, text, mentions, evidence=()):
    """Store an article with the mentions (and other labels) given, as an extraction would."""
    settings = {"model": "hand", "model_version": "1", "types": ["PERSON", "ORG"]}
    article = Article(article_id, article_id, text, "hand")
    found = [Mention(article_id, 0, s, s + len(t), t, label) for s, t, label in mentions]
    others = [Mention(article_id, 0, s, s + len(t), t, label) for s, t, label in evidence]
    sentence = Sentence(article_id, 0, 0, len(text), 0)
    store.save_extractions(
        [(article, content_hash(article), [sentence], found, [], others)],
        extraction="x",
        settings=settings,
    )


def _recalled(store):
    rows = store.query(
        "SELECT article_id, start, end, text, label FROM mentions WHERE recalled = 1"
    ).fetchall()
    return sorted(rows)


def test_recall_reads_only_what_changed_and_equals_a_pass_over_everything(tmp_path, monkeypatch):
    with open_store(tmp_path / "recall.db", create=True) as store:
        _add_by_hand(store, "old1", "Harbin Nordvik spoke. Later Harbin Nordvik left.", [])
        _add_by_hand(
            store,
            "old2",
            "Quillon said yes. Quillon said no.",
            [(0, "Quillon", "PERSON"), (18, "Quillon", "PERSON")],
        )
        _add_by_hand(store, "old3", "Then Quillon arrived.", [])
        _add_by_hand(store, "quiet", "Nothing happened here.", [])
        recall(store)
        assert _recalled(store) == [("old3", 5, 12, "Quillon", "PERSON")]

        # The new articles make "Harbin Nordvik" a name, and "Quillon" a place.
        _add_by_hand(store, "new1", "Harbin Nordvik met us.", [(0, "Harbin Nordvik", "PERSON")])
        _add_by_hand(
            store,
            "new2",
            "Quillon is a town. Quillon is far. Quillon again.",
            [],
            [(0, "Quillon", "GPE"), (19, "Quillon", "GPE"), (35, "Quillon", "GPE")],
        )
        read = []
        original = pipeline.recall_mentions

        def reading(article_id, *args):
            read.append(article_id)
            return original(article_id, *args)

        monkeypatch.setattr(pipeline, "recall_mentions", reading)
        assert recall(store) == 2
        incremental = _recalled(store)
        assert sorted(read) == ["new1", "new2", "old1", "old2", "old3"]  # not "quiet"
        assert incremental == [
            ("old1", 0, 14, "Harbin Nordvik", "PERSON"),
            ("old1", 28, 42, "Harbin Nordvik", "PERSON"),
        ]
        read.clear()
        monkeypatch.setattr(pipeline, "RECALL_RULES", pipeline.RECALL_RULES + 1)
        recall(store)  # new rules: every article again
        assert sorted(read) == ["new1", "new2", "old1", "old2", "old3", "quiet"]
        assert _recalled(store) == incremental
        read.clear()
        recall(store)  # nothing changed since
        assert read == []
        store.connection.execute("DELETE FROM meta WHERE key = 'recall_names'")
        recall(store)  # no record of the last pass: every article again
        assert len(read) == 6
        assert _recalled(store) == incremental


def test_an_article_read_as_before_is_not_repaired_again(tmp_path, monkeypatch):
    records = [
        {"id": name, "title": "Pilot announced", "text": text.split("\n\n", 1)[1]}
        for name, text in FIRST.items()
    ]
    source = tmp_path / "articles.jsonl"
    write_jsonl(source, records)
    db = tmp_path / "repair.db"
    build([source], db=db)
    repaired = []
    original = pipeline.repair_article

    def repairing(article):
        repaired.append(article.id.rsplit("#", 1)[-1])
        return original(article)

    monkeypatch.setattr(pipeline, "repair_article", repairing)
    records[0]["title"] = "Pilot &amp; plan announced"
    records.append({"id": "c", "title": "Governor", "text": SECOND["c.txt"].split("\n\n", 1)[1]})
    write_jsonl(source, records)
    summary = build([source], db=db)
    assert (summary.new, summary.unchanged) == (1, 2)
    assert repaired == ["c"]  # a.txt's new title is repaired on its own
    with open_store(db) as store:
        title = store.query("SELECT title FROM articles WHERE id LIKE '%a.txt'").fetchone()[0]
    assert title == "Pilot & plan announced"
    # New repair rules: every article is repaired again, and none is re-extracted.
    monkeypatch.setattr(pipeline, "REPAIR_RULES", pipeline.REPAIR_RULES + 1)
    repaired.clear()
    summary = build([source], db=db)
    assert (summary.new, summary.changed, summary.unchanged) == (0, 0, 3)
    assert sorted(repaired) == ["a.txt", "b.txt", "c"]
    repaired.clear()
    build([source], db=db)
    assert repaired == []  # the hashes under the new rules were kept
