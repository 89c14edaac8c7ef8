"""The named bugs of ``scripts/mutation_check.py`` still point at real code.

``make mutations`` applies each bug by replacing a piece of the package's
text; when that text moves, the mutation no longer applies and the check
would say nothing about it. Each one must be found exactly once.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "mutation_check", ROOT / "scripts" / "mutation_check.py"
)
mutation_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mutation_check)


@pytest.mark.parametrize(
    "name, relative, old, new",
    mutation_check.MUTATIONS,
    ids=[m[0] for m in mutation_check.MUTATIONS],
)
def test_each_named_mutation_changes_one_place_in_the_package(name, relative, old, new):
    text = (ROOT / "graphkit" / relative).read_text(encoding="utf-8")
    assert text.count(old) == 1
    assert new != old
