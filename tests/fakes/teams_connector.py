"""A fake Bot Framework connector (the Teams side of a bot) on a real loopback port.

Tests name it as the `serviceUrl` of the activities they post to the bot's /api/messages, so the
bot's replies come back here. It records every call, answers 413 for a message over Teams'
~100 KB limit and 400 for an Adaptive Card Teams would not draw, and can be told to fail the
next calls with 429 (+ Retry-After), 412, 502, 504, 403 or 404.

`no_internet()` is the other half of "no test needs the internet": while it is active, any DNS
lookup or connection to a non-loopback address fails at once and is recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import json
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = "28:00000000-0000-0000-0000-0000000000b0"
BOT_NAME = "dx10"
USER_ID = "29:user-1"
TENANT = "tenant-1"
MAX_ACTIVITY_BYTES = 100_000
CARD_TYPE = "application/vnd.microsoft.card.adaptive"


@dataclass
class Call:
    method: str
    path: str
    conversation: str | None
    reply_to: str | None
    body: Any
    headers: dict[str, str]
    status: int = 200
    at: float = field(default_factory=time.monotonic)

    @property
    def card(self) -> dict[str, Any] | None:
        for attachment in (self.body or {}).get("attachments") or []:
            if attachment.get("contentType") == CARD_TYPE:
                return attachment.get("content")
        return None

    @property
    def text(self) -> str:
        return (self.body or {}).get("text") or ""


@dataclass
class Failure:
    status: int
    retry_after: str | None
    code: str


def card_problems(activity: dict[str, Any]) -> list[str]:
    """What Teams would refuse or fail to draw in an activity (the subset dx10 can hit)."""
    problems = []
    size = len(json.dumps(activity, ensure_ascii=False).encode("utf-8"))
    if size > MAX_ACTIVITY_BYTES:
        problems.append(f"activity is {size} bytes")
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") != CARD_TYPE:
            continue
        content = attachment.get("content") or {}
        if content.get("type") != "AdaptiveCard" or content.get("version") not in ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5"):
            problems.append("not an Adaptive Card of a version Teams draws")
        for element in _walk(content.get("body") or []):
            kind = element.get("type")
            if kind == "TextBlock" and not isinstance(element.get("text"), str):
                problems.append("TextBlock without text")
            if kind in ("Action.Submit", "Action.Execute") and not element.get("title"):
                problems.append(f"{kind} without title")
            if kind == "Action.Execute" and not element.get("verb"):
                problems.append("Action.Execute without verb")
    return problems


def _walk(elements: list[Any]) -> Iterator[dict[str, Any]]:
    for element in elements:
        if isinstance(element, dict):
            yield element
            yield from _walk(element.get("actions") or [])
            yield from _walk(element.get("items") or [])


class FakeConnector:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: list[Failure] = []
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()
        self.url = ""

    # -- lifecycle ----------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeConnector:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._activity)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._activity)
        app.router.add_route("*", "/{tail:.*}", self._anything_else)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # -- control ------------------------------------------------------------------------------------

    def fail_next(self, status: int, times: int = 1, *, retry_after: str | None = None, code: str = "") -> None:
        default = {429: "TooManyRequests", 412: "PreconditionFailed", 403: "BotNotInConversationRoster",
                   404: "ConversationNotFound"}.get(status, "ServiceError")
        self.failures.extend(Failure(status, retry_after, code or default) for _ in range(times))

    def delivered(self, conversation: str | None = None) -> list[Call]:
        """Activities the connector accepted (what a person would see), oldest first."""
        return [c for c in self.calls if c.status < 300 and c.body is not None
                and (conversation is None or c.conversation == conversation)]

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(self.delivered()) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"expected {count} delivered activities, got {len(self.delivered())}: {self.calls}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return self.delivered()

    # -- the connector API ------------------------------------------------------------------------

    async def _activity(self, request: web.Request) -> web.Response:
        body = await request.json()
        call = Call(request.method, request.path, request.match_info["conversation"],
                    request.match_info.get("reply_to"), body, dict(request.headers))
        self.calls.append(call)
        self._changed.set()
        if self.failures:
            failure = self.failures.pop(0)
            call.status = failure.status
            headers = {"Retry-After": failure.retry_after} if failure.retry_after is not None else {}
            return web.json_response({"error": {"code": failure.code, "message": "fake connector failure"}},
                                     status=failure.status, headers=headers)
        if problems := card_problems(body):
            call.status = 413 if any("bytes" in p for p in problems) else 400
            return web.json_response({"error": {"code": "BadArgument", "message": "; ".join(problems)}},
                                     status=call.status)
        return web.json_response({"id": f"reply-{next(self._ids)}"})

    async def _anything_else(self, request: web.Request) -> web.Response:
        # Recorded so a test sees any call the SDK makes that a real bot should not need here.
        self.calls.append(Call(request.method, request.path, None, None, None, dict(request.headers), status=404))
        self._changed.set()
        return web.json_response({"error": {"code": "NotFound", "message": request.path}}, status=404)

    # -- what Teams would post to the bot ---------------------------------------------------------

    def activity(self, kind: str = "message", *, conversation: str = "a:personal-1", conversation_type: str = "personal",
                 user: str = USER_ID, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": kind,
            "id": f"in-{next(self._ids)}",
            "timestamp": "2025-01-06T09:00:00.000Z",
            "serviceUrl": self.url,
            "channelId": "msteams",
            "from": {"id": user, "name": "Staff Member", "aadObjectId": "aad-" + user},
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "conversation": {"id": conversation, "conversationType": conversation_type, "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}},
            "locale": "ja-JP",
        }
        body.update(fields)
        return body

    def message(self, text: str, **fields: Any) -> dict[str, Any]:
        return self.activity("message", text=text, **fields)

    def channel_message(self, text: str, *, mention: bool = True, **fields: Any) -> dict[str, Any]:
        entities = [{"type": "mention", "mentioned": {"id": BOT_ID, "name": BOT_NAME}, "text": f"<at>{BOT_NAME}</at>"}]
        return self.activity(
            "message",
            text=(f"<at>{BOT_NAME}</at> {text}" if mention else text),
            conversation="19:channel-1@thread.tacv2;messageid=1700000000000",
            conversation_type="channel",
            entities=entities if mention else [],
            channelData={"tenant": {"id": TENANT}, "team": {"id": "19:team-1@thread.tacv2"},
                         "channel": {"id": "19:channel-1@thread.tacv2"}},
            **fields,
        )


# -- no internet -------------------------------------------------------------------------------------

_installed: list[bool] = []
_watchers: list[list[str]] = []  # one list per active no_internet() block


def _loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str) or host in ("", "localhost"):
        return True  # no host (AF_UNIX, passive lookups) or the loopback name
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _watchers:
        return
    if event == "socket.getaddrinfo":
        host = args[0]
    elif event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else None
    else:
        return
    if not _loopback(host):
        for watcher in _watchers:
            watcher.append(f"{event} {host}")
        raise OSError(f"test network guard: refused to reach {host!r} (tests stay on loopback)")


@contextlib.contextmanager
def no_internet() -> Iterator[list[str]]:
    """Refuse every non-loopback lookup or connection inside the block; yields what was refused."""
    if not _installed:
        sys.addaudithook(_audit)  # audit hooks cannot be removed: install once, switch per block
        _installed.append(True)
    refused: list[str] = []
    _watchers.append(refused)
    try:
        yield refused
    finally:
        _watchers.remove(refused)


@contextlib.asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Run an aiohttp application on a loopback port; yields its base URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def sender_after_one_chat(app: web.Application, policy: Any) -> AsyncIterator[tuple[FakeConnector, Any]]:
    """A served dx10 app whose bot has seen one personal chat (so its reference is stored), and its
    TeamsSender with `policy` (a fast RetryPolicy for tests). No request may leave loopback."""
    import aiohttp

    from adapters.teams.endpoint import TEAMS_SENDER

    with no_internet() as refused:
        async with FakeConnector() as connector, serving(app) as url, aiohttp.ClientSession() as http:
            async with http.post(url + "/api/messages", json=connector.message("使い方")) as response:
                assert response.status == 200
            connector.calls.clear()
            sender = app[TEAMS_SENDER]
            sender.policy = policy
            yield connector, sender
    assert refused == []
