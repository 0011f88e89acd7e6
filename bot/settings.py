"""Reading settings from the environment, the same way for every variable.

An empty variable counts as unset (shells and .env files often leave `NAME=` behind). A value
dx10 cannot use stops the command with one line naming the variable and what it accepts: a
setting that is silently read as something else (`DX10_QUIZ_NPS=off` keeping NPS on) is worse
than one that stops.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.errors import UserError

ON = ("1", "true", "yes", "on")
OFF = ("0", "false", "no", "off")


class SettingError(UserError, ValueError):
    """An environment variable with a value dx10 cannot use."""


def raw(env: Mapping[str, str], name: str) -> str:
    return (env.get(name) or "").strip()


def flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    """A switch: 1/true/yes/on or 0/false/no/off, in any case; unset gives `default`."""
    value = raw(env, name).lower()
    if not value:
        return default
    if value in ON:
        return True
    if value in OFF:
        return False
    raise SettingError(f"{name} must be on or off ({'/'.join(ON)} or {'/'.join(OFF)}), got {raw(env, name)!r}")


def whole(env: Mapping[str, str], name: str, default: int, *, minimum: int, maximum: int, unit: str = "") -> int:
    """A whole number from `minimum` to `maximum`; unset gives `default`."""
    value = raw(env, name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:
        unit = f" {unit}" if unit else ""
        raise SettingError(f"{name} must be a whole number from {minimum} to {maximum}{unit}, got {value!r}")
    return number


def choice(env: Mapping[str, str], name: str, default: str, choices: Iterable[str]) -> str:
    """One of `choices` (compared without case, returned as listed); unset gives `default`."""
    value = raw(env, name)
    if not value:
        return default
    options = list(choices)
    for option in options:
        if value.lower() == option.lower():
            return option
    raise SettingError(f"{name} must be one of {', '.join(options)}, got {value!r}")
