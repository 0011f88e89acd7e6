"""The key of the user hashes: every command that hashes user ids refuses a key other than the one
that wrote the question log (one line, exit code 2), and `dx10 key adopt` changes it on purpose."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.core import Assistant
from bot.events import Incoming
from bot.privacy import FINGERPRINT_SETTING, SECRET_SETTING, KeyMismatch
from bot.store import Store
from conftest import run_dx10
from knowledge.schema import KnowledgeBase

SERVER = {"DX10_SECRET": "the-servers-secret-0123456789"}
NO_SECRET = {"DX10_SECRET": ""}  # as in an admin's shell that did not load /etc/dx10/dx10.env
SLACK = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": ""}
QUESTIONS = "第3条のはじめの第一歩は？\nオープンデータとは\n"


def chat(db: Path, env: dict[str, str], text: str = QUESTIONS) -> None:
    result = run_dx10("chat", "--db", str(db), input=text, env=env)
    assert result.returncode == 0, result.stderr


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def refused(result: object, *words: str) -> str:
    err = result.stderr.decode()  # type: ignore[attr-defined]
    assert result.returncode == 2, err  # type: ignore[attr-defined]
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert all(w in err for w in words), err
    return err


def test_forget_refuses_a_shell_without_the_servers_secret_and_deletes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "dx10.db"
    chat(db, SERVER)
    before = rows(db, "select count(*) from interactions"), rows(db, "select count(*) from users")
    result = run_dx10("forget", "--platform", "console", "--user", "console-user", "--db", str(db), env=NO_SECRET)
    refused(result, "same DX10_SECRET as the server", "set -a; . /etc/dx10/dx10.env; set +a", "DX10_SECRET is not set")
    assert result.stdout == b""
    assert (rows(db, "select count(*) from interactions"), rows(db, "select count(*) from users")) == before
    wrong = run_dx10("forget", "--platform", "console", "--user", "console-user", "--db", str(db),
                     env={"DX10_SECRET": "a-different-secret"})
    refused(wrong, "from DX10_SECRET")
    done = run_dx10("forget", "--platform", "console", "--user", "console-user", "--db", str(db), env=SERVER)
    assert done.returncode == 0 and "  interactions: 2 row(s)" in done.stdout.decode().splitlines()
    assert rows(db, "select count(*) from interactions") == [(0,)]


def test_the_fingerprint_names_the_key_without_holding_it(tmp_path: Path) -> None:
    db = tmp_path / "dx10.db"
    chat(db, SERVER)
    settings = dict(rows(db, "select key, value from settings"))
    assert len(settings[FINGERPRINT_SETTING]) == 16
    assert SERVER["DX10_SECRET"] not in db.read_bytes().decode("latin-1")
    status = run_dx10("key", "status", "--db", str(db), env=SERVER)
    assert status.returncode == 0 and f"the question log's key: {settings[FINGERPRINT_SETTING]}" in status.stdout.decode()
    other = run_dx10("key", "status", "--db", str(db), env=NO_SECRET)
    assert other.returncode == 2 and "state: mismatch" in other.stdout.decode()


def test_a_console_log_written_without_the_secret_stops_the_server_until_the_key_is_adopted(tmp_path: Path) -> None:
    db = tmp_path / "dx10.db"
    chat(db, NO_SECRET)  # tried out at a terminal first: the store's own random key wrote the log
    serve = run_dx10("serve", "--db", str(db), "--port", "0", env={**SERVER, **SLACK})
    refused(serve, "from DX10_SECRET", "dx10 key adopt")
    refused(run_dx10("chat", "--db", str(db), input="第1条\n", env=SERVER), "dx10 key adopt")
    assert rows(db, "select count(*) from interactions") == [(2,)]  # nothing written under a second key

    asked = run_dx10("key", "adopt", "--db", str(db), env=SERVER)
    refused(asked, "--yes", "move the rows of every person")
    adopted = run_dx10("key", "adopt", "--yes", "--db", str(db), env=SERVER)
    assert adopted.returncode == 0, adopted.stderr
    assert "moved 2 row(s) of 1 person(s)" in adopted.stdout.decode()
    chat(db, SERVER, "第1条\n")
    gone = run_dx10("forget", "--platform", "console", "--user", "console-user", "--db", str(db), env=SERVER)
    assert "  interactions: 3 row(s)" in gone.stdout.decode().splitlines()


def test_rows_of_people_no_longer_known_stay_under_the_old_key_and_forget_still_tries_the_stores_own(
        tmp_path: Path) -> None:
    db = tmp_path / "dx10.db"
    chat(db, NO_SECRET)
    conn = sqlite3.connect(db)  # retention went by: dx10 no longer knows console-user by id
    conn.execute("delete from user_activity")
    conn.execute("delete from users")
    conn.commit()
    conn.close()
    adopted = run_dx10("key", "adopt", "--yes", "--db", str(db), env=SERVER)
    assert "2 row(s) belong to people dx10 no longer knows by id" in adopted.stdout.decode()
    assert "forget still tries" in adopted.stdout.decode()
    gone = run_dx10("forget", "--platform", "console", "--user", "console-user", "--db", str(db), env=SERVER)
    assert gone.stdout.decode().splitlines()[1:] == ["  interactions: 2 row(s)"]


def test_an_old_dx10_secret_is_needed_to_move_rows_from_it(tmp_path: Path) -> None:
    db = tmp_path / "dx10.db"
    chat(db, {"DX10_SECRET": "the-old-secret"})
    refused(run_dx10("key", "adopt", "--db", str(db), env=SERVER), "not at hand", "--old-secret-file")
    wrong = tmp_path / "wrong"
    wrong.write_text("not-it\n")
    refused(run_dx10("key", "adopt", "--yes", "--old-secret-file", str(wrong), "--db", str(db), env=SERVER),
            "not the log's key")
    old = tmp_path / "old"
    old.write_text("the-old-secret\n")
    moved = run_dx10("key", "adopt", "--yes", "--old-secret-file", str(old), "--db", str(db), env=SERVER)
    assert moved.returncode == 0 and "moved 2 row(s) of 1 person(s)" in moved.stdout.decode()
    assert SECRET_SETTING not in dict(rows(db, "select key, value from settings"))  # the old secret is not kept


def test_a_log_from_before_fingerprints_is_checked_against_recently_active_people(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "dx10.db"
    chat(db, SERVER)
    conn = sqlite3.connect(db)
    conn.execute("delete from settings where key = ?", [FINGERPRINT_SETTING])  # as written by an older dx10
    conn.commit()
    conn.close()
    refused(run_dx10("forget", "--platform", "console", "--user", "x", "--db", str(db), env=NO_SECRET),
            "another key")
    assert run_dx10("forget", "--platform", "console", "--user", "x", "--db", str(db), env=SERVER).returncode == 0
    assert FINGERPRINT_SETTING in dict(rows(db, "select key, value from settings"))  # confirmed, so recorded

    # Nobody active lately (retention purged user_activity): the log cannot be checked. The admin
    # commands refuse; the server, whose key is the reference, records its own.
    conn = sqlite3.connect(db)
    conn.execute("delete from settings where key = ?", [FINGERPRINT_SETTING])
    conn.execute("delete from user_activity")
    conn.commit()
    conn.close()
    refused(run_dx10("forget", "--platform", "console", "--user", "x", "--db", str(db), env=SERVER),
            "cannot tell which key")
    monkeypatch.setenv("DX10_SECRET", SERVER["DX10_SECRET"])
    store = Store(db)
    try:
        with pytest.raises(KeyMismatch, match="cannot tell"):
            store.require_key()
        assert store.require_key(claim_unknown=True).state == "unknown"
        assert store.key_check().state == "match"
    finally:
        store.close()


async def test_a_log_split_between_two_keys_is_refused_until_one_key_is_adopted(
        kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As QA found it: the server wrote Slack rows with DX10_SECRET, an earlier `dx10 chat` wrote
    # console rows with the store's own random key, before dx10 recorded fingerprints.
    db = tmp_path / "dx10.db"
    monkeypatch.setenv("DX10_SECRET", "")
    console = Store(db)
    await Assistant(kb, console).handle(Incoming("console", "console-user", "console-user", "第1条"))
    console.close()
    monkeypatch.setenv("DX10_SECRET", SERVER["DX10_SECRET"])
    server = Store(db)
    await Assistant(kb, server).handle(Incoming("slack", "U100", "D100", "第3条のはじめの第一歩は？"))
    server.db.execute("delete from settings where key = ?", [FINGERPRINT_SETTING])
    server.db.conn.commit()
    server.close()

    for env in (NO_SECRET, SERVER):  # neither key wrote the whole log
        refused(run_dx10("forget", "--platform", "slack", "--user", "U100", "--db", str(db), env=env),
                "more than one key", "1 of the 2 people")
    status = run_dx10("key", "status", "--db", str(db), env=SERVER)
    assert status.returncode == 2 and "state: mixed" in status.stdout.decode()
    adopted = run_dx10("key", "adopt", "--yes", "--db", str(db), env=SERVER)
    assert "moved 1 row(s) of 1 person(s)" in adopted.stdout.decode(), adopted.stderr
    gone = run_dx10("forget", "--platform", "console", "--user", "console-user", "--db", str(db), env=SERVER)
    assert "  interactions: 1 row(s)" in gone.stdout.decode().splitlines()
    assert rows(db, "select count(*) from interactions") == [(1,)]  # U100's question, under the server's key
