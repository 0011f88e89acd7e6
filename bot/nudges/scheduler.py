"""Finding due slots and delivering them exactly once, through the platforms' senders.

For each active subscription only its most recent slot counts: sent if it is at most
`catchup` old (3 hours by default), otherwise recorded as skipped with the reason. Each send
is bracketed by the outbox (`repo.claim` before, `mark_sent` after). A row left "pending" by a
process that died mid-send is ambiguous; a sender that can look for its own message
(`confirm`, Slack) settles it, otherwise the tip is sent again (see README, "Nudges").
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.events import Button
from bot.health import Heartbeats
from bot.nudges import tips as tipbook
from bot.nudges.repo import Claim, NudgeRepo, Subscription, iso, owner_id
from bot.nudges.schedule import Schedule, ScheduleError
from bot.nudges.settings import NudgeSettings
from bot.nudges.throttle import Throttle
from bot.workdays import why_not_working_in
from bot.senders import Sender, SendResult, Target
from bot.store import Store
from knowledge.schema import KnowledgeBase

log = logging.getLogger("dx10.nudges")

META_KEY = "nudge"  # Reply.meta key carrying "<subscription id>:<slot>", for senders that tag messages


@dataclass
class Summary:
    at: str
    due: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    deactivated: list[dict[str, Any]] = field(default_factory=list)
    # Each failed delivery of this run, with why: {"id", "platform", "conversation", "slot", "reason"}.
    failures: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_instant(text: str) -> datetime:
    """ISO-8601; a time without an offset is read as UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class NudgeService:
    def __init__(self, kb: KnowledgeBase, store: Store, settings: NudgeSettings | None = None,
                 senders: Mapping[str, Sender] | None = None, *,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, rng: random.Random | None = None,
                 extra_button: Callable[[str, str, str], Button | None] | None = None) -> None:
        self.kb = kb
        # (platform, user, lang) -> e.g. the quiz's "review N due" button, for tips sent to a person.
        self.extra_button = extra_button
        self.store = store
        self.repo = NudgeRepo(store)
        self.settings = settings or NudgeSettings()
        self.senders: dict[str, Sender] = dict(senders or {})
        self.tips = tipbook.sequence(kb)
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._running = asyncio.Lock()

    # -- what is due ------------------------------------------------------------------------------

    def latest_slot(self, sub: Subscription, at: datetime) -> datetime | None:
        """The subscription's most recent slot at or before `at`, never one from before it was (re)subscribed.

        So changing "weekly" to "daily 09:00" at 10:00 does not send this morning's tip at once.
        """
        slot = Schedule.parse(sub.schedule).latest_slot(at, sub.tz)
        if slot is None or slot < parse_instant(sub.since).replace(second=0):
            return None
        return slot

    def next_tip(self, sub: Subscription, ahead: int = 0) -> tipbook.Tip:
        return tipbook.tip_at(self.tips, sub.id, sub.cursor + ahead)

    async def run_due(self, at: datetime | None = None) -> Summary:
        """Deliver every slot due up to `at` (default now); one run at a time per process."""
        at = (at or datetime.now(UTC)).astimezone(UTC)
        async with self._running:
            return await self._run(at)

    async def _run(self, at: datetime) -> Summary:
        summary = Summary(at=iso(at))
        jobs: list[tuple[Subscription, str]] = []
        for sub in self.repo.all(active_only=True):
            try:
                slot = self.latest_slot(sub, at)
            except ScheduleError as exc:  # a hand-edited row: say so, keep going for everyone else
                log.warning("nudge subscription %s has a bad schedule: %s", sub.id, exc)
                continue
            status = None if slot is None else self.repo.status(sub.id, iso(slot))
            if slot is None or status in ("sent", "skipped"):
                continue
            late = at - slot
            if status == "failed" and (late > self.settings.catchup or sub.held(iso(slot))):
                continue  # final: it stays failed with its reason (retried only within the catch-up window)
            summary.due += 1
            if sub.held(iso(slot)):
                if self.repo.record_skip(sub.id, iso(slot), _hold_note(sub)):
                    summary.skipped += 1
                continue
            if late > self.settings.catchup:
                hours = self.settings.catchup.total_seconds() / 3600
                reason = f"missed: {_duration(late)} late when delivery ran, over the {hours:g} h catch-up window"
                if self.repo.record_skip(sub.id, iso(slot), reason):
                    summary.skipped += 1
                continue
            jobs.append((sub, iso(slot)))
        await self._fan_out(jobs, summary)
        return summary

    # -- sending ----------------------------------------------------------------------------------

    async def _fan_out(self, jobs: list[tuple[Subscription, str]], summary: Summary) -> None:
        throttles = {platform: Throttle(self.settings.limits(platform), sleep=self.sleep) for platform in
                     {sub.platform for sub, _ in jobs}}
        queue: asyncio.Queue[tuple[Subscription, str]] = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)

        async def worker() -> None:
            while not queue.empty():
                sub, slot = queue.get_nowait()
                try:
                    outcome = await self._deliver(sub, slot, throttles[sub.platform], summary)
                except Exception as exc:  # one subscriber's bug must not stop everyone else's tip
                    log.exception("nudge %s for subscription %s failed", slot, sub.id)
                    _failure(summary, sub, slot, f"internal error: {type(exc).__name__}")
                    outcome = "failed"
                if outcome == "busy":
                    summary.due -= 1  # another process is sending it right now
                else:
                    setattr(summary, outcome, getattr(summary, outcome) + 1)

        workers = min(self.settings.concurrency, len(jobs))
        await asyncio.gather(*(worker() for _ in range(workers)))

    async def _deliver(self, sub: Subscription, slot: str, throttle: Throttle, summary: Summary) -> str:
        sender = self.senders.get(sub.platform)
        target = Target(sub.platform, sub.conversation, sub.user_id)
        group = _group_of(sender, target) if sender is not None else sub.platform
        if sender is not None:
            # Wait for a send slot before claiming, so "pending" rows are only the ones in flight.
            await throttle.acquire(sub.conversation, group)
        planned = self.next_tip(sub)
        claim = self.repo.claim(sub.id, slot, planned.id, owner=owner_id())
        if claim is None:
            return "busy"
        if sender is None:
            return self._failed(summary, sub, slot, claim.delivery_id, f"{sub.platform} is not configured in this process")
        tip = (tipbook.find(self.tips, claim.tip) if claim.tip else None) or planned
        key = f"{sub.id}:{slot}"
        if claim.ambiguous and await self._already_delivered(sender, target, key, claim):
            self.repo.mark_sent(claim.delivery_id, sub.id)
            return "sent"
        reply = tipbook.render(self.kb, tip, sub.lang)
        if self.extra_button and sub.user_id and sub.kind == "user":
            if extra := self.extra_button(sub.platform, sub.user_id, sub.lang):
                reply = replace(reply, buttons=(*reply.buttons, extra))
        reply = replace(reply, meta={**reply.meta, META_KEY: key})
        result = SendResult(ok=False, error="not attempted")
        for attempt in range(self.settings.attempts):
            if attempt:
                await throttle.acquire(sub.conversation, group)
            try:
                result = await sender.send(target, reply)
            except Exception as exc:  # a sender bug or a dropped connection: retry like a 5xx
                log.warning("sending nudge %s raised %s", key, type(exc).__name__)
                result = SendResult(ok=False, error=type(exc).__name__)
            if result.ok:
                self.repo.mark_sent(claim.delivery_id, sub.id)
                return "sent"
            if result.gone:
                reason = f"target gone: {result.gone}"
                self._failed(summary, sub, slot, claim.delivery_id, reason)
                self.repo.deactivate(sub.id, reason)
                summary.deactivated.append({"id": sub.id, "platform": sub.platform, "conversation": sub.conversation,
                                            "reason": reason})
                log.warning("nudge subscription %s deactivated: %s", sub.id, reason)
                return "failed"
            if attempt + 1 < self.settings.attempts:
                if result.retry_after is not None:
                    throttle.back_off(group, result.retry_after)  # everyone in the group waits, not just us
                else:
                    ceiling = self.settings.retry_delay * 2**attempt
                    await self.sleep(ceiling / 2 + self.rng.uniform(0, ceiling / 2))
        return self._failed(summary, sub, slot, claim.delivery_id, result.error or "failed")

    def _failed(self, summary: Summary, sub: Subscription, slot: str, delivery_id: int, reason: str) -> str:
        """Record the failure with its reason in the outbox and in the run's summary."""
        self.repo.mark_failed(delivery_id, reason)
        _failure(summary, sub, slot, reason)
        return "failed"

    async def _already_delivered(self, sender: Sender, target: Target, key: str, claim: Claim) -> bool:
        confirm = getattr(sender, "confirm", None)
        if confirm is None:
            return False
        try:
            found = await confirm(target, key, claim.since)
        except Exception:  # cannot tell: sending again is the safer side (never lose a tip)
            log.warning("could not check whether nudge %s was delivered before a crash", key, exc_info=True)
            return False
        return found is True

    # -- the in-process loop (`dx10 serve`) ---------------------------------------------------------

    async def run_forever(self, heartbeats: Heartbeats | None = None) -> None:
        while True:
            # /healthz reports the scheduler dead after two missed beats; a big fan-out at the
            # platforms' rate limits can take minutes, hence the floor of 15 minutes.
            if heartbeats is not None:
                heartbeats.beat("nudges", every=max(self.settings.interval, 900.0))
            try:
                summary = await self.run_due()
                if summary.due:
                    log.info("nudges: %s", {k: v for k, v in summary.as_dict().items() if k != "failures"})
                for failure in summary.failures:
                    log.warning("nudge for subscription %s (%s) at %s failed: %s", failure["id"], failure["platform"],
                                failure["slot"], failure["reason"])
            except Exception:  # keep the scheduler alive through a bad run; the next one retries
                log.exception("nudge run failed")
            await self.sleep(self.settings.interval)

    # -- preview ----------------------------------------------------------------------------------

    def preview(self, day: date, now: datetime | None = None) -> list[dict[str, Any]]:
        """What each active subscriber would get on a local calendar day."""
        now = (now or datetime.now(UTC)).astimezone(UTC)
        out = []
        for sub in self.repo.all(active_only=True):
            schedule = Schedule.parse(sub.schedule)
            slot = schedule.slot_on(day, sub.tz)
            row: dict[str, Any] = {"id": sub.id, "platform": sub.platform, "conversation": sub.conversation,
                                   "schedule": sub.schedule, "tz": sub.tz, "lang": sub.lang, "slot": None, "tip": None}
            if slot is None:
                closed = why_not_working_in(day, sub.lang)
                row["note"] = f"no tip: {closed}" if closed else "no tip: not the weekly day"
            elif sub.held(iso(slot)):
                row["slot"], row["note"] = iso(slot), f"no tip: {_hold_note(sub)}"
            else:
                # Tips still to be sent before that slot move the cursor on.
                ahead = schedule.slots_between(now, slot - timedelta(seconds=1), sub.tz) if slot > now else 0
                tip = self.next_tip(sub, ahead)
                row["slot"], row["tip"] = iso(slot), tip.id
                row["text"] = tipbook.summary(self.kb, tip, sub.lang)
            out.append(row)
        return out


def _failure(summary: Summary, sub: Subscription, slot: str, reason: str) -> None:
    summary.failures.append({"id": sub.id, "platform": sub.platform, "conversation": sub.conversation, "slot": slot,
                             "reason": reason})


def _hold_note(sub: Subscription) -> str:
    if sub.paused_from:
        return f"paused from {sub.paused_from} until {sub.paused_until}"
    return f"paused until {sub.paused_until}"


def _group_of(sender: Sender, target: Target) -> str:
    group_of = getattr(sender, "group_of", None)
    return str(group_of(target)) if group_of is not None else target.platform


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"
