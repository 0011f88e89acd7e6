"""What makes a Slack message cheaper to serve, checked for correctness: write-behind
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
from contextlib import closing
from pathlib import Path

import aiohttp
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
    with closing(sqlite3.connect(path)) as other:
        return int(other.execute(sql).fetchone()[0])


def log(store: Store, text: str, user: str = "U1") -> int:
    return store.log_interaction(platform="slack", user_id=user, conversation="C1", text=text, intent="principle",
                                 principle=3, facet="first_step", term=None, confidence=1.0, answered=True)


async def test_rows_of_one_loop_pass_are_written_together_at_its_end(tmp_path: Path) -> None:
    db = tmp_path / "later.db"
    store = Store(db)
    store.later.enable(asyncio.get_running_loop())
    try:
        first, second = log(store, "a"), log(store, "b")
        assert store.first_sighting("slack", "Ev1")
        # Known at once: the feedback buttons' ids and the retry check.
        assert second == first + 1
        assert not store.first_sighting("slack", "Ev1")
        assert committed(db, "select count(*) from interactions") == 0
        # Two log rows, U1's activity of the day (once), the first sweep of expired ids, one seen id.
        assert store.later.pending == 5
        await asyncio.sleep(0)  # the loop finishes this pass
        assert committed(db, "select count(*) from interactions") == 2
        assert committed(db, "select count(*) from seen_events") == 1
        assert store.later.pending == 0
        assert log(store, "c") == second + 1
    finally:
        store.close()


async def test_no_transaction_stays_open_so_other_writes_commit_when_they_say(tmp_path: Path) -> None:
    db = tmp_path / "later.db"
    store = Store(db)
    store.later.enable(asyncio.get_running_loop())
    log(store, "queued")
    assert not store.db.conn.in_transaction
    with store.db.atomic():  # e.g. a nudge's outbox row, written just before its send
        store.db.execute("insert into users (platform, user_id, lang) values ('slack', 'U9', 'en')")
    assert committed(db, "select count(*) from users") == 1
    assert committed(db, "select count(*) from interactions") == 0
    store.close()


async def test_a_vote_right_after_the_answer_finds_its_queued_row(tmp_path: Path) -> None:
    store = Store(tmp_path / "later.db")
    store.later.enable(asyncio.get_running_loop())
    interaction = log(store, "question")
    assert store.set_feedback(interaction, "slack", "U1", 1)
    assert not store.set_feedback(interaction, "slack", "U2", 1)  # only the asker
    store.close()


async def test_an_id_taken_by_another_process_meanwhile_costs_only_that_vote(tmp_path: Path) -> None:
    db = tmp_path / "later.db"
    store = Store(db)
    store.later.enable(asyncio.get_running_loop())
    mine = log(store, "slack question")
    with closing(sqlite3.connect(db)) as other, other:  # e.g. `dx10 chat` on the same file, in the same instant
        other.execute("insert into interactions (at, platform, user_key, text, intent, answered) "
                      "values ('2026-01-01', 'console', 'me', 'console question', 'help', 1)")
    after = log(store, "another slack question")
    await asyncio.sleep(0)
    texts = [r[0] for r in store.db.execute("select text from interactions order by id")]
    assert texts == ["console question", "another slack question", "slack question"]  # nothing lost
    assert not store.set_feedback(mine, "slack", "U1", 1)  # that id is the console's row: not rated
    assert store.set_feedback(after, "slack", "U1", 1)
    store.close()


async def test_disable_and_close_write_what_is_queued(tmp_path: Path) -> None:
    db = tmp_path / "later.db"
    store = Store(db)
    store.later.enable(asyncio.get_running_loop())
    log(store, "before disable")
    store.later.disable()
    assert committed(db, "select count(*) from interactions") == 1
    log(store, "after disable")  # written at once again
    assert committed(db, "select count(*) from interactions") == 2
    store.later.enable(asyncio.get_running_loop())
    log(store, "before close")
    store.close()
    assert committed(db, "select count(*) from interactions") == 3


async def test_a_flood_in_one_pass_is_written_in_bounded_batches(tmp_path: Path) -> None:
    db = tmp_path / "later.db"
    store = Store(db)
    store.later.max_pending = 10
    store.later.enable(asyncio.get_running_loop())
    for i in range(25):
        assert store.first_sighting("slack", f"Ev{i}")
    assert committed(db, "select count(*) from seen_events") == 19  # 20 rows flushed, one of them the sweep
    store.close()
    assert committed(db, "select count(*) from seen_events") == 25


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
    restarted = Store(tmp_path / "ttl.db")  # and a new process reads the same from the file
    assert not restarted.first_sighting("slack", "EvNew", ttl=10, now=2005.0)
    assert restarted.first_sighting("slack", "EvOld", ttl=10, now=2005.0)
    restarted.close()


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
        assert store.later.pending == 0  # the answered events' rows are written already
        assert store.first_sighting("slack", "EvLAST")  # queued in the last pass before shutdown
        assert committed(db, "select count(*) from seen_events") == 3
    finally:
        await runner.cleanup()  # dx10 serve's shutdown (SIGTERM ends here too)
    # Durable before the store is closed: a restarted process recognises Slack's retries.
    assert committed(db, "select count(*) from seen_events") == 4
    assert committed(db, "select count(*) from interactions") == 3
    assert store.later._loop is None
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
