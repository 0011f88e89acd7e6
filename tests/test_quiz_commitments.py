"""First-step challenge: "I'll try this", a follow-up after working days, and the answer to it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from bot.assembly import build_assistant
from bot.quiz.ticker import QuizTicker
from bot.workdays import add_working_days, is_working_day
from bot.store import Store
from knowledge.schema import KnowledgeBase
from tests.quiz_helpers import RecordingSender, dm, quiz_feature

TOKYO_10AM = timedelta(hours=1)  # 10:00 JST is 01:00 UTC


def test_working_days_skip_weekends_holidays_and_the_new_year_closure() -> None:
    from datetime import date

    assert add_working_days(date(2026, 4, 30), 3) == date(2026, 5, 8)  # Golden Week: May 2-6 are off
    assert add_working_days(date(2026, 12, 25), 3) == date(2027, 1, 5)  # Dec 29 - Jan 3 closure
    assert not is_working_day(date(2026, 1, 12))  # Coming of Age Day
    assert is_working_day(date(2026, 6, 1))


async def test_commitment_is_followed_up_after_three_working_days(kb: KnowledgeBase, store: Store) -> None:
    assistant = build_assistant(kb, store, env={})
    sender = RecordingSender()
    ticker = QuizTicker(quiz_feature(assistant), {"slack": sender}, nps=False)
    with time_machine.travel(datetime(2026, 4, 30, 3, 0, tzinfo=UTC), tick=False) as clock:  # Thursday noon, Tokyo
        [answer] = await assistant.handle(dm("第3条のはじめの第一歩は？"))
        [commit] = [b for b in answer.buttons if b.value.startswith("commit:")]
        assert commit.label == "やってみる"
        [recorded] = await assistant.handle(dm(value=commit.value))
        assert "2026-05-08" in recorded.fallback and kb.principle(3).first_step.ja in recorded.fallback
        await assistant.handle(dm(value=commit.value))  # pressed twice: still one commitment
        assert store.db["first_step_commitments"].count == 1

        day_before = datetime(2026, 5, 7, tzinfo=UTC) + TOKYO_10AM
        clock.move_to(day_before)
        await ticker.tick(day_before)
        assert sender.sent == []

        due = datetime(2026, 5, 8, tzinfo=UTC) + TOKYO_10AM
        clock.move_to(due)
        await ticker.tick(due)
        await ticker.tick(due + timedelta(seconds=5))  # asked once, not on every tick
        [(target, ask)] = sender.sent
        assert target.conversation == "D-U1" and "やってみましたか" in ask.fallback
        assert [b.label for b in ask.buttons] == ["やった", "まだ", "スキップ"]

        [thanks] = await assistant.handle(dm(value=ask.buttons[0].value))
        assert thanks.replaces and "進捗" in thanks.fallback
        row = store.db["first_step_commitments"].get(1)
        assert row["status"] == "done" and row["answered_at"] == due.isoformat(timespec="seconds")
        [progress] = await assistant.handle(dm("進捗"))
        assert {f.label: f.value for f in progress.facts}["実践したはじめの第一歩"] == "1件"


async def test_not_yet_asks_again_later_and_others_cannot_answer(kb: KnowledgeBase, store: Store) -> None:
    assistant = build_assistant(kb, store, env={})
    sender = RecordingSender()
    ticker = QuizTicker(quiz_feature(assistant), {"slack": sender}, nps=False)
    start = datetime(2026, 6, 1, 3, tzinfo=UTC)  # Monday
    with time_machine.travel(start, tick=False) as clock:
        await assistant.handle(dm(value="commit:8"))
        first = datetime(2026, 6, 4, tzinfo=UTC) + TOKYO_10AM  # Thursday
        clock.move_to(first)
        await ticker.tick(first)
        [(_, ask)] = sender.sent
        not_yet = ask.buttons[1].value
        [refused] = await assistant.handle(dm(value=not_yet, user="U2"))
        assert "ボタン" in refused.fallback
        await assistant.handle(dm(value=not_yet))
        assert store.db["first_step_commitments"].get(1)["status"] == "not_yet"
        second = datetime(2026, 6, 9, tzinfo=UTC) + TOKYO_10AM  # three working days after Thursday
        clock.move_to(second - timedelta(minutes=1))
        await ticker.tick(second - timedelta(minutes=1))
        assert len(sender.sent) == 1
        await ticker.tick(second)
        assert len(sender.sent) == 2


def test_every_quiz_table_can_be_found_by_platform_and_user(store: Store) -> None:
    # The shared data contract: a generic `dx10 forget` finds a person's rows by these two columns.
    tables = ["quiz_answers", "quiz_cards", "quiz_sessions", "quiz_badges", "first_step_commitments",
              "channel_quizzes", "quiz_people", "nps_responses", "nps_asks"]
    for name in tables:
        assert {"platform", "user_id"} <= set(store.db[name].columns_dict), name
    applied = [r["name"] for r in store.db["migrations"].rows]
    assert [n for n in applied if n.startswith(("m005", "m006", "m007"))] == [
        "m005_quiz_answers_cards_sessions", "m006_first_step_commitments", "m007_channel_quizzes_leaderboard_nps"]


async def test_a_first_step_reported_done_in_words_counts(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    [none] = await bot.handle(dm("第一歩やりました"))
    assert "挑戦中のはじめの第一歩はありません" in none.fallback
    await bot.handle(dm(value="commit:3"))
    await bot.handle(dm(value="commit:5"))
    [done] = await bot.handle(dm("第3条の第一歩やってみた"))
    assert "記録しました" in done.fallback and not done.replaces  # typed: nothing to replace
    statuses = dict(store.db.execute("select principle, status from first_step_commitments").fetchall())
    assert statuses == {3: "done", 5: "open"}
    [cheer] = await bot.handle(dm("やった！"))  # a cheer (after a quiz answer, say) is not a report
    assert dict(store.db.execute("select principle, status from first_step_commitments").fetchall())[5] == "open"
    [done] = await bot.handle(dm("I tried it!"))  # the latest open one
    assert dict(store.db.execute("select principle, status from first_step_commitments").fetchall())[5] == "done"
