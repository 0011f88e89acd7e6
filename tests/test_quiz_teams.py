"""A channel quiz in Teams through /api/messages, replies caught by the fake Bot Framework connector."""

from __future__ import annotations

from typing import Any

import aiohttp

from adapters.serve import build_app
from bot.assembly import build_assistant
from bot.store import Store
from fakes.teams_connector import FakeConnector, no_internet, serving
from knowledge.schema import KnowledgeBase
from tests.quiz_helpers import quiz_feature

ENV = {"TEAMS_ALLOW_UNAUTHENTICATED": "1", "DX10_QUIZ_NPS": "0"}


def _values(card: dict[str, Any]) -> list[str]:
    return [a["data"]["dx10"] for el in card["body"] if el["type"] == "ActionSet" for a in el["actions"]]


async def test_channel_quiz_in_teams_counts_first_answers_and_reveals(kb: KnowledgeBase, store: Store) -> None:
    assistant = build_assistant(kb, store, ENV)
    app = build_app(assistant, ENV)
    with no_internet() as refused:
        async with FakeConnector() as connector, serving(app) as url, aiohttp.ClientSession() as http:
            async def post(activity: dict[str, Any]) -> None:
                async with http.post(url + "/api/messages", json=activity) as response:
                    assert response.status == 200

            start = connector.channel_message("チャンネルクイズ 1")
            channel = start["conversation"]["id"]
            await post(start)
            intro, question = connector.delivered()
            assert intro.conversation == question.conversation == channel
            assert "チャンネルクイズ 1/1" in question.text
            values = [v for v in _values(question.card) if v.startswith("quiz:c:")]
            qid = values[0].split(":")[3]
            right = quiz_feature(assistant).bank.by_id[qid].answer

            def press(value: str, user: str) -> dict[str, Any]:
                # An Action.Submit in a channel: a message with the card's data and no text.
                return connector.activity("message", conversation=channel, conversation_type="channel", user=user,
                                          value={"dx10": value}, text="")

            await post(press(values[right], "29:user-1"))
            await post(press(values[(right + 1) % len(values)], "29:user-1"))  # ignored
            await post(press(values[(right + 1) % len(values)], "29:user-2"))
            confirmations = connector.delivered()[2:]
            assert len(confirmations) == 3
            # Teams cannot whisper: the confirmation says nothing about the choice.
            assert all("ABCD"[right] + "." not in c.text for c in confirmations)
            rows = list(store.db.query("select user_id, correct from quiz_answers order by id"))
            assert [(r["user_id"], r["correct"]) for r in rows] == [("29:user-1", 1), ("29:user-2", 0)]

            await post(connector.channel_message("クイズ終了"))
            reveal, final = connector.delivered()[5:]
            assert "2人中1人が正解（50%）" in reveal.card["fallbackText"] and "2人が参加" in final.card["fallbackText"]
            await post(connector.channel_message("ランキング"))
            board = connector.delivered()[-1]
            assert "1. Staff Member — 1問中1問正解（100%）" in board.card["fallbackText"]
    assert refused == []
