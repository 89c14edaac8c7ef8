"""Progress on stderr: one line per phase in a log, a bar on a terminal, nothing with --quiet."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.cli.progress import CliProgress
from graphkit.pipeline import build
from graphkit.progress import Progress


class Recorder(Progress):
    """Keeps every call, to check what the library reports."""

    wants_totals = True

    def __init__(self):
        self.calls = []

    def start(self, phase, *, total=None, unit="item"):
        self.calls.append(("start", phase, total))

    def advance(self, done=1):
        self.calls.append(("advance", done))

    def finish(self):
        self.calls.append(("finish",))


def test_build_reports_its_phases_with_totals(articles_dir, tmp_path):
    recorder = Recorder()
    build([articles_dir], db=tmp_path / "g.db", batch_size=1, progress=recorder)
    starts = [c for c in recorder.calls if c[0] == "start"]
    assert starts == [("start", "extract", 2), ("start", "resolve", None), ("start", "link", None)]
    extract = recorder.calls[1 : recorder.calls.index(("finish",))]
    assert extract == [("advance", 1), ("advance", 1)]


def test_rebuild_counts_unchanged_articles_as_done(articles_dir, tmp_path):
    build([articles_dir], db=tmp_path / "g.db")
    recorder = Recorder()
    build([articles_dir], db=tmp_path / "g.db", progress=recorder)
    assert recorder.calls[:4] == [
        ("start", "extract", 2),
        ("advance", 1),
        ("advance", 1),
        ("finish",),
    ]


def test_a_log_gets_one_line_per_phase(articles_dir, tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "g.db"), "build", str(articles_dir)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == ["extract", "resolve", "link"]
    assert re.fullmatch(r"extract: 2 articles in \d+\.\ds, \d+\.\d/s", lines[0])


@pytest.mark.parametrize("where", [["--quiet", "build"], ["build", "-q"]])
def test_quiet_shows_nothing(articles_dir, tmp_path, where):
    args = ["--db", str(tmp_path / "g.db"), *where, str(articles_dir)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_export_reports_its_phases(small_db, tmp_path):
    out = tmp_path / "g.gexf"
    result = CliRunner().invoke(
        cli, ["--db", str(small_db), "export", "--format", "gexf", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == [
        "graph",
        "measures",
        "export",
    ]


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_a_bar_with_total_rate_and_time_left():
    stream = FakeTerminal()
    progress = CliProgress(stream)
    progress.start("extract", total=4, unit="article")
    progress.advance(2)
    progress.finish()
    drawn = stream.getvalue()
    assert "extract" in drawn
    assert "2/4" in drawn
    assert "articles/s" in drawn
    assert "<" in drawn  # tqdm's "elapsed<left"
