"""Shared fixtures: the sample corpus built once per session, and tiny article folders."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import shutil
import signal
import threading
import time
from typing import ClassVar

import pytest
from hypothesis import settings

import graphkit

# Property tests draw a fixed sequence of examples in CI (.ci/run sets
# GRAPHKIT_HYPOTHESIS=ci), so a landing never hangs on the luck of one run;
# elsewhere each run draws afresh and keeps looking for new failures.
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("GRAPHKIT_HYPOTHESIS", "default"))

# A shell runs background jobs with SIGINT ignored, and children inherit that:
# the Ctrl-C tests would then send a signal nobody hears. Handled here, it is
# back to its default action in every process the tests start.
signal.signal(signal.SIGINT, signal.default_int_handler)


def write_jsonl(path, records) -> None:
    """Hand-written article records as a JSONL corpus file."""
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")


def build_records(folder, name: str, records):
    """A store built from ``records`` (``folder/articles.jsonl``): ``(db path, build summary)``."""
    write_jsonl(folder / "articles.jsonl", records)
    db = folder / f"{name}.db"
    return db, graphkit.build([folder / "articles.jsonl"], db=db)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    """A store built from the bundled sample corpus with the default model (read-only use)."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    graphkit.build([graphkit.SAMPLE_CORPUS], db=path)
    return path


@pytest.fixture
def sample_db_copy(sample_db, tmp_path):
    """A private copy of the sample store, for tests that change it."""
    path = tmp_path / "sample.db"
    shutil.copy(sample_db, path)
    return path


@pytest.fixture(scope="session")
def sample_graph(sample_db):
    return graphkit.load_graph(sample_db)


@pytest.fixture
def articles_dir(tmp_path):
    """A folder with two small articles of our own."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text(
        "date 2024-03-01\nBank governor meets fintech founder\n\n"
        "Alice Moreau, governor of the Bank of Lorraine, met fintech founders in Paris on Monday. "
        "Moreau said Tomas Berg of Nordpay would join the pilot.\n",
        encoding="utf-8",
    )
    (folder / "two.md").write_text(
        "# Nordpay expands\n\nTomas Berg said Nordpay had hired staff from Acme Holdings. "
        "The Bank of Lorraine declined to comment.\n",
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def small_db(articles_dir, tmp_path):
    """A store built from :func:`articles_dir` (private to the test)."""
    db = tmp_path / "small.db"
    graphkit.build([articles_dir], db=db)
    return db


class _FeedHandler(http.server.BaseHTTPRequestHandler):
    """Serves ``routes``: path → (status, body or redirect target, delay in seconds)."""

    routes: ClassVar[dict[str, tuple[int, bytes, float]]] = {}

    def do_GET(self):
        status, body, delay = self.routes.get(self.path, (404, b"not found", 0))
        time.sleep(delay)
        self.send_response(status)
        if 300 <= status < 400:  # a redirect: the body given is where to
            self.send_header("Location", body.decode())
            body = b""
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (the timeout test)
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    """A local HTTP server (127.0.0.1, a free port) serving ``routes``, stopped afterwards."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FeedHandler.routes = {}
    yield f"http://127.0.0.1:{server.server_address[1]}", _FeedHandler.routes
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
