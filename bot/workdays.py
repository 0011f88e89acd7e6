"""Working days of the Tokyo Metropolitan Government: no weekends, public holidays or year-end closure.

Nudges are sent only on working days; first-step follow-ups count working days.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import jpholiday

# The TMG's offices close from December 29 to January 3 (東京都の休日に関する条例).
_CLOSURE = ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))
CLOSURE_REASON = "year-end closure (Dec 29 - Jan 3)"


@lru_cache(maxsize=4096)  # every subscription asks about the same few days
def why_not_working(day: date) -> str | None:
    """None on a working day; otherwise a short reason ("Saturday", the holiday's name, ...)."""
    if day.weekday() == 5:
        return "Saturday"
    if day.weekday() == 6:
        return "Sunday"
    name = jpholiday.is_holiday_name(day)  # includes substitute and "citizens'" holidays
    if name:
        return str(name)
    if (day.month, day.day) in _CLOSURE:
        return CLOSURE_REASON
    return None


def why_not_working_in(day: date, lang: str) -> str | None:
    """why_not_working for a reader of `lang`. jpholiday names holidays in Japanese only, so an
    English reader gets "national holiday" rather than 「成人の日」."""
    reason = why_not_working(day)
    if lang == "en" and reason is not None and reason not in ("Saturday", "Sunday", CLOSURE_REASON):
        return "national holiday"
    return reason


def is_working_day(day: date) -> bool:
    return why_not_working(day) is None


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
