"""Checking, before any work is done, that a command will be able to write its output file.

`simulate --out` and `screenshot --out` can run for minutes; finding out only at the end that the
path is a folder or the folder is read-only would throw that work away.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def output_problem(path: Path) -> str | None:
    """Why `path` cannot be written (creating its folder if needed), or None when it can."""
    try:
        if path.is_dir():
            return f"{path} is a folder; name a file inside it"
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=folder)
    except (FileExistsError, NotADirectoryError):
        return f"cannot write {path}: a file stands where its folder should be"
    except OSError as error:
        return f"cannot write {path}: {error.strerror or error}"
    except ValueError as error:  # a NUL in the name
        return f"cannot write {path}: {error}"
    os.close(handle)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    if path.exists() and not os.access(path, os.W_OK):
        return f"cannot write {path}: permission denied"
    return None
