"""Two spellings of one name: a sentence's first word glued on, a middle initial.

* "Fellow Bath player Lorem said ..." : the model tags "Fellow Bath". A
  mention whose first word the corpus mostly writes in lower case (a ratio of
  :data:`~graphkit.resolve.evidence.COMMON` or more, see
  :func:`~graphkit.resolve.evidence.generic_words`) and whose other words are
  a name of their own in the corpus is that name, unless the longer form is
  itself established (used in :data:`~graphkit.resolve.linking.ESTABLISHED`
  articles or more: "New Labour", "Real Madrid").
* "George W Bush" and "George Bush": a full name and the same name with one
  middle initial more are one person when the corpus holds exactly one such
  longer form ("George H W Bush" beside it leaves both apart).

Counting, not lists: nothing here names anyone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from graphkit.models import Mention
from graphkit.resolve.evidence import COMMON, ORG_WORDS, PLACE_LABELS, ROLE_START
from graphkit.resolve.given_names import name_gender
from graphkit.resolve.linking import ESTABLISHED, Links, Node
from graphkit.resolve.names import fold, name_key, other_number, strip_possessive

MIDDLE_INITIAL = "same name with a middle initial, the one such form in the corpus"


def without_common_leads(
    mentions: Sequence[Mention],
    generic: Mapping[str, float],
    evidence: Iterable[tuple[str, str, str]] = (),
    recalled: Sequence[bool] | None = None,
) -> list[Mention]:
    """``mentions`` with a leading common word cut where the rest is a name of its own.

    Only a form every model mention of which opens a sentence (``ROLE_START``
    in ``evidence``, see :mod:`~graphkit.resolve.spans`), whose first word is
    no given name ("Miles Davis"), used in fewer than ``ESTABLISHED``
    articles, and whose rest is no generic word ("Capital Radio") and is named
    in ``ESTABLISHED`` other articles or more ("Time Warner" stays whole
    beside a "Warner" of two articles).
    """
    common = {word for word, ratio in generic.items() if ratio >= COMMON}
    openings: Counter = Counter(text for _, text, label in evidence if label == ROLE_START)
    articles: dict[str, set[str]] = defaultdict(set)
    uses: Counter = Counter()
    for i, mention in enumerate(mentions):
        articles[name_key(mention.text, mention.label)].add(mention.article_id)
        if recalled is None or not recalled[i]:
            uses[mention.text] += 1
    result = list(mentions)
    for i, mention in enumerate(mentions):
        first, _, rest = mention.text.partition(" ")
        if not rest or first.casefold() not in common or not rest[:1].isupper():
            continue
        if openings[mention.text] < uses[mention.text] or name_gender(fold(first)):
            continue
        if len(articles[name_key(mention.text, mention.label)]) >= ESTABLISHED:
            continue
        elsewhere = articles.get(name_key(rest, "PERSON"), set()) | articles.get(
            name_key(rest, "ORG"), set()
        )
        if len(elsewhere - {mention.article_id}) >= ESTABLISHED and rest.casefold() not in generic:
            start = mention.end - len(rest)
            result[i] = replace(mention, start=start, text=rest)
    return result


def join_middle_initials(links: Links) -> None:
    """Join each person's full name to its one form with a middle initial."""
    info = links.nodes
    people = [node for node in sorted(info) if info[node].type == "PERSON"]
    longer: dict[str, set[str]] = defaultdict(set)
    for node in people:
        words = node[1].split()
        if len(words) >= 3 and all(len(w) == 1 for w in words[1:-1]) and len(words[0]) > 1:
            longer[f"{words[0]} {words[-1]}"].add(node[1])
    first_of: dict[str, Node] = {}
    for node in people:
        first_of.setdefault(node[1], node)
    for node in people:
        forms = longer.get(node[1], set())
        if len(forms) == 1 and not info[node].short:
            links.join(node, first_of[next(iter(forms))], MIDDLE_INITIAL, as_short=False)


def products_to_companies(
    mentions: Sequence[Mention],
    other_labels: Mapping[str, Counter],
    things: frozenset,
    generic: Mapping[str, float],
) -> list[Mention]:
    """ "Apple Lorempod" → "Apple": a company's name then a product's, corpus-wide.

    A mention labelled ORG whose first words are an organisation the corpus
    names on its own (labelled ORG in ``ESTABLISHED`` articles or more) and
    whose other words are a name the corpus calls a thing in two articles or
    more (``other_labels``: a product or work label, or words around it that
    say so, for the name or its plural) more than a place, that is named on
    its own in ``ESTABLISHED`` articles or more, and holds no organisation
    word and no word the corpus also writes in lower case ("Home Office",
    "Heineken Cup" stay whole), is a mention of the company: the product
    does not absorb it. The per-article rule of
    :mod:`~graphkit.resolve.spans` does this where the article names the
    company alone; this one where only the corpus does.
    """
    companies: dict[str, set[str]] = defaultdict(set)
    named: dict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        named[name_key(mention.text, "ORG")].add(mention.article_id)
        if mention.label == "ORG":
            companies[name_key(mention.text, "ORG")].add(mention.article_id)

    # name keys are folded ("elite"); generic words are only casefolded ("élite")
    ordinary = ORG_WORDS | {fold(word) for word in generic}

    def thing(name: str) -> bool:
        key = name_key(name, "ORG")
        if set(key.split()) & ordinary or len(named[key]) < ESTABLISHED:
            return False
        plural = other_number(key)
        labels = Counter(other_labels.get(key, {})) + Counter(other_labels.get(plural, {}))
        count = sum(n for t, n in labels.items() if t in things)
        return count >= 2 and count > sum(n for t, n in labels.items() if t in PLACE_LABELS)

    result = list(mentions)
    for i, mention in enumerate(mentions):
        words = mention.text.split(" ")
        if mention.label != "ORG" or len(words) < 2:
            continue
        for n in range(len(words) - 1, 0, -1):
            company = " ".join(words[:n])
            known = len(companies.get(name_key(company, "ORG"), ())) >= ESTABLISHED
            if known and thing(" ".join(words[n:])):
                end = mention.start + len(strip_possessive(company))
                result[i] = replace(mention, end=end, text=strip_possessive(company))
                break
    return result
