"""The package's layout follows the data flow: imports only run down it, and never in a circle.

ingest → resolve → store → graph → outputs, with ``pipeline`` (and ``curation``)
running the stages and ``cli`` a thin face on top; ``models`` and ``errors``
sit under everything. These tests read the imports of every module with
``ast``, so a new file that imports against the flow fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import graphkit

PACKAGE = Path(graphkit.__file__).parent

# Lower ranks are further upstream. A module may import modules of a lower
# rank, or of its own package (folder); never of a higher rank.
RANKS = {
    "graphkit.errors": 0,
    "graphkit.models": 0,
    "graphkit.progress": 0,
    "graphkit.dates": 0.5,  # date parsing: above errors, below ingest and graph
    "graphkit.writing": 1,  # the one file writer: uses errors, used by resolve and outputs
    "graphkit.ingest": 1,
    "graphkit.resolve": 2,
    "graphkit.store": 3,
    "graphkit.relink": 3.5,  # stored mentions → entities and ties: runs after builds and decisions
    "graphkit.in_place": 3.75,  # a decision on one entity's rows: uses relink, used by curation
    "graphkit.pipeline": 4,
    "graphkit.graph": 4,
    "graphkit.outputs": 5,
    "graphkit.curation": 6,
    "graphkit.watch": 6,  # runs the stages like pipeline, and writes pages: above outputs
    "graphkit.cli": 7,
    "graphkit": 8,
    "graphkit.__main__": 9,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str:
    """The entry of RANKS a module belongs to (its longest matching prefix)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in RANKS:
            return prefix
    raise AssertionError(f"{module} belongs to no stage of the layout")


def _imports() -> dict[str, set[str]]:
    """Module → the graphkit modules it imports (anywhere in the file)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    found = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("graphkit")}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("graphkit"):
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in modules else node.module)
        found[name] = targets
    return found


IMPORTS = _imports()


def test_every_module_belongs_to_a_stage():
    assert {_stage(m) for m in IMPORTS} == set(RANKS)


@pytest.mark.parametrize("module", sorted(IMPORTS))
def test_imports_run_down_the_flow(module):
    stage = _stage(module)
    upstream_only = {
        target
        for target in IMPORTS[module]
        if _stage(target) != stage
        and RANKS[_stage(target)] >= RANKS[stage]
        and not (stage == "graphkit.cli" and target == "graphkit")
    }
    assert upstream_only == set(), f"{module} imports against the data flow"


def test_no_module_imports_the_cli_but_the_entry_points():
    users = {
        m for m, targets in IMPORTS.items() if any(_stage(t) == "graphkit.cli" for t in targets)
    }
    assert users - {"graphkit.__main__"} == {m for m in users if m.startswith("graphkit.cli")}


def test_no_import_cycles():
    G = nx.DiGraph((m, t) for m, targets in IMPORTS.items() for t in targets if t != m)
    assert list(nx.simple_cycles(G)) == []


def test_extraction_is_the_only_spacy_import():
    users = {
        _module_name(p)
        for p in PACKAGE.rglob("*.py")
        if any(
            (isinstance(n, ast.Import) and any(a.name.split(".")[0] == "spacy" for a in n.names))
            or (isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "spacy")
            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        )
    }
    assert users == {"graphkit.ingest.extract"}
