"""The pages behind Slack's "more" buttons, as Block Kit kept in the store (bot/pagestore.py).

A press after a restart still finds its page; an expired or unknown one answers "ask again".
"""

from __future__ import annotations

from bot.pagestore import PageStore, new_token
from bot.store import Store

from adapters.slack.render import MORE_PREFIX, Message

PLATFORM = "slack"


class SlackPages:
    def __init__(self, store: Store) -> None:
        self._pages = PageStore(store, PLATFORM)

    new_token = staticmethod(new_token)

    def put(self, token: str, pages: list[Message]) -> None:
        self._pages.put(token, [page.kwargs() for page in pages])

    def get(self, value: str) -> Message | None:
        """The page a "more:<token>:<n>" button asks for, or None when it expired or never existed."""
        found = self._pages.lookup(value.removeprefix(MORE_PREFIX))
        if found is None:
            return None
        page = found[2]
        return Message(text=str(page.get("text") or ""), blocks=list(page.get("blocks") or []))
