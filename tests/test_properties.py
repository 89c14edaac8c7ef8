"""Property-based tests (issue 11): readers, resolver and outputs under arbitrary input.

Example counts stay modest so the suite stays fast; each property is one line
of the README's "What graphkit does with bad input".
"""

from __future__ import annotations

import csv
import io
import json
import random

import networkx as nx
from cleanco import basename
from cleanco.clean import prepare_default_terms
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from graphkit.errors import SourceError
from graphkit.ingest.sources import ReadReport, read_articles
from graphkit.models import Mention
from graphkit.outputs.export import export_graph
from graphkit.outputs.tables import format_rows, terminal_safe
from graphkit.resolve import resolve_entities
from graphkit.resolve.names import _basename, clean_surface, core_name, fold, name_key

FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


def _read(path):
    report = ReadReport()
    try:
        articles = list(read_articles([path], report=report))
    except SourceError:
        return [], report
    for article in articles:
        article.text.encode("utf-8")  # storable: no lone surrogates
        assert article.text.strip()
    return articles, report


@FAST
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".jsonl", ".csv"]))
def test_arbitrary_bytes_never_crash_the_readers(tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    _read(path)


@FAST
@given(text=st.text(max_size=500), suffix=st.sampled_from([".txt", ".jsonl", ".csv"]))
def test_arbitrary_text_never_crashes_the_readers(tmp_path, text, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _read(path)


@FAST
@given(records=st.lists(st.dictionaries(st.text(max_size=8), json_values, max_size=5), max_size=5))
def test_arbitrary_json_records_never_crash_and_are_never_lost_silently(tmp_path, records):
    path = tmp_path / "input.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    articles, report = _read(path)
    readable = [r for r in records if isinstance(r.get("text"), str) and r["text"].strip()]
    assert len(articles) == len(readable)
    assert len(articles) + report.empty_records + len(report.bad_records) == len(records)


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(
    str.strip
)


@FAST
@given(name=names)
@example(name="Mr (0")  # a title that leaves edge punctuation behind (found by hypothesis)
@example(name="Monster's Inc.")  # a possessive left once the legal form goes
def test_name_normalisation_is_idempotent(name):
    assert fold(fold(name)) == fold(name)
    assert clean_surface(clean_surface(name)) == clean_surface(name)
    for label in ("PERSON", "ORG"):
        core = core_name(name, label)
        assert core_name(core, label) == core
        assert name_key(core, label) == name_key(name, label)


def _corpus_mentions(draw_names, articles):
    mentions = []
    for a, picked in enumerate(articles):
        offset = 0
        for s, name in enumerate(picked):
            mentions.append(Mention(f"a{a}", s, offset, offset + len(name), name, "PERSON"))
            offset += len(name) + 2
    return mentions


person = st.sampled_from(
    ["Alice Moreau", "Moreau", "Alice", "Tomas Berg", "Berg", "Mr Berg", "Tomas", "Ana Lim", "Lim"]
)


@FAST
@given(articles=st.lists(st.lists(person, min_size=1, max_size=4), min_size=1, max_size=5))
def test_arbitrary_mentions_never_crash_the_resolver(articles):
    resolve_entities(_corpus_mentions(None, articles))


@FAST
@given(
    articles=st.lists(st.lists(person, min_size=1, max_size=4), min_size=2, max_size=5),
    seed=st.integers(0, 1000),
)
def test_resolution_does_not_depend_on_article_order(articles, seed):
    mentions = _corpus_mentions(None, articles)
    shuffled = list(mentions)
    random.Random(seed).shuffle(shuffled)

    def grouping(resolution, ordered):
        return {
            (m.article_id, m.start): key for m, key in zip(ordered, resolution.keys, strict=True)
        }

    assert grouping(resolve_entities(mentions), mentions) == grouping(
        resolve_entities(shuffled), shuffled
    )


def _graph(labels):
    G = nx.Graph(window="sentence", articles=2)
    for i, label in enumerate(labels):
        G.add_node(
            f"person:{i}", name=label, type="PERSON", mentions=1, articles=1, aliases=[label, "x"]
        )
    for i in range(len(labels) - 1):
        G.add_edge(
            f"person:{i}",
            f"person:{i + 1}",
            weight=1,
            articles=1,
            evidence=[{"sentence": labels[i], "title": labels[-1], "date": None, "url": None}],
        )
    return G


any_names = st.lists(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20),
    min_size=2,
    max_size=4,
)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(labels=any_names)
def test_outputs_of_arbitrary_names_stay_valid(tmp_path, labels):
    G = _graph(labels)
    for fmt in ("graphml", "gexf"):
        path = tmp_path / f"g.{fmt}"
        export_graph(G, path, format=fmt)
        etree.parse(str(path))  # well-formed XML whatever the names
    export_graph(G, tmp_path / "g.json", format="json")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert [n["name"] for n in data["nodes"]] == labels
    export_graph(G, tmp_path / "csv", format="csv")
    with open(tmp_path / "csv" / "nodes.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert all(_written_as(r["name"], _line_breaks(x)) for r, x in zip(rows, labels, strict=True))


def _line_breaks(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _written_as(cell: str, text: str) -> bool:
    """Whether a CSV cell holds ``text`` as it is, or with the OWASP prefix a text
    starting like a formula gets (see tables.csv_safe); a text that starts with the
    prefix itself ("'=") is written as it is."""
    formula = text[:1] in ("=", "+", "-", "@", "\t", "\r")
    return cell == text or (formula and cell == "'" + text)


@FAST
@given(labels=any_names)
@example(labels=["0", "'="])  # a name that starts with the prefix: not taken for a prefixed one
def test_tables_of_arbitrary_names_round_trip_and_are_terminal_safe(labels):
    rows = [{"name": label} for label in labels]
    parsed = list(csv.reader(io.StringIO(format_rows(rows, ["name"], "csv"))))
    assert len(parsed) == len(labels) + 1
    assert all(
        _written_as(r[0], " ".join(x.split())) for r, x in zip(parsed[1:], labels, strict=True)
    )
    assert json.loads(format_rows(rows, ["name"], "json")) == rows
    table = terminal_safe(format_rows(rows, ["name"], "table"))
    assert not any((ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F for c in table)


_LEGAL_FORMS = sorted(" ".join(parts) for _, parts in prepare_default_terms())


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["Acme", "Ltd", "Co", "&", "Inc.", "plc", ",", "¨", "Acme¨Ltd", "ß", "Ⅷ"])
        | st.sampled_from(_LEGAL_FORMS)
        | st.text(max_size=6),
        max_size=5,
    ),
    separator=st.sampled_from([" ", "  ", "\u00a0", ", "]),
)
def test_legal_form_shortcut_gives_cleancos_answer(words, separator):
    """The pre-check that skips cleanco's scan never changes what cleanco would say."""
    text = separator.join(words)
    assert _basename(text) == basename(text)
