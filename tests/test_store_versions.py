"""Commands that only read leave the store as they found it (no migration, no key, no new files),
and a store written by a newer dx10 is refused by every command, with one line that says so."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from bot.store import MIGRATIONS, Store
from conftest import run_dx10, run_dx10_read_only
from fakes.contract import DAY, interaction

NO_SECRET = {"DX10_SECRET": ""}  # an admin shell without the service's settings
READ_ONLY = [("export",), ("export", "--format", "json"), ("nudges", "list"), ("nudges", "preview", "--date", DAY)]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the store's folder and a hash of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def current_store(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", "the-service-secret")  # so the store holds no key of its own
    store = Store(path)
    store.db["interactions"].insert(interaction(DAY, user_key=store.user_key("slack", "U1")))
    store.db["nudge_subscriptions"].insert({"platform": "slack", "conversation": "D1", "user_id": "U1", "kind": "user",
                                            "schedule": "daily 09:00", "tz": "Asia/Tokyo", "lang": "ja", "active": 1,
                                            "cursor": 0, "since": "2026-03-01T00:00:00+00:00"})
    store.close()
    monkeypatch.delenv("DX10_SECRET")


def older_store(path: Path) -> None:
    """A store as a dx10 before m008 (keyed user hashes) left it: one question with a raw user id."""
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.table("migrations").create({"name": str, "applied_at": str}, pk="name")
    for name, fn in sorted(MIGRATIONS, key=lambda m: m[0]):
        if name >= "m008":
            continue
        fn(db)
        db["migrations"].insert({"name": name, "applied_at": "2026-01-01T00:00:00+00:00"})
    db["interactions"].insert({"at": f"{DAY}T09:00:00+00:00", "platform": "slack", "user_id": "U1", "conversation": "D1",
                               "text": "第3条", "intent": "principle", "principle": 3, "answered": 1})
    db.close()


def newer_store(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    current_store(path, monkeypatch)
    with sqlite3.connect(path) as conn:
        conn.execute("insert into migrations (name, applied_at) values ('m020_something_new', '2027-01-01')")
    conn.close()


@pytest.mark.parametrize("args", READ_ONLY)
def test_read_only_commands_change_no_byte_and_create_no_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             args: tuple[str, ...]) -> None:
    db = tmp_path / "store" / "dx10.db"
    db.parent.mkdir()
    current_store(db, monkeypatch)
    before = snapshot(db.parent)
    result = run_dx10(*args, "--db", str(db), env=NO_SECRET)
    assert result.returncode == 0, result.stderr
    assert snapshot(db.parent) == before  # not a byte, and no -wal/-shm left behind either
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from settings").fetchone() == (0,)  # no user_key_secret was made
    conn.close()


def test_export_from_an_older_backup_reads_it_as_migrated_without_migrating_it(tmp_path: Path) -> None:
    db = tmp_path / "old" / "backup.db"
    db.parent.mkdir()
    older_store(db)
    before = snapshot(db.parent)
    result = run_dx10("export", "--format", "json", "--from", DAY, "--to", DAY, "--db", str(db), env=NO_SECRET)
    assert result.returncode == 0, result.stderr
    [day] = json.loads(result.stdout)["days"]
    assert (day["date"], day["questions"], day["answered"]) == (DAY, 1, 1)
    assert snapshot(db.parent) == before  # still the old schema: its raw user id was not re-hashed in the file
    listed = run_dx10("nudges", "list", "--db", str(db), env=NO_SECRET)
    assert listed.returncode == 0 and listed.stdout == b"no subscriptions\n", listed.stderr
    assert snapshot(db.parent) == before


def test_export_from_a_store_on_a_read_only_mount(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "rodb"
    folder.mkdir()
    current_store(folder / "dx10.db", monkeypatch)
    result = run_dx10_read_only(folder, "export", "--from", DAY, "--to", DAY, "--db", str(folder / "dx10.db"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines()[1].startswith(f"{DAY},1,1,")


def test_export_while_the_server_writes_sees_what_it_committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "dx10.db"
    current_store(db, monkeypatch)
    serving = Store(db)  # as dx10 serve holds it: its -wal and -shm files exist
    try:
        serving.db["interactions"].insert(interaction(DAY, answered=False))
        serving.db.conn.commit()
        before = snapshot(tmp_path)
        result = run_dx10("export", "--from", DAY, "--to", DAY, "--db", str(db), env=NO_SECRET)
        assert result.returncode == 0, result.stderr
        assert result.stdout.decode().splitlines()[1].startswith(f"{DAY},2,1,1,")
        assert set(snapshot(tmp_path)) == set(before)
    finally:
        serving.close()


def test_read_only_commands_need_an_existing_store(tmp_path: Path) -> None:
    for args in READ_ONLY:
        result = run_dx10(*args, "--db", str(tmp_path / "typo.db"))
        assert result.returncode == 2 and result.stderr.decode() == (
            f"dx10: {tmp_path / 'typo.db'}: no store there; pass --db FILE or set DX10_DB\n"), args
    assert list(tmp_path.iterdir()) == []


EVERY_COMMAND = [
    ("chat",), ("serve", "--port", "0"), ("export",), ("nudges", "list"), ("nudges", "preview"),
    ("nudges", "add", "--platform", "console", "--conversation", "me"), ("nudges", "remove", "1"),
    ("nudges", "run-due"), ("forget", "--platform", "slack", "--user", "U1"), ("retention", "run"),
]


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=" ".join)
def test_a_store_from_a_newer_dx10_is_refused_by_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               args: tuple[str, ...]) -> None:
    db = tmp_path / "store" / "future.db"
    db.parent.mkdir()
    newer_store(db, monkeypatch)
    before = snapshot(db.parent)
    result = run_dx10(*args, "--db", str(db), input="第3条\n",
                      env={"DX10_SECRET": "s", "TEAMS_ALLOW_UNAUTHENTICATED": "1"})
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err, err
    assert err.splitlines()[-1] == (
        f"dx10: {db}: written by a newer dx10 (migration(s) this version does not have: m020_something_new); "
        "run that version, or restore a backup taken before the upgrade")
    assert result.stdout == b""
    assert snapshot(db.parent) == before


def test_restore_refuses_a_newer_backup_and_backup_copies_it_with_a_note(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    future = tmp_path / "future.db"
    newer_store(future, monkeypatch)
    target = tmp_path / "dx10.db"
    result = run_dx10("restore", str(future), "--db", str(target))
    assert result.returncode == 2 and b"written by a newer dx10" in result.stderr and not target.exists()
    copy = tmp_path / "copy.db"
    result = run_dx10("backup", str(copy), "--db", str(future))
    assert result.returncode == 0 and copy.is_file()
    assert result.stderr.decode() == ("dx10: note: the store was written by a newer dx10 (migration(s) this version "
                                      "does not have: m020_something_new); only that version can restore and use "
                                      "this backup\n")
