"""Heartbeats of background loops (nudge scheduler, quiz closer, retention), for /healthz.

A loop calls `heartbeats.beat("nudges", every=60)` each time round; /healthz reports it dead
when it has missed two beats (2 × every + 5 s), so a container orchestrator restarts a process
whose scheduler silently stopped. A check that is not a loop says when it counts as dead
(`dead_after`, in seconds since the beat): the Slack Socket Mode connection does. One registry per served app (no global): `dx10 serve` hands it to each loop.
Lives in bot/ so features report without importing an adapter.
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class Beat:
    at: float
    every: float
    dead_after: float


class Heartbeats:
    def __init__(self) -> None:
        self.beats: dict[str, Beat] = {}

    def beat(self, name: str, *, every: float, dead_after: float | None = None, now: float | None = None) -> None:
        self.beats[name] = Beat(time.monotonic() if now is None else now, every,
                                2 * every + 5 if dead_after is None else dead_after)

    def forget(self, name: str) -> None:
        self.beats.pop(name, None)

    def status(self, now: float | None = None) -> dict[str, dict[str, object]]:
        now = time.monotonic() if now is None else now
        return {name: {"alive": now - b.at <= b.dead_after, "seconds_since_beat": round(now - b.at, 1),
                       "every": b.every, "dead_after": b.dead_after} for name, b in sorted(self.beats.items())}

