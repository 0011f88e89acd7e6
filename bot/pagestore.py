"""The later pages of an over-long answer, kept in the store until their "more" button is pressed.

Platform-neutral: an adapter stores each page as the JSON it will send (Block Kit, a card...), so
a press after a restart, or on another process sharing the file, still finds its page. Rows
expire (a week by default) and expired rows are deleted whenever new pages are stored.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import TYPE_CHECKING, Any

import sqlite_utils

from bot.store import migration

if TYPE_CHECKING:
    from bot.store import Store

PAGE_TTL = 7 * 24 * 3600.0  # a week: "more" under an answer still in view on Monday works


@migration
def m010_pages(db: sqlite_utils.Database) -> None:
    db.table("pages").create(
        {"platform": str, "token": str, "number": int, "payload": str, "expires_at": float},
        pk=("platform", "token", "number"),
    )
    db.table("pages").create_index(["expires_at"])


def new_token() -> str:
    return secrets.token_urlsafe(9)  # unguessable: a button value is the only key to the pages


class PageStore:
    def __init__(self, store: "Store", platform: str, ttl: float = PAGE_TTL) -> None:
        self.store = store
        self.platform = platform
        self.ttl = ttl

    def put(self, token: str, pages: list[dict[str, Any]], *, now: float | None = None) -> None:
        """Keeps pages 1.. (page 0 is sent at once and never asked for again)."""
        stamp = time.time() if now is None else now
        rows = [(self.platform, token, n, json.dumps(page, ensure_ascii=False), stamp + self.ttl)
                for n, page in enumerate(pages) if n > 0]
        with self.store.db.conn:
            self.store.db.execute("delete from pages where expires_at < ?", [stamp])
            self.store.db.conn.executemany(
                "insert or replace into pages (platform, token, number, payload, expires_at) values (?, ?, ?, ?, ?)",
                rows,
            )

    def get(self, token: str, number: int, *, now: float | None = None) -> dict[str, Any] | None:
        """Page `number` of `token`, or None when it expired or never existed."""
        stamp = time.time() if now is None else now
        row = self.store.db.execute(
            "select payload from pages where platform = ? and token = ? and number = ? and expires_at >= ?",
            [self.platform, token, number, stamp],
        ).fetchone()
        return json.loads(row[0]) if row else None

    def lookup(self, ref: str) -> tuple[str, int, dict[str, Any]] | None:
        """(token, number, page) for a button's "<token>:<number>", or None when it is not one we keep."""
        token, _, number = ref.partition(":")
        page = self.get(token, int(number)) if number.isdigit() else None
        return (token, int(number), page) if page is not None else None
