"""Getting answers into Slack: rate limits, server errors, Block Kit limits, "more", proactive sends."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from adapters.slack import SLACK_SENDER
from adapters.slack.config import SlackSettings
from adapters.slack.app import make_client
from adapters.slack.incoming import to_plain
from adapters.slack.render import render, render_pages
from adapters.slack.sender import SlackSender
from bot.catalog import t
from bot.events import Button, Fact, Reply
from bot.senders import Target
from knowledge.schema import KnowledgeBase

from fakes.slack_api import FakeSlack, block_problems
from fakes.slack_client import Dx10, all_text, block_actions, buttons_of, dm, header, http_env, running_dx10
from fakes.slack_client import dx10, fake  # noqa: F401  (pytest fixtures)


def huge_reply() -> Reply:
    """Bigger than any one Slack message in every direction at once."""
    sections = tuple(f"*Part {i}* " + ("長い説明 & <tags> " * 400) for i in range(60))
    return Reply(
        fallback="\n\n".join(sections),
        lang="ja",
        title="T" * 400,
        sections=sections + ("x" * 9000,),
        facts=tuple(Fact(f"label {i}", "v" * (2500 if i == 3 else 50)) for i in range(14)),
        buttons=tuple(Button("ボタン" * 40, f"ask:principle:{i % 10 + 1}:kpi::ja") for i in range(30)) + (Button("too big", "v" * 2500),),
        source="出典: " + "s" * 5000,
        interaction_id=42,
    )


def test_a_huge_reply_becomes_pages_that_each_respect_block_kit_limits() -> None:
    pages = render_pages(huge_reply(), token="tok")
    assert len(pages) > 1
    for page in pages:
        assert block_problems(page.kwargs()) == [], page.blocks[:2]
        assert len(page.text) <= 3000
    assert pages[0].blocks[0]["type"] == "header" and len(pages[0].blocks[0]["text"]["text"]) == 150
    mores = [b for p in pages[:-1] for b in buttons_of(p.blocks) if b["action_id"] == "dx10_more"]
    assert [b["value"] for b in mores] == [f"more:tok:{n}" for n in range(1, len(pages))]
    last = pages[-1].blocks
    assert any(b.get("block_id") == "dx10_feedback" for b in last)
    assert sum(len(b["elements"]) for b in last if b["type"] == "actions" and b.get("block_id") != "dx10_feedback") == 25
    body = "".join(b.get("text", {}).get("text", "") for p in pages for b in p.blocks)
    assert "&amp; &lt;tags&gt;" in body and "<tags>" not in body  # escaped, so Slack never reads it as markup
    assert all(f"*Part {i}*" in body for i in range(60))  # split, never dropped


def test_everyday_replies_fit_in_one_message_with_fallback_text() -> None:
    reply = Reply(fallback="a < b & c", lang="en", sections=("a < b & c",))
    message = render(reply)
    assert message.text == "a &lt; b &amp; c"
    assert [b["type"] for b in message.blocks] == ["section"]
    assert len(render_pages(reply)) == 1


def test_slack_markup_becomes_plain_text() -> None:
    assert to_plain("<@UBOT> 第3条 <https://x.example|資料> <#C1|general> <!here> &lt;KPI&gt;") == "第3条 資料 #general  <KPI>"
    assert to_plain("会議は10:30:00から :tada:") == "会議は10:30:00から \u25cc"


async def test_429_is_retried_after_retry_after(dx10: Dx10, fake: FakeSlack) -> None:
    fake.fail_next(1, status=429, retry_after=1, method="chat.postMessage")
    await dx10.event(dm("第2条"))
    [post] = await fake.wait_for("chat.postMessage", timeout=10)
    limited, delivered = fake.calls_to("chat.postMessage", ok_only=False)
    assert (limited.status, delivered.status) == (429, 200)
    assert delivered.at - limited.at >= 1.0  # Retry-After was honoured, not hammered
    assert header(post).startswith("#2")


async def test_server_errors_are_retried(dx10: Dx10, fake: FakeSlack) -> None:
    fake.fail_next(2, status=500, method="chat.postMessage")
    await dx10.event(dm("第2条"))
    await fake.wait_for("chat.postMessage", timeout=10)
    assert [c.status for c in fake.calls_to("chat.postMessage", ok_only=False)] == [500, 500, 200]


async def test_more_button_posts_the_next_page_even_after_a_restart(kb: KnowledgeBase, tmp_path: Path, fake: FakeSlack) -> None:
    db = tmp_path / "pages.db"
    async with running_dx10(kb, db, http_env(fake)) as before:
        result = await before.app[SLACK_SENDER].send(Target("slack", "D1", "U1"), huge_reply())
        assert result.ok
    [first] = await fake.wait_for("chat.postMessage")
    more = next(b for b in buttons_of(first["blocks"]) if b["action_id"] == "dx10_more")
    async with running_dx10(kb, db, http_env(fake)) as after:  # the pages were kept in the store file
        await after.press(block_actions(more))
        _, second = await fake.wait_for("chat.postMessage", 2)
        assert "*Part" in all_text(second) and second["blocks"][0]["type"] != "header"
        assert [c["channel"] for c in fake.calls_to("chat.postMessage")] == ["D1", "D1"]
        with closing(sqlite3.connect(db)) as conn:  # a week from now the button only says "ask again"
            conn.execute("update pages set expires_at = 0")
            conn.commit()
        await after.press(block_actions(more))
        *_, third = await fake.wait_for("chat.postMessage", 3)
        assert t("error.button", "ja") in all_text(third)


async def test_sender_maps_slack_errors_to_send_results(fake: FakeSlack) -> None:
    settings = SlackSettings("xoxb-test", "s", None, fake.url)
    client = make_client(settings)
    sender = SlackSender(client)
    reply = Reply(fallback="hi", lang="en", sections=("hi",))
    target = Target("slack", "C9")
    assert (await sender.send(target, reply)).ok
    for error in ("channel_not_found", "not_in_channel", "is_archived", "account_inactive"):
        fake.error_next("chat.postMessage", error)
        assert (await sender.send(target, reply)).gone == error
    fake.error_next("chat.postMessage", "msg_too_long")
    assert (await sender.send(target, reply)).error == "msg_too_long"
    fake.fail_next(3, status=429, retry_after=0, method="chat.postMessage")  # outlasts the client's own retries
    limited = await sender.send(target, reply)
    assert (limited.ok, limited.retry_after) == (False, 0.0)
