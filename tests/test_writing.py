"""The one file writer (graphkit.writing), and that every output goes through it.

Atomic for regular files, the user's umask, missing folders created, one-line
errors naming the path, nothing half-written, multi-file exports all or
nothing, write-through for FIFOs and devices, ``-`` for standard output.
"""

from __future__ import annotations

import errno
import io
import json
import os
import re
import stat
import subprocess
import sys

import networkx as nx
import pytest
from click.testing import CliRunner

from graphkit.cli import cli
from graphkit.errors import GraphkitError
from graphkit.outputs.export import export_graph
from graphkit.outputs.page import write_page
from graphkit.outputs.report import write_report
from graphkit.resolve.overrides import Override, read_aliases_file, write_aliases_file
from graphkit.writing import open_output, open_output_folder, write_output


@pytest.fixture
def G():
    G = nx.Graph(window="sentence", model="test", articles=2)
    G.add_node("person:a", name="Ann Lee", type="PERSON", mentions=3, articles=2, aliases=[])
    G.add_node("org:b", name="Acme", type="ORG", mentions=2, articles=1, aliases=[])
    G.add_edge("person:a", "org:b", weight=2, articles=1, evidence=[])
    return G


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_027():
    """Run a test under umask 027 (the test's own state, restored after it)."""
    old = os.umask(0o027)
    yield 0o640
    os.umask(old)


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_writes_text_and_bytes_and_leaves_no_temporary_file(tmp_path):
    write_output(tmp_path / "a.txt", "héllo\r\n")
    write_output(tmp_path / "b.bin", b"\x00\x01")
    assert (tmp_path / "a.txt").read_bytes() == "héllo\r\n".encode()
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]


def test_new_files_honour_the_umask_and_replaced_files_keep_their_mode(tmp_path, umask_027):
    write_output(tmp_path / "new.txt", "x")
    assert _mode(tmp_path / "new.txt") == umask_027
    private = tmp_path / "private.txt"
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)
    write_output(private, "new")
    assert (private.read_text(encoding="utf-8"), _mode(private)) == ("new", 0o600)


def test_every_output_gets_the_same_permissions(tmp_path, umask_027, G):
    """Pages, exports, reports and aliases files: one rule (they used to differ)."""
    written = [
        write_page(G, tmp_path / "page.html").path,
        *export_graph(G, tmp_path / "g.json", format="json"),
        *export_graph(G, tmp_path / "csv", format="csv"),
        write_report(G, {"articles": 2}, tmp_path / "r.md"),
    ]
    write_aliases_file([Override("drop", ("Acme",))], tmp_path / "aliases.csv")
    written.append(tmp_path / "aliases.csv")
    assert {p.name: _mode(p) for p in written} == {p.name: 0o640 for p in written}


def test_missing_folders_are_created_by_every_output(tmp_path, G):
    write_page(G, tmp_path / "p" / "q" / "page.html")
    export_graph(G, tmp_path / "e" / "g.gexf", format="gexf")
    export_graph(G, tmp_path / "n" / "neo", format="neo4j")
    write_report(G, {"articles": 2}, tmp_path / "r" / "r.md")
    write_aliases_file([Override("drop", ("Acme",))], tmp_path / "a" / "b" / "aliases.csv")
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == [
        "a/b/aliases.csv",
        "e/g.gexf",
        "n/neo/nodes.csv",
        "n/neo/relationships.csv",
        "p/q/page.html",
        "r/r.md",
    ]
    assert read_aliases_file(tmp_path / "a" / "b" / "aliases.csv") == [Override("drop", ("Acme",))]


def test_a_failed_write_keeps_the_old_file_and_names_the_path(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    expected = f"^{re.escape(f'cannot write {path}: No space left on device')}$"
    with pytest.raises(GraphkitError, match=expected), open_output(path) as handle:
        handle.write("half")
        _no_space()
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_full_disk_at_flush_time_is_one_line_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "fsync", _no_space)
    with pytest.raises(GraphkitError, match=r"^cannot write .*new\.txt: No space left on device$"):
        write_output(tmp_path / "new.txt", "x" * 100_000)
    assert list(tmp_path.iterdir()) == []


def test_interrupt_leaves_nothing_and_is_not_swallowed(tmp_path):
    with pytest.raises(KeyboardInterrupt), open_output(tmp_path / "x.txt") as handle:
        handle.write("half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_empty_path_folder_and_unwritable_places_are_one_line_errors(tmp_path, monkeypatch):
    with pytest.raises(GraphkitError, match=r"^the output path is empty"):
        write_output("", "x")
    with pytest.raises(GraphkitError, match=f"^{tmp_path} is a folder; give a file name$"):
        write_output(tmp_path, "x")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    below = tmp_path / "file" / "below.txt"
    with pytest.raises(GraphkitError, match=f"^cannot write {below}: Not a directory$"):
        write_output(below, "x")

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "open", refused)
    with pytest.raises(GraphkitError, match=f"^cannot write {tmp_path / 'x.txt'}: Permission"):
        write_output(tmp_path / "x.txt", "x")


def test_a_multi_file_export_is_all_or_nothing(tmp_path, G, monkeypatch):
    folder = tmp_path / "csv"
    export_graph(G, folder, format="csv")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    G.add_node("person:c", name="Cy", type="PERSON", mentions=1, articles=1, aliases=[])
    calls = []

    def fsync_second_fails(fd):
        calls.append(fd)
        if len(calls) == 2:  # nodes.csv is complete, edges.csv hits a full disk
            _no_space()

    monkeypatch.setattr(os, "fsync", fsync_second_fails)
    with pytest.raises(GraphkitError, match=r"No space left on device$"):
        export_graph(G, folder, format="csv")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_open_output_folder_refuses_a_file(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(GraphkitError, match="is a file"), open_output_folder(tmp_path / "f"):
        pass


def test_writes_through_a_fifo_instead_of_replacing_it(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_output(fifo, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]


def test_writes_through_a_device(tmp_path):
    write_output("/dev/null", "nothing")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dev_stdout_writes_through_to_a_pipe():
    """/dev/stdout links to a pipe here (not a path): the bytes go down the pipe."""
    code = "from graphkit.writing import write_output; write_output('/dev/stdout', 'down the pipe')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "down the pipe"), result.stderr


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_output(link, "new")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "real.txt"]


def test_dash_is_standard_output(capfd):
    write_output("-", "to stdout\n")
    write_output("-", b"bytes too\n")
    assert capfd.readouterr().out == "to stdout\nbytes too\n"


def test_a_broken_standard_output_is_one_line(monkeypatch):
    class Broken(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    monkeypatch.setattr(sys, "stdout", Broken())
    with pytest.raises(GraphkitError, match=r"^cannot write to standard output: Broken pipe$"):
        write_output("-", "x")


def test_cli_outputs_to_standard_output_and_report_on_stderr(sample_db_copy):
    result = CliRunner().invoke(
        cli, ["--db", str(sample_db_copy), "--quiet", "export", "--format", "json", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["nodes"]) > 0
    assert result.stderr == "wrote -\n"


@pytest.mark.parametrize(
    "args",
    [
        ["page", "-o", ""],
        ["report", "-o", ""],
        ["export", "--format", "json", "-o", ""],
        ["aliases", "export", ""],
    ],
)
def test_cli_empty_output_path_is_a_one_line_error(sample_db_copy, args):
    result = CliRunner().invoke(cli, ["--db", str(sample_db_copy), "--quiet", *args])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert "empty" in result.output
    assert result.output.count("\n") == 1


def test_cli_aliases_export_into_a_missing_folder(sample_db_copy, tmp_path):
    CliRunner().invoke(cli, ["--db", str(sample_db_copy), "drop", "Huawei"])
    out = tmp_path / "new" / "folder" / "aliases.csv"
    result = CliRunner().invoke(cli, ["--db", str(sample_db_copy), "aliases", "export", str(out)])
    assert result.exit_code == 0, result.output
    assert read_aliases_file(out) == [Override("drop", ("Huawei",))]
