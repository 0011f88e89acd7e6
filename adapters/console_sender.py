"""Nudges for console subscribers: each tip as one JSON line in DX10_CONSOLE_OUTBOX, else on stderr.

The console has no push channel, so the outbox file is what a person (or a test) reads.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from typing import TextIO

from adapters.console import render
from bot.events import Reply
from bot.senders import SendResult, Target
from bot.store import now_iso

PLATFORM = "console"


class ConsoleSender:
    platform = PLATFORM

    def __init__(self, path: str | None = None, stream: TextIO | None = None) -> None:
        self.path = path
        self.stream = stream

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ConsoleSender:
        return cls(env.get("DX10_CONSOLE_OUTBOX", "").strip() or None)

    async def send(self, target: Target, reply: Reply) -> SendResult:
        if self.path is None:
            stream = self.stream or sys.stderr
            stream.write(f"[dx10 → {target.conversation}]\n{render(reply)}\n")
            stream.flush()
            return SendResult(ok=True)
        line = json.dumps({
            "at": now_iso(), "conversation": target.conversation, "user": target.user, "key": reply.meta.get("nudge"),
            "title": reply.title, "text": reply.fallback, "buttons": [b.label for b in reply.buttons],
        }, ensure_ascii=False)
        try:
            # One write of one line in append mode: concurrent writers never interleave inside it.
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            return SendResult(ok=False, error=f"cannot write {self.path}: {exc.strerror}")
        return SendResult(ok=True)

    async def confirm(self, target: Target, key: str, since: str) -> bool | None:
        """Whether the outbox file already has this tip (a crash between writing and recording it)."""
        if self.path is None:
            return None
        try:
            with open(self.path, encoding="utf-8") as fh:
                return any(json.loads(line).get("key") == key for line in fh if line.strip())
        except FileNotFoundError:
            return False
        except (OSError, ValueError):
            return None
