"""A tip to someone with quiz reviews due offers them: nudges and quizzes wired by bot.assembly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from bot.assembly import build_assistant, nudge_service
from bot.nudges.repo import NudgeRepo
from bot.store import Store
from knowledge.schema import KnowledgeBase
from tests.quiz_helpers import RecordingSender, answer_value, dm

MON_0930 = datetime(2026, 6, 1, 0, 30, tzinfo=UTC)  # Monday 09:30 in Tokyo
TUE_1000 = datetime(2026, 6, 2, 1, 0, tzinfo=UTC)  # a day after the wrong answers


async def test_a_tip_offers_the_reviews_that_are_due(kb: KnowledgeBase, store: Store) -> None:
    assistant = build_assistant(kb, store, env={})
    with time_machine.travel(MON_0930, tick=False):
        _, question = await assistant.handle(dm("quiz 5", user="U1"))
        for _ in range(5):  # all wrong: every question is due again tomorrow
            *_, question = await assistant.handle(dm(value=answer_value(assistant, question, right=False), user="U1"))
        repo = NudgeRepo(store)
        for user in ("U1", "U2"):  # U2 never took a quiz
            repo.subscribe(platform="slack", conversation=f"D-{user}", user_id=user, kind="user",
                           schedule="daily 10:00", tz="Asia/Tokyo", lang="en")
    nudges = nudge_service(kb, store, {})
    sender = RecordingSender("slack")
    nudges.senders["slack"] = sender
    with time_machine.travel(TUE_1000 + timedelta(minutes=5), tick=False):
        summary = await nudges.run_due(TUE_1000 + timedelta(minutes=5))
    assert summary.sent == 2
    buttons = {target.user: [b.value for b in reply.buttons] for target, reply in sender.sent}
    assert "quiz:review" in buttons["U1"] and "quiz:review" not in buttons["U2"]
    review = next(b for _, r in sender.sent for b in r.buttons if b.value == "quiz:review")
    assert "5" in review.label
