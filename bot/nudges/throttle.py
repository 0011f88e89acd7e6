"""Pacing proactive sends: per conversation and per group (a Slack workspace, a Teams tenant).

Each limiter books send times ahead (no bursts beyond the rate, even with many concurrent
workers), and a 429's Retry-After holds the whole group, so one rate-limit answer does not
turn into a storm of them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any


class Pacer:
    """At most `rate` sends per second per key; rate 0 means unlimited."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._next: dict[str, float] = {}

    def reserve(self, key: str, now: float) -> float:
        """Book the earliest free send time for `key`; returns how long to wait for it."""
        at = max(now, self._next.get(key, now))
        if self.interval or key in self._next:
            self._next[key] = at + self.interval
        return at - now

    def hold(self, key: str, until: float) -> None:
        self._next[key] = max(self._next.get(key, 0.0), until)


@dataclass(frozen=True)
class Limits:
    per_conversation: float  # messages per second in one conversation (0: no limit)
    per_group: float  # messages per second across a workspace / tenant (0: no limit)


class Throttle:
    def __init__(self, limits: Limits, *, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.conversations = Pacer(limits.per_conversation)
        self.groups = Pacer(limits.per_group)
        self.sleep = sleep
        self.clock = clock

    async def acquire(self, conversation: str, group: str) -> None:
        # The conversation first, then the group: a send waiting for its channel does not hold
        # a workspace slot that another channel could use meanwhile.
        wait = self.conversations.reserve(conversation, self.clock())
        if wait > 0:
            await self.sleep(wait)
        wait = self.groups.reserve(group, self.clock())
        if wait > 0:
            await self.sleep(wait)

    def back_off(self, group: str, seconds: float) -> None:
        """The platform said 429: nobody in the group sends until Retry-After has passed."""
        self.groups.hold(group, self.clock() + seconds)
