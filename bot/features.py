"""The seam between the conversation core and the features built on it (nudges, quizzes).

A feature owns some matcher intents, some exact commands and a button-value prefix. The core
asks each feature in turn; the first that answers wins. Features never import an adapter: they
reply with neutral `Reply`s and send proactively through `bot.senders.Sender`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.events import Incoming, Reply
from bot.matcher import Match


@dataclass(frozen=True)
class Handled:
    """A typed command a feature answered, and how the question log (so the dashboard) counts it.

    Every typed message is counted once, whoever answers it: `intent` (and `principle`, when the
    command is about one) say what it was. `log_text=False` keeps the text out of the log when the
    feature keeps it itself (an NPS comment lives with its score and its own retention).
    """

    replies: list[Reply]
    intent: str
    principle: int | None = None
    log_text: bool = True


class Feature(Protocol):
    # Matcher intents this feature answers when the match is confident (e.g. "subscribe").
    intents: tuple[str, ...]
    # Button values that start with one of these are routed to `button` (e.g. "nudge:").
    button_prefixes: tuple[str, ...]

    async def command(self, msg: Incoming, text: str, lang: str) -> Handled | list[Reply] | Match | None:
        """An exact command ("pause 7", "review", "quiz close") before the matcher runs; None: not mine.

        Handled: the replies, with how the log counts the command (a bare list counts as "command").
        A Match is a question the core answers as if a button asked it: a tip's "More" typed as text.
        """
        ...

    async def intent(self, msg: Incoming, text: str, match: Match, lang: str) -> list[Reply]:
        """Answer a confident match of one of `intents` (the text is the cleaned user text)."""
        ...

    async def button(self, msg: Incoming, value: str, lang: str) -> list[Reply]:
        """Answer a button press whose value starts with one of `button_prefixes`."""
        ...


@runtime_checkable
class AwaitsAnswer(Protocol):
    """A feature that can have a question open for a person, waiting for an answer (the quiz)."""

    def awaiting(self, msg: Incoming, lang: str) -> Reply | None:
        """The open question as it is shown (its buttons are its choices), or None. No side effects:
        the console asks after every turn, to keep the numbers of its choices (adapters/console.py)."""
        ...
