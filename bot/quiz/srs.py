"""Spaced repetition with FSRS (the `fsrs` package): a card per person and question.

Day-based on purpose: no minute-long learning steps (a chat quiz is not a flash-card app), so a
wrong answer comes back the next day and a right one after a few days, then ever longer. A card
is due from the start of its Tokyo day, not from the clock time it was answered: "due on the
27th" means all of the 27th (a card missed at 16:59 used to wait until 16:59 the next day while
dx10 said "the next review is due from" that day). No fuzzing: the same answers give the same
schedule, which tests and people can rely on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fsrs import Card, Rating, Scheduler

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
TOKYO = ZoneInfo("Asia/Tokyo")


def day_start(moment: datetime) -> datetime:
    """The start (00:00 Tokyo) of the moment's Tokyo day, in UTC like every stored time."""
    return datetime.combine(moment.astimezone(TOKYO).date(), time(0), TOKYO).astimezone(UTC)


def due_before(now: datetime) -> str:
    """Cards with a `due` earlier than this (stored ISO text, UTC) are due today in Tokyo.

    Compared against the start of tomorrow rather than `now`, so cards stored before dues were
    rounded to the day (due at a clock time) are due all of their day too.
    """
    return day_start(now + timedelta(days=1)).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Reviewed:
    card: str  # the FSRS card as JSON
    due: datetime


def review(card_json: str | None, correct: bool, now: datetime) -> Reviewed:
    card = Card.from_dict(json.loads(card_json)) if card_json else Card()
    card, _log = SCHEDULER.review_card(card, Rating.Good if correct else Rating.Again, now)
    return Reviewed(json.dumps(card.to_dict()), day_start(card.due))
