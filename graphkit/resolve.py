"""Mentions → entities: decide which surface forms name the same thing.

Pure functions over :class:`~graphkit.models.Mention` records; no spaCy, no
store. The pipeline hands every stored mention to :func:`resolve_entities`
and writes back what it returns, so the rules here can change without
re-running extraction.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graphkit.models import Abbreviation, Entity, Mention

_POSSESSIVE = re.compile(r"['’]s?$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


@dataclass
class Resolution:
    """What :func:`resolve_entities` decided.

    ``keys[i]`` is the entity key of ``mentions[i]``, or ``None`` when the
    mention was dropped as noise; ``dropped`` counts the drops by reason.
    """

    keys: list[str | None]
    entities: dict[str, Entity]
    dropped: Counter = field(default_factory=Counter)


def clean_surface(text: str) -> str:
    """The surface form with unicode, spacing, possessive and leading "the" tidied.

    This is what a user would call the "same spelling": it keeps case, so it
    is also the display form.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _SPACES.sub(" ", text).strip()
    text = _POSSESSIVE.sub("", text).strip()
    text = _LEADING_THE.sub("", text).strip()
    return text


def normalise_key(text: str) -> str:
    """The comparison key of a surface form: :func:`clean_surface`, casefolded."""
    return clean_surface(text).casefold()


def _noise_reason(text: str) -> str | None:
    cleaned = clean_surface(text)
    if len(cleaned) < 2:
        return "too short"
    if not any(ch.isalpha() for ch in cleaned):
        return "no letters"
    return None


def resolve_entities(
    mentions: Sequence[Mention],
    *,
    abbreviations: Iterable[Abbreviation] = (),
    overrides: Sequence = (),
) -> Resolution:
    """Group mentions into entities by normalised key; settle type by majority.

    Parameters
    ----------
    mentions : sequence of Mention
        Every mention of the corpus (order only matters for ties).
    abbreviations : iterable of Abbreviation
        Acronyms introduced in the articles, unused by this simple resolver.

    Returns
    -------
    Resolution
    """
    keys: list[str | None] = []
    dropped: Counter = Counter()
    surfaces: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, Counter] = defaultdict(Counter)
    for mention in mentions:
        reason = _noise_reason(mention.text)
        if reason:
            dropped[reason] += 1
            keys.append(None)
            continue
        key = normalise_key(mention.text)
        keys.append(key)
        surfaces[key][clean_surface(mention.text)] += 1
        labels[key][mention.label] += 1
    entities = {}
    for key, forms in surfaces.items():
        aliases = tuple(sorted(forms.items(), key=lambda item: (-item[1], item[0])))
        type_counts = tuple(sorted(labels[key].items(), key=lambda item: (-item[1], item[0])))
        entities[key] = Entity(
            key=key,
            name=aliases[0][0],
            type=type_counts[0][0],
            aliases=aliases,
            type_counts=type_counts,
            rules=("same normalised key",),
        )
    return Resolution(keys=keys, entities=entities, dropped=dropped)


def find_abbreviations(article_id: str, text: str) -> list[Abbreviation]:
    """Acronyms introduced next to their long form (seam: none found yet)."""
    return []


def repair_mentions(text, mentions, sentences, abbreviations) -> list[Mention]:
    """Mentions with acronym spans repaired (seam: unchanged)."""
    return list(mentions)


def overrides_from_rows(rows) -> list:
    """User decisions stored as ``(id, action, args)`` rows → override records (seam)."""
    return list(rows)
