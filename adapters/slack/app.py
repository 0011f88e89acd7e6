"""Bolt ⇄ core: Slack events, commands and button presses in, Block Kit messages out.

Translation only. What to answer is the core's job; this module decides where the answer goes
(DM, thread, ephemeral) and keeps Slack's delivery quirks (retries, self-echoes, 3-second
acks) away from it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.operations import HEARTBEATS_KEY
from adapters.serve import STATUS, ConfigError
from adapters.slack.config import SlackSettings
from adapters.slack.incoming import to_plain
from adapters.slack.pages import SlackPages
from adapters.slack.render import ACTION_PREFIX, MORE_PREFIX, Message, home_view, render_pages
from adapters.slack.signature import is_signed
from bot import answers
from bot.core import Assistant
from bot.events import Incoming, Reply
from bot.health import Heartbeats
from bot.matcher import Match
from bot.nudges.feature import home_lines, nudge_service

log = logging.getLogger("dx10.slack")

PLATFORM = "slack"
PATH = "/slack/events"
COMMAND = "/dx10"
# What the app manifest must grant; tests check deploy/slack/*.yaml against these.
BOT_EVENTS = ("app_mention", "message.im", "app_home_opened")
SCOPES = {
    "app_mentions:read": "app_mention events",
    "chat:write": "chat.postMessage / chat.postEphemeral",
    "commands": COMMAND,
    "im:history": "message.im events",
    "im:write": "conversations.open, to answer App Home buttons in the app's DM",
    "channels:read": "conversations.info: a channel's creator may subscribe it to nudges",
}
HELP_VALUE = answers.encode(Match("help"))
TOKEN_CHECK_SECONDS = 10.0  # the start-up auth.test; longer, and Slack counts as unreachable
TOKEN_RECHECK_EVERY = 60.0  # while Slack could not be asked: how often to ask again
# auth.test answers that say nothing about the token: Slack is busy or down, ask again later.
_TRANSIENT = frozenset({"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"})
SOCKET_CHECK_NAME = "slack-socket-mode"
SOCKET_CONNECT_GRACE = 60.0  # /healthz: seconds allowed for the first Socket Mode connect
SOCKET_DOWN_AFTER = 30.0  # then: seconds a connection may be down before /healthz reports it dead
SOCKET_WATCH_EVERY = 1.0  # how often the watcher looks at the connection (it beats while it is up)
DEDUP_TTL = 3600.0  # Slack retries an event for about five minutes; an hour leaves room for restarts
# postEphemeral fails where the bot is not a member; the slash command's response_url still works there.
_EPHEMERAL_FALLBACK = frozenset({"channel_not_found", "not_in_channel"})
_ANSWERED_SUBTYPES = frozenset({None, "file_share"})  # a person's message; edits, deletes, joins are not


def _well_formed(body: object) -> bool:
    """The shapes Bolt's middleware assumes without checking (it answers 500 otherwise)."""
    if not isinstance(body, dict):
        return False
    objects = ("event", "user", "team", "channel", "container", "message", "enterprise", "view")
    if any(body.get(key) is not None and not isinstance(body[key], dict) for key in objects):
        return False
    actions = body.get("actions", [])
    return isinstance(actions, list) and all(isinstance(a, dict) for a in actions)


def make_client(settings: SlackSettings, rate_limit_retries: int = 2) -> AsyncWebClient:
    """The Web API client; it waits out 429 (Retry-After), 500/503 and dropped connections itself.

    A fan-out (nudges) passes rate_limit_retries=0: it pauses all its senders on a 429 instead.
    """
    handlers = [AsyncConnectionErrorRetryHandler(max_retry_count=2), AsyncServerErrorRetryHandler(max_retry_count=2)]
    if rate_limit_retries:
        handlers.insert(1, AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries))
    return AsyncWebClient(token=settings.bot_token, base_url=settings.api_url, retry_handlers=handlers)


def _bolt_logger() -> logging.Logger:
    """Bolt's logger (the Socket Mode client's too), minus one warning at every start: Bolt reads
    SLACK_BOT_TOKEN from the environment itself and says the client (built from that same token)
    wins over it. A network error keeps its one line but loses its traceback: while Slack cannot be
    reached, Socket Mode retries every few seconds, and a 4 KB traceback each time filled the log."""
    logger = logging.getLogger("dx10.slack.bolt")
    if not logger.filters:
        skipped = warning_client_prioritized_and_token_skipped()
        logger.addFilter(lambda record: record.getMessage() != skipped)
        logger.addFilter(_without_network_traceback)
    return logger


def _without_network_traceback(record: logging.LogRecord) -> bool:
    error = record.exc_info[1] if record.exc_info else None
    if isinstance(error, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
        record.exc_info, record.exc_text = None, None
    return True


@dataclass(frozen=True)
class Where:
    """Where an answer goes."""

    channel: str | None  # None: the user's DM with the app, opened on demand
    user: str
    thread_ts: str | None = None
    ephemeral: bool = False
    response_url: str | None = None
    message_ts: str | None = None  # the message whose button was pressed (for Reply.replaces)


class SlackBot:
    def __init__(self, assistant: Assistant, settings: SlackSettings) -> None:
        self.assistant = assistant
        self.settings = settings
        self.pages = SlackPages(assistant.store)
        self.client = make_client(settings)
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.signing_secret or "",
            # Socket Mode traffic is authenticated by the app token's WebSocket, not signatures.
            request_verification_enabled=not settings.socket_mode,
            logger=_bolt_logger(),
        )
        self.socket: AsyncSocketModeHandler | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._watching: asyncio.Task[None] | None = None
        self._rechecking: asyncio.Task[None] | None = None
        self._register()

    def _register(self) -> None:
        bolt = self.bolt
        bolt.event("app_mention")(self._on_mention)
        bolt.event("message")(self._on_message)
        bolt.event("app_home_opened")(self._on_home)
        bolt.command(COMMAND)(self._on_command)
        bolt.action(re.compile("^" + ACTION_PREFIX))(self._on_action)
        # Registered last: Bolt answers 404 to anything unmatched, and Slack counts 404s against the app.
        bolt.event(re.compile(".*"))(self._ignore)
        bolt.action(re.compile(".*"))(self._ack_only)
        bolt.error(self._on_error)

    # -- lifecycle --------------------------------------------------------------------------

    async def start(self, app: web.Application) -> None:
        # One pooled session for all Web API calls, created inside the running loop.
        self.client.session = aiohttp.ClientSession()
        await self._check_token(app)
        # Each message's log row and seen event id are written once per loop pass (bot/writebehind.py).
        self.assistant.store.later.enable(asyncio.get_running_loop())
        if self.settings.socket_mode:
            self.socket = AsyncSocketModeHandler(self.bolt, self.settings.app_token, web_client=self.client)
            # In the background: the SDK keeps retrying until Slack answers, and startup must not hang.
            self._connecting = asyncio.create_task(self.socket.connect_async())
            if (heartbeats := app.get(HEARTBEATS_KEY)) is not None:
                self._watching = asyncio.create_task(self._watch_socket(heartbeats))

    async def _auth_test(self) -> tuple[str, str]:
        """("ok", who) | ("refused", Slack's error) | ("unreachable", why): what Slack says of the token."""
        try:
            auth = await asyncio.wait_for(self.client.auth_test(), TOKEN_CHECK_SECONDS)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
            if exc.response.status_code >= 500 or exc.response.status_code == 429 or error in _TRANSIENT:
                return "unreachable", error
            return "refused", error
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            return "unreachable", _reason(exc)
        return "ok", f"{auth.get('user')} ({auth.get('user_id')}) in {auth.get('team')} ({auth.get('team_id')})"

    def _refused(self, error: str) -> str:
        return (f"Slack refused SLACK_BOT_TOKEN ({error}): the token is wrong or was revoked; copy the Bot User "
                "OAuth Token (xoxb-…) from the app's OAuth & Permissions page")

    async def _check_token(self, app: web.Application) -> None:
        """auth.test before serving: a refused token stops `dx10 serve` with one line (exit 2).

        Slack being unreachable does not: a network blip at start-up must not keep dx10 down (and
        restarting would not help). It is logged, and asked again every minute until Slack answers.
        """
        verdict, detail = await self._auth_test()
        if verdict == "refused":
            if self.client.session is not None:  # the start stops here: no cleanup will close it
                await self.client.session.close()
            raise ConfigError(self._refused(detail))
        if verdict == "ok":
            log.info("slack: signed in as %s", detail)
            return
        log.warning("slack: cannot reach the Slack API at %s to check the token (%s); serving anyway, and asking "
                    "again every %d s", self.settings.api_url, detail, TOKEN_RECHECK_EVERY)
        self._rechecking = asyncio.create_task(self._recheck_token(app))

    async def _recheck_token(self, app: web.Application) -> None:
        while True:
            await asyncio.sleep(TOKEN_RECHECK_EVERY)
            verdict, detail = await self._auth_test()
            if verdict == "ok":
                log.info("slack: the Slack API answers again; signed in as %s", detail)
                return
            if verdict == "refused":
                message = self._refused(detail)
                log.error("slack: %s; Slack messages cannot be answered until it is fixed", message)
                if (status := app.get(STATUS)) is not None:
                    status.setdefault("warnings", []).append(f"slack: {message}")  # shown by /healthz
                return

    async def _on_error(self, error: Exception) -> None:
        """Bolt's error handler: one ERROR line; a traceback only for what is not the network."""
        if isinstance(error, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
            log.error("slack: cannot reach the Slack API at %s (%s): the event was not answered (Slack retries it)",
                      self.settings.api_url, _reason(error))
        else:
            log.error("slack: handling an event failed", exc_info=error)

    async def _watch_socket(self, heartbeats: Heartbeats) -> None:
        """/healthz: the Socket Mode connection beats while it is up, so a lost one turns the probe red."""
        heartbeats.beat(SOCKET_CHECK_NAME, every=SOCKET_WATCH_EVERY, dead_after=SOCKET_CONNECT_GRACE)
        while self.socket is not None:
            connection = self.socket.client  # the Socket Mode client (not the Web API client)
            if await connection.is_connected():  # the WebSocket's local state: no network call
                heartbeats.beat(SOCKET_CHECK_NAME, every=SOCKET_WATCH_EVERY, dead_after=SOCKET_DOWN_AFTER)
            await asyncio.sleep(SOCKET_WATCH_EVERY)

    async def stop(self, app: web.Application) -> None:
        for task in (self._connecting, self._watching, self._rechecking):
            if task is not None and not task.done():
                task.cancel()
        if (heartbeats := app.get(HEARTBEATS_KEY)) is not None:
            heartbeats.forget(SOCKET_CHECK_NAME)
        if self.socket is not None:
            await self.socket.close_async()
        if self.client.session is not None:
            await self.client.session.close()
        self.assistant.store.later.disable()  # writes what the last pass queued

    # -- HTTP endpoint ----------------------------------------------------------------------

    async def http_endpoint(self, request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            bolt_request = AsyncBoltRequest(body=raw.decode("utf-8"), query=request.query_string, headers=dict(request.headers))
            if not _well_formed(bolt_request.body):
                raise ValueError("unexpected shape")
        except (ValueError, AttributeError, TypeError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            # Bolt cannot parse it and would answer 500; still refuse unsigned requests before saying "malformed".
            if not is_signed(self.settings.signing_secret or "", request.headers, raw):
                return web.Response(status=401)
            log.warning("slack: malformed request body (%s)", type(exc).__name__)
            return web.Response(status=400, text="malformed request body")
        response = await self.bolt.async_dispatch(bolt_request)
        if response.status == 404:  # a verified request of a kind we do not handle: acknowledge, ignore
            return web.Response(status=200)
        return await to_aiohttp_response(response)

    # -- listeners --------------------------------------------------------------------------

    async def _on_message(self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        # Only DMs: channel messages reach the bot as app_mention, even if someone subscribes message.channels.
        if event.get("channel_type") != "im" or not self._from_a_person(event, context) or not self._first(body):
            return
        channel, user = str(event["channel"]), str(event["user"])
        if self.assistant.store.conversation(PLATFORM, channel) is None:  # where nudges can reach this person later
            self.assistant.store.save_conversation(PLATFORM, channel, {"channel": channel, "user": user, "team": body.get("team_id")})
        where = Where(channel, user, thread_ts=event.get("thread_ts"))
        await self._answer(self._incoming(user, channel, str(event.get("text") or ""), direct=True), where)

    async def _on_mention(self, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        if not self._from_a_person(event, context) or not self._first(body):
            return
        channel, user = str(event["channel"]), str(event["user"])
        where = Where(channel, user, thread_ts=event.get("thread_ts") or event.get("ts"))
        await self._answer(self._incoming(user, channel, str(event.get("text") or ""), direct=False), where)

    async def _on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()  # inside Slack's 3-second window; the answer follows as an ephemeral message
        user, channel = str(command.get("user_id") or ""), str(command.get("channel_id") or "")
        if not user or not channel:
            return
        where = Where(channel, user, ephemeral=True, response_url=command.get("response_url"))
        direct = channel.startswith("D")
        await self._answer(self._incoming(user, channel, str(command.get("text") or ""), direct=direct), where)

    async def _on_action(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()  # first, so the press never shows "this app is not responding"
        value = str(action.get("value") or "")
        user = str((body.get("user") or {}).get("id") or "")
        if not value or not user:
            return
        where = self._where_for_action(body, user)
        if value.startswith(MORE_PREFIX):
            page = self.pages.get(value)
            if page is None:
                await self._deliver_reply(answers.simple("error.button", self._lang(user)), where)
            else:
                await self._deliver(page, where)
            return
        conversation = where.channel or user
        name = (body.get("user") or {}).get("name")  # for leaderboards; Slack sends it with every press
        replies = await self.assistant.handle(Incoming(PLATFORM, user, conversation, value=value,
                                                       direct=conversation.startswith("D"), name=name))
        if value.startswith("fb:") and not replies:
            replies = [answers.simple("feedback.thanks", self._lang(user))]
            where = Where(where.channel, user, ephemeral=True, response_url=where.response_url) if where.channel else where
        for reply in replies:
            await self._deliver_reply(reply, where)
        if value.startswith("lang:") and (body.get("container") or {}).get("type") == "view":
            await self._publish_home(user)  # the Home tab itself switches language too

    async def _on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab") == "home" and event.get("user"):
            await self._publish_home(str(event["user"]))

    async def _ignore(self) -> None:
        """Events nobody asked for (e.g. a manifest with extra subscriptions): acknowledged, dropped."""

    async def _ack_only(self, ack: AsyncAck) -> None:
        await ack()

    # -- translation helpers --------------------------------------------------------------

    @staticmethod
    def _from_a_person(event: dict[str, Any], context: AsyncBoltContext) -> bool:
        """False for our own messages, other bots, edits/deletes/joins: no loops, no double answers."""
        user = event.get("user")
        return (
            event.get("subtype") in _ANSWERED_SUBTYPES
            and not event.get("bot_id")
            and bool(user)
            and user != context.bot_user_id
        )

    def _first(self, body: dict[str, Any]) -> bool:
        """Slack re-sends an event it thinks timed out; answer each event_id once, across restarts too."""
        event_id = body.get("event_id")
        return not event_id or self.assistant.store.first_sighting(PLATFORM, str(event_id), ttl=DEDUP_TTL)

    @staticmethod
    def _incoming(user: str, channel: str, text: str, direct: bool) -> Incoming:
        plain = to_plain(text)
        if not plain:
            # "/dx10" alone or only "@dx10": the person wants to know what the bot can do.
            return Incoming(PLATFORM, user, channel, value=HELP_VALUE, direct=direct)
        return Incoming(PLATFORM, user, channel, text=plain, direct=direct)

    @staticmethod
    def _where_for_action(body: dict[str, Any], user: str) -> Where:
        container = body.get("container") or {}
        channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
        if container.get("type") == "view" or not channel:
            return Where(None, user)  # App Home: answer in the app's DM
        if container.get("is_ephemeral"):
            return Where(channel, user, ephemeral=True, response_url=body.get("response_url"))
        message = body.get("message") or {}
        return Where(channel, user, thread_ts=message.get("thread_ts") or container.get("thread_ts"),
                     response_url=body.get("response_url"), message_ts=message.get("ts") or container.get("message_ts"))

    def _lang(self, user: str) -> str:
        store = self.assistant.store
        return store.user_lang(PLATFORM, user) or store.recent_lang(PLATFORM, user) or "ja"

    # -- output -------------------------------------------------------------------------------

    async def _answer(self, incoming: Incoming, where: Where) -> None:
        for reply in await self.assistant.handle(incoming):
            await self._deliver_reply(reply, where)

    async def _deliver_reply(self, reply: Reply, where: Where) -> None:
        pages = render_pages(reply)
        if len(pages) > 1:  # rare: only then is a token for the "more" buttons worth drawing
            token = SlackPages.new_token()
            pages = render_pages(reply, token)
            self.pages.put(token, pages)
        if reply.replaces and await self._replace(pages[0], where):
            return
        await self._deliver(pages[0], _hinted(reply, where))

    async def _replace(self, message: Message, where: Where) -> bool:
        """Update the message the button was on; False when it cannot be (then a new message is sent)."""
        try:
            if where.ephemeral and where.response_url:  # ephemeral messages have no ts to update
                webhook = AsyncWebhookClient(where.response_url, session=self.client.session)
                await webhook.send(replace_original=True, **message.kwargs())
                return True
            if where.channel and where.message_ts:
                await self.client.chat_update(channel=where.channel, ts=where.message_ts, **message.kwargs())
                return True
        except SlackApiError as exc:
            log.warning("slack: could not update a message in %s: %s", where.channel, exc.response.get("error"))
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.warning("slack: could not reach the Slack API: %s", type(exc).__name__)
        return False

    async def _deliver(self, message: Message, where: Where) -> None:
        try:
            if where.ephemeral and where.channel:
                await self._ephemeral(message, where)
                return
            channel = where.channel or await self._dm(where.user)
            await self.client.chat_postMessage(channel=channel, thread_ts=where.thread_ts, **message.kwargs())
        except SlackApiError as exc:
            # Slack refused (e.g. the bot was removed from the channel): nobody to tell but the log, no traceback.
            log.warning("slack: could not deliver an answer to %s: %s", where.channel or where.user, exc.response.get("error"))
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.error("slack: cannot reach the Slack API at %s (%s): an answer to %s was not delivered",
                      self.settings.api_url, _reason(exc), where.channel or where.user)

    async def _ephemeral(self, message: Message, where: Where) -> None:
        if where.channel is None:  # callers check; an ephemeral message needs a channel
            return
        try:
            await self.client.chat_postEphemeral(channel=where.channel, user=where.user, **message.kwargs())
        except SlackApiError as exc:
            if exc.response.get("error") not in _EPHEMERAL_FALLBACK or not where.response_url:
                raise
            webhook = AsyncWebhookClient(where.response_url, session=self.client.session)
            await webhook.send(response_type="ephemeral", replace_original=False, **message.kwargs())

    async def _dm(self, user: str) -> str:
        opened = await self.client.conversations_open(users=user)
        return str(opened["channel"]["id"])

    async def _publish_home(self, user: str) -> None:
        lang = self._lang(user)
        progress = next((p for f in self.assistant.features if (home := getattr(f, "home_progress", None))
                         and (p := home(PLATFORM, user, lang))), None)
        try:
            service = nudge_service(self.assistant.features)
            subscriptions = home_lines(service, PLATFORM, user, lang) if service is not None else None
            view = home_view(self.assistant.kb, lang, subscriptions, progress=progress)
            await self.client.views_publish(user_id=user, view=view)
        except SlackApiError as exc:
            log.warning("slack: could not publish the Home tab for %s: %s", user, exc.response.get("error"))
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.warning("slack: could not reach the Slack API: %s", type(exc).__name__)



def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _hinted(reply: Reply, where: Where) -> Where:
    """Apply the reply's delivery hints: private → ephemeral in a channel; public → in the channel itself."""
    in_channel = bool(where.channel) and not str(where.channel).startswith("D")
    if reply.private and in_channel and not where.ephemeral:
        return Where(where.channel, where.user, ephemeral=True, response_url=where.response_url)
    if reply.public and where.channel and (where.ephemeral or where.thread_ts):
        # e.g. a channel quiz started with a private slash command or in a mention's thread
        return Where(where.channel, where.user)
    return where
