"""Store faults and concurrency (issue 11): items 1-3, 12, 14-17, 20-24 and schema migrations.

Each test is a case of the README's "What graphkit does with bad input". Kills and
interrupts use real subprocesses where the behaviour depends on them, bounded in time.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphkit
from graphkit import pipeline, relink, store
from graphkit.cli import cli
from graphkit.errors import StoreError
from graphkit.models import Article, Mention, Sentence

GRAPHKIT = [sys.executable, "-m", "graphkit"]


def run(db, *args, input=None):
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=input)


def _fake_article(article_id: str, name: str):
    text = f"{name} met Zed Quorin."
    return (
        Article(id=article_id, title="t", text=text, source="s"),
        article_id,
        [Sentence(article_id, 0, 0, len(text), 0)],
        [
            Mention(article_id, 0, 0, len(name), name, "PERSON"),
            Mention(article_id, 0, len(name) + 5, len(text) - 1, "Zed Quorin", "PERSON"),
        ],
        [],
    )


def _entity_names(db) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {row[0] for row in connection.execute("SELECT name FROM entities")}


def _consistent(db) -> bool:
    """The store either says it needs re-linking or its entities match a fresh resolution."""
    with store.open_store(db) as s:
        if s.needs_resolution():
            return True
        stored = _entity_names(db)
        relink.link(s)
        return stored == _entity_names(db)


# -- item 1: a re-link racing a build's commit ------------------------------------
def test_relink_holds_the_write_lock_so_a_concurrent_commit_is_not_lost(small_db, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_LOCK_TIMEOUT", "5")
    real = relink.resolve.rule_groups
    writer_done = threading.Event()

    def commit_from_another_build():
        with store.open_store(small_db) as other:
            other.save_extractions(
                [_fake_article("late", "Yara Vennick")], extraction="x", settings={}
            )
        writer_done.set()

    def resolve_slowly(*args, **kwargs):
        thread = threading.Thread(target=commit_from_another_build)
        thread.start()
        thread.join(0.5)  # the other build tries to commit while we resolve
        return real(*args, **kwargs)

    monkeypatch.setattr(relink.resolve, "rule_groups", resolve_slowly)
    with store.open_store(small_db) as s:
        relink.link(s)
    assert writer_done.wait(10)
    monkeypatch.setattr(relink.resolve, "rule_groups", real)
    assert _consistent(small_db)
    with store.open_store(small_db) as s:
        relink.link(s)
    assert "Yara Vennick" in _entity_names(small_db)


# -- item 2: settings committed together with the re-link -------------------------
def test_interrupted_window_change_is_finished_by_the_next_build(
    small_db, articles_dir, monkeypatch
):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "link", interrupted)
    with pytest.raises(KeyboardInterrupt):
        graphkit.build([articles_dir], db=small_db, window="article")
    monkeypatch.undo()
    with store.open_store(small_db) as s:
        assert s.needs_resolution()
    graphkit.build([articles_dir], db=small_db)
    with store.open_store(small_db) as s:
        assert not s.needs_resolution()
        assert s.settings["window"] == "article"


# -- item 3: read commands never show stale entities in silence --------------------
def test_read_commands_relink_a_half_built_store(small_db):
    with store.open_store(small_db) as s:
        s.save_extractions([_fake_article("new", "Yara Vennick")], extraction="x", settings={})
    result = run(small_db, "entities", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert "Yara Vennick" in result.stdout
    assert "out of date" in result.stderr


def test_an_input_error_after_the_first_batch_leaves_a_linked_store(tmp_path, articles_dir):
    closed = __import__("io").StringIO()
    closed.close()
    db = tmp_path / "s.db"
    with pytest.raises(graphkit.GraphkitError, match="standard input is closed"):
        graphkit.build([articles_dir, "-"], db=db, stdin=closed, batch_size=1)
    with store.open_store(db) as s:
        assert s.counts()["articles"] >= 1
        assert not s.needs_resolution()
        assert s.counts()["entities"] > 0


def _corpus(tmp_path, copies: int) -> Path:
    rows = [json.loads(line) for line in graphkit.SAMPLE_CORPUS.read_text().splitlines()]
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(copies):
            row = dict(rows[i % len(rows)], id=f"c{i}")
            row["text"] += f" Copy {i} was filed by Orla Quenby{i}."
            fh.write(json.dumps(row) + "\n")
    return path


def _wait_for_articles(db: Path, process, deadline: float = 90) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        assert process.poll() is None, process.communicate()
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as c:
                if c.execute("SELECT COUNT(*) FROM articles").fetchone()[0] > 0:
                    return
        except sqlite3.Error:
            pass
        time.sleep(0.1)
    raise AssertionError("the build stored nothing in time")


def test_sigkill_mid_build_then_read_and_resume(tmp_path):
    corpus, db = _corpus(tmp_path, 300), tmp_path / "k.db"
    process = subprocess.Popen(
        [*GRAPHKIT, "--db", str(db), "build", str(corpus), "--batch-size", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _wait_for_articles(db, process)
    process.kill()
    process.wait(10)
    entities = subprocess.run(
        [*GRAPHKIT, "--db", str(db), "entities", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert entities.returncode == 0, entities.stderr
    assert json.loads(entities.stdout)  # not an empty list while articles are stored
    resumed = subprocess.run(
        [*GRAPHKIT, "--db", str(db), "build", str(corpus), "--batch-size", "64"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    with store.open_store(db) as s:
        assert s.counts()["articles"] == 300 and not s.needs_resolution()


# -- item 12: changing --types re-extracts the whole store ----------------------------
def test_changing_types_re_extracts_stored_articles(small_db, articles_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("Title\n\nOrla Quenby visited Paris.\n", encoding="utf-8")
    summary = graphkit.build([other], db=small_db, types=["PERSON"])
    assert summary.reextracted == 2
    assert any("re-extracting 2 stored article(s)" in w for w in summary.warnings)
    with sqlite3.connect(small_db) as c:
        labels = {row[0] for row in c.execute("SELECT DISTINCT label FROM mentions")}
        kinds = {row[0] for row in c.execute("SELECT DISTINCT extraction FROM articles")}
    assert labels == {"PERSON"} and len(kinds) == 1


# -- item 14: the same store gives the same files ----------------------------------
def test_exports_are_byte_identical(sample_db, tmp_path):
    for i in (1, 2, 3):
        result = run(sample_db, "export", "-o", str(tmp_path / f"g{i}.json"), "--format", "json")
        assert result.exit_code == 0, result.output
    files = {(tmp_path / f"g{i}.json").read_bytes() for i in (1, 2, 3)}
    assert len(files) == 1


# -- item 15: a locked store -------------------------------------------------------
@pytest.mark.parametrize("lock", ["IMMEDIATE", "EXCLUSIVE"])
def test_locked_store_waits_then_says_in_use(sample_db_copy, monkeypatch, lock):
    monkeypatch.setenv("GRAPHKIT_LOCK_TIMEOUT", "0.3")
    holder = sqlite3.connect(sample_db_copy, isolation_level=None)
    holder.execute(f"BEGIN {lock}")
    if lock == "EXCLUSIVE":
        holder.execute("UPDATE meta SET value = value WHERE key = 'app'")
    try:
        command = ["info"] if lock == "EXCLUSIVE" else ["rename", "Mu Changchun", "Mu C."]
        started = time.monotonic()
        result = run(sample_db_copy, *command)
        assert time.monotonic() - started >= 0.3
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert "the store is in use by another graphkit process" in result.output
    assert "Traceback" not in result.output


# -- item 16: a damaged store --------------------------------------------------------
def _damage(db: Path, how: str) -> None:
    if how == "truncated":
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 3])
    elif how == "corrupted page":
        with sqlite3.connect(db) as c:
            size = c.execute("PRAGMA page_size").fetchone()[0]
            root = c.execute("SELECT rootpage FROM sqlite_master WHERE name='mentions'").fetchone()
        data = bytearray(db.read_bytes())
        start = (root[0] - 1) * size
        data[start : start + size // 2] = bytes(range(256)) * (size // 512)
        db.write_bytes(bytes(data))
    elif how == "dropped table":
        with sqlite3.connect(db) as c:
            c.execute("DROP TABLE mentions")
    elif how == "bad json":
        with sqlite3.connect(db) as c:
            c.execute("UPDATE entities SET aliases = '{oops'")


@pytest.mark.parametrize("how", ["truncated", "corrupted page", "dropped table", "bad json"])
def test_damaged_store_is_named_damaged_and_never_written(sample_db_copy, articles_dir, how):
    _damage(sample_db_copy, how)
    for command in (["entities"], ["build", str(articles_dir)], ["rename", "a", "b"]):
        before = sample_db_copy.read_bytes()
        result = run(sample_db_copy, *command)
        assert result.exit_code == 1, (command, result.output)
        assert "damaged" in result.output and "restore a copy or rebuild" in result.output, (
            command,
            result.output,
        )
        assert "Traceback" not in result.output
        assert sample_db_copy.read_bytes() == before


def test_unclean_shutdown_marker_triggers_an_integrity_check(sample_db_copy, monkeypatch):
    checked = []
    monkeypatch.setattr(store, "check_integrity", lambda s: checked.append(s.path))
    monkeypatch.setattr(store, "CHECK_ON_READ_BYTES", 0)  # as for a big store
    store.open_store(sample_db_copy).close()
    assert checked == []
    with sqlite3.connect(sample_db_copy) as c:
        c.execute("INSERT OR REPLACE INTO meta VALUES ('writing', '1')")
    store.open_store(sample_db_copy).close()
    assert checked == [sample_db_copy]


# -- item 17: read-only store, full disk -------------------------------------------
def _connect_with(monkeypatch, **how):
    real = sqlite3.connect

    def connect(path, *args, **kwargs):
        if how.get("readonly"):
            connection = real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)
        else:
            connection = real(path, *args, **kwargs)
        if how.get("pages"):
            count = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {count}")
        return connection

    monkeypatch.setattr(store.sqlite3, "connect", connect)


def test_read_only_store_reads_and_refuses_writes_in_one_line(sample_db_copy, monkeypatch):
    _connect_with(monkeypatch, readonly=True)
    before = sample_db_copy.read_bytes()
    assert run(sample_db_copy, "centrality", "--top", "3").exit_code == 0
    result = run(sample_db_copy, "rename", "Mu Changchun", "Mu C.")
    assert result.exit_code == 1
    assert "read-only; nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert sample_db_copy.read_bytes() == before


def test_full_disk_is_one_line_and_the_store_stays_intact(
    sample_db_copy, articles_dir, monkeypatch
):
    with sqlite3.connect(sample_db_copy) as c:
        c.execute("VACUUM")  # no free page left: any new row needs the disk to grow
    _connect_with(monkeypatch, pages=True)
    before = sample_db_copy.read_bytes()
    result = run(sample_db_copy, "build", str(articles_dir))
    assert result.exit_code == 1, result.output
    assert "the disk is full; nothing was changed" in result.output
    monkeypatch.undo()
    with store.open_store(sample_db_copy) as s:
        assert s.counts()["articles"] == 34
    assert len(sample_db_copy.read_bytes()) == len(before)


# -- item 21: foreign files, bad versions, huge ids, bad numbers ----------------------
def test_another_applications_sqlite_file_is_not_a_store(tmp_path):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE meta (k TEXT, v TEXT)")
    result = run(db, "info")
    assert result.exit_code == 1 and "not a graphkit store" in result.output


@pytest.mark.parametrize("version", ["2.0", "abc", "0"])
def test_unreadable_schema_version_is_named(sample_db_copy, version):
    with sqlite3.connect(sample_db_copy) as c:
        c.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    result = run(sample_db_copy, "info")
    assert result.exit_code == 1
    assert f"schema version '{version}'" in result.output


def test_newer_schema_is_refused_by_name(sample_db_copy):
    with sqlite3.connect(sample_db_copy) as c:
        c.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    result = run(sample_db_copy, "info")
    assert result.exit_code == 1
    assert "written by a newer graphkit (schema 99" in result.output


def test_huge_undo_id_and_bad_resolutions_are_usage_errors(sample_db):
    result = run(sample_db, "undo", "99999999999999999999999")
    assert result.exit_code == 2 and "Traceback" not in result.output
    for value in ("-1", "0", "nan", "inf"):
        result = run(sample_db, "communities", "--resolution", value)
        assert result.exit_code == 2, value
        assert "must be a finite number above 0" in result.output


# -- item 22: misleading messages (the store side) ------------------------------------
def test_unknown_type_is_an_error_listing_known_ones(sample_db):
    for command in ("centrality", "entities", "communities"):
        result = run(sample_db, command, "--type", "PERSN")
        assert result.exit_code == 1, command
        assert "unknown entity type 'PERSN'; known types: ORG, PERSON" in result.output


def test_db_after_the_command_is_explained(tmp_path, articles_dir):
    result = CliRunner().invoke(cli, ["build", str(articles_dir), "--db", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "--db goes before the command" in result.output


def test_a_failed_first_build_leaves_no_store_file(tmp_path, articles_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise graphkit.GraphkitError("boom")

    monkeypatch.setattr(pipeline, "extract_batches", broken)
    db = tmp_path / "new.db"
    with pytest.raises(graphkit.GraphkitError):
        graphkit.build([articles_dir], db=db)
    assert not db.exists()


# -- item 23: CSV cells neutralised ------------------------------------------------------
def test_csv_outputs_neutralise_formulas(sample_db_copy, tmp_path):
    run(sample_db_copy, "rename", "Mu Changchun", "=HYPERLINK(1)")
    result = run(sample_db_copy, "entities", "--format", "csv")
    assert "'=HYPERLINK(1)" in result.stdout
    assert "\n=HYPERLINK" not in result.stdout
    for fmt in ("csv", "neo4j"):
        out = tmp_path / fmt
        assert run(sample_db_copy, "export", "-o", str(out), "--format", fmt).exit_code == 0
        text = (out / "nodes.csv").read_text(encoding="utf-8")
        assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


# -- item 24: control characters never reach a terminal, nor a stored name --------------
def test_control_characters_are_escaped_in_output_and_stripped_from_names(sample_db_copy):
    result = run(sample_db_copy, "rename", "Mu Changchun", "Mu\x1b[2J\x1b]0;pwned\x07 Changchun")
    assert result.exit_code == 0
    assert "\x1b" not in result.output and "\\x1b" in result.output
    assert "Mu [2J ]0;pwned Changchun" in _entity_names(sample_db_copy)
    listed = run(sample_db_copy, "entities")
    assert "\x1b" not in listed.output and "\x07" not in listed.output


# -- item 20: Ctrl-C with several workers -------------------------------------------------
@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_exits_130_promptly_for_any_worker_count(tmp_path, workers):
    corpus, db = _corpus(tmp_path, 400), tmp_path / "i.db"
    options = ["--workers", str(workers), "--batch-size", "4"]
    process = subprocess.Popen(
        [*GRAPHKIT, "--db", str(db), "build", str(corpus), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _wait_for_articles(db, process, deadline=120)
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert b"Interrupted; what was stored so far is kept" in err
    assert b"Traceback" not in err


# -- schema migrations ---------------------------------------------------------------------
def test_previous_schema_is_upgraded_in_place_with_a_backup(sample_db_copy, monkeypatch):
    def add_notes(connection):
        connection.execute("CREATE TABLE notes (text TEXT)")

    old = store.SCHEMA_VERSION  # the sample store is at the current version: one more step
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, ("add a notes table", add_notes)])
    monkeypatch.setattr(store, "SCHEMA_VERSION", old + 1)
    lines = []
    monkeypatch.setattr(store, "notify", lines.append)
    before = sample_db_copy.read_bytes()
    with store.open_store(sample_db_copy) as s:
        assert s.get_meta("schema_version") == str(old + 1)
        s.query("SELECT * FROM notes").fetchall()
    backup = sample_db_copy.with_name(f"sample.db.schema{old}.bak")
    assert backup.read_bytes() == before
    assert lines == [
        f"upgraded store {sample_db_copy} from schema {old} to {old + 1} (add a notes table); "
        f"a copy of the old store is at {backup}"
    ]
    store.open_store(sample_db_copy).close()  # once only
    assert len(lines) == 1


def test_a_failed_migration_leaves_the_store_unchanged(sample_db_copy, monkeypatch):
    def broken(connection):
        connection.execute("CREATE TABLE notes (text TEXT)")
        raise sqlite3.OperationalError("boom")

    old = store.SCHEMA_VERSION
    monkeypatch.setattr(store, "MIGRATIONS", [*store.MIGRATIONS, ("broken", broken)])
    monkeypatch.setattr(store, "SCHEMA_VERSION", old + 1)
    with pytest.raises(StoreError, match=f"could not upgrade the store to schema {old + 1}"):
        store.open_store(sample_db_copy)
    with sqlite3.connect(sample_db_copy) as c:
        version = c.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0]
        assert version == str(old)
        assert not c.execute("SELECT 1 FROM sqlite_master WHERE name = 'notes'").fetchone()


# -- concurrency: two commands on one store at once ------------------------------------------
def _people_folder(folder: Path, people: list[str]) -> str:
    folder.mkdir()
    for i, name in enumerate(people):
        (folder / f"{i}.txt").write_text(
            f"Story {i}\n\n{name} met Mu Changchun at the Digital Currency Institute on Monday,"
            f" {name} said.\n",
            encoding="utf-8",
        )
    return str(folder)


@pytest.mark.parametrize("second", ["rename", "build"])
def test_two_commands_at_once_succeed_consistently_or_say_in_use(sample_db_copy, tmp_path, second):
    folder = _people_folder(tmp_path / "more", ["Orla Quenby", "Ivo Brandt", "Mira Castell"])
    reference = tmp_path / "reference.db"
    shutil.copy(sample_db_copy, reference)
    env = dict(os.environ, GRAPHKIT_LOCK_TIMEOUT="60")
    commands = [["build", folder, "--batch-size", "1"]]
    if second == "rename":
        commands.append(["rename", "Mu Changchun", "Mu C."])
    else:
        other = _people_folder(tmp_path / "other", ["Pavel Orsk", "Lena Vasquez"])
        commands.append(["build", other, "--batch-size", "1"])
    for command in commands:  # one after the other: what the concurrent run must equal
        subprocess.run([*GRAPHKIT, "--db", str(reference), *command], env=env, check=True)
    base = [*GRAPHKIT, "--db", str(sample_db_copy)]
    processes = [
        subprocess.Popen([*base, *command], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for command in commands
    ]
    results = [(p.wait(240), p.communicate()[1].decode()) for p in processes]
    for code, err in results:
        assert code == 0 or (code == 1 and "in use by another graphkit process" in err), err
    assert _consistent(sample_db_copy)
    if all(code == 0 for code, _ in results):
        assert _entity_names(sample_db_copy) == _entity_names(reference)


def test_an_entity_hidden_by_a_filter_is_not_called_unknown(sample_db):
    result = run(sample_db, "neighbours", "Mu Changchun", "--type", "ORG", "--top", "3")
    assert result.exit_code == 1
    assert "'Mu Changchun' is in the store but the filters (--type ORG, --top 3) leave it out" in (
        result.output
    )
    assert "no entity named 'Nobody Here'" in run(sample_db, "neighbours", "Nobody Here").output


def test_a_read_during_a_running_build_says_so_instead_of_relinking(small_db):
    with store.open_store(small_db) as s:
        s.save_extractions([_fake_article("new", "Yara Vennick")], extraction="x", settings={})
    helper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with sqlite3.connect(small_db) as c:  # as a build in that process would mark it
            c.execute("INSERT OR REPLACE INTO meta VALUES ('writing', ?)", (str(helper.pid),))
        result = run(small_db, "entities", "--format", "csv")
    finally:
        helper.kill()
        helper.wait()
    assert result.exit_code == 0
    assert f"a build (process {helper.pid}) is adding articles" in result.stderr
    assert "Yara Vennick" not in result.stdout
    assert "Yara Vennick" in run(small_db, "entities", "--format", "csv").stdout  # it died
