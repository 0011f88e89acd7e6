"""A quiz spoken to in everyday words (QA report 2): stop, next, "I don't know", a hint, again.

Through the core with a real store, as a person in a DM would type them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Reply
from bot.nudges import tips
from bot.quiz.progress import tokyo_day
from bot.store import Store
from knowledge.schema import KnowledgeBase
from tests.conftest import run_dx10
from tests.quiz_helpers import dm, quiz_feature, right_position


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


async def test_next_brings_back_the_open_question_and_skips_nothing(quiz: Assistant, store: Store) -> None:
    await quiz.handle(dm("クイズ"))
    *_, second = await quiz.handle(dm("B"))  # feedback, then question 2 already
    note, again = await quiz.handle(dm("次"))
    assert "パス" in note.fallback and again.title == second.title == "クイズ 2/5"
    assert [b.value for b in again.buttons] == [b.value for b in second.buttons]
    assert store.db["quiz_answers"].count == 1


@pytest.mark.parametrize("words", ["next", "Next question", "next one"])
async def test_next_in_english_after_a_principle_brings_back_the_open_question(quiz: Assistant, store: Store,
                                                                               words: str) -> None:
    # Review M6: "next" after 第5条 showed #6's overview while the question stayed open.
    await quiz.handle(dm("第5条"))
    *_, question = await quiz.handle(dm("quiz"))
    note, again = await quiz.handle(dm(words))
    assert note.lang == "en" and note.fallback.startswith("Here is the next question (not answered yet)")
    assert again.title == question.title == "Quiz 1/5" and "— Overview" not in note.fallback
    assert [b.value for b in again.buttons] == [b.value for b in question.buttons]
    assert store.db["quiz_answers"].count == 0


def test_console_next_during_a_quiz_shows_the_question_not_the_next_principle(tmp_path: Path) -> None:
    out = run_dx10("chat", "--db", str(tmp_path / "x.db"), input="第5条\nquiz\nnext\n").stdout.decode("utf-8")
    assert "Here is the next question (not answered yet)" in out and "— Overview" not in out
    assert out.splitlines().count("Quiz 1/5") == 2


@pytest.mark.parametrize("words", ["わからん", "わからない", "I don't know", "パス", "うーん、わかりません"])
async def test_not_knowing_shows_the_answer_schedules_a_review_and_moves_on(quiz: Assistant, store: Store,
                                                                           words: str) -> None:
    _, question = await quiz.handle(dm("クイズ"))
    qid = question.buttons[0].value.split(":")[2]
    feedback, following = await quiz.handle(dm(words))
    assert feedback.title in ("💡 答えを確認しましょう", "💡 Here's the answer")
    assert feedback.sections[0].startswith(("正解: ", "Answer: "))
    [(correct,)] = store.db.execute("select correct from quiz_answers").fetchall()
    assert correct == 0  # not known: it counts as not right, so it comes back
    [(due,)] = store.db.execute("select due from quiz_cards where question_id = ?", [qid]).fetchall()
    assert tokyo_day(due).isoformat() in feedback.fallback  # "comes back for review from <that day>"
    assert following.title in ("クイズ 2/5", "Quiz 2/5")


async def test_a_hint_rules_out_one_wrong_choice_and_records_nothing(kb: KnowledgeBase, store: Store) -> None:
    quiz = build_assistant(kb, store, env={})
    for user in (f"U{i}" for i in range(12)):  # several questions and orders
        _, question = await quiz.handle(dm("クイズ", user=user))
        hint, again = await quiz.handle(dm("ヒント", user=user))
        letter = hint.fallback.split("ヒント: ", 1)[1][0]
        right = right_position(quiz, question)
        assert letter in "ABCD"[:len(question.buttons)] and letter != "ABCD"[right]
        assert again.title == "クイズ 1/5" and again.buttons == question.buttons
        [repeated, _] = await quiz.handle(dm("ヒントください", user=user))
        assert repeated.fallback == hint.fallback  # the same hint: never down to one choice
    assert store.db["quiz_answers"].count == 0


async def test_hint_and_dont_know_with_no_quiz_open_are_not_the_quizs(quiz: Assistant, store: Store) -> None:
    [hint] = await quiz.handle(dm("ヒント"))
    assert "正解ではありません" not in hint.fallback
    [unknown] = await quiz.handle(dm("わからない"))
    assert "答えを確認" not in unknown.fallback
    assert store.db["quiz_sessions"].count == 0


async def test_more_than_the_words_is_a_side_question(quiz: Assistant, store: Store) -> None:
    await quiz.handle(dm("クイズ"))
    [side, *_] = await quiz.handle(dm("NPSがわからない"))
    assert "NPS" in side.fallback and store.db["quiz_answers"].count == 0


async def _finish(quiz: Assistant, start: str) -> list[Reply]:
    """Start a quiz and answer every question with "A": the replies of the last answer (feedback, summary…)."""
    replies = await quiz.handle(dm(start))
    while replies[-1].title and replies[-1].title.startswith(("クイズ ", "Quiz ")):
        replies = await quiz.handle(dm("A"))
    return replies


@pytest.mark.parametrize("words", ["もう一回", "もう一度", "again", "one more"])
async def test_again_right_after_the_summary_starts_another_round_like_it(quiz: Assistant, store: Store,
                                                                           words: str) -> None:
    *_, summary = await _finish(quiz, "第3条のクイズ")
    assert summary.buttons[0].value == "quiz:start:3"  # "Another round" repeats a quiz on #3 as one on #3
    intro, question = await quiz.handle(dm(words))
    assert question.title in ("クイズ 1/5", "Quiz 1/5") and _open(store)
    assert quiz_feature(quiz).bank.by_id[question.buttons[0].value.split(":")[2]].principle == 3


async def test_again_after_something_else_is_not_a_new_round(quiz: Assistant, store: Store) -> None:
    await _finish(quiz, "クイズ")
    await quiz.handle(dm("第3条のKPI"))
    replies = await quiz.handle(dm("もう一回"))
    assert not _open(store) and not any((r.title or "").startswith("クイズ ") for r in replies)


async def test_again_with_a_question_open_shows_that_question(quiz: Assistant, store: Store) -> None:
    _, question = await quiz.handle(dm("クイズ"))
    [again] = await quiz.handle(dm("もう一回"))
    assert again.title == question.title and again.buttons == question.buttons
    assert store.db["quiz_answers"].count == 0


async def test_a_tips_quiz_button_asks_one_question_and_says_so(kb: KnowledgeBase, quiz: Assistant,
                                                                store: Store) -> None:
    tip = next(tip for tip in tips.sequence(kb) if tip.principle == 5)
    button = tips.render(kb, tip, "en").buttons[1]
    assert button.label == "Try one quiz question"
    intro, question = await quiz.handle(dm(value=button.value))
    assert intro.fallback.startswith("Just one quiz question on principle 5") and question.title == "Quiz 1/1"
    assert quiz_feature(quiz).bank.by_id[question.buttons[0].value.split(":")[2]].principle == 5
    *_, summary = await quiz.handle(dm("A"))
    assert summary.title.startswith("Done: ") and " of 1 correct" in summary.title
    assert [(b.label, b.value) for b in summary.buttons] == [
        ("One more question", "quiz:one:5"), ("A round of 5", "quiz:start:5"), ("My progress", "quiz:progress")]
    _, again = await quiz.handle(dm("one more"))  # typed, as the button
    assert again.title == "Quiz 1/1"


async def test_one_question_asked_for_in_words(quiz: Assistant) -> None:
    intro, question = await quiz.handle(dm("1問だけクイズ"))
    assert intro.fallback.startswith("クイズを1問だけ出します") and question.title == "クイズ 1/1"
