"""The helpers that used to exist in several drifting copies, now one each, and no
process-wide state changed as a side effect."""

from __future__ import annotations

import csv
import inspect
import os

import networkx as nx
import pytest

import graphkit
from graphkit import errors
from graphkit.graph.lookup import node_name, type_test
from graphkit.graph.measures import measure_label
from graphkit.graph.settings import MEASURES
from graphkit.ingest.sources import read_articles
from graphkit.outputs.markup import Link, safe_url, to_html, to_markdown
from graphkit.outputs.page.render import page_data
from graphkit.outputs.tables import cell_text
from graphkit.resolve.acronyms import acronym_letters
from graphkit.resolve.names import acronym_singular, is_acronym
from graphkit.writing import write_output


def test_node_name_falls_back_to_the_key_for_a_missing_or_empty_name():
    G = nx.Graph()
    G.add_node("k1", name="Ann Lee")
    G.add_node("k2")
    G.add_node("k3", name="")
    assert [node_name(G, n) for n in G] == ["Ann Lee", "k2", "k3"]


def test_one_type_rule():
    person = type_test(["person", "Org"])
    assert [person(t) for t in ("PERSON", "org", "GPE", None)] == [True, True, False, False]
    everything = type_test(None)
    assert [everything(t) for t in ("PERSON", None)] == [True, True]


URLS = {
    "https://example.org/a?b=1": True,
    "HTTP://EXAMPLE.ORG/": True,
    "  https://example.org/trimmed  ": True,
    "https://en.wikipedia.org/wiki/Bank_(disambiguation)": True,
    "javascript:alert(1)": False,
    "ftp://example.org/": False,
    'https://example.org/"onmouseover="x': False,
    "https://example.org/a b": False,
    "https://example.org/\x1b[2J": False,
    None: False,
}


@pytest.mark.parametrize("url", URLS)
def test_one_url_rule_for_pages_and_reports(url):
    linked = URLS[url]
    assert (safe_url(url) is not None) == linked
    G = nx.Graph()
    G.add_node("a", name="A", type="PERSON", articles=1, mentions=1)
    G.add_node("b", name="B", type="ORG", articles=1, mentions=1)
    evidence = [{"article_id": "x", "title": "T", "date": None, "url": url, "sentence": "A, B."}]
    G.add_edge("a", "b", weight=1, articles=1, evidence=evidence)
    data, _ = page_data(G, top=None)
    (title, _, page_url) = data["articles"][0]
    assert (title, page_url is not None) == ("T", linked)
    html = to_html([("p", [Link("T", url)])])
    markdown = to_markdown([("p", [Link("T", url)])])
    assert ("<a href=" in html) == linked
    assert markdown.startswith("[T](") == linked


def test_markdown_links_keep_parentheses_inside_the_target():
    url = "https://en.wikipedia.org/wiki/Bank_(disambiguation)"
    assert to_markdown([("p", [Link("T", url)])]).strip() == (
        "[T](https://en.wikipedia.org/wiki/Bank_%28disambiguation%29)"
    )


def test_measure_labels_come_from_one_table():
    assert [measure_label(m) for m in MEASURES] == [
        "degree",
        "weighted degree",
        "PageRank",
        "eigenvector centrality",
        "betweenness",
        "closeness",
    ]
    assert (
        measure_label("weighted_degree", explained=True)
        == "weighted degree (co-mentions, shared out per sentence)"
    )
    assert measure_label("pagerank", explained=True) == "PageRank"
    assert measure_label("articles") == "articles"


def test_one_cell_rule_for_people_and_for_tools():
    assert cell_text(1 / 3) == "0.3333"
    assert cell_text(1 / 3, exact=True) == "0.3333333333333333"
    assert cell_text(["a", "b"]) == cell_text(["a", "b"], exact=True) == "a; b"
    assert cell_text("two\nlines") == "two lines"
    assert cell_text("two\nlines", exact=True) == "two\nlines"
    assert cell_text([{"s": 1}], exact=True) == '[{"s": 1}]'
    assert cell_text(None) == cell_text(None, exact=True) == ""


def test_acronym_plural_rule_is_shared():
    assert acronym_singular("CBDCs") == "CBDC"
    assert acronym_singular("Banks") == "Banks"
    assert acronym_letters("CBDCs") == "CBDC"
    assert is_acronym("CBDCs") and not is_acronym("Banks")


def test_reading_a_csv_with_huge_fields_leaves_the_csv_limit_alone(tmp_path):
    before = csv.field_size_limit()
    body = "Alice Moreau spoke. " * 20_000  # 400 KB: over the csv module's default limit
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["id", "title", "text"], ["1", "Big", body]])
    (article,) = read_articles([path])
    assert article.text == body
    assert csv.field_size_limit() == before


def test_writing_never_touches_the_umask(tmp_path, monkeypatch):
    def forbidden(*args):
        raise AssertionError("os.umask changes process state")

    monkeypatch.setattr(os, "umask", forbidden)
    write_output(tmp_path / "f.txt", "x")
    assert (tmp_path / "f.txt").read_text(encoding="utf-8") == "x"


def test_the_package_face_exports_every_exception():
    raised = {
        name
        for name, value in inspect.getmembers(errors, inspect.isclass)
        if issubclass(value, errors.GraphkitError)
    }
    assert raised <= set(graphkit.__all__)
    assert all(getattr(graphkit, name) is getattr(errors, name) for name in raised)
