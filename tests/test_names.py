"""Surface normalisation: clean forms, comparison keys, titles, legal forms, noise."""

from __future__ import annotations

from collections import Counter

import pytest

from graphkit.resolve.names import (
    clean_surface,
    core_name,
    display_name,
    fold,
    initials,
    is_acronym,
    name_key,
    noise_reason,
    strip_legal_form,
    strip_possessive,
    strip_title,
)


@pytest.mark.parametrize(
    "text, cleaned",
    [
        ("the  People’s Bank of China", "People's Bank of China"),
        ("The Times", "Times"),
        ("THE LOREM POST", "LOREM POST"),
        ("a National Lorem Center", "National Lorem Center"),
        ("Xi's", "Xi's"),
        ("(Nordpay", "Nordpay"),
        ("Nordpay,", "Nordpay"),
    ],
)
def test_clean_surface(text, cleaned):
    assert clean_surface(text) == cleaned


@pytest.mark.parametrize(
    "text, stripped", [("Xi's", "Xi"), ("Xi’s", "Xi"), ("Reuters'", "Reuters"), ("'s", "'s")]
)
def test_strip_possessive(text, stripped):
    assert strip_possessive(text.replace("’", "'")) == stripped


@pytest.mark.parametrize(
    "a, b",
    [
        ("XI JINPING", "Xi Jinping"),
        ("U.S.", "US"),
        ("José Müller", "Jose Muller"),
        ("Wałęsa", "Walesa"),
        ("Jean-Paul Lorem", "Jean Paul Lorem"),
        ("O'Neill", "ONeill"),
        ("S&P", "SP"),
        ("Lorem & Ipsum", "Lorem and Ipsum"),
    ],
)
def test_fold_equal(a, b):
    assert fold(a) == fold(b)


def test_fold_keeps_word_order():
    assert fold("Paul John") != fold("John Paul")


@pytest.mark.parametrize(
    "text, stripped",
    [
        ("President Xi Jinping", "Xi Jinping"),
        ("President Xi", "Xi"),
        ("Prime Minister Anna Kowal", "Anna Kowal"),
        ("Dr. Anna Kowal", "Anna Kowal"),
        ("President", "President"),
        ("Dean Lorem", "Dean Lorem"),  # a given name, not a title
        ("coach Tomas Berg", "coach Tomas Berg"),  # only capitalised titles go
    ],
)
def test_strip_title(text, stripped):
    assert strip_title(text) == stripped


@pytest.mark.parametrize(
    "text, stripped",
    [
        ("Nordpay Ltd", "Nordpay"),
        ("Acme Holdings Inc.", "Acme Holdings"),
        ("Lorem Stanley & Co Inc", "Lorem Stanley"),
        ("Ltd", "Ltd"),
        ("Bank of Lorem", "Bank of Lorem"),
    ],
)
def test_strip_legal_form(text, stripped):
    assert strip_legal_form(text) == stripped


def test_titles_only_for_people_and_legal_forms_only_for_the_rest():
    assert core_name("General Motors", "ORG") == "General Motors"
    assert core_name("General Anna Kowal", "PERSON") == "Anna Kowal"
    assert name_key("Nordpay Ltd's", "ORG") == "nordpay"
    assert core_name("Croft 0-4-0-9-0", "PERSON") == "Croft"
    assert core_name("Lorem 04", "ORG") == "Lorem 04"


@pytest.mark.parametrize(
    "text, reason",
    [
        ("1996", "no letters"),
        ("$5", "no letters"),
        ("X", "single character"),
        ("he", "pronoun"),
        ("It", "pronoun"),
        ("the company", "all lowercase"),
        ("Lorem " * 20, "too long"),
        ("US", None),
        ("IT", None),
        ("eBay", None),
        ("王林", None),
        ("Xi", None),
    ],
)
def test_noise_reason(text, reason):
    assert noise_reason(text) == reason


@pytest.mark.parametrize(
    "text, expected",
    [("PBOC", True), ("U.S.", True), ("CBDCs", True), ("Xi", False), ("1996", False)],
)
def test_is_acronym(text, expected):
    assert is_acronym(text) is expected


def test_initials():
    assert initials("People’s Bank of China") == ("PBOC", "PBC")
    assert initials("Lorem-Ipsum Group") == ("LIG", "LIG")
    assert initials("U.N. Lorem Council") == ("UNLC", "UNLC")


def test_display_name_prefers_the_most_informative_common_form():
    surfaces = Counter({"Xi": 9, "XI JINPING": 3, "Xi's": 2, "Xi Jinping": 1, "President Xi": 4})
    assert display_name(surfaces, "PERSON") == "Xi Jinping"
    assert display_name(Counter({"Moody's": 3}), "ORG") == "Moody's"
    assert display_name(Counter({"T. Berg": 5, "Tomas Berg": 1}), "PERSON") == "Tomas Berg"
    assert display_name(Counter({"PBOC": 5, "People's Bank of China": 1}), "ORG") == (
        "People's Bank of China"
    )
