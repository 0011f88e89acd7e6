"""The dashboard and `forget` on data written by the real quiz feature, not by a fixture."""

from __future__ import annotations

import aiohttp

from adapters.serve import build_app
from bot.assembly import build_assistant
from bot.forget import forget
from bot.store import Store
from fakes.teams_connector import serving
from knowledge.schema import KnowledgeBase
from test_dashboard_http import ENV, Admin
from tests.quiz_helpers import answer_value, dm


async def test_a_quiz_taken_through_the_core_shows_on_the_dashboard_until_forgotten(kb: KnowledgeBase,
                                                                                     store: Store) -> None:
    assistant = build_assistant(kb, store, env={})
    _, question = await assistant.handle(dm("第3条のクイズ"))
    for n in range(5):
        replies = await assistant.handle(dm(value=answer_value(assistant, question, right=n != 0)))
        question = replies[-1]
    await assistant.handle(dm("今日の天気は？"))
    await assistant.handle(dm("第3条のKPI例は？", user="U2"))

    app = build_app(assistant, ENV)
    async with serving(app) as url, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        admin = Admin(url, http, app)
        assert (await admin.login())[0].status == 303
        async with http.get(url + "/api/stats.json") as response:
            doc = await response.json()
        assert doc["quiz"] == [{"principle": 3, "answers": 5, "correct": 4, "participants": 1, "accuracy": 0.8}]
        assert doc["questions"] == 3 and doc["answered"] == 2
        _, page = await admin.get("/dashboard?lang=en")
        assert "80.0%" in page and "今日の天気は？" in page

        deleted = forget(store.db, store.secret, "slack", "U1")
        assert deleted["quiz_answers"] == 5 and deleted["interactions"] == 2 and "quiz_cards" in deleted
        async with http.get(url + "/api/stats.json") as response:
            after = await response.json()
        assert after["quiz"] == [] and after["questions"] == 1
        _, page = await admin.get("/dashboard?lang=en")
        assert "今日の天気は？" not in page
