"""Commands and options that had no CLI test: curation by name, build's inputs and settings,
duplicates, interrupts, the HTML report. Exact outputs and exit statuses.

The small store of ``conftest.articles_dir`` has five entities: Alice Moreau
(with the alias Moreau), Tomas Berg, Nordpay, Bank of Lorraine, Acme Holdings.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphkit
from graphkit import pipeline
from graphkit.cli import cli

SMALL_ENTITIES = {
    "Alice Moreau": ("PERSON", 2, 1),
    "Tomas Berg": ("PERSON", 2, 2),
    "Nordpay": ("ORG", 3, 2),  # the headline mention is found by the recall pass
    "Bank of Lorraine": ("ORG", 2, 2),
    "Acme Holdings": ("ORG", 1, 1),
}


def run(db, *args, input=None, code=0):
    result = CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], input=input)
    assert result.exit_code == code, result.output
    return result


def entities(db) -> dict:
    rows = json.loads(run(db, "entities", "--format", "json").stdout)
    return {r["name"]: (r["type"], r["mentions"], r["articles"]) for r in rows}


def test_the_small_store(small_db):
    assert entities(small_db) == SMALL_ENTITIES


# --- curation, each command by name --------------------------------------------------------


def test_merge_unmerge_and_undo_by_name(small_db):
    out = run(small_db, "merge", "Tomas Berg", "Nordpay").stdout
    assert out == (
        "merged 'Nordpay' (3 mentions) into 'Tomas Berg'\n"
        "'Tomas Berg' now has 5 mentions in 2 articles\n"
        "decision 1 recorded; undo it with 'graphkit undo 1'\n"
    )
    merged = entities(small_db)
    assert "Nordpay" not in merged
    assert merged["Tomas Berg"][1:] == (5, 2)  # 2 + 3 mentions, in the same 2 articles
    rows = json.loads(run(small_db, "entities", "--search", "nordpay", "--format", "json").stdout)
    assert [(r["name"], r["aliases"]) for r in rows] == [("Tomas Berg", ["Nordpay"])]

    run(small_db, "unmerge", "Nordpay")
    assert entities(small_db) == SMALL_ENTITIES
    decisions = json.loads(run(small_db, "decisions", "--format", "json").stdout)
    assert [{k: d[k] for k in ("id", "action", "names", "active")} for d in decisions] == [
        {"id": 1, "action": "merge", "names": ["Tomas Berg", "Nordpay"], "active": True},
        {"id": 2, "action": "unmerge", "names": ["Nordpay"], "active": True},
    ]
    assert decisions[0]["keys"] == ["person:tomas-berg", "org:nordpay"]

    assert run(small_db, "undo", "2").stdout == "undone: decision 2\n"
    assert "Nordpay" not in entities(small_db)
    assert run(small_db, "undo", "1").stdout == "undone: decision 1\n"
    assert entities(small_db) == SMALL_ENTITIES
    assert json.loads(run(small_db, "decisions", "--format", "json").stdout) == []
    everything = json.loads(run(small_db, "decisions", "--all", "--format", "json").stdout)
    assert [(d["id"], d["active"]) for d in everything] == [(1, False), (2, False)]
    assert run(small_db, "undo", "1", "--redo").stdout == "redone: decision 1\n"
    assert "Nordpay" not in entities(small_db)


def test_rename_and_drop_by_name(small_db):
    run(small_db, "rename", "Bank of Lorraine", "Banque de Lorraine")
    run(small_db, "drop", "Acme Holdings")
    expected = dict(SMALL_ENTITIES)
    expected["Banque de Lorraine"] = expected.pop("Bank of Lorraine")
    del expected["Acme Holdings"]
    assert entities(small_db) == expected
    info = json.loads(run(small_db, "info", "--format", "json").stdout)
    assert info["overrides"] == 2
    neighbours = json.loads(run(small_db, "neighbours", "Alice Moreau", "--format", "json").stdout)
    assert sorted(r["name"] for r in neighbours) == ["Banque de Lorraine", "Nordpay", "Tomas Berg"]


def test_decision_errors_are_one_line(small_db):
    result = run(small_db, "merge", "Tomas Berg", "Nobody Known", code=1)
    assert result.output.startswith("Error: no entity named 'Nobody Known'")
    assert result.output.count("\n") == 1
    result = run(small_db, "undo", "99", code=1)
    assert result.output == (
        "Error: no decision with id 99; run 'graphkit decisions' to list them\n"
    )
    assert json.loads(run(small_db, "decisions", "--all", "--format", "json").stdout) == []


def test_aliases_export_and_import_between_stores(small_db, articles_dir, tmp_path):
    run(small_db, "merge", "Tomas Berg", "Nordpay")
    run(small_db, "drop", "Acme Holdings")
    out = tmp_path / "aliases.csv"
    assert run(small_db, "aliases", "export", out).stdout == f"wrote 2 decision(s) to {out}\n"
    assert out.read_text(encoding="utf-8").splitlines()[2:] == [
        "action,names",
        "merge,Tomas Berg,Nordpay",
        "drop,Acme Holdings",
    ]
    other = tmp_path / "other.db"
    run(other, "build", articles_dir)
    assert run(other, "aliases", "import", out).stdout == f"imported 2 decision(s) from {out}\n"
    assert entities(other) == entities(small_db)
    assert set(entities(other)) == {"Alice Moreau", "Tomas Berg", "Bank of Lorraine"}


def test_aliases_export_leaves_out_undone_decisions(small_db, tmp_path):
    run(small_db, "merge", "Tomas Berg", "Nordpay")
    run(small_db, "drop", "Acme Holdings")
    run(small_db, "undo", "1")
    out = tmp_path / "aliases.csv"
    assert run(small_db, "aliases", "export", out).stdout == f"wrote 1 decision(s) to {out}\n"
    assert out.read_text(encoding="utf-8").splitlines()[2:] == [
        "action,names",
        "drop,Acme Holdings",
    ]


def test_aliases_export_to_standard_output(small_db):
    run(small_db, "rename", "Nordpay", "NordPay AB")
    result = run(small_db, "aliases", "export", "-")
    assert result.stdout.splitlines()[2:] == ["action,names", "rename,Nordpay,NordPay AB"]
    assert result.stderr == "wrote 1 decision(s) to -\n"


def test_entities_explain(small_db):
    found = json.loads(run(small_db, "entities", "--explain", "Moreau", "--format", "json").stdout)
    assert (found["name"], found["aliases"], found["mentions"]) == ("Alice Moreau", ["Moreau"], 2)
    assert found["explanations"] == [
        {
            "surface": "Moreau",
            "rule": "short name of a name in the same article",
            "target": "Alice Moreau",
            "count": 1,
        }
    ]
    table = run(small_db, "entities", "--explain", "Alice Moreau").stdout.splitlines()
    assert table[0] == "Alice Moreau (PERSON, 2 mentions in 1 articles)"
    rule = "short name of a name in the same article"
    assert table[3].split() == ["Moreau", *rule.split(), "Alice", "Moreau", "1"]


# --- build: inputs, settings, duplicates ----------------------------------------------------

ARTICLES = [
    {"id": "n1", "title": "One", "body": "Alice Moreau met Tomas Berg of Nordpay in Paris."},
    {"id": "n2", "title": "Two", "body": "Tomas Berg said Nordpay hired staff from Acme Holdings."},
]


def _jsonl(field="body") -> str:
    return "".join(
        json.dumps({"id": a["id"], "title": a["title"], field: a["body"]}) + "\n" for a in ARTICLES
    )


def test_build_from_standard_input_with_a_text_field(tmp_path):
    db = tmp_path / "g.db"
    result = run(db, "build", "-", "--text-field", "body", input=_jsonl())
    assert result.stdout.splitlines()[0] == (
        "articles: 2 new, 0 changed, 0 unchanged, 0 duplicate, 0 file(s) skipped"
    )
    assert set(entities(db)) == {"Alice Moreau", "Tomas Berg", "Nordpay", "Acme Holdings"}


def test_build_without_the_text_field_reads_nothing(tmp_path):
    db = tmp_path / "g.db"
    result = run(db, "build", "-", input=_jsonl(), code=1)
    assert result.output.startswith("Error: ")
    assert not db.exists()


def test_two_workers_store_what_one_worker_stores(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_text(_jsonl("text"), encoding="utf-8")
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    run(one, "build", folder)
    run(two, "build", folder, "--workers", "2", "--batch-size", "1")

    def mentions(db):
        with sqlite3.connect(db) as conn:
            return sorted(conn.execute("SELECT article_id, start, end, text FROM mentions"))

    assert mentions(two) == mentions(one)
    assert entities(two) == entities(one)


def test_changed_types_re_extract(articles_dir, tmp_path):
    db = tmp_path / "g.db"
    run(db, "build", articles_dir, "--types", "PERSON")
    assert set(entities(db)) == {"Alice Moreau", "Tomas Berg"}
    result = run(db, "--quiet", "build", articles_dir)
    assert result.stdout.splitlines()[0] == (
        "articles: 0 new, 2 changed, 0 unchanged, 0 duplicate, 0 file(s) skipped"
    )
    assert result.stderr == (
        "Warning: extraction settings changed (entity types PERSON -> PERSON,ORG):"
        " re-extracting 2 stored article(s) so the whole store uses them\n"
    )
    assert entities(db) == SMALL_ENTITIES
    assert json.loads(run(db, "info", "--format", "json").stdout)["types"] == ["PERSON", "ORG"]


def test_changed_model_re_extracts(articles_dir, tmp_path):
    """The same pipeline named by its path is another --model setting: everything re-extracted."""
    import spacy

    db = tmp_path / "g.db"
    run(db, "build", articles_dir)
    path = Path(spacy.load(graphkit.ingest.extract.DEFAULT_MODEL).path)
    result = run(db, "build", articles_dir, "--model", path)
    assert result.stdout.splitlines()[0] == (
        "articles: 0 new, 2 changed, 0 unchanged, 0 duplicate, 0 file(s) skipped"
    )
    assert json.loads(run(db, "info", "--format", "json").stdout)["model"] == str(path)
    assert entities(db) == SMALL_ENTITIES


def test_identical_text_under_a_new_id_is_a_duplicate(small_db, articles_dir, tmp_path):
    before = json.loads(run(small_db, "info", "--format", "json").stdout)
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "again.txt").write_text((articles_dir / "one.txt").read_text(encoding="utf-8"))
    result = run(small_db, "build", copy)
    assert result.stdout.splitlines()[0] == (
        "articles: 0 new, 0 changed, 0 unchanged, 1 duplicate, 0 file(s) skipped"
    )
    after = json.loads(run(small_db, "info", "--format", "json").stdout)
    assert (after["articles"], after["mentions"]) == (before["articles"], before["mentions"])
    assert entities(small_db) == SMALL_ENTITIES


# --- interrupts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [["build", "--sample"], ["centrality"], ["page", "-o", "x.html"], ["merge", "A", "B"]],
    ids=["build", "centrality", "page", "merge"],
)
def test_ctrl_c_exits_130_with_one_line(small_db, monkeypatch, args):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    for target in (
        (pipeline, "build"),
        (graphkit, "load_graph"),
        (graphkit.curation, "record_decision"),
    ):
        monkeypatch.setattr(*target, interrupted)
    result = run(small_db, "--quiet", *args, code=130)
    assert result.output == (
        "Interrupted; what was stored so far is kept. Run the command again to resume.\n"
    )


# Runs graphkit's entry point in a real process whose second batch waits (a slow model).
SLOW_SECOND_BATCH = """
import sys, time
from graphkit.store import Store
save = Store.save_extractions
def slow(self, *args, _calls=[], **kwargs):
    _calls.append(1)
    if len(_calls) > 1:
        time.sleep(600)
    return save(self, *args, **kwargs)
Store.save_extractions = slow
from graphkit.cli import main
sys.argv = ["graphkit", *sys.argv[1:]]
main()
"""


def test_ctrl_c_during_a_real_build_exits_130_and_keeps_what_was_stored(tmp_path):
    """SIGINT to a real build process between two batches: exit 130, the first batch kept."""
    source = tmp_path / "a.jsonl"
    source.write_text(_jsonl("text"), encoding="utf-8")
    db = tmp_path / "g.db"
    command = [sys.executable, "-c", SLOW_SECOND_BATCH, "--db", db, "build", source]
    process = subprocess.Popen(
        [*map(str, command), "--batch-size", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and _stored_articles(db) < 1:
            time.sleep(0.2)
        assert _stored_articles(db) == 1
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130
    assert err.decode().splitlines()[-1] == (
        "Interrupted; what was stored so far is kept. Run the command again to resume."
    )
    assert _stored_articles(db) == 1


def _stored_articles(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


# --- report as HTML -------------------------------------------------------------------------


class _Tables(HTMLParser):
    """The text of every table cell, row by row."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def test_report_as_html(small_db, tmp_path):
    out = tmp_path / "r.html"
    assert run(small_db, "report", "-o", out, "--format", "html").stdout == f"wrote {out}\n"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    parser = _Tables()
    parser.feed(text)
    # The first table ranks by degree (see test_cli.test_export_and_report for the reasoning).
    assert parser.rows[:6] == [
        ["rank", "name", "type", "articles", "degree"],
        ["1", "Alice Moreau", "PERSON", "1", "3"],
        ["2", "Nordpay", "ORG", "2", "3"],
        ["3", "Tomas Berg", "PERSON", "2", "3"],
        ["4", "Acme Holdings", "ORG", "1", "2"],
        ["5", "Bank of Lorraine", "ORG", "2", "1"],
    ]


@pytest.mark.parametrize("period", [[], ["--since", "2000"]])  # by index / from the graph
def test_neighbours_and_path_give_the_evidence_asked_for(sample_db, period):
    rows = json.loads(
        run(
            sample_db, "neighbours", "Eddie Yue", "--evidence", "5", "--format", "json", *period
        ).stdout
    )
    assert rows[0]["name"] == "Hong Kong Monetary Authority" and rows[0]["sentences"] == 18
    assert len(rows[0]["evidence"]) == 5
    (route,) = json.loads(
        run(
            sample_db, "path", "Eddie Yue", "HKMA", "--evidence", "5", "--format", "json", *period
        ).stdout
    )
    assert route["to"] == "Hong Kong Monetary Authority" and len(route["evidence"]) == 5
