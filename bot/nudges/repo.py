"""Subscriptions and the delivery outbox, on the shared SQLite store.

Every state change is one short transaction. Claiming a (subscription, slot) runs under
BEGIN IMMEDIATE, so two schedulers on one database (say `dx10 serve` and a cron `run-due`)
never both send the same slot.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.store import Store, now_iso

LEASE_SECONDS = 120.0  # a pending row older than this, whose owner we cannot see, is taken over
_HOST = socket.gethostname()


@dataclass(frozen=True)
class Subscription:
    id: int
    platform: str
    conversation: str
    user_id: str | None
    kind: str
    schedule: str
    tz: str
    lang: str
    active: bool
    paused_until: str | None
    deactivated_reason: str | None
    cursor: int
    since: str
    created_at: str
    updated_at: str
    paused_from: str | None = None  # UTC ISO-8601; a hold that starts later (m012)

    def held(self, slot: str) -> bool:
        """Whether a slot (UTC ISO-8601) falls inside the hold: paused_from <= slot < paused_until."""
        return bool(self.paused_until) and slot < (self.paused_until or "") and (
            self.paused_from is None or slot >= self.paused_from)

    def holding(self, now: str) -> bool:
        """Whether a hold is set that has not ended yet (it may start later)."""
        return bool(self.paused_until) and (self.paused_until or "") > now

    @classmethod
    def of(cls, row: dict[str, Any]) -> Subscription:
        return cls(**{**row, "active": bool(row["active"])})

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    tip: str | None  # the tip an earlier attempt chose, to be sent again unchanged
    ambiguous: bool  # an earlier attempt died mid-send: it may have been delivered
    since: str  # when that earlier attempt started (to look for its message)


def owner_id() -> str:
    return f"pid:{os.getpid()}@{_HOST}"


def _owner_alive(owner: str | None) -> bool:
    """Whether the process that holds a pending row is still running (only knowable on this host)."""
    if not owner or not owner.startswith("pid:"):
        return False
    pid, _, host = owner[4:].partition("@")
    if host != _HOST or not pid.isdigit():
        return True  # another machine: trust the lease instead
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class NudgeRepo:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    # -- subscriptions --------------------------------------------------------------------------

    def _rows(self, where: str = "1", params: list[Any] | None = None) -> list[Subscription]:
        cursor = self.db.execute(f"select * from nudge_subscriptions where {where} order by id", params or [])
        names = [c[0] for c in cursor.description]
        return [Subscription.of(dict(zip(names, row))) for row in cursor.fetchall()]

    def get(self, subscription_id: int) -> Subscription | None:
        found = self._rows("id = ?", [subscription_id])
        return found[0] if found else None

    def by_conversation(self, platform: str, conversation: str) -> Subscription | None:
        found = self._rows("platform = ? and conversation = ?", [platform, conversation])
        return found[0] if found else None

    def all(self, active_only: bool = False) -> list[Subscription]:
        return self._rows("active = 1") if active_only else self._rows()

    def for_user(self, platform: str, user_id: str) -> list[Subscription]:
        return self._rows("platform = ? and user_id = ? and active = 1", [platform, user_id])

    def subscribe(self, *, platform: str, conversation: str, user_id: str | None, kind: str, schedule: str,
                  tz: str, lang: str) -> tuple[Subscription, bool]:
        """Create, or re-activate and re-schedule, the conversation's subscription (its cursor is kept)."""
        before = self.by_conversation(platform, conversation)
        stamp = now_iso()
        with self.db.conn:
            self.db.execute(
                "insert into nudge_subscriptions (platform, conversation, user_id, kind, schedule, tz, lang, active, "
                "cursor, since, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?) "
                "on conflict (platform, conversation) do update set user_id = excluded.user_id, kind = excluded.kind, "
                "schedule = excluded.schedule, tz = excluded.tz, lang = excluded.lang, active = 1, "
                # A new time keeps a vacation hold; starting again after a stop clears an old one.
                "paused_until = case when active = 1 then paused_until end, "
                "paused_from = case when active = 1 then paused_from end, "
                "deactivated_reason = null, since = excluded.since, updated_at = excluded.updated_at",
                [platform, conversation, user_id, kind, schedule, tz, lang, stamp, stamp, stamp],
            )
        sub = self.by_conversation(platform, conversation)
        assert sub is not None
        return sub, before is None or not before.active

    def _update(self, subscription_id: int, **values: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in values)
        with self.db.conn:
            self.db.execute(f"update nudge_subscriptions set {sets}, updated_at = ? where id = ?",
                            [*values.values(), now_iso(), subscription_id])

    def deactivate(self, subscription_id: int, reason: str) -> None:
        self._update(subscription_id, active=0, deactivated_reason=reason)

    def pause(self, subscription_id: int, until: datetime, start: datetime | None = None) -> None:
        """Hold the tips until `until`, from `start` (None: from now). One hold at a time: a new one replaces it."""
        self._update(subscription_id, paused_until=iso(until), paused_from=iso(start) if start else None)

    def set_lang(self, subscription_id: int, lang: str) -> None:
        """The language tips are sent in (the person wrote in another one)."""
        self._update(subscription_id, lang=lang)

    def resume(self, subscription_id: int) -> None:
        self._update(subscription_id, paused_until=None, paused_from=None)

    # -- the outbox ---------------------------------------------------------------------------

    def delivery(self, subscription_id: int, slot: str) -> dict[str, Any] | None:
        cursor = self.db.execute("select * from nudge_deliveries where subscription_id = ? and slot = ?",
                                 [subscription_id, slot])
        row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row)) if row else None

    def deliveries(self, subscription_id: int | None = None) -> list[dict[str, Any]]:
        where, params = ("subscription_id = ?", [subscription_id]) if subscription_id is not None else ("1", [])
        cursor = self.db.execute(f"select * from nudge_deliveries where {where} order by id", params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def last_sent(self, subscription_id: int) -> tuple[str, str] | None:
        """(tip id, when it was sent) of the subscription's most recent tip, or None."""
        row = self.db.execute("select tip, updated_at from nudge_deliveries where subscription_id = ? and status = 'sent' "
                              "and tip is not null order by slot desc limit 1", [subscription_id]).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def status(self, subscription_id: int, slot: str) -> str | None:
        """The slot's delivery status ("pending", "sent", "skipped", "failed"), or None before any attempt."""
        row = self.db.execute("select status from nudge_deliveries where subscription_id = ? and slot = ?",
                              [subscription_id, slot]).fetchone()
        return str(row[0]) if row else None

    def settled(self, subscription_id: int, slot: str) -> bool:
        """Sent or skipped already: nothing more to do for this slot."""
        return self.status(subscription_id, slot) in ("sent", "skipped")

    def last_failure(self, subscription_id: int) -> tuple[str, str] | None:
        """(slot, reason) of the subscription's latest slot when that one failed, else None."""
        row = self.db.execute("select status, slot, reason from nudge_deliveries where subscription_id = ? "
                              "order by slot desc limit 1", [subscription_id]).fetchone()
        return (str(row[1]), str(row[2] or "")) if row and row[0] == "failed" else None

    def claim(self, subscription_id: int, slot: str, tip: str, *, owner: str, now: float | None = None,
              lease: float = LEASE_SECONDS) -> Claim | None:
        """Mark the slot pending for this process, or None when it is settled or another process has it."""
        stamp, clock = now_iso(), time.time() if now is None else now
        conn = self.db.conn
        if conn.in_transaction:  # every store write commits at once; never start inside a stray one
            conn.commit()
        conn.execute("begin immediate")
        try:
            row = conn.execute(
                "select id, status, tip, owner, lease_until, updated_at from nudge_deliveries "
                "where subscription_id = ? and slot = ?", [subscription_id, slot]).fetchone()
            if row is None:
                cursor = conn.execute(
                    "insert into nudge_deliveries (subscription_id, slot, status, tip, attempts, owner, lease_until, "
                    "created_at, updated_at) values (?, ?, 'pending', ?, 1, ?, ?, ?, ?)",
                    [subscription_id, slot, tip, owner, clock + lease, stamp, stamp])
                claim: Claim | None = Claim(int(cursor.lastrowid or 0), None, False, stamp)
            else:
                delivery_id, status, old_tip, old_owner, lease_until, updated_at = row
                busy = status == "pending" and (lease_until or 0) > clock and _owner_alive(old_owner)
                if status in ("sent", "skipped") or busy:
                    claim = None
                else:
                    conn.execute(
                        "update nudge_deliveries set status = 'pending', owner = ?, lease_until = ?, "
                        "attempts = attempts + 1, updated_at = ? where id = ?", [owner, clock + lease, stamp, delivery_id])
                    claim = Claim(delivery_id, old_tip, status == "pending", updated_at)
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
        return claim

    def mark_sent(self, delivery_id: int, subscription_id: int, ref: str | None = None) -> None:
        """Sent, and the subscription's cursor moves on: one transaction, so both or neither."""
        stamp = now_iso()
        with self.db.conn:
            self.db.execute("update nudge_deliveries set status = 'sent', reason = null, owner = null, lease_until = null, "
                            "message_ref = ?, updated_at = ? where id = ?", [ref, stamp, delivery_id])
            self.db.execute("update nudge_subscriptions set cursor = cursor + 1 where id = ?", [subscription_id])

    def mark_failed(self, delivery_id: int, reason: str) -> None:
        with self.db.conn:
            self.db.execute("update nudge_deliveries set status = 'failed', reason = ?, owner = null, lease_until = null, "
                            "updated_at = ? where id = ?", [reason, now_iso(), delivery_id])

    def record_skip(self, subscription_id: int, slot: str, reason: str) -> bool:
        """Skipped with the reason; False when the slot has a row already. A failed slot stays failed
        with its reason: a later run must not turn it into a skip (the failure would vanish from the
        statistics)."""
        stamp = now_iso()
        with self.db.conn:
            cursor = self.db.execute(
                "insert into nudge_deliveries (subscription_id, slot, status, reason, attempts, created_at, updated_at) "
                "values (?, ?, 'skipped', ?, 0, ?, ?) on conflict (subscription_id, slot) do nothing",
                [subscription_id, slot, reason, stamp, stamp])
        return cursor.rowcount == 1
