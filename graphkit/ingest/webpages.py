"""Saved web pages → :class:`~graphkit.models.Article`, with trafilatura.

A saved news page is mostly not the article: navigation, adverts, "most
read" boxes, comments, footers. trafilatura finds the main text and drops the
rest (favouring precision: menu and link text would become false entities);
its metadata reader gives the title, author, site name, canonical URL
and the publication date (found by ``htmldate``, which trafilatura calls with
``original_date`` so an "updated" stamp does not win over the published one).
The stored text is trafilatura's, one paragraph per block separated by a
blank line (so the ``paragraph`` window sees the page's paragraphs), headed by
the title as its own paragraph when the extracted text does not already
start with it. The same function turns the HTML of feed entries and of web
archive records into text, so all three read HTML the same way.

trafilatura is imported when the first page is read, not when graphkit is.
"""

from __future__ import annotations

import logging
import re

from graphkit.models import Article

# trafilatura and htmldate log their doubts about odd pages as warnings; with no
# handler configured Python would print them on stderr in the middle of a build.
# Skips are reported once, in the read report, instead.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PROSE_WORDS = 8
_BLANK_RUNS = re.compile(r"[ \t\u00a0]+")
# The article and its metadata, tables kept, comments and images not; precision
# over recall (menu text would become entities); the published date, not "updated".
_EXTRACTION = {
    "with_metadata": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "favor_precision": True,
    "date_extraction_params": {"original_date": True, "extensive_search": False},
}
_BLOCK_TAGS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "br", "tr")


def article_from_html(
    html: bytes | str, source: str, *, article_id: str | None = None, url: str | None = None
) -> Article | None:
    """The article in a web page, or ``None`` when the page holds no article text.

    Parameters
    ----------
    html : bytes or str
        The page; bytes are decoded by trafilatura (declared charset, else detected).
    source : str
        Where the page came from (the saved file, or the web archive), kept as
        the article's source so evidence names it.
    article_id : str, optional
        Default: ``source``.
    url : str, optional
        The page's address when known from outside it (a web archive record);
        else the page's canonical URL, if it declares one.
    """
    import trafilatura

    document = trafilatura.bare_extraction(html, url=url, **_EXTRACTION)
    if document is None:
        return None
    text = paragraphs(document.text or "")
    if not _has_prose(text):
        return None
    title = one_line(document.title or "")
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    elif not title:
        title = text.split("\n", 1)[0][:80]
    page_url = url or (document.url if _is_web_address(document.url) else None)
    return Article(
        id=article_id or source,
        title=title,
        text=text,
        source=source,
        date=document.date if _is_day(document.date) else None,
        url=page_url,
        author=one_line(document.author or "") or None,
        site=one_line(document.sitename or "") or None,
    )


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry), paragraphs separated by blank lines.

    trafilatura first, as for whole pages; a fragment too short for it to
    call an article (one paragraph of summary) is taken whole, tags dropped.
    """
    import trafilatura

    if "<" not in fragment:
        return paragraphs(fragment)
    extracted = trafilatura.extract(
        f"<html><body><article>{fragment}</article></body></html>",
        include_comments=False,
        include_images=False,
        with_metadata=False,
    )
    if extracted and extracted.strip():
        return paragraphs(extracted)
    return paragraphs(_tag_free(fragment))


def paragraphs(text: str) -> str:
    """One paragraph per non-empty line, separated by blank lines; spaces squeezed."""
    lines = (_BLANK_RUNS.sub(" ", line).strip() for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _tag_free(fragment: str) -> str:
    """The text of a fragment with every tag dropped and block ends kept as line breaks."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for block in root.iter(*_BLOCK_TAGS):
        block.tail = "\n" + (block.tail or "")
    return root.text_content()


def _has_prose(text: str) -> bool:
    """Whether extracted text reads like an article: some paragraph of eight words or more.

    A page without an article (a front page, a login wall) leaves menu
    entries and link lists, which are short lines; they are not an article.
    """
    return any(len(line.split()) >= PROSE_WORDS for line in text.split("\n\n"))


def one_line(value: str) -> str:
    """``value`` on one line, runs of white space made one space."""
    return " ".join(value.split())


def _is_day(value) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


def _is_web_address(value) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))
