"""The monthly NPS question: asked to recently active people, at most once in 30 days, score and comment stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from bot.assembly import build_assistant
from bot.quiz.ticker import QuizTicker
from bot.store import Store
from knowledge.schema import KnowledgeBase
from tests.quiz_helpers import RecordingSender, dm, quiz_feature

OFFICE_HOURS = datetime(2026, 6, 1, 2, tzinfo=UTC)  # Monday 11:00 in Tokyo


async def test_nps_is_asked_once_a_month_and_stores_score_and_comment(kb: KnowledgeBase, store: Store) -> None:
    assistant = build_assistant(kb, store, env={})
    sender = RecordingSender()
    ticker = QuizTicker(quiz_feature(assistant), {"slack": sender})
    with time_machine.travel(OFFICE_HOURS - timedelta(days=3), tick=False):
        await assistant.handle(dm("第1条とは", user="U1"))  # active
    with time_machine.travel(OFFICE_HOURS - timedelta(days=40), tick=False):
        await assistant.handle(dm("第2条とは", user="U2"))  # not active any more
    await assistant.handle(dm("第3条とは", user="U3", platform="console"))  # no way to reach the console later

    night = OFFICE_HOURS + timedelta(hours=12)  # 23:00 in Tokyo: nobody is asked at night
    await ticker.tick(night)
    assert sender.sent == []
    await ticker.tick(OFFICE_HOURS)
    [(target, ask)] = sender.sent
    assert (target.conversation, target.user) == ("U1", "U1")  # Slack DMs a user id
    assert [b.value for b in ask.buttons] == [f"nps:{n}" for n in range(11)]

    with time_machine.travel(OFFICE_HOURS, tick=False):
        [thanks] = await assistant.handle(dm(value="nps:9"))
        assert "9" in thanks.fallback and thanks.replaces
        [noted] = await assistant.handle(dm("コメント: 復習が便利です"))
        assert "コメント" in noted.fallback
        [refused] = await assistant.handle(dm(value="nps:11"))
        assert "ボタン" in refused.fallback
    [row] = list(store.db["nps_responses"].rows)
    assert (row["platform"], row["user_id"], row["score"], row["comment"]) == ("slack", "U1", 9, "復習が便利です")

    await ticker.tick(OFFICE_HOURS + timedelta(days=29, hours=2))  # still active, but asked 29 days ago
    assert len(sender.sent) == 1
    with time_machine.travel(OFFICE_HOURS + timedelta(days=30), tick=False):
        await assistant.handle(dm("第4条とは", user="U1"))
    await ticker.tick(OFFICE_HOURS + timedelta(days=31))  # Thursday 11:00, 31 days later
    assert len(sender.sent) == 2
