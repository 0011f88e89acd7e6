"""Plays Slack's side of /slack/events: real-shaped, signed payloads posted to a running dx10 app."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web

from adapters.serve import build_app
from bot.assembly import build_assistant
from bot.core import Assistant
from bot.store import Store
from knowledge.schema import KnowledgeBase

from fakes.slack_api import BOT_ID, BOT_USER, TEAM, Call, FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
_ids = itertools.count(1)


def sign(body: bytes, timestamp: int | None = None, secret: str = SECRET) -> dict[str, str]:
    """The two headers Slack adds: v0 HMAC-SHA256 over "v0:{timestamp}:{body}"."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def next_ts() -> str:
    return f"1700001000.{next(_ids):06d}"


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "api_app_id": "A0001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": TEAM, "user_id": BOT_USER, "is_bot": True,
                            "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6Im1lc3NhZ2UifQ",
    }


def dm(text: str, user: str = "U1", channel: str = "D1", **extra: Any) -> dict[str, Any]:
    ts = next_ts()
    return {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts,
            "channel_type": "im", "team": TEAM, "client_msg_id": f"m-{ts}"} | extra


def mention(text: str, user: str = "U1", channel: str = "C1", **extra: Any) -> dict[str, Any]:
    ts = next_ts()
    return {"type": "app_mention", "user": user, "text": text, "ts": ts, "event_ts": ts, "channel": channel,
            "team": TEAM, "client_msg_id": f"m-{ts}"} | extra


def slash(text: str, user: str = "U1", channel: str = "C1", response_url: str = "") -> dict[str, str]:
    return {"token": "legacy", "team_id": TEAM, "team_domain": "dx10-test", "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": "staff", "command": "/dx10", "text": text,
            "api_app_id": "A0001", "is_enterprise_install": "false", "response_url": response_url,
            "trigger_id": f"{next(_ids)}.1.abc"}


def block_actions(button: dict[str, Any], *, user: str = "U1", channel: str | None = "D1", message: dict[str, Any] | None = None,
                  container: dict[str, Any] | None = None, response_url: str = "") -> dict[str, Any]:
    """The payload Slack sends when `button` (a Block Kit element dict) is pressed."""
    message = message or {"type": "message", "ts": next_ts(), "bot_id": BOT_ID, "text": "", "blocks": []}
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user, "username": "staff", "name": "staff", "team_id": TEAM},
        "api_app_id": "A0001",
        "token": "legacy",
        "container": container or {"type": "message", "message_ts": message["ts"], "channel_id": channel, "is_ephemeral": False},
        "trigger_id": f"{next(_ids)}.1.abc",
        "team": {"id": TEAM, "domain": "dx10-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "response_url": response_url,
        "actions": [{"action_id": button["action_id"], "block_id": "b1", "text": button["text"], "value": button["value"],
                     "type": "button", "action_ts": str(time.time())}],
        "state": {"values": {}},
    }
    if channel is not None:
        payload["channel"] = {"id": channel, "name": "directmessage" if channel.startswith("D") else "general"}
        payload["message"] = message
    return payload


def buttons_of(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for block in blocks:
        out += [e for e in block.get("elements", []) if e.get("type") == "button"]
        if block.get("accessory", {}).get("type") == "button":
            out.append(block["accessory"])
    return out


@dataclass
class Dx10:
    """A running `dx10 serve` app and a client that speaks to it as Slack does."""

    base: str
    session: aiohttp.ClientSession
    assistant: Assistant
    app: web.Application

    async def post(self, body: bytes, content_type: str, headers: Mapping[str, str] | None = None) -> tuple[int, str]:
        async with self.session.post(f"{self.base}/slack/events", data=body,
                                     headers={"Content-Type": content_type, **(headers or {})}) as resp:
            return resp.status, await resp.text()

    async def signed(self, body: bytes, content_type: str, timestamp: int | None = None, **headers: str) -> tuple[int, str]:
        return await self.post(body, content_type, {**sign(body, timestamp), **headers})

    async def event(self, event: dict[str, Any], event_id: str | None = None, retry_num: int | None = None) -> int:
        body = json.dumps(event_callback(event, event_id)).encode()
        extra = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        status, _ = await self.signed(body, "application/json", **extra)
        return status

    async def command(self, text: str, **kwargs: Any) -> tuple[int, str]:
        return await self.signed(urlencode(slash(text, **kwargs)).encode(), "application/x-www-form-urlencoded")

    async def press(self, payload: dict[str, Any]) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.signed(body, "application/x-www-form-urlencoded")


@asynccontextmanager
async def running_dx10(kb: KnowledgeBase, db: Path | Store, env: Mapping[str, str], *,
                       features: bool = False) -> AsyncIterator[Dx10]:
    """build_app(...) on a real AppRunner/TCPSite on a free loopback port, torn down cleanly.

    `features=True` switches nudges and quizzes on, as `dx10 serve` has them. A Store passed in
    stays open (the caller owns it); a path is opened and closed here.
    """
    store = db if isinstance(db, Store) else Store(db)
    assistant = build_assistant(kb, store, env) if features else Assistant(kb, store)
    app = build_app(assistant, env)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        async with aiohttp.ClientSession() as session:
            yield Dx10(f"http://127.0.0.1:{port}", session, assistant, app)
    finally:
        await runner.cleanup()
        if store is not db:
            store.close()


def http_env(fake: FakeSlack, **extra: str) -> dict[str, str]:
    return {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url, **extra}


# Shared pytest fixtures; test modules import them by name so pytest registers them there.
@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as f:
        yield f


@pytest.fixture
async def dx10(kb: KnowledgeBase, tmp_path: Path, fake: FakeSlack) -> AsyncIterator[Dx10]:
    async with running_dx10(kb, tmp_path / "slack.db", http_env(fake)) as app:
        yield app


def header(call: Call) -> str:
    return next((b["text"]["text"] for b in call["blocks"] if b["type"] == "header"), "")


def all_text(call: Call) -> str:
    """Every visible string of a posted message, to assert on wording wherever it landed."""
    parts = [call["text"]]
    for block in call["blocks"]:
        parts.append(block.get("text", {}).get("text", ""))
        parts += [f["text"] for f in block.get("fields", [])]
        for element in block.get("elements", []):
            text = element.get("text", "")
            parts.append(text if isinstance(text, str) else text.get("text", ""))
    return "\n".join(parts)
