"""`dx10 restore --yes` keeps the store it replaces next to it, and says what that store held."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import Store
from conftest import run_dx10
from fakes.contract import DAY, NEXT, interaction

SECRET = {"DX10_SECRET": "restore-test"}


def texts(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("select text from interactions order by id")]
    finally:
        conn.close()


@pytest.fixture
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    live, empty = tmp_path / "dx10.db", tmp_path / "empty-backup.db"
    store = Store(live)
    store.db["interactions"].insert_all([interaction(DAY, text="before"), interaction(NEXT, text="latest")])
    store.db.conn.commit()
    store.close()
    Store(empty).close()  # a valid dx10 store with nothing in it: the wrong backup, say
    return live, empty


def test_restore_keeps_the_replaced_store_next_to_it(stores: tuple[Path, Path]) -> None:
    live, empty = stores
    asked = run_dx10("restore", str(empty), "--db", str(live), env=SECRET)
    assert asked.returncode == 2 and f"(2 question(s), last {NEXT})" in asked.stderr.decode()
    result = run_dx10("restore", str(empty), "--db", str(live), "--yes", env=SECRET)
    assert result.returncode == 0, result.stderr
    [copy] = list(live.parent.glob("dx10.db.before-restore-*"))
    lines = result.stdout.decode().splitlines()
    assert lines[0] == f"kept the replaced store (2 question(s), last {NEXT}) at {copy}"
    assert lines[1].endswith("migration(s), 0 question(s), last -); start dx10 serve again")
    assert texts(live) == [] and texts(copy) == ["before", "latest"]
    # Going back is one more restore: the copy is a valid backup.
    back = run_dx10("restore", str(copy), "--db", str(live), "--yes", env=SECRET)
    assert back.returncode == 0 and texts(live) == ["before", "latest"]


def test_a_damaged_store_is_kept_byte_for_byte(stores: tuple[Path, Path]) -> None:
    live, empty = stores
    damaged = b"SQLite format 3\x00" + b"\x13" * 5000
    live.write_bytes(damaged)
    result = run_dx10("restore", str(empty), "--db", str(live), "--yes", env=SECRET)
    assert result.returncode == 0, result.stderr
    assert "(unreadable: " in result.stdout.decode().splitlines()[0]
    [copy] = list(live.parent.glob("dx10.db.before-restore-*"))
    assert copy.read_bytes() == damaged


def test_a_bad_backup_is_refused_before_any_copy_is_made(stores: tuple[Path, Path]) -> None:
    live, _ = stores
    junk = live.parent / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    result = run_dx10("restore", str(junk), "--db", str(live), "--yes", env=SECRET)
    assert result.returncode == 2 and "not a dx10 store" in result.stderr.decode()
    assert not list(live.parent.glob("dx10.db.before-restore-*")) and texts(live) == ["before", "latest"]
