"""The one way graphkit writes a file: pages, exports, reports and aliases files alike.

The rules, the same for every output:

- ``-`` means standard output.
- A regular file (or a path that does not exist yet) is written atomically:
  to a temporary file in the same folder, flushed to disk, then renamed over
  the path. An interrupted or failed write leaves the old file (or nothing)
  in place, never half a file.
- A new file gets the permissions of any file the user creates (``0666``
  minus their umask, applied by the system when the file is created; the
  umask is never changed). A file that is replaced keeps its permissions.
- Missing parent folders are created.
- A symbolic link is followed: the file it points to is replaced atomically
  (the link stays a link).
- Anything else that already exists and is not a regular file (a FIFO, a
  device such as ``/dev/stdout``, a socket) is written through, never
  replaced by a regular file.
- Every failure (unwritable folder, full disk, empty path, a folder where a
  file is wanted) is a one-line :class:`~graphkit.errors.GraphkitError`
  naming the path.

:func:`open_output_folder` writes several files into one folder all or
nothing: every file is written to its temporary file first, and only when
all of them are complete are they renamed into place.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from graphkit.errors import GraphkitError

STDOUT = "-"


def is_stdout(path) -> bool:
    """Whether ``path`` is ``-``, the name for standard output."""
    return str(path) == STDOUT


@contextlib.contextmanager
def open_output(path, mode: str = "w") -> Iterator[IO]:
    """Open ``path`` for writing by the rules of this module; commit when the block ends.

    Parameters
    ----------
    path : str or Path
        The file to write, or ``-`` for standard output.
    mode : str
        ``"w"`` for text (UTF-8, newlines untranslated) or ``"wb"`` for bytes.

    Raises
    ------
    GraphkitError
        When the file cannot be written; nothing is left half-written.
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', not {mode!r}")
    if is_stdout(path):
        stream = _stdout(mode)
        try:
            yield stream
            stream.flush()
        except OSError as err:  # a closed or broken pipe
            raise GraphkitError(f"cannot write to standard output: {err.strerror or err}") from err
        return
    target = _target(path)
    if not isinstance(target, Path):  # a FIFO, device or socket, named as given
        with _write_through(Path(path), mode) as handle:
            yield handle
        return
    staged = _Staged(target, mode)
    try:
        yield staged.handle
        staged.finish()
    except BaseException as err:
        staged.discard()
        if isinstance(err, OSError):
            raise _error(target, err) from err
        raise
    staged.commit()


def write_output(path, data: str | bytes) -> None:
    """Write ``data`` (text or bytes) to ``path`` with :func:`open_output`."""
    with open_output(path, "wb" if isinstance(data, bytes) else "w") as handle:
        handle.write(data)


@contextlib.contextmanager
def open_output_folder(folder) -> Iterator[Callable[[str, str], IO]]:
    """Write several files into ``folder``, all or nothing.

    Yields a function ``open_file(name, mode="w")`` returning an open handle
    for ``folder / name``. Every file is staged in a temporary file; only when
    the block ends without error are they all renamed into place. On any
    error no file in the folder has changed (a folder created for them is
    left, empty).

    Raises
    ------
    GraphkitError
        When ``folder`` is a file or a file cannot be written.
    """
    if not str(folder) or is_stdout(folder):
        raise GraphkitError(f"give a folder to write into, not {str(folder)!r}")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise GraphkitError(f"{folder} is a file; this output writes a folder of files")
    staged: list[_Staged] = []

    def open_file(name: str, mode: str = "w") -> IO:
        item = _Staged(folder / name, mode)
        staged.append(item)
        return item.handle

    try:
        _make_folder(folder)
        yield open_file
        for item in staged:
            item.finish()
    except BaseException as err:
        for item in staged:
            item.discard()
        if isinstance(err, OSError):
            raise _error(Path(err.filename or folder), err) from err
        raise
    for item in staged:
        item.commit()


def _target(path) -> Path | None:
    """The regular file to replace: ``path``, or the file a symbolic link at ``path`` points to.

    None when ``path`` (or what its link points to) exists and is not a regular file
    or a folder: a FIFO, a device (``/dev/stdout`` points to one or to a pipe), a socket.
    """
    if not str(path):
        raise GraphkitError("the output path is empty; give a file name (or - for standard output)")
    path = Path(path)
    try:
        info = os.stat(path)  # follows links
    except FileNotFoundError:
        info = None  # a new file (or a link to one not made yet)
    except OSError as err:
        raise _error(path, err) from err
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise GraphkitError(f"{path} is a folder; give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        return None
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _error(folder, err) from err


def _error(path: Path, err: OSError) -> GraphkitError:
    reason = err.strerror or str(err)
    return GraphkitError(f"cannot write {path}: {reason}")


def _stdout(mode: str) -> IO:
    stream = sys.stdout
    return stream.buffer if "b" in mode and hasattr(stream, "buffer") else stream


@contextlib.contextmanager
def _write_through(target: Path, mode: str) -> Iterator[IO]:
    """Write straight into a FIFO, device or socket (renaming over it would replace it)."""
    try:
        with open(target, mode, **_text_options(mode)) as handle:
            yield handle
    except OSError as err:
        raise _error(target, err) from err


def _text_options(mode: str) -> dict:
    return {} if "b" in mode else {"encoding": "utf-8", "newline": ""}


class _Staged:
    """A temporary file beside ``target`` that becomes ``target`` on :meth:`commit`."""

    def __init__(self, target: Path, mode: str):
        self.target = target
        self.handle = None
        _make_folder(target.parent)
        existing = _mode_of(target)
        for attempt in range(100):
            temp = target.with_name(f".{target.name}.{os.getpid()}.{attempt}.tmp")
            try:
                # 0o666 filtered by the umask, by the system: the rights of any new file.
                fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                break
            except FileExistsError:
                continue
            except OSError as err:
                raise _error(target, err) from err
        else:
            raise GraphkitError(f"cannot write {target}: no free temporary name beside it")
        self.temp = temp
        try:
            if existing is not None:
                os.chmod(fd, existing)
            self.handle = os.fdopen(fd, mode, **_text_options(mode))
        except OSError as err:
            os.close(fd)
            self.discard()
            raise _error(target, err) from err

    def finish(self) -> None:
        """Flush everything to disk (where a full disk shows)."""
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
        except OSError as err:
            raise _error(self.target, err) from err

    def commit(self) -> None:
        try:
            os.replace(self.temp, self.target)
        except OSError as err:
            self.discard()
            raise _error(self.target, err) from err

    def discard(self) -> None:
        if self.handle is not None:
            with contextlib.suppress(OSError, ValueError):
                self.handle.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temp)


def _mode_of(path: Path) -> int | None:
    """The permission bits of an existing regular file at ``path``, else None."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None
