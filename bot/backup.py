"""Online backup and restore of the SQLite store.

The backup uses SQLite's backup API, which copies a consistent snapshot page by page while the
server keeps writing (WAL readers do not block writers). Restore writes a checked backup over the
store through the same API: stop `dx10 serve` first, so no process holds the old file open.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import UserError
from bot.store import newer_store_message, unknown_migrations


class BackupError(UserError):
    pass


def backup(source: str | Path, target: str | Path) -> int:
    """Copy the store at `source` to a new file `target`; returns its size in bytes."""
    src_path, dst_path = Path(source), Path(target)
    if not src_path.is_file():
        raise BackupError(f"{src_path}: no store there; pass --db or set DX10_DB")
    if dst_path.exists():
        raise BackupError(f"{dst_path}: already exists; choose a new file name (a backup never overwrites)")
    if not dst_path.parent.is_dir():
        raise BackupError(f"{dst_path.parent}: no such folder")
    try:
        src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True)
        dst = sqlite3.connect(dst_path)
    except sqlite3.Error as exc:
        raise BackupError(f"{dst_path}: cannot write the backup ({exc})") from None
    try:
        src.backup(dst, pages=1024)  # in steps, so a busy server is never locked out for long
    except sqlite3.Error as exc:
        dst.close()
        dst_path.unlink(missing_ok=True)
        raise BackupError(f"backup failed: {exc}") from None
    finally:
        src.close()
    dst.close()
    return dst_path.stat().st_size


def check(path: str | Path) -> int:
    """Integrity-check a backup; returns the number of applied migrations it holds."""
    p = Path(path)
    if not p.is_file():
        raise BackupError(f"{p}: no such file")
    try:
        conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        try:
            [result] = conn.execute("pragma integrity_check").fetchone()
            if result != "ok":
                raise BackupError(f"{p}: the file is damaged ({result})")
            count = int(conn.execute("select count(*) from migrations").fetchone()[0])
            if unknown := unknown_migrations(conn):  # this dx10 could not use it
                raise BackupError(newer_store_message(str(p), unknown))
            return count
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{p}: not a dx10 store ({exc})") from None


def restore(source: str | Path, target: str | Path, *, damaged_ok: bool = False) -> int:
    """Replace the store at `target` with the backup `source`; returns the backup's migration count.

    `damaged_ok`: a target SQLite cannot open (a copy of it was kept) is removed and written anew.
    """
    migrations = check(source)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        try:
            _copy_into(src, target)
        except sqlite3.DatabaseError:
            if not damaged_ok:
                raise
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            _copy_into(src, target)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot write {target} ({exc}); nothing was restored") from None
    finally:
        src.close()
    return migrations


def _copy_into(src: sqlite3.Connection, target: str | Path) -> None:
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("pragma journal_mode=WAL")
    finally:
        dst.close()


def describe(path: str | Path) -> str:
    """What a store holds, in a few words: "1234 question(s), last 2026-11-26"."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            count, last = conn.execute("select count(*), max(at) from interactions").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"unreadable: {exc}"
    return f"{count} question(s), last {str(last)[:10] if last else '-'}"


def keep_copy(target: str | Path, now: datetime | None = None) -> Path:
    """Copy the store that a restore is about to replace to `<target>.before-restore-<UTC time>`,
    next to it. A damaged store (often the reason for the restore) is copied byte for byte."""
    path = Path(target)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    copy = path.with_name(f"{path.name}.before-restore-{stamp}")
    n = 1
    while copy.exists() or Path(f"{copy}-wal").exists():  # two restores within a second: never overwrite a copy
        n += 1
        copy = path.with_name(f"{path.name}.before-restore-{stamp}-{n}")
    try:
        backup(path, copy)
    except BackupError:
        if copy.exists():
            raise
        try:
            for suffix in ("", "-wal"):
                if Path(f"{path}{suffix}").exists():
                    shutil.copy2(f"{path}{suffix}", f"{copy}{suffix}")
        except OSError as exc:
            raise BackupError(f"cannot keep a copy of {path} before replacing it ({exc.strerror}); nothing was changed") \
                from None
    return copy
