"""Spaced repetition with FSRS (the `fsrs` package): a card per person and question.

Day-based on purpose: no minute-long learning steps (a chat quiz is not a flash-card app), so a
wrong answer comes back the next day and a right one after a few days, then ever longer.
No fuzzing: the same answers give the same schedule, which tests and people can rely on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card, Rating, Scheduler

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


@dataclass(frozen=True)
class Reviewed:
    card: str  # the FSRS card as JSON
    due: datetime


def review(card_json: str | None, correct: bool, now: datetime) -> Reviewed:
    card = Card.from_dict(json.loads(card_json)) if card_json else Card()
    card, _log = SCHEDULER.review_card(card, Rating.Good if correct else Rating.Again, now)
    return Reviewed(json.dumps(card.to_dict()), card.due)
