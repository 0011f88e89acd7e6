"""The admin dashboard (/dashboard, /api/stats.json): on only when DX10_DASHBOARD_TOKEN is set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.retention import retention_days

if TYPE_CHECKING:
    from aiohttp import web

    from adapters.serve import Mounted
    from bot.core import Assistant

MIN_TOKEN_LENGTH = 16


def mount(app: web.Application, assistant: Assistant, env: Mapping[str, str]) -> Mounted | None:
    from adapters.dashboard.auth import trusted_proxies
    from adapters.dashboard.views import Dashboard, add_routes
    from adapters.serve import DashboardConfigError, Mounted

    token = (env.get("DX10_DASHBOARD_TOKEN") or "").strip()
    if not token:
        return None
    if len(token) < MIN_TOKEN_LENGTH:
        raise DashboardConfigError(
            f"DX10_DASHBOARD_TOKEN is too short: use at least {MIN_TOKEN_LENGTH} random characters, e.g. the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(24))'")
    add_routes(app, Dashboard(assistant, token, retention_days(env), trusted_proxies(env)))
    return Mounted("dashboard")
