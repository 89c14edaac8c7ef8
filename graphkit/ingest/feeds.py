"""RSS and Atom feeds → :class:`~graphkit.models.Article`, with feedparser.

One article per entry: its title, date (published, else updated), link, and
its full content when the feed carries it, else its summary, HTML turned into
text the same way as saved pages (:func:`graphkit.ingest.webpages.html_to_text`).
An entry's id is its link (else its guid), so the same story met again in a
later poll, or in another feed, is the same article.

Feeds are files (``.xml``, ``.rss``, ``.atom``, or any file whose first bytes
open an ``<rss>``, ``<feed>`` or ``<rdf:RDF>`` element) or URLs listed in a
file (``--feeds``). URLs are fetched here, never by feedparser, with the
standard library: http(s) only, a timeout on the whole download, and a size
cap; a feed that fails gives one line naming it and the reason, and the
other feeds are still read.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from graphkit.errors import SourceError
from graphkit.ingest.webpages import html_to_text, one_line
from graphkit.models import Article

FEED_SUFFIXES = {".xml", ".rss", ".atom"}
DEFAULT_TIMEOUT = 20.0
MAX_FEED_BYTES = 20 * 1024 * 1024
USER_AGENT = "graphkit (+feed reader)"
_FEED_START = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_CHUNK = 64 * 1024


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes of a file open an RSS, Atom or RSS 1.0 document."""
    return _FEED_START.search(head[:4096]) is not None


def articles_from_feed(data: bytes, source: str) -> tuple[list[Article], int]:
    """The entries of a feed as articles, and how many entries had no text.

    Raises
    ------
    SourceError
        ``data`` is not a feed feedparser can read.
    """
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({_parser_problem(problem)})" if problem else ""
        raise SourceError(f"{source}: not an RSS or Atom feed{detail}")
    site = one_line(parsed.feed.get("title") or "") or None
    articles, empty = [], 0
    for number, entry in enumerate(parsed.entries, start=1):
        article = _article_from_entry(entry, source, number, site)
        if article is None:
            empty += 1
        else:
            articles.append(article)
    return articles, empty


def _article_from_entry(entry, source: str, number: int, site: str | None) -> Article | None:
    contents = [c.get("value", "") for c in entry.get("content") or () if c.get("value")]
    body = max(contents, key=len) if contents else entry.get("summary") or ""
    text = html_to_text(body) if body.strip() else ""
    if not text:
        return None
    title = one_line(html_to_text(entry.get("title") or "").replace("\n", " "))
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    link = entry.get("link") or ""
    link = link if link.lower().startswith(("http://", "https://")) else None
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    return Article(
        id=link or entry.get("id") or f"{source}#{number}",
        title=title or text.split("\n", 1)[0][:80],
        text=text,
        source=source,
        date=time.strftime("%Y-%m-%d", stamp) if stamp else None,
        url=link,
        author=one_line(entry.get("author") or "") or None,
        site=site,
    )


@dataclass
class FeedFetch:
    """What fetching a list of feeds gave: articles, entries without text, and failures."""

    articles: list[Article] = field(default_factory=list)
    empty: int = 0
    errors: list[str] = field(default_factory=list)


def read_feed_list(path: str | Path) -> list[str]:
    """The feed URLs in a file: one per line; blank lines and ``#`` comments ignored.

    Raises
    ------
    SourceError
        The file cannot be read, or a line is not an http(s) URL.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    except OSError as err:
        raise SourceError(f"{path}: cannot read the feed list ({err.strerror or err})") from err
    urls = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.lower().startswith(("http://", "https://")):
            raise SourceError(f"{path}, line {number}: {line[:80]!r} is not an http(s) URL")
        urls.append(line)
    return urls


def fetch_feeds(
    urls: list[str], *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = MAX_FEED_BYTES
) -> FeedFetch:
    """Download and read each feed; a feed that fails is one line in ``errors``, not an exception.

    Parameters
    ----------
    urls : list of str
        http(s) addresses of RSS or Atom feeds.
    timeout : float
        Seconds allowed for each feed, connection and whole download together.
    max_bytes : int
        A feed larger than this is refused (read no further).
    """
    fetched = FeedFetch()
    for url in urls:
        try:
            data = download(url, timeout=timeout, max_bytes=max_bytes)
            articles, empty = articles_from_feed(data, url)
        except SourceError as err:
            message = str(err)
            fetched.errors.append(message if message.startswith("feed ") else f"feed {message}")
            continue
        fetched.articles += articles
        fetched.empty += empty
    return fetched


def download(url: str, *, timeout: float, max_bytes: int) -> bytes:
    """The body at ``url``, within ``timeout`` seconds and ``max_bytes`` bytes.

    Raises
    ------
    SourceError
        Not http(s), an HTTP error status, a network error, too slow or too big.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise SourceError(f"feed {url}: only http(s) URLs are fetched")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise SourceError(
                    f"feed {url}: {int(declared):,} bytes, over the {max_bytes:,} cap"
                )
            chunks, size = [], 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise SourceError(f"feed {url}: more than the {max_bytes:,}-byte cap")
                if time.monotonic() > deadline:
                    raise SourceError(f"feed {url}: took longer than {timeout:g}s")
                chunks.append(chunk)
            return b"".join(chunks)
    except urllib.error.HTTPError as err:
        raise SourceError(f"feed {url}: HTTP {err.code} {err.reason}") from err
    except urllib.error.URLError as err:
        if isinstance(err.reason, TimeoutError):
            raise SourceError(f"feed {url}: took longer than {timeout:g}s") from err
        raise SourceError(f"feed {url}: cannot fetch ({_reason(err.reason)})") from err
    except TimeoutError as err:
        raise SourceError(f"feed {url}: took longer than {timeout:g}s") from err
    except OSError as err:
        raise SourceError(f"feed {url}: cannot fetch ({_reason(err)})") from err


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only (urllib would follow one to ftp:// too)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise urllib.error.HTTPError(newurl, code, "redirect to a non-http(s) URL", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def _parser_problem(problem) -> str:
    """The XML parser's complaint, as ``line 4, column 71: mismatched tag``."""
    text = re.sub(r"^<unknown>:(\d+):(\d+): ", r"line \1, column \2: ", one_line(str(problem)))
    return text[:120]


def _reason(reason) -> str:
    return one_line(getattr(reason, "strerror", None) or str(reason))
