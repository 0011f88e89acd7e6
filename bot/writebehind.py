"""Write-behind for the store's per-message rows (the interaction log and seen event ids).

Committing costs far more than the insert itself: each commit appends the touched pages to the
WAL again, and a fuller WAL means more checkpoints. A busy server wrote two such rows per
message and paid two or three commits for them. With write-behind switched on, these rows are
queued in memory and written together, in one short transaction, when the event loop finishes
its current pass: one commit for every message handled in that pass. Nothing waits on a timer:
the rows are on disk one loop pass later, long before Slack's first retry (about 3 s).

No transaction stays open between passes, so every other write in the process (nudges,
quizzes, settings) commits exactly when its own code says, and other processes never wait for
us longer than one short flush. What the callers need at once is answered from memory: the
store keeps recently seen event ids, and reserves interaction ids (see Store.log_interaction).

Off by default. `dx10 serve` switches it on while its event loop runs (adapters/slack/app.py);
the CLI, the console and tests without a server write each row at once, as before. A hard
crash (SIGKILL, power) can lose the rows of the current pass only.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

Params = Sequence[Any]


@dataclass(frozen=True)
class _Row:
    sql: str
    params: Params
    # Used when `sql` hits a constraint in a flush (e.g. another process took a reserved id).
    fallback: tuple[str, Params] | None = None


class WriteBehind:
    def __init__(self, conn: sqlite3.Connection, max_pending: int = 1000) -> None:
        self.conn = conn
        self.max_pending = max_pending  # bounds memory and the flush when one pass handles a flood
        self._loop: asyncio.AbstractEventLoop | None = None
        self._rows: list[_Row] = []
        self._scheduled = False

    @property
    def enabled(self) -> bool:
        """True when a write made now (on the enabling loop) would be queued."""
        if self._loop is None:
            return False
        try:
            return asyncio.get_running_loop() is self._loop
        except RuntimeError:  # another thread, or no loop: write at once
            return False

    @property
    def pending(self) -> int:
        return len(self._rows)

    def enable(self, loop: asyncio.AbstractEventLoop) -> None:
        """From now on, rows written on `loop` are queued and flushed at the end of its pass."""
        self._loop = loop

    def disable(self) -> None:
        """Flush what is queued; later rows are written at once again."""
        self.flush()
        self._loop = None

    def write(self, sql: str, params: Params, fallback: tuple[str, Params] | None = None) -> None:
        """Queue one statement (or run and commit it now when write-behind is off)."""
        if not self.enabled:
            with self.conn:
                self.conn.execute(sql, params)
            return
        self._rows.append(_Row(sql, params, fallback))
        if len(self._rows) >= self.max_pending:
            self.flush()
        elif not self._scheduled:
            self._scheduled = True
            assert self._loop is not None
            self._loop.call_soon(self._flush_soon)

    def flush(self) -> None:
        """Write every queued row in one transaction."""
        rows, self._rows = self._rows, []
        if not rows:
            return
        try:
            with self.conn:
                for row in rows:
                    self.conn.execute(row.sql, row.params)
        except sqlite3.IntegrityError:
            self._one_by_one(rows)  # rare: find the row that conflicts, keep the others
        except sqlite3.Error as exc:
            # The log and de-dup rows of one pass are lost; the server keeps answering.
            log.warning("store: could not write %d queued row(s): %s", len(rows), exc)

    def _one_by_one(self, rows: list[_Row]) -> None:
        refused: list[_Row] = []
        for row in rows:
            try:
                with self.conn:
                    self.conn.execute(row.sql, row.params)
            except sqlite3.IntegrityError as exc:
                if row.fallback is None:
                    log.warning("store: dropped a queued row (%s)", exc)
                else:
                    refused.append(row)
            except sqlite3.Error as exc:
                log.warning("store: could not write a queued row: %s", exc)
        # Fallbacks last: a fallback that lets SQLite pick a new id must not take one reserved by a later row.
        for row in refused:
            assert row.fallback is not None
            try:
                with self.conn:
                    self.conn.execute(*row.fallback)
            except sqlite3.Error as exc:
                log.warning("store: could not write a queued row: %s", exc)

    def _flush_soon(self) -> None:
        self._scheduled = False
        if self._loop is not None:  # not disabled (e.g. the store closed) since it was scheduled
            self.flush()
