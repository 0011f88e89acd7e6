"""Slack buttons (block_actions) and the App Home tab, pressed through the real HTTP endpoint."""

from __future__ import annotations

import time
from typing import Any

from fakes.slack_api import BOT_USER, Call, FakeSlack
from fakes.slack_client import Dx10, all_text, block_actions, buttons_of, dm, header, mention
from fakes.slack_client import dx10, fake  # noqa: F401  (pytest fixtures)


def pick(call: Call, value_prefix: str) -> dict[str, Any]:
    return next(b for b in buttons_of(call["blocks"]) if b["value"].startswith(value_prefix))


async def test_did_you_mean_choice_answers_the_chosen_question(dx10: Dx10, fake: FakeSlack) -> None:
    await dx10.event(dm("KPI"))
    [dym] = await fake.wait_for("chat.postMessage")
    choices = [b for b in buttons_of(dym["blocks"]) if b["value"].startswith("ask:")]
    assert choices and dym["blocks"][0]["type"] == "header"
    started = time.monotonic()
    status, _ = await dx10.press(block_actions(choices[0], message={"ts": "1700000000.000001", "type": "message"}))
    assert status == 200 and time.monotonic() - started < 3  # inside Slack's ack window
    _, answer = await fake.wait_for("chat.postMessage", 2)
    assert answer["channel"] == "D1" and "thread_ts" not in answer.params
    assert "KPI" in header(answer)


async def test_next_step_button_in_a_channel_thread_answers_in_that_thread(dx10: Dx10, fake: FakeSlack) -> None:
    await dx10.event(mention(f"<@{BOT_USER}> 第3条"))
    [first] = await fake.wait_for("chat.postMessage")
    kpi = pick(first, "ask:principle:3:kpi")
    message = {"type": "message", "ts": "1700000000.000009", "thread_ts": first["thread_ts"], "blocks": first["blocks"]}
    await dx10.press(block_actions(kpi, channel="C1", message=message))
    _, answer = await fake.wait_for("chat.postMessage", 2)
    assert (answer["channel"], answer["thread_ts"]) == ("C1", first["thread_ts"])
    assert header(answer).startswith("#3") and "KPI" in header(answer)


async def test_feedback_is_stored_with_the_interaction_and_thanked_privately(dx10: Dx10, fake: FakeSlack) -> None:
    await dx10.event(dm("第4条のはじめの第一歩"))
    [answer] = await fake.wait_for("chat.postMessage")
    down = pick(answer, "fb:down:")
    await dx10.press(block_actions(down))
    [thanks] = await fake.wait_for("chat.postEphemeral")
    assert thanks["user"] == "U1" and "フィードバック" in all_text(thanks)
    interaction = int(down["value"].rsplit(":", 1)[1])
    row = dx10.assistant.store.db.execute("select feedback, principle from interactions where id = ?", [interaction]).fetchone()
    assert row == (-1, 4)
    await dx10.press(block_actions(pick(answer, "fb:up:")))  # changing one's mind overwrites the vote
    await fake.wait_for("chat.postEphemeral", 2)
    assert dx10.assistant.store.db.execute("select feedback from interactions where id = ?", [interaction]).fetchone() == (1,)
    assert len(fake.calls_to("chat.postMessage")) == 1  # feedback never produces a public message


async def test_language_switch_button(dx10: Dx10, fake: FakeSlack) -> None:
    await dx10.event(dm("lang en"))
    [switched] = await fake.wait_for("chat.postMessage")
    assert "English" in all_text(switched)
    await dx10.event(dm("第1条"))
    _, english = await fake.wait_for("chat.postMessage", 2)
    assert "Source:" in all_text(english)
    await dx10.press(block_actions(pick(switched, "lang:ja")))
    *_, back = await fake.wait_for("chat.postMessage", 3)
    assert "日本語でお答えします" in all_text(back)
    assert dx10.assistant.store.user_lang("slack", "U1") == "ja"


async def test_expired_or_foreign_button_values_get_a_polite_answer(dx10: Dx10, fake: FakeSlack) -> None:
    stale = {"action_id": "dx10_more", "text": {"type": "plain_text", "text": "More"}, "value": "more:gone:1"}
    await dx10.press(block_actions(stale))
    odd = {"action_id": "dx10_btn_0", "text": {"type": "plain_text", "text": "?"}, "value": "ask:nonsense:99:x:y:z"}
    await dx10.press(block_actions(odd))
    posts = await fake.wait_for("chat.postMessage", 2)
    assert all("古くなっています" in all_text(p) for p in posts)
    other_app = {"action_id": "someone_elses_button", "text": {"type": "plain_text", "text": "x"}, "value": "x"}
    assert (await dx10.press(block_actions(other_app)))[0] == 200


async def test_app_home_lists_the_ten_principles_and_has_room_for_progress(dx10: Dx10, fake: FakeSlack) -> None:
    assert await dx10.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.2"}) == 200
    [publish] = await fake.wait_for("views.publish")
    assert publish["user_id"] == "U1" and publish["view"]["type"] == "home"
    opens = [b for b in buttons_of(publish["view"]["blocks"]) if b["value"].startswith("ask:principle:")]
    assert [b["value"].split(":")[2] for b in opens] == [str(n) for n in range(1, 11)]
    texts = "\n".join(b.get("text", {}).get("text", "") for b in publish["view"]["blocks"])
    assert "ヒントの定期配信" in texts and "学習の進捗" in texts
    # The Messages tab is not the Home tab: nothing to publish.
    await dx10.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "messages", "event_ts": "1.3"})
    await dx10.event({"type": "app_home_opened", "user": "U2", "channel": "D2", "tab": "home", "event_ts": "1.4"})
    await fake.wait_for("views.publish", 2)
    assert [c["user_id"] for c in fake.calls_to("views.publish")] == ["U1", "U2"]


async def test_app_home_buttons_answer_in_the_apps_dm_and_switch_the_home_language(dx10: Dx10, fake: FakeSlack) -> None:
    await dx10.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.2"})
    [publish] = await fake.wait_for("views.publish")
    home = {"type": "view", "view_id": "V0001"}
    seven = next(b for b in buttons_of(publish["view"]["blocks"]) if b["value"].startswith("ask:principle:7:"))
    await dx10.press(block_actions(seven, channel=None, container=home))
    [answer] = await fake.wait_for("chat.postMessage")
    assert [c["users"] for c in fake.calls_to("conversations.open")] == ["U1"]
    assert answer["channel"] == "D1" and header(answer).startswith("#7")
    english = next(b for b in buttons_of(publish["view"]["blocks"]) if b["value"] == "lang:en")
    await dx10.press(block_actions(english, channel=None, container=home))
    _, republished = await fake.wait_for("views.publish", 2)
    assert republished["view"]["blocks"][0]["text"]["text"].startswith("dx10: the Digital 10")


async def test_buttons_on_a_private_slash_answer_answer_privately(dx10: Dx10, fake: FakeSlack) -> None:
    await dx10.command("第2条", channel="C5", response_url=fake.response_url("cmd"))
    [private] = await fake.wait_for("chat.postEphemeral")
    roadmap = pick(private, "ask:principle:2:roadmap")
    container = {"type": "message", "message_ts": "1700000000.000020", "channel_id": "C5", "is_ephemeral": True}
    await dx10.press(block_actions(roadmap, channel="C5", container=container, response_url=fake.response_url("press")))
    _, answer = await fake.wait_for("chat.postEphemeral", 2)
    assert (answer["channel"], answer["user"]) == ("C5", "U1") and "ロードマップ" in header(answer)
    assert fake.calls_to("chat.postMessage") == []  # never leaks a private exchange into the channel
