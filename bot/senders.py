"""The seam for proactive messages (nudges, channel quizzes): one small sender per platform."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.events import Reply


@dataclass(frozen=True)
class Target:
    platform: str
    conversation: str  # Slack channel / DM id, Teams conversation id, console user
    user: str | None = None


@dataclass(frozen=True)
class SendResult:
    ok: bool
    retry_after: float | None = None  # the platform asked us to slow down (429)
    gone: str | None = None  # the target no longer exists or the bot was removed: do not retry
    error: str | None = None  # anything else; may be retried later


class Sender(Protocol):
    platform: str

    async def send(self, target: Target, reply: Reply) -> SendResult: ...
