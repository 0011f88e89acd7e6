"""The rest of an over-long answer, waiting for its "more" button.

Kept in memory on purpose: a lost page (restart, eviction) only means the button answers "expired",
which the core already says for any button it cannot decode.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import replace

from bot.catalog import t
from bot.events import Button, Reply

MORE_PREFIX = "teams:more:"


class Pager:
    def __init__(self, capacity: int = 256) -> None:
        self.capacity = capacity
        self._waiting: OrderedDict[str, list[Reply]] = OrderedDict()

    def first(self, pages: list[Reply]) -> Reply:
        """The page to send now, with a "more" button when others wait."""
        head, rest = pages[0], pages[1:]
        if not rest:
            return head
        token = secrets.token_urlsafe(9)
        self._waiting[token] = rest
        while len(self._waiting) > self.capacity:
            self._waiting.popitem(last=False)
        more = Button(t("teams.more", head.lang), MORE_PREFIX + token)
        return replace(head, buttons=(*head.buttons, more))

    def next(self, value: str) -> Reply | None:
        """The next page for a "more" button's value; None when it is unknown or expired."""
        rest = self._waiting.pop(value.removeprefix(MORE_PREFIX), None)
        return self.first(rest) if rest else None
