"""Keyed hashes of platform user ids, so the interaction log never holds a raw id.

The key is DX10_SECRET. When it is unset, a random key is generated once and kept in the store's
`settings` table (`dx10 serve` warns about it at start-up and in /healthz): hashes then stay
stable across restarts of the same store, but anyone holding the database file also holds the
key, so production sets DX10_SECRET.
Changing the key later orphans earlier hashes: `dx10 forget` can no longer match them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping

import sqlite_utils

SECRET_WARNING = ("DX10_SECRET is not set: user hashes use a random key kept in the store file; "
                  "set DX10_SECRET in production (see README 'Dashboard and privacy')")
SECRET_SETTING = "user_key_secret"


def ensure_settings(db: sqlite_utils.Database) -> None:
    db.table("settings").create({"key": str, "value": str}, pk="key", if_not_exists=True)


def resolve_secret(db: sqlite_utils.Database, env: Mapping[str, str] | None = None) -> bytes:
    env = os.environ if env is None else env
    configured = (env.get("DX10_SECRET") or "").strip()
    if configured:
        return configured.encode("utf-8")
    ensure_settings(db)
    row = db.execute("select value from settings where key = ?", [SECRET_SETTING]).fetchone()
    if row is None:
        with db.conn:
            db.execute("insert or ignore into settings (key, value) values (?, ?)", [SECRET_SETTING, secrets.token_hex(32)])
        row = db.execute("select value from settings where key = ?", [SECRET_SETTING]).fetchone()
    return str(row[0]).encode("utf-8")


def read_secret(db: sqlite_utils.Database, env: Mapping[str, str] | None = None) -> bytes:
    """The key as resolve_secret finds it, for a store that must not be written: when there is
    none yet, a throwaway one (its hashes match nothing, and it is never kept)."""
    env = os.environ if env is None else env
    configured = (env.get("DX10_SECRET") or "").strip()
    if configured:
        return configured.encode("utf-8")
    if db["settings"].exists():
        row = db.execute("select value from settings where key = ?", [SECRET_SETTING]).fetchone()
        if row is not None:
            return str(row[0]).encode("utf-8")
    return secrets.token_hex(32).encode("utf-8")


def user_key(secret: bytes, platform: str, user_id: str) -> str:
    """HMAC-SHA256 of "platform:user_id": stable per person, not reversible without the key."""
    return hmac.new(secret, f"{platform}:{user_id}".encode(), hashlib.sha256).hexdigest()
