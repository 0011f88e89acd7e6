"""Timed quiz work: channel reveals, first-step follow-ups and NPS asks, sent through the platform senders.

`tick(now)` does whatever is due at `now` and returns; `dx10 serve` calls it every few seconds
and tests call it with a controlled clock. Nothing here sleeps or owns a thread.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.events import Reply
from bot.quiz.feature import QuizFeature
from bot.quiz.progress import TOKYO
from bot.workdays import is_working_day
from bot.senders import Sender, SendResult, Target

log = logging.getLogger(__name__)

NPS_EVERY = timedelta(hours=1)
NPS_HOURS = range(10, 17)  # ask during Tokyo office hours on working days only


class QuizTicker:
    def __init__(self, feature: QuizFeature, senders: Mapping[str, Sender], *, nps: bool = True) -> None:
        self.feature = feature
        self.senders = dict(senders)
        self.nps = nps
        self._nps_checked: datetime | None = None

    async def _send(self, target: Target, reply: Reply) -> SendResult:
        sender = self.senders.get(target.platform)
        if sender is None:
            return SendResult(False, gone=f"no sender for {target.platform}")
        try:
            return await sender.send(target, reply)
        except Exception as exc:  # one failed delivery must not stop the loop for everyone else
            log.exception("quiz: sending to %s failed", target.conversation)
            return SendResult(False, error=type(exc).__name__)

    async def recover(self, now: datetime) -> None:
        """At start-up: close channel quizzes whose reveal was missed while dx10 was down."""
        for out in self.feature.channel.close_stale(now):
            for reply in out.replies:
                await self._send(out.target, reply)

    async def tick(self, now: datetime) -> None:
        for out in self.feature.channel.due(now):
            for reply in out.replies:
                result = await self._send(out.target, reply)
                if not result.ok:
                    log.warning("quiz: channel quiz message not delivered to %s: %s", out.target.conversation,
                                result.gone or result.error)
                    break
        for follow_up in self.feature.commitments.due(now):
            result = await self._send(follow_up.target, follow_up.reply)
            # Sent, or the person cannot be reached: either way do not ask again and again.
            if result.ok or result.gone:
                self.feature.commitments.mark_asked(follow_up.commitment_id, now)
        if self.nps and self._nps_time(now):
            self._nps_checked = now
            for ask in self.feature.nps.due(now):
                result = await self._send(ask.target, ask.reply)
                if result.ok or result.gone:
                    self.feature.nps.mark_asked(ask, now)

    def _nps_time(self, now: datetime) -> bool:
        local = now.astimezone(TOKYO)
        if local.hour not in NPS_HOURS or not is_working_day(local.date()):
            return False
        return self._nps_checked is None or now - self._nps_checked >= NPS_EVERY
