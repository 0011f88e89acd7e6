"""Paths the operator gives the CLI, checked before any work: one line that names the path.

Each command checks where it will write first, so a mistyped `--out` fails before a long export,
and says which of the usual mistakes it was (a folder, a missing folder, a read-only place).
Whatever these checks do not foresee still becomes one line: adapters/cli.py turns any OSError
into `dx10: PATH: reason`.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from bot.errors import UserError


def writable_file(path: str | Path, *, folder_too: bool = False, example: str = "dx10.db") -> Path:
    """`path` can be written (created, or replaced when it exists); `folder_too`: files can also be
    created next to it (SQLite's -wal and -shm files). `example`: a file name to suggest."""
    p = Path(path)
    if p.is_dir():
        raise UserError(f"{p}: is a folder; give a file name, e.g. {p / example}")
    parent = p.parent
    if not parent.is_dir():
        raise UserError(f"{parent}: no such folder" if not parent.exists() else f"{parent}: not a folder")
    if p.exists() and not os.access(p, os.W_OK):
        raise UserError(f"{p}: cannot write it ({_why(p)})")
    if (folder_too or not p.exists()) and not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"{parent}: cannot create files there ({_why(parent)})")
    return p


def readable_file(path: str | Path, what: str) -> Path:
    """`path` is a file that can be read; `what` says what it should be, for the message."""
    p = Path(path)
    if p.is_dir():
        raise UserError(f"{p}: is a folder; pass {what}")
    if not p.exists():
        raise UserError(f"{p}: no such file; pass {what}")
    if not os.access(p, os.R_OK):
        raise UserError(f"{p}: cannot read it (no permission)")
    return p


def _why(path: Path) -> str:
    # access(2) answers EROFS for a read-only mount, EACCES for permissions: say which.
    try:
        statvfs = os.statvfs(path)
    except OSError:
        return "read-only or no permission"
    return "read-only file system" if statvfs.f_flag & os.ST_RDONLY else "no permission"


def os_error_line(exc: OSError) -> str:
    """An OSError as the operator needs it: the path (when there is one) and the reason."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.errno == errno.EISDIR:
        reason = "is a folder; give a file name"
    names = [str(n) for n in (exc.filename, exc.filename2) if n]
    return f"{' -> '.join(names)}: {reason}" if names else reason
