"""The question log keeps no conversation id (a DM id, the console's user id) that would undo the
user hash with one join; an existing log is converted in place; retention and forget leave no
trace of what they delete in the file."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core import Assistant
from bot.events import Incoming
from bot.store import Store
from conftest import legacy_store, run_dx10
from knowledge.schema import KnowledgeBase

SECRET = {"DX10_SECRET": "conversations-test-secret"}


async def test_the_log_keeps_the_kind_of_conversation_never_its_id(kb: KnowledgeBase, store: Store) -> None:
    assistant = Assistant(kb, store)
    await assistant.handle(Incoming("slack", "U100", "DSECRETDM1", "第3条のKPI例は？"))
    await assistant.handle(Incoming("slack", "U101", "CCHANNEL1", "第5条", direct=False))
    await assistant.handle(Incoming("teams", "29:u", "a:personalchat", "第1条"))
    rows = list(store.db.query("select * from interactions order by id"))
    assert "conversation" not in rows[0]
    assert [r["conversation_kind"] for r in rows] == ["direct", "channel", "direct"]
    assert not [r for r in rows if {"DSECRETDM1", "CCHANNEL1", "a:personalchat"} & {str(v) for v in r.values()}]
    # Who is reachable where is kept apart, with the day only: its time no longer names a logged row.
    stamps = {r[0] for r in store.db.execute("select last_at from user_activity")}
    assert stamps == {datetime.now(UTC).date().isoformat() + "T00:00:00+00:00"}
    assert not {r["at"] for r in rows} & stamps


def test_the_console_log_on_disk_holds_no_user_id(tmp_path: Path) -> None:
    db = tmp_path / "dx10.db"
    result = run_dx10("chat", "--db", str(db), input="第3条のはじめの第一歩は？\n", env=SECRET)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    rows = conn.execute("select * from interactions").fetchall()
    conn.close()
    assert rows and "console-user" not in json.dumps(rows)


def test_an_existing_log_is_converted_in_place_and_the_old_ids_are_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", "k")
    path = tmp_path / "old.db"
    db = legacy_store(path, "m013")
    db["conversations"].insert_all([
        {"platform": "teams", "conversation": "29:oddpersonal", "updated_at": "2026-01-02T00:00:00+00:00",
         "reference": json.dumps({"user": {"id": "29:x"}, "conversation": {"conversationType": "personal"}})},
        {"platform": "teams", "conversation": "19:chan@thread.tacv2", "updated_at": "2026-01-02T00:00:00+00:00",
         "reference": json.dumps({"conversation": {"conversationType": "channel", "isGroup": True}})},
    ])
    base = {"at": "2026-01-02T08:37:56+00:00", "user_key": "k1", "text": "q", "intent": "principle", "answered": 1}
    db["interactions"].insert_all([
        {**base, "platform": "slack", "conversation": "DSECRETDM7"},
        {**base, "platform": "slack", "conversation": "CSECRETCH7"},
        {**base, "platform": "teams", "conversation": "a:SECRETPERSONAL"},
        {**base, "platform": "teams", "conversation": "29:oddpersonal"},
        {**base, "platform": "teams", "conversation": "19:chan@thread.tacv2"},
        {**base, "platform": "console", "conversation": "SECRETCONSOLEUSER"},
        {**base, "platform": "slack", "conversation": None},
    ])
    db["user_activity"].insert({"platform": "slack", "user_id": "U1", "conversation": "DX",
                                "last_at": "2026-01-02T08:37:56+00:00"})
    db.close()

    store = Store(path)  # migrates
    kinds = [r[0] for r in store.db.execute("select conversation_kind from interactions order by id")]
    assert kinds == ["direct", "channel", "direct", "direct", "channel", "direct", None]
    assert "conversation" not in {c.name for c in store.db["interactions"].columns}
    with pytest.raises(sqlite3.OperationalError):  # the join that re-identified the log (QA A2)
        store.db.execute("select * from interactions i join conversations v using (platform, conversation)")
    # Indexes and the rollup's triggers survive the change.
    names = {r[0] for r in store.db.execute("select name from sqlite_master where tbl_name = 'interactions'")}
    assert {"interactions_stats", "stats_daily_on_update", "stats_daily_on_delete", "stats_daily_on_insert"} <= names
    assert store.db.execute("select last_at from user_activity").fetchone()[0] == "2026-01-02T00:00:00+00:00"
    store.close()
    # Overwritten, not left in free pages (dx10 sets secure_delete; Debian's SQLite also has it on by default).
    raw = path.read_bytes()
    assert not [s for s in (b"DSECRETDM7", b"CSECRETCH7", b"SECRETPERSONAL", b"SECRETCONSOLEUSER") if s in raw]


def test_retention_drops_references_of_one_to_one_chats_nothing_uses(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    path = tmp_path / "dx10.db"
    store = Store(path)
    old = (datetime.now(UTC) - timedelta(days=120)).isoformat(timespec="seconds")
    for platform, conversation, reference in [
        ("slack", "DGONE", {"channel": "DGONE", "user": "U1"}),  # nobody wrote there lately, nothing uses it
        ("slack", "DSUBSCRIBED", {"channel": "DSUBSCRIBED", "user": "U2"}),  # a tip subscription needs it
        ("slack", "DACTIVE", {"channel": "DACTIVE", "user": "U3"}),  # U3 wrote there yesterday
        ("slack", "CCHANNEL", {"channel": "CCHANNEL"}),  # a channel names nobody
        ("teams", "a:gone", {"user": {"id": "29:a"}, "conversation": {"id": "a:gone", "conversationType": "personal"}}),
    ]:
        store.save_conversation(platform, conversation, reference)
    store.db.execute("update conversations set updated_at = ?", [old])
    store.db["user_activity"].insert({"platform": "slack", "user_id": "U3", "conversation": "DACTIVE",
                                      "last_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()})
    store.db["nudge_subscriptions"].insert({"platform": "slack", "conversation": "DSUBSCRIBED", "user_id": "U2",
                                            "kind": "user", "schedule": "daily 09:00", "tz": "Asia/Tokyo",
                                            "lang": "ja", "active": 1, "cursor": 0})
    store.db.conn.commit()
    store.close()
    result = run_dx10("retention", "run", "--db", str(path), env=SECRET)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(path)
    left = sorted(r[0] for r in conn.execute("select conversation from conversations"))
    conn.close()
    assert left == ["CCHANNEL", "DACTIVE", "DSUBSCRIBED"]
    assert b"DGONE" not in path.read_bytes()


async def test_what_forget_deletes_is_not_left_readable_in_the_file(kb: KnowledgeBase, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    path = tmp_path / "dx10.db"
    store = Store(path)
    private = "山田課長の内線1234について第3条のKPIは？"
    await Assistant(kb, store).handle(Incoming("slack", "U7", "D7", private))
    store.close()
    assert private.encode() in path.read_bytes()
    result = run_dx10("forget", "--platform", "slack", "--user", "U7", "--db", str(path), env=SECRET)
    assert result.returncode == 0 and "interactions: 1 row(s)" in result.stdout.decode()
    assert private.encode() not in path.read_bytes()
