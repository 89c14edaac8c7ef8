"""Saved web pages, RSS/Atom feeds (files and URLs) and web archives as sources.

The pages and feeds are ours (``tests/data/web``): a news page with
navigation, adverts, a "most read" box and comments around the article, a
front page with no article, an RSS and an Atom feed. Web archives are written
here with warcio itself; feed URLs are served from 127.0.0.1 by a local
``http.server`` in a thread.
"""

from __future__ import annotations

import gzip
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import graphkit
from graphkit.cli import cli
from graphkit.errors import SourceError
from graphkit.ingest import ReadReport, read_articles
from graphkit.ingest.feeds import download, fetch_feeds, read_feed_list
from graphkit.ingest.webpages import html_to_text

WEB = Path(__file__).parent / "data" / "web"
NEWS_TEXT = (
    "Nordpay founder joins Bank of Lorraine pilot\n\n"
    "Alice Moreau, governor of the Bank of Lorraine, met fintech founders in Nancy on Monday "
    "to launch a pilot of instant payments between regional banks.\n\n"
    "Moreau said Tomas Berg, the founder of Nordpay, would join the pilot alongside Acme "
    "Holdings, which runs the clearing system for most of the region's savings banks.\n\n"
    "Berg told reporters that Nordpay had spent two years preparing for the test and that the "
    "company expected to connect its first customers before the summer.\n\n"
    "The European Central Bank has asked national banks to report on such schemes by the end "
    "of the year, and the Bank of Lorraine said it would publish the results of the pilot in "
    "the autumn."
)


def read(*sources):
    report = ReadReport()
    return list(read_articles(sources, report=report)), report


# Saved pages


def test_a_saved_news_page_gives_the_article_without_its_surroundings():
    (article,), report = read(WEB / "news-page.html")
    assert article.text == NEWS_TEXT
    assert article.title == "Nordpay founder joins Bank of Lorraine pilot"
    assert (article.date, article.author, article.site) == (
        "2024-03-05",
        "Claire Dubois",
        "The Lorraine Ledger",
    )
    assert article.url == "https://ledger.example.org/business/2024/03/05/nordpay-pilot"
    assert article.id == article.source == str(WEB / "news-page.html")
    assert report.summary() is None


def test_a_page_without_an_article_is_a_counted_skip():
    articles, report = read(WEB / "front-page.html")
    assert articles == []
    assert report.reasons == {str(WEB / "front-page.html"): "no article text"}


def test_a_page_in_another_encoding_is_decoded_by_its_declared_charset(tmp_path):
    page = (WEB / "news-page.html").read_text(encoding="utf-8")
    page = page.replace('charset="utf-8"', 'charset="iso-8859-1"')
    page = page.replace("Nancy on Monday", "Nancy on Monday (à Nancy, déjà)")
    (tmp_path / "latin.htm").write_bytes(page.encode("iso-8859-1", errors="replace"))
    (article,), report = read(tmp_path / "latin.htm")
    assert "(à Nancy, déjà)" in article.text
    assert report.summary() is None


def test_a_page_declared_utf8_with_bad_bytes_is_decoded_with_replacements_and_counted(tmp_path):
    page = (WEB / "news-page.html").read_bytes().replace(b"Nancy on Monday", b"Nancy \xff Monday")
    (tmp_path / "bad.html").write_bytes(page)
    (article,), report = read(tmp_path / "bad.html")
    assert "Nancy \ufffd Monday" in article.text
    assert report.summary() == (
        f"1 file(s) had invalid UTF-8 (decoded with replacements): {tmp_path / 'bad.html'}"
    )


def test_a_page_that_cannot_be_parsed_or_read_is_a_counted_skip(tmp_path):
    (tmp_path / "garbage.html").write_bytes(b"\xff\xfe\x00<<<\x00\x00>>")
    (tmp_path / "empty.html").write_bytes(b"")
    articles, report = read(tmp_path)
    assert articles == []
    assert sorted(report.reasons.values()) == ["no article text", "no article text"]


def test_feed_fragments_become_text_without_markup():
    assert html_to_text("<p>One <b>bold</b> line.</p><script>alert(1)</script><p>Two.</p>") == (
        "One bold line.\n\nTwo."
    )
    assert html_to_text("plain   text") == "plain text"


# Feeds


def test_rss_items_are_articles_with_full_content_or_summary():
    articles, report = read(WEB / "ledger.rss")
    assert [(a.id, a.date, a.title) for a in articles] == [
        (
            "https://ledger.example.org/business/2024/03/07/acme-chair",
            "2024-03-07",
            "Acme Holdings names new chair",
        ),
        (
            "https://ledger.example.org/business/2024/03/08/globex-profit",
            "2024-03-08",
            "Globex Bank reports higher profit",
        ),
    ]
    assert articles[0].text == (
        "Acme Holdings names new chair\n\n"
        "Acme Holdings said on Thursday that Helena Varga would become its chair, succeeding "
        "Victor Kessler after eleven years.\n\n"
        "Varga, a former director of Globex Bank, said Acme Holdings would keep working with "
        "Nordpay on the instant payments pilot."
    )
    assert articles[1].text == (
        "Globex Bank reports higher profit\n\nGlobex Bank reported a higher annual profit on "
        "Friday, and its chief executive Marta Olsen said lending to small firms had grown."
    )
    assert {a.source for a in articles} == {str(WEB / "ledger.rss")}
    assert articles[0].site == "The Lorraine Ledger: Business"
    assert report.empty_records == 1  # the item with no text


def test_atom_entries_are_articles():
    (article,), report = read(WEB / "ledger.atom")
    assert (
        article.id == article.url == ("https://ledger.example.org/politics/2024/03/10/mayor-pilot")
    )
    assert (article.date, article.author) == ("2024-03-10", "Claire Dubois")
    assert article.text.startswith("Mayor backs regional payments pilot\n\nPaul Girard, the mayor")
    assert report.summary() is None


def test_feeds_are_recognised_by_content_whatever_their_name(tmp_path):
    shutil.copy(WEB / "ledger.atom", tmp_path / "politics-feed")  # no extension
    shutil.copy(WEB / "ledger.rss", tmp_path / "business.php")
    (tmp_path / "notes.xml").write_text("<?xml version='1.0'?><notes><n>hi</n></notes>")
    articles, report = read(tmp_path)
    assert len(articles) == 3
    assert report.reasons == {str(tmp_path / "notes.xml"): "not an RSS or Atom feed"}


# Web archives


def _warc(path: Path, records: list[tuple[str, str, bytes]], *, gz: bool) -> Path:
    """Write ``(url, content type, body)`` responses (and a request record) with warcio."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gz)
        for url, kind, body in records:
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n"))
            )
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )
    return path


@pytest.mark.parametrize("name, gz", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_a_web_archive_gives_each_html_page_once(tmp_path, name, gz):
    news = (WEB / "news-page.html").read_bytes()
    other = news.replace(b"Nancy on Monday", b"Metz on Tuesday")
    crawl = _warc(
        tmp_path / name,
        [
            ("https://ledger.example.org/a", "text/html; charset=utf-8", news),
            ("https://ledger.example.org/a", "text/html", news),  # the same URL again
            ("https://ledger.example.org/a?utm=x", "text/html", news),  # the same text
            ("https://ledger.example.org/b", "text/html", other),
            ("https://ledger.example.org/logo.png", "image/png", b"\x89PNG\r\n"),
            ("https://ledger.example.org/", "text/html", (WEB / "front-page.html").read_bytes()),
        ],
        gz=gz,
    )
    articles, report = read(crawl)
    assert [(a.id, a.url, a.source) for a in articles] == [
        ("https://ledger.example.org/a", "https://ledger.example.org/a", str(crawl)),
        ("https://ledger.example.org/b", "https://ledger.example.org/b", str(crawl)),
    ]
    assert articles[0].text == NEWS_TEXT
    assert "Metz on Tuesday" in articles[1].text
    assert (report.duplicates, report.empty_records, report.skipped) == (2, 1, [])


def test_a_damaged_web_archive_is_a_counted_skip(tmp_path):
    (tmp_path / "broken.warc.gz").write_bytes(gzip.compress(b"<html><body>a page</body></html>"))
    articles, report = read(tmp_path / "broken.warc.gz")
    assert articles == []
    assert list(report.reasons) == [str(tmp_path / "broken.warc.gz")]
    assert report.reasons[str(tmp_path / "broken.warc.gz")].startswith("not a readable web archive")


# Feeds over HTTP, from 127.0.0.1 only


def test_feed_urls_are_fetched_and_each_failure_is_one_line(feed_server):
    base, routes = feed_server
    routes["/business.rss"] = (200, (WEB / "ledger.rss").read_bytes(), 0)
    routes["/big.rss"] = (200, b"<rss>" + b" " * 5000 + b"</rss>", 0)
    routes["/slow.rss"] = (200, (WEB / "ledger.atom").read_bytes(), 3)
    routes["/page.html"] = (200, (WEB / "front-page.html").read_bytes(), 0)
    urls = [f"{base}/{name}" for name in ("business.rss", "gone.rss", "big.rss", "slow.rss")]
    fetched = fetch_feeds([*urls, f"{base}/page.html"], timeout=1, max_bytes=4096)
    assert [a.id for a in fetched.articles] == [
        "https://ledger.example.org/business/2024/03/07/acme-chair",
        "https://ledger.example.org/business/2024/03/08/globex-profit",
    ]
    assert {a.source for a in fetched.articles} == {urls[0]}
    assert fetched.errors == [
        f"feed {base}/gone.rss: HTTP 404 Not Found",
        f"feed {base}/big.rss: 5,011 bytes, over the 4,096 cap",
        f"feed {base}/slow.rss: took longer than 1s",
        f"feed {base}/page.html: not an RSS or Atom feed (line 4, column 71: mismatched tag)",
    ]


def test_only_http_urls_are_fetched(feed_server):
    with pytest.raises(SourceError, match="only http"):
        download("file:///etc/passwd", timeout=1, max_bytes=10)
    base, routes = feed_server
    routes["/moved.rss"] = (302, b"ftp://127.0.0.1/feed.rss", 0)
    routes["/renamed.rss"] = (301, f"{base}/business.rss".encode(), 0)
    routes["/business.rss"] = (200, (WEB / "ledger.rss").read_bytes(), 0)
    assert download(f"{base}/renamed.rss", timeout=5, max_bytes=10000).startswith(b"<?xml")
    with pytest.raises(SourceError, match=r"moved.rss: HTTP 302 redirect to a non-http\(s\) URL"):
        download(f"{base}/moved.rss", timeout=5, max_bytes=1000)


def test_a_feed_list_must_hold_urls(tmp_path):
    listed = tmp_path / "feeds.txt"
    listed.write_text("# business\nhttps://a.example/rss\n\n  http://b.example/atom  \n")
    assert read_feed_list(listed) == ["https://a.example/rss", "http://b.example/atom"]
    listed.write_text("https://a.example/rss\n/etc/passwd\n")
    with pytest.raises(SourceError, match=r"feeds.txt, line 2: '/etc/passwd' is not an http"):
        read_feed_list(listed)


# Building from all of them


def test_build_reads_pages_feeds_archives_and_feed_urls(tmp_path, feed_server):
    base, routes = feed_server
    routes["/politics.atom"] = (200, (WEB / "ledger.atom").read_bytes(), 0)
    pages = tmp_path / "saved-pages"
    pages.mkdir()
    shutil.copy(WEB / "news-page.html", pages)
    shutil.copy(WEB / "front-page.html", pages)
    page = (WEB / "news-page.html").read_bytes()
    crawl = _warc(
        tmp_path / "crawl.warc.gz",
        [("https://ledger.example.org/x", "text/html", page.replace(b"Nancy", b"Metz"))] * 2,
        gz=True,
    )
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{base}/politics.atom\n{base}/missing.atom\n")
    db = tmp_path / "web.db"
    sources = [str(pages), str(WEB / "ledger.rss"), str(crawl)]
    result = CliRunner().invoke(
        cli, ["--db", str(db), "--quiet", "build", *sources, "--feeds", str(feeds)]
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stderr.splitlines() == [
        f"Warning: feed {base}/missing.atom: HTTP 404 Not Found",
        f"Warning: skipped 1 file(s) that are not articles: {pages}/front-page.html "
        "(no article text); 1 record(s) with no text were ignored",
    ]
    assert result.stdout.splitlines()[0] == (  # the archived page is the saved one, edited
        "articles: 5 new, 0 changed, 0 unchanged, 1 duplicate, 1 file(s) skipped;"
        " 1 near-duplicate(s) kept but counted once (graphkit info lists them)"
    )
    with graphkit.open_store(db) as store:
        sources = {r[0] for r in store.connection.execute("SELECT source FROM articles")}
    assert sources == {
        str(pages / "news-page.html"),
        str(WEB / "ledger.rss"),
        str(crawl),
        f"{base}/politics.atom",
    }
    G = graphkit.load_graph(db)
    names = {G.nodes[n]["name"] for n in G}
    assert {"Alice Moreau", "Bank of Lorraine", "Nordpay", "Tomas Berg"} <= names
    # the comments and the "most read" box are not read
    assert not names & {"Marc Lefebvre", "Sophie Klein", "Paul Girard Opens"}
