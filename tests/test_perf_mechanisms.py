"""What makes a Slack message cheaper to serve, checked for correctness: group commit
(bot/writebehind.py), the user_lang cache, and the frozen startup heap. Faster, and nothing lost
or stale.

Another connection to the same file plays "another process" (or the file after a crash): it
sees only what is committed.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sqlite3
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from adapters.serve import build_app
from bot.core import Assistant
from bot.events import Incoming
from bot.store import Store
from knowledge.schema import KnowledgeBase

from fakes.slack_api import FakeSlack
from fakes.slack_client import dm, event_callback, header, http_env, sign
from fakes.slack_client import fake  # noqa: F401  (pytest fixture)


def committed(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as other:
        return int(other.execute(sql).fetchone()[0])


def log(store: Store, text: str) -> int:
    return store.log_interaction(platform="slack", user_id="U1", conversation="C1", text=text, intent="principle",
                                 principle=3, facet="first_step", term=None, confidence=1.0, answered=True)


async def test_writes_of_one_loop_pass_share_one_commit_at_its_end(tmp_path: Path) -> None:
    db = tmp_path / "group.db"
    store = Store(db)
    store.group.enable(asyncio.get_running_loop())
    try:
        first, second = log(store, "a"), log(store, "b")
        assert store.first_sighting("slack", "Ev1")
        # Known at once on this connection: the feedback button's id and the retry check.
        assert second == first + 1
        assert not store.first_sighting("slack", "Ev1")
        assert store.group.pending == 4  # the retry check is a write too (an upsert that changed nothing)
        assert committed(db, "select count(*) from interactions") == 0
        await asyncio.sleep(0)  # the loop finishes this pass
        assert committed(db, "select count(*) from interactions") == 2
        assert committed(db, "select count(*) from seen_events") == 1
        assert store.group.pending == 0
    finally:
        store.close()


async def test_a_failing_write_does_not_take_the_group_down(tmp_path: Path) -> None:
    db = tmp_path / "group.db"
    store = Store(db)
    store.group.enable(asyncio.get_running_loop())
    log(store, "kept")
    store.first_sighting("slack", "EvX")
    with pytest.raises(sqlite3.IntegrityError):
        with store.group.write():
            store.db.execute("insert into seen_events (platform, event_id, seen_at) values ('slack', 'EvX', 2)")
    log(store, "after the failure")
    await asyncio.sleep(0)
    assert committed(db, "select count(*) from interactions") == 2
    assert committed(db, "select seen_at > 2 from seen_events where event_id = 'EvX'") == 1
    store.close()


async def test_disable_and_close_commit_what_is_pending(tmp_path: Path) -> None:
    db = tmp_path / "group.db"
    store = Store(db)
    store.group.enable(asyncio.get_running_loop())
    log(store, "before disable")
    store.group.disable()
    assert committed(db, "select count(*) from interactions") == 1
    log(store, "after disable")  # commits at once again
    assert committed(db, "select count(*) from interactions") == 2
    store.group.enable(asyncio.get_running_loop())
    log(store, "before close")
    store.close()
    assert committed(db, "select count(*) from interactions") == 3


async def test_a_flood_in_one_pass_is_committed_in_bounded_groups(tmp_path: Path) -> None:
    db = tmp_path / "group.db"
    store = Store(db)
    store.group.max_writes = 10
    store.group.enable(asyncio.get_running_loop())
    for i in range(25):
        store.first_sighting("slack", f"Ev{i}")
    assert committed(db, "select count(*) from seen_events") == 20
    store.close()


def test_without_a_running_loop_every_write_commits_at_once(tmp_path: Path) -> None:
    db = tmp_path / "plain.db"
    store = Store(db)
    log(store, "cli")
    assert store.first_sighting("slack", "Ev1")
    assert committed(db, "select count(*) from interactions") == 1
    assert committed(db, "select count(*) from seen_events") == 1
    store.close()


def test_an_expired_event_id_counts_as_new_before_the_sweep_removes_it(tmp_path: Path) -> None:
    store = Store(tmp_path / "ttl.db")
    assert store.first_sighting("slack", "EvOld", ttl=10, now=1000.0)
    assert not store.first_sighting("slack", "EvOld", ttl=10, now=1005.0)  # a retry within the ttl
    assert store.first_sighting("slack", "EvOld", ttl=10, now=1020.0)  # no sweep yet (swept every 60 s)
    assert not store.first_sighting("slack", "EvOld", ttl=10, now=1025.0)
    assert store.first_sighting("slack", "EvNew", ttl=10, now=2000.0)  # this call sweeps
    assert [r[0] for r in store.db.execute("select event_id from seen_events")] == ["EvNew"]
    store.close()


async def test_a_language_choice_is_honoured_right_after_an_answer_cached_the_old_one(assistant: Assistant) -> None:
    ask = Incoming("slack", "U1", "D1", text="第3条のはじめの第一歩は？")
    [before] = await assistant.handle(ask)  # reads (and caches) "no fixed language"
    assert before.lang == "ja"
    await assistant.handle(Incoming("slack", "U1", "D1", text="lang en"))
    [after] = await assistant.handle(ask)
    assert after.lang == "en"
    await assistant.handle(Incoming("slack", "U1", "D1", text="lang auto"))
    [again] = await assistant.handle(ask)
    assert again.lang == "ja"
    assert assistant.store.user_lang("slack", "U2") is None  # one user's choice is not another's


async def test_the_server_commits_its_last_writes_when_it_shuts_down(kb: KnowledgeBase, tmp_path: Path,
                                                                      fake: FakeSlack) -> None:
    db = tmp_path / "serve.db"
    store = Store(db)
    runner = web.AppRunner(build_app(Assistant(kb, store), http_env(fake)), handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
        async with aiohttp.ClientSession() as session:
            for i in range(3):
                body = json.dumps(event_callback(dm(f"第{i + 1}条"), event_id=f"EvDOWN{i}")).encode()
                async with session.post(url, data=body, headers={"Content-Type": "application/json", **sign(body)}) as r:
                    assert r.status == 200
            posts = await fake.wait_for("chat.postMessage", 3)
        assert sorted(header(p)[:2] for p in posts) == ["#1", "#2", "#3"]
        assert store.group.enabled
        assert store.first_sighting("slack", "EvLAST")  # written in the last pass before shutdown
        assert committed(db, "select count(*) from seen_events") == 3
    finally:
        await runner.cleanup()  # dx10 serve's shutdown (SIGTERM ends here too)
    # Durable before the store is closed: a restarted process recognises Slack's retries.
    assert committed(db, "select count(*) from seen_events") == 4
    assert committed(db, "select count(*) from interactions") == 3
    assert not store.group.enabled
    store.close()


async def test_the_server_freezes_its_startup_heap_and_unfreezes_it_on_shutdown(kb: KnowledgeBase, tmp_path: Path,
                                                                                fake: FakeSlack) -> None:
    store = Store(tmp_path / "gc.db")
    runner = web.AppRunner(build_app(Assistant(kb, store), http_env(fake)), handle_signals=False)
    await runner.setup()
    try:
        assert gc.get_freeze_count() > 0  # the knowledge base, matcher tables and SDKs: not rescanned
    finally:
        await runner.cleanup()
        store.close()
    assert gc.get_freeze_count() == 0
