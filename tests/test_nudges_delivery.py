"""Delivering tips: slots, catch-up, pause, the cursor, and exactly-once, with a real store and outbox file."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine

from adapters.console_sender import ConsoleSender
from bot.assembly import build_assistant
from bot.events import Incoming
from bot.nudges import tips as tipbook
from bot.nudges.repo import NudgeRepo, owner_id
from bot.nudges.schedule import Schedule
from bot.nudges.scheduler import NudgeService
from bot.nudges.settings import NudgeSettings
from bot.senders import Target
from bot.store import Store
from knowledge.schema import KnowledgeBase

CREATED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # Thursday 21:00 in Tokyo
FRI_0900 = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)  # Friday 09:00 in Tokyo
SAT_0900 = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)  # Saturday 09:00 in Tokyo


def outbox(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def service(kb: KnowledgeBase, store: Store, path: Path, **settings: object) -> NudgeService:
    return NudgeService(kb, store, NudgeSettings(**settings), {"console": ConsoleSender(str(path))})  # type: ignore[arg-type]


def subscribe(store: Store, conversation: str, schedule: str = "daily 09:00", lang: str = "ja") -> int:
    with time_machine.travel(CREATED, tick=False):
        sub, _ = NudgeRepo(store).subscribe(platform="console", conversation=conversation, user_id=conversation,
                                            kind="user", schedule=schedule, tz="Asia/Tokyo", lang=lang)
    return sub.id


async def test_a_due_slot_is_sent_once_and_a_rerun_sends_nothing(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    subscribe(store, "alice")
    subscribe(store, "bob", "weekly fri 09:30", lang="en")
    nudges = service(kb, store, box)
    assert (await nudges.run_due(FRI_0900 - timedelta(minutes=1))).as_dict()["due"] == 0  # Thursday's slot predates the subscription
    first = await nudges.run_due(FRI_0900 + timedelta(minutes=45))
    assert (first.due, first.sent, first.skipped, first.failed) == (2, 2, 0, 0)
    again = await nudges.run_due(FRI_0900 + timedelta(minutes=46))
    assert (again.due, again.sent) == (0, 0)
    assert sorted(m["conversation"] for m in outbox(box)) == ["alice", "bob"]
    bob = next(m for m in outbox(box) if m["conversation"] == "bob")
    assert bob["title"].startswith("Today's tip: ") and bob["buttons"] == ["More", "Try one quiz question"]
    rows = NudgeRepo(store).deliveries()
    assert {(r["slot"], r["status"]) for r in rows} == {("2026-11-27T00:00:00+00:00", "sent"), ("2026-11-27T00:30:00+00:00", "sent")}


async def test_no_tip_on_weekends_holidays_or_the_year_end_closure(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    subscribe(store, "alice")
    nudges = service(kb, store, box)
    await nudges.run_due(FRI_0900 + timedelta(minutes=1))
    # Saturday and Sunday: the latest slot is still Friday's, already sent.
    assert (await nudges.run_due(SAT_0900 + timedelta(days=1, hours=1))).due == 0
    assert len(outbox(box)) == 1
    # Wednesday Dec 30 (closure) at 10:00 JST: the latest slot is Monday Dec 28's, long gone: skipped, with why.
    late = await nudges.run_due(datetime(2026, 12, 30, 1, 0, tzinfo=UTC))
    assert (late.due, late.sent, late.skipped) == (1, 0, 1)
    [skipped] = [r for r in NudgeRepo(store).deliveries() if r["status"] == "skipped"]
    assert skipped["slot"] == "2026-12-28T00:00:00+00:00" and "catch-up window" in skipped["reason"]
    preview = {row["id"]: row for row in nudges.preview(datetime(2026, 12, 30).date())}
    assert preview[1]["note"] == "no tip: year-end closure (Dec 29 - Jan 3)"


async def test_after_downtime_only_the_latest_slot_is_caught_up_within_the_window(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    subscribe(store, "alice")
    nudges = service(kb, store, box)
    # Down from Thursday until Monday 11:59 JST: Monday's slot (2 h 59 min old) is sent, Friday's is not.
    monday = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    summary = await nudges.run_due(monday + timedelta(hours=2, minutes=59))
    assert (summary.sent, summary.skipped) == (1, 0)
    assert [m["key"] for m in outbox(box)] == ["1:2026-11-30T00:00:00+00:00"]
    # A longer window is a setting.
    generous = service(kb, store, box, catchup=timedelta(hours=6))
    assert (await generous.run_due(datetime(2026, 12, 1, 5, 0, tzinfo=UTC))).sent == 1


async def test_pause_skips_slots_with_the_reason_and_resume_brings_them_back(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    sub_id = subscribe(store, "alice")
    nudges = service(kb, store, box)
    repo = NudgeRepo(store)
    repo.pause(sub_id, datetime(2026, 12, 1, 15, 0, tzinfo=UTC))  # until Wednesday Dec 2, 00:00 JST
    for day in (FRI_0900, datetime(2026, 11, 30, 0, 0, tzinfo=UTC), datetime(2026, 12, 1, 0, 0, tzinfo=UTC)):
        summary = await nudges.run_due(day + timedelta(minutes=5))
        assert (summary.sent, summary.skipped) == (0, 1)
    assert (await nudges.run_due(datetime(2026, 12, 2, 0, 5, tzinfo=UTC))).sent == 1
    reasons = [r["reason"] for r in repo.deliveries(sub_id) if r["status"] == "skipped"]
    assert reasons == ["paused until 2026-12-01T15:00:00+00:00"] * 3
    repo.pause(sub_id, datetime(2027, 1, 31, tzinfo=UTC))
    repo.resume(sub_id)
    assert (await nudges.run_due(datetime(2026, 12, 3, 0, 5, tzinfo=UTC))).sent == 1


async def test_a_hold_asked_for_in_chat_skips_only_its_days(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    sub_id = subscribe(store, "alice")
    bot = build_assistant(kb, store, {})
    with time_machine.travel(CREATED, tick=False):  # Thursday evening: "next week" is Nov 30 to Dec 6
        await bot.handle(Incoming("console", "alice", "alice", text="I am on vacation next week, hold the tips", direct=True))
    nudges = service(kb, store, box)
    assert (await nudges.run_due(FRI_0900 + timedelta(minutes=5))).sent == 1  # before the hold
    for day in range(30, 35):  # Monday Nov 30 to Friday Dec 4
        summary = await nudges.run_due(datetime(2026, 11, day, 0, 5, tzinfo=UTC) if day <= 30
                                       else datetime(2026, 12, day - 30, 0, 5, tzinfo=UTC))
        assert (summary.sent, summary.skipped) == (0, 1), day
    assert (await nudges.run_due(datetime(2026, 12, 7, 0, 5, tzinfo=UTC))).sent == 1  # Monday after
    reasons = {r["reason"] for r in NudgeRepo(store).deliveries(sub_id) if r["status"] == "skipped"}
    assert reasons == {"paused from 2026-11-29T15:00:00+00:00 until 2026-12-06T15:00:00+00:00"}
    assert len(outbox(box)) == 2
    [row] = nudges.preview(datetime(2026, 12, 2).date(), now=CREATED)
    assert row["note"] == "no tip: paused from 2026-11-29T15:00:00+00:00 until 2026-12-06T15:00:00+00:00"


async def test_each_subscriber_walks_every_tip_before_any_repeats(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    subscribe(store, "alice")
    subscribe(store, "bob")
    nudges = service(kb, store, box)
    total = len(nudges.tips)
    slot = FRI_0900
    for _ in range(total + 1):
        assert (await nudges.run_due(slot + timedelta(minutes=1))).sent == 2
        slot = Schedule.parse("daily 09:00").next_slot(slot, "Asia/Tokyo")
        assert slot is not None
    sent = NudgeRepo(store).deliveries()
    tips = {who: [r["tip"] for r in sent if r["subscription_id"] == who] for who in (1, 2)}
    for seq in tips.values():
        assert len(set(seq[:total])) == total  # the whole sequence, no repeat
        assert seq[total] == seq[0]  # then it starts over
    assert tips[1][0] != tips[2][0]  # two people starting the same day need not get the same tip
    assert (NudgeRepo(store).get(1) or None).cursor == total + 1  # type: ignore[union-attr]


async def test_a_pending_row_left_by_a_dead_process_is_settled_without_a_duplicate(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    subscribe(store, "alice")
    subscribe(store, "bob")
    nudges = service(kb, store, box)
    repo = NudgeRepo(store)
    slot = "2026-11-27T00:00:00+00:00"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    ghost = f"pid:{dead.stdout.strip()}@{owner_id().split('@')[1]}"
    # Alice's tip reached her before the crash; Bob's did not.
    assert repo.claim(1, slot, "first_step:1", owner=ghost) is not None
    reply = tipbook.render(kb, nudges.tips[0], "ja")
    await ConsoleSender(str(box)).send(Target("console", "alice", "alice"), replace(reply, meta={"nudge": f"1:{slot}"}))
    assert repo.claim(2, slot, "first_step:2", owner=ghost) is not None
    summary = await nudges.run_due(FRI_0900 + timedelta(minutes=3))
    assert (summary.due, summary.sent) == (2, 2)
    assert sorted(m["conversation"] for m in outbox(box)) == ["alice", "bob"]  # exactly one each
    assert [r["tip"] for r in repo.deliveries()] == ["first_step:1", "first_step:2"]  # the tip chosen first is kept


async def test_a_slot_being_sent_by_a_live_process_is_left_alone(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    subscribe(store, "alice")
    repo = NudgeRepo(store)
    assert repo.claim(1, "2026-11-27T00:00:00+00:00", "first_step:1", owner=owner_id()) is not None
    summary = await service(kb, store, box).run_due(FRI_0900 + timedelta(minutes=3))
    assert (summary.due, summary.sent) == (0, 0) and outbox(box) == []


async def test_changing_the_schedule_never_sends_a_slot_from_before_the_change(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    subscribe(store, "alice", "weekly mon 09:00")
    with time_machine.travel(FRI_0900 + timedelta(hours=1), tick=False):  # Friday 10:00: "daily 09:00" from now on
        NudgeRepo(store).subscribe(platform="console", conversation="alice", user_id="alice", kind="user",
                                   schedule="daily 09:00", tz="Asia/Tokyo", lang="ja")
    nudges = service(kb, store, box)
    assert (await nudges.run_due(FRI_0900 + timedelta(hours=1, minutes=1))).due == 0  # not this morning's
    assert (await nudges.run_due(datetime(2026, 11, 30, 0, 1, tzinfo=UTC))).sent == 1  # Monday's


async def test_a_tips_more_typed_as_text_answers_like_the_button(kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    subscribe(store, "alice", lang="en")
    bot = build_assistant(kb, store, {})
    with time_machine.travel(FRI_0900 + timedelta(minutes=1), tick=False):
        assert (await service(kb, store, box).run_due()).sent == 1
    [tip] = outbox(box)
    heading = tip["title"].removeprefix("Today's tip: ").split(" — ")[0]  # "#3 Leave no one behind" or "Term: NPS"
    alice = Incoming("console", "alice", "alice", text="More", direct=True)
    with time_machine.travel(FRI_0900 + timedelta(hours=2), tick=False):
        [reply] = await bot.handle(alice)
        assert reply.title and reply.title.split(" — ")[0] == heading, (reply.title, heading)
        [reply] = await bot.handle(replace(alice, text="詳しく見る"))
        assert reply.lang == "ja" and reply.title and reply.title.startswith(heading.split(" ")[0].replace("Term:", "用語:"))
    with time_machine.travel(FRI_0900 + timedelta(days=8), tick=False):  # a week later "more" is not about that tip
        [reply] = await bot.handle(alice)
        assert not (reply.title or "").startswith(heading)
