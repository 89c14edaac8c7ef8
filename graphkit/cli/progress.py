"""How the CLI shows progress: a bar on a terminal, one line per phase in a log, or nothing.

On a terminal (stderr is a TTY) each phase gets a ``tqdm`` bar with done/total,
rate and time left; when stderr is a file or a pipe, each phase writes one
line when it ends ("extract: 2225 articles in 95.3s, 23.3/s"), so a build's
log says what took the time without filling it with redraws; ``--quiet``
shows nothing. tqdm (about 50 ms to import, and already installed with
spaCy) is imported only when a bar is drawn.
"""

from __future__ import annotations

import functools
import sys
import time

import click

from graphkit.progress import Progress


class CliProgress(Progress):
    """Draws phases on ``stream`` (stderr): a bar on a terminal, else a line per phase."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar = None
        self.phase = None
        self.total: int | None = None
        self.unit = "item"
        self.done = 0
        self.started = 0.0

    @property
    def wants_totals(self) -> bool:
        """Only a bar shows a total: a log gets none, so nothing is read twice to count."""
        return _is_terminal(self.stream)

    def start(self, phase: str, *, total: int | None = None, unit: str = "item") -> None:
        self.finish()
        self.phase, self.total, self.unit, self.done = phase, total, unit, 0
        self.started = time.monotonic()
        if _is_terminal(self.stream):
            from tqdm import tqdm

            self.bar = tqdm(
                total=total, desc=phase, unit=f" {unit}s", file=self.stream, dynamic_ncols=True
            )

    def advance(self, done: int = 1) -> None:
        self.done += done
        if self.bar is not None:
            self.bar.update(done)

    def finish(self) -> None:
        if self.phase is None:
            return
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        else:
            self.stream.write(self.line() + "\n")
            self.stream.flush()
        self.phase = None

    def line(self) -> str:
        """The one line a finished phase leaves in a log."""
        seconds = time.monotonic() - self.started
        if not self.done:
            return f"{self.phase}: done in {seconds:.1f}s"
        rate = f", {self.done / seconds:.1f}/s" if seconds > 0 else ""
        return f"{self.phase}: {self.done} {self.unit}s in {seconds:.1f}s{rate}"


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def progress_for(obj) -> Progress:
    """The progress a command shows: nothing with ``--quiet``, else :class:`CliProgress`."""
    return Progress() if obj.get("quiet") else CliProgress()


def quiet_option(f):
    """``--quiet``/``-q`` on a command, the same as ``graphkit --quiet COMMAND``."""

    @click.option("-q", "--quiet", is_flag=True, help="Show no progress on stderr.")
    @functools.wraps(f)
    def wrapper(obj, *args, quiet, **kwargs):
        if quiet:
            obj = {**obj, "quiet": True}
        return f(obj, *args, **kwargs)

    return wrapper


def phase(progress: Progress, name: str, unit: str = "item"):
    """A context manager for a phase with no count: ``with phase(p, "measures"): ...``."""
    return _Phase(progress, name, unit)


class _Phase:
    def __init__(self, progress: Progress, name: str, unit: str):
        self.progress, self.name, self.unit = progress, name, unit

    def __enter__(self) -> Progress:
        self.progress.start(self.name, unit=self.unit)
        return self.progress

    def __exit__(self, *exc) -> None:
        self.progress.finish()
