"""Group commit for the store's per-message writes (the interaction log and seen event ids).

Committing costs far more than the insert itself: each commit appends the touched pages to the
WAL again, and a fuller WAL means more checkpoints. A busy server writes two such rows per
message, so it pays that per message. With group commit switched on, these writes still run at
once on the store's connection (so `lastrowid` is known at once, and a retried event id is
recognised at once), but their transaction stays open until the event loop finishes its current
pass. The writes of every message handled in that pass then share one commit. Nothing waits on
a timer: the commit is one loop pass away, long before Slack's first retry (about 3 s), and
before the task that wrote can get an answer back from the network.

Off by default. `dx10 serve` switches it on while its event loop runs (adapters/slack/app.py);
the CLI, the console and tests without a server commit each write at once, as before.
Writes that do not opt in (`with db.conn:` blocks elsewhere) are untouched. When one of them
runs while a group is open, its commit also commits the group, only earlier.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)


class GroupCommit:
    def __init__(self, conn: sqlite3.Connection, max_writes: int = 1000) -> None:
        self.conn = conn
        self.max_writes = max_writes  # bounds the open transaction when a pass handles a flood of messages
        self._loop: asyncio.AbstractEventLoop | None = None
        self._writes = 0  # writes waiting for the pending commit
        self._scheduled = False

    @property
    def enabled(self) -> bool:
        return self._loop is not None

    @property
    def pending(self) -> int:
        return self._writes

    def enable(self, loop: asyncio.AbstractEventLoop) -> None:
        """From now on, deferrable writes made on `loop` are committed at the end of its pass."""
        self._loop = loop

    def disable(self) -> None:
        """Commit what is pending; later writes commit at once again."""
        self.flush()
        self._loop = None

    @contextmanager
    def write(self) -> Iterator[None]:
        """Wrap one deferrable write (one or more statements that belong together)."""
        if not self._deferring():
            with self.conn:
                yield
            return
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN")
        # No savepoint per write: SQLite undoes a failing statement by itself and the group's
        # other writes stay; the callers' writes are single statements (or a harmless sweep first).
        yield
        self._writes += 1
        if self._writes >= self.max_writes:
            self.flush()
        elif not self._scheduled:
            self._scheduled = True
            assert self._loop is not None
            self._loop.call_soon(self._commit_soon)

    def flush(self) -> None:
        """Commit the pending group now (shutdown, or before anything that must see it durable)."""
        self._writes = 0
        if self.conn.in_transaction:
            try:
                self.conn.commit()
            except sqlite3.Error as exc:
                # The rows are lost (the log and de-dup records of one loop pass); the server keeps
                # running, and the next write starts a fresh transaction.
                log.warning("store: could not commit %s (%s); rolled back", "grouped writes", exc)
                self.conn.rollback()

    def _deferring(self) -> bool:
        if self._loop is None:
            return False
        try:
            return asyncio.get_running_loop() is self._loop
        except RuntimeError:  # a thread or a plain call outside the loop: commit at once
            return False

    def _commit_soon(self) -> None:
        self._scheduled = False
        if self._loop is not None:  # not disabled (e.g. the store closed) since it was scheduled
            self.flush()
