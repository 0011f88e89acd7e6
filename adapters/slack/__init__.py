"""Slack: DMs, @mentions, /dx10, buttons and App Home, over HTTP (/slack/events) or Socket Mode."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from adapters.serve import Mounted
from adapters.slack.app import PATH, SlackBot
from adapters.slack.config import read_settings
from adapters.slack.sender import SlackSender
from bot.core import Assistant

# For proactive features (nudges, channel quizzes) that need to post without an incoming event.
SLACK_SENDER = web.AppKey("slack_sender", SlackSender)


def mount(app: web.Application, assistant: Assistant, env: Mapping[str, str]) -> Mounted | None:
    settings = read_settings(env)
    if settings is None:
        return None
    bot = SlackBot(assistant, settings)
    app[SLACK_SENDER] = SlackSender(bot.client, bot.pages)
    warnings = []
    if settings.socket_mode:
        if settings.signing_secret:
            warnings.append("slack: Socket Mode is on (SLACK_APP_TOKEN), so SLACK_SIGNING_SECRET is unused and /slack/events is not served")
    else:
        app.router.add_post(PATH, bot.http_endpoint)
    name = "slack-socket-mode" if settings.socket_mode else "slack"
    return Mounted(name, warnings, on_startup=[bot.start], on_cleanup=[bot.stop])
