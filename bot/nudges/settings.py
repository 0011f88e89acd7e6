"""Nudge settings from the environment, checked up front (one clear line when one is wrong)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.nudges.schedule import DEFAULT_TZ, ScheduleError, zone
from bot.nudges.throttle import Limits
from bot.settings import SettingError


class NudgeConfigError(SettingError):
    pass


@dataclass(frozen=True)
class NudgeSettings:
    catchup: timedelta = timedelta(hours=3)  # a missed slot older than this is skipped, not sent late
    slack_rate: float = 20.0  # messages/s across the workspace (Slack also allows 1/s per channel)
    teams_tenant_rate: float = 40.0  # messages/s per tenant (Teams documents 50 RPS per app per tenant)
    concurrency: int = 32  # sends in flight at once during a fan-out
    attempts: int = 4  # tries per tip in one run (429s and 5xx); a failed tip is retried next run
    retry_delay: float = 1.0  # first backoff after a failure; doubles each time
    interval: float = 30.0  # how often `dx10 serve` looks for due slots
    tz: str = DEFAULT_TZ
    admins: frozenset[str] = frozenset()  # "platform:user" or a bare user id (any platform)

    def limits(self, platform: str) -> Limits:
        if platform == "slack":
            return Limits(per_conversation=1.0, per_group=self.slack_rate)
        if platform == "teams":
            return Limits(per_conversation=7.0, per_group=self.teams_tenant_rate)
        return Limits(0.0, 0.0)

    def is_admin(self, platform: str, user: str) -> bool:
        return f"{platform}:{user}" in self.admins or user in self.admins

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> NudgeSettings:
        def number(name: str, default: float, minimum: float) -> float:
            raw = env.get(name, "").strip()
            if not raw:
                return default
            try:
                value = float(raw)
            except ValueError:
                raise NudgeConfigError(f"{name} must be a number (got {raw!r})") from None
            if value < minimum:
                raise NudgeConfigError(f"{name} must be at least {minimum:g} (got {raw!r})")
            return value

        tz = env.get("DX10_NUDGE_TZ", "").strip() or DEFAULT_TZ
        try:
            zone(tz)
        except ScheduleError as exc:
            raise NudgeConfigError(f"DX10_NUDGE_TZ: {exc}") from None
        admins = frozenset(a.strip() for a in env.get("DX10_ADMINS", "").split(",") if a.strip())
        return cls(
            catchup=timedelta(hours=number("DX10_NUDGE_CATCHUP_HOURS", 3.0, 0.0)),
            slack_rate=number("DX10_SLACK_RATE", cls.slack_rate, 0.1),
            teams_tenant_rate=number("DX10_TEAMS_TENANT_RATE", cls.teams_tenant_rate, 0.1),
            concurrency=int(number("DX10_NUDGE_CONCURRENCY", cls.concurrency, 1)),
            interval=number("DX10_NUDGE_INTERVAL", cls.interval, 1.0),
            tz=tz,
            admins=admins,
        )
