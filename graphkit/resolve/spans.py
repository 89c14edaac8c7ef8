"""Model spans → clean name spans, before they become mentions.

The small spaCy models glue words onto names that are not part of them: a
possessive ("Nintendo Europe's"), a function word at an edge ("Toshiba
Elevator and", "the European Union"), a dash or comma tail ("Oscars - the",
"EastEnders, Casualty"), a score or figure ("Roddick 6-2 7-6", "Nokia 6600"),
a day or time ("GMT", "Wednesday"). :func:`clean_mentions` cuts every model
span down to the names it holds, by character offsets, so that
``text[m.start:m.end] == m.text`` still holds and the name is what a user sees
and what the resolver compares.

Also decided here, from the article alone:

* a span led by a personal honorific ("Mr", "Mrs", "Ms", "Miss", "Sir",
  "Dame") names a person, whatever label the model gave it;
* a coordinated span is split into the names it lists: always at commas,
  semicolons and " - " dashes; at "and"/"&" when the span is a list
  (it also has a comma) or when each side is named on its own elsewhere in
  the article ("Seat and Porsche"), never otherwise ("Marks and Spencer",
  "Bank of Edge and Cloud Computing");
* a product (the model's PRODUCT label) that starts with an organisation
  the article names gives that organisation the mention ("Intel Celeron" →
  "Intel"), unless PRODUCT is among the wanted types.

Mentions of labels that are not wanted are returned apart, as *evidence*:
the resolver uses them to settle types ("Harry Potter" is mostly a
WORK_OF_ART) and never makes entities of them. The word lists here are
general English, never names from a corpus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from graphkit.models import Mention
from graphkit.resolve.evidence import (
    ORG_WORDS,
    ROLE_ORG,
    ROLE_PERSON,
    ROLE_SCORE,
    ROLE_START,
    ROLE_THE,
    ROLE_THING,
)
from graphkit.resolve.names import PEOPLE_WORDS, TITLES

# Labels kept as evidence of what a string is when they are not wanted types.
EVIDENCE_LABELS = frozenset(
    {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "NORP", "GPE", "LOC", "FAC", "LANGUAGE"}
)
PERSON_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "sir", "dame"})
_KEPT_TITLES = PERSON_HONORIFICS | {"dr", "lord", "lady", "madam", "madame", "prof", "professor"}

# Words that never start or end a name: articles, conjunctions, prepositions.
_EDGE_WORDS_TEXT = """a an the and or but nor of for in on at to by with from into than as via
    about after before over under between against during per vs v"""
_EDGE_WORDS = frozenset(_EDGE_WORDS_TEXT.split())
# Days, months and time zones at a name's edge belong to a date or time.
_TIME_WORDS_TEXT = """monday tuesday wednesday thursday friday saturday sunday january february
    march april june july august september october november december jan feb
    apr jun jul aug sep sept oct nov dec gmt bst utc est edt pst pdt cet cest
    pm"""
_TIME_WORDS = frozenset(_TIME_WORDS_TEXT.split())
_DAYS = frozenset(_TIME_WORDS_TEXT.split()[:7])
_TOKEN = re.compile(r"\S+")
# "ex-Yukos", "pre-Budget", "anti-EU": a lower-case prefix is no part of the name.
_HYPHEN_PREFIX = re.compile(r"[a-z]{2,5}-(?=[A-Z0-9])")
# Groups of people after an organisation's name: "Labour MPs", "Chelsea fans".
_PEOPLE_WORDS = PEOPLE_WORDS
# What the words around a name say it is: "shares in X", "X's chief executive",
# "oil firm X" name an organisation; "striker X", "X, 45," or "X said he" a person.
_ORG_BEFORE = re.compile(
    r"\b(?:shares in|shares of|stake in|chief executive of|boss of|chairman of|owner of|"
    r"profits at|sales at|staff at|workers at|takeover of|bid for|firm|company|group|"
    r"carrier|airline|retailer|giant|maker|bank|club|side|signed for|loan to|loan from|"
    r"loan at|transfer to|joined|"
    r"(?:told|according to|interview with|article for|writing in|wrote in|polled for)[ \t]+the)"
    r"[ \t]+(?:the[ \t]+)?$",  # same line: not a headline's end
    re.IGNORECASE,
)
_ORG_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:shares|share price|shareholders|board|chief executive|boss|newspaper|"
    r"chairman|profits?|sales|staff|workers|said it|says it|has said it)\b"
    r"|^['’]s\s+(?:manager|coach|striker|midfielder|defender|goalkeeper|squad|fans)\b"
    # "Everton striker James Beattie", "Labour MP": a person's name is never
    # followed by the role of someone who works or plays for it.
    r"|^[ \t]+(?:manager|coach|striker|midfielder|defender|goalkeeper|winger|captain|"
    r"spokesman|spokeswoman|supporters|fans|squad|MPs?|MEPs?|councillors?)\b"
)
# A work, an award or a competition: "the film Vera Drake", "Oscar nominations".
_THING_BEFORE = re.compile(
    r"\b(?:film|movie|album|single|song|novel|book|series|sitcom|drama|musical|opera|"
    r"documentary|programme|game|console|software|browser|biopic|blockbuster|sequel|"
    r"starring in|starred in|stars in|role in)"
    r"[ \t]+(?:(?:the|an?|his|her|their|its|two|three|four|five|six|seven|\d+)[ \t]+)?$",
    re.IGNORECASE,
)
# "won two Lorems.", "nominated for Lorem": an award, when the name ends the
# phrase ("won Blair's backing", "won the Lorem job" name no award).
_AWARD_BEFORE = re.compile(
    r"\b(?:won|win|wins|winning|winner of|nominated for)"
    r"[ \t]+(?:(?:the|an?|two|three|four|five|six|seven|\d+)[ \t]+)?$",
    re.IGNORECASE,
)
_THING_AFTER = re.compile(
    r"^\s+(?:awards?|prize|nominations?|nominees?|ceremony|winners?|title|season|"
    r"fixtures?|table|leaders|trophy|final|semi-finals?|quarter-finals?)\b"
    r"|^-(?:winning|winner|nominated|nominee)\b"
    r"|^\s+(?:star|stars|director|sequel|soundtrack|premiere|box office|author|creator)\b"
    r"|^,?[ \t]+(?:starring|which stars|directed by)\b"
    r"|^\s+(?:race|show|night|host|telecast|organisers)\b"
    # "Lorem was named best film", "Lorem, a film biography of ...", "Lorem's producers"
    r"|^[ \t]+(?:has[ \t]+been|was|is|won)(?:[ \t]+(?:named|voted|crowned))?"
    r"[ \t]+(?:the[ \t]+)?best[ \t]+(?:film|picture|movie)\b"
    r"|^,[ \t]+(?:an?|the)[ \t]+(?:\w+[ \t]+)?(?:film|movie|novel|book|play|album|song|"
    r"biopic|drama|comedy|musical|sitcom)\b"
    r"|^['’]s[ \t]+(?:\w+[ \t]+)?(?:producers|cast|screenplay|soundtrack|plot)\b"
    # "Lorem and the Chamber of Ipsum": the rest of a title
    r"|^[ \t]+and[ \t]+the[ \t]+[A-Z][\w'-]*[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z]"
)
# "the third Lorem film", "the Lorem books": after "the" (and an ordinal), a
# kind of work names what the name is the title of ("a Scorsese film" does not).
_THE_ORDINAL_BEFORE = re.compile(
    r"\bthe[ \t]+(?:(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"latest|last|next|original)[ \t]+)?$",
    re.IGNORECASE,
)
_WORK_AFTER = re.compile(
    r"^[ \t]+(?:films?|movies?|books?|novels?|games?|series|franchise|trilogy|DVD|album)\b"
)
# "an Ipsum to play songs", "a Lorem.": a name after "a" or "an" that ends the
# phrase is a thing one has, not a person or a body.
_A_BEFORE = re.compile(r"(?:^|(?<!\bas)[ \t(])an?[ \t]+$")  # not "elected as a Lorem in"
_PHRASE_END = re.compile(r"^(?:[.,;:!?)]|[ \t]+(?:to|in|on|with|for|from|at|as|is|was|has|had)\b)")
# "Lorem" or “Lorem” in quotation marks, alone: a title.
_QUOTES = ('"', '"'), ("“", "”"), ("‘", "’"), ("'", "'")
# A score next to a lone name: a team's result ("Lorem 2-1", "beat Ipsum 24-10").
_SCORE_AFTER = re.compile(r"^[ \t]+\d{1,3}-\d{1,3}\b")
_SCORE_BEFORE = re.compile(
    r"\b\d{1,3}-\d{1,3}\s+(?:win|victory|defeat|draw)?\s*(?:over|against|to|at|by|with|v)?\s*$"
)
# "the Premiership", "the Oscars": a person's name is not led by "the".
_THE_BEFORE = re.compile(r"\bthe[ \t]+$", re.IGNORECASE)
_PERSON_BEFORE = re.compile(
    r"\b(?:striker|midfielder|defender|goalkeeper|winger|coach|singer|actor|actress|"
    r"star|chief executive|boss|chairman|president|minister|secretary|leader|spokesman|"
    r"spokeswoman|director|author|writer|player|champion|captain)[ \t]+$",
    re.IGNORECASE,
)
_PERSON_AFTER = re.compile(r"^(?:,\s+\d{2},|\s+said he\b|\s+said she\b|\s+says he\b|\s+says she\b)")
_CONTEXT = 40
_BREAK = re.compile(
    r"\s+(?:v|vs|v\.|vs\.)\s+|:\s+|\s+[-–—]+\s+|\s*[\n;|]\s*|\s*[()\[\]]\s*|,\s+|\s+[-–—]+$|^[-–—]+\s+"
)
_AND = re.compile(r"\s+(?:and|or|&)\s+")
_OWNER = re.compile(r"(\S+ \S+?)['’]s (?=[A-Z])")
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$", re.IGNORECASE)
# A name ending in an abbreviation keeps its dot: "U.N.", "Corp.", "St.".
_ABBREVIATED = re.compile(r"(?:\b\w\.\w\.|\b(?:[A-Z]|Inc|Corp|Co|Ltd|Bros|Jr|Sr|St|Mt)\.)$")
_EDGE_PUNCT = "\"'“”‘’`´()[]{}<>,.;:!?*-–—_/\\|#+=~"
# A score, a figure or a year: "6-2", "2-1", "6600", "1.5", "1990s"; a one- or
# two-digit number inside a name stays ("Channel 4", "Formula 1"), not at its start.
_FIGURE = re.compile(r"^(?:\d+(?:[-–:/.,]\d+)+|\d{3,}s?|\d+(?:st|nd|rd|th)?)$")
# A model code: letters and digits mixed ("X5", "A300s", "6600i"), not a plain number.
_MODEL_CODE = re.compile(r"^(?=\w*\d)(?=\w*[A-Za-z])\w{2,8}$")
_SMALL_NUMBER = re.compile(r"^\d{1,2}$")
# In a results line ("Hamburg 1 Bochum 1") a bare number separates names.
_NUMBER_TOKEN = re.compile(r"(?<!\S)\d{1,3}(?!\S)")
_SCORE = re.compile(r"\s+\d{1,3}(?:\s+|$)")


def clean_mentions(
    text: str, mentions: Sequence[Mention], types: Iterable[str]
) -> tuple[list[Mention], list[Mention]]:
    """``(mentions of wanted types, evidence mentions)`` with clean spans.

    Parameters
    ----------
    text : str
        The article text the offsets point into.
    mentions : sequence of Mention
        The model's mentions of the article, any labels.
    types : iterable of str
        Wanted labels; mentions of :data:`EVIDENCE_LABELS` that are not
        wanted come back as evidence, other labels are dropped.

    Returns
    -------
    tuple of lists of Mention
        Both sorted by position; for each mention ``text[m.start:m.end] == m.text``.
    """
    wanted = set(types)
    mentions = _join_adjacent(text, mentions)
    alone = {_fold(m.text) for m in mentions}
    kept: list[Mention] = []
    evidence: list[Mention] = []
    orgs = [m for m in mentions if m.label == "ORG"]
    for mention in mentions:
        if mention.label not in wanted and mention.label not in EVIDENCE_LABELS:
            continue
        if mention.label == "PRODUCT" and "PRODUCT" not in wanted and "ORG" in wanted:
            company = _company_of(text, mention, orgs)
            if company is not None:
                kept.append(company)
        for start, end in split_span(text, mention.start, mention.end, alone):
            if mention.label == "PERSON":
                start = _after_titles(text, start, end)
            piece = replace(mention, start=start, end=end, text=text[start:end])
            if _honorific(piece.text) and piece.label != "PERSON" and "PERSON" in wanted:
                piece = replace(piece, label="PERSON")
            if piece.label in wanted:
                kept.append(piece)
                role = _role(text, piece.start, piece.end)
                if role:
                    evidence.append(replace(piece, label=role))
                if " " in piece.text and _opens_sentence(text, piece.start):
                    evidence.append(replace(piece, label=ROLE_START))
            else:
                evidence.append(piece)
    kept = _give_products_to_companies(text, kept)
    order = lambda m: (m.start, m.end, m.label)  # noqa: E731
    return sorted(set(kept), key=order), sorted(set(evidence), key=order)


def _join_adjacent(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """ "Liberal" (ORG) then "Democrats" (NORP), one space apart: one organisation."""
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    result: list[Mention] = []
    for mention in ordered:
        previous = result[-1] if result else None
        if (
            previous is not None
            and previous.label == "ORG"
            and mention.label == "NORP"
            and text[previous.end : mention.start] == " "
            and mention.text[:1].isupper()
        ):
            result[-1] = replace(previous, end=mention.end, text=text[previous.start : mention.end])
            continue
        result.append(mention)
    return result


def _role(text: str, start: int, end: int) -> str | None:
    """``ROLE_ORG``, ``ROLE_PERSON`` or ``ROLE_THING`` when the words around a name say
    what it is."""
    before = text[max(0, start - _CONTEXT) : start]
    after = text[end : end + _CONTEXT]
    if _ORG_BEFORE.search(before) or _ORG_AFTER.match(after):
        return ROLE_ORG
    if _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after):
        return ROLE_PERSON
    if _THING_BEFORE.search(before) or _THING_AFTER.match(after) or _quoted(text, start, end):
        return ROLE_THING
    if _AWARD_BEFORE.search(before) and _PHRASE_END.match(after):
        return ROLE_THING
    if _THE_ORDINAL_BEFORE.search(before) and _WORK_AFTER.match(after):
        return ROLE_THING
    if _A_BEFORE.search(before) and _PHRASE_END.match(after):
        return ROLE_THING
    if _THE_BEFORE.search(before):
        return ROLE_THE
    if " " not in text[start:end] and (_SCORE_AFTER.match(after) or _SCORE_BEFORE.search(before)):
        return ROLE_SCORE
    return None


_SENTENCE_OPENING = re.compile(r"(?:^|\n|[.!?][\"'”’]?[ \t]+)[\"'“‘]?[ \t]*$")


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the name is the first word of its sentence (or line)."""
    return bool(_SENTENCE_OPENING.search(text, max(0, start - 6), start))


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether the name alone stands in quotation marks ("'Lorem Days' opened")."""
    before, after = text[start - 1 : start], text[end : end + 1]
    return any(before == opening and after == closing for opening, closing in _QUOTES)


def _give_products_to_companies(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "Ford Freestyle", "BMW X5": the company's name then a product word or a model code.

    An organisation mention whose first words are another organisation mention
    of the article ("Ford") and whose other words are no organisation words
    ("Party", "Bank", "Motors" …) or end in a model code ("X5", "A300s") is
    cut to the company's name. "Labour Party" next to "Labour" stays whole.
    """
    names = {m.text for m in mentions if m.label == "ORG"}
    result = []
    for mention in mentions:
        words = mention.text.split(" ")
        cut = None
        if mention.label == "ORG" and len(words) >= 2:
            if _MODEL_CODE.match(words[-1]):
                cut = len(words) - 1
            for n in range(len(words) - 1, 0, -1):
                tail = {w.casefold() for w in words[n:]}
                if " ".join(words[:n]) in names and not tail & ORG_WORDS:
                    cut = n
                    break
        if cut:
            end = mention.start + len(" ".join(words[:cut]))
            mention = replace(mention, end=end, text=text[mention.start : end])
        result.append(mention)
    return result


def split_span(text: str, start: int, end: int, alone: set[str] = frozenset()) -> list[tuple]:
    """The clean ``(start, end)`` spans of the names in ``text[start:end]``.

    ``alone`` holds the folded texts the article names on their own, which
    lets "X and Y" split when X and Y are both such names.
    """
    pieces = _cut(text, start, end, _BREAK)
    pieces = [p for s, e in pieces for p in _owner_split(text, s, e)]
    if _in_table(text, start, end):
        pieces = [p for s, e in pieces for p in _cut(text, s, e, _SCORE)]
    if len(pieces) > 1 or "," in text[start:end]:
        pieces = [p for s, e in pieces for p in _cut(text, s, e, _AND)]
    else:
        parts = _cut(text, start, end, _AND)
        if len(parts) > 1 and all(_fold(text[s:e]) in alone for s, e in parts):
            pieces = parts
    spans = []
    for s, e in pieces:
        trimmed = _trim(text, s, e)
        if trimmed is not None:
            spans.append(trimmed)
    return spans


def _owner_split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """ "Mr Brown's International Finance Facility" → the person and the thing he owns."""
    match = _OWNER.match(text, start, end)
    if match and _honorific(match.group(1)):
        return [(start, match.end(1)), (match.end(), end)]
    return [(start, end)]


def _in_table(text: str, start: int, end: int) -> bool:
    """Whether the span's line is a results or table line: two or more bare small
    numbers, making up a fifth of its words or more ("Hamburg 1 Bochum 1")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    numbers = len(_NUMBER_TOKEN.findall(line))
    return numbers >= 2 and 5 * numbers >= len(line.split())


def _cut(text: str, start: int, end: int, pattern: re.Pattern) -> list[tuple[int, int]]:
    pieces, position = [], start
    for match in pattern.finditer(text, start, end):
        if match.start() > position:
            pieces.append((position, match.start()))
        position = max(position, match.end())
    if position < end:
        pieces.append((position, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` without edge punctuation, function, time and number words."""
    while True:
        before = (start, end)
        while start < end and (text[start].isspace() or text[start] in _EDGE_PUNCT):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _EDGE_PUNCT):
            if text[end - 1] == "." and _ABBREVIATED.search(text, start, end):
                break  # "U.N.", "Inc.": the dot is part of the name
            end -= 1
        prefix = _HYPHEN_PREFIX.match(text, start, end)
        if prefix:
            start = prefix.end()
        possessive = _POSSESSIVE.search(text, start, end)
        if possessive and possessive.start() > start:
            end = possessive.start()
        tokens = list(_TOKEN.finditer(text, start, end))
        if not tokens:
            return None
        first, last = tokens[0], tokens[-1]
        titled = len(tokens) > 1 and _named_day(text, first)
        if (
            len(tokens) > 1
            and not titled
            and (_droppable(first.group(), leading=True) or _lower_case_lead(first.group()))
        ):
            start = tokens[1].start()
        elif _droppable(last.group(), leading=False) and len(tokens) > 1:
            end = tokens[-2].end()
        elif not titled and _droppable(first.group(), leading=True):
            return None
        if (start, end) == before:
            return start, end


def _named_day(text: str, token: re.Match) -> bool:
    """ "the Sunday Times", "The Sunday Telegraph": a day of the week after "the" and
    before more of the name is the name's first word. A month is a date there
    ("the August Lorem index")."""
    word = token.group().strip(_EDGE_PUNCT).casefold()
    before = text[max(0, token.start() - 4) : token.start()]
    return word in _DAYS and _THE_BEFORE.search(before) is not None


def _droppable(token: str, *, leading: bool) -> bool:
    word = token.strip(_EDGE_PUNCT)
    folded = word.casefold()
    if not word:
        return True
    if not leading and folded in _PEOPLE_WORDS:
        return True
    if folded in _EDGE_WORDS and not word.isupper():
        return True
    if folded in _TIME_WORDS:
        return True
    if _SMALL_NUMBER.match(word):
        return leading
    return bool(_FIGURE.match(word))


# Lower-case words that start names: "de Gaulle", "van Persie", "al Qaeda", "bin Laden".
_PARTICLES_TEXT = "de da di do dos das du des del della der den van von la le al el bin ibn ter"
_PARTICLES = frozenset(_PARTICLES_TEXT.split())


def _lower_case_lead(token: str) -> bool:
    """ "rang Lucy", "said Quux Ltd": a lower-case word before a name is the sentence's,
    unless it is a name particle or has a capital inside ("eBay", "iPod")."""
    return token.isalpha() and token.islower() and token not in _PARTICLES


def _after_titles(text: str, start: int, end: int) -> int:
    """Where a person's name starts after leading titles ("President", "King").

    Honorifics stay ("Mr", "Mrs", "Dr", "Sir"): they say who is meant ("Mrs
    Howard" is not "Mr Howard"). At least one word always stays.
    """
    tokens = list(_TOKEN.finditer(text, start, end))
    i = 0
    while i < len(tokens) - 1:
        word = tokens[i].group()
        folded = word.rstrip(".").casefold()
        if not word[:1].isupper() or folded not in TITLES or folded in _KEPT_TITLES:
            break
        i += 1
    return tokens[i].start() if tokens else start


def _honorific(name: str) -> bool:
    first = name.split(" ", 1)
    return len(first) == 2 and first[0].rstrip(".").casefold() in PERSON_HONORIFICS


def _company_of(text: str, product: Mention, orgs: list[Mention]) -> Mention | None:
    """The organisation a product name starts with ("Intel Celeron" → "Intel"), if named."""
    words = product.text.split()
    for org in orgs:
        name = org.text.split()
        if 0 < len(name) < len(words) and words[: len(name)] == name:
            end = product.start + len(" ".join(name))
            if text[product.start : end] == org.text:
                return replace(product, end=end, text=org.text, label="ORG")
    return None


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())
