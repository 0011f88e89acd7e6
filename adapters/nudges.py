"""Nudges meet the platforms: the senders for `dx10 serve` (scheduler in-process) and for the CLI."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping

import aiohttp
from aiohttp import web

from adapters.console_sender import ConsoleSender
from adapters.operations import HEARTBEATS_KEY, stop_loop
from adapters.serve import STATUS
from bot.core import Assistant
from bot.nudges.feature import nudge_service
from bot.senders import Sender
from bot.settings import flag

log = logging.getLogger("dx10.nudges")

SCHEDULER = web.AppKey("nudge_scheduler", asyncio.Task)


def _slack_sender(env: Mapping[str, str]) -> Sender | None:
    """A Slack sender of its own: it must not wait out 429s per message (the fan-out pauses for all)."""
    from adapters.slack.app import make_client
    from adapters.slack.config import read_settings
    from adapters.slack.sender import SlackSender

    settings = read_settings(env)
    if settings is None:
        return None
    client = make_client(settings, rate_limit_retries=0)
    client.session = aiohttp.ClientSession()
    return SlackSender(client)


async def _close(senders: Mapping[str, Sender]) -> None:
    client = getattr(senders.get("slack"), "client", None)
    session = getattr(client, "session", None)
    if session is not None:
        await session.close()


def attach(app: web.Application, assistant: Assistant, env: Mapping[str, str]) -> bool:
    """Run the nudge scheduler inside `dx10 serve` (unless DX10_NUDGE_SCHEDULER=off)."""
    service = nudge_service(assistant.features)
    if not flag(env, "DX10_NUDGE_SCHEDULER", True) or service is None:
        return False

    async def start(app: web.Application) -> None:
        service.senders["console"] = ConsoleSender.from_env(env)
        if slack := _slack_sender(env):
            service.senders["slack"] = slack
        if "teams" in app[STATUS]["adapters"]:
            from adapters.teams.endpoint import TEAMS_SENDER

            service.senders["teams"] = app[TEAMS_SENDER]
        app[SCHEDULER] = asyncio.create_task(service.run_forever(app[HEARTBEATS_KEY]))

    async def stop(app: web.Application) -> None:
        await stop_loop(app, SCHEDULER, "nudges")
        await _close(service.senders)

    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    return True


@contextlib.asynccontextmanager
async def cli_senders(assistant: Assistant, env: Mapping[str, str]) -> AsyncIterator[dict[str, Sender]]:
    """Senders for a one-off run (`dx10 nudges run-due`), built from the same settings as `dx10 serve`."""
    senders: dict[str, Sender] = {"console": ConsoleSender.from_env(env)}
    if slack := _slack_sender(env):
        senders["slack"] = slack
    if env.get("MICROSOFT_APP_ID", "").strip() or flag(env, "TEAMS_ALLOW_UNAUTHENTICATED", False):
        from adapters.teams import mount
        from adapters.teams.endpoint import TEAMS_SENDER

        scratch = web.Application()
        if mount(scratch, assistant, env) is not None:
            senders["teams"] = scratch[TEAMS_SENDER]
    try:
        yield senders
    finally:
        await _close(senders)
