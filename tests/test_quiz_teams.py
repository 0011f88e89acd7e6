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

            assert all(a["type"] == "Action.Execute" for el in question.card["body"] if el["type"] == "ActionSet"
                       for a in el["actions"])

            async def press(value: str, user: str) -> str:
                # Action.Execute: an invoke whose response card replaces the question for the presser only.
                activity = connector.activity("invoke", name="adaptiveCard/action", conversation=channel,
                                              conversation_type="channel", user=user,
                                              value={"action": {"type": "Action.Execute", "verb": "dx10",
                                                                "data": {"dx10": value}}, "trigger": "manual"})
                async with http.post(url + "/api/messages", json=activity) as response:
                    assert response.status == 200
                    body = await response.json()
                assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
                return str(body["value"]["fallbackText"])

            first = await press(values[right], "29:user-1")
            again = await press(values[(right + 1) % len(values)], "29:user-1")  # ignored
            await press(values[(right + 1) % len(values)], "29:user-2")
            assert "回答を受け付けました" in first and "最初の回答だけ" in again
            assert connector.delivered()[2:] == []  # nothing about the answers reaches the channel
            rows = list(store.db.query("select user_id, correct from quiz_answers order by id"))
            assert [(r["user_id"], r["correct"]) for r in rows] == [("29:user-1", 1), ("29:user-2", 0)]

            await post(connector.channel_message("クイズ終了"))
            reveal, final = connector.delivered()[2:]
            assert "2人中1人が正解（50%）" in reveal.card["fallbackText"] and "2人が参加" in final.card["fallbackText"]
            await post(connector.channel_message("ランキング表示", user="29:user-1"))  # names are opt-in
            await post(connector.channel_message("ランキング"))
            board = connector.delivered()[-1]
            assert "1. Staff Member — 1問中1問正解（100%）" in board.card["fallbackText"]
            assert "2. （匿名の参加者） — 1問中0問正解（0%）" in board.card["fallbackText"]
    assert refused == []
