"""Platform-neutral messages: what adapters give the core and what the core gives back."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Incoming:
    platform: str  # "slack" | "teams" | "console"
    user: str
    conversation: str
    text: str = ""
    value: str | None = None  # a button's value; when set, `text` is ignored
    locale: str | None = None  # the platform's hint ("ja-JP", "en"), used only when text has no language
    direct: bool = True  # a DM / personal chat rather than a channel


@dataclass(frozen=True)
class Button:
    label: str
    value: str


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


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
    meta: dict[str, str] = field(default_factory=dict, compare=False)
