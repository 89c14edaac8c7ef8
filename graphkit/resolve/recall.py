"""A second, corpus-consistent pass: names the model found elsewhere, found again.

The small models miss a name in one sentence that they tag in the next
("He Yifan" is never tagged in one article, tagged in another). Once the
whole corpus is extracted, :func:`recall_mentions` looks for every
*confidently recognised* name in every article and makes a mention of each
occurrence that no model mention covers.

Confidently recognised: the model tagged exactly that string, with a wanted
label, at least :data:`MIN_TAGGED` times in the corpus, more often than it
gave the same string any other label (a "Jordan" the model calls a country
more often than a person is not found again), and the string is a usable
name (no noise, no lone title or generic word, at least three characters).

Matching runs over word tokens: maximal runs of letters and digits, the
boundaries spaCy's tokenizer also cuts at, so a match is never part of a
longer word ("Blair" is not found in "Blairite", "Intel" not in "Intel-based"),
and the text between the tokens must be exactly the name's. Nor is a match
part of a longer capitalised name the model did not tag as a wanted type:
"United" is not found in "United States", "Green" not in "Green Day" or
"Austrian Green member" (a capitalised word right after it, or right before
it where no sentence starts). It is a dictionary
lookup per token, so the pass costs well under a second per thousand
articles (``benchmarks/entities.py`` prints its time).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise

from graphkit.models import Mention
from graphkit.resolve.evidence import ROLE_PREFIX
from graphkit.resolve.given_names import HONORIFIC_GENDER, name_gender
from graphkit.resolve.names import TITLES, fold, noise_reason, strip_possessive

MIN_TAGGED = 2
# Bump when what recall_mentions finds in an article changes: the next build then
# reads every article again instead of only those its changed names can touch.
RECALL_RULES = 1
_TOKEN = re.compile(r"[^\W_]+")


def confident_names(
    mentions: Iterable[Mention], evidence: Iterable[tuple[str, str, str]], generic: set[str]
) -> dict[str, str]:
    """Names worth finding again → the label the model gives them most."""
    labels: dict[str, Counter] = defaultdict(Counter)
    for mention in mentions:
        labels[mention.text][mention.label] += 1
    others: Counter = Counter()
    for _, text, label in evidence:
        if text in labels and not label.startswith(ROLE_PREFIX):
            others[text] += 1
    names = {}
    for text, counter in labels.items():
        tagged = sum(counter.values())
        if tagged < (1 if " " in text else MIN_TAGGED) or tagged <= others[text] or len(text) < 3:
            continue
        if noise_reason(text) or text != text.strip() or "\n" in text:
            continue
        words = fold(text).split()
        if not words or (len(words) == 1 and (words[0] in generic or words[0] in TITLES)):
            continue
        if not text[:1].isupper() and not text[:1].isdigit():
            continue
        names[text] = min(counter.items(), key=lambda item: (-item[1], item[0]))[0]
    return names


def recall_mentions(
    article_id: str,
    text: str,
    sentence_starts: Sequence[int],
    mentions: Sequence[Mention],
    index: dict[str, list[tuple[int, str, str]]],
) -> Iterator[Mention]:
    """Occurrences in ``text`` of indexed names that no mention in ``mentions`` covers.

    ``index`` is :func:`name_index` of :func:`confident_names`.
    """
    covered = sorted((m.start, m.end) for m in mentions)
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        token = tokens[i]
        found = None
        for length, name, label in index.get(token.group(), ()):
            if i + length > len(tokens):
                continue
            start, end = token.start(), tokens[i + length - 1].end()
            if (
                text[start:end] == name
                and _bounded(text, start, end)
                and not _in_longer_name(text, start, end)
            ):
                found = (length, start, end, name, label)
                break
        if found is None:
            i += 1
            continue
        length, start, end, name, label = found
        if not _overlaps(covered, start, end):
            sentence = max(0, bisect_right(sentence_starts, start) - 1)
            yield Mention(article_id, sentence, start, end, name, label)
            covered.append((start, end))
        i += length
    for start, end in _full_names_of_honorifics(text, tokens, mentions):
        if not _overlaps(covered, start, end):
            sentence = max(0, bisect_right(sentence_starts, start) - 1)
            yield Mention(article_id, sentence, start, end, text[start:end], "PERSON")
            covered.append((start, end))


def _full_names_of_honorifics(text: str, tokens: list, mentions: Sequence[Mention]) -> Iterator:
    """ "... recruiting Darleen Lorem while ... Ms Lorem is serving ...": the model
    tagged "Ms Lorem" but missed the full name. A known given name right before
    the surname, not opening a sentence, makes the two words a person's full
    name (the span of each such place); whether the honorific's person is that
    one is left to the linking rules, which check the gender. One pass over
    the article's word tokens."""
    surnames = set()
    for mention in mentions:
        words = mention.text.split()
        if len(words) == 2 and mention.label == "PERSON" and fold(words[0]) in HONORIFIC_GENDER:
            surnames.add(strip_possessive(words[1]))
    if not surnames:
        return
    for given, surname in pairwise(tokens):
        if surname.group() not in surnames or given.end() + 1 != surname.start():
            continue
        if text[given.end()] != " " or not given.group()[:1].isupper():
            continue
        if name_gender(fold(given.group())) is None or not _bounded(
            text, given.start(), surname.end()
        ):
            continue
        if _in_longer_name(text, given.start(), surname.end()):
            continue  # "the Darleen Lorem Centre", "Sarah Darleen Lorem"
        lead = text[max(0, given.start() - 3) : given.start()].rstrip(" \t")
        if lead and lead[-1] not in _SENTENCE_END:
            yield given.start(), surname.end()


def name_index(names: dict[str, str]) -> dict[str, list[tuple[int, str, str]]]:
    """First token → ``(token count, name, label)``, longest names first."""
    index: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for name, label in names.items():
        tokens = _TOKEN.findall(name)
        if tokens:
            index[tokens[0]].append((len(tokens), name, label))
    for entries in index.values():
        entries.sort(key=lambda e: (-e[0], -len(e[1]), e[1]))
    return dict(index)


def changed_names(before: dict[str, str], after: dict[str, str]) -> set[str]:
    """The names :func:`confident_names` gained, lost or relabelled between two passes."""
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def name_finder(names: Iterable[str]) -> re.Pattern | None:
    """A pattern found in every text where one of ``names`` can be recalled.

    :func:`recall_mentions` makes a mention of an index entry only where the
    text spells its name, and otherwise goes on as if the entry were not
    there: a text without any of ``names`` is recalled exactly as before
    they changed.
    """
    names = sorted(set(names), key=lambda n: (-len(n), n))
    return re.compile("|".join(map(re.escape, names))) if names else None


def _bounded(text: str, start: int, end: int) -> bool:
    """Not glued to a neighbouring word by a hyphen, an ampersand or a dot."""
    before = text[start - 1] if start else " "
    after = text[end : end + 2]
    if before in "-&" or (before == "." and start > 1 and text[start - 2].isalnum()):
        return False
    return not (after[:1] in "-&" and after[1:2].isalnum())


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_])")
_PREVIOUS_WORD = re.compile(r"([^\W\d_][\w'’.-]*)[ \t]+$")
_SENTENCE_END = '.!?:;"“”‘(\n'


def _in_longer_name(text: str, start: int, end: int) -> bool:
    """Whether a capitalised word joins the match to a longer name ("United States").

    The word after it counts when it starts with a capital; the word before
    it when it does, is no title ("Mr", "President") and starts no sentence
    ("Austrian Green member", but not "Then Green said" or "Mr Green said").
    """
    after = _NEXT_WORD.match(text, end)
    if after and after.group(1).isupper() and not _capitals(text, after.start(1)):
        return True
    before = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    word = before.group(1) if before else ""
    if not word[:1].isupper() or fold(word.rstrip(".")) in TITLES:
        return False
    if word.endswith(".") and len(word.rstrip(".")) > 1:
        return False  # "... in London. Green said": the match opens a sentence
    if before.group(1).isupper() and len(before.group(1)) > 1:
        return False
    lead = text[max(0, before.start() - 3) : before.start()].rstrip(" \t")
    return bool(lead) and lead[-1] not in _SENTENCE_END


def _capitals(text: str, start: int) -> bool:
    """Whether the word at ``start`` is all capitals ("BBC", a headline's "WIN"): its
    capital says nothing about being part of the same name."""
    match = _TOKEN.match(text, start)
    return bool(match) and len(match.group()) > 1 and match.group().isupper()


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
