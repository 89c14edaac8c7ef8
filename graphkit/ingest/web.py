"""Web material (pages, feeds, web archives): which files it is, read under the readers' rules.

:mod:`graphkit.ingest.sources` hands a file here when :func:`is_web_file`
says so: by name (``.html``/``.htm``, ``.xml``/``.rss``/``.atom``,
``.warc``/``.warc.gz``) or, for a file of no known type, by content (its
first bytes open a feed). As for every reader, nothing here raises for a bad
file: a page without article text, a ``.xml`` file that is not a feed, an
unreadable or damaged file are counted skips in the
:class:`~graphkit.ingest.sources.ReadReport` passed in, with a reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from graphkit.errors import SourceError
from graphkit.ingest.feeds import FEED_SUFFIXES, articles_from_feed, looks_like_feed
from graphkit.ingest.warc import WarcCounts, articles_from_warc, is_warc
from graphkit.ingest.webpages import HTML_SUFFIXES, article_from_html
from graphkit.models import Article

WEB_SUFFIXES = HTML_SUFFIXES | FEED_SUFFIXES | {".warc"}
_SNIFF_BYTES = 4096
_CHARSET = re.compile(rb"""<meta[^>]*charset\s*=\s*["']?\s*([\w-]+)""", re.IGNORECASE)
_UTF8 = {b"utf-8", b"utf8"}


def is_web_file(path: Path, *, known_suffixes: set[str]) -> bool:
    """Whether ``path`` is a page, feed or web archive (sniffing files of no known type)."""
    suffix = path.suffix.lower()
    if suffix in WEB_SUFFIXES or is_warc(path):
        return True
    if suffix in known_suffixes:
        return False
    try:
        with path.open("rb") as stream:
            head = stream.read(_SNIFF_BYTES)
    except OSError:
        return False
    return looks_like_feed(head)


def read_web_file(path: Path, report) -> Iterator[Article]:
    """The articles of one page, feed or web archive; problems go to ``report`` (a ReadReport)."""
    if is_warc(path):
        counts = WarcCounts()
        try:
            yield from articles_from_warc(path, counts)
        except SourceError as err:
            report.skip(str(path), _reason(err, path))
        report.duplicates += counts.duplicates
        report.empty_records += counts.no_text
        return
    data = report.read_bytes(path)
    if data is None:
        return
    if path.suffix.lower() in HTML_SUFFIXES and not looks_like_feed(data[:_SNIFF_BYTES]):
        html = _declared_utf8(data, report, str(path))
        try:
            article = article_from_html(html, str(path))
        except Exception as err:  # a third-party parser meeting untrusted input
            report.skip(str(path), f"unreadable HTML ({type(err).__name__})")
            return
        if article is None:
            report.skip(str(path), "no article text")
        else:
            yield article
        return
    try:
        articles, empty = articles_from_feed(data, str(path))
    except SourceError as err:
        report.skip(str(path), _reason(err, path))
        return
    report.empty_records += empty
    yield from articles


def _declared_utf8(data: bytes, report, name: str) -> bytes | str:
    """A page that says it is UTF-8 but is not: decoded with replacements, and counted.

    Other pages go to trafilatura as bytes, which follows their declared
    charset or detects one (legacy pages saved as windows-1252 are common).
    """
    declared = _CHARSET.search(data[:_SNIFF_BYTES])
    if declared is None or declared.group(1).lower().replace(b"_", b"-") not in _UTF8:
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.decode_errors += 1
        report.decode_error_files.append(name)
        return data.decode("utf-8", errors="replace")


def _reason(err: SourceError, path: Path) -> str:
    """The reason part of a source error, without the file name it starts with."""
    text = str(err)
    prefix = f"{path}: "
    return text[len(prefix) :] if text.startswith(prefix) else text
