"""The interaction log keeps keyed hashes of user ids, never the raw ids."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
import sqlite_utils

from bot.core import Assistant
from bot.events import Incoming
from bot.privacy import SECRET_SETTING
from bot.store import Store, m001_users_and_interactions, m002_seen_events_and_conversations
from knowledge.schema import KnowledgeBase


def expected_key(secret: str, platform: str, user: str) -> str:
    return hmac.new(secret.encode(), f"{platform}:{user}".encode(), hashlib.sha256).hexdigest()


async def test_logged_question_holds_a_keyed_hash_not_the_user_id(kb: KnowledgeBase, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", "s3cret")
    store = Store(tmp_path / "dx10.db")
    [reply] = await Assistant(kb, store).handle(Incoming("slack", "U123", "D1", "第3条のKPI例は？"))
    row = store.db["interactions"].get(reply.interaction_id)
    assert "user_id" not in row
    assert row["user_key"] == expected_key("s3cret", "slack", "U123")
    assert "U123" not in str(list(store.db.query("select * from interactions")))
    # Who to reach is kept apart, once per person and conversation (NPS asks active people).
    await Assistant(kb, store).handle(Incoming("slack", "U123", "D1", "第5条"))
    assert [tuple(r) for r in store.db.execute("select platform, user_id, conversation from user_activity")] == [
        ("slack", "U123", "D1")]
    store.close()


async def test_feedback_counts_only_from_the_person_who_asked(kb: KnowledgeBase, store: Store) -> None:
    assistant = Assistant(kb, store)
    [reply] = await assistant.handle(Incoming("teams", "alice", "c1", "第3条のKPI例は？"))
    await assistant.handle(Incoming("teams", "bob", "c1", value=f"fb:down:{reply.interaction_id}"))
    assert store.db["interactions"].get(reply.interaction_id)["feedback"] is None
    await assistant.handle(Incoming("teams", "alice", "c1", value=f"fb:up:{reply.interaction_id}"))
    assert store.db["interactions"].get(reply.interaction_id)["feedback"] == 1


def test_without_dx10_secret_a_random_key_is_generated_once_and_kept(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DX10_SECRET", raising=False)
    first = Store(tmp_path / "dx10.db")
    key = first.user_key("slack", "U1")
    kept = first.db["settings"].get(SECRET_SETTING)["value"]
    first.close()
    again = Store(tmp_path / "dx10.db")
    assert again.user_key("slack", "U1") == key == expected_key(kept, "slack", "U1")
    assert len(kept) == 64
    again.close()
    other = Store(tmp_path / "other.db")
    assert other.user_key("slack", "U1") != key  # each store gets its own key
    other.close()


def test_an_existing_log_with_raw_ids_is_hashed_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", "k")
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    m001_users_and_interactions(db)
    m002_seen_events_and_conversations(db)
    db["migrations"].insert_all([{"name": n, "applied_at": "2026-01-01T00:00:00+00:00"}
                                 for n in ("m001_users_and_interactions", "m002_seen_events_and_conversations")], pk="name")
    db["interactions"].insert_all([
        {"at": "2026-01-02T00:00:00+00:00", "platform": "slack", "user_id": "U1", "text": "a", "intent": "x", "answered": 1},
        {"at": "2026-01-02T00:00:01+00:00", "platform": "teams", "user_id": "U1", "text": "b", "intent": "x", "answered": 0},
    ])
    db.close()
    store = Store(path)
    rows = list(store.db.query("select * from interactions order by id"))
    assert [r["user_key"] for r in rows] == [expected_key("k", "slack", "U1"), expected_key("k", "teams", "U1")]
    assert all("user_id" not in r for r in rows) and [r["text"] for r in rows] == ["a", "b"]
    assert [tuple(r) for r in store.db.execute("select * from user_activity order by platform")] == [
        ("slack", "U1", "", "2026-01-02T00:00:00+00:00"), ("teams", "U1", "", "2026-01-02T00:00:00+00:00")]
    assert {tuple(i.columns) for i in store.db["interactions"].indexes} >= {("at",), ("user_key",)}
    store.close()
