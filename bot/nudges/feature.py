"""Nudges in chat: subscribe, unsubscribe, pause N days, resume and status, in ja/en or with buttons.

In a DM the person subscribes themself; in a channel the channel is subscribed, which only
admins (DX10_ADMINS) and, on Slack, the channel's manager may do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from bot import answers
from bot.catalog import t
from bot.events import Button, Incoming, Reply
from bot.features import Handled
from bot.matcher import Match
from bot.text import normal
from bot.nudges import holds
from bot.nudges import tips as tipbook
from bot.nudges.holds import Hold, HoldError
from bot.nudges.repo import Subscription, iso
from bot.nudges import unsupported
from bot.nudges.schedule import (
    EARLIEST, LATEST, OffHoursError, Schedule, ScheduleError, WeekendError, from_text, has_time_of_day, hours_range,
    is_schedule_only, mentions_time, read, says_only_when, zone,
)
from bot.nudges.scheduler import NudgeService

PREFIX = "nudge:"
MAX_PAUSE_DAYS = holds.MAX_DAYS

_N = r"(\d{1,4})"
_PAUSE = [
    re.compile(rf"^(?:pause|hold|vacation|vacation hold|pause tips|pause nudges)\s*(?:for\s*)?{_N}\s*(?:days?|d)?$"),
    re.compile(rf"^(?:一時停止|休止|お休み|おやすみ|配信停止|配信を?休止|配信を?一時停止|配信を?止めて|ヒントを?休止)\s*{_N}\s*(?:日間?|日)?$"),
    re.compile(rf"^{_N}\s*日間?\s*(?:一時停止|休止|お休み|おやすみ|止めて|とめて|停止)(?:して|する|したい)?(?:ください)?$"),
]
# "pause", "pause abc", 「一時停止」 with no day count: say how to write it rather than guess.
_PAUSE_WITHOUT_DAYS = re.compile(
    r"^(?:pause|vacation hold|一時停止|休止)(?:\s+\D.*)?$"
    r"|^(?:配信を?|ヒントを?)?(?:一時停止|休止)(?:して|したい)(?:ください)?$|^(?:しばらく|ちょっと)(?:休みたい|止めて|とめて|お休み)$"
)
_RESUME = re.compile(r"^(?:resume|resume tips|resume nudges|unpause|再開|再開して(?:ください)?|配信再開|配信を?再開(?:して)?"
                     r"|ヒントを?再開(?:して)?|ヒントをまた送って(?:ください)?)$")
_STATUS = re.compile(r"^(?:status|nudge status|tips status|subscription|subscriptions|my subscriptions|my tips|"
                     r"配信状況|購読状況|配信の状況|配信設定|登録状況|ステータス|配信ステータス|今の設定|設定確認|配信の設定|"
                     r"状態|今の状態|配信の状態|what is my schedule|my schedule|今の設定(?:は|って)?どうなって(?:る|いる|ます)?[?？]?"
                     # 「いま何が登録されてる？」「配信設定を確認」「登録内容」
                     r"|(?:いま|今)?(?:何|なに)が登録されて(?:る|いる|います|ます)(?:の|か)?[?？]?|登録内容(?:は|を確認)?[?？]?"
                     r"|(?:配信|ヒント|通知|登録)?(?:の)?(?:設定|登録|登録内容)(?:を)?(?:確認|見せて|みせて|見たい)(?:したい|して|する)?(?:ください)?"
                     r"|what am i subscribed to[?]?|what (?:is|have i) set up[?]?|(?:check|show)(?: me)? my (?:settings|subscriptions?|tips)"
                     r"(?: settings)?(?: please)?|my (?:tips )?settings)$")
# 「通知オン」 "turn on tips": the opposite of 「通知オフ」; starts tips (daily 09:00) or says they are on.
_TURN_ON = re.compile(
    r"^(?:(?:ヒント|通知|配信|tips?|notifications?|nudges?)\s*(?:を|は)?\s*(?:オン|on|有効)(?:に)?(?:して|する|したい)?(?:ください|下さい)?"
    r"|(?:ヒント|通知|配信)\s*(?:を)?\s*(?:開始|スタート)(?:して|したい)?(?:ください|下さい)?"
    r"|turn\s+(?:on\s+(?:the\s+|my\s+)?(?:tips|notifications|nudges)|(?:the\s+|my\s+)?(?:tips|notifications|nudges)\s+on)(?:\s+please)?"
    r"|(?:enable|start)\s+(?:the\s+|my\s+)?(?:tips|notifications|nudges)(?:\s+please)?)$")
# 「配信の時間変えたい」 "I want to change the time": a change without the new time, so ask for it.
_CHANGE_WHEN = re.compile(
    r"^(?:(?:ヒント|配信|通知)\s*の?\s*)?(?:時間|時刻|曜日|日時|タイミング|スケジュール)\s*(?:を|は)?\s*"
    r"(?:変更|変え|かえ)(?:たい|て|る|られる|られます)?(?:です|ください|下さい|ほしい|欲しい|して|したい|したいです|できる|できます)?"
    r"(?:か|の)?[?？]?$"
    r"|^(?:i\s+(?:want|would\s+like|'d\s+like)\s+to\s+|can\s+i\s+|how\s+(?:do|can)\s+i\s+|please\s+)?change\s+"
    r"(?:the|my)\s+(?:tips?\s+|nudges?\s+)?(?:time|day|schedule)(?:\s+(?:of|for)\s+(?:my|the)\s+(?:tips|nudges))?(?:\s+please)?[?]?$")
# 「今日のヒント見せて」 "show me today's tip": one tip now, whether or not tips are set up.
_TODAY_TIP = re.compile(
    r"^(?:今日|本日|きょう)の(?:ヒント|豆知識)\s*(?:を|は)?\s*(?:見せて|みせて|教えて|おしえて|ちょうだい|見たい|みたい|ほしい|欲しい|ください|下さい"
    r"|お願い(?:します)?)?(?:ください|下さい)?[?？]?$"
    r"|^(?:ヒント|豆知識)(?:を)?(?:1つ|ひとつ|一つ)?(?:見せて|みせて|ちょうだい|ください|下さい|教えて|おしえて)?$"
    r"|^(?:(?:show|give)\s+me\s+(?:today'?s|todays|a|the)\s+(?:tip|nudge)(?:\s+of\s+the\s+day)?(?:\s+(?:now|please|today))*"
    r"|what'?s\s+(?:today'?s|todays|the)\s+tip(?:\s+of\s+the\s+day)?(?:\s+today)?|(?:today'?s|todays)\s+tip|tip\s+of\s+the\s+day)[?]?$")
_SUBSCRIBE = re.compile(r"^(?:subscribe|購読|配信登録)(?:\s|$)")
_UNSUBSCRIBE = re.compile(
    r"^(?:unsubscribe|購読解除|配信解除|配信停止|stop tips|stop nudges|tips off|turn (?:the )?tips off"
    r"|(?:ヒント|通知|配信|tips?)\s*(?:を|は)?\s*(?:やめて|止めて|とめて|停止|オフ|off|いらない|不要)(?:ください|下さい)?)$"
)
# A question about the tips (「毎朝何時にヒントが来る？」), unless it is a request ("can you send…?").
_ASKS_ABOUT = re.compile(r"[?？]|何|いつ|来る|来ます|\b(?:what|when|does|do|are|is)\b")
_REQUEST = re.compile(r"can you|could you|would you|please|ください|下さい|ほしい|欲しい|送って|お願い|ませんか")
# 「配信時間を10時に変更したい」 "move my tips to 8am": a new day or time for the tips there are.
# Both the tips and a change must be named: 「毎日の業務を変えていくには？」 is a question.
_CHANGE = re.compile(r"変更|変えて|かえて|にして|にしたい|change|switch|move|instead")
# 配信/通知 are the tips only on their own or after a word for the tips' schedule (「配信を10時に」
# 「毎朝の配信を」), not in 「ライブ配信」「住民への通知」: those changes are about something else.
_NAMES_TIPS = re.compile(r"ヒント|豆知識|\btips?\b|nudges?|(?:^|[\s、,]|(?:毎朝|毎日|毎週|毎晩|平日|いつも|今|dx10)の?)(?:配信|通知)"
                         r"|^(?:配信|ヒント|通知)?の?時間(?:を|は)")
# "when is my next tip?", 「次のヒントはいつ？」: the status answers it.
_NEXT_TIP = re.compile(r"\bnext\s+(?:tips?|nudges?)\b|次(?:の|回の?)(?:ヒント|配信|通知)")
# A tip's "More" button typed instead of pressed (the console cannot press a tip's buttons).
_MORE = re.compile(r"^(?:more|詳しく見る|くわしく見る)$")
MORE_DAYS = 7  # after that, a typed "more" is about something else, not last week's tip
# "how do I pause my tips?": the answer is how to say it, not a hold.
_HOW = re.compile(r"\bhow\b|どうやって|どうすれば|方法|やり方")


def _command(text: str) -> str:
    """The text as the anchored patterns above read it: normalised, without a final 「。」 or "!"."""
    return normal(text).strip(" .。!！")


class NudgeFeature:
    intents: tuple[str, ...] = ("subscribe", "unsubscribe")
    button_prefixes: tuple[str, ...] = (PREFIX,)

    def __init__(self, service: NudgeService) -> None:
        self.service = service
        self.repo = service.repo

    # -- the Feature protocol ---------------------------------------------------------------------

    async def command(self, msg: Incoming, text: str, lang: str) -> Handled | Match | None:
        # Counted in the log as "tips" (holds, resume, status), "subscribe" or "unsubscribe".
        s = _command(text)
        for pattern in _PAUSE:
            if found := pattern.match(s):
                return Handled([await self._hold(msg, lambda today: holds.days_from_today(today, int(found.group(1))),
                                                 lang)], "tips")
        if holds.is_hold(s):
            # "I am on vacation next week, hold the tips": a hold, never a new schedule.
            if _ASKS_ABOUT.search(s) and not _REQUEST.search(s):
                if _HOW.search(s):
                    return Handled([self._bad_pause(msg, lang)], "tips")
            else:
                return Handled([await self._hold(msg, lambda today: holds.parse(s, today), lang)], "tips")
        if _PAUSE_WITHOUT_DAYS.match(s):
            return Handled([self._bad_pause(msg, lang)], "tips")
        if _RESUME.match(s):
            return Handled([await self._resume(msg, lang)], "tips")
        if _STATUS.match(s) or (_NEXT_TIP.search(s) and _ASKS_ABOUT.search(s)):
            return Handled([self._status(msg, lang)], "tips")
        if _MORE.match(s) and (more := self._more_on_last_tip(msg)) is not None:
            return more
        if _UNSUBSCRIBE.match(s):
            return Handled([await self._unsubscribe(msg, lang)], "unsubscribe")
        if _TURN_ON.match(s):  # nothing said about when: the default, or what is set up stays
            return Handled([await self._subscribe(msg, "", lang)], "subscribe")
        if _CHANGE_WHEN.match(s):
            return Handled([self._ask_when(msg, lang)], "tips")
        if _TODAY_TIP.match(s):
            return Handled([self._today_tip(msg, lang)], "tips")
        if _SUBSCRIBE.match(s):
            return Handled([await self._subscribe(msg, text, lang)], "subscribe")
        # "send me tips twice a day", 「隔週で」 (with tips set up), "9am London time": refused, never
        # read as far as they go and confirmed as something else.
        if (unsupported.frequency(s) or (unsupported.other_zone(s, self._tz(msg)) and mentions_time(s))) and (
                _NAMES_TIPS.search(s) or (self._mine(msg) is not None and says_only_when(s))):
            return Handled([await self._subscribe(msg, text, lang)], "subscribe")
        # 「毎週月曜10時」 "weekly mon 10:30" alone: the forms the replies themselves suggest.
        # With tips set up, 「週1回にして」 "actually make it every day" change how often.
        if is_schedule_only(s) or (mentions_time(s) and self._mine(msg) is not None and (
                (_CHANGE.search(s) and _NAMES_TIPS.search(s)) or says_only_when(s))):
            return Handled([await self._subscribe(msg, text, lang)], "subscribe")
        return None

    async def intent(self, msg: Incoming, text: str, match: Match, lang: str) -> list[Reply]:
        if match.intent == "unsubscribe":
            return [await self._unsubscribe(msg, lang)]
        s = _command(text)
        if _ASKS_ABOUT.search(s) and not _REQUEST.search(s):
            # "what time are tips sent every friday?": a question about the tips, answered with
            # what is set up; it never sets or changes anything.
            return [self._status(msg, lang)]
        return [await self._subscribe(msg, text, lang)]

    async def button(self, msg: Incoming, value: str, lang: str) -> list[Reply]:
        action, _, arg = value.removeprefix(PREFIX).partition(":")
        if action == "pause" and arg.isdigit():
            return [await self._hold(msg, lambda today: holds.days_from_today(today, int(arg)), lang)]
        if action == "resume":
            return [await self._resume(msg, lang)]
        if action == "status":
            return [self._status(msg, lang)]
        if action == "stop":
            return [await self._unsubscribe(msg, lang)]
        if action == "subscribe":
            return [await self._subscribe(msg, "", lang)]
        if action == "set":  # a schedule the bot suggested, e.g. a weekday instead of Saturday
            try:
                return [await self._set(msg, Schedule.parse(arg).sendable(), lang)]
            except ScheduleError:
                return [answers.simple("error.button", lang)]
        return [answers.simple("error.button", lang)]

    # -- actions ----------------------------------------------------------------------------------

    async def _subscribe(self, msg: Incoming, text: str, lang: str) -> Reply:
        mine = self._mine(msg)
        if said := unsupported.frequency(text):
            return self._unchanged(mine, lang, t("nudge.frequency", lang, said=said))
        if other := unsupported.other_zone(text, self._tz(msg)):
            return self._other_zone(msg, text, other, lang)
        try:  # a change keeps what it does not mention: 「10時に変更」 keeps Mondays
            reading = read(text, Schedule.parse(mine.schedule) if mine else None)
            schedule = reading.schedule.sendable()
        except WeekendError as exc:
            return self._weekend(exc, lang)
        except OffHoursError as exc:  # 「深夜2時」: not a time for work tips; say which times are
            clock = f"{exc.schedule.hour:02d}:{exc.schedule.minute:02d}"
            return self._unchanged(mine, lang, t("nudge.off_hours", lang, time=clock, **self._hours(msg, lang)))
        except ScheduleError as exc:
            return self._schedule_refused(msg, mine, exc, lang)
        notes = []
        if reading.assumed:  # "at 6" became 18:00: say so, and how to get 06:00
            said, hour = reading.assumed
            minute = schedule.minute  # 「6時半」: the hint keeps the half hour (「午前6時半」), or 06:00 is what it sets
            taken = f"{schedule.hour:02d}:{minute:02d}"
            if time(hour, minute) < EARLIEST:  # 「5時」: 05:00 would be refused, so no hint to ask for it
                notes.append(t("nudge.assumed_only", lang, said=said, taken=taken))
            else:
                key = "nudge.morning" if minute == 0 else "nudge.morning_half" if minute == 30 else "nudge.morning_minutes"
                notes.append(t("nudge.assumed", lang, said=said, taken=taken, other=f"{hour:02d}:{minute:02d}",
                               morning=t(key, lang, hour=hour, minute=minute)))
        return await self._set(msg, schedule, lang, notes)

    async def _set(self, msg: Incoming, schedule: Schedule, lang: str, notes: Sequence[str] = ()) -> Reply:
        if denied := await self._denied(msg, lang):
            return denied
        mine = self._mine(msg)
        if mine is not None and mine.schedule == str(schedule):
            # 「豆知識を毎日ください」 while already daily 09:00: say so. Nothing is written, so the
            # slot history (`since`) stays; only the language follows the person's.
            if mine.lang != lang:
                self.repo.set_lang(mine.id, lang)
            lines = [t("nudge.same", lang, schedule=describe_in(schedule, mine.tz, lang), next=self._next(mine, lang)), *notes]
            if hold := hold_line(mine, lang):
                lines.append(hold)
            text = "\n".join(lines)
            return Reply(fallback=text, lang=lang, sections=(text,), buttons=tuple(self._buttons(lang, held=hold is not None)))
        kind = "user" if msg.direct else "channel"
        sub, created = self.repo.subscribe(platform=msg.platform, conversation=msg.conversation, user_id=msg.user,
                                           kind=kind, schedule=str(schedule), tz=self.service.settings.tz, lang=lang)
        key = "nudge.subscribed" if created else "nudge.updated"
        lines = [t(key, lang, schedule=describe_in(schedule, sub.tz, lang), next=self._next(sub, lang)), *notes]
        if created:
            lines.append(t("nudge.closed_days", lang))
        if not schedule.daily:  # the scheduler never moves a weekly slot off a holiday: say so
            lines.append(t("nudge.weekly_skip", lang, day=t("nudge.days", lang).split(",")[schedule.weekday or 0]))
        if hold := hold_line(sub, lang):  # a new time keeps a vacation hold: say it is still there
            lines.append(hold)
        if created:
            lines.append(t("nudge.how_to", lang))
        text = "\n".join(lines)
        return Reply(fallback=text, lang=lang, sections=(text,), buttons=tuple(self._buttons(lang, held=hold is not None)))

    def _other_zone(self, msg: Incoming, text: str, other: unsupported.ZoneSaid, lang: str) -> Reply:
        """Tips use the subscription's zone (Tokyo): say what the time named would be there, today."""
        mine, home = self._mine(msg), self._tz(msg)
        label = zone_label(home, lang)
        if other.tz is None or not has_time_of_day(text):
            return self._unchanged(mine, lang, t("nudge.other_zone", lang, zone=label))
        try:
            asked = from_text(text)
        except ScheduleError as exc:  # 「ロンドン時間の25時」: refused as 「25時」 alone is
            return self._schedule_refused(msg, mine, exc, lang)
        there = datetime.now(UTC).astimezone(zone(other.tz))
        local = datetime.combine(there.date(), time(asked.hour, asked.minute), tzinfo=zone(other.tz))
        here = local.astimezone(zone(home))
        shift = {1: t("nudge.next_day", lang), -1: t("nudge.day_before", lang)}.get((here.date() - local.date()).days, "")
        # 9am in Los Angeles is 02:00 in Tokyo: do not suggest a time the next request would refuse.
        key = "nudge.other_zone_at" if EARLIEST <= here.time() <= LATEST else "nudge.other_zone_at_night"
        earliest, latest = hours_range()
        return self._unchanged(mine, lang, t(key, lang, zone=label, tz=other.tz, time=local.strftime("%H:%M"),
                                             home=here.strftime("%H:%M"), shift=shift, earliest=earliest, latest=latest))

    def _schedule_refused(self, msg: Incoming, mine: Subscription | None, exc: ScheduleError, lang: str) -> Reply:
        """A time or day that makes no schedule (「25時」): said in the person's language, with what
        is possible. The exception's own text is English, for the CLI, and never shown in chat."""
        if exc.key:
            return self._unchanged(mine, lang, t(exc.key, lang, **exc.values, **self._hours(msg, lang)))
        return self._unchanged(mine, lang, t("nudge.bad_schedule", lang))

    def _unchanged(self, mine: Subscription | None, lang: str, text: str) -> Reply:
        """A refusal, and the schedule that stays (when there is one)."""
        if mine is not None:
            text += "\n" + t("nudge.unchanged", lang, schedule=describe_in(Schedule.parse(mine.schedule), mine.tz, lang))
        return Reply(fallback=text, lang=lang, sections=(text,))

    def _tz(self, msg: Incoming) -> str:
        mine = self._mine(msg)
        return mine.tz if mine else self.service.settings.tz

    def _hours(self, msg: Incoming, lang: str) -> dict[str, str]:
        """The values that name the times tips may be set for: earliest, latest and the zone."""
        earliest, latest = hours_range()
        return {"earliest": earliest, "latest": latest, "zone": zone_label(self._tz(msg), lang)}

    def _bad_pause(self, msg: Incoming, lang: str) -> Reply:
        """「一時停止」 without a period: how to say one, and (with tips set up) buttons for the usual ones."""
        buttons = []
        if self._mine(msg) is not None:
            buttons = [Button(t("nudge.button.pause_today", lang), f"{PREFIX}pause:1"),
                       Button(t("nudge.button.pause", lang), f"{PREFIX}pause:7"),
                       Button(t("nudge.button.pause_days", lang, n=14), f"{PREFIX}pause:14")]
        return answers.simple("nudge.bad_pause", lang, buttons, limit=MAX_PAUSE_DAYS)

    def _ask_when(self, msg: Incoming, lang: str) -> Reply:
        """「配信の時間変えたい」 without a time: say what is set up and how to say the new one."""
        mine = self._mine(msg)
        if mine is None:
            return self._stopped(msg, lang) or answers.simple("nudge.not_subscribed", lang, [self._subscribe_button(lang)])
        return answers.simple("nudge.ask_when", lang, None, schedule=describe_in(Schedule.parse(mine.schedule), mine.tz, lang),
                              **self._hours(msg, lang))

    def _today_tip(self, msg: Incoming, lang: str) -> Reply:
        """「今日のヒント見せて」: a tip now, which changes nothing. A subscriber sees the tip sent
        today, or else the one their next tip brings; anyone else gets a tip of the day of their
        own (a step a day through the sequence) and the offer to get one every morning."""
        sub, now = self._mine(msg), datetime.now(UTC)
        buttons: list[Button] = []
        tip: tipbook.Tip | None = None
        if sub is not None:
            last = self.repo.last_sent(sub.id)
            today = now.astimezone(zone(sub.tz)).date()
            if last and datetime.fromisoformat(last[1]).astimezone(zone(sub.tz)).date() == today:
                tip = tipbook.find(self.service.tips, last[0])
                note = t("nudge.today_sent", lang)
            if tip is None:
                tip = self.service.next_tip(sub)
                note = t("nudge.today_next", lang, next=self._next(sub, lang))
        else:
            today = now.astimezone(zone(self.service.settings.tz)).date()
            tip = tipbook.of_the_day(self.service.tips, f"{msg.platform}:{msg.user}", today)
            note = t("nudge.today_offer", lang)
            buttons = [self._subscribe_button(lang)]
        shown = tipbook.render(self.service.kb, tip, lang)
        return replace(shown, fallback=f"{shown.fallback}\n\n{note}", sections=(*shown.sections, note),
                       buttons=(*shown.buttons, *buttons))

    def _weekend(self, exc: WeekendError, lang: str, key: str = "nudge.weekend") -> Reply:
        """Saturday or Sunday is never a working day: nothing changes, and two weekdays are offered."""
        daily = Schedule(None, exc.suggestion.hour, exc.suggestion.minute)
        buttons = [Button(t("nudge.button.set", lang, schedule=describe(s, lang)), f"{PREFIX}set:{s}")
                   for s in (exc.suggestion, daily)]
        return answers.simple(key, lang, buttons, schedule=describe(exc.schedule, lang),
                              suggestion=describe(exc.suggestion, lang), daily=describe(daily, lang))

    async def _unsubscribe(self, msg: Incoming, lang: str) -> Reply:
        sub = self._mine(msg)
        if sub is None:  # stopped already: say so, not "never set up"
            return self._stopped(msg, lang, "nudge.already_off") or answers.simple(
                "nudge.not_subscribed", lang, [self._subscribe_button(lang)])
        if denied := await self._denied(msg, lang):
            return denied
        self.repo.deactivate(sub.id, f"unsubscribed by {msg.platform}:{msg.user}")
        return answers.simple("nudge.unsubscribed", lang)

    async def _hold(self, msg: Incoming, read: Callable[[date], Hold | None], lang: str) -> Reply:
        """Hold the tips for the days `read` finds in the request (from today, in the subscription's time zone)."""
        sub = self._mine(msg)
        if sub is None:  # 「一時停止」 after 「配信停止」: nothing to pause, they are off already
            return self._stopped(msg, lang, "nudge.already_off") or answers.simple(
                "nudge.not_subscribed", lang, [self._subscribe_button(lang)])
        tz = zone(sub.tz)
        today = datetime.now(UTC).astimezone(tz).date()
        try:
            hold = read(today)
        except HoldError as exc:
            if exc.reason == "range":
                return self._bad_pause(msg, lang)
            if exc.reason == "reversed" and exc.day and exc.first:  # "from December 10 to December 5"
                return answers.simple("nudge.hold_reversed", lang, first=self._date(exc.first, lang),
                                      last=self._date(exc.day, lang))
            return answers.simple("nudge.hold_past", lang, day=self._date(exc.day or today, lang))
        if hold is None:  # "hold the tips": for how long?
            return self._bad_pause(msg, lang)
        if denied := await self._denied(msg, lang):
            return denied
        # From the start of the first local day to the start of the day tips come back:
        # "pause 7" on a Monday resumes next Monday.
        until = datetime.combine(hold.resume, time(0, 0), tzinfo=tz).astimezone(UTC)
        start = datetime.combine(hold.first, time(0, 0), tzinfo=tz).astimezone(UTC) if hold.first > today else None
        self.repo.pause(sub.id, until, start)
        paused = self.repo.get(sub.id) or sub
        key = "nudge.paused_later" if start else "nudge.paused"
        days = t("nudge.one_day", lang) if hold.days == 1 else t("nudge.n_days", lang, n=hold.days)
        values = {"days": days, "first": self._date(hold.first, lang), "last": self._date(hold.last, lang),
                  "resume": self._date(hold.resume, lang), "next": self._next(paused, lang)}
        text = t(key, lang, **values)
        if hold.reading:  # 「来週まで」 could mean either end of a week: say which, and how to get the other
            text += "\n" + t(f"nudge.hold_{hold.reading}_next_week", lang, said=hold.said, **values)
        if hold.rolled:  # "until October 1" in November: a long hold to next year's, said so it is no surprise
            text += "\n" + t("nudge.hold_next_year", lang, said=hold.rolled, **values)
        return Reply(fallback=text, lang=lang, sections=(text,),
                     buttons=(Button(t("nudge.button.resume", lang), f"{PREFIX}resume"),))

    async def _resume(self, msg: Incoming, lang: str) -> Reply:
        sub = self._mine(msg)
        if sub is None:  # 「再開」 after 「配信停止」: say they are stopped, not "never set up"
            return self._stopped(msg, lang) or answers.simple("nudge.not_subscribed", lang, [self._subscribe_button(lang)])
        if denied := await self._denied(msg, lang):
            return denied
        self.repo.resume(sub.id)
        return answers.simple("nudge.resumed", lang, self._buttons(lang), next=self._next(self.repo.get(sub.id) or sub, lang))

    def _status(self, msg: Incoming, lang: str) -> Reply:
        sub = self.repo.by_conversation(msg.platform, msg.conversation)
        if sub is None:
            return answers.simple("nudge.not_subscribed", lang, [self._subscribe_button(lang)])
        if not sub.active:
            return self._stopped(msg, lang) or answers.simple("nudge.not_subscribed", lang)
        schedule = Schedule.parse(sub.schedule)
        lines = [t("nudge.status", lang, schedule=describe_in(schedule, sub.tz, lang), next=self._next(sub, lang))]
        extra: list[Button] = []
        try:
            schedule.sendable()
        except WeekendError as exc:  # set up before weekend days were refused: it never sends
            weekend = self._weekend(exc, lang, "nudge.weekend_status")
            lines.append(weekend.fallback)
            extra = list(weekend.buttons)
        except OffHoursError:  # set up before night times were refused: it still sends, as asked
            pass
        if hold := hold_line(sub, lang):
            lines.append(hold)
        text = "\n".join(lines)
        return Reply(fallback=text, lang=lang, sections=(text,), buttons=(*extra, *self._buttons(lang, held=hold is not None)))

    # -- helpers ----------------------------------------------------------------------------------

    def _more_on_last_tip(self, msg: Incoming) -> Match | None:
        """What the "More" button of the last tip sent here asks, if one came in the last MORE_DAYS days."""
        sub = self._mine(msg)
        last = self.repo.last_sent(sub.id) if sub else None
        if last is None or datetime.fromisoformat(last[1]) < datetime.now(UTC) - timedelta(days=MORE_DAYS):
            return None
        tip = tipbook.find(self.service.tips, last[0])
        return tipbook.more(self.service.kb, tip) if tip else None

    def _stopped(self, msg: Incoming, lang: str, key: str = "nudge.status_inactive") -> Reply | None:
        """"Tips are stopped here (why)" with a button to start again; None if none were ever set up."""
        sub = self.repo.by_conversation(msg.platform, msg.conversation)
        if sub is None or sub.active:
            return None
        reason = sub.deactivated_reason or "-"
        if reason.startswith("unsubscribed by "):  # the log keeps who; the person needs only why
            reason = t("nudge.reason.unsubscribed_self" if msg.direct else "nudge.reason.unsubscribed", lang)
        return answers.simple(key, lang, [self._subscribe_button(lang)], reason=reason)

    def _mine(self, msg: Incoming) -> Subscription | None:
        sub = self.repo.by_conversation(msg.platform, msg.conversation)
        return sub if sub is not None and sub.active else None

    async def _denied(self, msg: Incoming, lang: str) -> Reply | None:
        """In a channel, only admins and (on Slack) the channel's manager change its subscription."""
        if msg.direct or self.service.settings.is_admin(msg.platform, msg.user):
            return None
        sender = self.service.senders.get(msg.platform)
        is_manager = getattr(sender, "is_channel_manager", None)
        if is_manager is not None and await is_manager(msg.conversation, msg.user):
            return None
        key = "nudge.channel_denied_slack" if msg.platform == "slack" else "nudge.channel_denied"
        return answers.simple(key, lang)

    def _next(self, sub: Subscription, lang: str) -> str:
        slot = next_send(sub, datetime.now(UTC))
        return self._local(slot, sub.tz, lang) if slot else t("nudge.next_none", lang)

    @staticmethod
    def _local(moment: datetime, tz: str, lang: str) -> str:
        local = moment.astimezone(zone(tz))
        day = t("nudge.days", lang).split(",")[local.weekday()]
        return t("nudge.when", lang, date=local.strftime("%Y-%m-%d"), day=day, time=local.strftime("%H:%M"))

    @staticmethod
    def _date(day: date, lang: str) -> str:
        return t("nudge.day", lang, date=day.isoformat(), day=t("nudge.days", lang).split(",")[day.weekday()])

    @staticmethod
    def _buttons(lang: str, held: bool = False) -> list[Button]:
        # While a hold is set, the first button ends it rather than offering another one.
        first = (Button(t("nudge.button.resume", lang), f"{PREFIX}resume") if held
                 else Button(t("nudge.button.pause", lang), f"{PREFIX}pause:7"))
        return [first, Button(t("nudge.button.status", lang), f"{PREFIX}status"), Button(t("nudge.button.stop", lang), f"{PREFIX}stop")]

    @staticmethod
    def _subscribe_button(lang: str) -> Button:
        return Button(t("nudge.button.subscribe", lang), f"{PREFIX}subscribe")


def next_send(sub: Subscription, now: datetime) -> datetime | None:
    """The first slot after `now` that is not held."""
    schedule = Schedule.parse(sub.schedule)
    after = now - timedelta(seconds=1)
    for _ in range(3):  # one hold: a held slot moves the search past its end once
        slot = schedule.next_slot(after, sub.tz)
        if slot is None or not sub.held(iso(slot)):
            return slot
        after = datetime.fromisoformat(sub.paused_until or "") - timedelta(seconds=1)
    return None


def hold_line(sub: Subscription, lang: str) -> str | None:
    """"Paused; resumes on …", "Paused from … through …", or None without a hold still to come."""
    now = datetime.now(UTC)
    if not sub.holding(iso(now)):
        return None
    tz = zone(sub.tz)
    resume = datetime.fromisoformat(sub.paused_until or "").astimezone(tz).date()
    if sub.paused_from and sub.paused_from > iso(now):
        first = datetime.fromisoformat(sub.paused_from).astimezone(tz).date()
        return t("nudge.status_paused_later", lang, first=NudgeFeature._date(first, lang),
                 last=NudgeFeature._date(resume - timedelta(days=1), lang), resume=NudgeFeature._date(resume, lang))
    return t("nudge.status_paused", lang, resume=NudgeFeature._date(resume, lang))


def zone_label(tz: str, lang: str) -> str:
    """"Tokyo time (JST)" rather than the IANA name people do not read."""
    return t("nudge.zone.tokyo", lang) if tz == "Asia/Tokyo" else t("nudge.zone.other", lang, tz=tz)


def describe_in(schedule: Schedule, tz: str, lang: str) -> str:
    """The schedule with its time zone: "every working day at 09:00 Tokyo time (JST)"."""
    return t("nudge.schedule_in", lang, schedule=describe(schedule, lang), zone=zone_label(tz, lang))


def describe(schedule: Schedule, lang: str) -> str:
    clock = f"{schedule.hour:02d}:{schedule.minute:02d}"
    if schedule.daily:
        return t("nudge.schedule_daily", lang, time=clock)
    return t("nudge.schedule_weekly", lang, day=t("nudge.days", lang).split(",")[schedule.weekday or 0], time=clock)


def nudge_service(features: Sequence[object]) -> NudgeService | None:
    """The service behind the nudge feature of an assistant, for the scheduler and the CLI."""
    return next((f.service for f in features if isinstance(f, NudgeFeature)), None)


def home_lines(service: NudgeService, platform: str, user: str, lang: str) -> list[str]:
    """One line per active subscription a person made, for Slack's App Home."""
    lines = []
    for sub in service.repo.for_user(platform, user):
        where = t("nudge.home.dm", lang) if sub.kind == "user" else t("nudge.home.channel", lang, channel=sub.conversation)
        line = t("nudge.home.item", lang, schedule=describe_in(Schedule.parse(sub.schedule), sub.tz, lang), where=where)
        if hold := hold_line(sub, lang):
            line += " — " + hold
        lines.append(line)
    return lines
