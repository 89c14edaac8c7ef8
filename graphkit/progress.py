"""Progress of long work, reported by phase: what the library tells, never how it is shown.

The library (``build``, re-resolution, pages, exports) calls a :class:`Progress`
at the start of each phase, as work gets done, and at the end; it never
prints. The CLI passes one that draws a bar on a terminal or writes one line
per phase to a log (:mod:`graphkit.cli.progress`); a notebook can pass its
own. The default does nothing.
"""

from __future__ import annotations

from collections.abc import Callable


class Progress:
    """Receives phases of work. Subclass and override; every method does nothing here.

    A phase is started with :meth:`start`, advanced with :meth:`advance` (by
    the number of units just completed) and closed with :meth:`finish`.
    ``total`` is ``None`` when the amount of work is not known in advance.
    """

    #: Whether it shows totals, so callers count the work first (cheaply) when it does.
    wants_totals = False

    def start(self, phase: str, *, total: int | None = None, unit: str = "item") -> None:
        """A phase begins: ``phase`` names it ("extract", "resolve" …)."""

    def advance(self, done: int = 1) -> None:
        """``done`` more units of the current phase are finished."""

    def finish(self) -> None:
        """The current phase is over."""


class CallbackProgress(Progress):
    """Calls ``callback(done_so_far)`` as the ``extract`` phase advances.

    Kept for callers of ``build(progress=callable)``: the callable receives
    the number of articles handled so far.
    """

    def __init__(self, callback: Callable[[int], None]):
        self.callback = callback
        self.done = 0
        self.phase = ""

    def start(self, phase: str, *, total: int | None = None, unit: str = "item") -> None:
        self.phase, self.done = phase, 0

    def advance(self, done: int = 1) -> None:
        self.done += done
        if self.phase == "extract":
            self.callback(self.done)


def as_progress(progress: Progress | Callable[[int], None] | None) -> Progress:
    """A :class:`Progress` for what a caller passed: one, a callable, or nothing."""
    if progress is None:
        return Progress()
    if isinstance(progress, Progress):
        return progress
    return CallbackProgress(progress)
