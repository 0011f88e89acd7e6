"""Working days for follow-ups: Japanese public holidays (jpholiday) and the Dec 29–Jan 3 closure are off."""

from __future__ import annotations

from datetime import date, timedelta

import jpholiday


def is_workday(day: date) -> bool:
    if day.weekday() >= 5 or jpholiday.is_holiday(day):
        return False
    return not ((day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3))


def add_workdays(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself does not count)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day
