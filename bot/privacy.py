"""Keyed hashes of platform user ids, so the interaction log never holds a raw id.

The key is DX10_SECRET. When it is unset, a random key is generated once and kept in the store's
`settings` table (`dx10 serve` warns about it at start-up and in /healthz): hashes then stay
stable across restarts of the same store, but anyone holding the database file also holds the
key, so production sets DX10_SECRET.

The store records which key writes its log: a fingerprint (an HMAC of a fixed label under the
key, never the key). A process whose key differs cannot find anyone's rows, so `dx10 forget`,
`dx10 chat` and `dx10 serve` refuse to run with it (KeyMismatch) instead of silently missing the
log or splitting it between two keys. `dx10 key adopt` changes the key on purpose.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import sqlite_utils

from bot.errors import UserError

SECRET_WARNING = ("DX10_SECRET is not set: user hashes use a random key kept in the store file; "
                  "set DX10_SECRET in production (see README 'Dashboard and privacy')")
SECRET_SETTING = "user_key_secret"
FINGERPRINT_SETTING = "user_key_fingerprint"
SERVER_ENV_HINT = "run with the same DX10_SECRET as the server, e.g. `set -a; . /etc/dx10/dx10.env; set +a`"
VERIFY_PEOPLE = 200  # recently active people whose hashes are looked for when no fingerprint is recorded yet


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


def fingerprint(secret: bytes) -> str:
    """Names a key without revealing it: the first 16 hex digits of an HMAC of a fixed label under it."""
    return hmac.new(secret, b"dx10 user_key fingerprint v1", hashlib.sha256).hexdigest()[:16]


def key_from_env(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return bool((env.get("DX10_SECRET") or "").strip())


def stored_secret(db: sqlite_utils.Database) -> bytes | None:
    """The store's own random key (kept when DX10_SECRET was unset at some point), if it has one."""
    if not db["settings"].exists():
        return None
    row = db.execute("select value from settings where key = ?", [SECRET_SETTING]).fetchone()
    return str(row[0]).encode("utf-8") if row else None


def recorded_fingerprint(db: sqlite_utils.Database) -> str | None:
    if not db["settings"].exists():
        return None
    row = db.execute("select value from settings where key = ?", [FINGERPRINT_SETTING]).fetchone()
    return str(row[0]) if row else None


def record_fingerprint(db: sqlite_utils.Database, secret: bytes, *, replace: bool = False) -> None:
    ensure_settings(db)
    verb = "insert or replace" if replace else "insert or ignore"
    with db.conn:
        db.execute(f"{verb} into settings (key, value) values (?, ?)", [FINGERPRINT_SETTING, fingerprint(secret)])


def _log_has_rows(db: sqlite_utils.Database) -> bool:
    if "user_key" not in {c.name for c in db["interactions"].columns}:
        return False
    return db.execute("select 1 from interactions where user_key is not null limit 1").fetchone() is not None


def verify(db: sqlite_utils.Database, secret: bytes) -> tuple[int, int]:
    """(people whose logged rows carry this key's hash, people checked), judged from the people dx10
    knows by raw id (user_activity: each row there was written together with a logged question)."""
    if not db["user_activity"].exists():
        return 0, 0
    people = db.execute("select platform, user_id from user_activity group by 1, 2 order by max(last_at) desc limit ?",
                        [VERIFY_PEOPLE]).fetchall()
    if not people:
        return 0, 0
    keys = [user_key(secret, platform, user) for platform, user in people]
    marks = ", ".join("?" * len(keys))
    found = db.execute(f"select count(distinct user_key) from interactions where user_key in ({marks})", keys).fetchone()
    return int(found[0]), len(keys)


class KeyMismatch(UserError):
    """The current key is not the one that wrote the question log; the message is one line for the operator."""


@dataclass(frozen=True)
class KeyCheck:
    # "match" | "mismatch" | "mixed" (some rows carry this key, some another) | "new" (nothing logged
    # yet) | "unknown" (rows from before fingerprints, nobody to check them against)
    state: str
    current: str  # fingerprint of this process's key
    recorded: str | None  # fingerprint recorded in the store
    from_env: bool  # this process's key is DX10_SECRET (else the store's own random key)
    matched: int = 0  # for a log from before fingerprints: people active lately whose rows carry this key…
    checked: int = 0  # …of this many

    def source(self) -> str:
        return "from DX10_SECRET" if self.from_env else "DX10_SECRET is not set here, so the store's own random key"

    def problem(self) -> str | None:
        """One line for the operator when this key must not be used on the log, else None."""
        if self.state == "mismatch":
            written = f"another key (fingerprint {self.recorded})" if self.recorded else "another key"
            return (f"the question log was written with {written} than this process's "
                    f"({self.current}, {self.source()}): {SERVER_ENV_HINT}; "
                    "to change the key on purpose, see `dx10 key adopt --help`")
        if self.state == "mixed":
            return (f"the question log was written with more than one key: the rows of {self.matched} of the "
                    f"{self.checked} people active lately carry this process's ({self.current}, {self.source()}), the "
                    f"others another key: {SERVER_ENV_HINT}, then move the other rows to it with `dx10 key adopt`")
        if self.state == "unknown":
            return ("cannot tell which key wrote the question log (its rows predate key fingerprints, and nobody "
                    f"active lately to check them against): {SERVER_ENV_HINT}, then record that key with "
                    "`dx10 key adopt --yes`")
        return None


def check_key(db: sqlite_utils.Database, secret: bytes, *, from_env: bool) -> KeyCheck:
    """Compare this key with the one recorded for the log; a log written before fingerprints existed is
    checked against the hashes of recently active people, and the key recorded when it is confirmed."""
    current, recorded = fingerprint(secret), recorded_fingerprint(db)
    if recorded is not None:
        return KeyCheck("match" if recorded == current else "mismatch", current, recorded, from_env)
    if not _log_has_rows(db):
        return KeyCheck("new", current, None, from_env)
    matched, checked = verify(db, secret)
    if checked and matched == checked:
        record_fingerprint(db, secret)
        return KeyCheck("match", current, current, from_env, matched, checked)
    state = "unknown" if not checked else "mismatch" if not matched else "mixed"
    return KeyCheck(state, current, None, from_env, matched, checked)
