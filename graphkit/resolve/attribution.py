"""Attribution mentions: an organisation named as the source of a report, not as an actor.

"he told BBC News", "according to Reuters", "a spokesman for Acme said",
"the Guardian website", "CNN's correspondent", "Reuters reported": the
organisation is where the words came from, not someone the sentence's people
are connected to. Such a mention stays a mention of its entity (it is counted
and listed by ``graphkit mentions``), but it makes no tie.

The rules are general English reporting patterns, matched on the words right
before and after the mention; there is no list of publishers. Only
organisations are read this way: "Blair told Brown" is a tie between two
people, "Blair told the BBC" is not.

A corpus's own publishers (and the wire services it quotes throughout) are
found the same way, with no list of names: an organisation named as the
source in a large share of the corpus's articles, and as the source in most
of the articles that name it at all (:func:`publishers`). Unlike an ordinary
source it also reaches the corpus's people through the sentences that name
it in passing ("on BBC One", "the BBC's licence fee"), and, being in every
part of the corpus, it joins people who have nothing to do with each other.
"""

from __future__ import annotations

import hashlib
import json
import re

# Words right before the mention (matched against the end of the text before it).
_BEFORE = {
    "told": re.compile(r"\b(?:told|tells|telling|tell)\s+(?:the\s+)?$", re.IGNORECASE),
    "according to": re.compile(r"\baccording\s+to\s+(?:the\s+)?$", re.IGNORECASE),
    "speaking to": re.compile(
        r"\b(?:speaking|talking|spoke|talked|said|appeared|appearing|added|asked|interviewed)"
        r"[\s,]+(?:\w+ly\s+)?(?:to|on)\s+(?:the\s+)?$",
        re.IGNORECASE,
    ),
    "confirmed to": re.compile(
        r"\b(?:confirmed|denied|admitted|revealed|explained|insisted|wrote|complained)"
        r"\s+(?:\w+ly\s+)?to\s+(?:the\s+)?$",
        re.IGNORECASE,
    ),
    "contacted by": re.compile(
        r"\b(?:contacted|interviewed|approached|quizzed|questioned|polled|surveyed)"
        r"\s+(?:\w+\s+){0,3}?(?:by|for)\s+(?:the\s+)?$",
        re.IGNORECASE,
    ),
    "interview with": re.compile(r"\binterviews?\s+(?:with|on|for)\s+(?:the\s+)?$", re.IGNORECASE),
    "reported by": re.compile(
        r"\b(?:reported|revealed|broadcast|published)\s+(?:by|on|in)\s+(?:the\s+)?$",
        re.IGNORECASE,
    ),
    "spokesperson for": re.compile(
        r"\b(?:spokes(?:man|woman|person)|representative|source|press\s+officer)s?"
        r"\s+(?:for|from|at)\s+(?:the\s+)?$",
        re.IGNORECASE,
    ),
}
# Words right after the mention (matched against the start of the text after it).
_AFTER = {
    "reported": re.compile(
        r"^\s+(?:news\s+agency\s+|newspaper\s+)?(?:has\s+|had\s+|also\s+)?(?:reported|reports|"
        r"quoted|quotes|said\s+in\s+a\s+report|understands|has\s+learned|has\s+learnt)\b",
        re.IGNORECASE,
    ),
    "correspondent": re.compile(
        r"^(?:'s|’s)?\s+(?:[\w-]+\s+){0,3}?(?:correspondent|reporter|editor|presenter|"
        r"journalist|columnist|spokes(?:man|woman|person))s?\b",
        re.IGNORECASE,
    ),
    "website": re.compile(
        r"^(?:'s|’s)?\s+(?:news\s+|online\s+)?(?:website|web\s+site|site|programme|program|"
        r"bulletin|radio|television|tv|channel|interview|documentary|report|story|poll|survey"
        r"|investigation|broadcast)s?\b",
        re.IGNORECASE,
    ),
}
# "says the X's Jane Doe in Moscow": a reporter of X, named after "says/said/reports the".
_SAYS_THE = re.compile(r"\b(?:says|said|reports|reported|writes|wrote)\s+the\s+$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^(?:'s|’s)\s")
ATTRIBUTION_TYPES = frozenset({"ORG"})
CONTEXT = 60
# Bump when :func:`attribution` reads its patterns in a way they do not show
# (part of :func:`rules`, so stored attributions are read again).
RULES = 1
# A publisher is the source in at least this share of the corpus's articles,
# and in at least PUBLISHER_MIN_ARTICLES of them (so a small corpus quoting
# one paper twice has none) ...
PUBLISHER_SHARE = 0.01
PUBLISHER_MIN_ARTICLES = 3
# ... and it is the source in more than this share of the articles naming it:
# a party whose spokesman is quoted often is named far more often as an actor.
PUBLISHER_SOURCE_SHARE = 0.5


def attribution(before: str, after: str) -> str | None:
    """The reporting pattern a mention sits in, given the text just before and after it.

    Returns the pattern's name ("told", "according to", "reported",
    "correspondent", "website" …) or ``None`` when the mention is not an
    attribution. ``before`` and ``after`` should stop at the sentence.
    """
    before = before[-CONTEXT:]
    for name, pattern in _BEFORE.items():
        if pattern.search(before):
            return name
    if _SAYS_THE.search(before) and _POSSESSIVE.match(after):
        return "correspondent"
    for name, pattern in _AFTER.items():
        if pattern.match(after):
            return name
    return None


def attributions(mentions, keys, types: dict[str, str], contexts) -> list[str | None]:
    """The attribution pattern of each mention (aligned with ``mentions``), or ``None``.

    ``types`` maps an entity key to its type; ``contexts`` yields
    ``(before, after)`` text per mention. Only entities of
    :data:`ATTRIBUTION_TYPES` are read as sources.

    A mention's pattern depends on its own context and on whether its key
    is read as a source (:func:`read_as_source`), nothing else: not on the
    article's other mentions. A re-link keeps the stored pattern of a
    mention read as a source before and now, under the same :func:`rules`.
    """
    found = []
    for _mention, key, (before, after) in zip(mentions, keys, contexts, strict=True):
        if not read_as_source(key, types):
            found.append(None)
        else:
            found.append(attribution(before, after))
    return found


def read_as_source(key: str | None, types: dict[str, str]) -> bool:
    """Whether a mention of the entity ``key`` (of type ``types[key]``) can be a source."""
    return key is not None and types.get(key) in ATTRIBUTION_TYPES


def rules() -> str:
    """A digest of the patterns and settings :func:`attributions` reads by.

    Kept with stored attributions: patterns changed in a release are a new
    digest, and every mention is read again instead of keeping old results.
    """
    patterns = [
        [p.pattern, p.flags] for p in (*_BEFORE.values(), *_AFTER.values(), _SAYS_THE, _POSSESSIVE)
    ]
    settings = [RULES, list(_BEFORE), list(_AFTER), patterns, sorted(ATTRIBUTION_TYPES), CONTEXT]
    return hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:16]


def publisher_rules() -> list:
    """The settings of :func:`publishers` (a result found under others is found again)."""
    return [PUBLISHER_SHARE, PUBLISHER_MIN_ARTICLES, PUBLISHER_SOURCE_SHARE]


def publishers(sources, articles: int) -> list[str]:
    """The keys of the organisations that are the corpus's own publishers or wire services.

    ``sources`` yields ``(key, as_source, naming)`` per organisation: the
    number of articles that name it as a source (an attribution mention) and
    the number that name it at all; ``articles`` is the size of the corpus.
    One is a publisher when it is the source in at least
    :data:`PUBLISHER_SHARE` of all articles (and at least
    :data:`PUBLISHER_MIN_ARTICLES`) and in more than
    :data:`PUBLISHER_SOURCE_SHARE` of the articles naming it. Returned most
    used first.
    """
    least = max(PUBLISHER_MIN_ARTICLES, PUBLISHER_SHARE * articles)
    found = [
        (-as_source, key)
        for key, as_source, naming in sources
        if as_source >= least and as_source > PUBLISHER_SOURCE_SHARE * naming
    ]
    return [key for _, key in sorted(found)]
