"""Incremental work gives the same store as doing it all again.

A build that adds articles to a store, and a decision (merge, undo), reuse
what they can (generic words, near-duplicates, the links of mentions that
did not change); the store they leave must equal a full rebuild of the same
articles: entities, aliases, explanations, mentions' entities, ties and
weights.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
from conftest import write_jsonl
from store_content import linked_content as _content
from store_content import relinked_from_nothing as _relinked_from_nothing

from graphkit import pipeline, relink
from graphkit.curation import record_decision, undo_decision
from graphkit.models import Article, Mention, Sentence
from graphkit.pipeline import build, content_hash, link, recall, stored_generic_words
from graphkit.resolve import attribution
from graphkit.resolve.attribution import rules as attribution_rules
from graphkit.resolve.evidence import generic_words
from graphkit.store import Store, open_store

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
    assert _content(db) == _content(full)
    with open_store(db) as store:
        # The second batch changed the first's meaning (what the test is about).
        duplicate = store.query("SELECT duplicate_of FROM articles WHERE id LIKE '%a.txt'")
        assert duplicate.fetchone()[0].endswith("d.txt")
        moreau = store.query("SELECT DISTINCT entity FROM mentions WHERE text = 'Moreau'")
        assert moreau.fetchall() == [("person:alice-moreau",)]


def test_a_decision_and_its_undo_equal_a_full_relink(two_step, tmp_path):
    db, _ = two_step
    before = _content(db)
    decision = record_decision(db, "merge", ["Ingrid Lund", "Tomas Berg"])
    merged = _content(db)
    assert merged != before
    assert merged == _relinked_from_nothing(db, tmp_path / "merged.db")
    undo_decision(db, decision.id)
    assert _content(db) == before


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
    assert _content(db) == _relinked_from_nothing(db, tmp_path / "retyped.db")


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


def test_a_batch_counts_words_as_its_articles_one_by_one(tmp_path):
    """Word counts are summed over a batch: the same as each article's in turn,
    with a replaced article's old words taken away."""
    settings = {"model": "hand", "model_version": "1", "types": ["ORG"]}
    texts = {
        "one": "Budget day. The budget is late.",
        "two": "Cabinet met the Budget office.",
        "three": "A cabinet maker and a Cabinet.",
    }
    replaced = ("two", "The cabinet said budget cuts, budget cuts.")

    def item(article_id, text):
        article = Article(article_id, article_id, text, "hand")
        return (article, content_hash(article), [], [], [])

    def counts(store):
        return {w: (low, up) for w, low, up in store.query("SELECT * FROM word_cases")}

    with open_store(tmp_path / "batch.db", create=True) as batched:
        batched.save_extractions(
            [item(i, t) for i, t in texts.items()], extraction="x", settings=settings
        )
        # "two" replaced from an earlier batch; "four" stored and replaced in this one.
        later = [replaced, ("four", "Budget cuts."), ("four", "Budget.")]
        batched.save_extractions([item(*x) for x in later], extraction="x", settings=settings)
        with open_store(tmp_path / "single.db", create=True) as single:
            for i, t in [*texts.items(), *later]:
                single.save_extractions([item(i, t)], extraction="x", settings=settings)
            assert counts(batched) == counts(single)
        assert counts(batched)["budget"] == (3, 2)  # "two"'s first text counted no more
        assert counts(batched)["office"] == (0, 0)
        assert counts(batched)["cuts"] == (2, 0)  # nor "four"'s first one


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


# -- a re-link works out again only what changed --------------------------------------


def _add_sentences(store, article_id, sentences, *, date=None):
    """Store an article of ``sentences``, each ``(text, paragraph, [(name, label), …])``;
    each name is found in its sentence's text."""
    settings = {"model": "hand", "model_version": "1", "types": ["PERSON", "ORG"]}
    text, rows, found = "", [], []
    for index, (sentence, paragraph, names) in enumerate(sentences):
        start = len(text)
        text += sentence + " "
        rows.append(Sentence(article_id, index, start, start + len(sentence), paragraph))
        for name, label in names:
            at = start + sentence.index(name)
            found.append(Mention(article_id, index, at, at + len(name), name, label))
    article = Article(article_id, article_id, text, "hand", date)
    store.save_extractions(
        [(article, content_hash(article), rows, found, [], [])], extraction="x", settings=settings
    )


@pytest.fixture
def spied(monkeypatch):
    """What each re-link worked out again: the articles whose ties it rewrote (``None``:
    all) and the mentions whose context it read (their text, in mention order)."""
    seen = {"articles": [], "contexts": []}
    save, contexts = Store.save_resolution, relink.mention_contexts

    def saving(self, *args, articles=None, **kwargs):
        seen["articles"].append(None if articles is None else sorted(articles))
        return save(self, *args, articles=articles, **kwargs)

    def reading(store, ids):
        found = contexts(store, ids)
        texts = store.query(
            "SELECT text FROM mentions WHERE id IN (SELECT value FROM json_each(?))"
            " ORDER BY article_id, start",
            (json.dumps(list(ids)),),
        )
        seen["contexts"].append([text for (text,) in texts])
        return found

    monkeypatch.setattr(Store, "save_resolution", saving)
    monkeypatch.setattr(relink, "mention_contexts", reading)
    return seen


@pytest.fixture
def replaced(monkeypatch):
    """The articles whose ties each writer replaced (a re-link, or a decision in place)."""
    seen = []
    replace = Store.replace_ties

    def replacing(self, articles, rows):
        seen.append(None if articles is None else sorted(articles))
        return replace(self, articles, rows)

    monkeypatch.setattr(Store, "replace_ties", replacing)
    return seen


def _ties(db, article_id):
    with open_store(db) as store:
        return store.query(
            "SELECT a, b, sentence_a, sentence_b, weight FROM cooccurrences"
            " WHERE article_id = ? ORDER BY a, b",
            (article_id,),
        ).fetchall()


@pytest.fixture
def hand_store(tmp_path):
    """A store of three articles written by hand, linked once (from nothing)."""
    db = tmp_path / "hand.db"
    with open_store(db, create=True) as store:
        _add_sentences(
            store,
            "one",
            [
                (
                    "Harriet Vance met Otto Brand in Lyon.",
                    0,
                    [("Harriet Vance", "PERSON"), ("Otto Brand", "PERSON")],
                ),
                (
                    "Otto Brand told Kestrel Bank about it.",
                    1,
                    [("Otto Brand", "PERSON"), ("Kestrel Bank", "ORG")],
                ),
            ],
        )
        _add_sentences(
            store,
            "two",
            [
                (
                    "Mira Holt and Jonas Pell met Kestrel Bank.",
                    0,
                    [("Mira Holt", "PERSON"), ("Jonas Pell", "PERSON"), ("Kestrel Bank", "ORG")],
                )
            ],
        )
        _add_sentences(
            store,
            "three",
            [("Vance thanked Jonas Pell.", 0, [("Vance", "PERSON"), ("Jonas Pell", "PERSON")])],
        )
        link(store)
        assert store.link_state() == {
            "window": "sentence",
            "ties": relink.TIE_RULES,
            "attribution": attribution_rules(),
        }
    return db


def test_a_new_article_reworks_only_the_articles_it_changes(hand_store, spied, tmp_path):
    with open_store(hand_store) as store:
        # "Vance" alone is no longer Harriet Vance once Ada Vance is named too.
        _add_sentences(
            store,
            "four",
            [
                (
                    "Ada Vance spoke with Mira Holt.",
                    0,
                    [("Ada Vance", "PERSON"), ("Mira Holt", "PERSON")],
                ),
                (
                    "Ada Vance told Kestrel Bank so in 2024.",
                    1,
                    [("Ada Vance", "PERSON"), ("Kestrel Bank", "ORG"), ("2024", "ORG")],
                ),
            ],
        )
        link(store)
    work = copy.deepcopy(spied)  # what the re-link worked out again, checked last
    assert _ties(hand_store, "three") == [("person:jonas-pell", "person:vance", 0, 0, 1.0)]
    assert _ties(hand_store, "four") == [("person:ada-vance", "person:mira-holt", 0, 0, 1.0)]
    assert _content(hand_store) == _relinked_from_nothing(hand_store, tmp_path / "new.db")
    assert work == {"articles": [["four", "three"]], "contexts": [["Kestrel Bank"]]}


def test_a_merge_and_its_undo_rework_only_the_articles_they_change(
    hand_store, spied, replaced, tmp_path
):
    before = _content(hand_store)
    decision = record_decision(hand_store, "merge", ["Mira Holt", "Jonas Pell"])
    work = copy.deepcopy(spied)  # what the re-link worked out again, checked last
    assert _ties(hand_store, "two") == [("org:kestrel-bank", "person:mira-holt", 0, 0, 1.0)]
    assert _content(hand_store) == _relinked_from_nothing(hand_store, tmp_path / "merged.db")
    undo_decision(hand_store, decision.id)  # in place: the ties of its articles alone
    assert spied["articles"][1:] == [None]  # the copy's re-link from nothing
    assert replaced[-1] == ["three", "two"]
    assert _content(hand_store) == before
    assert work == {"articles": [["three", "two"]], "contexts": [[]]}


def test_a_retype_to_organisation_reads_the_sources_it_now_has(hand_store, spied, tmp_path):
    with open_store(hand_store) as store:
        _add_sentences(
            store,
            "four",
            [
                (
                    "Lena Frost told Corvid about it.",
                    0,
                    [("Lena Frost", "PERSON"), ("Corvid", "PERSON")],
                )
            ],
        )
        link(store)
    assert _ties(hand_store, "four") == [("person:corvid", "person:lena-frost", 0, 0, 1.0)]
    record_decision(hand_store, "retype", ["Corvid", "ORG"])
    # The same key, now an organisation: "told Corvid" makes it a source, and no tie.
    work = copy.deepcopy(spied)  # what the re-link worked out again, checked last
    assert _ties(hand_store, "four") == []
    assert _content(hand_store) == _relinked_from_nothing(hand_store, tmp_path / "retyped.db")
    assert work == {"articles": [["four"], ["four"]], "contexts": [[], ["Corvid"]]}


def test_new_attribution_rules_read_every_source_again(hand_store, spied, tmp_path, monkeypatch):
    assert _ties(hand_store, "one") == [("person:harriet-vance", "person:otto-brand", 0, 0, 1.0)]
    monkeypatch.setitem(attribution._BEFORE, "told", re.compile("(?!)"))  # a release without it
    with open_store(hand_store) as store:
        link(store)
    work = copy.deepcopy(spied)  # what the re-link worked out again, checked last
    assert _ties(hand_store, "one") == [
        ("org:kestrel-bank", "person:otto-brand", 1, 1, 1.0),
        ("person:harriet-vance", "person:otto-brand", 0, 0, 1.0),
    ]
    assert _content(hand_store) == _relinked_from_nothing(hand_store, tmp_path / "rules.db")
    assert work == {"articles": [["one"]], "contexts": [["Kestrel Bank", "Kestrel Bank"]]}


def test_new_tie_rules_rework_every_article(hand_store, spied, tmp_path, monkeypatch):
    def halved(*args, **kwargs):  # a release that weighs ties another way
        for a, b, article_id, sentence_a, sentence_b, weight in cooccurrences(*args, **kwargs):
            yield a, b, article_id, sentence_a, sentence_b, weight / 2

    cooccurrences = relink.cooccurrences
    monkeypatch.setattr(relink, "cooccurrences", halved)
    monkeypatch.setattr(relink, "TIE_RULES", relink.TIE_RULES + 1)
    with open_store(hand_store) as store:
        link(store)
    assert spied["articles"] == [None]  # every article's ties worked out again
    assert _ties(hand_store, "one") == [("person:harriet-vance", "person:otto-brand", 0, 0, 0.5)]
    assert _content(hand_store) == _relinked_from_nothing(hand_store, tmp_path / "ties.db")


def test_a_window_change_reworks_every_article(hand_store, spied, tmp_path):
    with open_store(hand_store) as store:
        link(store, window="paragraph")
        _add_sentences(
            store,
            "five",
            [
                ("Ida Rook met Paul Serra.", 0, [("Ida Rook", "PERSON"), ("Paul Serra", "PERSON")]),
                (
                    "Paul Serra called Tove Lind.",
                    0,
                    [("Paul Serra", "PERSON"), ("Tove Lind", "PERSON")],
                ),
                (
                    "Tove Lind left with Ben Ashe.",
                    1,
                    [("Tove Lind", "PERSON"), ("Ben Ashe", "PERSON")],
                ),
            ],
        )
        link(store, window="paragraph")  # the new article's paragraphs, read alone
    work = copy.deepcopy(spied)  # what the re-link worked out again, checked last
    assert _ties(hand_store, "five") == [
        ("person:ben-ashe", "person:tove-lind", 2, 2, 1.0),
        ("person:ida-rook", "person:paul-serra", 0, 0, 0.5),
        ("person:ida-rook", "person:tove-lind", 0, 1, 0.5),
        ("person:paul-serra", "person:tove-lind", 0, 1, 0.5),
    ]
    paragraphs = _content(hand_store)
    assert paragraphs == _relinked_from_nothing(hand_store, tmp_path / "p.db", window="paragraph")
    with open_store(hand_store) as store:
        link(store, window="sentence")
    back = spied["articles"][-1]
    assert _content(hand_store) == _relinked_from_nothing(hand_store, tmp_path / "s.db")
    assert back is None
    with open_store(hand_store) as store:
        store.connection.execute("DELETE FROM meta WHERE key = 'linked'")  # an older graphkit's
        link(store)
    assert spied["articles"][-1] is None
    assert work["articles"] == [None, ["five"]]


def test_an_article_that_becomes_a_near_duplicate_loses_its_ties(hand_store, spied, tmp_path):
    words = " ".join(f"word{i}" for i in range(40))
    sentences = [
        (
            f"Greta Quarry met Nils Aberg about {words}.",
            0,
            [("Greta Quarry", "PERSON"), ("Nils Aberg", "PERSON")],
        )
    ]
    with open_store(hand_store) as store:
        _add_sentences(store, "x2", sentences, date="2024-03-06")
        link(store)
        assert _ties(hand_store, "x2") == [("person:greta-quarry", "person:nils-aberg", 0, 0, 1.0)]
        _add_sentences(store, "x1", sentences, date="2024-03-05")  # an earlier copy
        link(store)
        assert store.duplicate_articles() == {"x2": "x1"}
    # x2's mentions keep their links: only its being a copy changes its ties.
    work = copy.deepcopy(spied)  # what the re-link worked out again, checked last
    assert _ties(hand_store, "x2") == []
    assert _ties(hand_store, "x1") == [("person:greta-quarry", "person:nils-aberg", 0, 0, 1.0)]
    assert _content(hand_store) == _relinked_from_nothing(hand_store, tmp_path / "copy.db")
    assert work["articles"] == [["x2"], ["x1", "x2"]]


def test_a_recalled_mention_taken_away_takes_its_ties_away(tmp_path, spied):
    db = tmp_path / "recalled.db"
    with open_store(db, create=True) as store:
        _add_by_hand(
            store,
            "old2",
            "Quillon said yes. Quillon said no.",
            [(0, "Quillon", "PERSON"), (18, "Quillon", "PERSON")],
        )
        _add_by_hand(
            store, "old3", "Then Quillon met Harriet Vance.", [(17, "Harriet Vance", "PERSON")]
        )
        recall(store)
        link(store)
        assert _ties(db, "old3") == [("person:harriet-vance", "person:quillon", 0, 0, 1.0)]
        # A new article makes "Quillon" a place: the recall pass takes it out of old3,
        # whose one remaining mention keeps its link.
        _add_by_hand(
            store,
            "new2",
            "Quillon is a town. Quillon is far. Quillon again.",
            [],
            [(0, "Quillon", "GPE"), (19, "Quillon", "GPE"), (35, "Quillon", "GPE")],
        )
        recall(store)
        assert _recalled(store) == []
        link(store)
    work = copy.deepcopy(spied)  # what the re-link worked out again, checked last
    assert _ties(db, "old3") == []
    assert _content(db) == _relinked_from_nothing(db, tmp_path / "again.db")
    assert work["articles"] == [None, ["new2", "old2", "old3"]]


def test_an_article_taken_out_of_the_store_takes_its_ties(hand_store, spied, tmp_path):
    assert _ties(hand_store, "three") == [("person:harriet-vance", "person:jonas-pell", 0, 0, 1.0)]
    with open_store(hand_store) as store:
        with store.connection:  # graphkit's connection has foreign keys on: mentions go too
            store.connection.execute("DELETE FROM articles WHERE id = 'three'")
        link(store)
    work = copy.deepcopy(spied)  # what the re-link worked out again, checked last
    assert _ties(hand_store, "three") == []
    assert _content(hand_store) == _relinked_from_nothing(hand_store, tmp_path / "gone.db")
    assert work["articles"] == [["three"]]


def test_a_merge_of_sources_reads_no_context(hand_store, spied, tmp_path):
    with open_store(hand_store) as store:
        _add_sentences(
            store,
            "four",
            [
                (
                    "Mira Holt told Corvid Trust.",
                    0,
                    [("Mira Holt", "PERSON"), ("Corvid Trust", "ORG")],
                )
            ],
        )
        link(store)
    record_decision(hand_store, "merge", ["Kestrel Bank", "Corvid Trust"])
    # Read as sources before and after: a mention's pattern does not depend on which key.
    work = copy.deepcopy(spied)  # what the re-link worked out again, checked last
    with open_store(hand_store) as store:
        sources = store.query(
            "SELECT article_id, entity, attribution FROM mentions WHERE label = 'ORG'"
            " ORDER BY article_id, start"
        ).fetchall()
    assert sources == [
        ("four", "org:kestrel-bank", "told"),
        ("one", "org:kestrel-bank", "told"),
        ("two", "org:kestrel-bank", None),
    ]
    assert _content(hand_store) == _relinked_from_nothing(hand_store, tmp_path / "sources.db")
    assert work == {"articles": [["four"], ["four"]], "contexts": [["Corvid Trust"], []]}
