"""An entity's type from all the evidence the corpus holds, not only the model's vote.

The small model's label on a name flips from sentence to sentence (a football
club is a PERSON in one match report and an ORG in the next), so the
majority of its labels is weak evidence. :func:`decide_type` weighs, for one
entity:

* the model's labels on its mentions (one vote each);
* personal honorifics in front of its names ("Mr", "Mrs", "Dr" …): two votes
  each for PERSON;
* organisation words in its names ("Party", "Bank", "United", "FC", "Ltd",
  "Ministry" …): two votes each for ORG;
* a given name of a known gender starting a two-word name (from the general
  list of :mod:`~graphkit.resolve.given_names`): one vote each for PERSON;
* the model's other labels on the same strings anywhere in the corpus
  (PRODUCT, WORK_OF_ART, EVENT, LAW; GPE, NORP, LOC, FAC): a string the model
  mostly calls a work, a product or an event is none of the wanted types and
  is dropped ("Harry Potter", "Firefox"), unless honorifics or organisation
  words say otherwise; places and nationalities count against PERSON.

It returns the type and a one-line reason, stored with the entity's
explanations so ``graphkit entities --explain`` shows why.
The word lists are general English, never names from a corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphkit.models import Mention
from graphkit.resolve.given_names import name_gender
from graphkit.resolve.names import fold

# Words that make a name an organisation's, wherever they stand in it.
_ORG_WORDS_TEXT = """
    party parties group plc ltd limited inc corp corporation company co llc gmbh ag sa
    holdings bank fc afc united motor club association union council committee commission
    ministry department office agency authority board bureau institute foundation trust
    society federation league airlines airways motors industries systems technologies
    entertainment records studios pictures networks communications telecom petroleum
    pharmaceuticals center centre academy administration rovers athletic wanderers
    albion hotspur democrats dems republicans
    university college school hospital police army navy court parliament assembly
    congress senate government organisation organization services"""
ORG_WORDS = frozenset(_ORG_WORDS_TEXT.split())
# Labels that say a string is a thing, not a person or an organisation.
THING_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"})
# Organisation words after which a lone name is the same organisation ("Labour" →
# "Labour Party"); not "League", "Council", "Office": those name other bodies.
_BASE_WORDS_TEXT = """
    party group plc ltd limited inc corp corporation company co llc gmbh ag sa holdings
    bank fc afc club motors motor airlines airways industries technologies systems
    entertainment records studios pictures networks communications pharmaceuticals
    democrats dems republicans"""
BASE_WORDS = frozenset(_BASE_WORDS_TEXT.split())
PLACE_LABELS = frozenset({"GPE", "NORP", "LOC", "FAC"})
PERSON_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady"})
EVIDENCE_RULE = "type from corpus evidence"
# Evidence labels for what the words around a name say it is (see resolve.spans).
ROLE_PREFIX = "ROLE:"  # evidence read from the words around a name, not a model label
ROLE_ORG = "ROLE:ORG"
ROLE_PERSON = "ROLE:PERSON"
ROLE_THING = "ROLE:THING"  # a work, an award, a competition: counts as a thing label
ROLE_THE = "ROLE:THE"  # led by "the": not a person's name
ROLE_SCORE = "ROLE:SCORE"  # a one-word name next to a score: a team, unless a person's name
ROLE_START = "ROLE:START"  # a name of two words or more that opens a sentence (resolve.variants)
# Articles whose words around a name say "organisation" ("told the Times") needed
# before they outweigh other rules on it.
ORG_ROLE_ARTICLES = 2


def named_as_org(other_labels: dict, key: str) -> bool:
    """Whether the words around ``key`` in enough articles say it is an organisation."""
    return other_labels.get(key, {}).get(ROLE_ORG, 0) >= ORG_ROLE_ARTICLES


@dataclass(frozen=True)
class TypeDecision:
    """The chosen type (``None``: not a wanted type at all), the model's majority, and why."""

    type: str | None
    model: str
    reason: str
    contested: bool = True  # False: every label and every clue said the same

    @property
    def changed(self) -> bool:
        return self.type != self.model


def decide_type(
    labels: Counter,
    surfaces: Counter,
    other_labels: Counter,
    wanted: set[str],
    given_articles: int | None = None,
) -> TypeDecision:
    """Weigh the evidence for one entity (see the module notes).

    Parameters
    ----------
    labels : Counter
        The model's labels on the entity's (full-name) mentions.
    surfaces : Counter
        The entity's surface forms and their counts.
    other_labels : Counter
        The model's labels on the same strings anywhere in the corpus,
        including labels that are not wanted types.
    wanted : set of str
        The entity types the user asked for.
    """
    model = min(labels.items(), key=lambda item: (-item[1], item[0]))[0]
    if given_articles is None:
        given_articles = sum(labels.values())
    votes = Counter({t: n for t, n in labels.items() if t in wanted})
    notes = [", ".join(f"{t} {n}" for t, n in sorted(labels.items(), key=lambda x: (-x[1], x[0])))]
    titled = sum(n for s, n in surfaces.items() if _first_word(s) in PERSON_TITLES)
    organised = sum(n for s, n in surfaces.items() if ORG_WORDS & set(fold(s).split()))
    given = min(given_articles, sum(n for s, n in surfaces.items() if _given_name_led(s)))
    if titled and "PERSON" in wanted:
        votes["PERSON"] += 2 * titled
        notes.append(f"honorific ×{titled}")
    if organised and "ORG" in wanted:
        votes["ORG"] += 2 * organised
        notes.append(f"organisation word ×{organised}")
    if given and not organised and "PERSON" in wanted:
        votes["PERSON"] += given
        notes.append(f"given name ×{given}")
    for role, kind in ((ROLE_ORG, "ORG"), (ROLE_PERSON, "PERSON")):
        if other_labels.get(role) and kind in wanted:
            votes[kind] += 2 * other_labels[role]
            notes.append(f"{kind.lower()} role words ×{other_labels[role]}")
    # Two pieces of evidence at least: one cue in one article ("role in Lorem's
    # film") is too little to drop a name. A cue around the name counts twice.
    pieces = sum(n for t, n in other_labels.items() if t in THING_LABELS and t not in wanted)
    pieces += other_labels.get(ROLE_THING, 0)
    things = pieces + other_labels.get(ROLE_THING, 0)
    led_by_the = other_labels.get(ROLE_THE, 0)
    places = sum(n for t, n in other_labels.items() if t in PLACE_LABELS and t not in wanted)
    if things or places:
        notes.append(
            "elsewhere "
            + ", ".join(
                f"{t} {n}"
                for t, n in sorted(other_labels.items(), key=lambda x: (-x[1], x[0]))
                if t not in wanted and not (t.startswith(ROLE_PREFIX) and t != ROLE_THING)
            )
        )
    roles = other_labels.get(ROLE_ORG, 0) + other_labels.get(ROLE_PERSON, 0)
    total = sum(labels.values())
    if things > total + 2 * roles and pieces >= 2 and not titled and not organised:
        found = sorted(t for t in other_labels if t in THING_LABELS or t == ROLE_THING)
        thing = max(found, key=other_labels.get).replace(ROLE_THING, "a work or award")
        return TypeDecision(None, model, f"{'; '.join(notes)} → {thing}, not a wanted type")
    # A place's name is no person's; as an organisation's it may be a team's
    # or a government's ("Chicago 3 Boston 2"), so the model's ORG votes stand.
    if places > total and not titled and not organised and not roles and not votes.get("ORG"):
        place = max(sorted(t for t in other_labels if t in PLACE_LABELS), key=other_labels.get)
        return TypeDecision(None, model, f"{'; '.join(notes)} → {place}, not a wanted type")
    scores = other_labels.get(ROLE_SCORE, 0)
    one_word = all(" " not in s for s in surfaces)
    if scores and one_word and not titled and "ORG" in wanted:
        votes["ORG"] += 2 * scores
        notes.append(f"next to a score ×{scores}")
    if led_by_the and "PERSON" in votes and not titled and not given:
        notes.append(f'led by "the" ×{led_by_the}')
        if 2 * led_by_the + things >= votes["PERSON"] and "ORG" in wanted:
            votes["ORG"] += votes.pop("PERSON")
            notes.append("not a person")
    if not votes:
        return TypeDecision(model, model, "; ".join(notes))
    # Ties go to the model's own majority.
    chosen = min(votes.items(), key=lambda item: (-item[1], item[0] != model, item[0]))[0]
    contested = (
        len(labels) > 1
        or len(votes) > 1
        or bool(things or places or roles or led_by_the or scores)
        or chosen != model
    )
    return TypeDecision(chosen, model, f"{'; '.join(notes)} → {chosen}", contested)


def _first_word(surface: str) -> str:
    return fold(surface.split(" ", 1)[0]) if " " in surface else ""


def _given_name_led(surface: str) -> bool:
    """ "Bernie Ebbers": a given name of a known gender, then a surname (a middle
    initial allowed); not "Adam Smith Lecture"."""
    words = surface.split()
    if not (len(words) == 2 or (len(words) == 3 and len(words[1].rstrip(".")) == 1)):
        return False
    return words[0][:1].isupper() and name_gender(fold(words[0])) is not None


_WORD = re.compile(r"[^\W\d_]+")


GENERIC = 0.25  # lower-case uses per capitalised use from which a word is generic
COMMON = 2.0  # ... and from which a name of that one word alone is no name at all
COMMON_MIN = 10  # lower-case uses a common word needs at least (small counts say little)


def generic_words(texts: Iterable[str], mentions: Iterable[Mention]) -> dict[str, float]:
    """Single-word names the corpus also writes in lower case, with how often.

    "Cabinet", "Budget" and "Home" are ordinary words with a capital letter;
    "Labour" is almost always the party. Returns each one-word name whose
    lower-case form occurs at least :data:`GENERIC` times as often as its
    capitalised form in ``texts``, with that ratio. Such a word never joins
    a longer name by its first word ("Cabinet" → "Cabinet Office"); from
    :data:`COMMON` on ("May", "Budget") an entity named by that word alone
    is dropped. Counting, not a list: nothing corpus-specific is in the code.
    """
    words = candidate_words(mentions)
    lower: Counter = Counter()
    upper: Counter = Counter()
    for text in texts:
        for (word, lowered), count in word_cases(text).items():
            if word in words:
                (lower if lowered else upper)[word] += count
    return generic_from_counts(words, lower, upper)


def candidate_words(mentions: Iterable[Mention]) -> set[str]:
    """The words :func:`generic_words` weighs: single-word names, and the first words
    of longer ones ("Fellow Bath": see resolve.variants), folded."""
    words = set()
    for mention in mentions:
        first = mention.text.split(" ", 1)[0]  # the whole text of a single word
        if first.isalpha():
            words.add(first.casefold())
    return words


def word_cases(text: str) -> Counter:
    """``(folded word, written in lower case)`` → uses in ``text``: what
    :func:`generic_words` counts. The store keeps these counts for the whole
    corpus (a change of the word rule needs a migration that counts again)."""
    counts: Counter = Counter()
    for word, uses in Counter(_WORD.findall(text)).items():  # each spelling folded once
        folded = word.casefold()
        counts[folded, word == folded] += uses
    return counts


def generic_from_counts(
    words: Iterable[str], lower: Mapping[str, int], upper: Mapping[str, int]
) -> dict[str, float]:
    """:func:`generic_words` of ``words`` from their lower- and upper-case counts."""
    return {
        w: (
            lower.get(w, 0) / upper[w]
            if lower.get(w, 0) >= COMMON_MIN
            else min(lower.get(w, 0) / upper[w], GENERIC)
        )
        for w in sorted(words)
        if upper.get(w, 0) and lower.get(w, 0) >= GENERIC * upper[w]
    }
