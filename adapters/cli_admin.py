"""Operator commands: forget, export, backup, restore, retention. Registered by adapters/cli.py."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from adapters.cli_help import shows_help
from adapters.cli_paths import writable_file
from bot.privacy import KeyMismatch
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


def _require_key(store: Store) -> None:
    """Refuse (exit 2, one line) when this process's key did not write the question log."""
    try:
        store.require_key()
    except KeyMismatch as exc:
        store.close()
        _fail(str(exc))


def cmd_forget(args: argparse.Namespace) -> int:
    from bot.forget import forget, unowned_direct_subscriptions
    from bot.privacy import stored_secret

    if not args.user.strip():
        _fail("--user must not be empty")
    store = _store(args)
    _require_key(store)
    try:
        # Rows from before `dx10 key adopt` may still carry the store's own random key: tried too.
        own = stored_secret(store.db)
        deleted = forget(store.db, store.secret, args.platform, args.user, (own,) if own else ())
        unowned = unowned_direct_subscriptions(store.db, args.platform)
    finally:
        store.close()
    if not deleted:
        print(f"no data held for {args.platform} user {args.user}")
    else:
        print(f"deleted the data of {args.platform} user {args.user}:")
        for table, count in sorted(deleted.items()):
            print(f"  {table}: {count} row(s)")
    if unowned:
        print(f"note: tips still go to {len(unowned)} {args.platform} direct message(s) recorded without a user "
              f"({', '.join(unowned)}): if one is this person's, stop it with `dx10 nudges remove ID` "
              "(`dx10 nudges list` shows the ids)")
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
    from bot.backup import BackupError, check, describe, keep_copy, restore

    target = args.db or db_path()
    writable_file(target, folder_too=True)  # the store and its -wal/-shm files
    replacing = Path(target).exists()
    if replacing and not args.yes:
        _fail(f"{target} exists and would be replaced ({describe(target)}): stop dx10 serve, then run again with --yes")
    try:
        check(args.path)  # a bad backup is refused before anything is copied or written
        if replacing:
            # The store being replaced is kept next to it, in case the wrong backup was chosen.
            was = describe(target)
            copy = keep_copy(target)
            print(f"kept the replaced store ({was}) at {copy}")
        migrations = restore(args.path, target, damaged_ok=replacing)
    except BackupError as exc:
        _fail(str(exc))
    print(f"restored {args.path} to {target} ({migrations} migration(s), {describe(target)}); start dx10 serve again")
    return 0


def cmd_key_status(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        found = store.key_check()
    finally:
        store.close()
    print(f"this process's key: {found.current} ({found.source()})")
    print(f"the question log's key: {found.recorded or 'not recorded yet'}")
    verdict = {"match": "they match: forget finds every row",
               "new": "nothing is logged yet: the first logged question records the key",
               "mismatch": "they differ",
               "mixed": f"the log holds rows under more than one key ({found.matched} of {found.checked} people "
                        "active lately under this one)",
               "unknown": "cannot tell"}[found.state]
    print(f"state: {found.state} ({verdict})")
    if problem := found.problem():
        print(f"dx10: {problem}", file=sys.stderr)
        return 2
    return 0


def cmd_key_adopt(args: argparse.Namespace) -> int:
    from bot.keys import adopt, matches
    from bot.privacy import stored_secret, verify

    store = _store(args)
    try:
        found = store.key_check()
        if found.recorded == found.current:
            print(f"this key ({found.current}) already writes the question log; nothing to do")
            return 0
        given: bytes | None = None
        if args.old_secret_file:
            try:
                given = Path(args.old_secret_file).read_text(encoding="utf-8").strip().encode("utf-8")
            except OSError as exc:
                _fail(f"{args.old_secret_file}: cannot read it ({exc.strerror})")
        own = stored_secret(store.db)
        own = own if own != store.secret else None
        old: bytes | None = None
        if found.state == "mismatch" and found.recorded:  # the old key is the recorded one
            if given is not None and not matches(given, found.recorded):
                _fail(f"{args.old_secret_file}: that is not the log's key (fingerprint {found.recorded})")
            old = given or (own if own is not None and matches(own, found.recorded) else None)
        elif found.state in ("mismatch", "mixed"):  # from before fingerprints: a key some rows carry
            if given is not None and not verify(store.db, given)[0]:
                _fail(f"{args.old_secret_file}: none of the people active lately have rows under that key")
            old = given or (own if own is not None and verify(store.db, own)[0] else None)
        if not args.yes:
            what = {"new": "record this key for the (still empty) question log",
                    "unknown": "record this key as the one that wrote the question log",
                    "match": "record this key as the one that wrote the question log"}.get(found.state) or (
                "move the rows of every person dx10 still knows by id to this key" if old is not None else
                "make this the log's key while the rows written with another key stay under it, which is not "
                "at hand (pass --old-secret-file to move them)")
            _fail(f"this would {what} (fingerprint {found.current}); run again with --yes")
        done = adopt(store.db, store.secret, old)
    finally:
        store.close()
    print(f"the question log's key is now {found.current} ({found.source()})")
    if found.state == "unknown":
        print("the rows written before could not be checked against it")
    if old is not None:
        print(f"moved {done.rehashed_rows} row(s) of {done.rehashed_people} person(s) to it")
    if found.state in ("mismatch", "mixed") and done.left_rows:
        tried = " (forget still tries the store's own old key)" if old is not None and old == own else ""
        print(f"{done.left_rows} row(s) belong to people dx10 no longer knows by id: those under another key "
              f"cannot be matched by forget{tried}; their texts go with retention")
    return 0


def cmd_retention_run(args: argparse.Namespace) -> int:
    from bot.retention import MAX_RETENTION_DAYS, purge_texts, retention_days

    days = args.days if args.days is not None else retention_days()
    if not 1 <= days <= MAX_RETENTION_DAYS:
        _fail(f"--days must be from 1 to {MAX_RETENTION_DAYS} (got {days})")
    store = _store(args)
    try:
        purged = purge_texts(store.db, days)
    finally:
        store.close()
    print(f"deleted the text of {purged.questions} question(s) and {purged.comments} NPS comment(s) "
          f"older than {days} day(s)")
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
    rs = add("restore", cmd_restore, "Replace the store with a backup (stop dx10 serve first); the replaced store "
                                      "is kept next to it as FILE.before-restore-TIME.")
    rs.add_argument("path", help="backup file written by dx10 backup")
    rs.add_argument("--yes", action="store_true", help="replace an existing store")
    rs.add_argument("--db", help=DB_HELP)
    ky = sub.add_parser("key", help="The key of the user hashes in the question log.",
                        description="The key of the user hashes in the question log (DX10_SECRET).")
    ky_sub = ky.add_subparsers(dest="key_command", metavar="KEY_COMMAND")
    st = ky_sub.add_parser("status", help="Compare this process's key with the one that wrote the question log.",
                           description="Compare this process's key with the one that wrote the question log "
                                       "(fingerprints only, never the key); exit 2 when they differ.")
    st.add_argument("--db", help=DB_HELP)
    st.set_defaults(func=cmd_key_status)
    ad = ky_sub.add_parser(
        "adopt", help="Make this process's key the question log's key (a deliberate key change).",
        description="Make this process's key (DX10_SECRET) the question log's key. Rows of people dx10 still "
                    "knows by id move to it when the old key is at hand (the store's own random key, or "
                    "--old-secret-file); other rows stay under the old key, where forget cannot match them.")
    ad.add_argument("--old-secret-file", help="a file holding the old DX10_SECRET, to move the rows to the new key")
    ad.add_argument("--yes", action="store_true", help="do it (without: say what it would do)")
    ad.add_argument("--db", help=DB_HELP)
    ad.set_defaults(func=cmd_key_adopt)
    ky.set_defaults(func=shows_help(ky))
    rt = sub.add_parser("retention", help="Data retention tools.", description="Data retention tools.")
    rt_sub = rt.add_subparsers(dest="retention_command", metavar="RETENTION_COMMAND")
    about = "Delete question texts and NPS comments older than DX10_RETENTION_DAYS (default 90) now."
    run = rt_sub.add_parser("run", help=about, description=about)
    run.add_argument("--days", type=int, help="override DX10_RETENTION_DAYS")
    run.add_argument("--db", help=DB_HELP)
    run.set_defaults(func=cmd_retention_run)
    rt.set_defaults(func=shows_help(rt))
