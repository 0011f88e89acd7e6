"""Store migrations of the dashboard/privacy work (m008+): keyed user hashes, the stats index,
no conversation ids in the question log (m013).

Imported by bot/store.py so these register with the other migrations.
"""

from __future__ import annotations

import sqlite_utils

from bot.privacy import ensure_settings, resolve_secret, user_key
from bot.store import migration


@migration
def m008_interactions_user_key(db: sqlite_utils.Database) -> None:
    # Raw platform ids leave the interaction log: existing rows are hashed in place, then the
    # column is dropped, so a copy of the file no longer names anyone.
    ensure_settings(db)
    secret = resolve_secret(db)
    # Who was active where, by raw id, for features that must reach people (NPS asks people who
    # used dx10 lately, in the chat they used): one row per person and conversation, not per message.
    db.table("user_activity").create(
        {"platform": str, "user_id": str, "conversation": str, "last_at": str},
        pk=("platform", "user_id", "conversation"), if_not_exists=True,
    )
    db.table("user_activity").create_index(["last_at"], if_not_exists=True)
    db.execute(
        "insert or replace into user_activity (platform, user_id, conversation, last_at) "
        "select platform, user_id, coalesce(conversation, ''), max(at) from interactions "
        "where user_id is not null group by 1, 2, 3"
    )
    db.table("interactions").add_column("user_key", str)
    pairs = db.execute("select distinct platform, user_id from interactions where user_id is not null").fetchall()
    for platform, raw in pairs:
        db.execute("update interactions set user_key = ? where platform = ? and user_id = ?",
                   [user_key(secret, platform, raw), platform, raw])
    db.table("interactions").transform(drop={"user_id"})
    db.table("interactions").create_index(["user_key"], if_not_exists=True)
    db.table("interactions").create_index(["at"], if_not_exists=True)


@migration
def m009_interaction_daily_rollup(db: sqlite_utils.Database) -> None:
    # The dashboard's counts for closed UTC days, filled on first read by bot/stats.py: grouping a
    # 90-day period of a million-row log live costs ~0.3 s per request, reading the rollup ~ms.
    db.table("stats_daily").create(
        {"day": str, "intent": str, "principle": int, "facet": str, "answered": int, "feedback": int, "n": int}
    )
    db.table("stats_daily").create_index(["day"])
    db.table("stats_daily_done").create({"day": str, "computed_at": str}, pk="day")
    # Covers the fill query, so a cold day is read from the index alone.
    db.table("interactions").create_index(["at", "intent", "principle", "facet", "answered", "feedback"],
                                    index_name="interactions_stats", if_not_exists=True)
    # A change to a closed day's rows (feedback pressed late, `dx10 forget`, an import) drops that
    # day's rollup, so it is recomputed on the next read; triggers cover every writer.
    db.execute(
        "create trigger stats_daily_on_update after update of at, intent, principle, facet, answered, feedback "
        "on interactions begin "
        "delete from stats_daily_done where day in (substr(old.at, 1, 10), substr(new.at, 1, 10)); end"
    )
    db.execute(
        "create trigger stats_daily_on_delete after delete on interactions begin "
        "delete from stats_daily_done where day = substr(old.at, 1, 10); end"
    )
    db.execute(
        "create trigger stats_daily_on_insert after insert on interactions "
        "when substr(new.at, 1, 10) < strftime('%Y-%m-%d', 'now') begin "
        "delete from stats_daily_done where day = substr(new.at, 1, 10); end"
    )


# How the log tells a one-to-one chat (which names a person) from a channel, by platform:
# Slack DM ids start with D; the console's conversation is its user; Teams personal chats are
# "a:…" and their stored reference says conversationType "personal".
CONVERSATION_KIND_SQL = """
    case
      when conversation is null or conversation = '' then null
      when platform = 'console' then 'direct'
      when platform = 'slack' then case when conversation like 'D%' then 'direct' else 'channel' end
      when platform = 'teams' then case
        when conversation like 'a:%' then 'direct'
        when (select json_extract(c.reference, '$.conversation.conversationType') from conversations c
              where c.platform = interactions.platform and c.conversation = interactions.conversation) = 'personal'
          then 'direct'
        else 'channel' end
      else 'channel'
    end"""


@migration
def m013_interactions_conversation_kind(db: sqlite_utils.Database) -> None:
    # The log kept each row's raw conversation id: a DM id (or the console's user id), which the
    # `conversations` table maps back to the person, undoing the user hash with one join. Nothing
    # reads it; the log keeps only the kind of conversation ("direct" / "channel"). The column is
    # dropped in place (indexes and triggers stay), under secure_delete so the old ids are
    # overwritten in the file rather than left in free pages.
    db.execute("PRAGMA secure_delete = ON")
    db.table("interactions").add_column("conversation_kind", str)
    db.execute(f"update interactions set conversation_kind = {CONVERSATION_KIND_SQL}")
    db.execute("alter table interactions drop column conversation")
    # Raw-id rows written with each person's first message of the day kept its time to the
    # second, which matched the logged row's: now the day only (bot/store.py writes them so).
    db.execute("update user_activity set last_at = substr(last_at, 1, 10) || 'T00:00:00+00:00'")
    db.execute("update users set created_at = substr(created_at, 1, 10) || 'T00:00:00+00:00', "
               "updated_at = substr(updated_at, 1, 10) || 'T00:00:00+00:00'")


@migration
def m015_interactions_also(db: sqlite_utils.Database) -> None:
    # 「第3条と第5条のKPI」 is one question (one row) answered for #3 and #5: `also` keeps the
    # other principles ("5"), so "Top principles" counts each. Rows logged before stay as they were.
    # The rollup and its covering index gain the column; the rollup is recomputed on the next read.
    db.table("interactions").add_column("also", str)
    db.execute("drop index if exists interactions_stats")
    db.table("interactions").create_index(["at", "intent", "principle", "facet", "answered", "feedback", "also"],
                                          index_name="interactions_stats")
    db.table("stats_daily").add_column("also", str)
    db.execute("delete from stats_daily")
    db.execute("delete from stats_daily_done")
