"""Surface forms of names → comparison keys, and the noise test.

Three layers, each keeping what the next one needs:

* :func:`clean_surface` tidies a mention's text without changing how it
  reads (unicode, spacing, possessive, leading "the"): the alias a user sees.
* :func:`core_name` removes what does not identify the bearer: leading titles
  of people ("President", "Dr") and trailing legal forms of organisations
  ("Inc", "Ltd", via ``cleanco``).
* :func:`name_key` folds case, accents and punctuation so that "XI JINPING",
  "Xi Jinping" and "Xí Jinping" compare equal. Token order is kept on
  purpose: order-insensitive fingerprints merge "Paul John" with "John Paul".

The word lists here are general English (titles, pronouns, function words),
never names taken from any corpus.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from cleanco import basename
from cleanco.clean import normalized, strip_punct, strip_tail

# Leading titles and honorifics of people. Words that are also common given
# names ("Earl", "Dean", "Major", "Prince" in "Prince Fielder") are left out
# on purpose: stripping them would turn a full name into a lone surname.
_TITLE_WORDS = """
    mr mrs ms miss mx dr prof professor sir dame lord lady madam madame monsieur
    president vice premier chancellor minister secretary senator sen rep
    representative congressman congresswoman governor gov mayor ambassador
    chairman chairwoman chairperson chair ceo chief executive director
    commissioner spokesman spokeswoman general gen colonel col lieutenant lt
    captain capt admiral adm commander sergeant sgt corporal marshal brigadier
    judge justice pope cardinal archbishop bishop reverend rev father sister
    rabbi imam ayatollah sheikh sheik king queen emperor empress crown
    princess sultan emir coach manager striker goalkeeper defender midfielder
    candidate leader speaker deputy foreign prime finance defence defense
    interior trade economy state former acting interim mp mep
"""
TITLES = frozenset(_TITLE_WORDS.split())
_PRONOUN_WORDS = """
    i me my mine myself you your yours yourself yourselves he him his himself
    she her hers herself it its itself we us our ours ourselves they them their
    theirs themselves who whom whose this that these those one someone anyone
    everyone somebody anybody everybody nobody
"""
PRONOUNS = frozenset(_PRONOUN_WORDS.split())
# Function words skipped when an acronym is built from initials.
_FUNCTION_WORDS = "of and the for in on at to de des du la le del der van von y &"
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())

# Plural nouns for groups of people the model sometimes tags as organisations
# ("MPs", "fans"): no name alone, no part of one at its end ("Labour MPs").
_PEOPLE_WORDS = """mps meps peers ministers members supporters fans voters officials
    leaders executives staff workers players councillors candidates activists"""
PEOPLE_WORDS = frozenset(_PEOPLE_WORDS.split())

MAX_TOKENS = 12
MAX_CHARS = 120

_SPACES = re.compile(r"\s+")
# Scores and figures a model glues onto a name in results tables: "Croft 0-4-0-9-0".
_TRAILING_SCORES = re.compile(r"(?:\s+\d[\d.,:/-]*[.,:/-][\d.,:/-]*)+$")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'", "“": '"', "”": '"'})
_POSSESSIVE = re.compile(r"(?<=\w)'s$|(?<=s)'$", re.IGNORECASE)
_LEADING_THE = re.compile(r"^(?:[Tt]he|THE|an?)\s+(?=\S)")
_EDGE_PUNCT = re.compile(r"^[\s\"'(\[{,;:.\-]+|[\s\"')\]},;:\-]+$")
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}(?:[^\W\d_]\b\.?)?|\b(?:[^\W\d_]\.)(?=[^\W\d_]\b)")
_NON_WORD = re.compile(r"[^\w]+")
# Latin letters that NFKD does not decompose, as English copy spells them ("Wałęsa" → "walesa").
_LATIN = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"}
)
_INNER_AMPERSAND = re.compile(r"(?<=\w)&(?=\w)")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


@lru_cache(maxsize=200_000)
def clean_surface(text: str) -> str:
    """``text`` tidied but readable: the alias shown to users.

    Normalises unicode (NFKC) and curly quotes, collapses whitespace and
    strips stray edge punctuation, a possessive ("Xi's" → "Xi",
    "Reuters'" → "Reuters") and a leading "the". Case, titles and legal forms
    are kept.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _SPACES.sub(" ", text).strip()
    text = _EDGE_PUNCT.sub("", text)
    return _LEADING_THE.sub("", text).strip()


def surface_changes(text: str) -> list[str]:
    """What :func:`clean_surface` changed in ``text``, for explanations.

    Any of "unicode or quotes", "punctuation", "leading article".
    """
    changes = []
    spaced = " ".join(text.split())
    tidied = " ".join(unicodedata.normalize("NFKC", spaced).translate(_QUOTES).split())
    if tidied != spaced:
        changes.append("unicode or quotes")
    trimmed = _EDGE_PUNCT.sub("", tidied)
    if trimmed != tidied:
        changes.append("punctuation")
    if _LEADING_THE.sub("", trimmed).strip() != trimmed:
        changes.append("leading article")
    return changes


def strip_possessive(text: str) -> str:
    """``text`` without a trailing possessive: "Xi's" → "Xi", "Reuters'" → "Reuters".

    Used for keys only: "Moody's" keeps its name on screen (its every mention
    has the "'s", so the display form is still "Moody's").
    """
    return _POSSESSIVE.sub("", text).strip() or text


def other_number(key: str) -> str:
    """A folded name with its last word's plural "s" added or taken off ("oscars" ↔ "oscar")."""
    return key[:-1] if key.endswith("s") and len(key) > 3 else key + "s"


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of ``text``.

    "U.S." and "US" both give ``"us"``, "O'Neill" gives ``"oneill"``, "S&P"
    gives ``"sp"`` and "Standard & Poor's" ``"standard and poors"``,
    "Jose-Maria Cañizares" gives ``"jose maria canizares"``, "Wałęsa"
    ``"walesa"``. Pure stdlib: NFKD and dropping combining marks covers most
    Latin accents, a small table the letters NFKD leaves alone (ł, ø, æ …);
    other scripts are kept as they are (no transliteration, which would make
    different Chinese names collide), which is all a comparison key needs.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _APOSTROPHE.sub("", _INNER_AMPERSAND.sub("", text)).replace("&", " and ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text.casefold().translate(_LATIN)).replace("_", " ")
    return " ".join(text.split())


def strip_title(text: str) -> str:
    """``text`` without leading titles ("President Xi Jinping" → "Xi Jinping").

    Only capitalised leading words from :data:`TITLES` go, and at least one
    word always stays, so "President" alone is left as it is.
    """
    words = text.split(" ")
    i = 0
    while i < len(words) - 1 and words[i][:1].isupper() and fold(words[i]) in TITLES:
        i += 1
    return " ".join(words[i:])


def strip_legal_form(text: str) -> str:
    """``text`` without trailing company legal forms ("Sun Microsystems Inc." → "Sun Microsystems").

    Uses ``cleanco`` repeatedly ("Morgan Stanley & Co Inc" loses both
    forms); a name that is nothing but a legal form is kept whole.
    """
    current = text
    while True:
        stripped = _basename(current).strip(" ,&")
        if not stripped or stripped == current:
            return current
        current = stripped


# The last word of every legal form cleanco knows, as cleanco compares words.
_LEGAL_LAST_WORDS = frozenset(parts[-1] for _, parts in basename.keywords["terms"])


def _basename(text: str) -> str:
    """``cleanco.basename(text)``, without its scan of every legal form when none can end ``text``.

    cleanco compares the end of the name with each of its hundreds of forms
    in turn, the most expensive step of a re-link; a name whose last word
    ends no form (nearly every name) comes out with only its tail tidied.
    """
    name = strip_tail(text)
    # As cleanco compares: casefolded and after NFKD (which may add spaces); of plain
    # ASCII, which NFKD and cleanco's own character map leave alone, that is lower().
    compared = (name.lower() if name.isascii() else normalized(name)).split()
    if compared and strip_punct(compared[-1]) in _LEGAL_LAST_WORDS:
        return basename(text)
    return strip_tail(" ".join(name.split()))


@lru_cache(maxsize=200_000)
def core_name(text: str, label: str) -> str:
    """The identifying part of a surface: no possessive or trailing scores ("Croft
    0-4-0-9-0"), no titles of people, no legal forms of the rest.

    Taken until nothing more goes, so the core of a core is itself: a title
    can leave edge punctuation behind ("Mr (Lorem" → "(Lorem" → "Lorem").
    """
    core = _core_once(text, label)
    if core == text:  # nothing went: a second pass would find the same
        return core
    for _ in range(_CORE_PASSES):
        again = _core_once(core, label)
        if again == core:
            break
        core = again
    return core


# More than any real name needs; a bound, so no input can keep the loop going.
_CORE_PASSES = 8


def _core_once(text: str, label: str) -> str:
    text = strip_possessive(_TRAILING_SCORES.sub("", clean_surface(text)))
    if label == "PERSON":
        return strip_title(text)
    return strip_legal_form(text)


# Honorifics a lone surname keeps in its key: "Mrs Howard" is not "Mr Howard".
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame", "lady", "madam", "madame"})


@lru_cache(maxsize=200_000)
def name_key(text: str, label: str) -> str:
    """The comparison key of a mention: :func:`fold` of :func:`core_name`.

    A lone surname after a woman's honorific keeps it ("mrs howard"), so
    the linking rules can match it only to a woman of that surname.
    """
    key = fold(core_name(text, label))
    if label == "PERSON" and " " not in key:
        first = fold(clean_surface(text).split(" ", 1)[0])
        if first in FEMALE_HONORIFICS and first != key:
            return f"{first} {key}"
    return key


def acronym_singular(word: str) -> str:
    """An acronym's plural "s" dropped ("CBDCs" → "CBDC"); any other word as it is."""
    return word[:-1] if word.endswith("s") and word[:-1].isupper() else word


@lru_cache(maxsize=200_000)
def is_acronym(text: str) -> bool:
    """Whether ``text`` looks like an acronym: one word of 2–10 mostly capital letters.

    "PBOC", "U.S.", "CBDCs" and "NDRC" are; "Xi", "BBC News" and "1996" are not.
    """
    word = acronym_singular(text.replace(".", "").replace("&", ""))
    if not 2 <= len(word) <= 10 or " " in word:
        return False
    letters = [ch for ch in word if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return len(letters) >= 2 and upper >= 2 and upper >= len(letters) - 1


@lru_cache(maxsize=200_000)
def initials(text: str) -> tuple[str, str]:
    """Initials of a multi-word name, with and without its function words.

    "People's Bank of China" gives ``("PBOC", "PBC")``; a hyphenated word
    counts each part ("Hewlett-Packard" → "HP"), an acronym all its letters
    ("U.S. Navy" → "USN").
    """
    words = [w for w in re.split(r"[\s\-/]+", fold_keep_case(text)) if w]
    every = "".join(_word_initials(w) for w in words).upper()
    content = "".join(_word_initials(w) for w in words if w.casefold() not in FUNCTION_WORDS)
    return every, content.upper()


def _word_initials(word: str) -> str:
    """The letters a word gives an acronym: "U.S." gives "US", "Bank" gives "B"."""
    if is_acronym(word) and word.upper() == word:
        return "".join(ch for ch in word if ch.isalpha())
    return word[0] if word[0].isalnum() else ""


def fold_keep_case(text: str) -> str:
    """:func:`clean_surface` without accents or possessive marks inside words."""
    text = unicodedata.normalize("NFKD", clean_surface(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"'s\b", "", text)


@lru_cache(maxsize=200_000)
def noise_reason(text: str) -> str | None:
    """Why a mention is not a usable name, or ``None`` when it is.

    The reasons are the counters ``graphkit info`` shows: "no letters"
    (numbers, dates), "single character", "pronoun", "all lowercase" and
    "too long" (run-on spans the model glued together).
    """
    cleaned = clean_surface(text)
    letters = [ch for ch in cleaned if ch.isalpha()]
    if not letters:
        return "no letters"
    if len(fold(cleaned).replace(" ", "")) < 2:
        return "single character"
    if fold(cleaned) in PRONOUNS and not cleaned.isupper():
        return "pronoun"
    if fold(cleaned) in PEOPLE_WORDS:
        return "group of people"
    cased = [ch for ch in letters if ch.isupper() or ch.islower()]
    if cased and not any(ch.isupper() for ch in cased):
        return "all lowercase"
    if len(cleaned) > MAX_CHARS or len(cleaned.split()) > MAX_TOKENS:
        return "too long"
    return None


def display_name(surfaces: Counter, type_: str) -> str:
    """The most informative common form: full names over short ones, mixed case over
    headline capitals, no possessive, no title, then the most frequent ("Xi Jinping", not
    "XI" or "Xi's")."""
    if len(surfaces) == 1:  # most names are written one way: nothing to weigh
        return next(iter(surfaces))

    # An organisation's one-word name used five times as often as any longer
    # one is its name ("Google", not "Google Adsense" seen in two articles).
    longest = max(
        (n for s, n in surfaces.items() if len(core_name(s, type_).split()) >= 2), default=0
    )

    def score(surface: str) -> tuple:
        core = core_name(surface, type_)
        words = core.split()
        usual = type_ != "PERSON" and surfaces[surface] >= 5 * longest and not is_acronym(core)
        return (
            (len(words) >= 2 or usual) and not is_acronym(core),
            len(words) < 2 or len(fold(words[0])) > 1,
            strip_possessive(surface) == surface,
            surface != surface.upper() or is_acronym(surface),
            core == surface,
            surfaces[surface],
            len(core.split()),
        )

    return max(sorted(surfaces), key=score)
