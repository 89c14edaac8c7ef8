"""Span cleaning: model spans cut down to the names they hold (hand-written text only)."""

from __future__ import annotations

import pytest

from graphkit.models import Mention
from graphkit.resolve.evidence import ROLE_ORG, ROLE_PERSON, ROLE_START, ROLE_THING
from graphkit.resolve.spans import clean_mentions, split_span


def pieces(text: str, alone: set[str] = frozenset()) -> list[str]:
    return [text[s:e] for s, e in split_span(text, 0, len(text), alone)]


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("Lorem Europe's", ["Lorem Europe"]),
        ("Ipsum Holdings’", ["Ipsum Holdings"]),
        ("the Lorem Union", ["Lorem Union"]),
        ("Dolor Elevator and", ["Dolor Elevator"]),
        ("Awards - the", ["Awards"]),
        ("Quux Weekly, Grault Daily", ["Quux Weekly", "Grault Daily"]),
        ("Vance 6-2 7-6", ["Vance"]),
        ("Rovers 2-1", ["Rovers"]),
        ("Nokta 6600", ["Nokta"]),
        ("2 - Alan Vance", ["Alan Vance"]),
        ("GMT Festival's", ["Festival"]),
        ("Wednesday Lorem Bank", ["Lorem Bank"]),
        ("Channel 9", ["Channel 9"]),
        ("Ipswich v Lorem", ["Ipswich", "Lorem"]),
        ("Lorem Bank (Ipsum", ["Lorem Bank", "Ipsum"]),
        ("Mr Vance's Ipsum Fund", ["Mr Vance", "Ipsum Fund"]),
        ("Quux, Grault and Garply Group", ["Quux", "Grault", "Garply Group"]),
        ("U.N.", ["U.N."]),
        ("Lorem Corp.", ["Lorem Corp."]),
        ("Vance.", ["Vance"]),
        ("ex-Quuxco", ["Quuxco"]),
        ("pre-Budget", ["Budget"]),
        ("Labrum MPs", ["Labrum"]),
        ("Lorem United: Vance", ["Lorem United", "Vance"]),
        ("Quux or Ipsum United, Grault", ["Quux", "Ipsum United", "Grault"]),
        ("rang Lucy Vance", ["Lucy Vance"]),
        ("The Sunday Quux", ["Sunday Quux"]),
        ("the Sunday", []),  # a day alone is no name, "the" or not
        ("the August Quux Index", ["Quux Index"]),
        ("de Vance", ["de Vance"]),
        ("eQuux Group", ["eQuux Group"]),
    ],
)
def test_split_span(span, expected):
    assert pieces(span) == expected


def test_and_splits_only_when_both_sides_are_names_of_the_article():
    assert pieces("Marks and Sparks") == ["Marks and Sparks"]
    assert pieces("Seat and Porta", {"seat", "porta"}) == ["Seat", "Porta"]
    assert pieces("Seat and Porta", {"seat"}) == ["Seat and Porta"]


def test_a_results_line_splits_at_its_scores_and_prose_keeps_its_numbers():
    text = "Lorem 1 Ipsum 0"
    assert pieces(text) == ["Lorem", "Ipsum"]
    prose = "Channel 9 said the show would return in the spring with twelve new episodes."
    assert [prose[s:e] for s, e in split_span(prose, 0, 9)] == ["Channel 9"]


def mention(text: str, part: str, label: str, article: str = "a") -> Mention:
    start = text.index(part)
    return Mention(article, 0, start, start + len(part), part, label)


def test_offsets_point_at_the_clean_text_and_labels_are_kept():
    text = "Shares in the Lorem Group's unit rose."
    kept, _ = clean_mentions(text, [mention(text, "the Lorem Group's", "ORG")], ["PERSON", "ORG"])
    (m,) = kept
    assert (m.text, m.label, text[m.start : m.end]) == ("Lorem Group", "ORG", "Lorem Group")


def test_an_honorific_makes_a_person_whatever_the_model_said():
    text = "Mr Vance said so."
    kept, _ = clean_mentions(text, [mention(text, "Mr Vance", "ORG")], ["PERSON", "ORG"])
    assert [(m.text, m.label) for m in kept] == [("Mr Vance", "PERSON")]


def test_labels_not_wanted_come_back_as_evidence_only():
    text = "She read Quux Tales in Lorem City."
    model = [mention(text, "Quux Tales", "WORK_OF_ART"), mention(text, "Lorem City", "GPE")]
    kept, evidence = clean_mentions(text, model, ["PERSON", "ORG"])
    assert kept == []
    assert sorted((m.text, m.label) for m in evidence) == [
        ("Lorem City", "GPE"),
        ("Quux Tales", "WORK_OF_ART"),
    ]
    kept, evidence = clean_mentions(text, model, ["PERSON", "ORG", "GPE"])
    assert [(m.text, m.label) for m in kept] == [("Lorem City", "GPE")]


def test_a_product_gives_its_company_the_mention_unless_product_is_wanted():
    text = "Dolor makes chips. The Dolor Zapper 9 is fast."
    model = [mention(text, "Dolor", "ORG"), mention(text, "Dolor Zapper 9", "PRODUCT")]
    kept, evidence = clean_mentions(text, model, ["PERSON", "ORG"])
    assert [(m.text, m.label, m.start) for m in kept] == [
        ("Dolor", "ORG", 0),
        ("Dolor", "ORG", text.index("Dolor Zapper")),
    ]
    assert [m.text for m in evidence] == ["Dolor Zapper 9"]
    kept, _ = clean_mentions(text, model, ["PERSON", "ORG", "PRODUCT"])
    assert ("Dolor Zapper 9", "PRODUCT") in [(m.text, m.label) for m in kept]


def test_a_company_name_then_a_product_word_or_model_code_is_the_company():
    text = "Lorem said the Lorem Glider and the Ipsum X5 sold well; Ipsum Motors agreed."
    model = [
        mention(text, "Lorem", "ORG"),
        mention(text, "Lorem Glider", "ORG"),
        mention(text, "Ipsum X5", "ORG"),
        mention(text, "Ipsum Motors", "ORG"),
    ]
    kept, _ = clean_mentions(text, model, ["PERSON", "ORG"])
    assert [m.text for m in kept] == ["Lorem", "Lorem", "Ipsum", "Ipsum Motors"]


def test_a_full_name_with_an_organisation_word_is_not_cut():
    text = "Labrum rose. The Labrum Party said so."
    model = [mention(text, "Labrum", "ORG"), mention(text, "Labrum Party", "ORG")]
    kept, _ = clean_mentions(text, model, ["PERSON", "ORG"])
    assert [m.text for m in kept] == ["Labrum", "Labrum Party"]


def test_words_around_a_name_say_what_it_is():
    text = (
        "Shares in Quuxco fell, striker Ned Vance said, and the film Lorem Days opened. "
        "Lorcester 2-1 Ipsum. They met the Premiers."
    )
    model = [
        mention(text, "Quuxco", "PERSON"),
        mention(text, "Ned Vance", "PERSON"),
        mention(text, "Lorem Days", "PERSON"),
        mention(text, "Lorcester", "PERSON"),
        mention(text, "Premiers", "PERSON"),
    ]
    _, evidence = clean_mentions(text, model, ["PERSON", "ORG"])
    assert {(m.text, m.label) for m in evidence} == {
        ("Quuxco", ROLE_ORG),
        ("Ned Vance", ROLE_PERSON),
        ("Lorem Days", ROLE_THING),
        ("Lorcester", "ROLE:SCORE"),
        ("Premiers", "ROLE:THE"),
    }


def test_an_organisation_word_then_a_nationality_word_is_one_organisation():
    text = "The Liberal Democrats said so."
    model = [mention(text, "Liberal", "ORG"), mention(text, "Democrats", "NORP")]
    kept, evidence = clean_mentions(text, model, ["PERSON", "ORG"])
    assert [(m.text, m.label) for m in kept] == [("Liberal Democrats", "ORG")]
    assert [m.label for m in evidence] == ["ROLE:THE"]  # "The Liberal Democrats"


def test_leading_titles_leave_a_person_span_but_honorifics_stay():
    text = "King Biren met President Ned Vance and Mrs Hovard."
    model = [
        mention(text, "King Biren", "PERSON"),
        mention(text, "President Ned Vance", "PERSON"),
        mention(text, "Mrs Hovard", "PERSON"),
    ]
    kept, _ = clean_mentions(text, model, ["PERSON", "ORG"])
    assert [m.text for m in kept] == ["Biren", "Ned Vance", "Mrs Hovard"]


def test_role_words_do_not_reach_across_a_line_break():
    """A headline ending in "Group" says nothing about the name opening the next line."""
    text = "Wang Lin and Ant Group\nWang Lin, chief executive of Ant Group, met regulators."
    start = text.index("\n") + 1
    mention = Mention("a", 1, start, start + 8, "Wang Lin", "PERSON")
    _, evidence = clean_mentions(text, [mention], ("PERSON", "ORG"))
    assert [m.label for m in evidence] == [ROLE_START]  # it opens a line, and that is all
    same_line = "Shares rose at the group Wang Lin leads."
    start = same_line.index("Wang")
    mention = Mention("a", 0, start, start + 8, "Wang Lin", "PERSON")
    _, evidence = clean_mentions(same_line, [mention], ("PERSON", "ORG"))
    assert [m.label for m in evidence] == [ROLE_ORG]


def test_more_words_around_a_name_say_what_it_is():
    text = (
        "Lorcaster striker Ned Vance scored. Fans saw the third Quux Saga film. "
        "He can only use an Ipsumpod to play songs. Critics loved 'Dolor Days' and "
        "Grault Nights, starring Ned Vance. She won two Garplies. Plugh has been named best "
        "film. Xyzzy and the Chamber of Lorem sold well. Ned Vance met a Quuxco buyer. "
        "He told the Fredco."
    )
    names = [
        ("Lorcaster", "PERSON"),
        ("Quux Saga", "PERSON"),
        ("Ipsumpod", "ORG"),
        ("Dolor Days", "ORG"),
        ("Grault Nights", "ORG"),
        ("Garplies", "ORG"),
        ("Plugh", "ORG"),
        ("Xyzzy", "PERSON"),
        ("Quuxco", "ORG"),
        ("Fredco", "ORG"),
    ]
    model = [mention(text, name, label) for name, label in names]
    _, evidence = clean_mentions(text, model, ["PERSON", "ORG"])
    assert [(m.text, m.label) for m in evidence] == [
        ("Lorcaster", ROLE_ORG),  # "X striker": the club a player plays for
        ("Quux Saga", ROLE_THING),  # "the third X film"
        ("Ipsumpod", ROLE_THING),  # "an X to ...": a thing one has
        ("Dolor Days", ROLE_THING),  # alone in quotation marks: a title
        ("Grault Nights", ROLE_THING),  # "X, starring"
        ("Garplies", ROLE_THING),  # "won two X": an award
        ("Plugh", ROLE_THING),  # "X has been named best film"
        ("Xyzzy", ROLE_THING),  # "X and the Chamber of ...": the rest of a title
        ("Fredco", ROLE_ORG),  # "told the X": people are not led by "the"
    ]  # "a Quuxco buyer" says nothing: a noun follows


@pytest.mark.parametrize(
    ("text", "name", "label"),
    [
        ("Ned Vance won Lorcaster's backing.", "Lorcaster", "ORG"),
        ("Ada Quill won the Lorcaster job.", "Lorcaster", "ORG"),
        ("Ned Vance made the best film.", "Ned Vance", "PERSON"),
        ("Ada Quill was elected as a Garply Democrat in 1997.", "Garply Democrat", "ORG"),
        ("She stood as a Plugh at the poll.", "Plugh", "ORG"),
    ],
)
def test_people_parties_and_clubs_near_award_words_are_no_things(text, name, label):
    _, evidence = clean_mentions(text, [mention(text, name, label)], ["PERSON", "ORG"])
    assert ROLE_THING not in [m.label for m in evidence]
