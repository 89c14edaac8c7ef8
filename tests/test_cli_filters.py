"""Every period and filter option on every reading command, through the CLI, with exact rows.

A six-article corpus written here, whose facts are listed by hand below
(which article names whom, how often two names share a sentence, the
dates), is the oracle: for each set of options the expected graph is worked
out from those facts in a few lines of plain Python, and every command's
output must match it exactly: export (nodes and ties with weights),
centrality (names, article counts, degrees), neighbours (each entity's
neighbours with weight and articles), communities (members), page (its data
block), report (its counts) and path.

The pair Angela Merkel–Emmanuel Macron shares a sentence three times in two
articles (once with Siemens, so that sentence gives each pair half a tie), so
a weight counting articles instead of co-occurrences fails here; the dates
sit on the edges of periods (31 December, 1 January, an undated article) so
an exclusive ``--since`` or an ``--until 2021`` that stops before the end of
2021 fails too.
"""

from __future__ import annotations

import json
import re
from itertools import combinations

import pytest
from click.testing import CliRunner
from conftest import write_jsonl

from graphkit.cli import cli

CORPUS = [
    {
        "id": "a1",
        "date": "2020-12-31",
        "title": "Berlin talks",
        "text": "Angela Merkel met Emmanuel Macron in Berlin on Tuesday. "
        "Later Angela Merkel and Emmanuel Macron visited the Siemens plant.",
    },
    {
        "id": "a2",
        "date": "2021-01-01",
        "title": "Plant visit",
        "text": "Angela Merkel toured the Siemens factory in Munich.",
    },
    {
        "id": "a3",
        "date": "2021-06-15",
        "title": "Paris deal",
        "text": "Emmanuel Macron praised Microsoft for its new office in Paris.",
    },
    {
        "id": "a4",
        "date": "2021-12-31",
        "title": "Hiring",
        "text": "Microsoft hired engineers from Siemens last year.",
    },
    {
        "id": "a5",
        "date": "2022-01-01",
        "title": "New year",
        "text": "Angela Merkel met Emmanuel Macron again in Brussels.",
    },
    {
        "id": "a6",
        "title": "Undated note",
        "text": "Emmanuel Macron criticised Microsoft over taxes.",
    },
]
DATES = {a["id"]: a.get("date") for a in CORPUS}
# The facts, read off the texts above: who is named in which article...
TYPES = {
    "Angela Merkel": "PERSON",
    "Emmanuel Macron": "PERSON",
    "Microsoft": "ORG",
    "Siemens": "ORG",
}
NAMED_IN = {
    "Angela Merkel": {"a1", "a2", "a5"},
    "Emmanuel Macron": {"a1", "a3", "a5", "a6"},
    "Microsoft": {"a3", "a4", "a6"},
    "Siemens": {"a1", "a2", "a4"},
}
# ... and which entities each sentence names (a sentence naming n entities gives
# each of its pairs a weight of 1/(n-1); the raw count is kept as ``cooccurrences``).
SENTENCES = [
    ("a1", {"Angela Merkel", "Emmanuel Macron"}),
    ("a1", {"Angela Merkel", "Emmanuel Macron", "Siemens"}),
    ("a2", {"Angela Merkel", "Siemens"}),
    ("a3", {"Emmanuel Macron", "Microsoft"}),
    ("a4", {"Microsoft", "Siemens"}),
    ("a5", {"Angela Merkel", "Emmanuel Macron"}),
    ("a6", {"Emmanuel Macron", "Microsoft"}),
]


def _in_period(date, since, until, dated_only) -> bool:
    """The documented period rule: inclusive bounds, partial dates as whole periods."""
    if date is None:
        return not dated_only
    return (since is None or date >= since) and (until is None or date[: len(until)] <= until)


def expected_graph(since=None, until=None, dated_only=False, types=None, min_weight=1, min_art=1):
    """(nodes {name: articles}, ties {(a, b): (weight, articles)}) the options should give.

    ``--min-weight`` counts co-occurrences (sentences), not the shared-out weight.
    """
    kept = {a for a, d in DATES.items() if _in_period(d, since, until, dated_only)}
    nodes = {}
    for name, articles in NAMED_IN.items():
        count = len(articles & kept)
        if count and count >= min_art and (types is None or TYPES[name] in types):
            nodes[name] = count
    weight, seen, articles = {}, {}, {}
    for article, names in SENTENCES:
        if article not in kept:
            continue
        for pair in combinations(sorted(names), 2):
            weight[pair] = weight.get(pair, 0) + 1 / (len(names) - 1)
            seen[pair] = seen.get(pair, 0) + 1
            articles.setdefault(pair, set()).add(article)
    ties = {
        pair: (weight[pair], len(articles[pair]))
        for pair in weight
        if seen[pair] >= min_weight and set(pair) <= set(nodes)
    }
    return nodes, ties


CASES = {
    "everything": ([], {}),
    "since an exact day includes it": (["--since", "2021-01-01"], {"since": "2021-01-01"}),
    "since the next day leaves it out": (["--since", "2021-01-02"], {"since": "2021-01-02"}),
    "since a month": (["--since", "2021-07"], {"since": "2021-07"}),
    "since a year": (["--since", "2022"], {"since": "2022"}),
    "until a year includes all of it": (["--until", "2021"], {"until": "2021"}),
    "until a month includes all of it": (["--until", "2021-06"], {"until": "2021-06"}),
    "until an exact day includes it": (["--until", "2020-12-31"], {"until": "2020-12-31"}),
    "dated only": (["--dated-only"], {"dated_only": True}),
    "one year, dated only": (
        ["--since", "2021", "--until", "2021", "--dated-only"],
        {"since": "2021", "until": "2021", "dated_only": True},
    ),
    "type PERSON": (["--type", "PERSON"], {"types": {"PERSON"}}),
    "type org, lower case": (["--type", "org"], {"types": {"ORG"}}),
    "min weight 2": (["--min-weight", "2"], {"min_weight": 2}),
    "min weight 3": (["--min-weight", "3"], {"min_weight": 3}),
    "min articles 4": (["--min-articles", "4"], {"min_art": 4}),
    "filters and period together": (
        ["--since", "2021-01-01", "--min-weight", "2", "--type", "PERSON,ORG"],
        {"since": "2021-01-01", "min_weight": 2},
    ),
}


def test_the_cases_tell_the_options_apart():
    """Each case expects a graph of its own, so no option can be dropped unnoticed."""
    graphs = {
        repr([sorted(part.items()) for part in expected_graph(**kw)]) for _, kw in CASES.values()
    }
    assert len(graphs) == len(CASES)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("periods")
    corpus = folder / "periods.jsonl"
    write_jsonl(corpus, CORPUS)
    path = folder / "periods.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "build", str(corpus)])
    assert result.exit_code == 0, result.output
    return path


def run(db, *args) -> str:
    result = CliRunner().invoke(cli, ["--db", str(db), *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_store_holds_the_facts(db):
    """The model found exactly the names the oracle lists (else every case below is moot)."""
    rows = json.loads(run(db, "entities", "--format", "json"))
    assert {r["name"]: (r["type"], r["articles"]) for r in rows} == {
        name: (TYPES[name], len(articles)) for name, articles in NAMED_IN.items()
    }


@pytest.mark.parametrize("case", CASES)
def test_export(db, case, tmp_path):
    options, kw = CASES[case]
    nodes, ties = expected_graph(**kw)
    out = tmp_path / "g.json"
    run(db, "export", "--format", "json", "--no-measures", "-o", out, *options)
    data = json.loads(out.read_text(encoding="utf-8"))
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert {n["name"]: n["articles"] for n in data["nodes"]} == nodes
    assert {
        tuple(sorted((names[e["source"]], names[e["target"]]))): (e["weight"], e["articles"])
        for e in data["edges"]
    } == ties


@pytest.mark.parametrize("case", CASES)
def test_centrality(db, case):
    """--type picks the rows; the measures stay those of the whole (period's) graph."""
    options, kw = CASES[case]
    types = kw.get("types")
    nodes, ties = expected_graph(**{k: v for k, v in kw.items() if k != "types"})
    rows = json.loads(run(db, "centrality", "--format", "json", *options))["rows"]
    degree = {n: sum(n in pair for pair in ties) for n in nodes}
    weighted = {n: sum(w for pair, (w, _) in ties.items() if n in pair) for n in nodes}
    assert {r["name"]: (r["articles"], r["degree"], r["weighted_degree"]) for r in rows} == {
        n: (nodes[n], degree[n], weighted[n]) for n in nodes if types is None or TYPES[n] in types
    }


@pytest.mark.parametrize("case", CASES)
def test_neighbours(db, case):
    options, kw = CASES[case]
    nodes, ties = expected_graph(**kw)
    for name in nodes:
        rows = json.loads(run(db, "neighbours", name, "--format", "json", *options))
        expected = {(b if a == name else a): tie for (a, b), tie in ties.items() if name in (a, b)}
        assert {r["name"]: (r["weight"], r["articles"]) for r in rows} == expected, name


@pytest.mark.parametrize("case", CASES)
def test_communities(db, case):
    options, kw = CASES[case]
    nodes, _ = expected_graph(**kw)
    found = json.loads(run(db, "communities", "--min-size", "1", "--format", "json", *options))
    members = [m for community in found for m in community["members"]]
    assert sorted(members) == sorted(nodes)


@pytest.mark.parametrize("case", CASES)
def test_page(db, case, tmp_path):
    options, kw = CASES[case]
    nodes, ties = expected_graph(**kw)
    out = tmp_path / "page.html"
    run(db, "page", "-o", out, *options)
    block = re.search(
        r'<script type="application/json" id="graphkit-data">(.*?)</script>',
        out.read_text(encoding="utf-8"),
        re.S,
    )
    data = json.loads(block.group(1))
    names = [n["name"] for n in data["nodes"]]
    assert {n["name"]: n["articles"] for n in data["nodes"]} == nodes
    assert {
        tuple(sorted((names[u], names[v]))): tuple(data["ties"][t][:2]) for u, v, t in data["edges"]
    } == ties


@pytest.mark.parametrize("case", CASES)
def test_report(db, case):
    options, kw = CASES[case]
    nodes, ties = expected_graph(**kw)
    period = {k: kw[k] for k in ("since", "until", "dated_only") if k in kw}
    articles = sum(
        _in_period(d, **{"since": None, "until": None, "dated_only": False, **period})
        for d in DATES.values()
    )
    text = run(db, "report", "-o", "-", *options)
    counts = re.search(
        r"^(\d+) articles .* The graph shows (\d+) entities and (\d+) ties", text, re.M
    )
    assert counts, text[:300]
    assert tuple(map(int, counts.groups())) == (articles, len(nodes), len(ties))


def test_path_follows_the_filters(db):
    """Microsoft–Siemens is one weak tie; --min-weight 2 forces the way round by the people."""

    def hops(*options):
        rows = json.loads(run(db, "path", "Microsoft", "Siemens", "--format", "json", *options))
        return [(r["from"], r["to"], r["weight"], r["articles"]) for r in rows]

    assert hops("--type", "ORG") == [("Microsoft", "Siemens", 1, 1)]
    assert hops("--min-weight", "2") == [
        ("Microsoft", "Emmanuel Macron", 2, 2),
        ("Emmanuel Macron", "Angela Merkel", 2.5, 2),
        ("Angela Merkel", "Siemens", 1.5, 2),
    ]
    # Before 2021 Microsoft is named only in the undated article; with --dated-only it is gone.
    result = CliRunner().invoke(
        cli, ["--db", str(db), "path", "Microsoft", "Siemens", "--until", "2020", "--dated-only"]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Microsoft" in result.output


def test_entities_type_filter(db):
    rows = json.loads(run(db, "entities", "--type", "ORG", "--format", "json"))
    assert [r["name"] for r in rows] == ["Microsoft", "Siemens"]
    rows = json.loads(
        run(db, "entities", "--type", "person", "--search", "macron", "--format", "json")
    )
    assert [r["name"] for r in rows] == ["Emmanuel Macron"]
