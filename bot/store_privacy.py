"""Store migrations of the dashboard/privacy work (m008+): keyed user hashes in the interaction log.

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
    db["interactions"].add_column("user_key", str)
    pairs = db.execute("select distinct platform, user_id from interactions where user_id is not null").fetchall()
    for platform, raw in pairs:
        db.execute("update interactions set user_key = ? where platform = ? and user_id = ?",
                   [user_key(secret, platform, raw), platform, raw])
    db["interactions"].transform(drop={"user_id"})
    db["interactions"].create_index(["user_key"], if_not_exists=True)
    db["interactions"].create_index(["at"], if_not_exists=True)
