"""The operator commands as a user runs them: forget, export, backup, restore, retention."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core import Assistant
from bot.events import Incoming
from bot.store import Store
from conftest import run_dx10
from fakes.contract import DAY, NEXT, create_contract_tables, interaction
from knowledge.schema import KnowledgeBase

SECRET = {"DX10_SECRET": "cli-admin-test"}


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    path = tmp_path / "dx10.db"
    Store(path).close()
    return path


def out(result: object) -> str:
    return result.stdout.decode()  # type: ignore[attr-defined]


def test_every_admin_command_explains_itself() -> None:
    for args, words in [
        (("forget",), ["--platform", "--user", "every table"]),
        (("export",), ["--format", "--from", "--to", "no personal data"]),
        (("backup",), ["PATH", "online backup", "safe while serving"]),
        (("restore",), ["--yes", "stop dx10 serve"]),
        (("retention", "run"), ["DX10_RETENTION_DAYS", "--days"]),
    ]:
        result = run_dx10(*args, "--help")
        assert result.returncode == 0
        text = " ".join(out(result).split())
        assert all(w in text for w in words), (args, text)


def test_forget_keeps_a_channel_reference_but_removes_the_person_from_it(db: Path) -> None:
    store = Store(db)
    channel = {"user": {"id": "29:alice"}, "conversation": {"id": "19:c@thread", "conversationType": "channel",
                                                             "isGroup": True}, "serviceUrl": "https://smba.example/"}
    personal = {"user": {"id": "29:alice"}, "conversation": {"id": "a:1", "conversationType": "personal"}}
    store.save_conversation("teams", "19:c@thread", channel)
    store.save_conversation("teams", "a:1", personal)
    store.close()
    result = run_dx10("forget", "--platform", "teams", "--user", "29:alice", "--db", str(db), env=SECRET)
    assert out(result).splitlines()[1:] == ["  conversations: 1 row(s)",
                                            "  conversations (person removed from a channel's reference): 1 row(s)"]
    store = Store(db)
    kept = store.conversation("teams", "19:c@thread")
    assert kept == {k: v for k, v in channel.items() if k != "user"} and store.conversation("teams", "a:1") is None
    store.close()


async def test_forget_deletes_one_person_everywhere_and_reports_per_table(kb: KnowledgeBase, db: Path) -> None:
    store = Store(db)
    assistant = Assistant(kb, store)
    for user in ("U1", "U2"):
        await assistant.handle(Incoming("slack", user, "D1", "第3条のKPI例は？"))
        await assistant.handle(Incoming("slack", user, "D1", "lang en"))
    await assistant.handle(Incoming("teams", "U1", "a:1", "第3条"))  # same id, other platform: kept
    create_contract_tables(store.db)  # U1 owns subscription 1 (2 deliveries), 2 quiz answers, 1 commitment, 1 NPS
    store.save_conversation("teams", "a:U1", {"user": {"id": "U1"}, "conversation": {"id": "a:U1"}})
    store.save_conversation("slack", "D9", {"channel": "D9", "user": "U1", "team": "T1"})  # U1's DM
    store.save_conversation("slack", "D8", {"channel": "D8", "user": "U2", "team": "T1"})
    store.db["future_feature"].insert({"platform": "slack", "user_id": "U1", "x": 1})  # found by introspection
    store.close()

    result = run_dx10("forget", "--platform", "slack", "--user", "U1", "--db", str(db), env=SECRET)
    assert result.returncode == 0, result.stderr
    lines = out(result).splitlines()
    assert lines[0] == "deleted the data of slack user U1:"
    assert lines[1:] == ["  conversations: 1 row(s)", "  first_step_commitments: 1 row(s)",
                         "  future_feature: 1 row(s)", "  interactions: 2 row(s)", "  nps_responses: 1 row(s)",
                         "  nudge_deliveries: 2 row(s)", "  nudge_subscriptions: 1 row(s)",
                         "  quiz_answers: 2 row(s)", "  user_activity: 1 row(s)", "  users: 1 row(s)"]
    store = Store(db)
    keys = {r["user_key"] for r in store.db.query("select user_key from interactions")}
    assert keys == {store.user_key("slack", "U2"), store.user_key("teams", "U1")}
    assert store.user_lang("slack", "U2") == "en" and store.user_lang("slack", "U1") is None
    assert [tuple(r) for r in store.db.execute("select platform, user_id from user_activity order by 1, 2")] == [
        ("slack", "U2"), ("teams", "U1")]
    assert [r["id"] for r in store.db.query("select id from nudge_deliveries order by id")] == [3, 4]
    assert store.conversation("teams", "a:U1") is not None  # another platform's U1
    assert store.conversation("slack", "D9") is None and store.conversation("slack", "D8") is not None
    store.close()
    again = run_dx10("forget", "--platform", "slack", "--user", "U1", "--db", str(db), env=SECRET)
    assert out(again) == "no data held for slack user U1\n"


def test_forget_needs_an_existing_store(tmp_path: Path) -> None:
    result = run_dx10("forget", "--platform", "slack", "--user", "U1", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 2 and b"no store there" in result.stderr and b"Traceback" not in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_export_has_daily_aggregates_and_no_personal_data(db: Path) -> None:
    store = Store(db)
    store.db["interactions"].insert_all([
        interaction(DAY, user_key=store.user_key("slack", "U1"), text="秘密の質問テキスト", feedback=1),
        interaction(NEXT, user_key=store.user_key("slack", "U1"), answered=False, text="もう一つの質問"),
    ])
    create_contract_tables(store.db)
    secrets = ["U1", "U2", "T9", store.user_key("slack", "U1"), "秘密", "もう一つ", "useful", "too slow", "D1"]
    store.close()
    result = run_dx10("export", "--format", "csv", "--from", DAY, "--to", NEXT, "--db", str(db))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out(result))))
    assert [(r["date"], r["questions"], r["answered"], r["unanswered"], r["feedback_up"]) for r in rows] == [
        (DAY, "1", "1", "0", "1"), (NEXT, "1", "0", "1", "0")]
    assert (rows[0]["quiz_answers"], rows[0]["quiz_correct"], rows[1]["nudges_failed"], rows[0]["nps_responses"]) == (
        "2", "1", "1", "2")
    js = run_dx10("export", "--format", "json", "--from", DAY, "--to", NEXT, "--db", str(db))
    doc = json.loads(out(js))
    assert doc["period"] == {"from": DAY, "to": NEXT} and [d["date"] for d in doc["days"]] == [DAY, NEXT]
    for text in (out(result), out(js)):
        assert not [s for s in secrets if s in text]
    default = run_dx10("export", "--db", str(db))  # from the first logged day to today
    assert list(csv.DictReader(io.StringIO(out(default))))[0]["date"] == DAY


def test_export_rejects_bad_dates_clearly(db: Path) -> None:
    result = run_dx10("export", "--from", "10/03/2026", "--db", str(db))
    assert result.returncode == 2 and b"YYYY-MM-DD" in result.stderr and result.stdout == b""


def test_backup_while_a_writer_is_busy_then_restore(db: Path, tmp_path: Path) -> None:
    store = Store(db)
    store.db["interactions"].insert(interaction(DAY, text="committed"))
    store.db.conn.commit()
    # A writer in the middle of a transaction (as a serving process may be): the backup takes the
    # committed state and does not wait for it.
    writer = sqlite3.connect(db)
    writer.execute("begin immediate")
    writer.execute("insert into interactions (at, text) values ('2026-03-10T10:00:00+00:00', 'uncommitted')")
    copy = tmp_path / "backup.db"
    result = run_dx10("backup", str(copy), "--db", str(db))
    writer.rollback()
    writer.close()
    assert result.returncode == 0, result.stderr
    assert out(result).startswith(f"backed up {db} to {copy}")
    assert [r[0] for r in sqlite3.connect(copy).execute("select text from interactions")] == ["committed"]
    refused = run_dx10("backup", str(copy), "--db", str(db))
    assert refused.returncode == 2 and b"already exists" in refused.stderr

    store.db.execute("delete from interactions")
    store.db.conn.commit()
    store.close()
    assert run_dx10("restore", str(copy), "--db", str(db)).returncode == 2  # asks for --yes
    restored = run_dx10("restore", str(copy), "--db", str(db), "--yes")
    assert restored.returncode == 0, restored.stderr
    store = Store(db)
    assert [r["text"] for r in store.db.query("select text from interactions")] == ["committed"]
    store.close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    bad = run_dx10("restore", str(junk), "--db", str(db), "--yes")
    assert bad.returncode == 2 and b"not a dx10 store" in bad.stderr and b"Traceback" not in bad.stderr


def test_retention_deletes_old_texts_only(db: Path) -> None:
    store = Store(db)
    now = datetime.now(UTC)
    old = (now - timedelta(days=91)).date().isoformat()
    recent = (now - timedelta(days=89)).date().isoformat()
    store.db["interactions"].insert_all([interaction(old, text="old"), interaction(recent, text="recent")])
    store.db["user_activity"].insert_all([
        {"platform": "slack", "user_id": "U1", "conversation": "D1", "last_at": f"{old}T09:00:00+00:00"},
        {"platform": "slack", "user_id": "U2", "conversation": "D2", "last_at": f"{recent}T09:00:00+00:00"}])
    # users rows that only hold the language someone last wrote in go with the activity; a chosen one stays
    store.db["users"].insert_all([
        {"platform": "slack", "user_id": "U1", "lang": None, "recent_lang": "en", "created_at": old, "updated_at": f"{old}T09:00:00+00:00"},
        {"platform": "slack", "user_id": "U3", "lang": "en", "recent_lang": None, "created_at": old, "updated_at": f"{old}T09:00:00+00:00"},
        {"platform": "slack", "user_id": "U2", "lang": None, "recent_lang": "ja", "created_at": recent, "updated_at": f"{recent}T09:00:00+00:00"}])
    store.close()
    result = run_dx10("retention", "run", "--db", str(db))
    assert result.returncode == 0
    assert out(result) == "deleted the text of 1 question(s) and 0 NPS comment(s) older than 90 day(s)\n"
    store = Store(db)
    rows = list(store.db.execute("select text, intent, answered from interactions order by at"))
    assert rows == [(None, "principle", 1), ("recent", "principle", 1)]  # only the old text went
    assert [r[0] for r in store.db.execute("select user_id from user_activity")] == ["U2"]
    assert [r[0] for r in store.db.execute("select user_id from users order by 1")] == ["U2", "U3"]
    store.close()
    assert out(run_dx10("retention", "run", "--db", str(db), env={"DX10_RETENTION_DAYS": "30"})).startswith(
        "deleted the text of 1 question(s) and 0 NPS comment(s) older than 30")
    bad = run_dx10("retention", "run", "--db", str(db), env={"DX10_RETENTION_DAYS": "ninety"})
    assert bad.returncode == 2 and b"DX10_RETENTION_DAYS" in bad.stderr
