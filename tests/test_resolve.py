"""Entity resolution rules on small hand-made mention lists, including what must not merge."""

from __future__ import annotations

import random

import pytest

from graphkit.models import Abbreviation, Mention
from graphkit.resolve import Override, resolve_entities


def corpus(*articles: tuple[str, list]) -> list[Mention]:
    """Mentions from ``(article_id, [surface or (surface, label), ...])``; PERSON by default."""
    result = []
    for article_id, surfaces in articles:
        start = 0
        for index, item in enumerate(surfaces):
            text, label = (item, "PERSON") if isinstance(item, str) else item
            result.append(Mention(article_id, index, start, start + len(text), text, label))
            start += len(text) + 10
    return result


def entity_of(resolution, mentions, article_id: str, text: str):
    """The entity of the first mention ``text`` in ``article_id``."""
    for mention, key in zip(mentions, resolution.keys, strict=True):
        if mention.article_id == article_id and mention.text == text:
            return resolution.entities[key] if key else None
    raise AssertionError(f"no mention {text!r} in {article_id}")


def same(resolution, mentions, *where: tuple[str, str]) -> bool:
    keys = {entity_of(resolution, mentions, a, t).key for a, t in where}
    return len(keys) == 1


def test_full_name_title_surname_possessive_and_headline_caps_are_one_person():
    mentions = corpus(
        ("a", ["XI JINPING", "Xi Jinping", "President Xi", "Xi", "Xi's"]),
        ("b", ["Xi Jinping", "Xi"]),
    )
    result = resolve_entities(mentions)
    assert len(result.entities) == 1
    (entity,) = result.entities.values()
    assert entity.name == "Xi Jinping"
    assert entity.key == "person:xi-jinping"
    assert dict(entity.aliases) == {
        "Xi Jinping": 2,
        "Xi": 2,
        "XI JINPING": 1,
        "President Xi": 1,
        "Xi's": 1,
    }
    assert entity.aliases[0] == ("Xi Jinping", 2)


def test_word_order_matters():
    mentions = corpus(("a", ["Paul John"]), ("b", ["John Paul"]))
    assert len(resolve_entities(mentions).entities) == 2


def test_people_sharing_a_surname_in_different_articles_stay_apart():
    mentions = corpus(
        ("a", ["Anna Kowal", "Kowal"]),
        ("b", ["Piotr Kowal", "Kowal"]),
    )
    result = resolve_entities(mentions)
    assert same(result, mentions, ("a", "Anna Kowal"), ("a", "Kowal"))
    assert same(result, mentions, ("b", "Piotr Kowal"), ("b", "Kowal"))
    assert not same(result, mentions, ("a", "Kowal"), ("b", "Kowal"))


def test_a_lone_surname_with_two_candidates_stays_apart_and_says_so():
    mentions = corpus(("a", ["Wang Lin"]), ("b", ["Wang Hua"]), ("c", ["Wang"]))
    result = resolve_entities(mentions)
    assert len(result.entities) == 3
    wang = entity_of(result, mentions, "c", "Wang")
    assert wang.name == "Wang"
    assert result.ambiguous[wang.key] == ["Wang Hua", "Wang Lin"]


def test_a_lone_surname_with_one_candidate_joins_it_across_articles():
    mentions = corpus(("a", ["Anna Kowal"]), ("b", ["Kowal", "KOWAL"]))
    result = resolve_entities(mentions)
    assert same(result, mentions, ("a", "Anna Kowal"), ("b", "Kowal"), ("b", "KOWAL"))
    rules = {e.rule for e in result.explanations["person:anna-kowal"]}
    assert "short name or acronym, one candidate in the corpus" in rules


def test_a_given_name_joins_the_full_name_in_the_same_article_only():
    mentions = corpus(("a", ["Anna Kowal", "Anna"]), ("b", ["Anna"]))
    result = resolve_entities(mentions)
    assert same(result, mentions, ("a", "Anna Kowal"), ("a", "Anna"))
    assert not same(result, mentions, ("a", "Anna"), ("b", "Anna"))


def test_two_full_names_with_the_same_surname_in_one_article_leave_the_surname_apart():
    mentions = corpus(("a", ["Tomas Berg", "Ingrid Berg", "Berg"]))
    result = resolve_entities(mentions)
    assert len(result.entities) == 3


def test_an_initial_and_surname_joins_the_matching_full_name():
    mentions = corpus(("a", ["Tomas Berg", "T. Berg"]), ("b", ["T. Berg", "Berg"]))
    result = resolve_entities(mentions)
    assert len(result.entities) == 1
    assert result.entities["person:tomas-berg"].name == "Tomas Berg"


def test_an_initial_that_does_not_match_stays_apart():
    mentions = corpus(("a", ["Tomas Berg"]), ("b", ["K. Berg"]))
    assert len(resolve_entities(mentions).entities) == 2


def test_accents_and_punctuation_do_not_split_a_name():
    mentions = corpus(("a", ["José-Maria Müller"]), ("b", ["Jose Maria Muller"]))
    assert len(resolve_entities(mentions).entities) == 1


def test_an_introduced_acronym_is_its_long_form_here_and_elsewhere():
    mentions = corpus(
        ("a", [("Beijing Blockchain and Edge Computing Academy", "ORG"), ("BABEC", "ORG")]),
        ("b", [("BABEC", "ORG")]),
    )
    abbreviations = [Abbreviation("a", "BABEC", "Beijing Blockchain and Edge Computing Academy")]
    result = resolve_entities(mentions, abbreviations=abbreviations)
    (entity,) = result.entities.values()
    assert entity.name == "Beijing Blockchain and Edge Computing Academy"
    assert dict(entity.aliases) == {"Beijing Blockchain and Edge Computing Academy": 1, "BABEC": 2}
    assert "acronym introduced in the article" in entity.rules


def test_a_bare_acronym_joins_the_one_name_it_abbreviates():
    mentions = corpus(("a", [("People's Bank of China", "ORG")]), ("b", [("PBOC", "ORG")]))
    assert len(resolve_entities(mentions).entities) == 1


def test_a_bare_acronym_with_two_candidate_expansions_stays_apart():
    mentions = corpus(
        ("a", [("Lorem Union", "ORG")]),
        ("b", [("Lorem University", "ORG")]),
        ("c", [("LU", "ORG")]),
    )
    result = resolve_entities(mentions)
    assert len(result.entities) == 3
    assert result.ambiguous["org:lu"] == ["Lorem Union", "Lorem University"]


def test_an_acronym_joins_the_name_whose_initials_it_is_in_the_same_article():
    mentions = corpus(("a", [("Nordic Payments Authority", "ORG"), ("NPA", "ORG")]))
    assert len(resolve_entities(mentions).entities) == 1


def test_a_possessive_modifier_joins_the_name_it_modifies():
    mentions = corpus(
        ("a", [("China's National Lorem Commission", "ORG"), ("National Lorem Commission", "ORG")])
    )
    assert len(resolve_entities(mentions).entities) == 1


def test_organisations_lose_legal_forms_and_leading_articles():
    mentions = corpus(
        ("a", [("Nordpay Ltd", "ORG"), ("the Bank of Lorraine", "ORG")]),
        ("b", [("Nordpay", "ORG"), ("Bank of Lorraine", "ORG")]),
    )
    assert len(resolve_entities(mentions).entities) == 2


def test_a_one_word_name_joins_the_one_organisation_it_starts_or_ends():
    mentions = corpus(("a", [("Nordpay Group", "ORG"), ("Nordpay", "ORG")]))
    assert len(resolve_entities(mentions).entities) == 1


def test_a_two_word_organisation_is_not_a_short_form_of_a_longer_one():
    mentions = corpus(("a", [("Lorem Union Commission", "ORG"), ("Lorem Union", "ORG")]))
    assert len(resolve_entities(mentions).entities) == 2


def test_a_city_after_of_is_not_the_short_form_of_the_organisation():
    mentions = corpus(("a", [("Bank of Lorraine", "ORG"), ("Lorraine", "ORG")]))
    assert len(resolve_entities(mentions).entities) == 2


def test_type_is_the_majority_and_the_minority_is_recorded():
    mentions = corpus(
        ("a", ["Tomas Berg", ("Tomas Berg", "ORG")]),
        ("b", ["Tomas Berg"]),
    )
    (entity,) = resolve_entities(mentions).entities.values()
    assert entity.type == "PERSON"
    assert entity.type_counts == (("PERSON", 2), ("ORG", 1))


def test_a_short_name_labelled_differently_still_joins_the_full_name_in_its_article():
    mentions = corpus(("a", ["Linford Lorem", ("Lorem", "ORG")]))
    (entity,) = resolve_entities(mentions).entities.values()
    assert entity.type_counts == (("ORG", 1), ("PERSON", 1))
    assert entity.name == "Linford Lorem"


def test_noise_is_dropped_and_counted():
    mentions = corpus(("a", ["1996", "X", "he", "the company", "Lorem " * 20, "Anna Kowal"]))
    result = resolve_entities(mentions)
    assert result.keys[:5] == [None] * 5
    assert result.keys[5] == "person:anna-kowal"
    assert result.dropped == {
        "no letters": 1,
        "single character": 1,
        "pronoun": 1,
        "all lowercase": 1,
        "too long": 1,
    }


def test_keys_do_not_depend_on_mention_order():
    mentions = corpus(
        ("a", ["Anna Kowal", "Kowal", ("Lorem Union", "ORG")]),
        ("b", ["Wang Lin", "Wang", ("LU", "ORG")]),
        ("c", ["Wang Hua", "Anna", ("Kowal", "ORG")]),
    )
    first = resolve_entities(mentions)
    shuffled = list(mentions)
    random.Random(4).shuffle(shuffled)
    second = resolve_entities(shuffled)
    assert dict(zip(mentions, first.keys, strict=True)) == dict(
        zip(shuffled, second.keys, strict=True)
    )
    assert first.entities == second.entities


def test_clashing_keys_get_a_suffix():
    mentions = corpus(("a", ["Lorem"]), ("b", [("Lorem", "PERSON")]))
    result = resolve_entities(mentions, overrides=[Override("unmerge", ("Lorem",))])
    assert sorted(result.entities) == ["person:lorem"]


def test_explanations_say_which_rule_joined_which_surface():
    mentions = corpus(("a", ["Xi Jinping", "Xi", "XI JINPING"]))
    result = resolve_entities(mentions)
    explained = {(e.surface, e.rule, e.target) for e in result.explanations["person:xi-jinping"]}
    assert explained == {
        ("Xi", "short name of a name in the same article", "Xi Jinping"),
        ("XI JINPING", "same name (case)", "Xi Jinping"),
    }
    assert result.entities["person:xi-jinping"].rules == (
        "same name (case)",
        "short name of a name in the same article",
    )


@pytest.mark.parametrize("count", [0, 1])
def test_empty_and_single_inputs(count):
    mentions = corpus(("a", ["Anna Kowal"] * count))
    result = resolve_entities(mentions)
    assert len(result.entities) == count
    assert len(result.keys) == count
