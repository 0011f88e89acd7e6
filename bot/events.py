"""Platform-neutral messages: what adapters give the core and what the core gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict


@dataclass(frozen=True)
class Incoming:
    platform: str  # "slack" | "teams" | "console"
    user: str
    conversation: str
    text: str = ""
    value: str | None = None  # a button's value; when set, `text` is ignored
    locale: str | None = None  # the platform's hint ("ja-JP", "en"), used only when text has no language
    direct: bool = True  # a DM / personal chat rather than a channel
    name: str | None = None  # the person's display name when the platform sends it (leaderboards)


@dataclass(frozen=True)
class Button:
    label: str
    value: str


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


class Hints(TypedDict, total=False):
    """Reply's delivery hints, as keyword arguments a feature passes along (`Reply(..., **hints)`)."""

    private: bool
    public: bool
    replaces: bool


@dataclass(frozen=True)
class Reply:
    """One answer. `fallback` is the whole answer as plain text (notifications, screen readers)."""

    fallback: str
    lang: str
    title: str | None = None
    sections: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    buttons: tuple[Button, ...] = ()
    source: str | None = None
    interaction_id: int | None = None  # for 👍/👎 feedback on this answer
    # Delivery hints for adapters; each does the closest thing its platform allows.
    private: bool = False  # only the person who wrote / pressed sees it (Slack: ephemeral in a channel)
    public: bool = False  # everyone in the conversation sees it, even after a private slash command
    replaces: bool = False  # replaces the message whose button was pressed (Slack: chat.update)
    meta: dict[str, str] = field(default_factory=dict, compare=False)
