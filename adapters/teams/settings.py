"""Teams settings from the environment, checked up front so a bad setting stops `dx10 serve`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from adapters.serve import ConfigError
from bot.settings import flag

APP_TYPES = {"singletenant": "SingleTenant", "multitenant": "MultiTenant", "userassignedmsi": "UserAssignedMSI"}
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

UNAUTHENTICATED_WARNING = (
    "TEAMS_ALLOW_UNAUTHENTICATED=1: POST /api/messages accepts requests WITHOUT Bot Framework "
    "authentication and replies only to loopback serviceUrls. For local testing only: never expose "
    "this server; set MICROSOFT_APP_ID (and its password/tenant) for real Teams."
)


@dataclass(frozen=True)
class TeamsSettings:
    app_id: str | None  # None: the unauthenticated local-testing mode
    password: str | None = None
    tenant_id: str | None = None
    app_type: str = "SingleTenant"

    @property
    def authenticated(self) -> bool:
        return self.app_id is not None


def _get(env: Mapping[str, str], name: str) -> str | None:
    # An empty variable counts as unset: shells and .env files often leave `NAME=` behind.
    value = (env.get(name) or "").strip()
    return value or None


def load(env: Mapping[str, str]) -> TeamsSettings | None:
    """The Teams settings, None when Teams is not configured, ConfigError when they contradict."""
    app_id = _get(env, "MICROSOFT_APP_ID")
    password = _get(env, "MICROSOFT_APP_PASSWORD")
    tenant = _get(env, "MICROSOFT_APP_TENANT_ID")
    raw_type = _get(env, "MICROSOFT_APP_TYPE")
    unauth = flag(env, "TEAMS_ALLOW_UNAUTHENTICATED", False)  # 1/true/yes/on, like every switch

    if app_id is None:
        stray = [n for n, v in (("MICROSOFT_APP_PASSWORD", password), ("MICROSOFT_APP_TENANT_ID", tenant),
                                ("MICROSOFT_APP_TYPE", raw_type)) if v]
        if stray:
            raise ConfigError(f"{stray[0]} is set but MICROSOFT_APP_ID is not: set MICROSOFT_APP_ID or unset {stray[0]}")
        return TeamsSettings(app_id=None, app_type="MultiTenant") if unauth else None

    if unauth:
        raise ConfigError(
            "MICROSOFT_APP_ID and TEAMS_ALLOW_UNAUTHENTICATED=1 contradict each other: "
            "unset TEAMS_ALLOW_UNAUTHENTICATED (it is only for local testing without an app id)"
        )
    if not _GUID.match(app_id):
        raise ConfigError("MICROSOFT_APP_ID must be the Azure Bot's Microsoft App ID (a GUID like 1b2c3d4e-...)")
    app_type = APP_TYPES.get((raw_type or "SingleTenant").lower())
    if app_type is None:
        raise ConfigError(f"MICROSOFT_APP_TYPE must be SingleTenant, MultiTenant or UserAssignedMSI (got {raw_type!r})")
    named = f"MICROSOFT_APP_TYPE={app_type}" + (" (the default)" if raw_type is None else "")
    if app_type in ("SingleTenant", "UserAssignedMSI") and not tenant:
        raise ConfigError(f"{named} needs MICROSOFT_APP_TENANT_ID (the Entra ID tenant of the bot)")
    if app_type == "UserAssignedMSI" and password:
        raise ConfigError("MICROSOFT_APP_TYPE=UserAssignedMSI uses a managed identity: unset MICROSOFT_APP_PASSWORD")
    if app_type != "UserAssignedMSI" and not password:
        raise ConfigError(f"{named} needs MICROSOFT_APP_PASSWORD (the bot's client secret)")
    return TeamsSettings(app_id=app_id, password=password, tenant_id=tenant, app_type=app_type)


class SdkConfig:
    """The attribute-style object ConfigurationBotFrameworkAuthentication reads (APP_ID, APP_TYPE, ...)."""

    def __init__(self, settings: TeamsSettings) -> None:
        self.APP_ID = settings.app_id or ""
        self.APP_PASSWORD = settings.password or ""
        self.APP_TENANTID = settings.tenant_id or ""
        # Without an app id the SDK's auth-disabled path only exists under MultiTenant:
        # SingleTenant insists on an id, password and tenant.
        self.APP_TYPE = settings.app_type if settings.app_id else "MultiTenant"
