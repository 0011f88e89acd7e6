"""A DM subscribed from the CLI is its person's: `nudges add` records who it belongs to (or asks),
and `dx10 forget` finds it, also when an older dx10 recorded it as a channel without a user."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store import Store
from conftest import run_dx10

SECRET = {"DX10_SECRET": "nudges-forget-test"}


def add(db: Path, *args: str) -> object:
    return run_dx10("nudges", "add", "--db", str(db), *args, env=SECRET)


def one_line(result: object, *words: str) -> None:
    err = result.stderr.decode()  # type: ignore[attr-defined]
    assert result.returncode == 2 and len(err.splitlines()) == 1, err  # type: ignore[attr-defined]
    assert all(w in err for w in words), err


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    path = tmp_path / "dx10.db"
    Store(path).close()
    return path


def subscriptions(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select conversation, user_id, kind, active from nudge_subscriptions order by id").fetchall()
    finally:
        conn.close()


def test_a_dm_needs_its_person_and_a_user_subscription_needs_a_user(db: Path) -> None:
    one_line(add(db, "--platform", "slack", "--conversation", "D108"), "direct message", "--user")
    one_line(add(db, "--platform", "teams", "--conversation", "a:1xyz"), "direct message", "--user")
    one_line(add(db, "--platform", "slack", "--conversation", "C302", "--kind", "user"), "--kind user needs --user")
    one_line(add(db, "--platform", "slack", "--conversation", "D108", "--user", "U108", "--kind", "channel"),
             "not a channel")
    assert subscriptions(db) == []
    ok = add(db, "--platform", "slack", "--conversation", "D108", "--user", "U108")
    assert ok.returncode == 0 and b"(user, ja)" in ok.stdout  # type: ignore[attr-defined]
    console = add(db, "--platform", "console", "--conversation", "alice")  # the console's chat is its user
    assert console.returncode == 0, console.stderr  # type: ignore[attr-defined]
    channel = add(db, "--platform", "slack", "--conversation", "C302")
    assert channel.returncode == 0 and b"(channel, ja)" in channel.stdout  # type: ignore[attr-defined]
    assert subscriptions(db) == [("D108", "U108", "user", 1), ("alice", "alice", "user", 1), ("C302", None, "channel", 1)]

    gone = run_dx10("forget", "--platform", "slack", "--user", "U108", "--db", str(db), env=SECRET)
    assert "  nudge_subscriptions: 1 row(s)" in gone.stdout.decode().splitlines()
    assert [s[0] for s in subscriptions(db)] == ["alice", "C302"]


def test_a_dm_the_bot_has_seen_is_recorded_with_its_person(db: Path) -> None:
    store = Store(db)
    store.save_conversation("slack", "D200", {"channel": "D200", "user": "U200", "team": "T1"})
    store.close()
    ok = add(db, "--platform", "slack", "--conversation", "D200")
    assert ok.returncode == 0, ok.stderr  # type: ignore[attr-defined]
    assert subscriptions(db) == [("D200", "U200", "user", 1)]
    one_line(add(db, "--platform", "slack", "--conversation", "D200", "--user", "U999"), "not of U999")


def test_forget_finds_a_dm_subscription_an_older_dx10_stored_as_a_channel(db: Path) -> None:
    store = Store(db)  # as the old CLI left it: kind channel, no user
    for conversation in ("D300", "D301"):
        store.db["nudge_subscriptions"].insert({
            "platform": "slack", "conversation": conversation, "user_id": None, "kind": "channel",
            "schedule": "daily 09:00", "tz": "Asia/Tokyo", "lang": "ja", "active": 1, "cursor": 0})
    store.db["nudge_deliveries"].insert({"subscription_id": 1, "slot": "2026-03-10T00:00:00+00:00", "status": "sent",
                                         "attempts": 1})
    # U300 wrote to dx10 in D300 once, so the store knows that chat is theirs.
    store.db["user_activity"].insert({"platform": "slack", "user_id": "U300", "conversation": "D300",
                                      "last_at": "2026-03-10T00:00:00+00:00"})
    store.db.conn.commit()
    store.close()
    listed = run_dx10("nudges", "list", "--db", str(db), env=SECRET).stdout.decode()
    assert listed.count("a direct message without --user") == 2

    result = run_dx10("forget", "--platform", "slack", "--user", "U300", "--db", str(db), env=SECRET)
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0 and lines[1:4] == [
        "  nudge_deliveries: 1 row(s)", "  nudge_subscriptions: 1 row(s)", "  user_activity: 1 row(s)"]
    # D301's person is unknown to the store: forget cannot tell whose it is, and says so.
    assert lines[4].startswith("note: tips still go to 1 slack direct message(s) recorded without a user (D301)")
    assert [s[0] for s in subscriptions(db)] == ["D301"]
    nobody = run_dx10("forget", "--platform", "slack", "--user", "U999", "--db", str(db), env=SECRET).stdout.decode()
    assert nobody.splitlines()[0] == "no data held for slack user U999" and "D301" in nobody

