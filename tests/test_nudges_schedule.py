"""When tips go out: Tokyo working days, schedules read from commands and from people's words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.nudges.schedule import OffHoursError, Schedule, ScheduleError, from_text
from bot.workdays import is_working_day, why_not_working


def test_a_normal_weekday_is_a_working_day() -> None:
    assert is_working_day(date(2026, 11, 26))  # a Thursday


@pytest.mark.parametrize(("day", "reason"), [
    (date(2025, 1, 13), "成人の日"),  # a holiday Monday (Happy Monday)
    (date(2026, 11, 23), "勤労感謝の日"),
    (date(2025, 5, 6), "休日"),  # a substitute holiday (振替休日: みどりの日 fell on a Sunday)
    (date(2026, 11, 28), "Saturday"),
    (date(2026, 11, 29), "Sunday"),
])
def test_weekends_and_public_holidays_are_not(day: date, reason: str) -> None:
    assert reason in (why_not_working(day) or "")


@pytest.mark.parametrize("day", [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 2),
                                 date(2027, 1, 3)])
def test_the_year_end_closure_is_not(day: date) -> None:
    assert not is_working_day(day)
    assert why_not_working(date(2026, 12, 30)) == "year-end closure (Dec 29 - Jan 3)"  # a Wednesday


def test_work_resumes_on_january_4th() -> None:
    assert is_working_day(date(2027, 1, 4))  # a Monday


@pytest.mark.parametrize(("text", "expected"), [
    ("毎朝9時にヒントを送って", "daily 09:00"),
    ("subscribe weekly mon 09:00", "weekly mon 09:00"),
    ("毎週金曜日の10時半に配信して", "weekly fri 10:30"),
    ("every day at 8am", "daily 08:00"),
    ("send me tips every monday at 8", "weekly mon 08:00"),
    ("daily at 17 please", "daily 17:00"),
    ("send me tips at 3", "daily 15:00"),  # working hours: not 03:00
    ("3時に送って", "daily 15:00"),  # the same rule in Japanese
    ("send me tips at 6 o'clock", "daily 18:00"),
    ("every morning at 6", "daily 06:00"),  # unless the text says which
    ("毎朝6時", "daily 06:00"),
    ("at 8 in the evening", "daily 20:00"),
    ("夜8時", "daily 20:00"),
    ("send me tips at 7", "daily 07:00"),
    ("毎日正午に", "daily 12:00"),
    ("send me tips every friday at 5pm", "weekly fri 17:00"),
    ("午後3時に送って", "daily 15:00"),
    ("毎日 ８：４５", "daily 08:45"),
    ("subscribe", "daily 09:00"),
    ("weekly tips please", "weekly mon 09:00"),
    ("深夜2時に送って", "daily 02:00"),  # the small hours, not 14:00 (then refused: see sendable)
    ("夜中の3時", "daily 03:00"),
    ("夜2時", "daily 02:00"),
    ("夜11時", "daily 23:00"),
    ("夜12時", "daily 00:00"),
    ("毎晩9時", "daily 21:00"),
    ("send me tips at 2 at night", "daily 02:00"),
    ("every night at 9", "daily 21:00"),
    ("at midnight", "daily 00:00"),
])
def test_schedules_are_read_from_what_people_write(text: str, expected: str) -> None:
    assert str(from_text(text)) == expected


@pytest.mark.parametrize("text", ["subscribe daily 25:00", "毎朝9時70分"])
def test_impossible_times_are_refused(text: str) -> None:
    with pytest.raises(ScheduleError):
        from_text(text)


@pytest.mark.parametrize(("schedule", "sends"), [("daily 06:00", True), ("weekly fri 22:00", True),
                                                 ("daily 05:59", False), ("daily 22:01", False), ("daily 00:00", False)])
def test_new_schedules_are_between_six_and_ten(schedule: str, sends: bool) -> None:
    if sends:
        assert Schedule.parse(schedule).sendable() == Schedule.parse(schedule)
    else:
        with pytest.raises(OffHoursError, match="between 06:00 and 22:00"):
            Schedule.parse(schedule).sendable()


def test_canonical_schedules_round_trip_and_bad_ones_say_what_works() -> None:
    assert str(Schedule.parse(" Weekly  TUE 7:05 ")) == "weekly tue 07:05"
    with pytest.raises(ScheduleError, match="daily HH:MM"):
        Schedule.parse("every morning")


def test_slots_are_utc_instants_of_tokyo_times_on_working_days_only() -> None:
    daily = Schedule.parse("daily 09:00")
    assert daily.slot_on(date(2026, 11, 26), "Asia/Tokyo") == datetime(2026, 11, 26, 0, 0, tzinfo=UTC)
    assert daily.slot_on(date(2025, 1, 13), "Asia/Tokyo") is None  # 成人の日
    # On Tuesday 2025-01-14 at 08:00 JST the latest slot is Friday 2025-01-10 (Sat, Sun, holiday Monday between).
    latest = daily.latest_slot(datetime(2025, 1, 13, 23, 0, tzinfo=UTC), "Asia/Tokyo")
    assert latest == datetime(2025, 1, 10, 0, 0, tzinfo=UTC)
    weekly = Schedule.parse("weekly mon 09:00")
    assert weekly.next_slot(datetime(2025, 1, 6, 1, 0, tzinfo=UTC), "Asia/Tokyo") == datetime(2025, 1, 20, 0, 0, tzinfo=UTC)
    assert Schedule.parse("daily 09:00").slot_on(date(2026, 11, 26), "Europe/London") == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
