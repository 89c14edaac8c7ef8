"""Commands load only the libraries they use.

Commands that never extract never import spaCy (it costs about 0.65 s per
command); ``graphkit info``, which only counts what the store holds, imports
none of the graph libraries either (networkx, igraph, numpy: about 0.3 s).
Each command runs in a fresh interpreter, as a user's shell would run it, and
reports which of the heavy libraries ended up in ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import graphkit
from graphkit import graph

HEAVY = ("spacy", "networkx", "igraph", "numpy")

_PROBE = """
import json, sys
try:
{code}
finally:
    sys.stdout.flush()
    loaded = {{m.split(".")[0] for m in sys.modules}}
    print("\\nLOADED " + json.dumps(sorted(loaded & set(json.loads(sys.argv[1])))))
"""

_CLI = """
    from graphkit.cli import cli
    cli(sys.argv[2:], prog_name="graphkit", standalone_mode=False)
"""


def _heavy_after(code: str, *args: str) -> list[str]:
    """The libraries of :data:`HEAVY` imported by running ``code`` (indented) in a new process."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(code=code), json.dumps(HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("LOADED "), done.stdout
    return json.loads(last.removeprefix("LOADED "))


@pytest.mark.parametrize(
    "command",
    [
        ["neighbours", "Tomas Berg"],
        ["mentions", "Tomas Berg"],
        ["evidence", "Tomas Berg", "Nordpay"],
        ["centrality", "--top", "3"],
        ["entities", "--search", "Berg"],
        ["export", "--format", "gexf", "-o", "{tmp}/graph.gexf"],
    ],
)
def test_commands_that_do_not_extract_never_import_spacy(small_db, tmp_path, command):
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    assert "spacy" not in _heavy_after(_CLI, "--db", str(small_db), *args)


def test_info_imports_no_graph_library_nor_spacy(small_db):
    assert _heavy_after(_CLI, "--db", str(small_db), "info") == []


def test_importing_graphkit_imports_no_heavy_library():
    assert _heavy_after("    import graphkit, graphkit.graph, graphkit.cli") == []


def test_the_probe_sees_the_libraries_a_command_uses(articles_dir, tmp_path):
    """The probe itself works: a build loads spaCy, centrality the graph libraries."""
    db = str(tmp_path / "new.db")
    assert "spacy" in _heavy_after(_CLI, "--db", db, "build", str(articles_dir))
    assert _heavy_after(_CLI, "--db", db, "centrality") == ["igraph", "networkx", "numpy"]


@pytest.mark.parametrize("module", [graphkit, graph], ids=lambda m: m.__name__)
def test_every_public_name_is_there_when_asked_for(module):
    """Names imported on first use (PEP 562) are all found, and are what their modules define."""
    for name in module.__all__:
        value = getattr(module, name)
        home = getattr(value, "__module__", None)
        if home and home.startswith("graphkit.") and callable(value):
            assert getattr(sys.modules[home], name) is value
    assert set(module.__all__) <= set(dir(module))
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        module.nothing_here  # noqa: B018


def test_graph_annotate_is_the_function_even_after_its_module_is_imported():
    """The function shares its module's name: importing the module first (in a fresh
    process, nothing else loaded) must not make ``graphkit.graph.annotate`` the module."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import graphkit.graph.annotate; from graphkit import graph;"
            " print(type(graph.annotate).__name__)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "function\n"


def test_a_mistyped_command_is_matched_against_every_command(tmp_path):
    """In a fresh process, where no command is loaded yet, a typo still finds its match."""
    done = subprocess.run(
        [sys.executable, "-m", "graphkit", "--db", str(tmp_path / "x.db"), "neighbous", "X"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "Error: No such command 'neighbous'. (Did you mean one of: 'neighbors', 'neighbours'?)"
    )
