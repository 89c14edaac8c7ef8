"""``graphkit page``: ego pages titled by their entity; commands carry --db and the period."""

import json
import re

from click.testing import CliRunner

from graphkit.cli import cli


def page_data(path):
    text = path.read_text(encoding="utf-8")
    block = re.search(
        r'<script type="application/json" id="graphkit-data">(.*?)</script>', text, re.S
    )
    return text, json.loads(block.group(1))


def test_ego_page_is_titled_with_its_entity_and_commands_name_the_store(small_db, tmp_path):
    out = tmp_path / "ego.html"
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(small_db),
            "page",
            "--focus",
            "Tomas Berg",
            "-o",
            str(out),
            "--since",
            "2024-01",
        ],
    )
    assert result.exit_code == 0, result.output
    text, data = page_data(out)
    assert "<title>Tomas Berg</title>" in text
    assert data["meta"]["title"] == "Tomas Berg"
    assert data["meta"]["command"] == f"graphkit --db {small_db}"
    assert data["meta"]["filters"] == "--since 2024-01"
    names = {node["name"] for node in data["nodes"]} | {other[0] for other in data["others"]}
    assert "Tomas Berg" in names and len(data["nodes"]) + len(data["others"]) >= 3


def test_title_option_wins_and_default_store_is_not_repeated(small_db, tmp_path, monkeypatch):
    monkeypatch.delenv("GRAPHKIT_DB", raising=False)
    monkeypatch.chdir(small_db.parent)
    small_db.rename(small_db.parent / "graphkit.db")
    out = tmp_path / "page.html"
    result = CliRunner().invoke(
        cli, ["page", "--focus", "Tomas Berg", "--title", "Mine", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    _, data = page_data(out)
    assert (data["meta"]["title"], data["meta"]["command"], data["meta"]["filters"]) == (
        "Mine",
        "graphkit",
        "",
    )
