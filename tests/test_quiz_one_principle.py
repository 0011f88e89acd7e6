"""A quiz on one principle asks what tests it, not "which principle…?" (always that one there).

QA: in `quiz 5` every "which principle" answer was #5, so 5/5 in one round "mastered" #5.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Incoming, Reply
from bot.quiz.bank import NAMES_THE_PRINCIPLE, Question, build_bank
from bot.quiz.personal import SESSION_SIZE
from bot.store import Store
from knowledge.scenarios import load_scenarios
from knowledge.schema import KnowledgeBase
from tests.quiz_helpers import answer_value, dm, quiz_feature


@pytest.fixture
def quiz(kb: KnowledgeBase, store: Store) -> Assistant:
    return build_assistant(kb, store, env={})


def _qid(reply: Reply) -> str:
    return reply.buttons[0].value.split(":")[-2]


def test_every_principle_has_enough_questions_whose_answer_is_not_its_number(kb: KnowledgeBase) -> None:
    bank = build_bank(kb, load_scenarios())
    titles = {f"#{p.number} {p.title.ja}" for p in kb.principles}
    for n in range(1, 11):
        telling = [q for q in bank if q.principle == n and not {c.ja for c in q.choices} <= titles]
        assert len(telling) >= 3 * SESSION_SIZE, (n, len(telling))
    kinds = {q.kind for q in bank}
    assert {"heading", "first_step_of", "stage", "department"} <= kinds


def test_heading_and_first_step_questions_are_right(kb: KnowledgeBase) -> None:
    bank = build_bank(kb, load_scenarios())
    headings = {"KPI設定の例示": lambda p: p.kpi.examples, "目標設定の視点": lambda p: p.checklist,
                "具体的なアクション例": lambda p: p.action_examples, "当面の重点的な取組": lambda p: p.focus_initiatives}
    for q in bank:
        if q.kind == "heading":
            assert q.subject is not None and q.principle is not None
            p = kb.principle(q.principle)
            assert q.subject in headings[q.correct.ja](p), q.id
            for i, c in enumerate(q.choices):  # no other offered heading of this page holds the item
                if i != q.answer:
                    assert all(x.ja != q.subject.ja for x in headings[c.ja](p)), q.id
        if q.kind == "first_step_of":
            assert q.principle is not None and q.correct == kb.principle(q.principle).first_step
            others = {p.first_step.ja for p in kb.principles if p.number != q.principle}
            assert {c.ja for i, c in enumerate(q.choices) if i != q.answer} <= others


async def test_quiz_on_one_principle_never_asks_which_principle(quiz: Assistant, store: Store) -> None:
    bank = quiz_feature(quiz).bank
    start = datetime(2026, 6, 1, 0, 30, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        # Which-principle cards of #5, answered wrong in quizzes on all ten, fall due…
        answered: list[Question] = []
        for _ in range(8):
            *_, question = await quiz.handle(dm("quiz"))
            while question.title and question.title.startswith("Quiz "):
                q = bank.by_id[_qid(question)]
                answered.append(q)
                *_, question = await quiz.handle(dm(value=answer_value(quiz, question, right=False)))
        assert any(q.principle == 5 and q.kind in NAMES_THE_PRINCIPLE for q in answered)
        clock.move_to(start + timedelta(days=1))
        # …and still stay out of "quiz 5".
        asked: list[Question] = []
        *_, question = await quiz.handle(dm("quiz 5"))
        while question.title and question.title.startswith("Quiz "):
            asked.append(bank.by_id[_qid(question)])
            *_, question = await quiz.handle(dm(value=answer_value(quiz, question, right=True)))
    assert len(asked) == SESSION_SIZE
    assert all(q.principle == 5 and q.kind not in NAMES_THE_PRINCIPLE for q in asked), [q.id for q in asked]
    titles = [f"#{n} " for n in range(1, 11)]
    assert all(not any(c.en.startswith(t) for t in titles) for q in asked for c in q.choices)


async def test_channel_quiz_on_one_principle_never_asks_which_principle(quiz: Assistant, store: Store) -> None:
    bank = quiz_feature(quiz).bank
    await quiz.handle(Incoming("slack", "U1", "C1", text="quiz channel 10 3", direct=False))
    row = next(store.db["channel_quizzes"].rows)
    questions = [bank.by_id[i] for i in json.loads(row["questions"])]
    assert len(questions) == 10
    assert all(q.principle == 3 and q.kind not in NAMES_THE_PRINCIPLE for q in questions)
