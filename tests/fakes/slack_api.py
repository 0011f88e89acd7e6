"""A fake Slack Web API (and Socket Mode WebSocket) on a real loopback port.

It records every call, checks Block Kit limits the way Slack does (a message Slack would reject
is answered with `invalid_blocks`), can be told to fail the next calls with 429 + Retry-After or
500, and serves `response_url`s and a Socket Mode endpoint that sends envelopes and records acks.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0001"


@dataclass
class Call:
    method: str  # "chat.postMessage", ..., or "response_url"
    params: dict[str, Any]
    headers: dict[str, str]
    status: int = 200
    at: float = field(default_factory=time.monotonic)

    def __getitem__(self, key: str) -> Any:
        return self.params[key]


@dataclass
class Failure:
    status: int
    retry_after: int | None
    method: str | None


def block_problems(params: dict[str, Any]) -> list[str]:
    """What Slack would reject in a message payload (the subset of limits dx10 can hit)."""
    problems = []
    text, blocks = params.get("text"), params.get("blocks")
    if not text and not blocks:
        problems.append("no text")
    if isinstance(text, str) and len(text) > 40_000:
        problems.append("text > 40000")
    if blocks is None:
        return problems
    if not isinstance(blocks, list) or len(blocks) > 50:
        return problems + ["more than 50 blocks"]
    action_ids = []
    for i, block in enumerate(blocks):
        kind = block.get("type")
        if kind == "header" and not 0 < len(block["text"]["text"]) <= 150:
            problems.append(f"block {i}: header text length {len(block['text']['text'])}")
        if kind == "section":
            if "text" in block and not 0 < len(block["text"]["text"]) <= 3000:
                problems.append(f"block {i}: section text length {len(block['text']['text'])}")
            fields = block.get("fields", [])
            if len(fields) > 10 or any(not 0 < len(f["text"]) <= 2000 for f in fields):
                problems.append(f"block {i}: fields")
            if "text" not in block and not fields:
                problems.append(f"block {i}: empty section")
        if kind == "actions":
            elements = block.get("elements", [])
            if not 0 < len(elements) <= 25:
                problems.append(f"block {i}: {len(elements)} elements")
            for element in elements:
                action_ids.append(element.get("action_id"))
                if not 0 < len(element["text"]["text"]) <= 75:
                    problems.append(f"block {i}: button text length {len(element['text']['text'])}")
                if len(element.get("value", "")) > 2000:
                    problems.append(f"block {i}: button value length")
        if kind == "context" and any(len(e.get("text", "")) > 3000 for e in block.get("elements", [])):
            problems.append(f"block {i}: context text")
    if len(action_ids) != len(set(action_ids)):
        problems.append("duplicate action_id")
    return problems


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.acks: list[dict[str, Any]] = []
        self.sockets: list[web.WebSocketResponse] = []
        self.socket_connects = 0  # apps.connections.open calls
        self.sockets_accepted = 0  # WebSocket handshakes; the newest socket is self.sockets[-1]
        self._failures: list[Failure] = []
        self._errors: dict[str, list[str]] = {}
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.posted: list[dict[str, Any]] = []  # every chat.postMessage Slack accepted (what people see)
        self.creators: dict[str, str] = {}  # channel -> creator, for conversations.info
        self.delay = 0.0  # seconds between doing a Web API call and answering it (a slow Slack)
        self.limited = 0  # calls refused by the rate limit
        self._rate: tuple[float, float, str | None] | None = None
        self._bucket = (0.0, 0.0)  # tokens, last refill (monotonic)

    # -- control --------------------------------------------------------------------------

    def fail_next(self, count: int, status: int = 429, retry_after: int | None = 1, method: str | None = None) -> None:
        """The next `count` calls (to `method`, or any) get `status`; 429s carry Retry-After."""
        self._failures += [Failure(status, retry_after, method) for _ in range(count)]

    def rate_limit(self, per_second: float, burst: float = 1.0, method: str | None = "chat.postMessage") -> None:
        """Refuse calls beyond `per_second` (a token bucket of `burst`) with 429 and Retry-After: 1, like Slack."""
        self._rate = (per_second, burst, method)
        self._bucket = (burst, time.monotonic())

    def _over_limit(self, method: str) -> bool:
        if self._rate is None or self._rate[2] not in (None, method):
            return False
        rate, burst, _ = self._rate
        tokens, last = self._bucket
        now = time.monotonic()
        tokens = min(burst, tokens + (now - last) * rate)
        if tokens < 1.0:
            self._bucket = (tokens, now)
            return True
        self._bucket = (tokens - 1.0, now)
        return False

    def error_next(self, method: str, error: str, count: int = 1) -> None:
        """The next `count` calls to `method` answer HTTP 200 {"ok": false, "error": error}, as Slack does."""
        self._errors.setdefault(method, []).extend([error] * count)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def calls_to(self, method: str, ok_only: bool = True) -> list[Call]:
        return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    async def wait_for(
        self, method: str, count: int = 1, timeout: float = 5.0, where: Callable[[Call], bool] | None = None
    ) -> list[Call]:
        """Poll until `count` successful calls to `method` (matching `where`) arrived; bounded by `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls_to(method) if where is None or where(c)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [(c.method, c.status) for c in self.calls]
                raise AssertionError(f"waited {timeout}s for {count} x {method}, got {len(found)}; calls: {seen}")
            await asyncio.sleep(0.01)

    async def wait_until(self, check: Callable[[], bool], timeout: float = 5.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout}s for {what}")
            await asyncio.sleep(0.01)

    # -- Socket Mode ------------------------------------------------------------------------

    async def send_envelope(self, kind: str, payload: dict[str, Any], retry_attempt: int = 0) -> str:
        """Send a Socket Mode envelope ("events_api", "slash_commands", "interactive") on the open socket."""
        await self.wait_until(lambda: bool(self.sockets), what="a Socket Mode connection")
        envelope_id = str(uuid.uuid4())
        await self.sockets[-1].send_json({
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        })
        return envelope_id

    async def refresh(self) -> None:
        """Ask the client to reconnect, as Slack does every few hours ("refresh_requested")."""
        await self.wait_until(lambda: bool(self.sockets), what="a Socket Mode connection")
        await self.sockets[-1].send_json({"type": "disconnect", "reason": "refresh_requested",
                                          "debug_info": {"host": "fake"}})

    async def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        await self.wait_until(lambda: any(a.get("envelope_id") == envelope_id for a in self.acks), timeout, f"ack of {envelope_id}")
        return next(a for a in self.acks if a.get("envelope_id") == envelope_id)

    # -- server -----------------------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk sends some reads (history) as GET
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        for ws in list(self.sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        raw = await request.text()
        if request.content_type == "application/json":
            params = json.loads(raw or "{}")
        else:
            params = dict(parse_qsl(raw, keep_blank_values=True)) | dict(request.query)
        for key in ("blocks", "view", "attachments"):  # form-encoded calls send these as JSON strings
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params, dict(request.headers))
        self.calls.append(call)
        if self._over_limit(method):
            call.status = 429
            self.limited += 1
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"})
        failure = next((f for f in self._failures if f.method in (None, method)), None)
        if failure is not None:
            self._failures.remove(failure)
            call.status = failure.status
            headers = {"Retry-After": str(failure.retry_after)} if failure.status == 429 and failure.retry_after is not None else {}
            error = "ratelimited" if failure.status == 429 else "internal_error"
            return web.json_response({"ok": False, "error": error}, status=failure.status, headers=headers)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if method == "apps.connections.open":
            if not token.startswith("xapp-"):
                return web.json_response({"ok": False, "error": "not_allowed_token_type"})
            self.socket_connects += 1
            return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket?ticket={uuid.uuid4()}"})
        if not token.startswith("xoxb-"):
            return web.json_response({"ok": False, "error": "not_authed"})
        if self._errors.get(method):
            return web.json_response({"ok": False, "error": self._errors[method].pop(0)})
        answer = self._answer(method, params)
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.json_response(answer)

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"1700000000.{next(self._ts):06d}"
        if method == "auth.test":
            return {"ok": True, "url": "https://dx10-test.slack.com/", "team": "dx10 test", "user": "dx10",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False}
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            if problems := block_problems(params):
                return {"ok": False, "error": "invalid_blocks", "errors": problems}
            if method == "chat.postEphemeral":
                return {"ok": True, "message_ts": ts}
            if method == "chat.postMessage":
                self.posted.append({"channel": params.get("channel"), "ts": ts, "text": params.get("text"),
                                    "blocks": params.get("blocks"), "metadata": params.get("metadata")})
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts", ts),
                    "message": {"type": "message", "bot_id": BOT_ID, "text": params.get("text"), "ts": ts}}
        if method == "views.publish":
            blocks = params.get("view", {}).get("blocks", [])
            if len(blocks) > 100 or block_problems({"blocks": blocks[:50], "text": "x"}):
                return {"ok": False, "error": "invalid_arguments"}
            return {"ok": True, "view": {"id": "V0001", **params.get("view", {})}}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(params.get("users", "")).lstrip("U")}}
        if method == "conversations.info":
            channel = str(params.get("channel", ""))
            info = {"id": channel, "is_im": channel.startswith("D")}
            if channel in self.creators:
                info["creator"] = self.creators[channel]
            return {"ok": True, "channel": info}
        if method == "conversations.history":
            channel, oldest = str(params.get("channel", "")), float(params.get("oldest") or 0)
            messages = [{"type": "message", "ts": m["ts"], "text": m["text"], "metadata": m["metadata"]}
                        for m in reversed(self.posted) if m["channel"] == channel]
            return {"ok": True, "messages": messages, "has_more": False, "oldest": str(oldest)}
        return {"ok": True}

    async def _response_url(self, request: web.Request) -> web.Response:
        params = await self._params(request)
        self.calls.append(Call("response_url", params | {"name": request.match_info["name"]}, dict(request.headers)))
        if problems := block_problems(params):
            return web.Response(status=400, text="invalid_blocks: " + "; ".join(problems))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.sockets.append(ws)
        self.sockets_accepted += 1
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"},
                            "connection_info": {"app_id": "A0001"}})
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self.acks.append(json.loads(msg.data))
        finally:
            self.sockets.remove(ws)
        return ws
