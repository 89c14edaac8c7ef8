"""Names a user types (in lookups and decisions): the checks they must pass.

A name must show something: one letter or digit at least. A zero-width
space, a lone combining accent or an ellipsis look like nothing (or like
anything) on screen, so a decision or a lookup naming one is refused rather
than matched to whatever folds to the same empty key.
"""

from __future__ import annotations

import unicodedata


def has_visible_letters(text: str) -> bool:
    """Whether ``text`` holds at least one letter or digit (Unicode categories L and N)."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
