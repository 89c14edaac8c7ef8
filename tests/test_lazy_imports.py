"""Commands that never extract never import spaCy (it costs about 0.65 s per command).

Each command runs in a fresh interpreter, as a user's shell would run it, and
reports which of the heavy modules ended up in ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_RUN = """
import json, sys
from graphkit.cli import cli
try:
    cli(sys.argv[1:], prog_name="graphkit", standalone_mode=False)
finally:
    sys.stdout.flush()
    print("\\nMODULES " + json.dumps(sorted(m for m in sys.modules if m.split(".")[0] == "spacy")))
"""


def _spacy_modules_after(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *args], capture_output=True, text=True, check=True
    )
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("MODULES "), done.stdout
    return json.loads(last.removeprefix("MODULES "))


@pytest.mark.parametrize(
    "command",
    [
        ["info"],
        ["neighbours", "Tomas Berg"],
        ["centrality", "--top", "3"],
        ["entities", "--search", "Berg"],
        ["export", "--format", "gexf", "-o", "{tmp}/graph.gexf"],
    ],
)
def test_commands_that_do_not_extract_never_import_spacy(small_db, tmp_path, command):
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert _spacy_modules_after("--db", str(small_db), *args) == []


def test_the_check_sees_spacy_when_a_build_imports_it(articles_dir, tmp_path):
    """The probe itself works: a build that extracts does load spaCy."""
    modules = _spacy_modules_after("--db", str(tmp_path / "new.db"), "build", str(articles_dir))
    assert "spacy" in modules
