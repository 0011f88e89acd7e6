"""Holds ("pause"): whether a message asks to hold the tips, and for which days.

A hold is a run of local calendar days without tips: `first` (the first day without) up to
`resume` (the first day with tips again). It starts today ("pause 7", "for two weeks", "until
December 10") or later ("next week", 「来週は止めて」). An end date is the last day without tips,
as 「12月10日まで」 means in Japanese, so "until December 10" resumes on December 11; the reply
always names both days, so a person who meant otherwise sees it at once. A period with
「まで」 ("until") starts today: 「来週まで止めて」 holds through next Sunday, "until next week"
until next Monday, and the reply says which end of the week was taken.

A day without a month (「15日まで」, "until the 15th") is that day this month, or next month once it
has passed; 「15日」 alone and 「15日間」 are spans. A date without a year (「11月20日」, "November 25")
is this year's; if it passed at most PAST_DAYS ago it is taken as a mistake and refused as past
(not a hold of almost a year), otherwise it is next year's and a long hold says so. A date or day
with 「から」/"from" is where a hold starts: 「15日から1週間」.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.text import kanji_to_int, normal

MAX_DAYS = 365  # a hold ends at most a year from today
PAST_DAYS = 31  # a year-less date passed this recently is a mistake, not next year's
ROLLED_NOTE_DAYS = 92  # a hold longer than this to a year-less date read as next year's says so


@dataclass(frozen=True)
class Hold:
    first: date  # the first local day without tips
    resume: date  # the first local day with tips again
    # How "until next week" was read, for the reply to say: "through" (「来週まで」: next week is
    # held too) or "until" ("until next week": tips resume on Monday); `said` is the phrase.
    reading: str | None = None
    said: str | None = None
    # A year-less end date read as next year's for a long hold ("until October 1" in November), as said.
    rolled: str | None = None

    @property
    def last(self) -> date:
        return self.resume - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.resume - self.first).days


class HoldError(ValueError):
    """Dates that make no hold: `reason` is "past" (`day`, the last day asked for, is before
    today), "reversed" (the last day, `day`, comes before the first, `first`) or "range" (fewer
    than 1 or more than MAX_DAYS days, or no date at all: "until 9999-12-31")."""

    def __init__(self, reason: str, day: date | None = None, first: date | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.day = day
        self.first = first


def days_from_today(today: date, days: int) -> Hold:
    """"pause 7": today and the six days after it."""
    if days < 1:
        raise HoldError("range")
    return _checked(Hold(today, today + timedelta(days=days)), today)


# -- is it a hold? ---------------------------------------------------------------------------------

# Words that hold the tips on their own ("pause my tips", 「配信を一時停止して」)…
_HOLD_VERB = re.compile(r"\b(?:pause[ds]?|hold|suspend|snooze|mute)\b|\bon hold\b|一時停止|休止|お休み|おやすみ|保留|中断|ストップ")
# …of which these are everyday words too (「おやすみ」 is good night, 「中断しないための工夫」): they hold
# only with the tips named or a period (「ヒントはお休み」「明日はお休み」).
_WEAK_HOLD_VERB = re.compile(r"お休み|おやすみ|保留|中断")
# …and words that stop them, which hold only with a period: 「配信を止めて」 stops for good,
# 「来週は止めて」 holds next week.
_STOP_VERB = re.compile(
    r"\b(?:stop|skip|no|without)\b|\bdon'?t\s+send|\bdo\s+not\s+send|止め(?:て|る|ます)?|とめて|とめる|停止|やめて|送らないで|送らなくて"
    r"|不要|いらない|なしで|なしに|休んで|休みに")
# The tips by name. 配信 (streaming, distribution) and 通知 (a notice) are the tips only in a message
# that says nothing else (「配信を止めて」「来週は通知いらない」), never in ライブ配信 or 住民への通知.
_TIPS = re.compile(r"\btips?\b|\bnudges?\b|ヒント|豆知識")
_TIPS_NOUN = re.compile(r"配信|通知")
# Tips as advice, not dx10's tips: 「休止するときのヒント」, "any tips on pausing a project?".
_ADVICE = re.compile(r"(?:ための|ときの|時の|際の|する|には|への)\s*(?:ヒント|豆知識)|\b(?:tips?|advice)\s+(?:on|about|to)\b|\bany\s+tips\b"
                     r"|\btips?\s+for\s+(?!\d|an?\b|one\b|two\b|three\b|four\b|five\b|six\b|seven\b|eight\b|nine\b|ten\b"
                     r"|(?:the\s+)?(?:next|rest|coming|holidays?|vacation)\b|a\s+couple)")
# What else a bare hold may say: 「来週は止めてください」, "pause them for two weeks please".
_FILLER = re.compile(
    r"\b(?:please|my|the|them|it|all|for|me|i|i'm|im|am|will|be|on|vacation|holiday|leave|away|off|and|just|can|you"
    r"|could|would|sending|send|from|until|till|til|through|thru|to)\b"
    r"|ください|下さい|お願いします|お願い|ほしい|欲しい|します|したい|して|する|は|を|に|で|も|の|間|ね|よ|から|まで|休暇|不在|出張")


def is_hold(text: str) -> bool:
    """Whether a message asks to hold the tips: "I am on vacation next week, hold the tips",
    "pause until December 10", 「2週間止めて」. It must name the tips or say nothing else, so
    "should we pause the agile rollout next week?" is a question for the matcher."""
    s = normal(text)
    period = _has_period(s)
    verb = _HOLD_VERB.search(s)
    if not (verb or (period and _STOP_VERB.search(s))):
        return False
    named = bool(_TIPS.search(s)) and not _ADVICE.search(s)
    if verb and not period and not named and not _TIPS_NOUN.search(s) and not _STOP_VERB.search(s) and all(
            _WEAK_HOLD_VERB.fullmatch(v.group(0)) for v in _HOLD_VERB.finditer(s)):
        return False  # 「おやすみ」「保留」 alone
    if named:
        return True
    rest = _strip_periods(s)
    for pattern in (_HOLD_VERB, _STOP_VERB, _TIPS_NOUN, _FILLER):
        rest = pattern.sub(" ", rest)
    return not re.sub(r"[\s、。,.!！?？~〜ー\-']", "", rest)


# -- for how long? --------------------------------------------------------------------------------

_MONTHS = {name: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), 1) for name in names}
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORD = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*(\d{4}))?"
_DATES = [  # each yields (year or None, month, day) through `_date_parts`
    re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?!\d)"),
    re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})" + _ORD + r"\b" + _YEAR),
    re.compile(r"\b(\d{1,2})" + _ORD + r"\s+(?:of\s+)?" + _MONTH + r"\b" + _YEAR),
    re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])"),  # month/day, as written in Japan
    # A day of the month, only with まで/から after it: 「15日まで」 is the 15th, 「15日」「15日間」 are spans.
    re.compile(r"(?<![\d月/.\-])(\d{1,2})\s*日(?=\s*(?:まで|から|〜|~))"),
    re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:day|week|month))"),  # "until the 15th"
]
_DATE = "(?:" + "|".join(p.pattern for p in _DATES) + ")"
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "couple of": 2}
_NUMBER = r"(\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r"|[一二三四五六七八九十]{1,3})"
_EN_SPAN = re.compile(r"\b" + _NUMBER + r"\s*(?:more\s+)?(days?|weeks?|months?)\b")
_JA_SPAN = re.compile(_NUMBER + r"\s*(日間|日|週間|週|か月間?|ヶ月間?|カ月間?|ケ月間?|ヵ月間?)")
_UNTIL = re.compile(r"\b(?:until|till|til|through|thru|to)\b|まで|〜|~")
_NEXT_WEEK = re.compile(r"\bnext\s+week\b|\bthe\s+week\s+after\b|来週|翌週")
_THIS_WEEK = re.compile(r"\b(?:this|the\s+rest\s+of\s+(?:the|this))\s+week\b|今週")
_NEXT_MONTH = re.compile(r"\bnext\s+month\b|来月")
_TOMORROW = re.compile(r"\btomorrow\b|明日|あした|あす")
_TODAY = re.compile(r"\btoday\b|今日|本日")
# A relative period with 「まで」 or "until" holds from today, not only during it. 「まで」 includes
# what it names, as with a date (「来週まで止めて」: through next Sunday); English "until next week"
# ends where next week starts, and "through next week" at its end.
# Where a hold starts, when not today: 「15日から」「12月15日から」, "from December 15", 「明日から」.
_JA_FROM = re.compile(r"\s*から")
_EN_FROM = re.compile(r"\b(?:from|starting(?:\s+on)?|beginning(?:\s+on)?)\s+$")
_RELATIVE_FROM = re.compile(r"(明日|あした|あす|来週|翌週)\s*から|\b(?:from|starting)\s+(tomorrow|next\s+week)\b")
_JA_UNTIL_PERIOD = re.compile(r"(来週|翌週|来月|明日|あした|あす)\s*(?:いっぱい|中)?\s*まで")
_EN_UNTIL_PERIOD = re.compile(r"\b(until|till|til|through|thru)\s+(the\s+end\s+of\s+)?(next\s+week|next\s+month|tomorrow)\b")


def parse(text: str, today: date) -> Hold | None:
    """The hold a message asks for, or None when it names no period ("hold the tips": ask how
    long). Raises HoldError for dates that make no hold."""
    s = normal(text)
    try:
        return _parse(s, today)
    except (OverflowError, ValueError) as exc:  # "until 9999-12-31": no day after it to resume on
        if isinstance(exc, HoldError):
            raise
        raise HoldError("range") from None


def _parse(s: str, today: date) -> Hold | None:
    dates = _dates(s, today)
    if len(dates) >= 2 and (_UNTIL.search(s) or "から" in s or re.search(r"\bfrom\b", s)):
        start, end = dates[0], dates[1]
        if end.day_of_month:  # 「25日から5日まで」: the 5th after the 25th
            end = _Found(_day_of_month(end.when.day, start.when), False, end.said, True)
        return _checked(Hold(start.when, end.when + timedelta(days=1), rolled=end.note), today)
    if dates and dates[0].starts:  # 「15日から1週間止めて」; 「15日から止めて」 alone: for how long?
        span = _span(re.sub(_DATE, " ", s))  # not 「15日」 itself
        return _checked(Hold(dates[0].when, _after(dates[0].when, *span)), today) if span else None
    if dates:  # "until December 10", 「15日まで」
        return _checked(Hold(today, dates[0].when + timedelta(days=1), rolled=dates[0].note), today)
    if until := _until_period(s, today):
        return until
    if span := _span(s):
        begin = today
        if relative := _RELATIVE_FROM.search(s):  # 「明日から3日間」「来週から2週間」
            said = relative.group(1) or relative.group(2)
            begin = today + timedelta(days=1) if said in ("明日", "あした", "あす", "tomorrow") else (
                today + timedelta(days=7 - today.weekday()))
        return _checked(Hold(begin, _after(begin, *span)), today)
    monday = today + timedelta(days=7 - today.weekday())
    if _NEXT_WEEK.search(s):
        return _checked(Hold(monday, monday + timedelta(days=7)), today)
    if _THIS_WEEK.search(s):
        return _checked(Hold(today, monday), today)
    if _NEXT_MONTH.search(s):
        first = _add_months(today.replace(day=1), 1)
        return _checked(Hold(first, _add_months(first, 1)), today)
    if _TOMORROW.search(s):
        return _checked(Hold(today + timedelta(days=1), today + timedelta(days=2)), today)
    if _TODAY.search(s):
        return _checked(Hold(today, today + timedelta(days=1)), today)
    return None


def _until_period(s: str, today: date) -> Hold | None:
    """「来週まで」「明日まで」「来月まで」, "until next week", "through next month": a hold from today."""
    monday = today + timedelta(days=7 - today.weekday())
    next_month = _add_months(today.replace(day=1), 1)
    if ja := _JA_UNTIL_PERIOD.search(s):
        period, through, said = {"来週": "week", "翌週": "week", "来月": "month"}.get(ja.group(1), "tomorrow"), True, ja.group(0)
        ambiguous = True
    elif en := _EN_UNTIL_PERIOD.search(s):
        period = {"next week": "week", "next month": "month"}.get(" ".join(en.group(3).split()), "tomorrow")
        through, said = en.group(1) in ("through", "thru") or bool(en.group(2)), en.group(0)
        ambiguous = not through  # "through next week", "until the end of next week" say which end
    else:
        return None
    ends = {"week": (monday, monday + timedelta(days=7)), "month": (next_month, _add_months(next_month, 1)),
            "tomorrow": (today + timedelta(days=1), today + timedelta(days=2))}[period]
    resume = ends[1] if through else ends[0]
    # A person may have meant the other end of the week: the reply says which was taken.
    reading = ("through" if through else "until") if ambiguous and period == "week" else None
    return _checked(Hold(today, resume, reading, said), today)


def _span(s: str) -> tuple[int, str] | None:
    """"two weeks", 「3日間」: how many of which unit ("day", "week" or "month")."""
    if not (span := _EN_SPAN.search(s) or _JA_SPAN.search(s)):
        return None
    unit = span.group(2)
    kind = "day" if unit.startswith(("day", "日")) else "week" if unit.startswith(("week", "週")) else "month"
    return _number(span.group(1)), kind


def _after(start: date, count: int, unit: str) -> date:
    if count < 1:
        raise HoldError("range")
    if unit == "month":
        return _add_months(start, count)
    return start + timedelta(days=count * (7 if unit == "week" else 1))


def _checked(hold: Hold, today: date) -> Hold:
    if hold.resume <= today:
        raise HoldError("past", hold.last)
    if hold.resume <= hold.first:  # "from December 10 to December 5"
        raise HoldError("reversed", hold.last, hold.first)
    if hold.first < today:  # "from Nov 20 to Dec 10" on Nov 26: the days left
        hold = Hold(today, hold.resume, hold.reading, hold.said, hold.rolled)
    if (hold.resume - today).days > MAX_DAYS:
        raise HoldError("range", hold.last)
    if hold.rolled and hold.days <= ROLLED_NOTE_DAYS:
        hold = Hold(hold.first, hold.resume, hold.reading, hold.said)  # "until January 5" in December: plain
    return hold


@dataclass(frozen=True)
class _Found:
    when: date
    rolled: bool  # a year-less date that has passed this year, read as next year's
    said: str
    day_of_month: bool = False
    starts: bool = False  # 「から」 after it, "from" before it: where the hold starts

    @property
    def note(self) -> str | None:
        return self.said if self.rolled else None


def _dates(s: str, today: date) -> list[_Found]:
    """Every date in the text, in order (see the module's docstring for those without a year or month)."""
    found: list[tuple[int, _Found]] = []
    taken: list[tuple[int, int]] = []
    for i, pattern in enumerate(_DATES):
        for m in pattern.finditer(s):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue  # "2026-12-10" is not also "12/10"
            year, month, day = _date_parts(i, m)
            rolled = False
            try:
                if month is None:
                    when = _day_of_month(day, today)
                else:
                    when = date(year or today.year, month, day)
                    if year is None and (today - when).days > PAST_DAYS:
                        when, rolled = date(today.year + 1, month, day), True
            except ValueError:
                continue  # "2/30" is not a date
            taken.append((m.start(), m.end()))
            starts = bool(_JA_FROM.match(s, m.end()) or _EN_FROM.search(s, 0, m.start()))
            found.append((m.start(), _Found(when, rolled, m.group(0).strip(), month is None, starts)))
    return [date_found for _, date_found in sorted(found, key=lambda f: f[0])]


def _day_of_month(day: int, since: date) -> date:
    """The first `day` of a month on or after `since`: 「15日」 on the 26th is next month's 15th."""
    if not 1 <= day <= 31:
        raise ValueError(day)
    month = since.replace(day=1)
    for _ in range(3):  # 「31日」 in a month of 30 days: the next month that has one
        if day <= calendar.monthrange(month.year, month.month)[1] and (when := month.replace(day=day)) >= since:
            return when
        month = _add_months(month, 1)
    raise ValueError(day)


def _date_parts(i: int, m: re.Match[str]) -> tuple[int | None, int | None, int]:
    g = m.groups()
    if i == 0:
        return int(g[0]), int(g[1]), int(g[2])
    if i == 1:
        return None, int(g[0]), int(g[1])
    if i == 2:
        return (int(g[2]) if g[2] else None), _MONTHS[g[0]], int(g[1])
    if i == 3:
        return (int(g[2]) if g[2] else None), _MONTHS[g[1]], int(g[0])
    if i == 4:
        return None, int(g[0]), int(g[1])
    return None, None, int(g[0])  # a day of the month


def _has_period(s: str) -> bool:
    return _strip_periods(s) != s


def _strip_periods(s: str) -> str:
    # "until" alone is no period: "I want to stop the tips" stops them.
    for pattern in (_EN_UNTIL_PERIOD, _JA_UNTIL_PERIOD, re.compile(_DATE), _EN_SPAN, _JA_SPAN, _NEXT_WEEK, _THIS_WEEK,
                    _NEXT_MONTH, _TOMORROW, _TODAY):
        s = pattern.sub(" ", s)
    return s


def _number(word: str) -> int:
    if word.isdigit():
        return int(word)
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    return kanji_to_int(word) or 1


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day (Jan 31 + 1 month is Feb 28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

