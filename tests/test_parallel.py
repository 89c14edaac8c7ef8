"""Extraction spread over processes gives the same store as one process."""

from __future__ import annotations

import re

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
