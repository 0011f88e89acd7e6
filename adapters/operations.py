"""Operations endpoints of `dx10 serve`: /healthz, /metrics, and the daily retention job."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

import sqlite_utils
from aiohttp import web

from bot import metrics
from bot.core import Assistant
from bot.health import Heartbeats
from bot.privacy import SECRET_WARNING
from bot.retention import (
    RetentionError, cutoff, purge_activity, purge_batch, purge_comments, purge_texts, retention_days,
)
from bot.stats import Period, interaction_groups

log = logging.getLogger("dx10.operations")

OPS_ASSISTANT = web.AppKey("ops_assistant", Assistant)
OPS_STATUS = web.AppKey("ops_status", dict)
HEARTBEATS_KEY = web.AppKey("heartbeats", Heartbeats)
RETENTION_TASK = web.AppKey("retention_task", asyncio.Task)
RETENTION_EVERY = 24 * 3600.0
WARM_DAYS = 90


class OperationsConfigError(ValueError):
    pass


def add_operations(app: web.Application, assistant: Assistant, env: Mapping[str, str], status: dict[str, Any]) -> None:
    """Routes and the retention loop; `status` is the app's adapters/warnings dict (extended here)."""
    try:
        days = retention_days(env)
    except RetentionError as exc:
        raise OperationsConfigError(str(exc)) from None
    if not (env.get("DX10_SECRET") or "").strip():
        status.setdefault("warnings", []).append(SECRET_WARNING)
        log.warning(SECRET_WARNING)
    status["retention_days"] = days
    app[OPS_ASSISTANT] = assistant
    app[OPS_STATUS] = status
    heartbeats = app[HEARTBEATS_KEY] = Heartbeats()  # every background loop reports here; the probe reads it
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_view)

    async def start(app: web.Application) -> None:
        app[RETENTION_TASK] = asyncio.create_task(_retention_loop(assistant, days, heartbeats), name="dx10-retention")

    async def stop(app: web.Application) -> None:
        await stop_loop(app, RETENTION_TASK, "retention")

    app.on_startup.append(start)
    app.on_cleanup.append(stop)


async def stop_loop(app: web.Application, key: web.AppKey[asyncio.Task[Any]], name: str) -> None:
    """Cancel a background loop started as app[key], and take it off /healthz (stopped is not dead)."""
    task = app.get(key)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    app[HEARTBEATS_KEY].forget(name)


async def _retention_loop(assistant: Assistant, days: int, heartbeats: Heartbeats) -> None:
    while True:
        heartbeats.beat("retention", every=RETENTION_EVERY)
        try:
            total = await _purge(assistant, days)
            if total:
                log.info("retention: deleted the text of %d question(s) older than %d day(s)", total, days)
        except Exception:  # the job must outlive a locked or busy store; it tries again tomorrow
            log.exception("retention: the daily run failed")
        await asyncio.sleep(RETENTION_EVERY)


async def _purge(assistant: Assistant, days: int) -> int:
    path = assistant.store.path
    if path == ":memory:":  # no second connection can see it: purge on the loop, in batches
        before, total = cutoff(days), 0
        while n := purge_batch(assistant.store.db, before):
            total += n
            await asyncio.sleep(0)
        purge_activity(assistant.store.db, before)
        purge_comments(assistant.store.db, before)
        return total
    # A first run can face months of backlog: a thread with its own connection does it in short
    # batches, so the event loop keeps answering (WAL lets readers and one writer proceed).
    return await asyncio.to_thread(_purge_file, path, days)


def _purge_file(path: str, days: int) -> int:
    db = sqlite_utils.Database(path)
    try:
        db.execute("PRAGMA busy_timeout=5000")
        db.execute("PRAGMA secure_delete=ON")  # deleted texts are overwritten, not left in free pages
        purged = purge_texts(db, days).questions
        # While here, roll up the last 90 days for the dashboard, so its first view after a
        # restart does not pay for it.
        interaction_groups(db, Period.last_days(WARM_DAYS))
        return purged
    finally:
        db.close()


async def healthz(request: web.Request) -> web.Response:
    status = request.app[OPS_STATUS]
    store_ok = True
    try:
        request.app[OPS_ASSISTANT].store.db.execute("select 1").fetchone()
    except Exception:  # any failure means "not reachable" to the probe
        store_ok = False
    loops = request.app[HEARTBEATS_KEY].status()
    alive = all(bool(loop["alive"]) for loop in loops.values())
    body = {"ok": store_ok and alive, "store": store_ok, "scheduler": loops, "adapters": status["adapters"],
            "dashboard": bool(status.get("dashboard")), "retention_days": status.get("retention_days"),
            "warnings": status["warnings"]}
    return web.json_response(body, status=200 if body["ok"] else 503)


def _store_lines(assistant: Assistant) -> list[str]:
    db = assistant.store.db
    lines: list[str] = []
    if db["nudge_deliveries"].exists():
        lines += ["# HELP dx10_nudge_deliveries Nudge deliveries in the store, by status.",
                  "# TYPE dx10_nudge_deliveries gauge"]
        counts = {"sent": 0, "skipped": 0, "failed": 0}
        counts.update({str(s): n for s, n in db.execute("select status, count(*) from nudge_deliveries group by status")})
        lines += [f'dx10_nudge_deliveries{{status="{s}"}} {n}' for s, n in sorted(counts.items())]
    return lines


async def metrics_view(request: web.Request) -> web.Response:
    text = metrics.render(_store_lines(request.app[OPS_ASSISTANT]))
    return web.Response(body=text.encode("utf-8"), headers={
        "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "X-Content-Type-Options": "nosniff"})
