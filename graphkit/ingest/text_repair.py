"""Article text as its author wrote it: HTML entities decoded, mojibake repaired.

Exports and scrapes carry HTML entities ("Pap&#233;", "Blair&#191;s") and
text decoded with the wrong charset ("cafÃ©"). The model reads them as
words, so names come out broken ("Pap&#233") and the graph shows them.
:func:`repair_text` runs once per article, before extraction and before
the content hash, so stored offsets point into the repaired text:

* ``html.unescape`` for entities (only when the text has an ``&…;``);
* ``ftfy`` for mojibake (only when the text is not plain ASCII), keeping
  curly quotes, line breaks and character widths as they are;
* an inverted question mark between two letters ("Blair¿s"), which is what a
  lost right single quote turns into in some exports, becomes that quote.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from graphkit.models import Article

# Bump when what repair_text does changes (the store then repairs stored articles'
# sources again when they are read: see pipeline.read_hash).
REPAIR_RULES = 1
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# What ftfy must leave alone: entities are decoded above, and quotes, line
# breaks (paragraph windows), widths and Unicode normal form are the author's.
_FTFY_KEEPS = {
    **dict.fromkeys(
        ("unescape_html", "uncurl_quotes", "fix_line_breaks", "fix_character_width"), False
    ),
    "normalization": None,
}
_LOST_QUOTE = re.compile(r"(?<=[^\W\d_])¿(?=[^\W\d_])")


def repair_text(text: str) -> str:
    """``text`` with HTML entities decoded and mojibake fixed (see the module notes)."""
    if "&" in text and _ENTITY.search(text):
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    if not text.isascii():
        import ftfy

        text = ftfy.fix_text(text, **_FTFY_KEEPS)
        text = _LOST_QUOTE.sub("’", text)
    return text


def repair_article(article: Article) -> Article:
    """``article`` with :func:`repair_text` applied to its text and title."""
    text, title = repair_text(article.text), repair_text(article.title)
    if text == article.text and title == article.title:
        return article
    return replace(article, text=text, title=title)
