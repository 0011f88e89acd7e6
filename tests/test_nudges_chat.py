"""Subscribing, pausing and stopping tips in chat, through the core with a real store."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine

from adapters.console_sender import ConsoleSender
from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Incoming
from bot.nudges.repo import NudgeRepo
from bot.nudges.scheduler import NudgeService
from bot.nudges.settings import NudgeSettings
from bot.store import Store
from knowledge.schema import KnowledgeBase

# Thursday 2026-11-26, 10:00 in Tokyo.
NOW = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


def dm(text: str = "", value: str | None = None, user: str = "U1", platform: str = "slack") -> Incoming:
    return Incoming(platform, user, f"D{user}", text=text, value=value, direct=True)


def in_channel(text: str, user: str = "U2", platform: str = "slack") -> Incoming:
    return Incoming(platform, user, "C1", text=text, direct=False)


@time_machine.travel(NOW, tick=False)
async def test_subscribe_from_a_sentence_then_change_pause_status_resume_and_stop(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)

    [reply] = await bot.handle(dm("毎朝9時にヒントを送って"))
    assert "登録しました" in reply.fallback and "平日の毎日 09:00" in reply.fallback
    assert "2026-11-27（金）09:00" in reply.fallback  # the next working day
    [sub] = repo.all()
    assert (sub.platform, sub.conversation, sub.user_id, sub.kind, sub.schedule, sub.tz, sub.lang) == (
        "slack", "DU1", "U1", "user", "daily 09:00", "Asia/Tokyo", "ja")

    [reply] = await bot.handle(dm("subscribe weekly mon 09:00"))
    assert "Monday 2026-11-30 09:00" in reply.fallback and "every Monday at 09:00" in reply.fallback
    assert [s.schedule for s in repo.all()] == ["weekly mon 09:00"]  # changed, not a second subscription

    [reply] = await bot.handle(dm("pause 7"))
    assert "paused for 7 days, through Wednesday 2026-12-02; they resume on Thursday 2026-12-03" in reply.fallback
    paused = repo.get(sub.id)
    assert paused and paused.paused_until == "2026-12-02T15:00:00+00:00"  # Thursday Dec 3, 00:00 in Tokyo
    assert "Monday 2026-12-07 09:00" in reply.fallback  # Nov 30 falls inside the pause

    [reply] = await bot.handle(dm("status"))
    assert "every Monday at 09:00" in reply.fallback and "Paused; resumes on Thursday 2026-12-03" in reply.fallback
    assert [b.value for b in reply.buttons] == ["nudge:resume", "nudge:status", "nudge:stop"]  # not another pause

    [reply] = await bot.handle(dm("再開"))
    assert "再開しました" in reply.fallback and (repo.get(sub.id) or sub).paused_until is None

    [reply] = await bot.handle(dm("unsubscribe"))
    assert "Tips are stopped" in reply.fallback  # answered in the language of the message
    stopped = repo.get(sub.id)
    assert stopped and not stopped.active and stopped.deactivated_reason == "unsubscribed by slack:U1"

    [reply] = await bot.handle(dm("配信状況"))
    assert "停止しています" in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_japanese_pause_and_stop_words_and_buttons(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    await bot.handle(dm("毎週水曜の8時に送ってほしい"))
    [sub] = NudgeRepo(store).all()
    assert sub.schedule == "weekly wed 08:00"
    [reply] = await bot.handle(dm("3日間休止"))
    assert "（3日間）配信をお休みします" in reply.fallback
    [reply] = await bot.handle(dm(value="nudge:resume"))
    assert "再開" in reply.fallback
    [reply] = await bot.handle(dm("配信を止めて"))
    assert "停止しました" in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_commands_without_a_subscription_and_bad_input_explain_themselves(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    [reply] = await bot.handle(dm("pause 7"))  # taught by both help pages: no sign of English by itself
    assert "登録していません" in reply.fallback and reply.buttons[0].value == "nudge:subscribe"
    [reply] = await bot.handle(dm("pause tips 7"))
    assert "not set up" in reply.fallback and reply.buttons[0].value == "nudge:subscribe"
    [reply] = await bot.handle(dm(value="nudge:subscribe"))
    assert "You're subscribed" in reply.fallback  # the button answers in the language last written
    [reply] = await bot.handle(dm("一時停止 999"))
    assert "1〜365日" in reply.fallback
    [reply] = await bot.handle(dm("subscribe daily 26:00"))
    assert "26:00 is not a time of day. Tips can come at any time from 06:00 to 22:00" in reply.fallback
    assert [s.schedule for s in NudgeRepo(store).all()] == ["daily 09:00"]


@time_machine.travel(NOW, tick=False)
async def test_only_admins_subscribe_a_channel(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {"DX10_ADMINS": "slack:UADMIN, TEAMSADMIN"})
    [reply] = await bot.handle(in_channel("subscribe weekly fri 16:00", user="U2"))
    assert "please ask" in reply.fallback and NudgeRepo(store).all() == []
    [reply] = await bot.handle(in_channel("毎週金曜16時に配信して", user="UADMIN"))
    assert "登録しました" in reply.fallback
    [sub] = NudgeRepo(store).all()
    assert (sub.conversation, sub.kind, sub.user_id) == ("C1", "channel", "UADMIN")
    [reply] = await bot.handle(in_channel("配信停止", user="U2"))
    assert "依頼" in reply.fallback and (NudgeRepo(store).get(sub.id) or sub).active
    # A bare id in DX10_ADMINS counts on any platform.
    [reply] = await bot.handle(in_channel("subscribe", user="TEAMSADMIN", platform="teams"))
    assert "You're subscribed" in reply.fallback


async def test_other_questions_still_reach_the_matcher(assistant: Assistant, kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    [reply] = await bot.handle(dm("第3条のはじめの第一歩は？"))
    assert reply.title and reply.title.startswith("#3")


async def test_a_pause_without_a_day_count_says_how_to_write_it(kb: KnowledgeBase, store: Store) -> None:
    assistant = build_assistant(kb, store, env={})
    with time_machine.travel(NOW, tick=False):
        await assistant.handle(dm("subscribe daily 09:00"))
        for text in ("pause", "pause abc", "一時停止", "pause 0", "pause 9999"):
            [reply] = await assistant.handle(dm(text))
            assert "365" in reply.fallback, text
        [status] = await assistant.handle(dm("status"))
    assert NudgeRepo(store).all()[0].paused_until is None and "09:00" in status.fallback


async def test_a_schedule_said_in_passing_still_subscribes(kb: KnowledgeBase, store: Store) -> None:
    assistant = build_assistant(kb, store, env={})
    with time_machine.travel(NOW, tick=False):
        [reply] = await assistant.handle(dm("毎週金曜の午後3時にヒント"))
    [sub] = NudgeRepo(store).all()
    assert sub.schedule == "weekly fri 15:00" and "15:00" in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_everyday_phrasings_change_stop_and_show_the_tips(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    await bot.handle(dm("毎週月曜の8時にヒントを送って"))
    [reply] = await bot.handle(dm("時間を10時に変更したい"))  # keeps Mondays
    assert "変更しました" in reply.fallback
    assert [s.schedule for s in NudgeRepo(store).all()] == ["weekly mon 10:00"]
    [reply] = await bot.handle(dm("ステータス"))
    assert "毎週月曜日 10:00" in reply.fallback
    [reply] = await bot.handle(dm("ヒントやめて"))
    assert "停止しました" in reply.fallback and not NudgeRepo(store).all()[0].active
    [reply] = await bot.handle(dm("ステータス"))
    assert "配信停止を受け付けました" in reply.fallback and "console" not in reply.fallback
    [reply] = await bot.handle(dm("再開"))  # stopped, not "never set up"
    assert "停止しています" in reply.fallback and reply.buttons
    # Without tips there is nothing to change: 「3時間後に変更」 is not a schedule.
    [reply] = await bot.handle(dm("第5条の目標3時間を変更したい"))
    assert "変更しました" not in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_a_bare_schedule_subscribes_and_ordinary_questions_never_change_it(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    for text, schedule in (("毎週月曜10時", "weekly mon 10:00"), ("every tuesday at 7:15am", "weekly tue 07:15"),
                           ("毎週金曜の17時半", "weekly fri 17:30"), ("send me tips every weekday at 8am", "daily 08:00"),
                           ("ヒントを毎週水曜の正午に送って", "weekly wed 12:00")):
        await bot.handle(dm(text))
        assert [s.schedule for s in NudgeRepo(store).all()] == [schedule], text
    for question in ("毎日の業務を変えていくには？", "how do we change what we do at 3 stages?",
                     "I want to switch to agile every week", "会議の時間を10時に変更したい"):
        await bot.handle(dm(question))
        assert [s.schedule for s in NudgeRepo(store).all()] == ["weekly wed 12:00"], question
    [reply] = await bot.handle(dm("ヒントを毎週月曜と木曜の12時に送って"))  # one day a week per subscription
    assert "曜日を1つにするか、毎日にしてください" in reply.fallback  # in the language of the message
    assert [s.schedule for s in NudgeRepo(store).all()] == ["weekly wed 12:00"]
    [reply] = await bot.handle(dm("状態"))
    assert "毎週水曜日 12:00" in reply.fallback



@time_machine.travel(NOW, tick=False)
async def test_more_everyday_words_for_pause_status_change_and_resume(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    await bot.handle(dm("毎週月曜10時"))
    [reply] = await bot.handle(dm("配信を一時停止して"))  # how many days?
    assert "1〜365" in reply.fallback
    [reply] = await bot.handle(dm("今の設定どうなってる？"))
    assert "毎週月曜日 10:00" in reply.fallback
    await bot.handle(dm("配信時間を午後3時半に"))
    assert [s.schedule for s in NudgeRepo(store).all()] == ["weekly mon 15:30"]
    await bot.handle(dm("配信停止"))
    [reply] = await bot.handle(dm("再開して"))
    assert "停止しています" in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_questions_about_tip_times_never_set_or_change_them(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    for question in ("毎週金曜の配信時間は？", "毎週月曜日の時間は？", "time every friday"):
        await bot.handle(dm(question))
    assert NudgeRepo(store).all() == []
    await bot.handle(dm("subscribe"))
    await bot.handle(dm("pause 7"))
    await bot.handle(dm("毎週月曜日の時間は？"))
    await bot.handle(dm("また送って"))  # "send that again" is not "resume my tips"
    [sub] = NudgeRepo(store).all()
    assert sub.schedule == "daily 09:00" and sub.paused_until


@time_machine.travel(NOW, tick=False)
async def test_a_question_about_the_tips_shows_them_and_a_request_with_a_question_mark_sets_them(
        kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    [reply] = await bot.handle(dm("毎朝何時にヒントが来る？"))
    assert "登録していません" in reply.fallback and NudgeRepo(store).all() == []
    await bot.handle(dm("can you send tips every friday at 5pm?"))
    [reply] = await bot.handle(dm("what time are tips sent every monday?"))
    assert "every Friday at 17:00" in reply.fallback
    assert [s.schedule for s in NudgeRepo(store).all()] == ["weekly fri 17:00"]


@time_machine.travel(NOW, tick=False)
async def test_how_often_changes_in_plain_words_once_tips_are_set_up(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    await bot.handle(dm("毎週にしたい"))  # nothing set up: not a tips request on its own
    assert NudgeRepo(store).all() == []
    await bot.handle(dm("send me tips daily at 9"))
    await bot.handle(dm("やっぱり週1回でいいです"))
    assert [s.schedule for s in NudgeRepo(store).all()] == ["weekly mon 09:00"]
    await bot.handle(dm("actually make it every day"))
    assert [s.schedule for s in NudgeRepo(store).all()] == ["daily 09:00"]
    await bot.handle(dm("毎週の定例で使いたい"))
    assert [s.schedule for s in NudgeRepo(store).all()] == ["daily 09:00"]



@time_machine.travel(NOW, tick=False)
async def test_a_weekend_day_is_refused_and_a_weekday_offered(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    [reply] = await bot.handle(dm("send me tips every Saturday at 10"))
    assert "working days only" in reply.fallback and "every Friday at 10:00" in reply.fallback
    assert "Nothing was changed" in reply.fallback and repo.all() == []
    assert [b.value for b in reply.buttons] == ["nudge:set:weekly fri 10:00", "nudge:set:daily 10:00"]
    [reply] = await bot.handle(dm(value="nudge:set:weekly fri 10:00"))
    assert "every Friday at 10:00" in reply.fallback and [s.schedule for s in repo.all()] == ["weekly fri 10:00"]
    # A change to Sunday is refused too, in Japanese, and Friday stays.
    [reply] = await bot.handle(dm("毎週日曜の9時にして"))
    assert "一度も届きません" in reply.fallback and "毎週月曜日 09:00" in reply.fallback
    assert [s.schedule for s in repo.all()] == ["weekly fri 10:00"]
    [reply] = await bot.handle(dm(value="nudge:set:weekly sun 09:00"))  # a forged button changes nothing either
    assert [s.schedule for s in repo.all()] == ["weekly fri 10:00"]


@time_machine.travel(NOW, tick=False)
async def test_status_says_why_a_weekend_schedule_set_up_earlier_never_sends(kb: KnowledgeBase, store: Store) -> None:
    # Rows like this were accepted before weekend days were refused.
    NudgeRepo(store).subscribe(platform="slack", conversation="DU1", user_id="U1", kind="user",
                               schedule="weekly sun 09:00", tz="Asia/Tokyo", lang="en")
    bot = build_assistant(kb, store, {})
    [reply] = await bot.handle(dm("status"))
    assert "none ever arrives" in reply.fallback and "every Monday at 09:00" in reply.fallback
    assert reply.buttons[0].value == "nudge:set:weekly mon 09:00"


@time_machine.travel(NOW, tick=False)
async def test_a_vacation_hold_pauses_next_week_and_never_changes_the_schedule(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    await bot.handle(dm("send me tips every friday at 5pm"))
    [reply] = await bot.handle(dm("I am on vacation next week, hold the tips"))
    assert "from Monday 2026-11-30 through Sunday 2026-12-06 (7 days)" in reply.fallback
    assert "they resume on Monday 2026-12-07" in reply.fallback
    assert "Next: Friday 2026-11-27 17:00" in reply.fallback  # tomorrow's tip still comes: the hold is next week
    [sub] = repo.all()
    assert sub.schedule == "weekly fri 17:00"
    assert (sub.paused_from, sub.paused_until) == ("2026-11-29T15:00:00+00:00", "2026-12-06T15:00:00+00:00")
    [reply] = await bot.handle(dm("status"))
    assert "Pause planned from Monday 2026-11-30 through Sunday 2026-12-06" in reply.fallback
    # A new time keeps the hold; stopping and starting again clears it.
    await bot.handle(dm("change it to 4pm"))
    [sub] = repo.all()
    assert sub.schedule == "weekly fri 16:00" and sub.paused_until == "2026-12-06T15:00:00+00:00"
    await bot.handle(dm("unsubscribe"))
    await bot.handle(dm("send me tips every friday at 5pm"))
    [sub] = repo.all()
    assert sub.active and (sub.paused_from, sub.paused_until) == (None, None)


@pytest.mark.parametrize(("text", "said", "paused_until"), [
    ("pause my tips for two weeks", "paused for 14 days, through Wednesday 2026-12-09; they resume on Thursday 2026-12-10",
     "2026-12-09T15:00:00+00:00"),
    ("pause until December 10", "paused for 15 days, through Thursday 2026-12-10; they resume on Friday 2026-12-11",
     "2026-12-10T15:00:00+00:00"),
    ("no tips until 12/10 please", "through Thursday 2026-12-10", "2026-12-10T15:00:00+00:00"),
    ("2週間止めて", "2026-12-09（水）まで（14日間）配信をお休みします。2026-12-10（木）から再開します", "2026-12-09T15:00:00+00:00"),
    ("12月10日まで止めて", "2026-12-10（木）まで（15日間）配信をお休みします。2026-12-11（金）から再開します",
     "2026-12-10T15:00:00+00:00"),
    ("ヒントは今週いらない", "2026-11-29（日）まで（4日間）", "2026-11-29T15:00:00+00:00"),
    ("pause tips for a month", "through Friday 2026-12-25; they resume on Saturday 2026-12-26", "2026-12-25T15:00:00+00:00"),
    ("pause the tips from December 28 to January 5",  # across the new year
     "from Monday 2026-12-28 through Tuesday 2027-01-05 (9 days)", "2027-01-05T15:00:00+00:00"),
    # A period with 「まで」/"until" holds from today. 「まで」 includes it, as with a date; "until" does not.
    ("来週まで止めて", "2026-12-06（日）まで（11日間）配信をお休みします。2026-12-07（月）から再開します", "2026-12-06T15:00:00+00:00"),
    ("pause until next week", "paused for 4 days, through Sunday 2026-11-29; they resume on Monday 2026-11-30",
     "2026-11-29T15:00:00+00:00"),
    ("pause through next week", "through Sunday 2026-12-06; they resume on Monday 2026-12-07", "2026-12-06T15:00:00+00:00"),
    ("明日まで止めて", "2026-11-27（金）まで（2日間）", "2026-11-27T15:00:00+00:00"),
    ("来月まで止めて", "2026-12-31（木）まで（36日間）", "2026-12-31T15:00:00+00:00"),
    ("no tips until next month", "through Monday 2026-11-30; they resume on Tuesday 2026-12-01", "2026-11-30T15:00:00+00:00"),
])
async def test_a_hold_for_a_span_or_until_a_day_says_until_when(kb: KnowledgeBase, store: Store, text: str, said: str,
                                                                  paused_until: str) -> None:
    bot = build_assistant(kb, store, {})
    with time_machine.travel(NOW, tick=False):
        await bot.handle(dm("毎朝9時にヒントを送って"))
        [reply] = await bot.handle(dm(text))
    assert said in reply.fallback, reply.fallback
    [sub] = NudgeRepo(store).all()
    starts = "2026-12-27T15:00:00+00:00" if "December 28" in text else None
    assert (sub.schedule, sub.paused_from, sub.paused_until) == ("daily 09:00", starts, paused_until)


@time_machine.travel(NOW, tick=False)
async def test_japanese_next_week_hold_and_what_is_not_a_hold(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    await bot.handle(dm("毎週月曜10時"))
    [reply] = await bot.handle(dm("来週は止めて"))
    assert "2026-11-30（月）から2026-12-06（日）まで（7日間）配信をお休みします" in reply.fallback
    assert "次回: 2026-12-07（月）10:00" in reply.fallback  # Monday Nov 30 is inside the hold
    [sub] = repo.all()
    assert (sub.schedule, sub.paused_from) == ("weekly mon 10:00", "2026-11-29T15:00:00+00:00")
    await bot.handle(dm(value="nudge:resume"))
    for text in ("hold the tips", "how do I pause my tips?", "配信を一時停止して"):  # for how long?
        [reply] = await bot.handle(dm(text))
        assert "365" in reply.fallback, text
    [reply] = await bot.handle(dm("pause until 2026-11-01"))
    assert "2026-11-01 has already passed" in reply.fallback
    [reply] = await bot.handle(dm("pause for 400 days"))
    assert "1 to 365 days" in reply.fallback
    for text in ("should we pause the agile rollout next week?", "来週の会議を止めたい", "hold on, what is NPS?"):
        [reply] = await bot.handle(dm(text))
        assert "365" not in reply.fallback and "paused" not in reply.fallback, text
    [sub] = repo.all()
    assert (sub.schedule, sub.paused_from, sub.paused_until) == ("weekly mon 10:00", None, None)
    [reply] = await bot.handle(dm("配信を止めて"))  # no period: stops, as before
    assert "停止しました" in reply.fallback and not repo.all()[0].active


@time_machine.travel(NOW, tick=False)
async def test_frequencies_tips_cannot_have_are_refused_and_nothing_changes(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    [reply] = await bot.handle(dm("send me tips twice a day"))
    assert '"twice a day" isn\'t possible' in reply.fallback and "at most once a day" in reply.fallback
    assert repo.all() == []  # nothing was set up either
    await bot.handle(dm("every friday at 5pm please"))
    for text, said in (("send me tips twice a day", '"twice a day" isn\'t possible'),
                       ("send tips every other day at 9", '"every other day" isn\'t possible'),
                       ("every 2 weeks", '"every 2 weeks" isn\'t possible'),
                       ("can I get the tips biweekly?", '"biweekly" isn\'t possible'),
                       ("1日2回ヒントを送って", "「1日2回」には対応していない"),
                       ("隔日で", "「隔日」には対応していない"),
                       ("隔週でお願いします", "「隔週」には対応していない")):
        [reply] = await bot.handle(dm(text))
        assert said in reply.fallback, text
        assert "every Friday at 17:00 Tokyo time (JST)" in reply.fallback or "毎週金曜日 17:00（日本時間）" in reply.fallback, text
        assert [s.schedule for s in repo.all()] == ["weekly fri 17:00"], text


@time_machine.travel(NOW, tick=False)
async def test_another_time_zone_is_refused_with_the_tokyo_time_it_would_be(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    [reply] = await bot.handle(dm("send me tips at 9am London time"))
    # November: London is on GMT, nine hours behind Tokyo.
    assert "Tips use Tokyo time (JST). 09:00 in Europe/London is 18:00 Tokyo time (JST) today" in reply.fallback
    assert repo.all() == []
    await bot.handle(dm("毎朝9時にヒントを送って"))
    [reply] = await bot.handle(dm("ロンドン時間の9時に変更して"))
    assert "Europe/Londonの09:00は、今日の時点で日本時間の18:00です" in reply.fallback
    [reply] = await bot.handle(dm("send me tips at 9am in Los Angeles"))
    # 02:00 is outside the hours tips come, so the reply does not suggest asking for it.
    assert "02:00 Tokyo time (JST) today (the next day), outside the hours tips are sent (06:00 to 22:00)" in reply.fallback
    assert 'say e.g. "at 02:00"' not in reply.fallback
    [reply] = await bot.handle(dm("send tips at 8am my local time"))
    assert "say the time as it is there" in reply.fallback
    assert [s.schedule for s in repo.all()] == ["daily 09:00"]
    await bot.handle(dm("send me tips at 8am JST"))  # Tokyo's own zone is fine
    assert [s.schedule for s in repo.all()] == ["daily 08:00"]


@time_machine.travel(NOW, tick=False)
async def test_replies_say_tokyo_time_the_next_tip_and_how_a_bare_hour_was_read(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    [reply] = await bot.handle(dm("send me tips at 6"))
    assert "every working day at 18:00 Tokyo time (JST)" in reply.fallback
    assert "Next: Thursday 2026-11-26 18:00\nI read" in reply.fallback
    assert 'I read "at 6" as 18:00; for 06:00, say "at 6am".' in reply.fallback
    [reply] = await bot.handle(dm("send me tips at 6am"))
    assert "every working day at 06:00 Tokyo time (JST)" in reply.fallback and "I read" not in reply.fallback
    assert "Next: Friday 2026-11-27 06:00" in reply.fallback
    [reply] = await bot.handle(dm("配信時間を6時に変更して"))
    assert "平日の毎日 18:00（日本時間）" in reply.fallback
    assert "「6時」は18:00と解釈しました。06:00にするには「午前6時」と送ってください。" in reply.fallback
    [reply] = await bot.handle(dm("毎朝6時に変更して"))
    assert "平日の毎日 06:00（日本時間）" in reply.fallback and "解釈" not in reply.fallback
    assert [s.schedule for s in repo.all()] == ["daily 06:00"]
    [reply] = await bot.handle(dm("status"))
    assert "Tips: every working day at 06:00 Tokyo time (JST)\nNext: Friday 2026-11-27 06:00" in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_more_everyday_english_for_weekly_changes_and_the_next_tip(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    [reply] = await bot.handle(dm("weekly on Mondays"))
    assert "every Monday at 09:00 Tokyo time (JST)" in reply.fallback and [s.schedule for s in repo.all()] == ["weekly mon 09:00"]
    await bot.handle(dm("make it every day"))
    await bot.handle(dm("actually, weekly on Mondays is enough"))
    assert [s.schedule for s in repo.all()] == ["weekly mon 09:00"]
    [reply] = await bot.handle(dm("change it to 5pm on Fridays"))
    assert "every Friday at 17:00" in reply.fallback and [s.schedule for s in repo.all()] == ["weekly fri 17:00"]
    [reply] = await bot.handle(dm("when is my next tip?"))
    assert "Tips: every Friday at 17:00 Tokyo time (JST)\nNext: Friday 2026-11-27 17:00" in reply.fallback
    [reply] = await bot.handle(dm("次のヒントはいつ？"))
    assert "次回: 2026-11-27（金）17:00" in reply.fallback
    [reply] = await bot.handle(dm("I think Mondays are busy"))  # a day in passing changes nothing
    assert [s.schedule for s in repo.all()] == ["weekly fri 17:00"]


@time_machine.travel(datetime(2027, 1, 6, 1, 0, tzinfo=UTC), tick=False)  # Wednesday; Monday Jan 11 is 成人の日
async def test_subscribe_replies_name_japans_holidays_and_say_a_weekly_holiday_is_skipped(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    [reply] = await bot.handle(dm("send me tips weekly on mondays"))
    assert "No tips on weekends, Japan's national holidays" in reply.fallback and "Tokyo's public" not in reply.fallback
    assert "When a Monday is a holiday, that week's tip is skipped, not moved to another day." in reply.fallback
    assert "Next: Monday 2027-01-18 09:00" in reply.fallback  # Jan 11 is skipped, as the reply says
    [reply] = await bot.handle(dm("毎日9時に変更して"))
    assert "ずらしません" not in reply.fallback  # daily: nothing to move
    [reply] = await bot.handle(dm("毎週金曜10時にして"))
    assert "金曜日が祝日などでお休みの週は、その回の配信はありません（別の日にはずらしません）。" in reply.fallback
    await bot.handle(dm("配信停止"))
    await bot.handle(dm("毎朝9時にヒントを送って"))
    [reply] = await bot.handle(dm("毎朝9時にヒントを送って"))  # subscribed again: 国民の祝日 named once, on the first reply
    assert "国民の祝日" not in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_unsubscribe_after_stopping_says_tips_are_already_off(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    await bot.handle(dm("send me tips every morning at 9"))
    await bot.handle(dm("stop sending me tips"))
    [reply] = await bot.handle(dm("unsubscribe"))
    assert "Tips are already off here (you asked to stop them)" in reply.fallback and "not set up" not in reply.fallback
    assert [b.value for b in reply.buttons] == ["nudge:subscribe"]
    [reply] = await bot.handle(dm("配信停止"))
    assert "すでに停止しています" in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_night_and_impossible_times_are_refused_with_the_hours_tips_come(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    [reply] = await bot.handle(dm("深夜2時に送って"))  # read as 02:00, not 14:00
    assert "02:00には配信できません" in reply.fallback and "06:00〜22:00（日本時間）の間に配信します" in reply.fallback
    assert repo.all() == []
    await bot.handle(dm("毎朝9時にヒントを送って"))
    for text, said in (("深夜2時に送って", "02:00には配信できません"), ("夜11時にして", "23:00には配信できません"),
                       ("25時", "25:00という時刻はありません"), ("毎朝25時に送って", "25:00という時刻はありません"),
                       ("send me tips at 2 at night", "Tips can't come at 02:00"), ("at 25:00", "25:00 is not a time of day")):
        [reply] = await bot.handle(dm(text))
        assert said in reply.fallback, text
        assert "06:00〜22:00（日本時間）" in reply.fallback or "06:00 to 22:00 Tokyo time (JST)" in reply.fallback, text
        assert ("今の設定は平日の毎日 09:00（日本時間）のままです" in reply.fallback
                or "Your tips stay every working day at 09:00" in reply.fallback), text
        assert [s.schedule for s in repo.all()] == ["daily 09:00"], text
    [reply] = await bot.handle(dm("土曜日に送って"))  # a day and "send" is a schedule: refused, with weekdays offered
    assert "一度も届きません" in reply.fallback and [s.schedule for s in repo.all()] == ["daily 09:00"]
    await bot.handle(dm("夜10時にして"))  # the last time there is
    assert [s.schedule for s in repo.all()] == ["daily 22:00"]
    await bot.handle(dm("金曜日に送って"))
    assert [s.schedule for s in repo.all()] == ["weekly fri 22:00"]


@time_machine.travel(NOW, tick=False)
async def test_a_night_time_stored_before_the_range_still_shows_in_status(kb: KnowledgeBase, store: Store) -> None:
    NudgeRepo(store).subscribe(platform="slack", conversation="DU1", user_id="U1", kind="user",
                               schedule="daily 05:30", tz="Asia/Tokyo", lang="en")
    bot = build_assistant(kb, store, {})
    [reply] = await bot.handle(dm("status"))
    assert "Tips: every working day at 05:30 Tokyo time (JST)\nNext: Friday 2026-11-27 05:30" in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_everyday_words_start_the_tips(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    for user, (text, said, schedule) in enumerate((
            ("毎朝ヒントほしい", "登録しました: 平日の毎日 09:00", "daily 09:00"),
            ("毎日ヒント", "登録しました: 平日の毎日 09:00", "daily 09:00"),
            ("通知オン", "登録しました: 平日の毎日 09:00", "daily 09:00"),
            ("ヒントを受け取りたい", "登録しました: 平日の毎日 09:00", "daily 09:00"),
            ("毎晩ヒントほしい", "登録しました: 平日の毎日 18:00", "daily 18:00"),  # the evening, not 09:00
            ("I want tips every morning", "subscribed to tips: every working day at 09:00", "daily 09:00"),
            ("turn on tips", "subscribed to tips: every working day at 09:00", "daily 09:00"),
            ("notifications on", "subscribed to tips: every working day at 09:00", "daily 09:00"))):
        [reply] = await bot.handle(dm(text, user=f"U{user}"))
        assert said in reply.fallback, text
        sub = repo.by_conversation("slack", f"DU{user}")
        assert sub is not None and sub.schedule == schedule, text
    await bot.handle(dm("通知オフ", user="U0"))
    [reply] = await bot.handle(dm("通知オン", user="U0"))  # on again after off
    assert "登録しました" in reply.fallback and (repo.by_conversation("slack", "DU0") or sub).active


@time_machine.travel(NOW, tick=False)
async def test_everyday_words_change_the_tips_and_a_change_without_a_time_asks_for_one(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    [reply] = await bot.handle(dm("配信の時間変えたい"))  # nothing set up to change
    assert "まだヒントの配信を登録していません" in reply.fallback and repo.all() == []
    await bot.handle(dm("毎朝ヒントほしい"))
    await bot.handle(dm("やっぱ週1でいい"))
    assert [s.schedule for s in repo.all()] == ["weekly mon 09:00"]
    [reply] = await bot.handle(dm("8時半にかえて"))  # keeps Mondays
    assert "変更しました: 毎週月曜日 08:30" in reply.fallback and [s.schedule for s in repo.all()] == ["weekly mon 08:30"]
    for text, said in (("配信の時間変えたい", "何時（何曜日）に変更しますか？ 今は毎週月曜日 08:30（日本時間）です。例: 「8時半に変更」"),
                       ("時間を変更できますか？", "配信できる時刻は06:00〜22:00です"),
                       ("I want to change the time", "When would you like them? Tips are now every Monday at 08:30")):
        [reply] = await bot.handle(dm(text))
        assert said in reply.fallback, text
    assert [s.schedule for s in repo.all()] == ["weekly mon 08:30"]
    # Questions about the principles are never tip commands.
    [reply] = await bot.handle(dm("第3条の通知のKPIは？"))
    assert reply.title and reply.title.startswith("#3")
    for question in ("毎日の業務でできる第一歩は？", "会議の時間を変えたい", "夜間の窓口対応のデジタル化は？", "土曜日の窓口をオンライン化したい"):
        [reply] = await bot.handle(dm(question))
        assert "変更しました" not in reply.fallback and "何時（何曜日）" not in reply.fallback, question
    assert [s.schedule for s in repo.all()] == ["weekly mon 08:30"]


async def test_asking_again_for_the_schedule_there_is_says_nothing_changed(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    with time_machine.travel(NOW, tick=False):
        await bot.handle(dm("毎朝9時にヒントを送って"))
    [before] = repo.all()
    with time_machine.travel(datetime(2026, 11, 26, 2, 30, tzinfo=UTC), tick=False):
        [reply] = await bot.handle(dm("豆知識を毎日ください"))
        assert "すでに平日の毎日 09:00（日本時間）で配信しています。変更はありません。次回: 2026-11-27（金）09:00" in reply.fallback
        assert "変更しました" not in reply.fallback
        [reply] = await bot.handle(dm("通知オン"))
        assert "変更はありません" in reply.fallback
        [reply] = await bot.handle(dm("daily tips please"))
        assert "Your tips are already every working day at 09:00 Tokyo time (JST); nothing changed." in reply.fallback
        assert repo.all()[0].lang == "en"  # tips follow the language the person last asked in
        await bot.handle(dm("来週は止めて"))
        [reply] = await bot.handle(dm("毎日9時"))  # the hold is still there, and the reply says so
        assert "変更はありません" in reply.fallback and "お休みの予定" in reply.fallback
        assert reply.buttons[0].value == "nudge:resume"
    [after] = repo.all()
    # Nothing was rewritten: the slots since the subscription was made still count.
    assert (after.schedule, after.since, after.lang) == (before.schedule, before.since, "ja")


@time_machine.travel(NOW, tick=False)
async def test_everyday_questions_show_what_is_set_up(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    await bot.handle(dm("毎週金曜17時にヒントを送って"))
    for text in ("いま何が登録されてる？", "登録状況", "配信設定を確認", "登録内容を確認したい", "設定を確認"):
        [reply] = await bot.handle(dm(text))
        assert "ヒントの配信: 毎週金曜日 17:00（日本時間）\n次回: 2026-11-27（金）17:00" in reply.fallback, text
    for text in ("what am I subscribed to?", "check my settings", "show my subscription"):
        [reply] = await bot.handle(dm(text))
        assert "Tips: every Friday at 17:00 Tokyo time (JST)" in reply.fallback, text


@time_machine.travel(NOW, tick=False)
async def test_stopping_or_pausing_stopped_tips_says_they_are_already_off(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    await bot.handle(dm("毎朝9時にヒントを送って"))
    await bot.handle(dm("通知とめて"))
    for text in ("配信停止", "一時停止", "来週は止めて", "pause 7"):
        [reply] = await bot.handle(dm(text))
        assert "すでに停止しています" in reply.fallback or "already off" in reply.fallback, text
        assert "登録していません" not in reply.fallback and "not set up" not in reply.fallback, text
        assert [b.value for b in reply.buttons] == ["nudge:subscribe"], text
    [sub] = NudgeRepo(store).all()
    assert not sub.active and sub.paused_until is None


@time_machine.travel(NOW, tick=False)
async def test_a_pause_without_a_period_offers_the_usual_ones(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    await bot.handle(dm("毎朝9時にヒントを送って"))
    [reply] = await bot.handle(dm("一時停止"))
    assert "1〜365日" in reply.fallback
    assert [(b.label, b.value) for b in reply.buttons] == [
        ("今日だけお休み", "nudge:pause:1"), ("7日間お休み", "nudge:pause:7"), ("14日間お休み", "nudge:pause:14")]
    [reply] = await bot.handle(dm(value="nudge:pause:14"))
    assert "2026-12-09（水）まで（14日間）配信をお休みします" in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_until_next_week_says_which_end_of_the_week_was_meant(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    await bot.handle(dm("毎朝9時にヒントを送って"))
    [reply] = await bot.handle(dm("来週まで止めて"))
    assert ("「来週まで」は来週いっぱい（2026-12-06（日）まで）と解釈しました。今週だけお休みするには「今週は止めて」と送ってください。"
            in reply.fallback)
    [reply] = await bot.handle(dm("今週は止めて"))  # the other reading, as the reply says
    assert "2026-11-29（日）まで（4日間）" in reply.fallback and "解釈" not in reply.fallback
    [reply] = await bot.handle(dm("pause until next week"))
    assert ('I read "until next week" as until next week starts: tips resume on Monday 2026-11-30. '
            'To pause next week too, say "pause through next week".') in reply.fallback
    [reply] = await bot.handle(dm("pause through next week"))
    assert "through Sunday 2026-12-06" in reply.fallback and "I read" not in reply.fallback
    [sub] = NudgeRepo(store).all()
    assert (sub.paused_from, sub.paused_until) == (None, "2026-12-06T15:00:00+00:00")


async def test_todays_tip_without_tips_set_up_is_a_tip_of_the_day_and_an_offer(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    with time_machine.travel(NOW, tick=False):
        [reply] = await bot.handle(dm("今日のヒント見せて"))
        [again] = await bot.handle(dm("ヒントをください"))
        [english] = await bot.handle(dm("show me today's tip"))
    assert reply.title and reply.title.startswith("今日のヒント: ")
    assert "毎朝受け取るには「毎朝9時にヒントを送って」と送るか、下のボタンを押してください。" in reply.fallback
    assert [b.value for b in reply.buttons][-1] == "nudge:subscribe" and len(reply.buttons) == 3  # More, quiz, subscribe
    assert NudgeRepo(store).all() == []  # showing a tip sets nothing up
    assert again.title == reply.title  # the same day: the same tip
    assert english.title and english.title.startswith("Today's tip: ") and "To get one every working day" in english.fallback
    with time_machine.travel(datetime(2026, 11, 27, 1, 0, tzinfo=UTC), tick=False):
        [tomorrow] = await bot.handle(dm("今日のヒント見せて"))
    assert tomorrow.title and tomorrow.title != reply.title  # the next day, the next tip


async def test_todays_tip_for_a_subscriber_is_the_one_sent_today_or_the_next_one(
        kb: KnowledgeBase, store: Store, tmp_path: Path) -> None:
    box = tmp_path / "outbox.jsonl"
    bot = build_assistant(kb, store, {})
    cron = NudgeService(kb, store, NudgeSettings(), {"console": ConsoleSender(str(box))})  # `dx10 nudges run-due`
    with time_machine.travel(NOW, tick=False):  # Thursday 10:00 in Tokyo
        await bot.handle(dm("毎朝9時にヒントを送って", platform="console"))
        [before] = await bot.handle(dm("今日のヒント見せて", platform="console"))
    assert "次回（2026-11-27（金）09:00）にお送りする予定のヒントです。" in before.fallback
    assert "nudge:subscribe" not in [b.value for b in before.buttons]
    with time_machine.travel(datetime(2026, 11, 27, 0, 5, tzinfo=UTC), tick=False):  # Friday 09:05
        assert (await cron.run_due()).sent == 1
        [after] = await bot.handle(dm("今日のヒント見せて", platform="console"))
    [sent] = [json.loads(line) for line in box.read_text(encoding="utf-8").splitlines()]
    assert after.title == sent["title"] == before.title and "今日お送りしたヒントです。" in after.fallback


@time_machine.travel(NOW, tick=False)
async def test_the_morning_hint_for_a_bare_hour_keeps_its_minutes(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    await bot.handle(dm("毎日ヒント"))
    [reply] = await bot.handle(dm("6時半にして"))
    assert reply.lang == "ja"
    assert "「6時半」は18:30と解釈しました。06:30にするには「午前6時半」と送ってください。" in reply.fallback
    [reply] = await bot.handle(dm("午前6時半"))  # the hint, typed as it says: the half hour stays
    assert reply.lang == "ja" and "平日の毎日 06:30（日本時間）" in reply.fallback and "解釈" not in reply.fallback
    assert [s.schedule for s in repo.all()] == ["daily 06:30"]
    [reply] = await bot.handle(dm("配信時間を6時15分に変更して"))
    assert "06:15にするには「午前6時15分」と送ってください。" in reply.fallback
    [reply] = await bot.handle(dm("send tips at 6:45"))
    assert reply.lang == "en" and "every working day at 06:45" in reply.fallback  # a clock time: no guess
    # 05:15 would be refused (tips start at 06:00): say how it was read, but offer no way to ask for it.
    [reply] = await bot.handle(dm("配信時間を5時15分に変更して"))
    assert reply.lang == "ja" and "「5時15分」は17:15と解釈しました。" in reply.fallback and "午前5時" not in reply.fallback
    [reply] = await bot.handle(dm("send me tips at 6"))
    assert reply.lang == "en" and 'I read "at 6" as 18:00; for 06:00, say "at 6am".' in reply.fallback
    [reply] = await bot.handle(dm("配信時間を6時に変更して"))  # on the hour: no minutes in the hint
    assert "06:00にするには「午前6時」と送ってください。" in reply.fallback


@time_machine.travel(NOW, tick=False)
async def test_a_time_in_another_zone_that_is_no_time_is_refused_in_the_persons_language(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    await bot.handle(dm("毎日ヒント"))
    for text in ("ロンドン時間の25時に送って", "ロンドン時間で月曜と火曜の9時に送って"):
        [reply] = await bot.handle(dm(text))
        assert reply.lang == "ja", text
        assert "今の設定は平日の毎日 09:00（日本時間）のままです。" in reply.fallback, text
        assert not re.search(r"[A-Za-z]{3,}", reply.fallback.replace("Europe/London", "")), reply.fallback  # no English
    [reply] = await bot.handle(dm("ロンドン時間の25時に送って"))
    assert "25:00という時刻はありません。配信の時刻は06:00〜22:00（日本時間）の間で指定してください。" in reply.fallback
    [reply] = await bot.handle(dm("send tips at 13pm London time"))
    assert reply.lang == "en" and reply.fallback.startswith("13pm is not a time of day. Tips can come at any time from 06:00")
    assert "Your tips stay every working day at 09:00 Tokyo time (JST)." in reply.fallback
    assert [s.schedule for s in repo.all()] == ["daily 09:00"]


# Today is Thursday 2026-11-26 (NOW). Tokyo midnight is 15:00 UTC the day before.
@pytest.mark.parametrize(("text", "lang", "said", "paused_from", "paused_until"), [
    # 「N日まで」 is a day of the month: this month's, or next month's once it has passed.
    ("15日まで止めて", "ja", "2026-12-15（火）まで（20日間）配信をお休みします。2026-12-16（水）から再開します", None,
     "2026-12-15T15:00:00+00:00"),
    ("10日まで配信止めて", "ja", "2026-12-10（木）まで（15日間）", None, "2026-12-10T15:00:00+00:00"),
    ("30日まで止めて", "ja", "2026-11-30（月）まで（5日間）", None, "2026-11-30T15:00:00+00:00"),
    ("26日までお休みにして", "ja", "2026-11-26（木）まで（1日間）", None, "2026-11-26T15:00:00+00:00"),
    ("pause until the 15th", "en", "paused for 20 days, through Tuesday 2026-12-15", None, "2026-12-15T15:00:00+00:00"),
    # 「N日間」 and 「N日」 without まで stay spans.
    ("15日間止めて", "ja", "2026-12-10（木）まで（15日間）", None, "2026-12-10T15:00:00+00:00"),
    ("15日止めて", "ja", "2026-12-10（木）まで（15日間）", None, "2026-12-10T15:00:00+00:00"),
    # 「から」 marks where the hold starts.
    ("15日から20日まで止めて", "ja", "2026-12-15（火）から2026-12-20（日）まで（6日間）", "2026-12-14T15:00:00+00:00",
     "2026-12-20T15:00:00+00:00"),
    ("28日から5日まで止めて", "ja", "2026-11-28（土）から2026-12-05（土）まで（8日間）", "2026-11-27T15:00:00+00:00",
     "2026-12-05T15:00:00+00:00"),
    ("15日から1週間止めて", "ja", "2026-12-15（火）から2026-12-21（月）まで（7日間）", "2026-12-14T15:00:00+00:00",
     "2026-12-21T15:00:00+00:00"),
    ("12月15日から3日間止めて", "ja", "2026-12-15（火）から2026-12-17（木）まで（3日間）", "2026-12-14T15:00:00+00:00",
     "2026-12-17T15:00:00+00:00"),
    ("明日から3日間止めて", "ja", "2026-11-27（金）から2026-11-29（日）まで（3日間）", "2026-11-26T15:00:00+00:00",
     "2026-11-29T15:00:00+00:00"),
    ("pause from December 15 for a week", "en", "from Tuesday 2026-12-15 through Monday 2026-12-21 (7 days)",
     "2026-12-14T15:00:00+00:00", "2026-12-21T15:00:00+00:00"),
    # A year-less date that passed long ago is next year's: a short hold says nothing more…
    ("1月5日まで止めて", "ja", "2027-01-05（火）まで（41日間）配信をお休みします。2027-01-06（水）から再開します。次回: 2027-01-06（水）09:00\n",
     None, "2027-01-05T15:00:00+00:00"),
    # …a long one says how the date was read, and how to undo it.
    ("pause until October 1", "en", 'paused for 310 days, through Friday 2027-10-01', None, "2027-10-01T15:00:00+00:00"),
    ("10月1日まで止めて", "ja", "「10月1日」は今年はもう過ぎているため、来年の2027-10-01（金）と解釈しました。取り消すには「再開」と送ってください。",
     None, "2027-10-01T15:00:00+00:00"),
])
async def test_a_day_of_the_month_a_start_and_a_date_of_next_year(
        kb: KnowledgeBase, store: Store, text: str, lang: str, said: str, paused_from: str | None, paused_until: str) -> None:
    bot = build_assistant(kb, store, {})
    with time_machine.travel(NOW, tick=False):
        await bot.handle(dm("毎朝9時にヒントを送って"))
        [reply] = await bot.handle(dm(text))
    assert reply.lang == lang
    assert said in reply.fallback + "\n", reply.fallback
    if "October" in text:
        assert '"october 1" has passed this year, so I read it as next year\'s, Friday 2027-10-01. To undo this, say "resume".' in (
            reply.fallback)
    if "1月5日" in text:
        assert "解釈" not in reply.fallback
    [sub] = NudgeRepo(store).all()
    assert (sub.schedule, sub.paused_from, sub.paused_until) == ("daily 09:00", paused_from, paused_until)


@time_machine.travel(NOW, tick=False)
async def test_dates_that_make_no_hold_say_why_and_change_nothing(kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    await bot.handle(dm("毎朝9時にヒントを送って"))
    cases = [
        # Passed a few days ago: a mistake, not a hold of almost a year.
        ("pause until November 25", "en", "Wednesday 2026-11-25 has already passed: say the last day without tips"),
        ("11/20まで止めて", "ja", "2026-11-20（金）はもう過ぎています。"),
        ("11月1日まで止めて", "ja", "2026-11-01（日）はもう過ぎています。"),
        # The last day before the first.
        ("pause from December 10 to December 5", "en",
         "Saturday 2026-12-05 comes before Thursday 2026-12-10: say the first day, then the last"),
        ("12月10日から12月5日まで止めて", "ja", "2026-12-05（土）は2026-12-10（木）より前の日です。"),
        # No day to resume on, or further than a year: the limit, never a crash.
        ("pause until 9999-12-31", "en", "For how long? Pause for 1 to 365 days"),
        ("9999年12月31日まで止めて", "ja", "お休みする期間を1〜365日の範囲で指定してください"),
        ("pause until 2031-01-01", "en", "For how long? Pause for 1 to 365 days"),
        # A start without an end: for how long?
        ("15日から止めて", "ja", "お休みする期間を1〜365日の範囲で指定してください"),
    ]
    for text, lang, said in cases:
        [reply] = await bot.handle(dm(text))
        assert reply.lang == lang, text
        assert said in reply.fallback, (text, reply.fallback)
    [sub] = NudgeRepo(store).all()
    assert (sub.active, sub.paused_from, sub.paused_until) == (True, None, None)


# Sentences about streaming (配信), notices (通知) or pausing something else: never the tips.
NOT_ABOUT_THE_TIPS = [
    "ライブ配信を中断しないための工夫",
    "通知を保留にする機能について",
    "オンライン配信を明日は休止します",
    "動画配信を来週は止める予定です",
    "住民への通知を一時停止する方法は？",
    "システム更新のため通知を来週まで停止します",
    "説明会のライブ配信は毎週金曜10時に変更",
    "ライブ配信を10時に変更して",
    "オンライン配信を隔週にしたい",
    "会議を中断して休憩する",
    "休止するときのヒント",
]


@time_machine.travel(NOW, tick=False)
async def test_statements_about_streaming_notices_or_pausing_leave_a_subscribers_tips_alone(
        kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    await bot.handle(dm("毎朝9時にヒントを送って"))
    for text in NOT_ABOUT_THE_TIPS:
        [reply] = await bot.handle(dm(text))
        assert reply.lang == "ja", text
        for nudge_words in ("お休み", "設定を変更", "1〜365日", "配信の時刻", "ヒントの配信は1日1回まで"):
            assert nudge_words not in reply.fallback, (text, reply.fallback)
        [sub] = repo.all()
        assert (sub.active, sub.schedule, sub.paused_from, sub.paused_until) == (True, "daily 09:00", None, None), text


@time_machine.travel(NOW, tick=False)
async def test_statements_about_streaming_or_notices_never_get_a_tips_reply_without_tips(
        kb: KnowledgeBase, store: Store) -> None:
    bot = build_assistant(kb, store, {})
    for text in NOT_ABOUT_THE_TIPS:
        [reply] = await bot.handle(dm(text))
        assert reply.lang == "ja", text
        assert "ヒントの配信を登録していません" not in reply.fallback, text
        assert "nudge:subscribe" not in [b.value for b in reply.buttons], text
    assert NudgeRepo(store).all() == []


@time_machine.travel(NOW, tick=False)
async def test_oyasumi_alone_is_a_goodbye_and_tip_commands_still_work(kb: KnowledgeBase, store: Store) -> None:
    from bot.catalog import t
    bot = build_assistant(kb, store, {})
    repo = NudgeRepo(store)
    await bot.handle(dm("毎朝9時にヒントを送って"))
    [reply] = await bot.handle(dm("おやすみ"))
    assert reply.lang == "ja" and reply.fallback == t("smalltalk.bye", "ja")
    assert repo.all()[0].paused_until is None
    # Addressed to dx10, about its tips: still commands.
    [reply] = await bot.handle(dm("配信を中断"))  # for how long?
    assert reply.lang == "ja" and "お休みする期間を1〜365日の範囲で指定してください" in reply.fallback
    [reply] = await bot.handle(dm("ヒントはお休み"))
    assert "お休みする期間を1〜365日の範囲で指定してください" in reply.fallback
    [reply] = await bot.handle(dm("明日はお休み"))
    assert reply.lang == "ja" and "2026-11-27（金）から2026-11-27（金）まで（1日間）配信をお休みします" in reply.fallback
    [reply] = await bot.handle(dm("来週は通知いらない"))
    assert "2026-11-30（月）から2026-12-06（日）まで（7日間）配信をお休みします" in reply.fallback
    [reply] = await bot.handle(dm("配信を10時に変更して"))
    assert reply.lang == "ja" and "平日の毎日 10:00（日本時間）" in reply.fallback
    [reply] = await bot.handle(dm("通知オフ"))
    assert reply.lang == "ja" and "ヒントの配信を停止しました" in reply.fallback and not repo.all()[0].active


@time_machine.travel(NOW, tick=False)
async def test_a_typographic_apostrophe_reads_as_a_plain_one_in_every_tips_command(kb: KnowledgeBase, store: Store) -> None:
    # Phones and Slack on a Mac type ’: the tips' patterns see one normalised text (bot.text.normal).
    bot = build_assistant(kb, store, {})
    [reply] = await bot.handle(dm("show me today’s tip"))
    assert reply.lang == "en" and "nudge:subscribe" in [b.value for b in reply.buttons]
    await bot.handle(dm("send me tips at 7 o’clock"))
    [sub] = NudgeRepo(store).all()
    assert sub.schedule == "daily 07:00"
    [reply] = await bot.handle(dm("don’t send tips next week"))
    assert reply.lang == "en" and "from Monday 2026-11-30 through Sunday 2026-12-06 (7 days)" in reply.fallback
