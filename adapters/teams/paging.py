"""The rest of an over-long answer, waiting in the store (bot/pagestore.py) for its "more" button.

Pages are neutral Replies kept as JSON, so a press after a restart still finds its page; an
expired or unknown one falls through to the core, which says the button has expired.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from bot.catalog import t
from bot.events import Button, Fact, Reply
from bot.pagestore import PageStore, new_token
from bot.store import Store

MORE_PREFIX = "teams:more:"
PLATFORM = "teams"


def _to_json(reply: Reply) -> dict[str, Any]:
    return asdict(reply)


def _from_json(data: dict[str, Any]) -> Reply:
    return Reply(**{
        **data,
        "sections": tuple(data.get("sections") or ()),
        "facts": tuple(Fact(**f) for f in data.get("facts") or ()),
        "buttons": tuple(Button(**b) for b in data.get("buttons") or ()),
    })


class Pager:
    def __init__(self, store: Store) -> None:
        self._pages = PageStore(store, PLATFORM)

    def first(self, pages: list[Reply]) -> Reply:
        """The page to send now, with a "more" button when others wait."""
        if len(pages) == 1:
            return pages[0]
        token = new_token()
        self._pages.put(token, [_to_json(page) for page in pages])
        return self._with_more(pages[0], token, 1)

    def next(self, value: str) -> Reply | None:
        """The page a "more" button asks for; None when it is unknown or expired."""
        found = self._pages.lookup(value.removeprefix(MORE_PREFIX))
        if found is None:
            return None
        token, number, page = found
        reply = _from_json(page)
        return self._with_more(reply, token, number + 1) if self._pages.get(token, number + 1) else reply

    @staticmethod
    def _with_more(page: Reply, token: str, number: int) -> Reply:
        more = Button(t("teams.more", page.lang), f"{MORE_PREFIX}{token}:{number}")
        return replace(page, buttons=(*page.buttons, more))
