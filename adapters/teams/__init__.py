"""Microsoft Teams adapter (Bot Framework SDK for Python).

Every botbuilder import lives in this package: the SDK is archived (end of support 2025-12-31)
and its successor, the Microsoft 365 Agents SDK, needs Python 3.12+, so moving to it should
touch this folder alone. `mount` imports the SDK lazily so that `dx10 teams-package` and the
rest of the CLI start without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

    from adapters.serve import Mounted
    from bot.core import Assistant


def mount(app: web.Application, assistant: Assistant, env: Mapping[str, str]) -> Mounted | None:
    """Mount POST /api/messages when Teams is configured (see adapters/teams/settings.py)."""
    from adapters.teams.endpoint import mount as mount_endpoint

    return mount_endpoint(app, assistant, env)
