"""Teams through the real HTTP endpoint: activities posted to /api/messages, replies caught by a
fake Bot Framework connector on loopback (the activities' serviceUrl)."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.serve import STATUS, build_app
from adapters.teams.settings import UNAUTHENTICATED_WARNING
from bot.catalog import t
from bot.core import Assistant
from fakes.teams_connector import BOT_ID, FakeConnector, no_internet, serving

UNAUTHENTICATED = {"TEAMS_ALLOW_UNAUTHENTICATED": "1"}
CHANNEL = "19:channel-1@thread.tacv2;messageid=1700000000000"


@dataclass
class Teams:
    """The bot under test, seen from Teams' side."""

    url: str
    http: aiohttp.ClientSession
    app: web.Application
    connector: FakeConnector

    async def post(self, activity: Any, **kwargs: Any) -> tuple[int, Any]:
        if "data" not in kwargs:
            kwargs["json"] = activity
        async with self.http.post(self.url + "/api/messages", **kwargs) as response:
            text = await response.text()
            is_json = response.content_type == "application/json" and text
            return response.status, (json.loads(text) if is_json else text)


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with FakeConnector() as fake:
        yield fake


@pytest.fixture
async def teams(assistant: Assistant, connector: FakeConnector) -> AsyncIterator[Teams]:
    app = build_app(assistant, UNAUTHENTICATED)
    with no_internet() as refused:
        async with serving(app) as url, aiohttp.ClientSession() as http:
            yield Teams(url, http, app, connector)
    assert refused == []


def _actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for element in card["body"] if element["type"] == "ActionSet" for a in element["actions"]]


def _interactions(assistant: Assistant) -> list[dict[str, Any]]:
    return list(assistant.store.db.query("select * from interactions order by id"))


async def test_personal_message_is_answered_with_a_card_and_a_text_summary(teams: Teams, assistant: Assistant) -> None:
    incoming = teams.connector.message("第3条のはじめの第一歩は？")
    status, _ = await teams.post(incoming)
    assert status == 200
    [reply] = teams.connector.delivered()
    assert reply.conversation == "a:personal-1" and reply.reply_to == incoming["id"]
    assert reply.body["type"] == "message" and reply.body["recipient"]["id"] == incoming["from"]["id"]
    assert reply.text.startswith("#3") and "はじめの第一歩" in reply.text  # the title as the summary
    card = reply.card
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5" and "👣" in card["fallbackText"]
    actions = _actions(card)
    assert all(a["type"] == "Action.Submit" and set(a["data"]) == {"dx10"} for a in actions)
    assert any(a["data"]["dx10"].startswith("ask:principle:3:") for a in actions)
    interaction = _interactions(assistant)[-1]["id"]
    assert [a["title"] for a in actions[-2:]] == ["👍", "👎"]
    assert actions[-2]["data"]["dx10"] == f"fb:up:{interaction}"
    # The reference for later nudges is stored, pointing back at the connector.
    reference = assistant.store.conversation("teams", "a:personal-1")
    assert reference["serviceUrl"] == teams.connector.url and reference["bot"]["id"] == BOT_ID


async def test_english_question_gets_an_english_answer(teams: Teams) -> None:
    await teams.post(teams.connector.message("KPIs for principle 5", locale="en-US"))
    [reply] = teams.connector.delivered()
    assert reply.text.startswith("#5") and "KPI" in reply.text


async def test_channel_mention_is_answered_in_the_thread_with_the_mention_removed(teams: Teams, assistant: Assistant) -> None:
    incoming = teams.connector.channel_message("dx10の第3条のKPI例は？")
    status, _ = await teams.post(incoming)
    assert status == 200
    [reply] = teams.connector.delivered()
    assert reply.conversation == CHANNEL and reply.reply_to == incoming["id"]  # in the thread
    assert reply.text.startswith("#3")
    # Only the mention tag went, not the bot's name inside the question.
    assert _interactions(assistant)[-1]["text"] == "dx10の第3条のKPI例は？"
    assert assistant.store.conversation("teams", CHANNEL) is not None


async def test_channel_message_without_mention_is_ignored_but_remembered(teams: Teams, assistant: Assistant) -> None:
    status, _ = await teams.post(teams.connector.channel_message("第3条のKPI例は？", mention=False))
    assert status == 200
    assert teams.connector.calls == []
    assert _interactions(assistant) == []
    assert assistant.store.conversation("teams", CHANNEL) is not None


async def test_install_sends_a_short_welcome_with_the_menu(teams: Teams, assistant: Assistant) -> None:
    update = teams.connector.activity(
        "conversationUpdate", conversation="19:general@thread.tacv2", conversation_type="channel",
        membersAdded=[{"id": BOT_ID}],
    )
    update.pop("locale")  # Teams often omits it on conversationUpdate: Japanese by default
    status, _ = await teams.post(update)
    assert status == 200
    [welcome] = teams.connector.delivered()
    assert welcome.conversation == "19:general@thread.tacv2"
    assert welcome.text == t("teams.welcome", "ja")
    values = [a["data"]["dx10"] for a in _actions(welcome.card)]
    assert any(v.startswith("ask:help:") for v in values) and "lang:en" in values
    assert assistant.store.conversation("teams", "19:general@thread.tacv2") is not None

    # A colleague joining the team is not greeted in the channel.
    joined = teams.connector.activity("conversationUpdate", conversation="19:general@thread.tacv2",
                                      conversation_type="channel", membersAdded=[{"id": "29:new-colleague"}])
    await teams.post(joined)
    assert len(teams.connector.delivered()) == 1


async def test_personal_install_welcomes_in_english_for_an_english_locale(teams: Teams) -> None:
    await teams.post(teams.connector.activity("conversationUpdate", locale="en-US",
                                              membersAdded=[{"id": BOT_ID}, {"id": "29:user-1"}]))
    [welcome] = teams.connector.delivered()  # one welcome, not one per member
    assert welcome.text == t("teams.welcome", "en")


async def test_card_submit_arrives_as_value_without_text(teams: Teams, assistant: Assistant) -> None:
    # In a channel, without any mention: a button press is always for us.
    submit = teams.connector.channel_message("", mention=False, value={"dx10": "ask:principle:3:kpi:"})
    submit["text"] = ""
    await teams.post(submit)
    [reply] = teams.connector.delivered()
    assert reply.text.startswith("#3") and t("facet.kpi", "ja") in reply.text

    interaction = _interactions(assistant)[-1]["id"]
    vote = teams.connector.message("", value={"dx10": f"fb:up:{interaction}"}, user="29:user-1")
    vote.pop("text")
    status, _ = await teams.post(vote)
    assert status == 200
    assert len(teams.connector.delivered()) == 1  # a vote is stored silently
    # Only the person who asked can rate: the channel question came from the same user here.
    assert _interactions(assistant)[-1]["feedback"] == 1


async def test_submit_from_a_foreign_card_says_the_button_expired(teams: Teams) -> None:
    await teams.post(teams.connector.message("", value={"someone": "else"}))
    [reply] = teams.connector.delivered()
    assert reply.text == t("error.button", "ja")


async def test_action_execute_invoke_returns_an_updated_card(teams: Teams, assistant: Assistant) -> None:
    invoke = teams.connector.activity("invoke", name="adaptiveCard/action", value={
        "action": {"type": "Action.Execute", "verb": "dx10", "data": {"dx10": "ask:principle:5:kpi:"}},
        "trigger": "manual",
    })
    status, body = await teams.post(invoke)
    assert status == 200
    assert body["statusCode"] == 200 and body["type"] == "application/vnd.microsoft.card.adaptive"
    card = body["value"]
    assert card["version"] == "1.5" and card["body"][0]["text"].startswith("#5")
    actions = _actions(card)
    assert actions and all(a["type"] == "Action.Execute" and a["verb"] == "dx10" for a in actions)
    assert teams.connector.calls == []  # the card is updated in place, nothing is posted

    interaction = _interactions(assistant)[-1]["id"]
    vote = teams.connector.activity("invoke", name="adaptiveCard/action", value={
        "action": {"type": "Action.Execute", "verb": "dx10", "data": {"dx10": f"fb:down:{interaction}"}}})
    status, body = await teams.post(vote)
    assert (status, body["statusCode"], body["type"]) == (200, 200, "application/vnd.microsoft.activity.message")
    assert body["value"] == t("feedback.thanks", "ja")
    assert _interactions(assistant)[-1]["feedback"] == -1

    status, body = await teams.post(teams.connector.activity("invoke", name="adaptiveCard/action", value={"x": 1}))
    assert status == 200 and body["statusCode"] == 400


async def test_a_reply_survives_a_429_from_the_connector(teams: Teams) -> None:
    teams.connector.fail_next(429, retry_after="0")
    status, _ = await teams.post(teams.connector.message("10か条の一覧"))
    assert status == 200
    assert [c.status for c in teams.connector.calls] == [429, 200]


async def test_mention_only_gets_a_prompt_with_the_menu(teams: Teams) -> None:
    incoming = teams.connector.channel_message("")
    incoming["text"] = "<at>dx10</at>&nbsp;"
    await teams.post(incoming)
    [reply] = teams.connector.delivered()
    assert reply.text == t("teams.hello", "ja")
    assert len(_actions(reply.card)) == 3


async def test_attachment_without_text_gets_a_sensible_reply(teams: Teams) -> None:
    incoming = teams.connector.message("", attachments=[
        {"contentType": "image/png", "contentUrl": "https://example.invalid/a.png", "name": "a.png"}])
    await teams.post(incoming)
    [reply] = teams.connector.delivered()
    assert reply.text == t("teams.attachment_only", "ja")


async def test_huge_text_is_refused_politely(teams: Teams) -> None:
    status, _ = await teams.post(teams.connector.message("あ" * 50_000))
    assert status == 200
    [reply] = teams.connector.delivered()
    assert "50000" in reply.text and len(json.dumps(reply.body).encode()) < 40_000


async def test_body_over_the_size_limit_is_413(teams: Teams) -> None:
    # A stream, since aiohttp warns about blocking the loop when handed a megabyte of raw bytes.
    big = io.BytesIO(b'{"type": "message", "text": "' + b"a" * 1_100_000 + b'"}')
    status, _ = await teams.post(None, data=big, headers={"Content-Type": "application/json"})
    assert status == 413


@pytest.mark.parametrize(
    ("data", "content_type", "status"),
    [
        (b"not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"text": "no type"}', "application/json", 400),
        (b'\xff\xfe{"type": "message"}', "application/json", 400),
        (b'{"type": "message", "from": "not an object"}', "application/json", 400),
        (b'{"type": "message"}', "text/plain", 415),
        (b'{"type": "message"}', None, 415),
    ],
)
async def test_bad_requests(teams: Teams, data: bytes, content_type: str | None, status: int) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    got, body = await teams.post(None, data=data, headers=headers)
    assert got == status and "error" in body
    assert teams.connector.calls == []


@pytest.mark.parametrize("kind", ["typing", "messageReaction", "installationUpdate", "somethingNew"])
async def test_unknown_or_uninteresting_activity_types_get_200_and_no_reply(teams: Teams, kind: str) -> None:
    status, _ = await teams.post(teams.connector.activity(kind))
    assert status == 200
    assert teams.connector.calls == []


async def test_unauthenticated_mode_never_posts_to_a_non_loopback_service_url(teams: Teams) -> None:
    incoming = teams.connector.message("10か条の一覧", serviceUrl="https://smba.trafficmanager.net/teams/")
    status, _ = await teams.post(incoming)
    assert status == 403
    assert teams.connector.calls == []


async def test_healthz_shows_the_unauthenticated_warning(teams: Teams) -> None:
    async with teams.http.get(teams.url + "/healthz") as response:
        body = await response.json()
    assert "teams" in body["adapters"]
    assert UNAUTHENTICATED_WARNING in body["warnings"]
    assert teams.app[STATUS]["warnings"] == body["warnings"]


async def test_an_expired_more_button_says_so(teams: Teams) -> None:
    await teams.post(teams.connector.message("", value={"dx10": "teams:more:not-any-more"}))
    [reply] = teams.connector.delivered()
    assert reply.text == t("error.button", "ja")


async def test_a_removed_bot_is_not_retried_and_the_request_still_succeeds(teams: Teams) -> None:
    teams.connector.fail_next(403)
    status, _ = await teams.post(teams.connector.message("10か条の一覧"))
    assert status == 200  # a 5xx would make Bot Framework redeliver the message
    assert [c.status for c in teams.connector.calls] == [403]
