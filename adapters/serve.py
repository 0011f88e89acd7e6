"""`dx10 serve`: one aiohttp application that mounts every configured platform."""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from aiohttp import web

from adapters import quiz_loop
from adapters.operations import OperationsConfigError, add_operations
from bot.core import Assistant
from bot.errors import UserError

log = logging.getLogger("dx10.serve")

ASSISTANT = web.AppKey("assistant", Assistant)
STATUS = web.AppKey("status", dict)


class ConfigError(UserError):
    """Missing or contradictory settings: one line that says which variable to set."""


class DashboardConfigError(ConfigError):
    """A dashboard setting that cannot be used (raised by adapters.dashboard)."""


@dataclass
class Mounted:
    name: str
    warnings: list[str] = field(default_factory=list)
    on_startup: list[Callable[[web.Application], Awaitable[None]]] = field(default_factory=list)
    on_cleanup: list[Callable[[web.Application], Awaitable[None]]] = field(default_factory=list)


# Each platform module exposes `mount(app, assistant, env) -> Mounted | None` (None: not configured).
Mount = Callable[[web.Application, Assistant, Mapping[str, str]], Mounted | None]


def _platform_mounts() -> list[Mount]:
    mounts: list[Mount] = []
    try:
        from adapters.slack import mount as slack_mount
    except ImportError:  # the adapter is not built yet
        pass
    else:
        mounts.append(slack_mount)
    try:
        from adapters.teams import mount as teams_mount
    except ImportError:
        pass
    else:
        mounts.append(teams_mount)
    return mounts


def mount_dashboard(app: web.Application, assistant: Assistant, env: Mapping[str, str]) -> Mounted | None:
    from adapters.dashboard import mount

    return mount(app, assistant, env)


async def _freeze_startup_heap(_app: web.Application) -> None:
    """Keep the cyclic GC from rescanning what lives as long as the process.

    The knowledge base, the matcher's tables and the SDKs are ~100k objects that never become
    garbage, yet every full collection walked them all again (bench/slack_http.py: about a tenth
    of the CPU per Slack message).
    """
    gc.collect()
    gc.freeze()


async def _unfreeze(_app: web.Application) -> None:
    gc.unfreeze()  # the app is gone; its objects may be collected again (matters in tests, not in dx10 serve)


_PLATFORMS = {"slack": "Slack over HTTP (POST /slack/events)", "slack-socket-mode": "Slack in Socket Mode",
              "teams": "Teams (POST /api/messages)"}


def describe(app: web.Application, where: str) -> str:
    """The start-up line: where dx10 listens, what it serves and with which store."""
    status = app[STATUS]
    platforms = ", ".join(_PLATFORMS.get(name, name) for name in status["adapters"])
    return (f"dx10 serving {platforms} on {where}; dashboard {'on (/dashboard)' if status.get('dashboard') else 'off'}; "
            f"nudge scheduler {'on' if status.get('nudge_scheduler') else 'off'}; "
            f"question texts kept {status.get('retention_days')} days; store {app[ASSISTANT].store.path}")


def build_app(assistant: Assistant, env: Mapping[str, str] | None = None) -> web.Application:
    env = os.environ if env is None else env
    app = web.Application(client_max_size=1024 * 1024)
    app[ASSISTANT] = assistant
    mounted = [m for mount in _platform_mounts() if (m := mount(app, assistant, env)) is not None]
    if not mounted:
        raise ConfigError(
            "no chat platform is configured: set SLACK_BOT_TOKEN (Slack) or MICROSOFT_APP_ID (Teams); "
            "see README 'Run it in Slack' / 'Run it in Teams'"
        )
    warnings = [w for m in mounted for w in m.warnings]
    for w in warnings:
        log.warning(w)
    app[STATUS] = {"adapters": [m.name for m in mounted], "warnings": warnings}
    # /healthz, /metrics, the retention job; the admin dashboard when DX10_DASHBOARD_TOKEN is set.
    try:
        add_operations(app, assistant, env, app[STATUS])
    except OperationsConfigError as exc:
        raise ConfigError(str(exc)) from None
    dashboard = mount_dashboard(app, assistant, env)  # raises DashboardConfigError (a ConfigError)
    app[STATUS]["dashboard"] = dashboard is not None
    for m in [*mounted, *([dashboard] if dashboard else [])]:
        app.on_startup.extend(m.on_startup)
        app.on_cleanup.extend(m.on_cleanup)
    app.on_startup.append(_freeze_startup_heap)  # last: after every platform has loaded
    app.on_cleanup.append(_unfreeze)
    from adapters.nudges import attach as attach_nudges  # here: adapters.nudges imports this module

    app[STATUS]["nudge_scheduler"] = attach_nudges(app, assistant, env)
    quiz_start, quiz_stop = quiz_loop.hooks(assistant, env)  # after the mounts: their senders exist by then
    app.on_startup.extend(quiz_start)
    app.on_cleanup[:0] = quiz_stop
    return app
