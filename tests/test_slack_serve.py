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

from conftest import start_dx10
from fakes.slack_api import FakeSlack
from fakes.slack_client import SECRET, dm, event_callback, sign
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
