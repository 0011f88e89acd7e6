"""Slack settings from the environment, checked up front so `dx10 serve` never starts half-configured."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from adapters.serve import ConfigError

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str
    signing_secret: str | None  # required in HTTP mode, unused in Socket Mode
    app_token: str | None  # set: Socket Mode (no public URL needed)
    api_url: str

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None


def read_settings(env: Mapping[str, str]) -> SlackSettings | None:
    """None when Slack is simply not configured; ConfigError (one line) when it is configured wrongly."""
    bot_token = env.get("SLACK_BOT_TOKEN", "").strip()
    signing_secret = env.get("SLACK_SIGNING_SECRET", "").strip() or None
    app_token = env.get("SLACK_APP_TOKEN", "").strip() or None
    if not bot_token:
        stray = [name for name, value in (("SLACK_SIGNING_SECRET", signing_secret), ("SLACK_APP_TOKEN", app_token)) if value]
        if stray:
            # Someone meant to run Slack: starting without it would look like a silent bot.
            raise ConfigError(f"{stray[0]} is set but SLACK_BOT_TOKEN is not: set SLACK_BOT_TOKEN to the app's xoxb- bot token")
        return None
    if not bot_token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be the bot token starting with xoxb- (OAuth & Permissions page of the Slack app)")
    if app_token is not None and not app_token.startswith("xapp-"):
        raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with xapp- (Basic Information > App-Level Tokens, scope connections:write)")
    if app_token is None and signing_secret is None:
        raise ConfigError("SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests (or set SLACK_APP_TOKEN=xapp-... for Socket Mode)")
    return SlackSettings(bot_token, signing_secret, app_token, _api_url(env.get("SLACK_API_URL", "").strip()))


def _api_url(raw: str) -> str:
    if not raw:
        return DEFAULT_API_URL
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"SLACK_API_URL must be an http(s) URL such as {DEFAULT_API_URL} (got {raw!r})")
    # slack_sdk joins method names onto the base URL, so it must end with a slash.
    return raw if raw.endswith("/") else raw + "/"
