"""The shareable report: what it says, and that corpus text cannot break or inject into it."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from graphkit.errors import GraphkitError
from graphkit.outputs.report import report_text, write_report

EVIL = '<script>alert("x")</script> | *Evil* [link](javascript:alert(1)) & Co'
CORPUS = {
    "articles": 12,
    "mentions": 345,
    "entities": 4,
    "first_date": "2024-01-05",
    "last_date": "2024-03-28",
    "settings": {"model": "en_core_web_sm 3.8.0", "types": ["PERSON", "ORG"], "window": "sentence"},
}


def record(article, sentence, title, url, date="2024-03-01"):
    return {"article_id": article, "title": title, "date": date, "url": url, "sentence": sentence}


@pytest.fixture
def G():
    G = nx.Graph(window="sentence", model="test", articles=12, since="2024-01", until="2024-03")
    people = [
        ("alice", "Alice Moreau", "PERSON", 7),
        ("bob", "Bob Stone", "PERSON", 5),
        ("acme", "Acme Holdings", "ORG", 6),
        ("evil", EVIL, "ORG", 2),
    ]
    for key, name, kind, articles in people:
        G.add_node(
            key, name=name, type=kind, mentions=articles * 3, articles=articles, aliases=[name]
        )
    G.add_edge(
        "alice",
        "bob",
        weight=9,
        articles=4,
        evidence=[
            record("a1", "Alice Moreau hired Bob Stone.", "Hiring news", "https://n.example/1")
        ],
    )
    G.add_edge(
        "alice",
        "acme",
        weight=5,
        articles=3,
        evidence=[record("a2", "Alice runs Acme.", "Acme <b>profile</b>", "javascript:alert(1)")],
    )
    G.add_edge(
        "acme",
        "evil",
        weight=1,
        articles=1,
        evidence=[
            record("a3", '<img src=x onerror="alert(1)">', EVIL, "https://n.example/3", None)
        ],
    )
    return G


def test_markdown_report_sections(G):
    text = report_text(G, CORPUS, top=3)
    assert text.startswith("# graphkit report\n\n12 articles (dated 2024-01-05 to 2024-03-28)")
    assert "with 345 mentions of 4 entities. The graph shows 4 entities and 3 ties" in text
    headings = re.findall(r"^#+ .*$", text, flags=re.M)
    assert headings == [
        "# graphkit report",
        "## Top entities",
        "### By degree (distinct entities co-mentioned)",
        "### By weighted degree (co-mentions, shared out per sentence)",
        "### By PageRank",
        "### By eigenvector centrality",
        "### By betweenness (bridges between groups)",
        "### By closeness (near everyone else)",
        "## Communities",
        "## Strongest ties",
        "## Settings and methods",
    ]
    assert "| rank | name | type | articles | weighted\\_degree |" in text
    assert "| 1 | Alice Moreau | PERSON | 7 | 14 |" in text
    assert (
        "1. **Alice Moreau** and **Bob Stone**: 9 co-mentions in 4 articles."
        " “Alice Moreau hired Bob Stone.” ([Hiring news](https://n.example/1), 2024-03-01)"
    ) in text
    assert "| model | en\\_core\\_web\\_sm 3.8.0 |" in text
    assert '| types | \\["PERSON", "ORG"\\] |' in text
    assert "betweenness: exact (Brandes, igraph); distance = 1/weight" in text
    assert "distance = 1/weight: a tie seen four times is a quarter as long" in text
    assert "Louvain (networkx), resolution 1.0, seed 0" in text
    assert report_text(G, CORPUS, top=3) == text  # deterministic


def test_markdown_escapes_corpus_text(G):
    text = report_text(G, CORPUS, measures=("degree",))
    assert not re.search(r"(?<!\\)[<>&]", text)  # no raw markup or entity can reach a renderer
    assert '\\<script\\>alert("x")\\</script\\> \\| \\*Evil\\* \\[link\\]' in text
    assert not re.search(r"(?<!\\)\]\(javascript", text)  # no link to a javascript: URL
    assert "(Acme \\<b\\>profile\\</b\\>, 2024-03-01)" in text  # unsafe URL dropped, title kept
    tables = re.findall(r"(?:^\|.*\n)+", text, flags=re.M)
    assert len(tables) == 3  # degree, communities, settings; ties are a list
    for table in tables:
        pipes = {len(re.findall(r"(?<!\\)\|", line)) for line in table.splitlines()}
        assert len(pipes) == 1, table  # an escaped | in a name never adds a column


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.hrefs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.hrefs += [value for name, value in attrs if name == "href"]


def test_html_report_escapes_everything(G, tmp_path):
    path = write_report(G, CORPUS, tmp_path / "report.html", format="html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    parser = Tags()
    parser.feed(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "table"}
    allowed |= {"thead", "tbody", "tr", "th", "td", "ol", "ul", "li", "strong", "a"}
    assert set(parser.tags) <= allowed
    assert parser.hrefs == ["https://n.example/1", "https://n.example/3"]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "<td>2024-01-05</td>" not in page and "dated 2024-01-05 to 2024-03-28" in page


def test_compare_lists_rising_and_falling(G):
    before = copy.deepcopy(G)
    before.graph.update(since="2023-10", until="2023-12")
    before.nodes["bob"]["articles"] = 1
    before.nodes["acme"]["articles"] = 9
    text = report_text(G, CORPUS, compare=(before, G), measures=("degree",))
    section = text.split("## Rising and falling")[1].split("## Settings")[0]
    assert "before (2023-10 to 2023-12) and after (2024-01 to 2024-03)" in section
    rising, falling = section.split("### Falling")
    assert "| Bob Stone | PERSON | 1 | 5 | +4 |" in rising
    assert "| Acme Holdings | ORG | 9 | 6 | -3 |" in falling
    assert "Alice" not in section


def test_sampled_methods_are_stated(G):
    text = report_text(G, CORPUS, measures=("betweenness", "closeness"), exact_limit=2, k=2, seed=5)
    assert (
        "betweenness: sampled: Brandes-Pich estimate from 2 random source entities of 4 (seed 5)"
        in text
    )
    assert "closeness: sampled: Eppstein-Wang estimate" in text


def test_write_report_errors(G, tmp_path):
    with pytest.raises(GraphkitError, match="unknown report format 'pdf'"):
        write_report(G, CORPUS, tmp_path / "r.pdf", format="pdf")
    assert list(tmp_path.iterdir()) == []
    # A missing folder is created, as for every output (graphkit.writing).
    written = write_report(G, CORPUS, tmp_path / "no" / "r.md")
    assert written.read_text(encoding="utf-8") == report_text(G, CORPUS)
