"""Tips through the real senders against the fake Slack API and the fake Teams connector."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from fakes.slack_api import FakeSlack
from fakes.slack_client import fake  # noqa: F401  (pytest fixture)
from fakes.teams_connector import FakeConnector, sender_after_one_chat

from adapters.serve import build_app
from adapters.slack.app import make_client
from adapters.slack.config import SlackSettings
from adapters.slack.sender import SlackSender
from adapters.teams.outbound import RetryPolicy
from adapters.teams.sender import TeamsSender
from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Incoming
from bot.nudges import tips as tipbook
from bot.nudges.feature import nudge_service
from bot.nudges.repo import NudgeRepo, owner_id
from bot.nudges.scheduler import NudgeService
from bot.nudges.settings import NudgeSettings
from bot.senders import Target
from bot.store import Store
from knowledge.schema import KnowledgeBase

CREATED = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # Thursday 21:00 in Tokyo
DUE = datetime(2026, 11, 27, 0, 5, tzinfo=UTC)  # Friday 09:05 in Tokyo
SLOT = "2026-11-27T00:00:00+00:00"
QUICK = NudgeSettings(retry_delay=0.01, attempts=4)


def slack_sender(fake: FakeSlack) -> SlackSender:
    return SlackSender(make_client(SlackSettings("xoxb-test", "s", None, fake.url), rate_limit_retries=0))


def subscribe(store: Store, platform: str, conversation: str, kind: str = "user") -> int:
    with time_machine.travel(CREATED, tick=False):
        sub, _ = NudgeRepo(store).subscribe(platform=platform, conversation=conversation, user_id="U1", kind=kind,
                                            schedule="daily 09:00", tz="Asia/Tokyo", lang="ja")
    return sub.id


async def test_a_tip_in_slack_carries_its_buttons_and_delivery_key(kb: KnowledgeBase, store: Store, fake: FakeSlack) -> None:
    subscribe(store, "slack", "D1")
    summary = await NudgeService(kb, store, QUICK, {"slack": slack_sender(fake)}).run_due(DUE)
    assert (summary.sent, summary.failed) == (1, 0)
    [post] = fake.posted
    assert post["channel"] == "D1" and post["text"].startswith("今日のヒント")
    assert post["metadata"] == {"event_type": "dx10_nudge", "event_payload": {"key": f"1:{SLOT}"}}
    labels = [e["text"]["text"] for b in post["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["詳しく見る", "1問クイズに挑戦"]


async def test_429_pauses_then_delivers_once_after_retry_after(kb: KnowledgeBase, store: Store, fake: FakeSlack) -> None:
    subscribe(store, "slack", "D1")
    fake.fail_next(1, status=429, retry_after=1, method="chat.postMessage")
    summary = await NudgeService(kb, store, QUICK, {"slack": slack_sender(fake)}).run_due(DUE)
    assert summary.sent == 1
    limited, delivered = fake.calls_to("chat.postMessage", ok_only=False)
    assert (limited.status, delivered.status) == (429, 200)
    assert delivered.at - limited.at >= 1.0
    assert len(fake.posted) == 1


async def test_5xx_is_retried_with_backoff_and_a_lasting_failure_is_retried_next_run(
    kb: KnowledgeBase, store: Store, fake: FakeSlack
) -> None:
    subscribe(store, "slack", "D1")
    nudges = NudgeService(kb, store, NudgeSettings(retry_delay=0.01, attempts=2), {"slack": slack_sender(fake)})
    # The client itself retries a 500 twice; two attempts of three calls each all fail.
    fake.fail_next(6, status=500, method="chat.postMessage")
    first = await nudges.run_due(DUE)
    assert (first.sent, first.failed) == (0, 1) and fake.posted == []
    [row] = NudgeRepo(store).deliveries()
    assert row["status"] == "failed" and row["reason"] == "internal_error"
    second = await nudges.run_due(DUE + timedelta(minutes=10))
    assert (second.due, second.sent) == (1, 1) and len(fake.posted) == 1
    assert NudgeRepo(store).deliveries()[0]["attempts"] == 2


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel"])
async def test_a_removed_channel_deactivates_the_subscription_with_the_reason(
    kb: KnowledgeBase, store: Store, fake: FakeSlack, error: str
) -> None:
    sub_id = subscribe(store, "slack", "C9", kind="channel")
    fake.error_next("chat.postMessage", error)
    nudges = NudgeService(kb, store, QUICK, {"slack": slack_sender(fake)})
    summary = await nudges.run_due(DUE)
    assert (summary.failed, summary.deactivated) == (1, [{"id": sub_id, "platform": "slack", "conversation": "C9",
                                                          "reason": f"target gone: {error}"}])
    assert len(fake.calls_to("chat.postMessage")) == 1  # not retried
    sub = NudgeRepo(store).get(sub_id)
    assert sub and not sub.active and sub.deactivated_reason == f"target gone: {error}"
    assert (await nudges.run_due(DUE + timedelta(days=3))).due == 0  # never tried again


async def test_after_a_crash_mid_send_slack_history_tells_whether_the_tip_arrived(
    kb: KnowledgeBase, store: Store, fake: FakeSlack
) -> None:
    subscribe(store, "slack", "D1")
    subscribe(store, "slack", "D2")
    sender = slack_sender(fake)
    repo = NudgeRepo(store)
    ghost = "pid:999999999@" + owner_id().split("@")[1]  # no such process
    nudges = NudgeService(kb, store, QUICK, {"slack": sender})
    # D1's tip reached Slack before the process died; D2's never left.
    for sub_id in (1, 2):
        assert repo.claim(sub_id, SLOT, nudges.next_tip(repo.get(sub_id)).id, owner=ghost) is not None  # type: ignore[arg-type]
    reply = tipbook.render(kb, nudges.next_tip(repo.get(1)), "ja")  # type: ignore[arg-type]
    assert (await sender.send(Target("slack", "D1"), replace(reply, meta={"nudge": f"1:{SLOT}"}))).ok
    summary = await nudges.run_due(DUE)
    assert (summary.due, summary.sent) == (2, 2)
    assert sorted(p["channel"] for p in fake.posted) == ["D1", "D2"]
    assert len(fake.calls_to("conversations.history")) == 2


async def test_the_channel_creator_may_subscribe_a_slack_channel(kb: KnowledgeBase, store: Store, fake: FakeSlack) -> None:
    fake.creators["C5"] = "UCREATOR"
    bot = build_assistant(kb, store, {})
    service = nudge_service(bot.features)
    assert service is not None
    service.senders["slack"] = slack_sender(fake)
    [denied] = await bot.handle(Incoming("slack", "UOTHER", "C5", text="subscribe", direct=False))
    assert "creator" in denied.fallback
    [ok] = await bot.handle(Incoming("slack", "UCREATOR", "C5", text="subscribe weekly thu 15:00", direct=False))
    assert "subscribed" in ok.fallback
    assert [(s.conversation, s.kind, s.schedule) for s in NudgeRepo(store).all()] == [("C5", "channel", "weekly thu 15:00")]


# -- Teams ---------------------------------------------------------------------------------------------


@pytest.fixture
async def teams(assistant: Assistant) -> AsyncIterator[tuple[FakeConnector, TeamsSender]]:
    """A bot that has seen one personal chat (so its reference is stored), as in test_teams_sender."""
    app = build_app(assistant, {"TEAMS_ALLOW_UNAUTHENTICATED": "1", "DX10_NUDGE_SCHEDULER": "off"})
    async with sender_after_one_chat(app, RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, budget=5.0)) as (connector, sender):
        yield connector, sender


async def test_a_tip_reaches_a_teams_personal_chat(kb: KnowledgeBase, store: Store,
                                                   teams: tuple[FakeConnector, TeamsSender]) -> None:
    connector, sender = teams
    subscribe(store, "teams", "a:personal-1")
    summary = await NudgeService(kb, store, QUICK, {"teams": sender}).run_due(DUE)
    assert summary.sent == 1
    [sent] = connector.delivered()
    assert sent.conversation == "a:personal-1" and sent.text.startswith("今日のヒント")
    # Paced per tenant; the SDK drops conversation.tenantId from stored references, so a
    # single-tenant deployment (the default) shares one group.
    assert sender.group_of(Target("teams", "a:personal-1")) == "teams:default"


@pytest.mark.parametrize(("status", "code"), [(403, "BotNotInConversationRoster"), (404, "ConversationNotFound")])
async def test_a_bot_removed_from_teams_deactivates_the_subscription(
    kb: KnowledgeBase, store: Store, teams: tuple[FakeConnector, TeamsSender], status: int, code: str
) -> None:
    connector, sender = teams
    sub_id = subscribe(store, "teams", "a:personal-1")
    connector.fail_next(status)
    summary = await NudgeService(kb, store, QUICK, {"teams": sender}).run_due(DUE)
    assert summary.failed == 1 and len(connector.calls) == 1
    sub = NudgeRepo(store).get(sub_id)
    assert sub and not sub.active and code in (sub.deactivated_reason or "")


async def test_a_teams_conversation_never_seen_is_gone(kb: KnowledgeBase, store: Store,
                                                       teams: tuple[FakeConnector, TeamsSender]) -> None:
    _, sender = teams
    sub_id = subscribe(store, "teams", "19:unknown@thread.tacv2", kind="channel")
    await NudgeService(kb, store, QUICK, {"teams": sender}).run_due(DUE)
    sub = NudgeRepo(store).get(sub_id)
    assert sub and not sub.active and "no stored conversation reference" in (sub.deactivated_reason or "")
