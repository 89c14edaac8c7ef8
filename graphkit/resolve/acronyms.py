"""Acronyms an article introduces next to their long form, found in the text itself.

A variant of Schwartz & Hearst (2003, "A simple algorithm for identifying
abbreviation definitions in biomedical text") adapted to news, where the long
form is a capitalised name. Three patterns introduce an acronym:

* ``Long Form Name (LFN)`` — the usual one;
* ``LFN (Long Form Name)``;
* ``LFN, the Long Form Name,`` (without "the", only with the letters in
  order, so a plain list "HSBC, Standard Chartered and BOC Hong Kong" is not one).

The long form is a run of capitalised words (with "of", "and", "the"… inside)
ending right before the parenthesis. The acronym's letters are matched in
three ways, strictest first, and the first that works decides the long form:

1. **In order** (Schwartz–Hearst): each word of the shortest matching run of
   trailing words gives the next letters from its start, function words may
   be skipped: "People's Bank of China (PBOC)", "National Development and
   Reform Commission (NDRC)".
2. **Any order**: the initials of the shortest trailing run are the
   acronym's letters rearranged, as when an English name translates a name
   with another word order: "China's Cyberspace Administration (CAC)",
   "Beijing Blockchain and Edge Computing Academy (BABEC)".
3. **Loose** (parenthesis after the name only): the run has two or more
   capitalised words, its last word gives the acronym's last letter and at
   least half of the letters are among the initials: an acronym of an older
   or foreign name, "National Information Center (SIC)" (State Information
   Center). The last-letter condition keeps "Nawaz Sharif (PML)" out.

Pure Python and regular expressions: no spaCy, so it also runs on gold spans.
"""

from __future__ import annotations

import re
from collections import Counter

from graphkit.models import Abbreviation
from graphkit.resolve.names import FUNCTION_WORDS, acronym_singular

MAX_WORDS = 12
_SHORT = re.compile(r"^(?:[A-Z][A-Za-z&]*[A-Z]s?|(?:[A-Z]\.){2,})$")
_PAREN = re.compile(r"\(([^()\n]{2,80})\)")
_WORD = re.compile(r"\S+")
_STOP_AFTER = re.compile(r"[,;:.!?\"”“)\]]$")
_TRAILING_POSSESSIVE = re.compile(r"['’]s$")
_COMMA_THE = re.compile(r"\b([A-Z][A-Za-z&.]{1,11}),\s+(the\s+)?(?=[A-Z])")


def acronym_letters(short: str) -> str:
    """The letters an acronym stands for: "PBOC" → "PBOC", "U.S." → "US", "CBDCs" → "CBDC"."""
    return acronym_singular(short.replace(".", "").replace("&", "")).upper()


def _is_short(token: str) -> bool:
    return bool(_SHORT.match(token)) and len(acronym_letters(token)) >= 2


def _units(word: str) -> list[tuple[str, bool]]:
    """A word as matching units ``(letters, required)``: hyphen parts, possessive dropped.

    Capitalised units must give a letter to the acronym; function words and
    lowercase hyphen parts ("Hong Kong-based") may be skipped.
    """
    word = re.sub(r"['’]s$", "", word)
    units = []
    for part in word.split("-"):
        letters = "".join(ch for ch in part if ch.isalnum())
        if letters:
            required = letters[0].isupper() and letters.casefold() not in FUNCTION_WORDS
            units.append((letters.upper(), required))
    return units


def _in_order(letters: str, words: list[str]) -> bool:
    units = [u for w in words for u in _units(w)]

    def match(a: int, u: int) -> bool:
        if u == len(units):
            return a == len(letters)
        text, required = units[u]
        if not required and match(a, u + 1):
            return True
        k = 1
        while a + k <= len(letters) and k <= len(text) and letters[a : a + k] == text[:k]:
            if match(a + k, u + 1):
                return True
            k += 1
        return False

    return bool(units) and units[0][1] and match(0, 0)


def _initials(words: list[str]) -> list[str]:
    return [text[0] for w in words for text, required in _units(w) if required]


def _any_order(letters: str, words: list[str]) -> bool:
    return Counter(_initials(words)) == Counter(letters)


def _loose(letters: str, words: list[str]) -> bool:
    initials = _initials(words)
    if len(letters) < 3 or len(initials) < 2 or not words[-1][:1].isupper():
        return False
    if not {letters[0], letters[-1]} & {initials[0], initials[-1]}:
        return False
    shared = sum((Counter(initials) & Counter(letters)).values())
    return shared >= 2 and 2 * shared >= len(letters)


def _capitalised(word: str) -> bool:
    first = next((ch for ch in word if ch.isalpha()), "")
    return first.isupper()


def _span_before(text: str, end: int) -> list[re.Match]:
    """The run of capitalised words (function words inside) ending at ``end``."""
    window_start = max(0, end - 400)
    words = list(_WORD.finditer(text, window_start, end))
    run: list[re.Match] = []
    for i in range(len(words) - 1, -1, -1):
        word = words[i].group()
        if run and ("\n" in text[words[i].end() : run[0].start()] or _STOP_AFTER.search(word)):
            break
        if _STOP_AFTER.search(word) or len(run) >= MAX_WORDS:
            break
        if not (_capitalised(word) or word.casefold() in FUNCTION_WORDS):
            break
        run.insert(0, words[i])
    while run and not _capitalised(run[0].group()):
        run.pop(0)
    return run


def _span_after(text: str, start: int) -> list[re.Match]:
    """The run of capitalised words (function words inside) starting at ``start``."""
    run: list[re.Match] = []
    for match in _WORD.finditer(text, start, min(len(text), start + 400)):
        word = match.group()
        if run and "\n" in text[run[-1].end() : match.start()]:
            break
        bare = re.sub(r"[,;:.!?\"”)\]]+$", "", word)
        if not bare or not (_capitalised(bare) or bare.casefold() in FUNCTION_WORDS):
            break
        run.append(match)
        if bare != word or len(run) >= MAX_WORDS:
            break
    while run and not _capitalised(run[-1].group()):
        run.pop()
    return run


def _long_form(
    letters: str, run: list[re.Match], *, loose: bool, suffixes: bool, any_order: bool = True
) -> tuple:
    """``(start, end)`` of the long form within ``run``, or ``None``."""
    if not suffixes:
        candidates = [run[: len(run) - i] for i in range(len(run))]
    else:
        candidates = [run[i:] for i in range(len(run) - 1, -1, -1)]
    tests = (_in_order,) + ((_any_order,) if any_order else ()) + ((_loose,) if loose else ())
    for test in tests:
        for words in candidates:
            texts = [re.sub(r"[,;:.!?\"”)\]]+$", "", m.group()) for m in words]
            if len(words) >= 2 and _capitalised(texts[0]) and test(letters, texts):
                if test is _loose and len(words) != len(run):
                    continue
                last = _TRAILING_POSSESSIVE.sub("", texts[-1])
                return words[0].start(), words[-1].start() + len(last)
    return None


def find_abbreviations(article_id: str, text: str) -> list[Abbreviation]:
    """Acronyms introduced in ``text`` with their long forms, in order of first use.

    Parameters
    ----------
    article_id : str
        Copied into each record.
    text : str
        The article text.

    Returns
    -------
    list of Abbreviation
        One record per distinct ``(short, long)`` pair; ``long`` is the exact
        text of the article (curly apostrophes kept), so it can be found again.

    Examples
    --------
    >>> [(a.short, a.long) for a in find_abbreviations("a", "the Bank of Lorem (BOL) said")]
    [('BOL', 'Bank of Lorem')]
    """
    found: dict[tuple[str, str], int] = {}
    for paren in _PAREN.finditer(text):
        inner = paren.group(1).strip()
        if _is_short(inner):
            run = _span_before(text, paren.start())
            span = _long_form(acronym_letters(inner), run, loose=True, suffixes=True)
            if span:
                found.setdefault((inner, text[span[0] : span[1]]), paren.start())
            continue
        before = _WORD.findall(text, max(0, paren.start() - 20), paren.start())
        if before and _is_short(before[-1]):
            run = _span_after(text, paren.start(1))
            if run and run[-1].end() >= paren.end(1) - 1:
                span = _long_form(acronym_letters(before[-1]), run, loose=False, suffixes=False)
                if span and span[1] >= paren.end(1):
                    found.setdefault((before[-1], text[span[0] : span[1]]), paren.start())
    for comma in _COMMA_THE.finditer(text):
        short = comma.group(1)
        if _is_short(short):
            run = _span_after(text, comma.end())
            # Without "the" this may be a plain list ("HSBC, Standard Chartered and
            # BOC Hong Kong"): only letters in order make it an introduction.
            span = _long_form(
                acronym_letters(short),
                run,
                loose=False,
                suffixes=False,
                any_order=bool(comma.group(2)),
            )
            if span:
                found.setdefault((short, text[span[0] : span[1]]), comma.start())
    ordered = sorted(found.items(), key=lambda item: item[1])
    return [Abbreviation(article_id, short, long) for (short, long), _ in ordered]


# What a model mention may hold besides an acronym's forms and still be replaced:
# brackets, spaces, "the" and a possessive modifier ("China's National ... Commission").
_SLACK = re.compile(r"^(?:[\s\W]|the\b|The\b|'s\b|’s\b|[A-Z]\w*['’]s\b)*$")


def _occurrences(text: str, form: str) -> list[tuple[int, int]]:
    pattern = r"(?<![\w])" + re.escape(form) + r"(?![\w])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def _covered(text: str, mention, spans: list[tuple[int, int]]) -> bool:
    """Whether ``mention`` holds nothing but ``spans`` plus brackets, spaces and "the"."""
    rest, position = [], mention.start
    for start, end in sorted(spans):
        if end <= mention.start or start >= mention.end:
            continue
        rest.append(text[position : max(position, start)])
        position = max(position, end)
    rest.append(text[position : mention.end] if position < mention.end else "")
    return all(_SLACK.match(piece) for piece in rest)


def repair_mentions(text: str, mentions, sentences, abbreviations) -> list:
    """``mentions`` with every long and short form of ``abbreviations`` made a mention.

    The small models often miss an acronym or cut a long name short ("Edge
    Computing Academy" for "Beijing Blockchain and Edge Computing Academy").
    Every occurrence of an introduced acronym or its long form becomes a
    mention; model mentions lying inside it (or holding nothing else but
    brackets and "the") are replaced. A model mention that holds other words
    too wins, and the occurrence it overlaps is left alone.

    Parameters
    ----------
    text : str
        The article text the offsets point into.
    mentions : list of Mention
        The model's mentions for this article.
    sentences : list of Sentence
        The article's sentences, to give new mentions their sentence index.
    abbreviations : iterable of Abbreviation
        What :func:`find_abbreviations` found in ``text``.

    Returns
    -------
    list of Mention
        Sorted by position; ``text[m.start:m.end] == m.text`` for every one.
        New mentions take the label of a model mention they overlap, else the
        label the model gave another occurrence of the same acronym or long
        form, else ``ORG``.
    """
    from bisect import bisect_right

    from graphkit.models import Mention

    result = list(mentions)
    if not abbreviations:
        return result
    starts = [s.start for s in sentences]
    for abbreviation in abbreviations:
        spans = sorted(
            set(_occurrences(text, abbreviation.long) + _occurrences(text, abbreviation.short))
        )
        if not spans:
            continue
        labels = Counter(m.label for m in result for s, e in spans if m.start < e and s < m.end)
        default = labels.most_common(1)[0][0] if labels else "ORG"
        for start, end in spans:
            overlapping = [m for m in result if m.start < end and start < m.end]
            if any((m.start, m.end) == (start, end) for m in overlapping):
                continue
            if not all(_covered(text, m, spans) for m in overlapping):
                continue
            label = overlapping[0].label if overlapping else default
            sentence = sentences[max(0, bisect_right(starts, start) - 1)].index if sentences else 0
            result = [m for m in result if m not in overlapping]
            result.append(
                Mention(abbreviation.article_id, sentence, start, end, text[start:end], label)
            )
    return sorted(result, key=lambda m: (m.start, m.end))
