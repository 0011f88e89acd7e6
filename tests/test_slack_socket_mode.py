"""Socket Mode: no public URL; dx10 dials the fake's WebSocket, acks envelopes and answers over the Web API."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path

import pytest

from bot.health import Heartbeats
from knowledge.schema import KnowledgeBase

from fakes.slack_api import BOT_USER, FakeSlack
from fakes.slack_client import block_actions, buttons_of, dm, event_callback, header, mention, running_dx10, slash
from fakes.slack_client import fake  # noqa: F401  (pytest fixture)


def socket_env(fake: FakeSlack) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_APP_TOKEN": "xapp-1-A0001-test", "SLACK_API_URL": fake.url}


async def test_socket_mode_acks_envelopes_and_answers(kb: KnowledgeBase, tmp_path: Path, fake: FakeSlack) -> None:
    async with running_dx10(kb, tmp_path / "socket.db", socket_env(fake)) as dx10:
        await fake.wait_until(lambda: bool(fake.sockets), what="dx10 to open the Socket Mode connection")
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.headers["Authorization"] == "Bearer xapp-1-A0001-test"

        async def socket_health() -> dict[str, object]:
            async with dx10.session.get(dx10.base + "/healthz") as response:
                assert response.status == 200
                return (await response.json())["scheduler"]["slack-socket-mode"]

        # Past the first connect (60 s allowed): /healthz has seen the connection up, and would turn
        # red 30 s after it goes down (README "Run it in Slack").
        deadline = time.monotonic() + 5
        while (health := await socket_health())["dead_after"] != 30.0:
            assert health["dead_after"] == 60.0, health
            assert time.monotonic() < deadline, health
            await asyncio.sleep(0.05)  # polling interval, not an assertion
        assert health["alive"] is True

        event = dm("第3条のKPI例")
        envelope = await fake.send_envelope("events_api", event_callback(event, "EvSOCKET1"))
        assert (await fake.wait_ack(envelope)) == {"envelope_id": envelope}
        [post] = await fake.wait_for("chat.postMessage")
        assert post["channel"] == "D1" and header(post).startswith("#3")

        # Slack re-delivers an envelope it thinks was lost: acked again, answered once.
        again = await fake.send_envelope("events_api", event_callback(event, "EvSOCKET1"), retry_attempt=1)
        await fake.wait_ack(again)

        command = await fake.send_envelope("slash_commands", slash("", channel="C1"))
        await fake.wait_ack(command)
        [help_] = await fake.wait_for("chat.postEphemeral")
        assert header(help_) == "dx10の使い方"

        kpi = next(b for b in buttons_of(post["blocks"]) if b["value"].startswith("ask:principle:3:actions"))
        press = await fake.send_envelope("interactive", block_actions(kpi))
        await fake.wait_ack(press)
        mentioned = await fake.send_envelope("events_api", event_callback(mention(f"<@{BOT_USER}> 第8条")))
        await fake.wait_ack(mentioned)
        posts = await fake.wait_for("chat.postMessage", 3)
        assert sorted(header(p)[:2] for p in posts) == ["#3", "#3", "#8"]
        assert dx10.assistant.store.db.execute("select count(*) from seen_events").fetchone()[0] == 2

        # Slack rotates connections: dx10 must fetch a new URL, reconnect and keep answering.
        await fake.refresh()
        await fake.wait_until(lambda: fake.sockets_accepted == 2, what="a reconnect")
        assert fake.socket_connects == 2
        later = await fake.send_envelope("events_api", event_callback(dm("第10条")))
        await fake.wait_ack(later)
        *_, last = await fake.wait_for("chat.postMessage", 4)
        assert header(last).startswith("#10")
    assert fake.sockets == []  # dx10 closed its WebSocket on shutdown


async def test_while_slack_is_unreachable_socket_mode_has_60_s_and_logs_no_tracebacks(
        kb: KnowledgeBase, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}/api/"  # bound, never listening: refused
        env = {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_APP_TOKEN": "xapp-1-A0001-test", "SLACK_API_URL": nowhere}
        async with running_dx10(kb, tmp_path / "socket.db", env) as dx10:
            async with dx10.session.get(dx10.base + "/healthz") as response:
                check = (await response.json())["scheduler"]["slack-socket-mode"]
            assert response.status == 200 and check["alive"] and check["dead_after"] == 60.0
            deadline = time.monotonic() + 20
            while not (failed := [r for r in caplog.records if r.name == "dx10.slack.bolt"
                                  and "Failed to connect" in r.getMessage()]):
                assert time.monotonic() < deadline, "Socket Mode never said it could not connect"
                await asyncio.sleep(0.1)  # polling interval, not an assertion
    # One line per retry that says why, without the 4 KB traceback that used to follow it.
    assert "Cannot connect to host 127.0.0.1" in failed[0].getMessage() and failed[0].exc_info is None


def test_a_check_with_its_own_deadline_is_dead_just_after_it() -> None:
    beats = Heartbeats()
    beats.beat("slack-socket-mode", every=1.0, dead_after=60.0, now=100.0)
    assert beats.status(now=160.0)["slack-socket-mode"]["alive"] is True
    assert beats.status(now=160.5)["slack-socket-mode"]["alive"] is False  # not 2 × 60 + 5 s later
