"""Nudge tables (migrations m003, m004, m012); imported by bot.store so they register in order."""

from __future__ import annotations

import sqlite_utils

from bot.store import migration


@migration
def m003_nudge_subscriptions(db: sqlite_utils.Database) -> None:
    db.table("nudge_subscriptions").create(
        {
            "id": int,
            "platform": str,
            "conversation": str,  # where tips go: a DM / personal chat, or a channel
            "user_id": str,  # the subscriber (kind "user") or who subscribed the channel
            "kind": str,  # "user" | "channel"
            "schedule": str,  # "daily 09:00" | "weekly mon 09:00"
            "tz": str,
            "lang": str,
            "active": int,
            "paused_until": str,  # UTC ISO-8601; slots before it are skipped
            "deactivated_reason": str,
            "cursor": int,  # how many tips this subscription has been sent
            "since": str,  # UTC ISO-8601 of the last (re)subscription: earlier slots are never sent
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"platform", "conversation", "kind", "schedule", "tz", "lang", "active", "cursor"},
        defaults={"active": 1, "cursor": 0},
    )
    # One subscription per conversation: subscribing again changes the schedule and keeps the cursor.
    db.table("nudge_subscriptions").create_index(["platform", "conversation"], unique=True)
    db.table("nudge_subscriptions").create_index(["platform", "user_id"])


@migration
def m004_nudge_deliveries(db: sqlite_utils.Database) -> None:
    # The outbox: a row is written before a tip is sent and updated after, so a restart knows
    # which (subscription, slot) pairs are done, in flight or still owed.
    db.table("nudge_deliveries").create(
        {
            "id": int,
            "subscription_id": int,
            "slot": str,  # UTC ISO-8601 of the scheduled time
            "status": str,  # "pending" | "sent" | "skipped" | "failed"
            "reason": str,
            "tip": str,
            "attempts": int,
            "owner": str,  # "pid:<n>" of the process sending it while pending
            "lease_until": float,  # unix time after which another process may take a pending row over
            "message_ref": str,  # the platform's id of the sent message, when it gives one
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("subscription_id", "nudge_subscriptions", "id")],
        not_null={"subscription_id", "slot", "status", "attempts"},
        defaults={"attempts": 0},
    )
    db.table("nudge_deliveries").create_index(["subscription_id", "slot"], unique=True)
    db.table("nudge_deliveries").create_index(["status"])
    db.table("nudge_deliveries").create_index(["slot"])


@migration
def m012_nudge_hold_start(db: sqlite_utils.Database) -> None:
    # A hold can start later ("pause next week" said on a Thursday): slots from paused_from up to
    # paused_until are skipped. Null: the hold runs from when it was asked for.
    db.table("nudge_subscriptions").add_column("paused_from", str)
