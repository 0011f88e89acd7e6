"""POST /api/messages on the shared aiohttp app, in front of botbuilder's CloudAdapter.

The request is checked here before the SDK sees it (CloudAdapter.process answers a missing
Content-Type or a non-JSON body with a 500), authenticated explicitly so that every failure to
prove a Bot Framework token is a 401, and only then run as a turn.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, ActivityTypes

from adapters.serve import Mounted
from adapters.teams.bot import TeamsBot
from adapters.teams.outbound import Outbound
from adapters.teams.paging import Pager
from adapters.teams.sender import TeamsSender
from adapters.teams.settings import UNAUTHENTICATED_WARNING, SdkConfig, TeamsSettings, load
from bot.core import Assistant

log = logging.getLogger("dx10.teams")

PATH = "/api/messages"
HANDLED = frozenset({ActivityTypes.message, ActivityTypes.conversation_update, ActivityTypes.invoke})
# "Bearer <header>.<payload>.<signature>": anything else cannot be a Bot Framework token, and is
# refused before the SDK would go and fetch signing keys for it.
_BEARER_JWT = re.compile(r"^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


class _ClosingCloudAdapter(CloudAdapter):
    """CloudAdapter that closes each turn's connector client.

    The SDK makes a new client (with its own HTTP session) per turn and never closes it, leaving
    its pooled sockets to the garbage collector; a long-running server should not.
    """

    async def run_pipeline(self, context: TurnContext, callback: Any = None) -> Any:
        try:
            return await super().run_pipeline(context, callback)
        finally:
            client = context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY)
            if client is not None:
                await client.__aexit__(None, None, None)


@dataclass
class Endpoint:
    settings: TeamsSettings
    adapter: CloudAdapter
    bot: TeamsBot

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _error(415, "Content-Type must be application/json")
        try:
            body = json.loads(await request.read())
        except ValueError:  # also covers bytes that are not UTF-8
            return _error(400, "the body is not valid JSON")
        if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
            return _error(400, "expected a Bot Framework activity with a \"type\"")
        try:
            activity = Activity().deserialize(body)
        except Exception:  # the SDK's deserializer raises several unrelated types for a malformed field
            return _error(400, "the activity has malformed fields")

        # Unauthenticated mode ignores any token: checking one would send the SDK off to fetch keys.
        auth_header = request.headers.get("Authorization", "") if self.settings.authenticated else ""
        if self.settings.authenticated and not _BEARER_JWT.match(auth_header):
            return _error(401, "a Bot Framework bearer token is required")
        try:
            auth = await self.adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
        except Exception as exc:  # fail closed: whatever stops the token being proven means "no"
            log.warning("refused a Teams request: %s", exc.__class__.__name__)
            return _error(401, "the Bot Framework token was not accepted")

        if activity.type not in HANDLED:
            return web.json_response({"ignored": activity.type}, status=200)
        if not _has_conversation(activity):
            return _error(400, "the activity needs serviceUrl and conversation.id")
        if not self.settings.authenticated and not _is_loopback(activity.service_url):
            # Without authentication anyone could make the bot POST to any serviceUrl.
            return _error(403, "without MICROSOFT_APP_ID only loopback serviceUrls are answered")

        invoke_response = await self.adapter.process_activity(auth, activity, self.bot.on_turn)
        if invoke_response is not None:
            return web.json_response(invoke_response.body, status=invoke_response.status)
        return web.Response(status=200)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _has_conversation(activity: Activity) -> bool:
    url = activity.service_url
    return (isinstance(url, str) and urlsplit(url).scheme in ("http", "https")
            and activity.conversation is not None and bool(activity.conversation.id))


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


TEAMS = web.AppKey("teams", Endpoint)
TEAMS_SENDER = web.AppKey("teams_sender", TeamsSender)


def mount(app: web.Application, assistant: Assistant, env: Mapping[str, str]) -> Mounted | None:
    settings = load(env)
    if settings is None:
        return None
    adapter = _ClosingCloudAdapter(ConfigurationBotFrameworkAuthentication(SdkConfig(settings)))
    bot = TeamsBot(assistant, Outbound(), Pager(assistant.store))
    adapter.on_turn_error = bot.on_error
    endpoint = Endpoint(settings, adapter, bot)
    app[TEAMS] = endpoint
    app[TEAMS_SENDER] = TeamsSender(adapter, bot, assistant.store, settings.app_id)
    app.router.add_post(PATH, endpoint.handle)
    return Mounted("teams", warnings=[] if settings.authenticated else [UNAUTHENTICATED_WARNING])
