"""Apply deliberate small bugs to graphkit one at a time and see whether the test suite notices.

Each mutation below is a bug a user would be hurt by in silence (the list of
issue 14, plus a few of the same kind). For each, the package is copied to a
temporary copy of the checkout, the one change applied there, and the test
suite run in the copy (``PYTHONPATH`` puts it ahead of the installed package,
in subprocesses too); the working tree is never touched, so this can run
while you edit. A mutation is *caught* when the suite fails.

    python scripts/mutation_check.py                 # all mutations, the whole suite
    python scripts/mutation_check.py --only since    # the mutations whose name has "since"
    python scripts/mutation_check.py --repo OLD   # another checkout (e.g. git archive)

``make mutate`` runs mutmut on whole modules instead (see the Makefile); this
script is the quick, named check of the bugs that matter most. Not run in CI:
it runs the suite once per mutation.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (name, file in the package, text to find (exactly once), replacement)
MUTATIONS = [
    (
        "kept rule groups forget which short names stayed ambiguous",
        "resolve/kept.py",
        '"ambiguous": [[number[node], ids(roots)] for node, roots in rules.ambiguous.items()],',
        '"ambiguous": [],',
    ),
    (
        "kept rule groups forget which names were joined as short forms",
        "resolve/kept.py",
        "                info.mentions,\n                info.short,\n",
        "                info.mentions,\n                False,\n",
    ),
    (
        "the index of the kept rule groups forgets which names were joined as short forms",
        "resolve/kept.py",
        "[ids[i] for i in info.mentions],\n                    info.short,\n",
        "[ids[i] for i in info.mentions],\n                    False,\n",
    ),
    (
        "the index of the kept rule groups loses the rules' joins inside each group",
        "resolve/kept.py",
        "        joins[root_of[short]].append([number[short], number[target], rule])",
        "        pass",
    ),
    (
        "a re-link keeps ties made by older tie rules",
        "relink.py",
        '(state.get("window"), state.get("ties")) == (window, TIE_RULES)',
        'state.get("window") == window',
    ),
    (
        "kept rule groups are used whatever the mentions now are",
        "relink.py",
        "text = store.kept_result(KEPT_RULE_GROUPS, digest)",
        'text = store.kept_result(KEPT_RULE_GROUPS, store.get_meta("kept:rule_groups:inputs"))',
    ),
    (
        "kept rule groups lose how spellings were normalised",
        "resolve/kept.py",
        "\n                [list(found) for found in rules.normalised[node]],",
        "\n                [],",
    ),
    (
        "the entity name index is not kept with the entities",
        "store.py",
        'if not names or not self.has_table("entity_search"):',
        "if True:",
    ),
    (
        "new recall rules still read only the articles changed names touch",
        "store.py",
        'names = kept.get("names") if kept.get("rules") == rules else None',
        'names = kept.get("names")',
    ),
    (
        "an article read as before is kept whatever the repair rules",
        "pipeline.py",
        "_repair_rules(REPAIR_RULES)}",
        "_repair_rules(1)}",
    ),
    (
        "a changed article's old words stay counted",
        "store.py",
        "counted.append((replaced[0], -1))",
        "pass",
    ),
    (
        "incremental recall forgets names a build made doubtful",
        "resolve/recall.py",
        "return {name for name in before.keys() | after.keys() if",
        "return {name for name in after.keys() if",
    ),
    (
        "CLI drops --since",
        "cli/options.py",
        'period = {"since": since,',
        'period = {"since": None,',
    ),
    (
        "CLI drops --until",
        "cli/options.py",
        '"until": until, "dated_only"',
        '"until": None, "dated_only"',
    ),
    (
        "CLI drops --dated-only",
        "cli/options.py",
        '"dated_only": dated_only}',
        '"dated_only": False}',
    ),
    ("CLI ignores --type", "cli/options.py", '"types": parse_types(types),', '"types": None,'),
    ("CLI ignores --min-weight", "cli/options.py", '"min_weight": min_weight,', '"min_weight": 1,'),
    (
        "CLI ignores --min-articles",
        "cli/options.py",
        '"min_articles": min_articles,',
        '"min_articles": 1,',
    ),
    (
        "exclusive --since",
        "graph/selection.py",
        # ('>' alone changes nothing: "2021-02-01~" > "2021-02-01"; the '~' is what
        # makes an article of the first day count)
        "\"(ar.date IS NULL OR ar.date || '~' >= ?)\"",
        '"(ar.date IS NULL OR ar.date > ?)"',
    ),
    (
        "--until 2021 leaves out 2021",
        "dates.py",
        'end = period_bounds(until, "--until")[1] if until else None',
        'end = period_bounds(until, "--until")[0] if until else None',
    ),
    (
        "edge weight counts articles, not co-occurrences",
        "graph/from_store.py",
        '"SELECT c.a, c.b, ROUND(SUM(c.weight), 4), COUNT(*), COUNT(DISTINCT c.article_id),"',
        '"SELECT c.a, c.b, ROUND(SUM(c.weight), 4), COUNT(DISTINCT c.article_id),"\n'
        '        " COUNT(DISTINCT c.article_id),"',
    ),
    (
        "node articles count mentions",
        "graph/from_store.py",
        '"SELECT m.entity, COUNT(*), COUNT(DISTINCT m.article_id), MIN(ar.date)',
        '"SELECT m.entity, COUNT(*), COUNT(*), MIN(ar.date)',
    ),
    (
        "min-weight filter exclusive",
        "graph/filters.py",
        'if data.get("cooccurrences", data.get("weight", 1)) >= min_weight',
        'if data.get("cooccurrences", data.get("weight", 1)) > min_weight',
    ),
    (
        "changed --types/--model not re-extracted",
        "pipeline.py",
        "json.dumps([settings, EXTRACTION_VERSION], sort_keys=True)",
        "json.dumps([EXTRACTION_VERSION], sort_keys=True)",
    ),
    (
        "identical text under a new id re-extracted",
        "pipeline.py",
        "if stored is None and (digest in seen_texts or store.has_content(digest, extraction)):",
        "if False:",
    ),
    (
        "Ctrl-C exits 1, not 130",
        "cli/options.py",
        "sys.exit(130)",
        "sys.exit(1)",
    ),
    (
        "undo and redo swapped",
        "curation.py",
        '"UPDATE overrides SET active = ? WHERE id = ?", (int(redo), decision_id)',
        '"UPDATE overrides SET active = ? WHERE id = ?", (int(not redo), decision_id)',
    ),
    (
        "aliases export writes undone decisions",
        "curation.py",
        "decisions = [d for d in overrides_from_rows(store.overrides()) if not d.refused]",
        "decisions = [d for d in overrides_from_rows(store.overrides(active_only=False))"
        " if not d.refused]",
    ),
    (
        "type filter case-sensitive",
        "graph/lookup.py",  # graph/filters.py before the one type rule
        "wanted = {str(t).upper() for t in types} if types else None",
        "wanted = set(types) if types else None",
    ),
    (
        "output not synced before the rename",
        "writing.py",
        "            os.fsync(self.handle.fileno())\n",
        "",
    ),
    (
        "output written in place (not atomic)",
        "writing.py",
        '            temp = target.with_name(f".{target.name}.{os.getpid()}.{attempt}.tmp")',
        "            temp = target",
    ),
    (
        "a re-link keeps the ties of articles whose recalled mentions went",
        "relink.py",
        "changed = store.link_pending() | store.tied_articles_gone()",
        "changed = store.tied_articles_gone()",
    ),
    (
        "a re-link keeps the ties of an article that became a near-duplicate",
        "relink.py",
        "articles |= store.duplicate_articles().keys() ^ duplicates.keys()",
        "pass",
    ),
    (
        "a re-link keeps the stored attributions of a name retyped as an organisation",
        "relink.py",
        "if stored_types is not None and read_as_source(entity, stored_types):",
        "if stored_types is not None and entity is not None:",
    ),
    (
        "replaced file loses its permissions",
        "writing.py",
        "            if existing is not None:\n                os.chmod(fd, existing)\n",
        "",
    ),
    (
        "a drop in place leaves the dropped entity's ties",
        "in_place/one_entity.py",
        "    _rename_in_lists(store, key, name, None)\n    retie(store, counts, window)",
        "    _rename_in_lists(store, key, name, None)",
    ),
    (
        "a rename in place leaves the old name in the lists of possible meanings",
        "in_place/one_entity.py",
        "names = sorted([*names, new]) if new is not None else names",
        "names = [*names, old] if new is not None else names",
    ),
    (
        "a decision in place ignores a key several groups go by",
        "in_place/state.py",
        'return any("~" in key or key in state["clashes"] for key in keys)',
        "return False",
    ),
    (
        "a merge in place forgets the type the user gave the entity",
        "in_place/merge.py",
        'user_type=state["typed"].get(target),',
        "user_type=None,",
    ),
    (
        "a merge in place leaves the merged names in the lists of possible meanings",
        "in_place/kept_groups.py",
        "        if key in rewritten or old.get(key) != new.get(key)",
        "        if key in rewritten",
    ),
    (
        "an undo or merge in place loses the list of possible meanings of an entity it rewrites",
        "in_place/kept_groups.py",
        "        if key in rewritten or old.get(key) != new.get(key)",
        "        if old.get(key) != new.get(key)",
    ),
    (
        "a decision in place ignores the short names that may mean the entities it moves",
        "in_place/kept_groups.py",
        '" WHERE c.candidate IN (SELECT value FROM json_each(?))",',
        '" WHERE c.candidate IN (SELECT value FROM json_each(?)) AND 0",',
    ),
    (
        "an undo in place forgets the mentions a user's drop had taken",
        "in_place/rows.py",
        "    if counted:",
        "    if False:",
    ),
    (
        "an undo in place of a merge keeps the merge's join among the first entity's reasons",
        "in_place/restore.py",
        "        joins[(name, MERGED, surface)] -= 1",
        "        pass",
    ),
    (
        "an undo in place keeps the type an undone retype gave",
        "in_place/restore.py",
        "    forget(state, keys)\n",
        "",
    ),
    (
        "an undo in place ignores another decision in force about its entities",
        "in_place/__init__.py",
        "    about = [other for other in in_force if set(other.keys) & set(keys)]",
        "    about = []",
    ),
]


# Test files that end a run quickly when they fail (-x stops at the first failure); the rest
# of the suite runs after them. Only the order changes, not what runs.
FAST_FIRST = ("test_cli_filters.py", "test_helpers.py", "test_writing.py", "test_curation.py")


def _fast_first(repo: Path) -> list[str]:
    first = [f"tests/{name}" for name in FAST_FIRST if (repo / "tests" / name).exists()]
    return [*first, "tests"]  # pytest runs each test once even when named twice


def run_suite(repo: Path, skip: str) -> tuple[bool, float, str]:
    env = {**os.environ, "PYTHONPATH": str(repo) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "--tb=line",
        "-rf",
        "-p",
        "no:cacheprovider",
    ]
    start = time.monotonic()
    result = subprocess.run(
        # test_mutation_targets looks for the very text a mutation replaces: it would
        # "catch" every mutation without saying anything about the behaviour.
        [
            *command,
            *(["-k", f"not ({skip})"] if skip else []),
            "--ignore=tests/test_mutation_targets.py",
            *_fast_first(repo),
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR", "/"))]
    return result.returncode == 0, time.monotonic() - start, "\n  ".join([*failed, *lines[-1:]])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="A checkout: graphkit/ and tests/.")
    parser.add_argument(
        "--only", help="Only mutations whose name contains one of these texts (comma-separated)."
    )
    parser.add_argument(
        "--skip",
        default="wheel or browser or notebook",
        help="pytest -k expression of slow tests that no mutation here concerns.",
    )
    args = parser.parse_args()
    wanted = [w.strip().lower() for w in (args.only or "").split(",") if w.strip()]
    chosen = [m for m in MUTATIONS if not wanted or any(w in m[0].lower() for w in wanted)]
    work = Path(tempfile.mkdtemp(prefix="graphkit-mutants-"))
    repo = work / "repo"
    shutil.copytree(
        args.repo, repo, ignore=shutil.ignore_patterns(".venv", ".git", "mutants", "*.db", "demo")
    )
    try:
        passed, seconds, last = run_suite(repo, args.skip)
        print(f"unmutated: {'passes' if passed else 'FAILS'} ({seconds:.0f}s): {last}", flush=True)
        if not passed:
            return 2
        caught = applicable = missing = 0
        for name, relative, old, new in chosen:
            path = repo / "graphkit" / relative
            original = path.read_text(encoding="utf-8") if path.exists() else ""
            if original.count(old) != 1:
                # The code moved: the list must follow it, or the check proves nothing.
                print(f"MISSING   {name} (its code is not once in {relative})", flush=True)
                missing += 1
                continue
            path.write_text(original.replace(old, new), encoding="utf-8")
            try:
                applicable += 1
                passed, seconds, last = run_suite(repo, args.skip)
            finally:
                path.write_text(original, encoding="utf-8")
            caught += not passed
            verdict = "SURVIVED" if passed else "caught  "
            print(f"{verdict}  {name} ({seconds:.0f}s): {last}", flush=True)
        print(f"score: {caught} of {applicable} mutations caught; {missing} not found")
        return 0 if caught == applicable and not missing else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
