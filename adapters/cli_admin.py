"""Operator commands: forget, export, backup, restore, retention. Registered by adapters/cli.py."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from adapters.cli_help import shows_help
from adapters.cli_paths import writable_file
from bot.store import DEFAULT_DB, Store, db_path

DB_HELP = f"SQLite file (default: $DX10_DB or {DEFAULT_DB})"


def _fail(message: str) -> None:
    from adapters.cli import CliError

    raise CliError(message)


def _store(args: argparse.Namespace, *, read_only: bool = False) -> Store:
    """The existing store of --db or DX10_DB (never a new empty one); `read_only` for commands that
    only read: then the file is not migrated or written (bot/store.py)."""
    path = args.db or db_path()
    if not Path(path).is_file():
        _fail(f"{path}: no store there; pass --db FILE or set DX10_DB")
    return Store(path, read_only=read_only)


def cmd_forget(args: argparse.Namespace) -> int:
    from bot.forget import forget

    if not args.user.strip():
        _fail("--user must not be empty")
    store = _store(args)
    try:
        deleted = forget(store.db, store.secret, args.platform, args.user)
    finally:
        store.close()
    if not deleted:
        print(f"no data held for {args.platform} user {args.user}")
        return 0
    print(f"deleted the data of {args.platform} user {args.user}:")
    for table, count in sorted(deleted.items()):
        print(f"  {table}: {count} row(s)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from bot.export import export, first_day
    from bot.stats import Period, PeriodError

    if args.out:
        writable_file(args.out, example=f"dx10-export.{args.format}")  # before the work, not after it
    store = _store(args, read_only=True)
    try:
        start = args.start or (first_day(store.db) or datetime.now(UTC).date()).isoformat()
        try:
            period = Period.parse(start, args.end)
        except PeriodError as exc:
            _fail(f"export: {exc}")
        text = export(store.db, period, args.format, roll_up=False)
    finally:
        store.close()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}: {period.lo} to {period.end.isoformat()}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.backup import backup

    source = args.db or db_path()
    target = Path(args.path)
    if args.path.endswith(("/", os.sep)) or target.is_dir():  # into a folder: a new file named by the time
        if not target.is_dir():
            _fail(f"{target}: no such folder")
        target = target / f"dx10-{datetime.now(UTC):%Y%m%dT%H%M%S}.db"
    if not target.exists():  # an existing one is refused by backup(): a backup never overwrites
        writable_file(target)
    size = backup(source, target)
    print(f"backed up {source} to {target} ({size} bytes)")
    if note := _newer(target):  # copied all the same: the backup is how to keep it
        print(f"dx10: note: {note}", file=sys.stderr)
    return 0


def _newer(backup_file: Path) -> str | None:
    """Why this dx10 could not use the backup it just wrote, if a newer dx10 wrote the store."""
    import sqlite3

    from bot.store import unknown_migrations

    conn = sqlite3.connect(f"{backup_file.resolve().as_uri()}?immutable=1", uri=True)  # a new file nobody writes
    try:
        unknown = unknown_migrations(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return (f"the store was written by a newer dx10 (migration(s) this version does not have: {', '.join(unknown)}); "
            "only that version can restore and use this backup") if unknown else None


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.backup import BackupError, restore

    target = args.db or db_path()
    writable_file(target, folder_too=True)  # the store and its -wal/-shm files
    if Path(target).exists() and not args.yes:
        _fail(f"{target} exists and would be replaced: stop dx10 serve, then run again with --yes")
    try:
        migrations = restore(args.path, target)
    except BackupError as exc:
        _fail(str(exc))
    print(f"restored {args.path} to {target} ({migrations} migration(s)); start dx10 serve again")
    return 0


def cmd_retention_run(args: argparse.Namespace) -> int:
    from bot.retention import MAX_RETENTION_DAYS, purge_texts, retention_days

    days = args.days if args.days is not None else retention_days()
    if not 1 <= days <= MAX_RETENTION_DAYS:
        _fail(f"--days must be from 1 to {MAX_RETENTION_DAYS} (got {days})")
    store = _store(args)
    try:
        blanked = purge_texts(store.db, days)
    finally:
        store.close()
    print(f"deleted the text of {blanked} question(s) older than {days} day(s)")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    def add(name: str, fn: object, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=fn)
        return p

    fg = add("forget", cmd_forget, "Delete one person's data from every table and report what was deleted.")
    fg.add_argument("--platform", required=True, choices=("slack", "teams", "console"), help="where the person is")
    fg.add_argument("--user", required=True, help="the platform user id, e.g. U123 (Slack) or 29:1… (Teams)")
    fg.add_argument("--db", help=DB_HELP)
    ex = add("export", cmd_export, "Write daily aggregates (no personal data) as CSV or JSON for open data.")
    ex.add_argument("--format", choices=("csv", "json"), default="csv", help="output format (default: csv)")
    ex.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (default: the first logged day)")
    ex.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default: today, UTC)")
    ex.add_argument("--out", help="file to write (default: standard output)")
    ex.add_argument("--db", help=DB_HELP)
    bk = add("backup", cmd_backup, "Copy the store to PATH with SQLite's online backup (safe while serving).")
    bk.add_argument("path", help="new file to write, or a folder to write dx10-<UTC time>.db into")
    bk.add_argument("--db", help=DB_HELP)
    rs = add("restore", cmd_restore, "Replace the store with a backup (stop dx10 serve first).")
    rs.add_argument("path", help="backup file written by dx10 backup")
    rs.add_argument("--yes", action="store_true", help="replace an existing store")
    rs.add_argument("--db", help=DB_HELP)
    rt = sub.add_parser("retention", help="Data retention tools.", description="Data retention tools.")
    rt_sub = rt.add_subparsers(dest="retention_command", metavar="RETENTION_COMMAND")
    run = rt_sub.add_parser("run", help="Delete question texts older than DX10_RETENTION_DAYS (default 90) now.",
                            description="Delete question texts older than DX10_RETENTION_DAYS (default 90) now.")
    run.add_argument("--days", type=int, help="override DX10_RETENTION_DAYS")
    run.add_argument("--db", help=DB_HELP)
    run.set_defaults(func=cmd_retention_run)
    rt.set_defaults(func=shows_help(rt))
