"""Given names and their usual gender, from ``gender-guesser``'s general list.

The list ships with the package (about 40,000 given names from many
countries); nothing is drawn from any corpus. Used to keep a "Mrs" away from
a man's name and a "Mr" away from a woman's, and to tell a lone given name
("Tony") from a surname or an organisation word. Loaded once, lazily.
"""

from __future__ import annotations

from functools import lru_cache

MALE, FEMALE = "m", "f"
_GENDERS = {"male": MALE, "mostly_male": MALE, "female": FEMALE, "mostly_female": FEMALE}
HONORIFIC_GENDER = {
    "mr": MALE,
    "sir": MALE,
    "lord": MALE,
    "mrs": FEMALE,
    "ms": FEMALE,
    "miss": FEMALE,
    "dame": FEMALE,
    "lady": FEMALE,
    "madam": FEMALE,
    "madame": FEMALE,
}


@lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as detector

    class Detector(detector.Detector):
        """gender-guesser's detector, reading its list in one go.

        Its own reader takes the file a line at a time through ``codecs``,
        a third of a second of every re-link; lines are split as ``codecs``
        splits them, so the names are the same.
        """

        def _parse(self, filename):
            self.names = {}
            with open(filename, encoding="utf-8", newline="") as lines:
                for line in lines.read().splitlines():
                    self._eat_name_line(line.strip())

    return Detector(case_sensitive=False)


@lru_cache(maxsize=100_000)
def name_gender(word: str) -> str | None:
    """``"m"``, ``"f"`` or ``None`` (unknown, or used for both) for a given name."""
    if len(word) < 2 or not word[:1].isalpha():
        return None
    return _GENDERS.get(_detector().get_gender(word.capitalize()))


@lru_cache(maxsize=100_000)
def is_given_name(word: str) -> bool:
    """Whether ``word`` is a known given name of either gender (or both)."""
    if len(word) < 2 or not word[:1].isalpha():
        return False
    return _detector().get_gender(word.capitalize()) != "unknown"


def compatible(gender: str | None, full_name_tokens) -> bool:
    """Whether a person of ``gender`` may bear the full name ``full_name_tokens``."""
    if gender is None or not full_name_tokens:
        return True
    other = name_gender(full_name_tokens[0])
    return other is None or other == gender
