"""Proactive messages (nudges, channel quizzes) to Slack: the `Sender` for platform "slack"."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.pages import SlackPages
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


NUDGE_EVENT = "dx10_nudge"  # message metadata that tags a nudge with its delivery key


class SlackSender:
    platform = "slack"

    def __init__(self, client: AsyncWebClient, pages: SlackPages | None = None) -> None:
        self.client = client
        self.pages = pages

    def group_of(self, target: Target) -> str:
        return "slack"  # one bot token, one workspace: the global rate applies to all channels

    async def confirm(self, target: Target, key: str, since: str) -> bool | None:
        """Whether a nudge tagged `key` is already in the conversation (after a crash mid-send).

        None when Slack cannot tell us (no history scope for the channel, API trouble).
        """
        try:
            oldest = datetime.fromisoformat(since).timestamp() - 60  # clocks differ a little
        except ValueError:
            return None
        try:
            page = await self.client.conversations_history(channel=target.conversation, oldest=f"{oldest:.6f}",
                                                           include_all_metadata=True, limit=200)
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.info("slack: cannot check history of %s: %s", target.conversation, type(exc).__name__)
            return None
        for message in page.get("messages") or []:
            metadata = message.get("metadata") or {}
            if metadata.get("event_type") == NUDGE_EVENT and (metadata.get("event_payload") or {}).get("key") == key:
                return True
        return False

    async def is_channel_manager(self, conversation: str, user: str) -> bool:
        """Slack's Web API does not list channel managers; the channel's creator is its first one."""
        try:
            info = await self.client.conversations_info(channel=conversation)
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.info("slack: conversations.info for %s failed: %s", conversation, type(exc).__name__)
            return False
        return bool(user) and (info.get("channel") or {}).get("creator") == user

    async def send(self, target: Target, reply: Reply) -> SendResult:
        token = SlackPages.new_token()
        pages = render_pages(reply, token)
        if len(pages) > 1 and self.pages is not None:
            self.pages.put(token, pages)
        try:
            # The client's retry handlers already waited out one 429 / 5xx / dropped connection.
            extra: dict[str, Any] = {}
            if key := reply.meta.get("nudge"):
                extra["metadata"] = {"event_type": NUDGE_EVENT, "event_payload": {"key": key}}
            await self.client.chat_postMessage(channel=target.conversation, **pages[0].kwargs(), **extra)
        except SlackApiError as exc:
            return result_of(exc)
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            log.warning("slack: sending to %s failed: %s", target.conversation, type(exc).__name__)
            return SendResult(False, error=type(exc).__name__)
        return SendResult(True)
