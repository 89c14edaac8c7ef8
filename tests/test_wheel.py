"""The package as a user gets it: a built wheel, installed in a fresh venv, run from elsewhere.

Every other test runs against the editable install in this checkout, where a
file left out of the package (the sample corpus, the page template) is still
found. Here the wheel is built, installed into a new virtual environment and
used from a folder outside the repository, so a missing package file fails.
The dependencies are not installed again (no network): the new venv sees the
test venv's site-packages through a ``.pth`` line, which (unlike the editable
install's own ``.pth`` hook) does not bring this checkout's graphkit along.
"""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*command, cwd, **kwargs):
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, **kwargs
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_wheel_installs_and_works_outside_the_repository(tmp_path):
    # Built from a copy, so the build leaves nothing (build/, *.egg-info) in the checkout.
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns(".*", "build", "*.egg-info", "mutants", "demo", "*.db")
    shutil.copytree(ROOT, source, ignore=ignore)
    wheels = tmp_path / "wheels"
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source, cwd=tmp_path
    )
    assert "would be ignored" not in built.stdout + built.stderr
    (wheel,) = wheels.glob("graphkit-*.whl")

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
        ).stdout.strip()
    )
    (purelib / "test-dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "-q",
        "--no-deps",
        wheel,
        cwd=tmp_path,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run(python, "-c", "import graphkit; print(graphkit.__file__)", cwd=elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(env_dir)

    graphkit = env_dir / "bin" / "graphkit"
    help_text = _run(graphkit, "--help", cwd=elsewhere).stdout
    assert help_text.startswith("Usage: graphkit [OPTIONS] COMMAND [ARGS]...")
    _run(graphkit, "build", "--sample", cwd=elsewhere)
    info = json.loads(_run(graphkit, "info", "--format", "json", cwd=elsewhere).stdout)
    sample = Path(where.stdout.strip()).parent / "data" / "sample" / "articles.jsonl"
    assert info["articles"] == len(sample.read_text(encoding="utf-8").splitlines())
    _run(graphkit, "page", "-o", "graph.html", cwd=elsewhere)
    page = (elsewhere / "graph.html").read_text(encoding="utf-8")
    assert '<script type="application/json" id="graphkit-data">' in page
    # the store, the page, and the graph snapshot kept beside the store for the page's
    # graph, with the measures the page worked out from it
    assert sorted(p.name for p in elsewhere.iterdir()) == [
        "graph.html",
        "graphkit.db",
        "graphkit.db.graph.e20",
        "graphkit.db.graph.e20.kept",
    ]
