"""Extraction on a Dask cluster: the model loaded once per worker, results back in order.

``graphkit build --dask ADDRESS`` connects to a running ``dask.distributed``
scheduler; ``--dask local:N`` starts a :class:`~distributed.LocalCluster` of
``N`` worker processes for the build and stops it afterwards. A worker plugin
(:class:`LoadPipeline`) loads the spaCy pipeline when each worker joins, so
every batch finds it loaded. The batches are cut exactly as for a local build
(:func:`graphkit.ingest.parallel.batched`), at most two per worker thread are
in flight, and results come back in input order into the one process that
writes the store: the store is the same as a local build's.

Only this module imports ``distributed`` (1.1 s and a dozen packages), and
only a build with ``--dask`` imports this module; install it with
``pip install 'graphkit[dask]'``. Workers need graphkit and the model
installed too: they run :func:`graphkit.ingest.parallel.extract_batch`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from graphkit.errors import GraphkitError
from graphkit.ingest.parallel import Finish, batched, extract_batch, in_order, load_once
from graphkit.models import Article

try:
    from distributed import Client, LocalCluster
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as err:  # pragma: no cover - depends on what is installed
    raise GraphkitError(
        "--dask needs dask.distributed, which is not installed: pip install 'graphkit[dask]'"
    ) from err

_LOCAL = re.compile(r"local:(\d+)")
#: Seconds to wait for a scheduler to answer before giving up.
CONNECT_TIMEOUT = 20.0


class LoadPipeline(WorkerPlugin):
    """Loads the spaCy pipeline into a worker's process when the worker starts."""

    name = "graphkit-load-pipeline"

    def __init__(self, model: str):
        self.model = model

    def setup(self, worker) -> None:
        load_once(self.model)


def connect(address: str, *, timeout: float | None = None) -> tuple[Client, LocalCluster | None]:
    """A client for ``address``: ``local:N`` starts a local cluster of N processes.

    Raises
    ------
    GraphkitError
        ``address`` is neither ``local:N`` nor a reachable scheduler.
    """
    local = _LOCAL.fullmatch(address.strip())
    if local:
        workers = int(local.group(1))
        if workers < 1:
            raise GraphkitError(f"--dask {address}: a local cluster needs at least 1 worker")
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        return Client(cluster), cluster
    try:
        return Client(address, timeout=timeout or CONNECT_TIMEOUT), None
    except (OSError, TimeoutError, ValueError) as err:
        raise GraphkitError(
            f"--dask {address}: no Dask scheduler answers there ({err}); start one with "
            "'dask scheduler' and give its address (tcp://HOST:8786), or use local:N"
        ) from err


def extract_batches_on_dask(
    address: str,
    model: str,
    articles: Iterable[Article],
    *,
    types: Sequence[str],
    batch_size: int = 64,
    finish: Finish | None = None,
) -> Iterator[list]:
    """Extract ``articles`` on the Dask cluster at ``address``, batch by batch, in order."""
    batches = batched(articles, batch_size)
    first = next(batches, None)
    if first is None:
        return
    client, cluster = connect(address)
    try:
        client.register_plugin(LoadPipeline(model))
        threads = sum(client.nthreads().values()) or 1
        submit = lambda batch: client.submit(  # noqa: E731
            extract_batch, model, batch, tuple(types), finish, pure=False
        )
        yield from in_order(
            _chain(first, batches), submit=submit, result=lambda f: f.result(), window=2 * threads
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _chain(first: list, rest: Iterator[list]) -> Iterator[list]:
    yield first
    yield from rest
