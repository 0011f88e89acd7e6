"""Slack over HTTP: DMs, mentions, /dx10 and what the bot must not answer — asserted on the fake Web API."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from knowledge.schema import KnowledgeBase

from fakes.slack_api import BOT_ID, BOT_USER, FakeSlack
from fakes.slack_client import Dx10, all_text, dm, header, http_env, mention, running_dx10
from fakes.slack_client import dx10, fake  # noqa: F401  (pytest fixtures)


async def test_dm_is_answered_in_the_dm_with_blocks_fallback_and_feedback(dx10: Dx10, fake: FakeSlack) -> None:
    assert await dx10.event(dm("第3条のはじめの第一歩は？")) == 200
    [post] = await fake.wait_for("chat.postMessage")
    assert post["channel"] == "D1" and "thread_ts" not in post.params
    assert header(post).startswith("#3") and "はじめの第一歩" in header(post)
    assert post["text"].startswith("#3")  # top-level fallback for notifications and screen readers
    assert any(b["type"] == "context" and "出典" in b["elements"][0]["text"] for b in post["blocks"])
    feedback = next(b for b in post["blocks"] if b.get("block_id") == "dx10_feedback")
    interaction = dx10.assistant.store.db.execute("select max(id) from interactions").fetchone()[0]
    assert [e["value"] for e in feedback["elements"]] == [f"fb:up:{interaction}", f"fb:down:{interaction}"]
    assert post.headers["Authorization"] == "Bearer xoxb-test-token"
    # Remembered so proactive features (nudges) can reach this DM later.
    assert dx10.assistant.store.conversation("slack", "D1") == {"channel": "D1", "user": "U1", "team": "T0001"}


async def test_mention_is_answered_in_a_thread_with_the_mention_stripped(dx10: Dx10, fake: FakeSlack) -> None:
    event = mention(f"<@{BOT_USER}> 第5条のKPI例を教えて")
    await dx10.event(event)
    [post] = await fake.wait_for("chat.postMessage")
    assert post["channel"] == "C1" and post["thread_ts"] == event["ts"]
    assert header(post).startswith("#5") and "KPI" in header(post)
    [text] = [r[0] for r in dx10.assistant.store.db.execute("select text from interactions")]
    assert "<@" not in text and text.startswith("第5条")


async def test_mention_inside_a_thread_stays_in_that_thread(dx10: Dx10, fake: FakeSlack) -> None:
    await dx10.event(mention(f"<@{BOT_USER}> NPSとは", thread_ts="1699999999.000001"))
    [post] = await fake.wait_for("chat.postMessage")
    assert post["thread_ts"] == "1699999999.000001"


async def test_slash_command_answers_ephemerally_and_alone_shows_help(dx10: Dx10, fake: FakeSlack) -> None:
    status, body = await dx10.command("第7条のロードマップ")
    assert (status, body) == (200, "")  # acked at once; the answer follows privately
    [answer] = await fake.wait_for("chat.postEphemeral")
    assert (answer["channel"], answer["user"]) == ("C1", "U1")
    assert header(answer).startswith("#7")
    await dx10.command("")
    _, help_ = await fake.wait_for("chat.postEphemeral", 2)
    assert header(help_) == "dx10の使い方"
    assert fake.calls_to("chat.postMessage") == []


async def test_slash_command_where_the_bot_is_not_a_member_uses_the_response_url(dx10: Dx10, fake: FakeSlack) -> None:
    fake.error_next("chat.postEphemeral", "not_in_channel")
    await dx10.command("NPSとは", response_url=fake.response_url("cmd1"))
    [answer] = await fake.wait_for("response_url")
    assert answer["name"] == "cmd1" and answer["response_type"] == "ephemeral"
    assert "NPS" in header(answer)


async def test_own_bot_edited_deleted_and_join_messages_are_ignored(dx10: Dx10, fake: FakeSlack) -> None:
    ignored = [
        dm("第1条", user=BOT_USER),  # our own message echoed back
        dm("第1条", bot_id="B999", subtype="bot_message"),  # another bot: no bot-to-bot loops
        dm("第1条", bot_id=BOT_ID),
        dm("", subtype="message_changed", message={"text": "第2条", "user": "U1"}),
        dm("", subtype="message_deleted", previous_message={"text": "第2条"}),
        dm("<@U1> has joined the channel", subtype="channel_join"),
        mention(f"<@{BOT_USER}> 第1条", bot_id="B999"),
        dm("第1条", channel_type="channel", channel="C1"),  # channel chatter without a mention
    ]
    for event in ignored:
        assert await dx10.event(event) == 200
    await dx10.event(dm("第9条", user="U2"))  # a sentinel: once it is answered, the earlier ones were dropped
    [post] = await fake.wait_for("chat.postMessage")
    assert header(post).startswith("#9")
    await dx10.event(dm("第10条", user="U2"))
    await fake.wait_for("chat.postMessage", 2)
    assert len(fake.calls_to("chat.postMessage")) == 2


async def test_a_retried_event_is_answered_once(dx10: Dx10, fake: FakeSlack) -> None:
    event = dm("第2条の概要")
    assert await dx10.event(event, event_id="EvRETRY1") == 200
    assert await dx10.event(event, event_id="EvRETRY1", retry_num=1) == 200
    assert await dx10.event(event, event_id="EvRETRY1", retry_num=2) == 200
    await dx10.event(dm("第4条"), event_id="EvSENTINEL")
    posts = await fake.wait_for("chat.postMessage", 2)
    await fake.wait_until(lambda: len(fake.calls_to("chat.postMessage")) >= 2)
    assert sorted(header(p)[:2] for p in posts) == ["#2", "#4"]


async def test_a_retry_after_a_restart_is_still_answered_once(kb: KnowledgeBase, tmp_path: Path, fake: FakeSlack) -> None:
    db = tmp_path / "restart.db"
    event = dm("第6条")
    async with running_dx10(kb, db, http_env(fake)) as first:
        await first.event(event, event_id="EvRESTART")
        await fake.wait_for("chat.postMessage")
    async with running_dx10(kb, db, http_env(fake)) as second:  # a new process on the same SQLite file
        assert await second.event(event, event_id="EvRESTART", retry_num=1) == 200
        await second.event(dm("第8条"), event_id="EvAFTER")
        posts = await fake.wait_for("chat.postMessage", 2)
    assert [header(p)[:2] for p in posts] == ["#6", "#8"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("あ" * 40_000, "長すぎます"),  # Slack's own maximum message length
        (":tada: :+1::skin-tone-2: 🎉", "文字として読み取れる内容がありませんでした"),
        (f"<@{BOT_USER}>", "dx10の使い方"),  # only a mention: show what the bot can do
        (f"<@{BOT_USER}>   <@U777|someone>", "dx10の使い方"),
    ],
    ids=["40000-chars", "emoji-only", "mention-only", "mentions-only"],
)
async def test_odd_messages_get_a_sensible_reply_and_no_traceback(
    dx10: Dx10, fake: FakeSlack, caplog: pytest.LogCaptureFixture, text: str, expected: str
) -> None:
    caplog.set_level(logging.INFO)
    await dx10.event(mention(text))
    [post] = await fake.wait_for("chat.postMessage")
    assert expected in all_text(post)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_unknown_events_are_acknowledged_and_ignored(dx10: Dx10, fake: FakeSlack) -> None:
    assert await dx10.event({"type": "reaction_added", "user": "U1", "reaction": "tada", "item": {"type": "message"}}) == 200
    assert await dx10.event({"type": "something_new_from_slack", "x": 1}) == 200
    await dx10.event(dm("第1条"))
    await fake.wait_for("chat.postMessage")
    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_url_verification_challenge(dx10: Dx10) -> None:
    status, body = await dx10.signed(b'{"token":"t","challenge":"c-123","type":"url_verification"}', "application/json")
    assert status == 200 and "c-123" in body
