"""How long commands take as the store grows: 2k, 20k and 100k articles, in one run.

Usage: python benchmarks/queries.py [--sizes 20000,100000] [--source-limit 0] [--keep DIR]

The smallest store is a real build of the BBC corpus in ../shared/data (spaCy,
resolution, everything). The larger ones are SYNTHETIC and built WITHOUT
spaCy: each synthetic article is eight sentences drawn (seeded) from different
BBC articles, with new ids, so no text repeats; its mentions are the ones
spaCy found in those sentences in the real build, shifted to their new
offsets. Acronym definitions are not carried over. They are then resolved and
linked by graphkit as any store is (``relink.link``).

Every command runs as a user runs it: ``graphkit --db STORE ...`` in a fresh
process (start-up included), with ``--quiet``. Whole-graph commands are timed
twice: ``cold`` without the graph snapshot beside the store (nor the measures and
communities kept with it), ``warm`` with them
(:mod:`graphkit.graph.snapshot`); one-entity commands (``neighbours``,
``mentions``, ``evidence``, ``entities --search``) are about the most
mentioned entity, the hardest case, and are timed ``from disk`` (the store's
file dropped from the OS page cache first, where the OS allows it) and then
again with the file in memory. Prints a Markdown table; asserts nothing.
"""

from __future__ import annotations

import argparse
import glob
import itertools
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import graphkit
from graphkit.graph.snapshot import snapshot_path
from graphkit.models import Article, Mention, Sentence
from graphkit.pipeline import content_hash
from graphkit.relink import link
from graphkit.store import open_store

BBC = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "bbc.jsonl"
SENTENCES_PER_ARTICLE = 8
TIMEOUT = 600


def real_store(db: Path, limit: int) -> None:
    with BBC.open(encoding="utf-8") as src:
        lines = list(itertools.islice(src, limit or None))
    corpus = db.with_suffix(".jsonl")
    corpus.write_text("".join(lines), encoding="utf-8")
    graphkit.build([corpus], db=db)


def _sentence_pool(db: Path) -> list[tuple[str, list[tuple[int, int, str, str]]]]:
    """Every stored sentence with its mentions, offsets relative to the sentence."""
    with open_store(db) as store:
        texts = dict(store.query("SELECT id, text FROM articles"))
        mentions: dict[tuple, list] = {}
        for article, sentence, start, end, text, label in store.query(
            "SELECT article_id, sentence, start, end, text, label FROM mentions"
        ):
            mentions.setdefault((article, sentence), []).append((start, end, text, label))
        pool = []
        for article, idx, start, end in store.query(
            "SELECT article_id, idx, start, end FROM sentences ORDER BY article_id, idx"
        ):
            found = [
                (s - start, e - start, t, lab) for s, e, t, lab in mentions.get((article, idx), [])
            ]
            pool.append((texts[article][start:end], found))
    return pool


def synthetic_store(source: Path, db: Path, articles: int, *, seed: int = 0) -> None:
    pool = _sentence_pool(source)
    rng = random.Random(seed)
    settings = {"model": "synthetic", "model_version": "synthetic", "types": ["PERSON", "ORG"]}
    with open_store(db, create=True) as store:
        batch = []
        for n in range(articles):
            parts, sentences, mentions, offset = [], [], [], 0
            for index, (text, found) in enumerate(rng.sample(pool, SENTENCES_PER_ARTICLE)):
                article_id = f"syn-{n:06d}"
                sentences.append(Sentence(article_id, index, offset, offset + len(text), index))
                mentions += [
                    Mention(article_id, index, offset + s, offset + e, t, label)
                    for s, e, t, label in found
                ]
                parts.append(text)
                offset += len(text) + 2
            article = Article(
                id=article_id,
                title=f"Synthetic {n}",
                text="\n\n".join(parts),
                source="synthetic",
                date=f"20{n % 20:02d}-01-01",
            )
            batch.append((article, content_hash(article), sentences, mentions, []))
            if len(batch) == 1000:
                store.save_extractions(batch, extraction="synthetic", settings=settings)
                batch = []
        if batch:
            store.save_extractions(batch, extraction="synthetic", settings=settings)
        with store.connection:
            store.set_meta("settings", json.dumps({**settings, "window": "sentence"}))
        link(store, window="sentence")


def _top_entity(db: Path) -> str:
    with open_store(db) as store:
        ((name,),) = store.query(
            "SELECT e.name FROM entities e JOIN mentions m ON m.entity = e.key"
            " GROUP BY e.key ORDER BY COUNT(*) DESC LIMIT 1"
        )
    return name


def _run(db: Path, *args: str) -> str:
    command = [sys.executable, "-m", "graphkit", "--quiet", "--db", str(db), *args]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return f">{TIMEOUT}"
    seconds = time.perf_counter() - started
    return f"{seconds:.2f}" if done.returncode == 0 else f"error: {done.stderr.strip()[:60]}"


def _tied_pair(db: Path, name: str) -> str:
    """The display name of the strongest tie of the entity called ``name``."""
    with open_store(db) as store:
        ((other,),) = store.query(
            "SELECT e.name FROM entities e JOIN (SELECT CASE WHEN c.a = k.key THEN c.b ELSE c.a"
            " END AS other, COUNT(*) AS n FROM cooccurrences c, (SELECT key FROM entities"
            " WHERE name = ?) k WHERE c.a = k.key OR c.b = k.key GROUP BY other) t"
            " ON t.other = e.key ORDER BY t.n DESC, e.name LIMIT 1",
            (name,),
        )
    return other


def _evict(db: Path) -> bool:
    """Drop the store's file from the OS page cache, so the next command reads it from
    disk (the first command of a day); ``False`` where the OS cannot be told to."""
    if not hasattr(os, "posix_fadvise"):
        return False
    handle = os.open(db, os.O_RDONLY)
    try:
        os.posix_fadvise(handle, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(handle)
    return True


def _forget_snapshots(db: Path) -> None:
    """No snapshot of any kind beside ``db``, nor what is kept with them (measures …)."""
    for path in db.parent.glob(glob.escape(snapshot_path(db).name) + "*"):
        path.unlink()


def measure(db: Path, out: Path, *, whole: bool = True) -> dict[str, str]:
    name = _top_entity(db)
    one_entity = {
        "info": ["info"],
        "entities --search": ["entities", "--search", name.split()[-1]],
        "neighbours": ["neighbours", name],
        "neighbours --depth 2": ["neighbours", name, "--depth", "2", "--limit", "20"],
        "mentions": ["mentions", name, "--limit", "20"],
        "evidence": ["evidence", name, _tied_pair(db, name), "--limit", "20"],
    }
    whole_graph = {
        "centrality": ["centrality", "--top", "10"],
        "page": ["page", "-o", str(out / "page.html")],
        "export gexf": ["export", "--format", "gexf", "-o", str(out / "graph.gexf")],
    }
    times = {}
    _forget_snapshots(db)
    for label, args in one_entity.items():
        if _evict(db):
            times[f"{label} from disk"] = _run(db, *args)
        times[label] = _run(db, *args)
    for label, args in whole_graph.items() if whole else ():
        _forget_snapshots(db)
        times[f"{label} cold"] = _run(db, *args)
        times[f"{label} warm"] = _run(db, *args)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000", help="synthetic store sizes")
    parser.add_argument("--source-limit", type=int, default=0, help="BBC articles (0: all)")
    parser.add_argument("--keep", type=Path, help="keep the stores in this folder")
    parser.add_argument(
        "--one-entity", action="store_true", help="only info and the one-entity commands"
    )
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="graphkit-queries-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}; load average at start: {os.getloadavg()[0]:.1f}", flush=True)
    stores = []
    real = folder / "bbc.db"
    if not real.exists():
        started = time.perf_counter()
        real_store(real, args.source_limit)
        print(f"built {real} with spaCy in {time.perf_counter() - started:.0f}s", flush=True)
    stores.append(("BBC (real)", real))
    for size in (int(s) for s in args.sizes.split(",") if s):
        db = folder / f"synthetic-{size}.db"
        if not db.exists():
            started = time.perf_counter()
            synthetic_store(real, db, size)
            print(f"built {db} in {time.perf_counter() - started:.0f}s", flush=True)
        stores.append((f"{size} (synthetic)", db))
    results = []
    for label, db in stores:
        info = graphkit.store_info(db)
        times = measure(db, folder, whole=not args.one_entity)
        results.append((label, info, times))
        print(f"measured {label}: {json.dumps(times)}", flush=True)
    columns = list(results[0][2])
    print("| store | articles | entities | ties | " + " | ".join(columns) + " |")
    print("|" + " --- |" * (4 + len(columns)))
    for label, info, times in results:
        cells = [label, info["articles"], info["entities"], info["edges"]]
        print("| " + " | ".join(str(c) for c in cells + [times[c] for c in columns]) + " |")
    print(f"load average at end: {os.getloadavg()[0]:.1f}; stores in {folder}")


if __name__ == "__main__":
    main()
