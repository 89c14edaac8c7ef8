"""Web archives (``.warc``, ``.warc.gz``) → :class:`~graphkit.models.Article`, with warcio.

WARC is what web crawlers (Heritrix, wget ``--warc-file``, Browsertrix) and
newsroom archives write. Each ``response`` record with an HTML body and a 2xx
status becomes an article through the same path as a saved page
(:func:`graphkit.ingest.webpages.article_from_html`), with the record's
target URL as its id and URL and the archive file as its source. A crawl
holds the same page many times: a URL already read, or a page whose
extracted text was already read under another URL, is counted as a
duplicate and read once.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graphkit.errors import SourceError
from graphkit.ingest.webpages import article_from_html
from graphkit.models import Article

MAX_RECORD_BYTES = 20 * 1024 * 1024


def is_warc(path: Path) -> bool:
    """Whether the file name says web archive: ``.warc`` or ``.warc.gz``."""
    name = path.name.lower()
    return name.endswith(".warc") or name.endswith(".warc.gz")


@dataclass
class WarcCounts:
    """What reading one archive left out: duplicates and HTML pages without article text."""

    duplicates: int = 0
    no_text: int = 0


def articles_from_warc(path: Path, counts: WarcCounts | None = None) -> Iterator[Article]:
    """The articles in the HTML responses of a web archive, each URL and text once.

    Raises
    ------
    SourceError
        The file cannot be opened or is not a WARC file.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    counts = counts if counts is not None else WarcCounts()
    seen_urls: set[str] = set()
    seen_texts: set[str] = set()
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                url = _html_response_url(record)
                if url is None:
                    continue
                if url in seen_urls:
                    counts.duplicates += 1
                    continue
                seen_urls.add(url)
                body = record.content_stream().read(MAX_RECORD_BYTES + 1)
                if len(body) > MAX_RECORD_BYTES:
                    counts.no_text += 1
                    continue
                article = article_from_html(body, str(path), article_id=url, url=url)
                if article is None:
                    counts.no_text += 1
                    continue
                digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
                if digest in seen_texts:
                    counts.duplicates += 1
                    continue
                seen_texts.add(digest)
                yield article
    except ArchiveLoadFailed as err:
        raise SourceError(f"{path}: not a readable web archive ({err.msg})") from err
    except (zlib.error, EOFError) as err:
        raise SourceError(f"{path}: the web archive is damaged ({err})") from err
    except OSError as err:
        raise SourceError(f"{path}: cannot read the web archive ({err.strerror or err})") from err


def _html_response_url(record) -> str | None:
    """The target URL of a successful HTML response record, else ``None``."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    kind = (record.http_headers.get_header("Content-Type") or "").lower()
    if not status.startswith("2") or not ("html" in kind or kind == ""):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    return url.strip("<> ") or None
