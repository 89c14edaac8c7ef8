"""Extraction in bounded batches, in this process or in a pool of worker processes.

Why not spaCy's own ``n_process``: it sends every processed ``Doc`` back to
the parent as bytes, and the parent rebuilds it, so on a small machine the
parent competes with its workers. Here each worker process loads the
pipeline once (on its first batch), runs a whole batch, and sends back only
plain records (:class:`~graphkit.ingest.extract.Extraction`, or what
``finish`` makes of it): the parent reads articles and writes the store, and
little else.

Batches are cut from the article stream the same way whatever the number of
workers, and results come back in input order, so a build's store does not
depend on how many processes (or Dask workers, :mod:`graphkit.ingest.cluster`)
did the work. At most ``window`` batches are in flight, so memory stays flat
whatever the corpus size.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from graphkit.models import Article

Finish = Callable[[Any], Any]

# One pipeline per worker process, loaded by its first batch and kept for the
# next ones: the point of a worker process is to pay for loading only once.
_LOADED: dict[str, Any] = {}
# A Dask worker may run tasks in several threads; one pipeline is not shared
# between threads at once.
_LOCK = threading.Lock()


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def extract_batch(
    model: str, articles: Sequence[Article], types: Sequence[str], finish: Finish | None = None
) -> list:
    """Extract one batch with this process's copy of ``model`` (loaded on first use).

    ``finish`` (a picklable top-level function) turns each
    :class:`~graphkit.ingest.extract.Extraction` into what the caller stores,
    so that work happens in the worker too.
    """
    from graphkit.ingest.extract import extract_mentions

    with _LOCK:
        nlp = load_once(model)
        found = list(extract_mentions(nlp, articles, types=types, batch_size=max(1, len(articles))))
    return [finish(item) if finish else item for item in found]


def load_once(model: str):
    """This process's copy of ``model``, loaded on the first call."""
    from graphkit.ingest.extract import load_pipeline

    nlp = _LOADED.get(model)
    if nlp is None:
        nlp = _LOADED[model] = load_pipeline(model)
    return nlp


def in_order(
    batches: Iterable, submit: Callable[[Any], Any], result: Callable[[Any], list], window: int
) -> Iterator[list]:
    """Submit ``batches`` with at most ``window`` in flight; yield their results in order."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


def extract_batches(
    model: str,
    articles: Iterable[Article],
    *,
    types: Sequence[str],
    batch_size: int = 64,
    workers: int = 1,
    finish: Finish | None = None,
) -> Iterator[list]:
    """Extract ``articles`` batch by batch, in input order, with ``workers`` processes.

    With one worker everything runs in this process. With more, a pool of
    ``workers`` processes does the extraction and this process only hands out
    batches and collects results. Workers are forked where the platform can
    (as spaCy's own ``n_process`` does): they start at once, share the
    imported modules, and a script calling this needs no ``__main__`` guard.
    """
    batches = batched(articles, batch_size)
    first = next(batches, None)
    if first is None:
        return
    batches = itertools.chain([first], batches)
    if workers <= 1:
        for batch in batches:
            yield extract_batch(model, batch, types, finish)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with _deaf_to_ctrl_c():  # forked workers start with Ctrl-C ignored: no race at start
        pool = context.Pool(workers, initializer=_ignore_ctrl_c)
    with pool:
        yield from in_order(
            batches,
            submit=lambda batch: pool.apply_async(extract_batch, (model, batch, types, finish)),
            result=lambda pending: pending.get(),
            window=2 * workers,
        )


def _ignore_ctrl_c() -> None:
    """In a worker: Ctrl-C is the main process's to handle (it stops the pool), so a
    worker never prints a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _deaf_to_ctrl_c():
    """Ctrl-C ignored in this process while workers are forked (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
