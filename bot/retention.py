"""Raw question texts are kept for DX10_RETENTION_DAYS (default 90), then deleted.

Only the text goes: the row's counts (intent, principle, answered, feedback) stay, so the
dashboard's history is unchanged. Rows of `user_activity` (raw ids of who was active where)
older than the same period go too. `dx10 serve` runs this daily; `dx10 retention run` on demand.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import sqlite_utils

DEFAULT_RETENTION_DAYS = 90


class RetentionError(ValueError):
    pass


def retention_days(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    raw = (env.get("DX10_RETENTION_DAYS") or "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isdigit() or int(raw) < 1:
        raise RetentionError(f"DX10_RETENTION_DAYS must be a whole number of days ≥ 1 (got {raw!r})")
    return int(raw)


def said_retention_days(env: Mapping[str, str] | None = None) -> int:
    """The retention a chat reply states: `retention_days`, or the default for a bad value (which
    `dx10 serve` refuses to start on). The core and the quiz's privacy answers both say this one."""
    try:
        return retention_days(env)
    except RetentionError:
        return DEFAULT_RETENTION_DAYS


def cutoff(days: int, now: datetime | None = None) -> str:
    return ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="seconds")


def purge_batch(db: sqlite_utils.Database, before: str, limit: int = 2000) -> int:
    """Blank up to `limit` texts logged before `before`: short transactions that never hold up the server."""
    with db.conn:
        return db.execute(
            "update interactions set text = null where id in "
            "(select id from interactions where at < ? and text is not null limit ?)", [before, limit]
        ).rowcount


def purge_activity(db: sqlite_utils.Database, before: str) -> int:
    """Forget who was active where before `before` (user_activity keeps raw ids), and the users rows
    that only remember the language someone last wrote in: everyone who writes gets one, so they
    keep raw ids no longer than the activity does. A language someone chose (`lang en`) stays."""
    if not db["user_activity"].exists():
        return 0
    with db.conn:
        db.execute("delete from users where lang is null and updated_at < ?", [before])
        return db.execute("delete from user_activity where last_at < ?", [before]).rowcount


def purge_texts(db: sqlite_utils.Database, days: int, *, now: datetime | None = None) -> int:
    """Blank the texts of questions older than `days` (and drop older activity rows); returns texts blanked."""
    before, total = cutoff(days, now), 0
    while n := purge_batch(db, before):
        total += n
    purge_activity(db, before)
    return total
