"""The background loop of `dx10 serve` that drives timed quiz work (bot/quiz/ticker.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from aiohttp import web

from adapters.operations import HEARTBEATS_KEY, stop_loop
from bot.core import Assistant
from bot.health import Heartbeats
from bot.quiz.feature import QuizFeature
from bot.quiz.ticker import QuizTicker
from bot.senders import Sender
from bot.settings import flag

log = logging.getLogger("dx10.quiz")

INTERVAL = 5.0  # seconds between ticks: reveals land within a few seconds of their time
TASK = web.AppKey("quiz_loop", asyncio.Task)
TICKER = web.AppKey("quiz_ticker", QuizTicker)

Hook = Callable[[web.Application], Awaitable[None]]


def _senders(app: web.Application) -> dict[str, Sender]:
    # Each platform mount puts its sender in the app under its own key; the loop needs no adapter imports.
    return {v.platform: v for v in app.values() if hasattr(v, "platform") and hasattr(v, "send")}


async def _run(ticker: QuizTicker, heartbeats: Heartbeats) -> None:
    await ticker.recover(datetime.now(UTC))
    while True:
        heartbeats.beat("quiz", every=max(INTERVAL, 60.0))  # /healthz: alive while this keeps beating
        try:
            await ticker.tick(datetime.now(UTC))
        except Exception:  # a bad row or a full disk must not end timed work for good
            log.exception("quiz: tick failed")
        await asyncio.sleep(INTERVAL)


def hooks(assistant: Assistant, env: Mapping[str, str]) -> tuple[list[Hook], list[Hook]]:
    """(on_startup, on_cleanup) for the app; empty when the quiz feature is not switched on."""
    quizzes = [f for f in assistant.features if isinstance(f, QuizFeature)]
    if not quizzes:
        return [], []
    feature = quizzes[0]
    nps = flag(env, "DX10_QUIZ_NPS", True)  # read now: a bad value stops the start, not the first tick

    async def start(app: web.Application) -> None:
        ticker = app[TICKER] = QuizTicker(feature, _senders(app), nps=nps)
        app[TASK] = asyncio.create_task(_run(ticker, app[HEARTBEATS_KEY]))

    async def stop(app: web.Application) -> None:
        await stop_loop(app, TASK, "quiz")

    return [start], [stop]
