"""Reading a user's file safely: only regular files, size checked before a byte is read.

Scenario files, bases, mods and saves all come from folders the user controls; a FIFO would block
forever, `/dev/zero` never ends, a symlink loop or an over-long name raises. Each of these becomes a
`FileProblem` with a sentence for the user.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class FileProblem(Exception):
    """The file cannot be read; `str()` is a sentence for the user."""


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "its symbolic links form a loop"
    if exc.errno == errno.ENAMETOOLONG:
        return "its name is too long for this system"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "it does not exist"
    return exc.strerror or str(exc)


def check_regular_file(path: Path, limit: int) -> int:
    """The size of `path`, a regular file of at most `limit` bytes; FileProblem otherwise."""
    try:
        info = path.stat()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise FileProblem(f"cannot read the file: {_reason(exc) if isinstance(exc, OSError) else exc}") from None
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise FileProblem(f"cannot read the file: it is {kind}, not a regular file")
    if info.st_size > limit:
        raise FileProblem(f"file is too large ({info.st_size:,} bytes; the limit is {limit:,} bytes)")
    return info.st_size


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (checked before and while reading)."""
    check_regular_file(path, limit)
    try:
        # O_NONBLOCK: should the file have been swapped for a FIFO since the check, open does not block.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise FileProblem(f"cannot read the file: {_reason(exc)}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FileProblem("cannot read the file: it is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise FileProblem(f"cannot read the file: {_reason(exc)}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileProblem(f"file is too large (more than {limit:,} bytes; the limit is {limit:,} bytes)")
    return data


def path_exists(path: Path) -> bool:
    """True for anything at `path`, even a FIFO or a dangling or looping symbolic link; never raises."""
    try:
        return path.exists() or path.is_symlink()
    except (OSError, ValueError):
        return False


def is_folder(path: Path) -> bool:
    """`path.is_dir()` that never raises (a symlink loop, a name that is too long)."""
    try:
        return path.is_dir()
    except (OSError, ValueError, RuntimeError):
        return False


def resolved_path(path: Path) -> Path:
    """`path.resolve()`, or the absolute path when it cannot be resolved (a symlink loop raises before 3.13)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()
