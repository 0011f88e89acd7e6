"""When a subscription gets its tip: "daily HH:MM" (working days) or "weekly <day> HH:MM".

Schedules are read in the subscription's time zone (default Asia/Tokyo); every instant that
leaves this module is an aware UTC datetime, which is what the store keeps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.nudges import unsupported
from bot.text import normal
from bot.workdays import is_working_day

DEFAULT_TZ = "Asia/Tokyo"
DEFAULT_TIME = (9, 0)
EVENING_TIME = (18, 0)  # "every evening" without a time: after work, as a bare "at 6" reads
# Tips are work tips: they come between 06:00 and 22:00 in the subscription's zone, so nobody is
# pinged in the night (a time like 「深夜2時」 is refused and the range is named). Early starters and
# people who read after work are both inside it; 06:00 is what "at 6am" gives.
EARLIEST = time(6, 0)
LATEST = time(22, 0)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EN_DAYS = {name: i for i, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}
_JA_DAYS = {ch: i for i, ch in enumerate("月火水木金土日")}
# How far back to look for the latest slot: longer than any run of non-working days (Golden Week
# plus a weekend, the year-end closure), so a weekly slot is always found.
_LOOKBACK_DAYS = 21

_CANONICAL = re.compile(r"^(daily|weekly\s+(mon|tue|wed|thu|fri|sat|sun))\s+(\d{1,2}):(\d{2})$")
_CLOCK = re.compile(r"(?<!\d)(\d{1,2})\s*[:：]\s*(\d{2})(?!\d)\s*(am|pm|a\.m\.|p\.m\.)?")
_EN_HOUR = re.compile(r"(?<![\d:])(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.|o'?clock)")
_EN_AT_HOUR = re.compile(r"\bat\s+(\d{1,2})(?![\d:])")  # "at 8"; "at 3" is read as 15:00 (see _bare_hour)
_NOON = re.compile(r"正午|お昼|\bnoon\b|\bmidday\b")
_JA_HOUR = re.compile(r"(?<!\d)(\d{1,2})\s*時\s*(半|(\d{1,2})\s*分)?")
_JA_AFTERNOON = re.compile(r"午後|夕方")
_MORNING = re.compile(r"\bmornings?\b|(?<!明け)朝|午前")
_EVENING = re.compile(r"\b(?:afternoons?|evenings?|tonight)\b|午後|夕方")
# Night: 「夜8時」 "every night at 9" are 20:00 and 21:00, but 「深夜2時」「夜2時」 "at 2 at night" are
# 02:00, not 14:00 (and then refused: see EARLIEST). See _night_hour.
_NIGHT = re.compile(r"夜|晩|未明|明け方|\bnights?\b")
_MIDNIGHT = re.compile(r"\bmidnight\b|真夜中")
_DAILY = re.compile(r"daily|every\s+(?:day|morning|evening|night|working\s+day|weekday)|weekdays|毎日|毎朝|毎晩|平日")
_JA_HOUR_ONLY = re.compile(r"(?<!\d)\d{1,2}\s*時(?!間)")  # 「10時」, not 「3時間」
_WEEKLY = re.compile(r"weekly|every\s+week\b|once\s+a\s+week|毎週|週1|週一|週に1|週に一")
_ASKS = re.compile(r"[?？]|何|いつ|どう|\bwhat\b|\bwhen\b|\bhow\b")
_FREQUENCY = re.compile(r"weekly|daily|every|毎週|毎日|毎朝|毎晩|平日|週1|週に")
# What may surround the day and time in a message that is only a schedule: 「毎週金曜の17時半に」,
# "every tuesday at 7:15am please", "change it to 8am".
_SCHEDULE_FILLER = re.compile(
    r"\b(?:every|each|on|at|in|the|a|an|and|to|it|please|change|switch|move|make|send|me|tips?|weekly|daily"
    r"|morning|evening|weekdays?|working|day|days|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    + "|".join(_EN_DAYS) + "|" + "|".join(f"{day}s" for day in _EN_DAYS) + r")\b"
    # "actually, weekly on Mondays is enough"
    r"|\b(?:is|are|would\s+be|will\s+be)\s+(?:enough|fine|ok|okay|good|plenty)\b|\b(?:will\s+do|only)\b"
    r"|\bnights?\b|\blate\b|\bmidnight\b|\bi\s+(?:want|would\s+like|'d\s+like)\b|\bget\b"
    r"|毎週|毎日|毎朝|毎晩|平日|深夜|真夜中|夜中|未明|明け方|朝|夜|夕方|午前|午後|正午|お昼|曜日|曜|[月火水木金土日](?=曜)|ごろ|頃|くらい"
    r"|ください|下さい|お願いします|お願い|にして|して|変更|変えて|かえて|変えたい|かえたい|したい|ほしい|欲しい|送って|送る"
    r"|届けて|配信時間|通知時間|ヒントの時間|ヒント|豆知識|配信|通知|の|に|で|を|と|へ"
    r"|やっぱり|やっぱ|やはり|でいいです|でいい|いいです|いい|回|受け取る|受け取りたい|\b(?:actually|instead|rather|make|just)\b"
)
# Words that ask for the tips to be sent, which make a day alone a schedule: 「月曜日に送って」.
_SEND = re.compile(r"送って|届けて|配信して|\bsend\b")
_TIPS_WORD = re.compile(r"ヒント|豆知識|\btips?\b")
_EN_DAY = re.compile(r"\b(" + "|".join(_EN_DAYS) + r"|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)s?\b")  # "on Mondays"
_JA_DAY = re.compile(r"([月火水木金土日])曜")


class ScheduleError(ValueError):
    """A schedule we cannot read; the message says what is accepted (in English, for the CLI).

    `key` and `values` name the catalog message that says it to a person in chat, when there is one.
    """

    def __init__(self, message: str, key: str | None = None, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


class WeekendError(ScheduleError):
    """A weekly day that is never a working day (Saturday, Sunday): such a schedule never sends.

    `suggestion` is the nearest weekday at the same time: Friday for Saturday, Monday for Sunday.
    """

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        self.suggestion = Schedule(4 if schedule.weekday == 5 else 0, schedule.hour, schedule.minute)
        super().__init__(
            f"tips go out on Tokyo working days only (Monday to Friday, except holidays), so \"{schedule}\" "
            f"would never be sent: use a weekday, e.g. \"{self.suggestion}\"")


class OffHoursError(ScheduleError):
    """A time outside EARLIEST-LATEST: it would send, but in the night, which work tips should not."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule
        super().__init__(
            f"tips go out between {EARLIEST:%H:%M} and {LATEST:%H:%M}, not in the night: "
            f"{schedule.hour:02d}:{schedule.minute:02d} is outside that range")


def hours_range() -> tuple[str, str]:
    """("06:00", "22:00"): the first and last time tips may be set for, for replies."""
    return f"{EARLIEST:%H:%M}", f"{LATEST:%H:%M}"


@dataclass(frozen=True)
class Schedule:
    weekday: int | None  # None: daily (every working day); 0 = Monday
    hour: int
    minute: int

    def __post_init__(self) -> None:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            said = f"{self.hour}:{self.minute:02d}"
            raise ScheduleError(f"{said} is not a time of day (use 00:00-23:59)", "nudge.no_such_time", time=said)
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise ScheduleError("the day must be one of mon, tue, wed, thu, fri, sat, sun")

    @property
    def daily(self) -> bool:
        return self.weekday is None

    def __str__(self) -> str:
        clock = f"{self.hour:02d}:{self.minute:02d}"
        return f"daily {clock}" if self.daily else f"weekly {DAYS[self.weekday or 0]} {clock}"

    @classmethod
    def parse(cls, text: str) -> Schedule:
        """The canonical form used by the CLI and the store: "daily 09:00", "weekly mon 09:00"."""
        found = _CANONICAL.match(" ".join(text.strip().lower().split()))
        if not found:
            raise ScheduleError(f"cannot read schedule {text!r}: use \"daily HH:MM\" or \"weekly mon HH:MM\" (mon..sun)")
        weekday = DAYS.index(found.group(2)) if found.group(2) else None
        return cls(weekday, int(found.group(3)), int(found.group(4)))

    def sendable(self) -> Schedule:
        """This schedule, or WeekendError when it names a day without tips, or OffHoursError for a
        time in the night.

        Only new and changed schedules are checked (chat, `dx10 nudges add`): a stored weekend
        row still loads, so `status` can say what is wrong with it, and a stored night time still
        sends, as it was asked for before the range existed.
        """
        if self.weekday is not None and self.weekday >= 5:
            raise WeekendError(self)
        if not EARLIEST <= time(self.hour, self.minute) <= LATEST:
            raise OffHoursError(self)
        return self

    # -- slots ---------------------------------------------------------------------------------

    def runs_on(self, day: date) -> bool:
        return is_working_day(day) and (self.daily or day.weekday() == self.weekday)

    def slot_on(self, day: date, tz: str) -> datetime | None:
        """The UTC instant of this schedule's slot on a local calendar day, or None if it has none."""
        if not self.runs_on(day):
            return None
        local = datetime.combine(day, time(self.hour, self.minute), tzinfo=zone(tz))
        return local.astimezone(UTC)

    def latest_slot(self, now: datetime, tz: str) -> datetime | None:
        """The most recent slot at or before `now` (UTC), within the last three weeks."""
        today = now.astimezone(zone(tz)).date()
        for back in range(_LOOKBACK_DAYS + 1):
            slot = self.slot_on(today - timedelta(days=back), tz)
            if slot is not None and slot <= now:
                return slot
        return None

    def next_slot(self, after: datetime, tz: str, horizon_days: int = 60) -> datetime | None:
        """The first slot strictly after `after` (UTC)."""
        day = after.astimezone(zone(tz)).date()
        for ahead in range(horizon_days + 1):
            slot = self.slot_on(day + timedelta(days=ahead), tz)
            if slot is not None and slot > after:
                return slot
        return None

    def slots_between(self, start: datetime, end: datetime, tz: str) -> int:
        """How many slots fall in (start, end]."""
        count, cursor = 0, start
        while (slot := self.next_slot(cursor, tz, horizon_days=max(1, (end - cursor).days + 1))) and slot <= end:
            count += 1
            cursor = slot
        return count


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"unknown time zone {name!r}: use an IANA name such as {DEFAULT_TZ}") from None


def is_schedule_only(text: str) -> bool:
    """Whether a message says nothing but when: 「毎週月曜10時」, "weekly mon 10:30", "change it to 8am",
    「毎朝ヒントほしい」 (how often and the tips), 「土曜日に送って」 (a day and "send")."""
    s = normal(text)
    day = _EN_DAY.search(s) or _JA_DAY.search(s)
    if not (_has_time_of_day(s) or (_FREQUENCY.search(s) and (day or _TIPS_WORD.search(s))) or (day and _SEND.search(s))):
        return False
    return says_only_when(s)


def says_only_when(text: str) -> bool:
    """Nothing but schedule words, fillers and a change: 「やっぱり週1回でいいです」 "make it every day"."""
    s = normal(text)
    if _ASKS.search(s):  # 「毎週金曜の配信時間は？」 asks; it does not set
        return False
    rest = s
    # A frequency or a time zone tips cannot have still makes a schedule request: the reply refuses it.
    for pattern in (unsupported.FREQUENCY, unsupported.ZONE_WORDS, _CANONICAL, _CLOCK, _EN_HOUR, _EN_AT_HOUR, _JA_HOUR,
                    _NOON, _MIDNIGHT, _WEEKLY, _DAILY, _SCHEDULE_FILLER):
        rest = pattern.sub(" ", rest)
    return not re.sub(r"[\s、。,.!！?？~〜ー\-]", "", rest)


def has_time_of_day(text: str) -> bool:
    """Whether text names a time of day ("at 9", 「10時」, "noon"), not only a day."""
    return _has_time_of_day(normal(text))


def _has_time_of_day(s: str) -> bool:
    return any(p.search(s) for p in (_CLOCK, _EN_HOUR, _EN_AT_HOUR, _JA_HOUR_ONLY, _NOON, _MIDNIGHT))


def mentions_time(text: str) -> bool:
    """Whether text names a time of day or a day of the week (「10時に」, "at 8", 「月曜」, "daily")."""
    s = normal(text)
    return any(p.search(s) for p in (_CLOCK, _EN_HOUR, _EN_AT_HOUR, _JA_HOUR_ONLY, _EN_DAY, _JA_DAY, _WEEKLY, _DAILY))


@dataclass(frozen=True)
class Reading:
    """A schedule read from a message, and whether a bare hour was taken as the afternoon."""

    schedule: Schedule
    # ("at 6", 6): "at 6" was read as 18:00; 06:00 is the other reading, for the reply to offer.
    assumed: tuple[str, int] | None = None


def from_text(text: str, base: Schedule | None = None) -> Schedule:
    """Read a schedule out of what a person wrote (see `read`)."""
    return read(text, base).schedule


def read(text: str, base: Schedule | None = None) -> Reading:
    """Read a schedule out of what a person wrote: 「毎朝9時」「毎週月曜10時半」, "weekly mon 09:00",
    "every day at 8am". Missing parts come from `base` (a change: 「10時に変更」 keeps the day),
    else the defaults (daily, 09:00)."""
    s = normal(text)
    days = {m.group(1)[:3] for m in _EN_DAY.finditer(s)} | {m.group(1) for m in _JA_DAY.finditer(s)}
    if len(days) > 1:
        raise ScheduleError("one day a week per subscription: choose one day, or every working day", "nudge.one_day_a_week")
    weekday: int | None = None if base is None or _DAILY.search(s) else base.weekday
    if day := _EN_DAY.search(s):
        word = day.group(1)
        weekday = _EN_DAYS.get(word, DAYS.index(word[:3]) if word[:3] in DAYS else None)
    elif day := _JA_DAY.search(s):
        weekday = _JA_DAYS[day.group(1)]
    elif _WEEKLY.search(s):
        weekday = 0  # "weekly" without a day: Monday, the start of the working week
    hour, minute = DEFAULT_TIME if base is None else (base.hour, base.minute)
    assumed: tuple[str, int] | None = None
    if _NOON.search(s) and not _CLOCK.search(s):
        hour, minute = 12, 0
    elif clock := _CLOCK.search(s):
        hour, minute = int(clock.group(1)), int(clock.group(2))
        hour = _twelve_hour(hour, clock.group(3))
    elif (en := _EN_HOUR.search(s)) and en.group(2).startswith(("a", "p")):
        hour, minute = _twelve_hour(int(en.group(1)), en.group(2)), 0
    elif bare := en or _EN_AT_HOUR.search(s):  # "at 6", "6 o'clock"
        hour, minute = int(bare.group(1)), 0
        hour, assumed = _bare_hour(hour, s, bare.group(0))
    elif ja := _JA_HOUR.search(s):
        hour = int(ja.group(1))
        minute = 30 if ja.group(2) == "半" else int(ja.group(3) or 0)
        if _NIGHT.search(s[: ja.start()]):
            hour = _night_hour(hour)
        elif _JA_AFTERNOON.search(s[: ja.start()]) and hour < 12:
            hour += 12
        elif not _MORNING.search(s[: ja.start()]):
            hour, assumed = _bare_hour(hour, s, ja.group(0))
    elif _MIDNIGHT.search(s):
        hour, minute = 0, 0
    elif (_EVENING.search(s) or _NIGHT.search(s)) and hour < 17:
        hour, minute = EVENING_TIME  # 「毎晩ヒントほしい」 "every evening": not the 09:00 default
    elif _MORNING.search(s) and hour >= 12:
        hour, minute = DEFAULT_TIME  # 「毎朝にして」 after 17:00: the morning default
    return Reading(Schedule(weekday, hour, minute), assumed)


def _bare_hour(hour: int, s: str, said: str) -> tuple[int, tuple[str, int] | None]:
    """An hour said without am/pm ("at 6", 「6時」): tips come in working hours, so 1 to 6 is the
    afternoon (13:00-18:00) and 7 to 12 the morning, unless the text says "morning"/「朝」 or
    "evening"/「夜」. When the afternoon is assumed, the reply says so and how to get the other."""
    if not 1 <= hour <= 12:
        return hour, None  # 0, 13-23: a 24-hour time
    if _NIGHT.search(s):
        return _night_hour(hour), None
    if _EVENING.search(s):
        return (hour + 12 if hour < 12 else hour), None
    if _MORNING.search(s) or hour >= 7:
        return hour, None
    return hour + 12, (said.strip(), hour)


def _night_hour(hour: int) -> int:
    """An hour said with a night word (「夜」「深夜」, "night"): 8 is 20:00 and 11 is 23:00, but 2
    is 02:00 (nobody means 14:00 by 「夜2時」) and 12 is midnight."""
    if hour == 12:
        return 0
    return hour + 12 if 6 <= hour < 12 else hour


def _twelve_hour(hour: int, suffix: str | None) -> int:
    if not suffix or not suffix.startswith(("a", "p")):
        return hour
    if not 1 <= hour <= 12:
        raise ScheduleError(f"{hour}{suffix} is not a time of day", "nudge.no_such_time", time=f"{hour}{suffix}")
    if suffix.startswith("p"):
        return hour % 12 + 12
    return hour % 12
