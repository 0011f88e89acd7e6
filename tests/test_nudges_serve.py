"""Nudges inside `dx10 serve`: the scheduler runs in-process, /dx10 subscribes, App Home lists subscriptions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import time_machine
from fakes.slack_api import FakeSlack
from fakes.slack_client import (
    fake,  # noqa: F401  (pytest fixture)
    http_env,
    running_dx10,
)

from adapters.nudges import SCHEDULER
from bot.nudges.repo import NudgeRepo
from bot.store import Store
from knowledge.schema import KnowledgeBase


async def test_the_scheduler_in_serve_delivers_a_due_tip(kb: KnowledgeBase, tmp_path: Path, fake: FakeSlack) -> None:
    store = Store(tmp_path / "dx10.db")
    with time_machine.travel(datetime(2026, 11, 26, 12, 0, tzinfo=UTC), tick=False):
        NudgeRepo(store).subscribe(platform="slack", conversation="D7", user_id="U7", kind="user",
                                   schedule="daily 09:00", tz="Asia/Tokyo", lang="en")
    # Friday 09:00:30 in Tokyo, with the clock running.
    with time_machine.travel(datetime(2026, 11, 27, 0, 0, 30, tzinfo=UTC), tick=True):
        async with running_dx10(kb, store, http_env(fake), features=True) as dx10:
            assert SCHEDULER in dx10.app
            [post] = await fake.wait_for("chat.postMessage", timeout=10)
    assert post["channel"] == "D7" and post["text"].startswith("Today's tip")
    [row] = NudgeRepo(store).deliveries()
    assert (row["slot"], row["status"]) == ("2026-11-27T00:00:00+00:00", "sent")
    store.close()


async def test_the_scheduler_can_be_left_to_cron(kb: KnowledgeBase, tmp_path: Path, fake: FakeSlack) -> None:
    store = Store(tmp_path / "dx10.db")
    async with running_dx10(kb, store, http_env(fake, DX10_NUDGE_SCHEDULER="off"), features=True) as dx10:
        assert SCHEDULER not in dx10.app
    store.close()


@time_machine.travel(datetime(2026, 11, 26, 1, 0, tzinfo=UTC), tick=True)
async def test_slash_subscribe_in_a_dm_then_app_home_lists_it(kb: KnowledgeBase, tmp_path: Path, fake: FakeSlack) -> None:
    store = Store(tmp_path / "dx10.db")
    async with running_dx10(kb, store, http_env(fake, DX10_NUDGE_SCHEDULER="off"), features=True) as dx10:
        status, _ = await dx10.command("subscribe weekly mon 09:00", channel="D1")
        assert status == 200
        [answer] = await fake.wait_for("chat.postEphemeral")
        assert "every Monday at 09:00" in answer["text"]
        assert await dx10.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.2"}) == 200
        [publish] = await fake.wait_for("views.publish")
        texts = "\n".join(b.get("text", {}).get("text", "") for b in publish["view"]["blocks"])
        assert "every Monday at 09:00 Tokyo time (JST) (DM)" in texts  # in the language U1 last wrote in
        # Someone who is not the creator cannot subscribe a channel.
        await dx10.command("subscribe", channel="C1", user="U2")
        _, denied = await fake.wait_for("chat.postEphemeral", 2)
        assert "creator" in denied["text"] and [s.conversation for s in NudgeRepo(store).all()] == ["D1"]
    store.close()
