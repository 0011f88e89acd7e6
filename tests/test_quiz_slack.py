"""Quizzes in Slack end to end: `dx10 serve`'s Slack endpoint against the fake Slack Web API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.slack import SLACK_SENDER
from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Incoming
from bot.quiz.ticker import QuizTicker
from bot.store import Store
from fakes.slack_api import Call, FakeSlack
from fakes.slack_client import Dx10, all_text, block_actions, buttons_of, http_env, running_dx10
from fakes.slack_client import fake  # noqa: F401  (pytest fixture)
from knowledge.schema import KnowledgeBase
from tests.quiz_helpers import RecordingSender, quiz_feature

CHANNEL = "C9"
PEOPLE = {"U1": "aki", "U2": "ben", "U3": "chika"}


@dataclass
class Served:
    client: Dx10
    ticker: QuizTicker


@pytest.fixture
async def served(kb: KnowledgeBase, tmp_path: Path, fake: FakeSlack) -> AsyncIterator[Served]:
    """`dx10 serve` as built by the CLI (every feature on), NPS asks off so the fake sees only the quiz."""
    env = http_env(fake, DX10_QUIZ_NPS="0")
    async with running_dx10(kb, tmp_path / "quiz.db", env, features=True) as client:
        yield Served(client, QuizTicker(quiz_feature(client.assistant), {"slack": client.app[SLACK_SENDER]}, nps=False))


def _press(call: Call, letter_index: int, user: str) -> dict[str, Any]:
    button = buttons_of(call["blocks"])[letter_index]
    payload = block_actions(button, user=user, channel=CHANNEL,
                            message={"type": "message", "ts": call.params.get("ts", "1700000000.000100"), "blocks": call["blocks"]})
    payload["user"]["name"] = PEOPLE[user]
    return payload


def _right(assistant: Assistant, call: Call) -> int:
    """The button (0 = A) of the right choice: a value ends with the bank's index of its choice,
    which a personal quiz shows in a shuffled order."""
    values = [b["value"] for b in buttons_of(call["blocks"])]  # quiz:c:<quiz>:<question>:<i> or quiz:a:<question>:<i>
    answer = quiz_feature(assistant).bank.by_id[values[0].split(":")[-2]].answer
    return next(i for i, v in enumerate(values) if int(v.split(":")[-1]) == answer)


async def test_three_people_answer_double_answers_are_ignored_reveal_and_leaderboard(served: Served, fake: FakeSlack) -> None:
    dx10 = served.client
    await dx10.command("チャンネルクイズ 2", channel=CHANNEL, response_url=fake.response_url("start"))
    intro, question = await fake.wait_for("chat.postMessage", 2)
    assert intro["channel"] == question["channel"] == CHANNEL  # public, although slash commands answer privately
    assert "thread_ts" not in question.params and "チャンネルクイズ 1/2" in all_text(question)
    right = _right(dx10.assistant, question)
    wrong = (right + 1) % len(buttons_of(question["blocks"]))

    await dx10.press(_press(question, right, "U1"))
    await dx10.press(_press(question, wrong, "U2"))
    await dx10.press(_press(question, right, "U3"))
    await dx10.press(_press(question, wrong, "U1"))  # a second answer: ignored
    confirmations = await fake.wait_for("chat.postEphemeral", 4)
    assert [c["user"] for c in confirmations] == ["U1", "U2", "U3", "U1"]
    assert all(c["channel"] == CHANNEL for c in confirmations)
    assert "回答を受け付けました" in all_text(confirmations[0]) and "最初の回答だけ" in all_text(confirmations[3])
    assert len(fake.calls_to("chat.postMessage")) == 2  # answers never show in the channel

    # Another start while one runs is refused, privately.
    await dx10.command("チャンネルクイズ", channel=CHANNEL, response_url=fake.response_url("again"))
    *_, refused = await fake.wait_for("chat.postEphemeral", 5)
    assert "進行中" in all_text(refused)

    await dx10.command("クイズ終了", channel=CHANNEL, response_url=fake.response_url("close"))
    *_, reveal, second = await fake.wait_for("chat.postMessage", 4)
    assert "正解発表 1/2" in all_text(reveal) and "3人中2人が正解（67%）" in all_text(reveal)
    assert "チャンネルクイズ 2/2" in all_text(second)
    right2 = _right(dx10.assistant, second)
    await dx10.press(_press(second, right2, "U1"))
    await dx10.press(_press(second, (right2 + 1) % len(buttons_of(second["blocks"])), "U2"))
    await dx10.press(_press(question, right, "U3"))  # a button on the closed question
    *_, closed = await fake.wait_for("chat.postEphemeral", 8)
    assert "締め切られました" in all_text(closed)

    # The timer reveals the last question (through SlackSender) and ends the quiz.
    await served.ticker.tick(datetime.now(UTC) + timedelta(minutes=11))
    *_, reveal2, final = await fake.wait_for("chat.postMessage", 6)
    assert "2人中1人が正解（50%）" in all_text(reveal2) and "3人が参加" in all_text(final)
    await served.ticker.tick(datetime.now(UTC) + timedelta(minutes=30))
    assert len(fake.calls_to("chat.postMessage")) == 6  # nothing more to reveal

    # Names are shown only for people who opt in; U3 never did, U2 opted in and out again.
    await dx10.command("leaderboard optin", user="U1", channel=CHANNEL, response_url=fake.response_url("show1"))
    await dx10.command("ランキング表示", user="U2", channel=CHANNEL, response_url=fake.response_url("show2"))
    await dx10.command("leaderboard optout", user="U2", channel=CHANNEL, response_url=fake.response_url("hide2"))
    await dx10.command("leaderboard optin", user="U2", channel=CHANNEL, response_url=fake.response_url("show2b"))
    await fake.wait_for("chat.postEphemeral", 12)
    await dx10.command("ランキング", channel=CHANNEL, response_url=fake.response_url("board"))
    *_, board = await fake.wait_for("chat.postMessage", 7)
    text = all_text(board)
    week = text.split("今週")[1].split("これまで")[0]
    assert week.index("1. aki — 2問中2問正解（100%）") < week.index("2. （匿名の参加者） — 1問中1問正解（100%）")
    assert "3. ben — 2問中0問正解（0%）" in week and "chika" not in text


async def test_stale_quizzes_close_after_a_restart(kb: KnowledgeBase, store: Store) -> None:
    assistant = build_assistant(kb, store, env={})
    feature = quiz_feature(assistant)
    started = datetime(2026, 6, 1, 1, tzinfo=UTC)
    feature.clock = lambda: started
    await assistant.handle(Incoming("slack", "U1", "C1", text="quiz channel", direct=False))
    await assistant.handle(Incoming("slack", "U1", "C2", text="quiz channel", direct=False))
    sender = RecordingSender()
    ticker = QuizTicker(feature, {"slack": sender}, nps=False)
    # C1's reveal was missed by an hour while dx10 was down; C2 is simulated as just started again.
    store.db.execute("update channel_quizzes set reveal_at = ? where conversation = 'C2'",
                     [(started + timedelta(hours=1, minutes=5)).isoformat()])
    await ticker.recover(started + timedelta(hours=1))
    [(target, notice)] = sender.sent
    assert target.conversation == "C1" and "restarted" in notice.fallback
    statuses = {r["conversation"]: r["status"] for r in store.db["channel_quizzes"].rows}
    assert statuses == {"C1": "stale", "C2": "running"}
    intro, question = await assistant.handle(Incoming("slack", "U1", "C1", text="quiz channel 1", direct=False))
    assert intro.public and question.public  # a new one can start in C1


async def test_channel_quiz_needs_a_channel(kb: KnowledgeBase, store: Store) -> None:
    assistant = build_assistant(kb, store, env={})
    [reply] = await assistant.handle(Incoming("slack", "U1", "D1", text="channel quiz", direct=True))
    assert "チャンネルで" in reply.fallback or "in a channel" in reply.fallback


async def test_personal_quiz_in_a_dm_then_progress_on_app_home(served: Served, fake: FakeSlack) -> None:
    from fakes.slack_client import dm as slack_dm

    dx10 = served.client
    await dx10.event(slack_dm("第5条のクイズ"))
    intro, question = await fake.wait_for("chat.postMessage", 2)
    assert question["channel"] == "D1" and "クイズ 1/5" in all_text(question)
    await dx10.press(block_actions(buttons_of(question["blocks"])[_right(dx10.assistant, question)]))
    *_, feedback, second = await fake.wait_for("chat.postMessage", 4)
    assert "正解です" in all_text(feedback) and "クイズ 2/5" in all_text(second)
    await dx10.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.2"})
    [home] = await fake.wait_for("views.publish")
    texts = "\n".join(b.get("text", {}).get("text", "") for b in home["view"]["blocks"])
    assert "▰▱▱▱▱ 1/5" in texts and "回答数: 1問（正答率100%）" in texts


async def test_first_step_challenge_answer_updates_the_question_in_place(served: Served, fake: FakeSlack) -> None:
    dx10 = served.client
    feature = quiz_feature(dx10.assistant)
    now = datetime.now(UTC)
    feature.commitments.commit(Incoming("slack", "U1", "D1", direct=True), 4, "ja", now - timedelta(days=10))
    await served.ticker.tick(now)
    [ask] = await fake.wait_for("chat.postMessage")
    assert ask["channel"] == "D1" and "やってみましたか" in all_text(ask)
    done = next(b for b in buttons_of(ask["blocks"]) if b["value"].startswith("commit:done:"))
    await dx10.press(block_actions(done, message={"type": "message", "ts": "1700000000.000777", "blocks": ask["blocks"]}))
    [update] = await fake.wait_for("chat.update")
    assert (update["channel"], update["ts"]) == ("D1", "1700000000.000777") and "すばらしい" in all_text(update)
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_a_quiz_started_by_mention_is_posted_in_the_channel_not_the_thread(served: Served, fake: FakeSlack) -> None:
    from fakes.slack_api import BOT_USER
    from fakes.slack_client import mention

    await served.client.event(mention(f"<@{BOT_USER}> チャンネルクイズ 1", channel=CHANNEL))
    intro, question = await fake.wait_for("chat.postMessage", 2)
    assert question["channel"] == CHANNEL and "thread_ts" not in question.params
    await served.client.event(mention(f"<@{BOT_USER}> チャンネルクイズ", channel=CHANNEL))
    [refused] = await fake.wait_for("chat.postEphemeral")
    assert refused["user"] == "U1" and "進行中" in all_text(refused)
