"""Sending to Teams politely: per-conversation pacing, retries with backoff, and "gone" detection.

Teams allows a bot about 7 messages a second and 60 per 30 seconds in one conversation, answers
429 (and sometimes 412/502/504) when pushed, and 403/404 once the bot was removed or the
conversation deleted. Both the replies to incoming messages and proactive sends go through here.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.senders import SendResult

log = logging.getLogger("dx10.teams")

RETRY_STATUSES = frozenset({412, 429, 502, 504})
GONE_STATUSES = frozenset({403, 404})
WINDOWS = ((7, 1.0), (60, 30.0))  # (messages, seconds) per conversation


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    budget: float = 120.0  # seconds of waiting, in total, before handing the failure back

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Exponential backoff with "equal jitter": never zero, never in lockstep with other senders."""
        ceiling = min(self.max_delay, self.base_delay * 2**attempt)
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


# Replies to an incoming message are sent while Bot Framework waits for our HTTP answer (it gives
# up after about 15 s), so they get a short budget; proactive sends can afford to wait.
IN_TURN = RetryPolicy(attempts=3, base_delay=0.5, max_delay=4.0, budget=8.0)
PROACTIVE = RetryPolicy()


class ConversationLimiter:
    """Reserves send slots so no conversation exceeds any of WINDOWS, even under concurrency."""

    def __init__(self, windows: tuple[tuple[int, float], ...] = WINDOWS, max_conversations: int = 10_000) -> None:
        self.windows = windows
        self.keep = max(limit for limit, _ in windows)
        self.span = max(span for _, span in windows)
        self.max_conversations = max_conversations
        self._slots: dict[str, deque[float]] = {}

    def reserve(self, conversation: str, now: float) -> float:
        """Books the earliest allowed send time at or after `now`; returns how long to wait for it."""
        slots = self._slots.setdefault(conversation, deque(maxlen=self.keep))
        at = max(now, slots[-1]) if slots else now
        for limit, span in self.windows:
            if len(slots) >= limit:
                # The limit-th most recent send must have left the window before another goes out.
                at = max(at, slots[-limit] + span)
        slots.append(at)
        if len(self._slots) > self.max_conversations:
            self._forget(now)
        return at - now

    def _forget(self, now: float) -> None:
        for conversation in [c for c, s in self._slots.items() if not s or s[-1] < now - self.span]:
            del self._slots[conversation]


@dataclass(frozen=True)
class Failure:
    status: int | None  # None: the connector could not be reached at all
    retry_after: float | None
    detail: str


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After is either seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def failure(exc: BaseException) -> Failure | None:
    """What a failed send means, or None when the exception is not about the connector at all."""
    if isinstance(exc, HttpOperationError):
        response: Any = exc.response
        status = getattr(response, "status_code", None)
        headers = getattr(response, "headers", None) or {}
        error = getattr(getattr(exc, "error", None), "error", None)  # Teams' {"error": {"code": ...}}
        code = getattr(error, "code", None) or getattr(response, "reason", None) or ""
        return Failure(status, parse_retry_after(headers.get("Retry-After")), f"HTTP {status} {code}".strip())
    if isinstance(exc, ClientRequestError):
        return Failure(None, None, f"connector unreachable: {exc}")
    return None


class Outbound:
    def __init__(
        self,
        limiter: ConversationLimiter | None = None,
        *,
        rng: random.Random | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limiter = limiter or ConversationLimiter()
        self.rng = rng or random.Random()
        self.sleep = sleep
        self.clock = clock

    async def send(self, context: TurnContext, activity: Activity, policy: RetryPolicy) -> SendResult:
        conversation = context.activity.conversation.id
        waited = 0.0
        for attempt in range(policy.attempts):
            pause = self.limiter.reserve(conversation, self.clock())
            if pause > 0:
                await self.sleep(pause)
            try:
                await context.send_activity(activity)
                return SendResult(ok=True)
            except Exception as exc:  # narrowed right below: anything not from the connector re-raises
                why = failure(exc)
                if why is None:
                    raise
            if why.status in GONE_STATUSES:
                return SendResult(ok=False, gone=why.detail)
            if why.status is not None and why.status not in RETRY_STATUSES:
                return SendResult(ok=False, error=why.detail)
            wait = (why.retry_after + self.rng.uniform(0, policy.base_delay) if why.retry_after is not None
                    else policy.backoff(attempt, self.rng))
            if attempt + 1 >= policy.attempts or waited + wait > policy.budget:
                log.warning("giving up sending to %s after %d attempt(s): %s", conversation, attempt + 1, why.detail)
                return SendResult(ok=False, retry_after=why.retry_after, error=why.detail)
            log.info("retrying a send to %s in %.2fs: %s", conversation, wait, why.detail)
            await self.sleep(wait)
            waited += wait
        return SendResult(ok=False, error="no attempt made")  # only with attempts=0
