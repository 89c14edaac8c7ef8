"""Acronym detection in text and the repair of the model's acronym spans."""

from __future__ import annotations

import pytest

from graphkit.models import Abbreviation, Mention, Sentence
from graphkit.resolve.acronyms import acronym_letters, find_abbreviations, repair_mentions

# Our own wording, with the patterns of the seed article.
TEXT = (
    "The lab is run by the Beijing Blockchain and Edge Computing Academy (BABEC), "
    "which the city funds. BABEC said more firms registered with China’s Cyberspace "
    "Administration (CAC) this year. Support comes from the National Information Center "
    "(SIC) under China’s National Development and Reform Commission (NDRC). "
    "A former adviser to China’s central bank, the People’s Bank of China (PBOC), "
    "urged the PBOC to think again."
)


def pairs(text: str) -> list[tuple[str, str]]:
    return [(a.short, a.long) for a in find_abbreviations("a", text)]


def test_finds_every_acronym_of_the_seed_patterns():
    assert pairs(TEXT) == [
        ("BABEC", "Beijing Blockchain and Edge Computing Academy"),
        ("CAC", "China’s Cyberspace Administration"),
        ("SIC", "National Information Center"),
        ("NDRC", "National Development and Reform Commission"),
        ("PBOC", "People’s Bank of China"),
    ]


def test_records_carry_the_article_id():
    assert {a.article_id for a in find_abbreviations("seed-1", TEXT)} == {"seed-1"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the Bank of Lorem (BOL) said", [("BOL", "Bank of Lorem")]),
        ("the Ministry of Commerce (MOFCOM) said", [("MOFCOM", "Ministry of Commerce")]),
        ("shares on the Lorem Stock Exchange (LSE).", [("LSE", "Lorem Stock Exchange")]),
        (
            "The NDRC, the National Development and Reform Commission, said",
            [("NDRC", "National Development and Reform Commission")],
        ),
        ("BSN (Blockchain Service Network) grew", [("BSN", "Blockchain Service Network")]),
        ("the Bank of Lorem's (BOL) view", [("BOL", "Bank of Lorem")]),
        ("the Lorem Union (U.L.) met", [("U.L.", "Lorem Union")]),
        ("the Bank  of   Lorem (BOL) said", [("BOL", "Bank  of   Lorem")]),
    ],
)
def test_patterns(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Prime Minister Anna Kowal (PLD) said",  # a party after a person: not her acronym
        "Tomas Berg (U.S.) beat Ingrid Lund (SWE)",  # nationalities in results
        "central bank digital currencies (CBDCs) are coming",  # not a capitalised name
        "the Lorem Group (see below) said",
        "it rose 5 percent (PCT) on Monday",
    ],
)
def test_rejects_what_is_not_an_introduction(text):
    assert pairs(text) == []


@pytest.mark.parametrize("short, letters", [("PBOC", "PBOC"), ("U.S.", "US"), ("CBDCs", "CBDC")])
def test_acronym_letters(short, letters):
    assert acronym_letters(short) == letters


def sentences_of(text: str) -> list[Sentence]:
    result, start = [], 0
    for index, part in enumerate(text.split(". ")):
        end = start + len(part) + 1
        result.append(Sentence("a", index, start, min(end, len(text)), 0))
        start = end + 1
    return result


def mention(text: str, surface: str, label: str = "ORG", occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    sentence = max(s.index for s in sentences_of(text) if s.start <= start)
    return Mention("a", sentence, start, start + len(surface), surface, label)


def test_repair_replaces_a_truncated_name_and_adds_every_short_form():
    model = [mention(TEXT, "Edge Computing Academy")]
    found = find_abbreviations("a", TEXT)
    repaired = repair_mentions(TEXT, model, sentences_of(TEXT), found)
    texts = [m.text for m in repaired]
    assert "Edge Computing Academy" not in texts
    assert texts.count("Beijing Blockchain and Edge Computing Academy") == 1
    assert texts.count("BABEC") == 2
    assert texts.count("PBOC") == 2
    assert "People’s Bank of China" in texts
    assert all(TEXT[m.start : m.end] == m.text for m in repaired)
    assert [m.start for m in repaired] == sorted(m.start for m in repaired)


def test_repair_gives_new_mentions_the_right_sentence_and_label():
    model = [mention(TEXT, "National Information Center", "ORG")]
    sentences = sentences_of(TEXT)
    repaired = repair_mentions(TEXT, model, sentences, find_abbreviations("a", TEXT))
    by_text = {m.text: m for m in repaired}
    for m in repaired:
        sentence = sentences[m.sentence]
        assert sentence.start <= m.start < sentence.end + 1
    assert by_text["SIC"].sentence == by_text["National Information Center"].sentence == 2
    assert by_text["BABEC"].label == "ORG"  # no model mention: ORG by default


def test_repair_takes_the_label_of_the_mention_it_replaces():
    text = "We met the Lorem Trust Fund (LTF) today. The LTF agreed."
    model = [mention(text, "Trust Fund", "NORP")]
    repaired = repair_mentions(text, model, sentences_of(text), find_abbreviations("a", text))
    assert [(m.text, m.label) for m in repaired] == [
        ("Lorem Trust Fund", "NORP"),
        ("LTF", "NORP"),
        ("LTF", "NORP"),
    ]


def test_repair_replaces_a_span_holding_the_article_possessive_and_brackets():
    text = "under China’s National Development and Reform Commission (NDRC) rules"
    whole = "China’s National Development and Reform Commission (NDRC"
    model = [mention(text, whole)]
    repaired = repair_mentions(text, model, [Sentence("a", 0, 0, len(text), 0)], pairs_of(text))
    assert [m.text for m in repaired] == ["National Development and Reform Commission", "NDRC"]


def test_repair_leaves_a_longer_model_span_with_other_words_alone():
    text = "the Lorem Union (LU) and Ipsum Holdings said. LU agreed."
    model = [mention(text, "Lorem Union (LU) and Ipsum Holdings")]
    repaired = repair_mentions(text, model, sentences_of(text), pairs_of(text))
    assert [m.text for m in repaired] == ["Lorem Union (LU) and Ipsum Holdings", "LU"]


def test_repair_without_abbreviations_changes_nothing():
    model = [mention(TEXT, "BABEC")]
    assert repair_mentions(TEXT, model, sentences_of(TEXT), []) == model


def test_repair_ignores_acronyms_absent_from_the_text():
    model = [mention(TEXT, "BABEC")]
    ghost = [Abbreviation("a", "ZZQ", "Zeta Zulu Quebec")]
    assert repair_mentions(TEXT, model, sentences_of(TEXT), ghost) == model


def pairs_of(text: str) -> list[Abbreviation]:
    return find_abbreviations("a", text)


def test_repair_splits_a_model_span_holding_both_forms():
    text = "led by the Lorem Ipsum Academy (LIA), which"
    model = [mention(text, "the Lorem Ipsum Academy (LIA")]
    repaired = repair_mentions(text, model, sentences_of(text), pairs_of(text))
    assert [m.text for m in repaired] == ["Lorem Ipsum Academy", "LIA"]
