"""Raw question texts are kept for DX10_RETENTION_DAYS (default 90), then deleted.

Only the text goes: the row's counts (intent, principle, answered, feedback) stay, so the
dashboard's history is unchanged. Rows of `user_activity` (raw ids of who was active where)
older than the same period go too, and so do stored references of one-to-one chats that nothing
uses any more, and the comments people added to their NPS score (free text, like a question; the
score stays). `dx10 serve` runs this daily; `dx10 retention run` on demand.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils

from bot.settings import SettingError

DEFAULT_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 36_500  # 100 years; more is a typo (and a cutoff before year 1 cannot be written)


class RetentionError(SettingError):
    pass


def retention_days(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    raw = (env.get("DX10_RETENTION_DAYS") or "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_RETENTION_DAYS:
        raise RetentionError(f"DX10_RETENTION_DAYS must be a whole number of days from 1 to {MAX_RETENTION_DAYS} "
                             f"(got {raw!r})")
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
        gone = db.execute("delete from user_activity where last_at < ?", [before]).rowcount
    purge_references(db, before)
    return gone


# A stored reference of a one-to-one chat names its person (Slack DM "D…", Teams personal chat).
_ONE_TO_ONE = ("((platform = 'slack' and conversation like 'D%') or (platform = 'teams' and (conversation like 'a:%' "
               "or json_extract(reference, '$.conversation.conversationType') = 'personal')))")


def purge_references(db: sqlite_utils.Database, before: str) -> int:
    """Delete references of one-to-one chats last seen before `before` that no row of any feature
    points at (a subscription, a commitment, a quiz, recent activity…): nobody will message them."""
    if not db["conversations"].exists():
        return 0
    users = [name for name in db.table_names() if name != "conversations"
             and {"platform", "conversation"} <= {c.name for c in db[name].columns}]
    unused = " ".join(f"and not exists (select 1 from [{name}] t where t.platform = conversations.platform "
                      f"and t.conversation = conversations.conversation)" for name in users)
    with db.conn:
        return db.execute(f"delete from conversations where updated_at < ? and {_ONE_TO_ONE} {unused}",
                          [before]).rowcount


def purge_comments(db: sqlite_utils.Database, before: str) -> int:
    """Blank the NPS comments given before `before`; the scores stay for the dashboard."""
    if "comment" not in {c.name for c in db["nps_responses"].columns}:
        return 0
    with db.conn:
        return db.execute("update nps_responses set comment = null where at < ? and comment is not null",
                          [before]).rowcount


@dataclass(frozen=True)
class Purged:
    questions: int  # question texts blanked
    comments: int  # NPS comments blanked


def purge_texts(db: sqlite_utils.Database, days: int, *, now: datetime | None = None) -> Purged:
    """Blank the texts of questions and the NPS comments older than `days`, and drop older activity rows."""
    before, total = cutoff(days, now), 0
    while n := purge_batch(db, before):
        total += n
    purge_activity(db, before)
    return Purged(total, purge_comments(db, before))
