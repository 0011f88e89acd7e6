"""A quiz spoken to in everyday words (QA report 2): stop, next, "I don't know", a hint, again.

Through the core with a real store, as a person in a DM would type them.
"""

from __future__ import annotations

import json

import pytest

from bot.assembly import build_assistant
from bot.core import Assistant
from bot.store import Store
from knowledge.schema import KnowledgeBase
from tests.quiz_helpers import dm


@pytest.fixture
def quiz(kb: KnowledgeBase, store: Store) -> Assistant:
    return build_assistant(kb, store, env={})


def _open(store: Store, user: str = "U1") -> bool:
    row = store.db.execute("select questions, position from quiz_sessions where user_id = ?", [user]).fetchone()
    return row is not None and row[1] < len(json.loads(row[0]))


@pytest.mark.parametrize("words", ["やめる", "終了", "ストップ", "クイズやめたい", "クイズはもういいです", "もうやめたい",
                                   "クイズ終了", "I want to stop the quiz", "quit quiz", "I'm done"])
async def test_natural_words_end_an_open_quiz_and_start_none(quiz: Assistant, store: Store, words: str) -> None:
    await quiz.handle(dm("クイズ"))
    await quiz.handle(dm("B"))
    [stopped] = await quiz.handle(dm(words))
    assert stopped.fallback.startswith(("クイズを終了しました", "Quiz ended")), stopped.fallback
    assert "1" in stopped.fallback  # the one answer so far
    assert not _open(store) and store.db["quiz_answers"].count == 1


@pytest.mark.parametrize("words", ["クイズやめたい", "クイズ終了", "stop the quiz"])
async def test_stopping_a_quiz_with_none_open_says_so_and_starts_none(quiz: Assistant, store: Store,
                                                                      words: str) -> None:
    [reply] = await quiz.handle(dm(words))
    assert reply.fallback in ("いま進行中のクイズはありません。", "There's no quiz in progress to stop.")
    assert store.db["quiz_sessions"].count == 0 and not reply.buttons


async def test_a_bare_stop_word_with_no_quiz_open_is_not_the_quizs(quiz: Assistant, store: Store) -> None:
    [reply] = await quiz.handle(dm("やめたい"))
    assert "クイズ" not in reply.fallback and store.db["quiz_sessions"].count == 0
