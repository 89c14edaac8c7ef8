"""Types decided from all the corpus's evidence, with the reason kept for --explain."""

from __future__ import annotations

from collections import Counter

from graphkit.models import Mention
from graphkit.resolve import resolve_entities
from graphkit.resolve.evidence import (
    EVIDENCE_RULE,
    ROLE_ORG,
    ROLE_THING,
    decide_type,
    generic_words,
)

WANTED = {"PERSON", "ORG"}


def test_organisation_words_outvote_a_person_majority():
    decision = decide_type(
        Counter(PERSON=5, ORG=1), Counter({"Lorem United": 6}), Counter(), WANTED
    )
    assert (decision.type, decision.model, decision.changed) == ("ORG", "PERSON", True)
    assert "organisation word" in decision.reason


def test_an_honorific_makes_a_person():
    decision = decide_type(Counter(ORG=2), Counter({"Mr Vance": 3}), Counter(), WANTED)
    assert decision.type == "PERSON"


def test_a_given_name_of_known_gender_makes_a_person_and_an_ambiguous_one_does_not():
    # Given names count once per article that uses the full name.
    named = decide_type(Counter(ORG=2), Counter({"Michael Quux": 9}), Counter(), WANTED, 3)
    assert named.type == "PERSON"
    once = decide_type(Counter(ORG=2), Counter({"Michael Quux": 9}), Counter(), WANTED, 1)
    assert once.type == "ORG"
    assert decide_type(Counter(ORG=3), Counter({"Sun Quux": 1}), Counter(), WANTED).type == "ORG"


def test_a_string_mostly_called_a_work_is_no_wanted_type():
    decision = decide_type(
        Counter(PERSON=2), Counter({"Lorem Potter": 2}), Counter(WORK_OF_ART=5), WANTED
    )
    assert decision.type is None and "WORK_OF_ART" in decision.reason
    kept = decide_type(
        Counter(PERSON=2), Counter({"Lorem Potter": 2}), Counter(WORK_OF_ART=1), WANTED
    )
    assert kept.type == "PERSON"


def test_a_name_led_by_the_is_not_a_person():
    decision = decide_type(
        Counter(PERSON=3), Counter({"Premiers": 5}), Counter({"ROLE:THE": 4}), WANTED
    )
    assert decision.type == "ORG" and 'led by "the"' in decision.reason


def test_role_words_count():
    decision = decide_type(
        Counter(PERSON=2), Counter({"Quuxco": 9}), Counter({ROLE_ORG: 3}), WANTED
    )
    assert decision.type == "ORG"


def test_a_wanted_label_is_never_dropped_as_evidence():
    wanted = {"PERSON", "ORG", "WORK_OF_ART"}
    decision = decide_type(Counter(PERSON=2), Counter({"Lorem": 2}), Counter(), wanted)
    assert decision.type == "PERSON"


def test_model_labels_count_once_per_article():
    # The model calls "Quuxco" a person on all 9 mentions of one article and an
    # organisation in two others: two articles against one.
    mentions = [Mention("a", i, i * 20, i * 20 + 6, "Quuxco", "PERSON") for i in range(9)]
    mentions += [Mention(x, 0, 0, 6, "Quuxco", "ORG") for x in ("b", "c")]
    (entity,) = resolve_entities(mentions).entities.values()
    assert entity.type == "ORG"
    assert dict(entity.type_counts) == {"PERSON": 9, "ORG": 2}


def test_the_resolver_drops_works_and_explains_retyping():
    mentions = [
        Mention("a", 0, 0, 17, "Blockchain Center", "PERSON"),
        Mention("a", 1, 40, 52, "Lorem Potter", "PERSON"),
        Mention("b", 0, 0, 12, "Lorem Potter", "PERSON"),
    ]
    evidence = [("c", "Lorem Potter", "WORK_OF_ART")] * 4
    result = resolve_entities(mentions, evidence=evidence)
    (entity,) = result.entities.values()
    assert (entity.name, entity.type) == ("Blockchain Center", "ORG")
    assert result.dropped["not a wanted type (corpus evidence)"] == 2
    assert result.retyped[entity.key][:2] == ("PERSON", "ORG")
    (why,) = [x for x in result.explanations[entity.key] if x.rule.startswith(EVIDENCE_RULE)]
    assert "organisation word" in why.rule and why.target == "ORG"
    assert EVIDENCE_RULE in entity.rules


def test_generic_words_are_counted_from_the_texts():
    mentions = [Mention("a", 0, 0, 7, w, "ORG") for w in ("Cabinet", "Labrum", "Mayday")]
    texts = ["The Cabinet met. The cabinet agreed. Labrum won. Labrum lost. Labrum's."] * 2
    # Few lower-case uses: generic, but not common enough to drop the name.
    assert generic_words(texts, mentions) == {"cabinet": 0.25}
    many = ["Mayday came. " + "mayday, mayday. " * 12]
    assert generic_words(many, mentions) == {"mayday": 24.0}


def test_a_lone_word_next_to_scores_is_a_team_and_a_full_name_is_not():
    team = decide_type(
        Counter(PERSON=3), Counter({"Lorcester": 6}), Counter({"ROLE:SCORE": 3}), WANTED
    )
    assert team.type == "ORG" and "score" in team.reason
    player = decide_type(
        Counter(PERSON=3),
        Counter({"Andy Roddo": 3, "Roddo": 3}),
        Counter({"ROLE:SCORE": 3}),
        WANTED,
    )
    assert player.type == "PERSON"


def test_words_around_a_name_count_once_per_article_like_the_model_labels():
    # Three articles call "Quuxpod" an organisation; one says "a Quuxpod" four
    # times: one vote for a thing, not four.
    mentions = [Mention(x, 0, 0, 7, "Quuxpod", "ORG") for x in ("a", "b", "c")]
    evidence = [("a", "Quuxpod", ROLE_THING)] * 4
    (entity,) = resolve_entities(mentions, evidence=evidence).entities.values()
    assert entity.type == "ORG"
    both = [*evidence, ("b", "Quuxpod", ROLE_THING), ("c", "Quuxpod", "PRODUCT")]
    assert resolve_entities(mentions, evidence=both).entities == {}


def test_a_plural_is_the_same_kind_of_thing_as_its_singular():
    # "Lorem" is an award wherever the model or the words around it say so
    # ("won a Lorem"); "Lorems" (the ceremony) is then no organisation either.
    mentions = [Mention(x, 0, 0, 6, "Lorems", "ORG") for x in ("a", "b")]
    evidence = [(x, "Lorem", ROLE_THING) for x in ("c", "d", "e")]
    assert resolve_entities(mentions, evidence=evidence).entities == {}
    (kept,) = resolve_entities(mentions).entities.values()
    assert kept.name == "Lorems"


def test_one_cue_in_one_article_is_too_little_to_drop_a_name():
    one = decide_type(Counter(PERSON=1), Counter({"Ned Quux": 3}), Counter({ROLE_THING: 1}), WANTED)
    assert one.type == "PERSON"
    two = decide_type(Counter(PERSON=1), Counter({"Ned Quux": 3}), Counter({ROLE_THING: 2}), WANTED)
    assert two.type is None
