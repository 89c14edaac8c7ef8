"""Web sources: HTML extraction speed against plain text and the model, and watch latency.

Usage: python benchmarks/web.py [CORPUS.jsonl] [--limit N] [--latency-runs N]

Writes the first N articles of the corpus (default: the BBC corpus in
../shared/data, else the bundled sample) into a temporary folder twice: as
plain ``.txt`` files, and as saved news pages with navigation, an advert, a
"most read" box, comments and a footer around the article. Then it measures

- pages per second read by graphkit (trafilatura) against ``.txt`` files per
  second, and how much of each article survives extraction (paragraphs kept)
  and how much page furniture leaks in (comment or navigation text);
- the model's own throughput (``graphkit build`` of the ``.txt`` folder), so
  the ratio says whether HTML extraction could become the bottleneck;
- with ``graphkit.watch`` running in a thread over a store of those
  articles with a page, the time from writing a new article to the page
  being rewritten (median and worst of N runs).

Nothing is asserted: timings never gate tests.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

import graphkit
from graphkit.ingest import ReadReport, read_articles
from graphkit.outputs.page.live import marker_path
from graphkit.watch import watch

BBC = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "bbc.jsonl"
COMMENT = "Commenter Zebediah Quillfeather says this is the worst decision Orvanto Plc made."
NAV = "Subscribe to Premium Digital Bundle"

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | The Daily Example</title>
<meta name="author" content="Staff reporter">
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2005-0{month}-1{day}T08:00:00Z">
<link rel="canonical" href="https://news.example.org/{slug}">
<script>var analytics = {{"section": "news"}};</script>
</head><body>
<header><a href="/">The Daily Example</a><nav><ul>
<li><a href="/news">News</a></li><li><a href="/business">Business</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">{nav}</a></li></ul></nav></header>
<div class="ad">Advertisement: Seaside Motors spring sale, zero per cent finance</div>
<main><article><h1>{title}</h1>
<p class="byline">By Staff reporter</p>
{paragraphs}
</article>
<aside class="most-read"><h2>Most read</h2><ol><li><a href="/1">Bridge closure extended</a></li>
<li><a href="/2">Harbour United sign striker</a></li></ol></aside>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>{comment}</p></div></section></main>
<footer><p>&copy; 2005 Daily Example Group. <a href="/privacy">Privacy</a></p></footer>
</body></html>
"""


def write_corpus(records: list[dict], folder: Path) -> tuple[Path, Path]:
    texts, pages = folder / "txt", folder / "html"
    texts.mkdir()
    pages.mkdir()
    for n, record in enumerate(records):
        name = f"{n:05}"
        body = record["text"].strip()
        (texts / f"{name}.txt").write_text(f"{record['title']}\n\n{body}\n", encoding="utf-8")
        paragraphs = "\n".join(
            f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip()
        )
        page = PAGE.format(
            title=html.escape(record["title"]),
            month=1 + n % 9,
            day=n % 10,
            slug=name,
            nav=NAV,
            paragraphs=paragraphs,
            comment=COMMENT,
        )
        (pages / f"{name}.html").write_text(page, encoding="utf-8")
    return texts, pages


def timed_read(folder: Path) -> tuple[list, float, ReadReport]:
    report = ReadReport()
    started = time.perf_counter()
    articles = list(read_articles([folder], report=report))
    return articles, time.perf_counter() - started, report


def quality(records: list[dict], pages: list) -> tuple[float, int, int]:
    """Share of original paragraphs found in the extracted text; pages with leaked furniture."""
    kept = total = 0
    by_name = {Path(a.source).stem: a for a in pages}
    leaked_comments = leaked_nav = 0
    for n, record in enumerate(records):
        article = by_name.get(f"{n:05}")
        paragraphs = [p.strip() for p in record["text"].split("\n") if p.strip()]
        total += len(paragraphs)
        if article is None:
            continue
        text = " ".join(article.text.split())
        kept += sum(" ".join(p.split()) in text for p in paragraphs)
        leaked_comments += COMMENT in article.text
        leaked_nav += NAV in article.text
    return kept / max(total, 1), leaked_comments, leaked_nav


def watch_latency(texts: Path, db: Path, page: Path, runs: int) -> list[float]:
    """Seconds from writing a new article to the live page's marker changing, per run."""
    stop = threading.Event()
    ready = threading.Event()
    thread = threading.Thread(
        target=watch,
        args=([texts],),
        kwargs={"db": db, "page": page, "stop": stop, "on_update": lambda u: ready.set()},
        daemon=True,
    )
    thread.start()
    ready.wait(600)
    time.sleep(2)  # let the watcher start before the first drop
    marker = marker_path(page)
    latencies = []
    for run in range(runs):
        before = marker.read_text()
        started = time.perf_counter()
        (texts / f"new-{run}.txt").write_text(
            f"Watch test {run}\n\nMaria Kowalska{run} of Veltran Systems{run} met the minister "
            f"Johan Ekberg{run} in Oslo on Monday to discuss the merger.\n",
            encoding="utf-8",
        )
        while marker.read_text() == before and time.perf_counter() - started < 120:
            time.sleep(0.01)
        latencies.append(time.perf_counter() - started)
    stop.set()
    thread.join(30)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = BBC if BBC.exists() else graphkit.SAMPLE_CORPUS
    parser.add_argument("corpus", nargs="?", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=300, help="articles to use")
    parser.add_argument("--latency-runs", type=int, default=5)
    args = parser.parse_args()
    with args.corpus.open(encoding="utf-8") as stream:
        records = [json.loads(line) for line in itertools.islice(stream, args.limit)]
    with tempfile.TemporaryDirectory() as tmp:
        texts, pages = write_corpus(records, Path(tmp))
        print(f"corpus: {args.corpus} (first {len(records)} articles)")
        txt_articles, txt_seconds, _ = timed_read(texts)
        html_articles, html_seconds, report = timed_read(pages)
        txt_rate = len(txt_articles) / txt_seconds
        html_rate = len(html_articles) / html_seconds
        kept, comments, nav = quality(records, html_articles)
        print(f"read .txt:  {len(txt_articles)} articles in {txt_seconds:.2f}s = {txt_rate:.0f}/s")
        print(
            f"read .html: {len(html_articles)} articles in {html_seconds:.2f}s = "
            f"{html_rate:.0f}/s ({len(report.skipped)} skipped)"
        )
        print(
            f"extraction: {kept:.1%} of article paragraphs kept; comments leaked into "
            f"{comments} page(s), navigation into {nav}"
        )
        db = Path(tmp) / "model.db"
        built = graphkit.build([texts], db=db)
        model_rate = built.extracted / built.seconds
        print(f"model (graphkit build of the .txt): {built.extracted} in {built.seconds:.1f}s")
        print(
            f"  = {model_rate:.1f} articles/s; HTML reading is {html_rate / model_rate:.0f}x "
            f"the model's rate ({html_rate / (html_rate + model_rate):.0%} of build time "
            "would be the model with HTML input)"
        )
        latencies = watch_latency(texts, db, Path(tmp) / "graph.html", args.latency_runs)
        print(
            f"watch: new file -> page rewritten, {len(latencies)} runs over a store of "
            f"{len(records)} articles: median {statistics.median(latencies):.2f}s, "
            f"worst {max(latencies):.2f}s"
        )


if __name__ == "__main__":
    main()
