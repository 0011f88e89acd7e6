"""`dx10 nudges …` as a subprocess, including a fan-out killed with SIGKILL and run again."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import ROOT, run_dx10
from fakes.slack_api import FakeSlack
from fakes.slack_client import fake  # noqa: F401  (pytest fixture)

from bot.nudges.repo import NudgeRepo
from bot.nudges.schedule import Schedule
from bot.store import Store


def test_add_list_preview_run_due_and_remove(tmp_path: Path) -> None:
    env = {"DX10_DB": str(tmp_path / "dx10.db"), "DX10_CONSOLE_OUTBOX": str(tmp_path / "outbox.jsonl")}
    added = run_dx10("nudges", "add", "--platform", "console", "--conversation", "alice", "--user", "alice",
                     "--schedule", "weekly mon 08:30", "--lang", "en", env=env)
    assert added.returncode == 0, added.stderr
    assert b"added subscription 1" in added.stdout
    run_dx10("nudges", "add", "--platform", "console", "--conversation", "bob", "--user", "bob", env=env)
    listed = json.loads(run_dx10("nudges", "list", "--json", env=env).stdout)
    assert [(s["conversation"], s["schedule"], s["lang"], s["kind"]) for s in listed] == [
        ("alice", "weekly mon 08:30", "en", "user"), ("bob", "daily 09:00", "ja", "user")]

    # The next Monday that is a working day, at 09:15 in Tokyo: both slots of that morning are due.
    slot = Schedule.parse("weekly mon 08:30").next_slot(datetime.now(UTC), "Asia/Tokyo")
    assert slot is not None
    day = slot.astimezone(ZoneInfo("Asia/Tokyo")).date().isoformat()
    preview = run_dx10("nudges", "preview", "--date", day, env=env).stdout.decode()
    assert "#1 console alice" in preview and "Today's tip: " in preview

    at = (slot + timedelta(minutes=45)).isoformat()
    summary = json.loads(run_dx10("nudges", "run-due", "--at", at, env=env).stdout)
    assert (summary["due"], summary["sent"], summary["skipped"], summary["failed"]) == (2, 2, 0, 0)
    again = json.loads(run_dx10("nudges", "run-due", "--at", at, env=env).stdout)
    assert again["due"] == 0
    lines = [json.loads(line) for line in (tmp_path / "outbox.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(line["conversation"] for line in lines) == ["alice", "bob"]

    assert run_dx10("nudges", "remove", "1", env=env).returncode == 0
    [alice, bob] = json.loads(run_dx10("nudges", "list", "--json", env=env).stdout)
    assert not alice["active"] and alice["deactivated_reason"] == "removed with dx10 nudges remove" and bob["active"]


def test_mistakes_get_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    env = {"DX10_DB": str(tmp_path / "dx10.db")}
    cases = [
        (["nudges", "add", "--platform", "slack", "--conversation", "C1", "--schedule", "hourly"], b"daily HH:MM"),
        (["nudges", "add", "--platform", "slack", "--conversation", "C1", "--tz", "Mars/Base"], b"unknown time zone"),
        (["nudges", "add", "--platform", "slack", "--conversation", "C1", "--schedule", "weekly sat 10:00"],
         b'working days only (Monday to Friday, except holidays), so "weekly sat 10:00" would never be sent: '
         b'use a weekday, e.g. "weekly fri 10:00"'),
        (["nudges", "add", "--platform", "slack", "--conversation", "C1", "--schedule", "daily 23:30"],
         b"tips go out between 06:00 and 22:00, not in the night: 23:30 is outside that range"),
        (["nudges", "remove", "42"], b"no subscription 42"),
        (["nudges", "run-due", "--at", "tomorrow"], b"ISO-8601"),
        (["nudges", "preview", "--date", "2026-13-01"], b"YYYY-MM-DD"),
    ]
    for args, message in cases:
        result = run_dx10(*args, env=env)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
        assert b"Traceback" not in result.stderr
    assert json.loads(run_dx10("nudges", "list", "--json", env=env).stdout) == []  # nothing was added
    bad_env = run_dx10("nudges", "list", env={**env, "DX10_SLACK_RATE": "fast"})
    assert bad_env.returncode == 2 and b"DX10_SLACK_RATE must be a number" in bad_env.stderr


async def test_a_fan_out_killed_with_sigkill_then_run_again_delivers_exactly_one_tip_each(
    tmp_path: Path, fake: FakeSlack
) -> None:
    db = tmp_path / "dx10.db"
    subscribers = [f"D{i:03d}" for i in range(60)]
    store = Store(db)
    for channel in subscribers:
        NudgeRepo(store).subscribe(platform="slack", conversation=channel, user_id="U" + channel[1:], kind="user",
                                   schedule="daily 09:00", tz="Asia/Tokyo", lang="ja")
    store.close()
    slot = Schedule.parse("daily 09:00").next_slot(datetime.now(UTC), "Asia/Tokyo")
    assert slot is not None
    env = {**os.environ, "DX10_DB": str(db), "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s",
           "SLACK_API_URL": fake.url, "DX10_SLACK_RATE": "40"}
    command = [str(Path(sys.executable).with_name("dx10")), "nudges", "run-due", "--at", (slot + timedelta(minutes=1)).isoformat()]
    fake.delay = 0.05  # Slack accepts each post, then answers slowly: a kill likely lands after one was delivered

    victim = await asyncio.create_subprocess_exec(*command, env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE,
                                                  stderr=asyncio.subprocess.PIPE)
    await fake.wait_until(lambda: len(fake.posted) >= 20, timeout=60, what="20 tips posted")
    victim.kill()  # SIGKILL: no cleanup, no "sent" for whatever was in flight
    await victim.wait()
    assert 20 <= len(fake.posted) < len(subscribers)

    rerun = await asyncio.create_subprocess_exec(*command, env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE,
                                                 stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(rerun.communicate(), timeout=120)
    assert rerun.returncode == 0, err.decode()
    summary = json.loads(out)
    assert summary["failed"] == 0 and summary["sent"] == summary["due"] >= len(subscribers) - len(fake.posted)

    assert Counter(p["channel"] for p in fake.posted) == Counter(subscribers)  # no duplicate, no loss
    store = Store(db)
    rows = NudgeRepo(store).deliveries()
    store.close()
    assert len(rows) == len(subscribers) and {r["status"] for r in rows} == {"sent"}


def test_preview_names_a_holiday_in_the_subscribers_language(tmp_path: Path) -> None:
    env = {"DX10_DB": str(tmp_path / "dx10.db")}
    for who, lang in (("alice", "en"), ("taro", "ja")):
        run_dx10("nudges", "add", "--platform", "console", "--conversation", who, "--user", who, "--lang", lang, env=env)
    preview = run_dx10("nudges", "preview", "--date", "2027-01-11", env=env).stdout.decode()  # 成人の日
    # jpholiday names holidays in Japanese only: an English subscriber gets a generic name.
    assert "#1 console alice (daily 09:00, en): no tip: national holiday" in preview
    assert "#2 console taro (daily 09:00, ja): no tip: 成人の日" in preview
