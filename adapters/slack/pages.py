"""The pages behind "more" buttons: bounded and expiring, in memory.

After a restart the pages are gone and the button answers "expired, ask again" — cheaper and
simpler than persisting rendered Block Kit for a rare, oversized answer.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict

from adapters.slack.render import MORE_PREFIX, Message


class PageCache:
    def __init__(self, max_entries: int = 200, ttl: float = 6 * 3600) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
        self._pages: OrderedDict[str, tuple[float, list[Message]]] = OrderedDict()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(9)

    def put(self, token: str, pages: list[Message]) -> None:
        self._pages[token] = (time.monotonic() + self.ttl, pages)
        self._pages.move_to_end(token)
        while len(self._pages) > self.max_entries:
            self._pages.popitem(last=False)

    def get(self, value: str) -> Message | None:
        """The page a "more:<token>:<n>" button asks for, or None when it expired or never existed."""
        token, _, number = value.removeprefix(MORE_PREFIX).partition(":")
        entry = self._pages.get(token)
        if entry is None or not number.isdigit():
            return None
        expires, pages = entry
        if expires < time.monotonic():
            del self._pages[token]
            return None
        index = int(number)
        return pages[index] if 0 < index < len(pages) else None
