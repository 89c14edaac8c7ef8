"""The recall pass: names the model tagged elsewhere in the corpus, found again."""

from __future__ import annotations

import graphkit
from graphkit.models import Mention
from graphkit.resolve.recall import confident_names, name_index, recall_mentions


def tagged(text: str, label: str, article: str, times: int = 1) -> list[Mention]:
    return [Mention(article, 0, 0, len(text), text, label)] * times


def test_confident_names_need_repeated_tags_and_no_competing_label():
    mentions = (
        tagged("Quuxco", "ORG", "a", 2)
        + tagged("Lonely", "PERSON", "a")
        + tagged("Ned Vance", "PERSON", "b")
        + tagged("Jordana", "PERSON", "c", 2)
        + tagged("Cabinet", "ORG", "c", 3)
        + tagged("President", "PERSON", "c", 3)
    )
    evidence = [("d", "Jordana", "GPE")] * 3 + [("d", "Quuxco", "ROLE:ORG")] * 5
    names = confident_names(mentions, evidence, generic={"cabinet"})
    assert names == {"Quuxco": "ORG", "Ned Vance": "PERSON"}


def test_found_again_only_where_no_mention_covers_it_and_on_word_boundaries():
    text = (
        "Quuxco rose. Ned Vance spoke. Quuxco-based firms and Quuxcorp fell. "
        "Analysts at Quuxco agreed. Ned Vanceford left."
    )
    index = name_index({"Quuxco": "ORG", "Ned Vance": "PERSON"})
    model = [Mention("a", 0, 0, 6, "Quuxco", "ORG")]
    found = list(recall_mentions("a", text, [0, 13, 30], model, index))
    assert [(m.text, m.label, text[m.start : m.end]) for m in found] == [
        ("Ned Vance", "PERSON", "Ned Vance"),
        ("Quuxco", "ORG", "Quuxco"),
    ]
    assert [m.sentence for m in found] == [1, 2]


def test_build_counts_recalled_mentions_apart(tmp_path):
    db = tmp_path / "s.db"
    summary = graphkit.build([graphkit.SAMPLE_CORPUS], db=db)
    info = graphkit.store_info(db)
    with graphkit.open_store(db) as store:
        (recalled,) = store.query("SELECT COUNT(*) FROM mentions WHERE recalled = 1").fetchone()
        _, model_only = store.mentions(recalled=False)
    assert recalled > 0
    assert info["recalled_mentions"] == recalled == summary.recalled
    assert info["mentions"] == len(model_only) + recalled
    # A rebuild of unchanged articles keeps them and finds nothing new.
    again = graphkit.build([graphkit.SAMPLE_CORPUS], db=db)
    assert again.extracted == 0 and graphkit.store_info(db)["recalled_mentions"] == recalled


def test_a_name_is_not_found_again_inside_a_longer_capitalised_name():
    text = (
        "Lorem said so. Trade with the Lorem Isles grew. Many Danish Lorem members left.\n"
        "Lorem agreed. Then Lorem left. Mr Lorem smiled. Ships of Ipsum, Lorem too."
    )
    index = name_index({"Lorem": "ORG"})
    found = list(recall_mentions("a", text, [0], [], index))
    # Not in "Lorem Isles" (a capital after it) nor "Danish Lorem" (a capital
    # before it, mid-sentence); a sentence's first word, a title or a comma
    # before it leave it alone.
    assert [text[m.start - 5 : m.end] for m in found if m.start >= 5] == [
        "eft.\nLorem",
        "Then Lorem",
        ". Mr Lorem",
        "sum, Lorem",
    ]
    assert found[0].start == 0


def test_the_full_name_of_an_honorific_and_surname_is_found_in_its_article():
    text = (
        "The firm hired Darleen Quuxley in 2002. Ms Quuxley denied it. "
        "Quuxley Street is closed. Later Quuxley left. Ana Quuxley-Vance spoke."
    )
    model = [Mention("a", 1, text.index("Ms"), text.index("Ms") + 10, "Ms Quuxley", "PERSON")]
    found = list(recall_mentions("a", text, [0, 40], model, {}))
    # "Later" is no given name, "Ana Quuxley-Vance" is another name.
    assert [(m.text, m.label, m.sentence) for m in found] == [("Darleen Quuxley", "PERSON", 0)]


def test_a_name_opening_a_sentence_after_a_capitalised_word_is_found_again():
    text = "Ministers met in Tarsk. Lorem said no. Talks ended in Vell! Lorem left."
    found = list(recall_mentions("a", text, [0], [], name_index({"Lorem": "ORG"})))
    # "Tarsk." ends a sentence: it does not glue "Lorem" into a longer name.
    assert [m.start for m in found] == [text.index("Lorem"), text.rindex("Lorem")]


def test_honorific_full_names_are_whole_names_and_read_through_a_possessive():
    text = (
        "Ms Quuxley's lawyers spoke. They visited the Darleen Quuxley Centre. "
        "Her aunt Sarah Darleen Quuxley came too. The firm hired Darleen Quuxley in 2002."
    )
    start = text.index("Ms")
    model = [Mention("a", 0, start, start + len("Ms Quuxley's"), "Ms Quuxley's", "PERSON")]
    found = list(recall_mentions("a", text, [0, 29, 70], model, {}))
    # Not inside "the Darleen Quuxley Centre" nor "Sarah Darleen Quuxley".
    assert [(m.text, m.start) for m in found] == [("Darleen Quuxley", text.rindex("Darleen"))]
