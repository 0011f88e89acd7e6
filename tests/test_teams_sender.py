"""Proactive sends (nudges, channel quizzes) to a stored Teams conversation reference."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from adapters.serve import build_app
from adapters.teams.outbound import RetryPolicy
from adapters.teams.sender import TeamsSender
from bot import answers
from bot.core import Assistant
from bot.events import Reply
from bot.senders import Target
from fakes.teams_connector import FakeConnector, sender_after_one_chat

FAST = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05, budget=5.0)
NUDGE = answers.simple("teams.hello", "ja", answers.menu("ja"))


@pytest.fixture
async def setup(assistant: Assistant) -> AsyncIterator[tuple[FakeConnector, TeamsSender]]:
    """A bot that has seen one personal chat, so its reference is stored."""
    app = build_app(assistant, {"TEAMS_ALLOW_UNAUTHENTICATED": "1"})
    async with sender_after_one_chat(app, FAST) as (connector, sender):
        yield connector, sender


async def test_proactive_send_to_a_stored_reference(setup: tuple[FakeConnector, TeamsSender]) -> None:
    connector, sender = setup
    result = await sender.send(Target("teams", "a:personal-1"), NUDGE)
    assert result.ok and result.gone is None
    [sent] = connector.delivered()
    assert sent.conversation == "a:personal-1" and sent.text == NUDGE.fallback
    assert sent.body["from"]["id"].startswith("28:")  # as the bot, into the stored conversation


async def test_429_then_success_honours_retry_after(setup: tuple[FakeConnector, TeamsSender]) -> None:
    connector, sender = setup
    connector.fail_next(429, retry_after="1")
    result = await sender.send(Target("teams", "a:personal-1"), NUDGE)
    assert result.ok
    assert [c.status for c in connector.calls] == [429, 200]
    assert connector.calls[1].at - connector.calls[0].at >= 1.0


@pytest.mark.parametrize("status", [412, 502, 504])
async def test_transient_failures_are_retried_with_backoff(setup: tuple[FakeConnector, TeamsSender], status: int) -> None:
    connector, sender = setup
    connector.fail_next(status, times=2)
    result = await sender.send(Target("teams", "a:personal-1"), NUDGE)
    assert result.ok
    assert [c.status for c in connector.calls] == [status, status, 200]


async def test_giving_up_after_the_attempts_reports_the_error(setup: tuple[FakeConnector, TeamsSender]) -> None:
    connector, sender = setup
    connector.fail_next(429, times=10, retry_after="0")
    result = await sender.send(Target("teams", "a:personal-1"), NUDGE)
    assert not result.ok and result.gone is None and "429" in (result.error or "")
    assert result.retry_after == 0.0
    assert len(connector.calls) == FAST.attempts


@pytest.mark.parametrize(("status", "code"), [(404, "ConversationNotFound"), (403, "BotNotInConversationRoster")])
async def test_removed_bot_or_deleted_conversation_is_gone(
    setup: tuple[FakeConnector, TeamsSender], status: int, code: str
) -> None:
    connector, sender = setup
    connector.fail_next(status)
    result = await sender.send(Target("teams", "a:personal-1"), NUDGE)
    assert not result.ok and code in (result.gone or "")
    assert len(connector.calls) == 1  # never retried


async def test_unknown_conversation_is_gone_without_any_call(setup: tuple[FakeConnector, TeamsSender]) -> None:
    connector, sender = setup
    result = await sender.send(Target("teams", "19:never-seen@thread.tacv2"), NUDGE)
    assert not result.ok and result.gone
    assert connector.calls == []


async def test_a_burst_respects_seven_messages_per_second(setup: tuple[FakeConnector, TeamsSender]) -> None:
    connector, sender = setup
    started = time.monotonic()
    for i in range(9):
        assert (await sender.send(Target("teams", "a:personal-1"), Reply(fallback=f"tip {i}", lang="ja",
                                                                          sections=(f"tip {i}",)))).ok
    times = [c.at for c in connector.delivered()]
    assert len(times) == 9
    # Any 8 consecutive sends span about a second (7 per second at most); the slots are booked
    # exactly a second apart, the slack is only for delivery latency jitter.
    assert times[7] - times[0] >= 0.9 and times[8] - times[1] >= 0.9
    assert time.monotonic() - started < 5.0
