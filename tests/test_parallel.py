"""Extraction spread over processes gives the same store as one process."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import pytest
from store_content import store_content

import graphkit
from graphkit.errors import GraphkitError
from graphkit.ingest.parallel import batched, in_order


@pytest.fixture(scope="module")
def one_worker_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("one") / "one.db"
    graphkit.build([graphkit.SAMPLE_CORPUS], db=db, workers=1, batch_size=5)
    return db


def test_two_worker_processes_build_the_same_store(one_worker_db, tmp_path):
    db = tmp_path / "two.db"
    summary = graphkit.build([graphkit.SAMPLE_CORPUS], db=db, workers=2, batch_size=5)
    assert summary.new == 34
    expected = store_content(one_worker_db)
    assert expected["mentions"], "the sample corpus has mentions"
    assert store_content(db) == expected


def test_batches_keep_input_order_with_a_bounded_window():
    submitted = []

    def submit(batch):
        submitted.append(batch)
        return list(reversed(batch))

    results = in_order(batched(range(7), 2), submit=submit, result=list, window=2)
    first = next(results)
    assert first == [1, 0]
    assert submitted == [[0, 1], [2, 3]]  # two in flight, the rest not read yet
    assert list(results) == [[3, 2], [5, 4], [6]]


def test_a_dask_local_cluster_of_two_processes_builds_the_same_store(one_worker_db, tmp_path):
    db = tmp_path / "dask.db"
    summary = graphkit.build([graphkit.SAMPLE_CORPUS], db=db, dask="local:2", batch_size=5)
    assert summary.new == 34
    assert store_content(db) == store_content(one_worker_db)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    from graphkit.ingest import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    with pytest.raises(
        GraphkitError, match=re.escape("tcp://127.0.0.1:9: no Dask scheduler answers there")
    ):
        graphkit.build(
            [graphkit.SAMPLE_CORPUS], db=tmp_path / "g.db", dask="tcp://127.0.0.1:9", batch_size=5
        )


_KILLED_BUILD = """
import os, signal, sys
import graphkit

def die_after_two(done):
    if done >= 2:
        os.kill(os.getpid(), signal.SIGKILL)

graphkit.build([sys.argv[1]], db=sys.argv[2], batch_size=1, workers=int(sys.argv[3]),
               progress=die_after_two)
"""


@pytest.mark.parametrize("workers", [1, 2])
def test_a_build_killed_part_way_and_run_again_equals_an_uninterrupted_one(
    articles_dir, tmp_path, workers
):
    for n in range(3, 6):
        (articles_dir / f"more{n}.txt").write_text(
            f"Story {n}\nAcme Holdings hired Maria Lopez{n} while Nordpay watched.\n",
            encoding="utf-8",
        )
    clean = tmp_path / "clean.db"
    graphkit.build([articles_dir], db=clean, batch_size=1)
    db = tmp_path / "killed.db"
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_BUILD, str(articles_dir), str(db), str(workers)],
        capture_output=True,
    )
    assert killed.returncode == -signal.SIGKILL
    assert 2 <= graphkit.store_info(db)["articles"] < 5
    resumed = graphkit.build([articles_dir], db=db, batch_size=1, workers=workers)
    assert resumed.unchanged >= 2
    assert store_content(db) == store_content(clean)
