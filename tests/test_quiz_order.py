"""The choices are shown in a new order in every quiz or review session (QA: on review the same
letter was always right), the same order within it, and letters, buttons and feedback agree."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Reply
from bot.store import Store
from knowledge.schema import KnowledgeBase
from tests.quiz_helpers import answer_value, dm, quiz_feature, right_position

START = datetime(2026, 6, 1, 0, 30, tzinfo=UTC)


@pytest.fixture
def quiz(kb: KnowledgeBase, store: Store) -> Assistant:
    return build_assistant(kb, store, env={})


def _qid(reply: Reply) -> str:
    return reply.buttons[0].value.split(":")[-2]


async def test_a_reviewed_question_is_not_always_right_under_the_same_letter(quiz: Assistant) -> None:
    first: dict[str, int] = {}
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):  # 20 questions, all missed
            *_, question = await quiz.handle(dm("quiz"))
            while question.title and question.title.startswith("Quiz "):
                first[_qid(question)] = right_position(quiz, question)
                *_, question = await quiz.handle(dm(value=answer_value(quiz, question, right=False)))
        clock.move_to(START + timedelta(days=1))
        again: dict[str, int] = {}
        for _ in range(4):
            *_, question = await quiz.handle(dm("review"))
            while question.title and question.title.startswith("Quiz "):
                again[_qid(question)] = right_position(quiz, question)
                *_, question = await quiz.handle(dm(value=answer_value(quiz, question, right=True)))
    assert len(again) == len(first) == 20
    same = sum(first[q] == again[q] for q in again)
    assert same <= 10, f"{same} of 20 had the right answer under the same letter again"


async def test_within_a_session_the_order_holds_and_letters_buttons_and_feedback_agree(quiz: Assistant) -> None:
    bank = quiz_feature(quiz).bank
    _, question = await quiz.handle(dm("quiz"))
    await quiz.handle(dm("what is NPS"))  # a side question
    [again] = await quiz.handle(dm("continue"))
    assert again.fallback == question.fallback and [b.value for b in again.buttons] == [b.value for b in question.buttons]
    q = bank.by_id[_qid(question)]
    letter = "ABCD"[right_position(quiz, question)]
    # The body writes the choices out in the order of the buttons.
    assert f"{letter}. {q.correct.en}" in question.fallback
    feedback, _ = await quiz.handle(dm(letter))  # typed: the letter as shown
    assert feedback.title == "✅ Correct!" and feedback.sections[0] == f"Answer: {letter}. {q.correct.en}"


async def test_a_wrong_answers_feedback_names_the_letter_shown(quiz: Assistant) -> None:
    bank = quiz_feature(quiz).bank
    _, question = await quiz.handle(dm("quiz"))
    q = bank.by_id[_qid(question)]
    letter = "ABCD"[right_position(quiz, question)]
    feedback, _ = await quiz.handle(dm(value=answer_value(quiz, question, right=False)))
    assert feedback.sections[0] == f"Answer: {letter}. {q.correct.en}"
