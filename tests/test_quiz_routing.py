"""Messages that mention the quiz without asking for one, and new starts while one is open.

QA: "how does the quiz work?" at Quiz 3/5 silently restarted at 1/5; "I want to delete my quiz
data" and "'; DROP TABLE quiz_cards; --" started quizzes; 'quiz me on principle 3' replaced an
open review without a word. Driven through the core with a real store, and through the console.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Reply
from bot.store import Store
from knowledge.schema import KnowledgeBase
from tests.conftest import run_dx10
from tests.quiz_helpers import answer_value, dm


@pytest.fixture
def quiz(kb: KnowledgeBase, store: Store) -> Assistant:
    return build_assistant(kb, store, env={})


def _session(store: Store) -> tuple[list[str], int] | None:
    rows = list(store.db["quiz_sessions"].rows)
    return (json.loads(rows[0]["questions"]), rows[0]["position"]) if rows else None


async def _at_question_three(quiz: Assistant) -> Reply:
    _, question = await quiz.handle(dm("quiz"))
    for right in (True, False):
        *_, question = await quiz.handle(dm(value=answer_value(quiz, question, right=right)))
    assert question.title == "Quiz 3/5"
    return question


async def test_how_does_the_quiz_work_explains_and_keeps_the_quiz(quiz: Assistant, store: Store) -> None:
    question = await _at_question_three(quiz)
    before = _session(store)
    [help_] = await quiz.handle(dm("how does the quiz work?"))
    assert help_.title == "How the quiz works" and "question 3 of 5" in help_.fallback
    assert [b.value for b in help_.buttons] == ["quiz:resume", "quiz:stop"]
    assert _session(store) == before  # nothing restarted
    [again] = await quiz.handle(dm(value="quiz:resume"))
    assert again.title == "Quiz 3/5" and [b.value for b in again.buttons] == [b.value for b in question.buttons]
    [ja] = await quiz.handle(dm("クイズの仕組みは？"))
    assert ja.title == "クイズの使い方" and "5問中3問目" in ja.fallback


@pytest.mark.parametrize(("text", "again"), [("Can I do a quiz about principle 5?", "quiz:start:5"),
                                           ("could i get a quiz about #3", "quiz:start:3"),
                                           ("Is there a quiz about NPS?", None), ("Can I take a quiz to review?", None)])
async def test_a_request_for_a_quiz_phrased_as_a_question_starts_one(quiz: Assistant, store: Store,
                                                                     text: str, again: str | None) -> None:
    # Review M4: these got the "how the quiz works" page, whose Start button started all ten.
    *_, question = await quiz.handle(dm(text))
    assert question.lang == "en" and question.title == "Quiz 1/5"
    [session] = store.db["quiz_sessions"].rows
    if again is not None:
        assert session["again"] == again  # the quiz on the principle asked about


@pytest.mark.parametrize(("text", "lang", "start"), [("How does the quiz on principle 5 work?", "en", "quiz:start:5"),
                                                     ("第5条のクイズってどんなの？", "ja", "quiz:start:5"),
                                                     ("what is the quiz about?", "en", "quiz:start:"),
                                                     ("クイズの仕組みは？", "ja", "quiz:start:")])
async def test_a_question_about_the_quiz_explains_it_and_its_start_keeps_the_principle(quiz: Assistant, store: Store,
                                                                                     text: str, lang: str, start: str) -> None:
    [page] = await quiz.handle(dm(text))
    assert page.lang == lang and page.title == {"en": "How the quiz works", "ja": "クイズの使い方"}[lang]
    assert page.buttons[0].value == start and store.db["quiz_sessions"].count == 0
    *_, question = await quiz.handle(dm(value=start))
    assert question.title in ("Quiz 1/5", "クイズ 1/5")
    [session] = store.db["quiz_sessions"].rows
    assert session["again"] == start


async def test_a_progress_question_that_names_the_quiz_is_still_a_progress_question(quiz: Assistant) -> None:
    [progress] = await quiz.handle(dm("私のクイズの正答率って何%?"))
    assert progress.title == "学習の進捗"


@pytest.mark.parametrize("text", ["I want to delete my quiz data", "クイズの記録を消したい", "please erase my answers"])
async def test_a_deletion_request_is_answered_honestly_and_starts_nothing(quiz: Assistant, store: Store,
                                                                          text: str) -> None:
    [reply] = await quiz.handle(dm(text))
    assert "dx10 forget" in reply.fallback  # the admin's command, the only way data is deleted
    assert ("administrator" in reply.fallback) or ("管理者" in reply.fallback)
    assert store.db["quiz_sessions"].count == 0 and not reply.buttons


@pytest.mark.parametrize(("text", "lang"), [("私のデータを消して", "ja"), ("自分の成績をリセットしたい", "ja"),
                                          ("私のクイズの回答を削除して", "ja"), ("Can you delete my quiz answers?", "en"),
                                          ("delete everything you know about me", "en"), ("can my data be deleted?", "en")])
async def test_the_askers_own_data_named_close_to_a_deletion_is_a_privacy_request(quiz: Assistant, store: Store,
                                                                                  text: str, lang: str) -> None:
    [reply] = await quiz.handle(dm(text))
    assert reply.lang == lang and "dx10 forget" in reply.fallback
    assert store.db["quiz_sessions"].count == 0


@pytest.mark.parametrize(("text", "lang"), [
    ("私の部署で保有する個人情報を安全に削除するには？", "ja"), ("自分たちの業務データを消去する際のセキュリティ対策は？", "ja"),
    ("私の課の記録を削除するルールは？", "ja"), ("How should my team erase old citizen data securely?", "en"),
    ("What should I do to reset my team's data workflow?", "en"),
    ("How do I delete old records in my department's database?", "en"),
])
async def test_a_data_handling_question_reaches_the_matcher_not_the_privacy_answer(quiz: Assistant, store: Store,
                                                                                   text: str, lang: str) -> None:
    # Review H4: "my"/「私」 anywhere and "data … delete" across a whole Japanese sentence took these over.
    [reply] = await quiz.handle(dm(text))
    assert reply.lang == lang and "dx10 forget" not in reply.fallback
    [logged] = [row for row in store.db["interactions"].rows if row["text"] == text]  # the matcher's path logs it
    assert logged["intent"] != "help" and store.db["quiz_sessions"].count == 0


@pytest.mark.parametrize(("value", "days"), [("0", 90), ("abc", 90), ("30", 30), ("", 90)])
async def test_deleting_ones_data_and_asking_about_logging_state_the_same_retention(kb: KnowledgeBase, store: Store,
                                                                                    value: str, days: int) -> None:
    # Review M9: the quiz read DX10_RETENTION_DAYS itself (max(1, …): "0" said 1 day, the core 90).
    assistant = build_assistant(kb, store, env={"DX10_RETENTION_DAYS": value})
    for ask, erase, lang, said in [("is this conversation logged?", "delete my quiz data", "en", f"kept for {days} days"),
                                   ("この会話って記録されてる？", "クイズの記録を消したい", "ja", f"{days}日間保存")]:
        [logged] = await assistant.handle(dm(ask))
        [deleted] = await assistant.handle(dm(erase))
        assert logged.lang == deleted.lang == lang
        assert said in logged.fallback and said in deleted.fallback


async def test_sql_like_text_that_names_a_quiz_table_starts_nothing(quiz: Assistant, store: Store) -> None:
    [reply] = await quiz.handle(dm("'; DROP TABLE quiz_cards; --"))
    assert "can't help" in reply.fallback and store.db["quiz_sessions"].count == 0
    await _at_question_three(quiz)
    before = _session(store)
    [reply] = await quiz.handle(dm("what's the quiz_cards table?"))
    assert "can't help" in reply.fallback and _session(store) == before
    assert {"quiz_cards", "quiz_answers", "quiz_sessions"} <= set(store.db.table_names())


async def test_a_new_quiz_while_one_is_open_keeps_the_open_one_until_asked(quiz: Assistant, store: Store) -> None:
    await _at_question_three(quiz)
    before = _session(store)
    [offer] = await quiz.handle(dm("quiz 5"))
    assert offer.fallback.startswith("You have a quiz in progress (question 3 of 5)")
    assert [b.value for b in offer.buttons] == ["quiz:resume", "quiz:new:5", "quiz:stop"]
    assert _session(store) == before
    [offer_again] = await quiz.handle(dm("Try one quiz question"))  # the tip button's label, typed
    assert "question 3 of 5" in offer_again.fallback and _session(store) == before
    intro, question = await quiz.handle(dm(value="quiz:new:5"))
    assert question.title == "Quiz 1/5"
    session = _session(store)
    assert before is not None and session is not None and session[1] == 0 and session[0] != before[0]
    [stopped] = await quiz.handle(dm(value="quiz:stop"))
    assert stopped.fallback.startswith("Quiz ended") and _session(store) is not None
    assert (await quiz.handle(dm("quiz")))[-1].title == "Quiz 1/5"  # nothing open: "quiz" starts at once


async def test_a_quiz_asked_for_during_a_review_keeps_the_review(quiz: Assistant, store: Store) -> None:
    start = datetime(2026, 6, 1, 0, 30, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        _, question = await quiz.handle(dm("quiz"))
        for _ in range(5):
            *_, question = await quiz.handle(dm(value=answer_value(quiz, question, right=False)))
        clock.move_to(start + timedelta(days=1))
        intro, review = await quiz.handle(dm("review"))
        before = _session(store)
        [offer] = await quiz.handle(dm("quiz me on principle 3"))
        assert "question 1 of 5" in offer.fallback and _session(store) == before
        [again] = await quiz.handle(dm(value="quiz:resume"))
        assert [b.value for b in again.buttons] == [b.value for b in review.buttons]
        [offer] = await quiz.handle(dm("review"))  # a second "review" does not restart it either
        assert [b.value for b in offer.buttons][1] == "quiz:new:review" and _session(store) == before


def test_console_how_does_the_quiz_work_mid_quiz_then_continue(tmp_path: Path) -> None:
    db = str(tmp_path / "x.db")
    out = run_dx10("chat", "--db", db, input="quiz\nB\nhow does the quiz work?\ncontinue\n").stdout.decode("utf-8")
    assert "How the quiz works" in out
    lines = out.splitlines()  # title lines ("(Quiz 2/5 is still open…)" notes a side reply too)
    assert lines.count("Quiz 1/5") == 1 and lines.count("Quiz 2/5") == 2  # asked, then brought back


@pytest.mark.parametrize("text", ["how many quiz questions did I get right", "How many quiz questions have I got right?",
                                  "クイズ何問正解した？", "クイズ今まで何問正解した？"])
async def test_asking_how_many_quiz_questions_were_right_shows_the_progress(quiz: Assistant, store: Store,
                                                                            text: str) -> None:
    # QA report: the matcher read "quiz" in it as a request for one.
    [reply] = await quiz.handle(dm(text))
    assert reply.title in ("Your learning progress", "学習の進捗")
    assert store.db["quiz_sessions"].count == 0
