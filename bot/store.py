"""The SQLite store: users, the interaction log, and versioned migrations.

Each write is a single-row statement in WAL mode (well under a millisecond), so the core calls
the store directly from the event loop instead of paying a thread hop per message. While a
server runs, the two rows every message writes (interaction log, seen event id) go through
`self.later` (bot/writebehind.py): queued, then written together at the end of the loop pass.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from bot.errors import UserError
from bot.privacy import KeyCheck, KeyMismatch, check_key, key_from_env, read_secret, record_fingerprint, resolve_secret, user_key
from bot.writebehind import WriteBehind

DEFAULT_DB = "dx10.db"

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_users_and_interactions(db: sqlite_utils.Database) -> None:
    db.table("users").create(
        {"platform": str, "user_id": str, "lang": str, "created_at": str, "updated_at": str},
        pk=("platform", "user_id"),
    )
    db.table("interactions").create(
        {
            "id": int,
            "at": str,
            "platform": str,
            "user_id": str,
            "conversation": str,
            "text": str,
            "intent": str,
            "principle": int,
            "facet": str,
            "term": str,
            "confidence": float,
            "answered": int,
            "feedback": int,  # +1 / -1 once the user presses 👍/👎
        },
        pk="id",
    )
    db.table("interactions").create_index(["at"])


@migration
def m002_seen_events_and_conversations(db: sqlite_utils.Database) -> None:
    # Platform event ids already handled (Slack retries the same event_id): bounded and expiring.
    db.table("seen_events").create({"platform": str, "event_id": str, "seen_at": float}, pk=("platform", "event_id"))
    db.table("seen_events").create_index(["seen_at"])
    # Where proactive messages (nudges, channel quizzes) can be sent later, e.g. a Teams
    # ConversationReference as JSON.
    db.table("conversations").create(
        {"platform": str, "conversation": str, "reference": str, "updated_at": str},
        pk=("platform", "conversation"),
    )


@migration
def m011_users_recent_lang(db: sqlite_utils.Database) -> None:
    # The language someone last wrote in: a button or a bare "NPS" is answered in it.
    db.table("users").add_column("recent_lang", str)


import bot.nudges.migrations  # noqa: E402,F401  (m003, m004: nudge subscriptions and deliveries)
from bot.quiz import tables as _quiz_tables  # noqa: E402,F401  (registers m005-m007, m013)
from bot import store_privacy  # noqa: E402,F401  (m008, m009: user hashes, dashboard rollup)
from bot import pagestore as _pagestore  # noqa: E402,F401  (m010: pages behind "more" buttons)


def db_path() -> str:
    return os.environ.get("DX10_DB") or DEFAULT_DB


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def day_start(stamp: str) -> str:
    """The UTC day of an ISO time, as a time: for raw-id rows whose exact time would name a logged question."""
    return f"{stamp[:10]}T00:00:00+00:00"


LANG_CACHE_SIZE = 10_000
SEEN_MEMORY = 10_000  # recent event ids kept in memory: a retry is recognised before its row is flushed
SEEN_SWEEP_EVERY = 60.0  # seconds between deletes of expired seen event ids


class StoreError(UserError):
    """The store cannot be opened or used: one line that says why and what to do."""


def unknown_migrations(db: sqlite_utils.Database | sqlite3.Connection) -> list[str]:
    """Migrations recorded in the store that this dx10 does not have: a newer dx10 wrote it."""
    conn = db.conn if isinstance(db, sqlite_utils.Database) else db
    known = {name for name, _ in MIGRATIONS}
    return sorted(str(r[0]) for r in conn.execute("select name from migrations") if r[0] not in known)


def newer_store_message(target: str, unknown: list[str]) -> str:
    return (f"{target}: written by a newer dx10 (migration(s) this version does not have: {', '.join(unknown)}); "
            "run that version, or restore a backup taken before the upgrade")


def _open_read_only(target: str) -> sqlite3.Connection:
    """A connection that cannot write to the file, nor create files next to it.

    While a process has the store open its -wal and -shm files exist, and a read-only connection
    shares them. Without them nobody has it open: it is read as an immutable file, which needs
    neither (SQLite would otherwise create them, and a read-only folder or mount refuses that).
    """
    path = Path(target)
    if not path.is_file():
        raise StoreError(f"{target}: no store there; pass --db FILE or set DX10_DB")
    uri = path.resolve().as_uri()
    if not Path(f"{path}-wal").exists():
        return sqlite3.connect(f"{uri}?immutable=1", uri=True)
    return sqlite3.connect(f"{uri}?mode=ro", uri=True)


class Store:
    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        """The store at `path` (default: DX10_DB), migrated to this version.

        `read_only`: for commands that only read (export, nudges list): the file is neither
        migrated nor written, and no key is created. A store an older dx10 wrote is read through
        a migrated copy in memory.
        """
        target = str(path if path is not None else db_path())
        self.read_only = read_only
        try:
            if read_only:
                self.db = self._read_only(target)
            elif target == ":memory:":
                self.db = sqlite_utils.Database(memory=True)
            else:
                Path(target).parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite_utils.Database(target)
                self.db.execute("PRAGMA journal_mode=WAL")
                # WAL + NORMAL: no fsync per commit (a power cut may lose the last commits, never
                # corrupt the file); per-message logging cost halves (bench/slack_http.py).
                self.db.execute("PRAGMA synchronous=NORMAL")
            # What forget and retention delete is overwritten, not left readable in free pages
            # (the default of Debian's SQLite, not of every build).
            self.db.execute("PRAGMA secure_delete=ON")
            self.db.execute("PRAGMA busy_timeout=5000")
            if not read_only:
                self.db.table("migrations").create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
                if unknown := unknown_migrations(self.db):
                    raise StoreError(newer_store_message(target, unknown))
                self.migrate()
            self.secret = read_secret(self.db) if read_only else resolve_secret(self.db)
            self.key_from_env = key_from_env()
            # (platform, user, conversation) already in user_activity today; emptied when the day turns.
            self._active: set[tuple[str, str, str]] = set()
            self._active_day = ""
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc) or "malformed" in str(exc):
                raise StoreError(f"{target}: not a dx10 store, or damaged ({exc}); check the path, or restore a "
                                 "backup with dx10 restore") from None
            raise StoreError(
                f"Cannot open the store at {target!r} ({exc}). Set DX10_DB to a writable file path."
            ) from None
        except OSError as exc:
            raise StoreError(
                f"Cannot open the store at {target!r} ({exc}). Set DX10_DB to a writable file path."
            ) from None
        self.path = target
        # Per-message rows (log, seen ids) are written once per event-loop pass when a server enables it.
        self.later = WriteBehind(self.db.conn)
        self._langs: dict[tuple[str, str], str | None] = {}  # user_lang cache; set_user_lang keeps it true
        self._recent_langs: dict[tuple[str, str], str | None] = {}  # recent_lang cache; note_lang keeps it true
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._seen_swept = 0.0
        self._next_interaction = 0
        self._key_recorded = False  # the first logged row records which key writes the log

    # -- the key of the user hashes ---------------------------------------------------------

    def key_check(self) -> KeyCheck:
        return check_key(self.db, self.secret, from_env=self.key_from_env)

    def require_key(self, *, claim_unknown: bool = False) -> KeyCheck:
        """Raise KeyMismatch (one line for the operator) unless this process's key wrote the log.

        `claim_unknown`: a log from before key fingerprints that cannot be checked is taken to be
        this key's (for `dx10 serve`, whose key is the reference); others refuse it.
        """
        found = self.key_check()
        if found.state == "unknown" and claim_unknown:
            record_fingerprint(self.db, self.secret)
            return found
        if problem := found.problem():
            raise KeyMismatch(problem)
        return found

    def _read_only(self, target: str) -> sqlite_utils.Database:
        conn = _open_read_only(target)
        try:
            done = {str(r[0]) for r in conn.execute("select name from migrations")}
        except sqlite3.OperationalError as exc:
            conn.close()
            if "no such table" in str(exc):
                raise StoreError(f"{target}: not a dx10 store (it has no migrations table)") from None
            raise
        if unknown := unknown_migrations(conn):
            conn.close()
            raise StoreError(newer_store_message(target, unknown))
        if {name for name, _ in MIGRATIONS} <= done:
            return sqlite_utils.Database(conn)
        # An older dx10's store (an old backup, say): migrate a copy in memory, never the file.
        copy = sqlite3.connect(":memory:")
        conn.backup(copy)
        conn.close()
        db = sqlite_utils.Database(copy)
        self.db = db
        self.migrate()
        return db

    def migrate(self) -> list[str]:
        self.db.table("migrations").create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
        done = {row["name"] for row in self.db["migrations"].rows}
        applied = []
        # By name: branches register theirs from their own modules, in any import order.
        for name, fn in sorted(MIGRATIONS, key=lambda m: m[0]):
            if name in done:
                continue
            with self.db.conn:
                fn(self.db)
                self.db.table("migrations").insert({"name": name, "applied_at": now_iso()})
            applied.append(name)
        return applied

    # -- users ------------------------------------------------------------------------------

    def user_lang(self, platform: str, user_id: str) -> str | None:
        key = (platform, user_id)
        if key in self._langs:
            return self._langs[key]
        row = self.db.execute(
            "select lang from users where platform = ? and user_id = ?", [platform, user_id]
        ).fetchone()
        lang = row[0] if row and row[0] else None
        if len(self._langs) >= LANG_CACHE_SIZE:  # bounded; a full clear is rare and cheap to refill
            self._langs.clear()
        self._langs[key] = lang
        return lang

    def recent_lang(self, platform: str, user_id: str) -> str | None:
        """The language this person last wrote in (not a choice they made: see user_lang)."""
        key = (platform, user_id)
        if key not in self._recent_langs:
            row = self.db.execute(
                "select recent_lang from users where platform = ? and user_id = ?", [platform, user_id]
            ).fetchone()
            if len(self._recent_langs) >= LANG_CACHE_SIZE:
                self._recent_langs.clear()
            self._recent_langs[key] = row[0] if row and row[0] else None
        return self._recent_langs[key]

    def note_lang(self, platform: str, user_id: str, lang: str) -> None:
        """Remember the language of what someone wrote, for buttons and acronyms that have none."""
        if self.recent_lang(platform, user_id) == lang:
            return  # the usual case: no write
        self._recent_langs[(platform, user_id)] = lang
        stamp = day_start(now_iso())  # not to the second: it would match the logged question's time
        self.later.write(
            "insert into users (platform, user_id, recent_lang, created_at, updated_at) values (?, ?, ?, ?, ?) "
            "on conflict (platform, user_id) do update set recent_lang = excluded.recent_lang, updated_at = excluded.updated_at",
            [platform, user_id, lang, stamp, stamp],
        )

    def set_user_lang(self, platform: str, user_id: str, lang: str | None) -> None:
        stamp = day_start(now_iso())
        with self.db.conn:
            self.db.execute(
                "insert into users (platform, user_id, lang, created_at, updated_at) values (?, ?, ?, ?, ?) "
                "on conflict (platform, user_id) do update set lang = excluded.lang, updated_at = excluded.updated_at",
                [platform, user_id, lang, stamp, stamp],
            )
        self._langs.pop((platform, user_id), None)

    # -- interactions -------------------------------------------------------------------------

    def log_interaction(
        self,
        *,
        platform: str,
        user_id: str,
        conversation: str,
        direct: bool = True,
        text: str | None,
        intent: str,
        principle: int | None,
        facet: str | None,
        term: str | None,
        confidence: float,
        answered: bool,
        also: tuple[int, ...] = (),
    ) -> int:
        stamp = now_iso()
        # The log holds only the keyed hash; the raw id goes to user_activity, once per person,
        # conversation and day (features that must reach people read it; retention trims it).
        # Its time is the day only: a time to the second would match the logged row's and so name it.
        where = (platform, user_id, conversation)
        activity: tuple[str, list[Any]] | None = None
        if stamp[:10] != self._active_day:
            self._active, self._active_day = set(), stamp[:10]
        if where not in self._active:
            activity = (
                "insert into user_activity (platform, user_id, conversation, last_at) values (?, ?, ?, ?) "
                "on conflict (platform, user_id, conversation) do update set last_at = excluded.last_at",
                [platform, user_id, conversation, day_start(stamp)],
            )
            self._active.add(where)
        # Only the kind of conversation: a DM's id would lead back to the person (m013).
        # `also`: the other principles a question names, answered with it (counted for each, m015).
        sql = (
            "insert into interactions (id, at, platform, user_key, conversation_kind, text, intent, principle, facet, "
            "term, confidence, answered, also) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        values = [stamp, platform, self.user_key(platform, user_id), "direct" if direct else "channel", text, intent,
                  principle, facet, term, confidence, int(answered), ",".join(map(str, also)) or None]
        if not self._key_recorded:
            record_fingerprint(self.db, self.secret)  # insert or ignore: a key recorded earlier stays
            self._key_recorded = True
        if self.later.enabled:
            if activity:
                self.later.write(*activity)
            # The 👍/👎 buttons need the id now; the row follows at the end of the loop pass. If
            # another process took the id meanwhile, SQLite picks another (that answer's vote is lost).
            reserved = self._reserve_interaction_id()
            self.later.write(sql, [reserved, *values], fallback=(sql, [None, *values]))
            return reserved
        with self.db.conn:
            if activity:
                self.db.execute(*activity)
            cursor = self.db.execute(sql, [None, *values])
        return int(cursor.lastrowid or 0)

    def user_key(self, platform: str, user_id: str) -> str:
        """The keyed hash the interaction log holds instead of the raw platform id."""
        return user_key(self.secret, platform, user_id)

    def _reserve_interaction_id(self) -> int:
        top = self.db.execute("select max(id) from interactions").fetchone()[0] or 0
        self._next_interaction = max(self._next_interaction, top + 1)
        self._next_interaction += 1
        return self._next_interaction - 1

    def set_feedback(self, interaction_id: int, platform: str, user_id: str, value: int) -> bool:
        """Record 👍/👎; only the person who asked can rate the answer."""
        self.later.flush()  # the rated answer's row may still be queued
        with self.db.conn:
            cursor = self.db.execute(
                "update interactions set feedback = ? where id = ? and platform = ? and user_key = ?",
                [value, interaction_id, platform, self.user_key(platform, user_id)],
            )
        return cursor.rowcount == 1

    # -- event de-duplication ---------------------------------------------------------------

    def first_sighting(self, platform: str, event_id: str, *, ttl: float = 3600.0, now: float | None = None) -> bool:
        """True the first time an event id is seen within `ttl` seconds, False for a retry."""
        stamp = time.time() if now is None else now
        key = (platform, event_id)
        seen_at = self._seen.get(key)
        if seen_at is None:  # not seen by this process lately: maybe before a restart
            row = self.db.execute(
                "select seen_at from seen_events where platform = ? and event_id = ?", [platform, event_id]
            ).fetchone()
            seen_at = row[0] if row else None
        if seen_at is not None and seen_at >= stamp - ttl:
            return False
        self._seen[key] = stamp
        if len(self._seen) > SEEN_MEMORY:
            self._seen.popitem(last=False)
        if abs(stamp - self._seen_swept) >= SEEN_SWEEP_EVERY:  # expired ids: swept now and then, not per event
            self.later.write("delete from seen_events where seen_at < ?", [stamp - ttl])
            self._seen_swept = stamp
        self.later.write(
            "insert into seen_events (platform, event_id, seen_at) values (?, ?, ?) "
            "on conflict (platform, event_id) do update set seen_at = excluded.seen_at",
            [platform, event_id, stamp],
        )
        return True

    # -- conversation references ----------------------------------------------------------------

    def save_conversation(self, platform: str, conversation: str, reference: dict[str, Any]) -> None:
        with self.db.conn:
            self.db.table("conversations").upsert(
                {"platform": platform, "conversation": conversation, "reference": json.dumps(reference),
                 "updated_at": now_iso()},
                pk=("platform", "conversation"),
            )

    def conversation(self, platform: str, conversation: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "select reference from conversations where platform = ? and conversation = ?", [platform, conversation]
        ).fetchone()
        return json.loads(row[0]) if row else None

    def close(self) -> None:
        self.later.disable()
        self.db.close()
