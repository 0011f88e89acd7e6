"""Proactive messages (nudges, channel quizzes) to Slack: the `Sender` for platform "slack"."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.pages import PageCache
from adapters.slack.render import render_pages
from bot.events import Reply
from bot.senders import SendResult, Target

log = logging.getLogger(__name__)

# Errors that will not go away by retrying: the channel or the bot's access to it is gone.
GONE = frozenset({"channel_not_found", "not_in_channel", "is_archived", "account_inactive"})


def result_of(exc: SlackApiError) -> SendResult:
    """Map a Slack API failure to what the caller should do next."""
    error = str(exc.response.get("error") or "")
    if exc.response.status_code == 429 or error == "ratelimited":
        header = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
        if isinstance(header, list):  # slack_sdk keeps multi-valued headers as lists
            header = header[0] if header else None
        try:
            retry_after = float(header) if header is not None else 1.0
        except ValueError:
            retry_after = 1.0
        return SendResult(False, retry_after=retry_after, error="ratelimited")
    if error in GONE:
        return SendResult(False, gone=error)
    return SendResult(False, error=error or f"HTTP {exc.response.status_code}")


class SlackSender:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, pages: PageCache | None = None) -> None:
        self.client = client
        self.pages = pages

    async def send(self, target: Target, reply: Reply) -> SendResult:
        token = PageCache.new_token()
        pages = render_pages(reply, token)
        if len(pages) > 1 and self.pages is not None:
            self.pages.put(token, pages)
        try:
            # The client's retry handlers already waited out one 429 / 5xx / dropped connection.
            await self.client.chat_postMessage(channel=target.conversation, **pages[0].kwargs())
        except SlackApiError as exc:
            return result_of(exc)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.warning("slack: sending to %s failed: %s", target.conversation, type(exc).__name__)
            return SendResult(False, error=type(exc).__name__)
        return SendResult(True)
