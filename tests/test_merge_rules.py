"""The corpus-wide merge rules of issue 9, on hand-made mention lists."""

from __future__ import annotations

from graphkit.models import Abbreviation, Mention
from graphkit.resolve import find_abbreviations, resolve_entities


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


def entity(result, mentions, article_id: str, text: str):
    for mention, key in zip(mentions, result.keys, strict=True):
        if mention.article_id == article_id and mention.text == text:
            return result.entities[key] if key else None
    raise AssertionError(f"no mention {text!r} in {article_id}")


def test_an_organisation_short_form_joins_its_one_full_name():
    mentions = corpus(
        ("a", [("Labrum Party", "ORG")]),
        ("b", [("Labrum", "ORG")]),
        ("c", [("Labrum", "ORG")]),
    )
    result = resolve_entities(mentions)
    assert entity(result, mentions, "b", "Labrum") is entity(result, mentions, "a", "Labrum Party")
    assert entity(result, mentions, "b", "Labrum").rules


def test_with_two_full_names_of_like_size_the_short_form_joins_neither():
    # Two candidates: "Labrum" alone may be either, so it is neither, and no
    # entity of its own (issue 9: a word several names share).
    mentions = corpus(
        ("a", [("Labrum Party", "ORG")]),
        ("b", [("Labrum Group", "ORG")]),
        ("c", [("Labrum", "ORG")]),
    )
    result = resolve_entities(mentions)
    assert entity(result, mentions, "c", "Labrum") is None
    assert sorted(e.name for e in result.entities.values()) == ["Labrum Group", "Labrum Party"]


def test_an_organisation_first_word_joins_unless_used_ten_times_as_often():
    mentions = corpus(("a", [("Psvo Eindhoven", "ORG")]), ("b", [("Psvo", "ORG")]))
    result = resolve_entities(mentions)
    assert entity(result, mentions, "b", "Psvo").name == "Psvo Eindhoven"
    mentions = corpus(
        ("a", [("Lorpool Riverside", "ORG")]),
        *[(f"b{i}", [("Lorpool", "ORG")]) for i in range(11)],
    )
    result = resolve_entities(mentions)
    assert entity(result, mentions, "b0", "Lorpool").name == "Lorpool"


def test_a_generic_word_never_joins_a_longer_name_by_prefix():
    mentions = corpus(
        ("a", [("Cabinet Office", "ORG"), ("Cabinet", "ORG")]),
        ("b", [("Cabinet", "ORG")]),
    )
    result = resolve_entities(mentions, generic_words={"cabinet": 0.4})
    assert entity(result, mentions, "a", "Cabinet").name == "Cabinet"
    assert entity(result, mentions, "b", "Cabinet").name == "Cabinet"
    joined = resolve_entities(mentions)
    assert entity(joined, mentions, "a", "Cabinet").name == "Cabinet Office"


def test_a_common_word_alone_is_no_entity():
    mentions = corpus(("a", ["May", "Ned Vance"]), ("b", ["May"]))
    result = resolve_entities(mentions, generic_words={"may": 3.0})
    assert entity(result, mentions, "a", "May") is None
    assert result.dropped["common word, never a longer name"] == 2
    # Unless words around it in two articles say it is an organisation
    # ("told the Lorem", "the Lorem newspaper").
    said = [(x, "May", "ROLE:ORG") for x in ("a", "b")]
    result = resolve_entities(mentions, generic_words={"may": 3.0}, evidence=said)
    assert entity(result, mentions, "a", "May").name == "May"
    result = resolve_entities(mentions, generic_words={"may": 3.0}, evidence=said[:1])
    assert entity(result, mentions, "a", "May") is None


def test_an_acronym_joins_the_long_form_the_corpus_introduces_for_it():
    mentions = corpus(
        ("a", [("Quux Union", "ORG"), ("QU", "ORG")]),
        ("b", [("Quiet Utopia", "ORG")]),
        ("c", [("QU", "ORG")]),
    )
    abbreviations = [Abbreviation("a", "QU", "Quux Union")]
    result = resolve_entities(mentions, abbreviations=abbreviations)
    assert entity(result, mentions, "c", "QU").name == "Quux Union"


def test_an_acronym_joins_the_long_form_with_ten_times_the_mentions():
    big = [("Quux Union", "ORG")] * 10
    mentions = corpus(("a", big), ("b", [("Quiet Utopia", "ORG")]), ("c", [("QU", "ORG")]))
    result = resolve_entities(mentions)
    assert entity(result, mentions, "c", "QU").name == "Quux Union"
    close = corpus(("a", big[:3]), ("b", [("Quiet Utopia", "ORG")]), ("c", [("QU", "ORG")]))
    result = resolve_entities(close)
    assert entity(result, close, "c", "QU").name == "QU"


def test_honorific_and_surname_join_the_one_person_of_compatible_gender():
    mentions = corpus(
        ("a", ["Michael Hovard", "Mr Hovard"]),
        ("b", ["Sandra Hovard", "Mrs Hovard"]),
        ("c", ["Mrs Hovard"]),
        ("d", ["Mr Hovard"]),
    )
    result = resolve_entities(mentions)
    assert entity(result, mentions, "a", "Mr Hovard").name == "Michael Hovard"
    assert entity(result, mentions, "b", "Mrs Hovard").name == "Sandra Hovard"
    assert entity(result, mentions, "c", "Mrs Hovard").name == "Sandra Hovard"
    assert entity(result, mentions, "d", "Mr Hovard").name == "Michael Hovard"


def test_a_woman_in_the_same_article_does_not_join_the_man():
    mentions = corpus(("a", ["Michael Hovard", "Mrs Hovard", "Mr Hovard"]))
    result = resolve_entities(mentions)
    assert entity(result, mentions, "a", "Mr Hovard").name == "Michael Hovard"
    assert entity(result, mentions, "a", "Mrs Hovard").name != "Michael Hovard"


def test_honorific_and_surname_stay_apart_with_two_candidates():
    mentions = corpus(("a", ["Michael Hovard"]), ("b", ["Peter Hovard"]), ("c", ["Mr Hovard"]))
    result = resolve_entities(mentions)
    lone = entity(result, mentions, "c", "Mr Hovard")
    assert lone.type == "PERSON" and lone.name != "Michael Hovard"
    assert sorted(result.ambiguous[lone.key]) == ["Michael Hovard", "Peter Hovard"]


def test_a_first_name_is_never_an_alias_across_articles():
    mentions = corpus(("a", ["Tony Blayre"]), ("b", ["Tony"]))
    result = resolve_entities(mentions)
    assert entity(result, mentions, "b", "Tony").name == "Tony"


def test_a_company_surname_does_not_join_a_person_typed_as_an_organisation():
    mentions = corpus(("a", [("Bill Fordo", "ORG")]), ("b", [("Fordo", "ORG")]))
    result = resolve_entities(mentions)
    assert entity(result, mentions, "b", "Fordo").name == "Fordo"


def test_a_plain_list_after_an_acronym_is_not_its_long_form():
    text = "Lenders such as HSBC, Standard Chartered and BOC Hong Kong rose."
    assert find_abbreviations("a", text) == []
    text = "Lenders such as SCB, the Standard Chartered Bank, rose."
    assert [(a.short, a.long) for a in find_abbreviations("a", text)] == [
        ("SCB", "Standard Chartered Bank")
    ]


def test_clipped_and_plural_forms_join_their_one_full_name():
    mentions = corpus(
        ("a", [("Liberal Democrats", "ORG")]),
        ("b", [("Lib Dems", "ORG")]),
        ("c", [("Lib Dem", "PERSON")]),
        ("d", [("Liberal Democrat", "ORG")]),
    )
    result = resolve_entities(mentions)
    names = {
        entity(result, mentions, a, t).key
        for a, t in [
            ("a", "Liberal Democrats"),
            ("b", "Lib Dems"),
            ("c", "Lib Dem"),
            ("d", "Liberal Democrat"),
        ]
    }
    assert len(names) == 1
    apart = corpus(
        ("a", [("Libra Demos", "ORG")]),
        ("b", [("Lib Dems", "ORG")]),
        ("c", [("Liberal Democrats", "ORG")]),
    )
    result = resolve_entities(apart)
    assert entity(result, apart, "b", "Lib Dems").name == "Lib Dems"


def test_recalled_mentions_cast_no_type_vote():
    mentions = corpus(("a", [("Premiers", "ORG")]), *[(f"r{i}", ["Premiers"]) for i in range(5)])
    flags = [False] + [True] * 5
    (found,) = resolve_entities(mentions, recalled=flags).entities.values()
    assert found.type == "ORG"
    (voted,) = resolve_entities(mentions).entities.values()
    assert voted.type == "PERSON"


def test_a_first_word_does_not_join_a_different_body_named_after_it():
    mentions = corpus(("a", [("Keltic League", "ORG")]), ("b", [("Keltic", "ORG")]))
    result = resolve_entities(mentions)
    assert entity(result, mentions, "b", "Keltic").name == "Keltic"


def test_a_lone_form_far_more_used_than_its_only_candidate_stays_apart():
    mentions = corpus(
        ("a", [("Lorem Parliament", "ORG")]),
        *[(f"c{i}", [("Parliament", "ORG")]) for i in range(15)],
    )
    result = resolve_entities(mentions)
    assert entity(result, mentions, "c0", "Parliament").name == "Parliament"


def test_a_possessive_owner_is_cut_but_not_from_a_name_of_its_own():
    """ "Norland's Data Office" is the Data Office; "People's Bank of Norland", named in
    several articles, is not the "Bank of Norland" one article also names."""
    people = ("People's Bank of Norland", "ORG")
    mentions = corpus(
        ("a", [("Norland's Data Office", "ORG"), ("Data Office", "ORG")]),
        ("b", [people]),
        ("c", [people]),
        ("d", [people, ("Bank of Norland", "ORG")]),
    )
    result = resolve_entities(mentions)
    assert entity(result, mentions, "a", "Norland's Data Office") is entity(
        result, mentions, "a", "Data Office"
    )
    assert entity(result, mentions, "d", "People's Bank of Norland") is entity(
        result, mentions, "b", "People's Bank of Norland"
    )
    assert entity(result, mentions, "d", "Bank of Norland").name == "Bank of Norland"
    assert entity(result, mentions, "d", "Bank of Norland") is not entity(
        result, mentions, "d", "People's Bank of Norland"
    )


def test_a_shared_word_joins_the_name_the_corpus_knows_ten_times_better():
    # "Rovers" in article "a" could be "Lorem Rovers" or "Fans Rovers"; the
    # corpus names Lorem Rovers in ten articles, Fans Rovers in this one only.
    club = [(f"x{i}", [("Lorem Rovers", "ORG")]) for i in range(10)]
    mentions = corpus(
        ("a", [("Lorem Rovers", "PERSON"), ("Fans Rovers", "PERSON"), ("Rovers", "ORG")]),
        *club,
    )
    result = resolve_entities(mentions)
    assert entity(result, mentions, "a", "Rovers").name == "Lorem Rovers"
    # With nine articles it is not ten times better known: "Rovers" stays apart,
    # and as a word two names share, none of them named, it is no entity at all.
    fewer = corpus(
        ("a", [("Lorem Rovers", "PERSON"), ("Fans Rovers", "PERSON"), ("Rovers", "ORG")]),
        ("y", [("Fans Rovers", "ORG")]),
        *club[:8],
    )
    result = resolve_entities(fewer)
    assert entity(result, fewer, "a", "Rovers") is None
    assert result.dropped["a word several names share, none of them named"] == 1
    # Unless words around it in two articles say it is an organisation of its own.
    said = [(x, "Rovers", "ROLE:ORG") for x in ("a", "y")]
    result = resolve_entities(fewer, evidence=said)
    assert entity(result, fewer, "a", "Rovers").name == "Rovers"


def test_a_lone_person_name_two_people_share_stays_apart_and_a_well_known_word_stays():
    mentions = corpus(
        ("a", ["Ned Vance", "Vance"]),
        ("b", ["Ada Vance", "Vance"]),
        ("c", ["Vance"]),
        ("d", [("Lorem", "ORG")] * 3 + [("Lorem Echo", "ORG"), ("Lorem Town", "ORG")]),
        ("e", [("Lorem", "ORG")]),
    )
    result = resolve_entities(mentions)
    assert entity(result, mentions, "c", "Vance").name == "Vance"
    assert result.ambiguous[entity(result, mentions, "c", "Vance").key] == [
        "Ada Vance",
        "Ned Vance",
    ]
    # "Lorem" alone is used more than "Lorem Echo" and "Lorem Town" together.
    assert entity(result, mentions, "e", "Lorem").name == "Lorem"


def test_a_middle_initial_joins_the_one_longer_form_and_two_leave_both_apart():
    mentions = corpus(("a", ["Ned Q Vance"]), ("b", ["Ned Vance"]), ("c", ["Ned Q. Vance"]))
    result = resolve_entities(mentions)
    assert entity(result, mentions, "b", "Ned Vance").name == "Ned Q Vance"
    assert "same name with a middle initial, the one such form in the corpus" in (
        entity(result, mentions, "b", "Ned Vance").rules
    )
    two = [*mentions, *corpus(("d", ["Ned R Vance"]))]
    result = resolve_entities(two)
    assert entity(result, two, "b", "Ned Vance").name == "Ned Vance"


def test_a_common_word_opening_a_sentence_is_cut_from_the_name_it_leads():
    # "Fellow Lorem player ..." opens a sentence; "fellow" is mostly lower case
    # in the corpus, and "Lorem" is a name of three other articles.
    mentions = corpus(
        ("a", [("Fellow Lorem", "ORG")]),
        *[(x, [("Lorem", "ORG")]) for x in ("b", "c", "d")],
        ("e", [("Fellow Ipsum", "ORG")]),
        ("f", [("Ipsum", "ORG")]),
    )
    opens = [(m.article_id, m.text, "ROLE:START") for m in mentions if " " in m.text]
    result = resolve_entities(mentions, generic_words={"fellow": 5.0}, evidence=opens)
    assert entity(result, mentions, "a", "Fellow Lorem").aliases == (("Lorem", 4),)
    # "Ipsum" is named in one other article only: "Fellow Ipsum" stays whole;
    # so does "Fellow Lorem" where it is not always a sentence's first word.
    assert entity(result, mentions, "e", "Fellow Ipsum").name == "Fellow Ipsum"
    mid = resolve_entities(mentions, generic_words={"fellow": 5.0}, evidence=opens[1:])
    assert entity(mid, mentions, "a", "Fellow Lorem").name == "Fellow Lorem"


def test_a_product_gives_its_company_the_mention_corpus_wide():
    mentions = corpus(
        *[(x, [("Quuxco", "ORG")]) for x in ("a", "b", "c")],
        ("d", [("Quuxco Lorempad", "ORG"), ("Quuxco's Lorempad", "ORG")]),
        *[(x, [("Lorempad", "ORG")]) for x in ("e", "f", "g")],
    )
    # The model calls "Lorempads" a product, and an article says "a Lorempad".
    evidence = [("h", "Lorempads", "PRODUCT"), ("i", "Lorempad", "ROLE:THING")]
    result = resolve_entities(mentions, evidence=evidence)
    company = entity(result, mentions, "d", "Quuxco Lorempad")
    assert (company.name, company.aliases) == ("Quuxco", (("Quuxco", 5),))
    # Without a word that "Lorempad" is a thing, the longer name stands.
    result = resolve_entities(mentions, evidence=evidence[:1])
    assert entity(result, mentions, "d", "Quuxco Lorempad").name == "Quuxco Lorempad"


def test_two_shared_words_of_one_article_both_join_the_name_the_corpus_knows_better():
    # "Lorem" (first word of Lorem Rovers and Lorem Town) joins first and becomes
    # its group's root; "Rovers" must still find Lorem Rovers's group.
    club = [(f"x{i}", [("Lorem Rovers", "ORG")]) for i in range(10)]
    names = [("Ipsum Rovers", "PERSON"), ("Lorem Rovers", "PERSON"), ("Lorem Town", "PERSON")]
    mentions = corpus(("a", [*names, ("Lorem", "ORG"), ("Rovers", "ORG")]), *club)
    result = resolve_entities(mentions)
    assert entity(result, mentions, "a", "Lorem").name == "Lorem Rovers"
    assert entity(result, mentions, "a", "Rovers").name == "Lorem Rovers"


def test_given_names_are_read_as_gender_guesser_reads_them():
    """The faster reader of gender-guesser's list gives exactly its names and genders."""
    import gender_guesser.detector

    from graphkit.resolve.given_names import _detector

    assert _detector().names == gender_guesser.detector.Detector(case_sensitive=False).names
