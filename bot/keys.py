"""Changing the key of the user hashes on purpose (`dx10 key adopt`).

The log's rows cannot be turned back into ids, so they can move to a new key only for people
dx10 still knows by raw id (any table with `platform` + `user_id`, or a stored conversation
reference), and only when the old key is at hand: the store's own random key is; an old
DX10_SECRET must be given. Every other row stays under the old key: `dx10 forget` can no longer
match it (unless the old key is the store's own, which forget also tries), and its text goes when
retention comes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils

from bot.privacy import fingerprint, record_fingerprint, user_key


@dataclass(frozen=True)
class Adopted:
    rehashed_rows: int
    rehashed_people: int
    left_rows: int  # rows still under another key


def known_people(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    """Every (platform, user id) the store holds in the clear."""
    people: set[tuple[str, str]] = set()
    for name in db.table_names():
        columns = {c.name for c in db[name].columns}
        if {"platform", "user_id"} <= columns:
            people.update((str(p), str(u)) for p, u in db.execute(
                f"select distinct platform, user_id from [{name}] where user_id is not null and platform is not null"))
    if db["conversations"].exists():
        for platform, reference in db.execute("select platform, reference from conversations"):
            try:
                data = json.loads(reference or "{}")
            except json.JSONDecodeError:
                continue
            user = data.get("user") if isinstance(data, dict) else None
            user = user.get("id") if isinstance(user, dict) else user
            if isinstance(user, str) and user:
                people.add((str(platform), user))
    return people


def adopt(db: sqlite_utils.Database, new: bytes, old: bytes | None) -> Adopted:
    """Record `new` as the log's key; move the rows of every known person from `old` to it when given."""
    rows = people = 0
    with db.conn:
        if old is not None and old != new:
            for platform, user in sorted(known_people(db)):
                n = db.execute("update interactions set user_key = ? where user_key = ?",
                               [user_key(new, platform, user), user_key(old, platform, user)]).rowcount
                if n:
                    rows, people = rows + n, people + 1
    record_fingerprint(db, new, replace=True)
    # Rows still under another key: none of a known person's hashes under the new key.
    mine = {user_key(new, p, u) for p, u in known_people(db)}
    left = sum(1 for (k,) in db.execute("select user_key from interactions where user_key is not null") if k not in mine)
    return Adopted(rows, people, left)


def matches(secret: bytes, recorded: str | None) -> bool:
    return recorded is not None and fingerprint(secret) == recorded
