"""Rendering neutral replies for Teams, paging long ones, and pacing sends (no network here)."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from adapters.teams import cards
from adapters.teams.outbound import ConversationLimiter, RetryPolicy, parse_retry_after
from adapters.teams.paging import MORE_PREFIX, Pager
from bot import answers
from bot.catalog import t
from bot.events import Button, Fact, Reply
from bot.matcher import Match
from bot.store import Store
from fakes.teams_connector import card_problems
from knowledge.schema import FACETS, KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]


def _activity(message: cards.Message) -> dict:
    attachments = [{"contentType": cards.CARD_CONTENT_TYPE, "content": message.card}] if message.card else []
    return {"type": "message", "text": message.text, "attachments": attachments}


def _every_answer(kb: KnowledgeBase) -> list[Reply]:
    replies = []
    for lang in ("ja", "en"):
        for p in kb.principles:
            replies += [answers.answer(kb, Match("principle", p.number, facet), lang) for facet in FACETS]
        replies += [answers.answer(kb, Match("list", None, facet), lang) for facet in (None, *FACETS)]
        replies += [answers.answer(kb, Match("glossary", term=term.id), lang) for term in kb.glossary]
        replies.append(answers.answer(kb, Match("help"), lang))
    return replies


def test_every_knowledge_base_answer_renders_as_a_card_teams_accepts(kb: KnowledgeBase) -> None:
    for reply in _every_answer(kb):
        for page in cards.pages(reply):
            message = cards.message(page)
            assert message.size() <= cards.MAX_ACTIVITY_BYTES
            assert card_problems(_activity(message)) == [], reply.title
            assert message.text and len(message.text) <= cards.SUMMARY_CHARS


def test_card_has_title_text_facts_source_buttons_and_feedback() -> None:
    reply = Reply(
        fallback="T\n\n*Head*\n• one\n• two\n\nF:\nv1\nv2\n\nSource", lang="en", title="T",
        sections=("*Head*\n• one\n• two",), facts=(Fact("F", "v1\nv2"), Fact("G", "single")),
        buttons=(Button("Next", "ask:help:::"),), source="Source", interaction_id=7,
    )
    card = cards.card(reply)
    kinds = [e["type"] for e in card["body"]]
    assert kinds == ["TextBlock", "TextBlock", "TextBlock", "FactSet", "TextBlock", "ActionSet", "ActionSet"]
    assert card["body"][0]["text"] == "T" and card["body"][0]["weight"] == "Bolder"
    assert card["body"][1]["text"] == "**Head**" and card["body"][2]["text"] == "- one\r- two"
    assert card["body"][3]["facts"] == [{"title": "F", "value": "- v1\r- v2"}, {"title": "G", "value": "single"}]
    assert card["body"][4]["isSubtle"] is True
    assert card["body"][5]["actions"] == [{"type": "Action.Submit", "title": "Next", "data": {"dx10": "ask:help:::"}}]
    up, down = card["body"][6]["actions"]
    assert up["data"] == {"dx10": "fb:up:7"} and down["data"] == {"dx10": "fb:down:7"}
    assert up["tooltip"] == t("teams.feedback_up", "en")
    assert card["fallbackText"].startswith("T\n\nHead")

    message = cards.message(reply)
    assert message.text == "T"
    assert message.card["body"][0]["text"] == "**Head**"  # the title is the text above, not repeated


def test_a_one_line_reply_is_plain_text_without_a_card() -> None:
    message = cards.message(answers.simple("error.empty", "en"))
    assert message.card is None and message.text == t("error.empty", "en")


def test_buttons_without_a_title_keep_the_sentence_once() -> None:
    message = cards.message(answers.simple("teams.hello", "ja", answers.menu("ja")))
    assert message.text == t("teams.hello", "ja")
    assert [e["type"] for e in message.card["body"]] == ["ActionSet"]


def test_long_replies_are_paged_behind_a_more_button() -> None:
    sections = tuple(f"*Part {i}*\n" + "\n".join(f"• {'長い説明' * 40} {i}.{j}" for j in range(30)) for i in range(12))
    fallback = "\n\n".join(("Big", *sections, "Source"))
    reply = Reply(fallback=fallback, lang="ja", title="Big", sections=sections, source="Source",
                  buttons=(Button("Next", "ask:help:::"),), interaction_id=3)
    assert cards.message(reply).size() > cards.MAX_ACTIVITY_BYTES

    pages = cards.pages(reply)
    assert len(pages) > 1
    assert "".join(p.fallback for p in pages).replace("\n", "") == fallback.removeprefix("Big").replace("\n", "")
    for page in pages:
        assert cards.message(page).size() <= cards.MAX_ACTIVITY_BYTES
        assert card_problems(_activity(cards.message(page))) == []
    assert pages[-1].buttons == reply.buttons and pages[-1].interaction_id == 3
    assert all(not p.buttons and p.interaction_id is None for p in pages[:-1])
    assert pages[0].title == "Big " + t("teams.page", "ja", page=1, pages=len(pages))

    pager = Pager(Store(":memory:"))
    shown = [pager.first(pages)]
    while (more := [b for b in shown[-1].buttons if b.value.startswith(MORE_PREFIX)]):
        assert more[0].label == t("teams.more", "ja")
        shown.append(pager.next(more[0].value))
    assert [p.title for p in shown] == [p.title for p in pages]
    assert shown[-1] == pages[-1]  # the last page comes back whole: buttons, facts, feedback id
    assert pager.next(MORE_PREFIX + "gone:1") is None and pager.next(MORE_PREFIX + "gone") is None  # unknown



def test_more_pages_outlive_a_restart(tmp_path: Path) -> None:
    page = Reply(fallback="x", lang="en", sections=("x",), buttons=(Button("KPI", "ask:principle:3:kpi::en"),))
    before = Store(tmp_path / "teams.db")
    value = Pager(before).first([page, page]).buttons[-1].value
    before.db.close()
    after = Pager(Store(tmp_path / "teams.db"))
    assert after.next(value) == page


def test_limiter_allows_seven_a_second_and_sixty_per_thirty_seconds() -> None:
    limiter = ConversationLimiter()
    waits = [limiter.reserve("c", 0.0) for _ in range(8)]
    assert waits[:7] == [0.0] * 7 and waits[7] == pytest.approx(1.0)
    assert limiter.reserve("other", 0.0) == 0.0  # per conversation

    steady = ConversationLimiter()
    booked = [steady.reserve("c", 0.0) for _ in range(61)]
    assert max(booked[:60]) < 30.0 and booked[60] == pytest.approx(30.0)
    for i in range(7, 61):  # never more than 7 inside any one second
        assert booked[i] - booked[i - 7] >= 1.0 - 1e-9


def test_limiter_forgets_idle_conversations() -> None:
    limiter = ConversationLimiter(max_conversations=2)
    for n in range(3):
        limiter.reserve(f"c{n}", 0.0)
    limiter.reserve("late", 100.0)
    assert set(limiter._slots) == {"late"}


def test_backoff_grows_exponentially_with_jitter_and_a_ceiling() -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    rng = random.Random(1)
    for attempt, ceiling in enumerate([0.5, 1.0, 2.0, 4.0, 4.0, 4.0]):
        delays = {policy.backoff(attempt, rng) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(delays) > 1


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("-1") == 0.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0) == pytest.approx(10.0)
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_botbuilder_is_imported_only_inside_adapters_teams() -> None:
    sdk = ("botbuilder", "botframework", "msrest")
    offenders = []
    for file in ROOT.rglob("*.py"):
        rel = file.relative_to(ROOT)
        if rel.parts[0] in (".venv", "build") or rel.parts[:2] == ("adapters", "teams"):
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            offenders += [f"{rel}: {n}" for n in names if n.split(".")[0] in sdk]
    assert offenders == []
