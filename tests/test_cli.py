"""The command line: exact messages and exit statuses, run in-process with CliRunner."""

import json
import re
import sqlite3

import click
import pytest
import spacy
from click.testing import CliRunner

import graphkit
from graphkit.cli import cli


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, **kwargs):
        return runner.invoke(cli, [str(a) for a in args], **kwargs)

    return invoke


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"graphkit, version {graphkit.__version__}\n"


def test_help_lists_commands(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in ("build", "info"):
        assert f"  {command} " in result.output


def test_build_then_info(run, articles_dir, tmp_path):
    db = tmp_path / "g.db"
    result = run("--db", db, "build", articles_dir)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "articles: 2 new, 0 changed, 0 unchanged, 0 duplicate, 0 file(s) skipped"
    )
    again = run("--db", db, "build", articles_dir)
    assert again.stdout.splitlines()[0] == (
        "articles: 0 new, 0 changed, 2 unchanged, 0 duplicate, 0 file(s) skipped"
    )
    info = run("--db", db, "info", "--format", "json")
    assert info.exit_code == 0
    assert json.loads(info.output)["articles"] == 2


def test_db_from_environment(run, articles_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_DB", str(tmp_path / "env.db"))
    assert run("build", articles_dir).exit_code == 0
    assert (tmp_path / "env.db").exists()


def _store_snapshot(db):
    with sqlite3.connect(db) as conn:
        return [
            list(conn.execute(f"SELECT * FROM {t} ORDER BY 1"))
            for t in ("articles", "mentions", "entities", "cooccurrences", "meta")
        ]


def _binary_folder(tmp):
    (tmp / "bin").mkdir()
    (tmp / "bin" / "x.txt").write_bytes(b"\0\1")
    return ["build", tmp / "bin"]


def _empty_folder(tmp):
    (tmp / "empty").mkdir()
    return ["build", tmp / "empty"]


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (
            lambda tmp: ["build", tmp / "nowhere"],
            "Error: {tmp}/nowhere: no such file or folder; check the path\n",
        ),
        (
            _empty_folder,
            "Error: {tmp}/empty: the folder is empty; point at a folder of articles\n",
        ),
        (
            _binary_folder,
            "Error: {tmp}/bin: no articles found (skipped 1 file(s) that are not articles: "
            "{tmp}/bin/x.txt (binary)); give .txt, .md, .jsonl, .csv, "
            ".html, feed or .warc files\n",
        ),
        (
            lambda tmp: ["build", tmp / "articles", "--model", "en_core_web_xl"],
            "Error: no spaCy pipeline 'en_core_web_xl' is installed; installed: "
            f"{', '.join(sorted(spacy.util.get_installed_models()))}. Install the pipeline's "
            "package with pip, or pass --model with one of these\n",
        ),
    ],
    ids=["missing-path", "empty-folder", "only-binary", "unknown-model"],
)
def test_bad_input_is_one_line_and_changes_nothing(run, articles_dir, tmp_path, make_args, message):
    db = tmp_path / "g.db"
    run("--db", db, "build", articles_dir)
    before = _store_snapshot(db)
    result = run("--db", db, *make_args(tmp_path))
    assert result.exit_code == 1
    assert result.output == message.format(tmp=tmp_path)
    assert _store_snapshot(db) == before


def test_db_that_is_not_a_store(run, articles_dir, tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = other.read_bytes()
    result = run("--db", other, "build", articles_dir)
    assert result.exit_code == 1
    assert result.output == f"Error: {other}: not a graphkit store; choose another file with --db\n"
    assert other.read_bytes() == before


def test_usage_error_exits_2(run):
    result = run("build")
    assert result.exit_code == 2
    assert "give at least one SOURCE" in result.output


def test_centrality_table_and_json(run, small_db):
    result = run("--db", small_db, "centrality", "--top", "3", "--measure", "degree")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["rank", "name", "type", "articles", "degree"]
    assert [line.split() for line in lines[2:5]] == [
        ["1", "Alice", "Moreau", "PERSON", "1", "3"],  # "Moreau" in the second sentence joins her
        ["2", "Nordpay", "ORG", "2", "3"],
        ["3", "Tomas", "Berg", "PERSON", "2", "3"],
    ]
    assert lines[-1] == "degree: number of distinct entities co-mentioned (exact)"
    as_json = run("--db", small_db, "centrality", "--format", "json")
    assert '"distance": "1/weight"' in as_json.output


def test_neighbours_show_evidence(run, small_db):
    result = run("--db", small_db, "neighbours", "Tomas Berg", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "rank,name,type,weight,sentences,articles,evidence"
    assert "Nordpay,ORG,1,2,2," in result.output  # two 3-entity sentences: 1/2 + 1/2
    assert "[Bank governor meets fintech founder, 2024-03-01]" in result.output
    alias = run("--db", small_db, "neighbors", "tomas berg", "--format", "csv")
    assert alias.output == result.output


def test_unknown_entity_suggests_close_names(run, small_db):
    result = run("--db", small_db, "neighbours", "Tomas Burg")
    assert result.exit_code == 1
    assert result.output == "Error: no entity named 'Tomas Burg'; did you mean 'Tomas Berg'?\n"


def test_page_is_written_and_self_contained(run, small_db, tmp_path):
    out = tmp_path / "page.html"
    result = run("--db", small_db, "page", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {out} (")
    html = out.read_text(encoding="utf-8")
    data = json.loads(
        re.search(r'<script type="application/json" id="graphkit-data">(.*?)</script>', html, re.S)[
            1
        ]
    )
    assert sorted(n["name"] for n in data["nodes"]) == sorted(
        r["name"] for r in json.loads(run("--db", small_db, "entities", "--format", "json").output)
    )
    assert "<script src" not in html
    assert "<link" not in html.replace('<link rel="icon" href="data:,">', "")


def test_reading_commands_need_an_existing_store(run, tmp_path):
    result = run("--db", tmp_path / "none.db", "centrality")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path}/none.db: no graphkit store here; run 'graphkit build SOURCES' first "
        "or pass --db\n"
    )
    assert not (tmp_path / "none.db").exists()


def test_export_and_report(run, small_db, tmp_path):
    result = run("--db", small_db, "export", "--format", "gexf", "-o", tmp_path / "g.gexf")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {tmp_path}/g.gexf\n"
    report = run("--db", small_db, "report", "-o", tmp_path / "r.md")
    assert report.exit_code == 0, report.output
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert text.startswith("# graphkit report")
    # Read off the two articles: Bank of Lorraine shares a sentence with Alice Moreau only;
    # Moreau, Berg and Nordpay share one; Berg, Nordpay and Acme share another.
    lines = text.splitlines()
    start = lines.index("### By degree (distinct entities co-mentioned)")
    assert lines[start + 4 : start + 9] == [
        "| 1 | Alice Moreau | PERSON | 1 | 3 |",
        "| 2 | Nordpay | ORG | 2 | 3 |",
        "| 3 | Tomas Berg | PERSON | 2 | 3 |",
        "| 4 | Acme Holdings | ORG | 1 | 2 |",
        "| 5 | Bank of Lorraine | ORG | 2 | 1 |",
    ]


def test_path_hops_carry_evidence_and_unconnected_is_an_error(run, articles_dir, tmp_path):
    (articles_dir / "three.txt").write_text("Elsewhere\nZeta Corp hired Omar Haddad in Lagos.\n")
    db = tmp_path / "g.db"
    run("--db", db, "build", articles_dir)
    found = run("--db", db, "path", "Acme Holdings", "Bank of Lorraine", "--format", "csv")
    assert found.exit_code == 0, found.output
    hops = found.output.splitlines()[1:]
    assert [h.split(",")[2:4] for h in hops] == [
        ["Acme Holdings", "Nordpay"],
        ["Nordpay", "Alice Moreau"],
        ["Alice Moreau", "Bank of Lorraine"],
    ]
    assert all("[" in h and "]" in h for h in hops)  # each hop has an evidence sentence and title
    missing = run("--db", db, "path", "Zeta Corp", "Nordpay")
    assert missing.exit_code == 1
    assert missing.output.startswith("Error: ")
    assert "Zeta Corp" in missing.output and "Nordpay" in missing.output


def _commands(group, prefix=()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize(
    ("path", "command"),
    list(_commands(cli)),
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else "",
)
def test_every_command_has_help(run, path, command):
    """Real help, as sqlite-utils' test_docs asks: a description, an example, every option."""
    result = run(*path, "--help")
    assert result.exit_code == 0
    summary = command.help.split("Example:")[0]
    assert len(summary.split()) >= 10, f"'{' '.join(path)}' needs a description"
    example = command.help.split("Example:")[1] if "Example:" in command.help else ""
    assert f"graphkit {command.name}" in example or f"{command.name} " in example
    undocumented = [
        p.name for p in command.params if isinstance(p, click.Option) and not (p.help or "").strip()
    ]
    assert undocumented == []
    for p in command.params:
        if isinstance(p, click.Option) and p.name != "help":
            assert p.opts[0] in result.output


def test_top_filter_keeps_the_most_central(run, small_db, tmp_path):
    result = run(
        "--db", small_db, "communities", "--top", "2", "--top-by", "degree", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    members = [m for c in json.loads(result.output) for m in c["members"]]
    assert sorted(members) == ["Alice Moreau", "Nordpay"]  # degree 3 each; ties broken by name
