"""`dx10 serve` as a user runs it: the installed command, real env vars, a signed DM, a clean Ctrl-C."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.slack import app as slack_app
from conftest import start_dx10
from knowledge.schema import KnowledgeBase
from fakes.slack_api import FakeSlack
from fakes.slack_client import SECRET, dm, event_callback, http_env, running_dx10, sign
from fakes.slack_client import fake  # noqa: F401  (pytest fixture)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_healthy(session: aiohttp.ClientSession, port: int, proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    """Poll /healthz until the server listens (bounded), failing fast if it exited."""
    deadline = time.monotonic() + 30
    while True:
        try:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as resp:
                return await resp.json()
        except aiohttp.ClientConnectionError:
            if proc.poll() is not None:
                raise AssertionError(f"dx10 serve exited: {proc.stderr.read().decode() if proc.stderr else ''}") from None
            if time.monotonic() > deadline:
                raise AssertionError("dx10 serve did not listen within 30 s") from None
            await asyncio.sleep(0.05)  # polling interval, not an assertion


async def test_dx10_serve_answers_a_dm_and_stops_cleanly(fake: FakeSlack, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-serve", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url,
           "DX10_DB": str(tmp_path / "serve.db")}
    env.pop("SLACK_APP_TOKEN", None)
    proc = start_dx10("serve", "--port", str(port), env=env)
    try:
        async with aiohttp.ClientSession() as session:
            health = await wait_healthy(session, port, proc)
            assert "slack" in health["adapters"] and health["ok"]
            body = json.dumps(event_callback(dm("第3条"))).encode()
            async with session.post(f"http://127.0.0.1:{port}/slack/events", data=body,
                                    headers={"Content-Type": "application/json", **sign(body)}) as resp:
                assert resp.status == 200
            [post] = await fake.wait_for("chat.postMessage", timeout=10)
            assert post["channel"] == "D1"
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
    # A clean start warns only about what the operator must still do (set DX10_SECRET).
    warnings = [line for line in err.decode().splitlines() if "WARNING" in line and "DX10_SECRET" not in line]
    assert warnings == [], warnings
    # One line when it starts (what it serves, where, with which store) and one when it has stopped.
    lines = [line.split(" INFO ", 1)[1] for line in err.decode().splitlines() if " INFO dx10." in line]
    assert "dx10.slack slack: signed in as dx10 (UBOT) in dx10 test (T0001)" in lines
    assert (f"dx10.serve dx10 serving Slack over HTTP (POST /slack/events) on http://127.0.0.1:{port}; dashboard off; "
            f"nudge scheduler on; question texts kept 90 days; store {tmp_path / 'serve.db'}") in lines
    assert lines[-1] == "dx10.serve dx10 serve stopped: every queued write is in the store"


def serve_env(api_url: str, tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "SLACK_BOT_TOKEN": "xoxb-serve", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api_url,
           "DX10_DB": str(tmp_path / "serve.db"), "DX10_SECRET": "serve-test"}
    env.pop("SLACK_APP_TOKEN", None)
    return env


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "account_inactive"])
async def test_dx10_serve_stops_at_once_with_one_line_on_a_refused_token(fake: FakeSlack, tmp_path: Path,
                                                                       error: str) -> None:
    fake.error_next("auth.test", error)
    port = free_port()
    proc = start_dx10("serve", "--port", str(port), env=serve_env(fake.url, tmp_path))
    _, err = await asyncio.to_thread(proc.communicate, timeout=30)  # the fake answers meanwhile
    text = err.decode()
    assert proc.returncode == 2 and "Traceback" not in text, text
    assert text.splitlines()[-1] == (
        f"dx10: Slack refused SLACK_BOT_TOKEN ({error}): the token is wrong or was revoked; copy the Bot User OAuth "
        "Token (xoxb-…) from the app's OAuth & Permissions page")
    assert "dx10 serving" not in text  # it never listened
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


async def test_dx10_serve_starts_while_slack_is_unreachable_and_logs_an_error_per_unanswered_event(
        tmp_path: Path) -> None:
    # Decided: an unreachable Slack does not stop the start (a network blip must not keep dx10 down,
    # and restarting would not help); the token is checked again every minute.
    port = free_port()
    nowhere = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    proc = start_dx10("serve", "--port", str(port), env=serve_env(nowhere, tmp_path))
    try:
        async with aiohttp.ClientSession() as session:
            health = await wait_healthy(session, port, proc)
            assert health["ok"] and "slack" in health["adapters"]
            body = json.dumps(event_callback(dm("第3条"))).encode()
            async with session.post(f"http://127.0.0.1:{port}/slack/events", data=body,
                                    headers={"Content-Type": "application/json", **sign(body)}) as resp:
                assert resp.status == 500  # Slack retries the event later
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = await asyncio.to_thread(proc.communicate, timeout=30)
    text = err.decode()
    assert proc.returncode == 0 and "Traceback" not in text, text
    problems = [line for line in text.splitlines() if " WARNING " in line or " ERROR " in line]
    assert len(problems) == 2, problems
    assert f"WARNING dx10.slack slack: cannot reach the Slack API at {nowhere} to check the token (" in problems[0]
    assert "serving anyway, and asking again every 60 s" in problems[0]
    assert f"ERROR dx10.slack slack: cannot reach the Slack API at {nowhere} (ClientConnectorError" in problems[1]
    assert problems[1].endswith("the event was not answered (Slack retries it)")


async def test_a_token_refused_once_slack_answers_again_shows_in_healthz(kb: KnowledgeBase, tmp_path: Path,
                                                                          fake: FakeSlack,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(slack_app, "TOKEN_RECHECK_EVERY", 0.05)  # a minute in production
    fake.fail_next(3, status=503, method="auth.test")  # down at start-up (the SDK retries twice)
    fake.error_next("auth.test", "token_revoked")  # and then it says the token was revoked
    async with running_dx10(kb, tmp_path / "r.db", http_env(fake)) as dx10:
        deadline = time.monotonic() + 10
        while True:
            async with dx10.session.get(f"{dx10.base}/healthz") as resp:
                health = await resp.json()
            if any("token_revoked" in w for w in health["warnings"]) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.05)
    assert [w for w in health["warnings"] if "Slack refused SLACK_BOT_TOKEN (token_revoked)" in w], health
    assert [r for r in caplog.records if r.levelname == "ERROR" and "token_revoked" in r.getMessage()]
