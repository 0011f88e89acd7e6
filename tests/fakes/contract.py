"""The nudge and quiz tables as the shared data contract defines them, filled with known rows.

Those features are built on other branches; the dashboard, `forget` and `export` must already
work on their tables, so tests create them here with the contract's columns.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

DAY = "2026-03-10"
NEXT = "2026-03-11"


def at(day: str, time: str = "09:00:00") -> str:
    return f"{day}T{time}+00:00"


def interaction(day: str, *, user_key: str = "k1", text: str | None = "q", intent: str = "principle",
                principle: int | None = 3, facet: str | None = "kpi", confidence: float = 0.9, answered: bool = True,
                feedback: int | None = None, time: str = "09:00:00", platform: str = "slack") -> dict[str, Any]:
    return {"at": at(day, time), "platform": platform, "user_key": user_key, "conversation_kind": "direct", "text": text,
            "intent": intent, "principle": principle, "facet": facet, "term": None, "confidence": confidence,
            "answered": int(answered), "feedback": feedback}


def create_contract_tables(db: sqlite_utils.Database) -> None:
    """Two people (slack U1, teams T9) with quiz answers, commitments, NPS and nudges."""
    db["nudge_subscriptions"].insert_all([
        {"id": 1, "platform": "slack", "conversation": "D1", "user_id": "U1", "kind": "user", "schedule": "daily 09:00",
         "tz": "Asia/Tokyo", "lang": "ja", "active": 1, "paused_until": None, "deactivated_reason": None, "cursor": 0,
         "created_at": at(DAY), "updated_at": at(DAY)},
        {"id": 2, "platform": "slack", "conversation": "C1", "user_id": "U2", "kind": "channel",
         "schedule": "weekly mon 09:00", "tz": "Asia/Tokyo", "lang": "ja", "active": 1, "paused_until": None,
         "deactivated_reason": None, "cursor": 0, "created_at": at(DAY), "updated_at": at(DAY)},
        {"id": 3, "platform": "teams", "conversation": "a:1", "user_id": "T9", "kind": "user", "schedule": "daily 09:00",
         "tz": "Asia/Tokyo", "lang": "en", "active": 0, "paused_until": None, "deactivated_reason": "gone",
         "cursor": 0, "created_at": at(DAY), "updated_at": at(DAY)},
    ], pk="id")
    db["nudge_deliveries"].insert_all([
        {"id": 1, "subscription_id": 1, "slot": at(DAY, "00:00:00"), "status": "sent", "reason": None, "tip": "t1",
         "attempts": 1, "created_at": at(DAY), "updated_at": at(DAY)},
        {"id": 2, "subscription_id": 1, "slot": at(NEXT, "00:00:00"), "status": "failed", "reason": "429", "tip": "t2",
         "attempts": 3, "created_at": at(NEXT), "updated_at": at(NEXT)},
        {"id": 3, "subscription_id": 2, "slot": at(DAY, "00:00:00"), "status": "skipped", "reason": "paused",
         "tip": None, "attempts": 0, "created_at": at(DAY), "updated_at": at(DAY)},
        {"id": 4, "subscription_id": 3, "slot": at(DAY, "00:00:00"), "status": "sent", "reason": None, "tip": "t1",
         "attempts": 1, "created_at": at(DAY), "updated_at": at(DAY)},
    ], pk="id")
    db["quiz_answers"].insert_all([
        {"id": 1, "at": at(DAY), "platform": "slack", "user_id": "U1", "question_id": "q3a", "principle": 3, "correct": 1,
         "mode": "personal", "channel_quiz_id": None},
        {"id": 2, "at": at(DAY, "10:00:00"), "platform": "slack", "user_id": "U1", "question_id": "q3b", "principle": 3,
         "correct": 0, "mode": "personal", "channel_quiz_id": None},
        {"id": 3, "at": at(NEXT), "platform": "teams", "user_id": "T9", "question_id": "q3a", "principle": 3,
         "correct": 1, "mode": "channel", "channel_quiz_id": 7},
        {"id": 4, "at": at(NEXT), "platform": "teams", "user_id": "T9", "question_id": "q5a", "principle": 5,
         "correct": 1, "mode": "personal", "channel_quiz_id": None},
    ], pk="id")
    db["first_step_commitments"].insert_all([
        {"id": 1, "platform": "slack", "user_id": "U1", "conversation": "D1", "principle": 3, "created_at": at(DAY),
         "due_at": at(NEXT), "status": "done", "answered_at": at(NEXT)},
        {"id": 2, "platform": "teams", "user_id": "T9", "conversation": "a:1", "principle": 3, "created_at": at(DAY),
         "due_at": at(NEXT), "status": "open", "answered_at": None},
        {"id": 3, "platform": "teams", "user_id": "T9", "conversation": "a:1", "principle": 5, "created_at": at(NEXT),
         "due_at": at(NEXT), "status": "not_yet", "answered_at": at(NEXT)},
    ], pk="id")
    db["nps_responses"].insert_all([
        {"id": 1, "at": at(DAY), "platform": "slack", "user_id": "U1", "score": 10, "comment": "useful"},
        {"id": 2, "at": at(DAY), "platform": "teams", "user_id": "T9", "score": 8, "comment": None},
        {"id": 3, "at": at(NEXT), "platform": "slack", "user_id": "U2", "score": 3, "comment": "too slow"},
        {"id": 4, "at": at(NEXT), "platform": "slack", "user_id": "U3", "score": 9, "comment": None},
    ], pk="id")
