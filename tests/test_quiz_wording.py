"""Quiz and progress wording from the QA report (section 9): singular and plural, "0 of 0", the
review cap, mastery, and a day streak that weekends and holidays do not break."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Incoming, Reply
from bot.quiz.bank import build_bank
from bot.store import Store
from knowledge.scenarios import load_scenarios
from knowledge.schema import KnowledgeBase
from tests.quiz_helpers import answer_value, dm, quiz_feature


@pytest.fixture
def quiz(kb: KnowledgeBase, store: Store) -> Assistant:
    return build_assistant(kb, store, env={})


def _tokyo(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=9)


async def _answer_one(quiz: Assistant, right: bool = True) -> None:
    """One answer, then the quiz is stopped (a day with an answer, for the streak)."""
    *_, question = await quiz.handle(dm("quiz"))
    if not (question.title or "").startswith("Quiz "):  # a quiz was still open: keep it
        [question] = await quiz.handle(dm("continue"))
    await quiz.handle(dm(value=answer_value(quiz, question, right=right)))
    await quiz.handle(dm("stop quiz"))


async def _streak(quiz: Assistant) -> str:
    [progress] = await quiz.handle(dm("progress"))
    return {f.label: f.value for f in progress.facts}["Day streak"]


@pytest.mark.parametrize(("answered", "asked", "expected"), [
    # Friday 2026-11-27, then Monday 2026-11-30 before answering (QA: "0 day(s)").
    ([date(2026, 11, 27)], date(2026, 11, 30), "1 day"),
    ([date(2026, 11, 26), date(2026, 11, 27)], date(2026, 11, 30), "2 days"),
    ([date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 30)], date(2026, 11, 30), "3 days"),
    # Coming of Age Day, Monday 2027-01-11, is a public holiday.
    ([date(2027, 1, 8), date(2027, 1, 12)], date(2027, 1, 12), "2 days"),
    # A Saturday answer counts, and the weekend is still no gap.
    ([date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 30)], date(2026, 11, 30), "3 days"),
    # A working day without an answer (Wednesday 2026-11-25) breaks it.
    ([date(2026, 11, 24), date(2026, 11, 26)], date(2026, 11, 26), "1 day"),
    # Nothing since Thursday, asked on Monday: Friday was a working day without an answer.
    ([date(2026, 11, 26)], date(2026, 11, 30), "0 days"),
])
async def test_the_day_streak_counts_working_days(quiz: Assistant, answered: list[date], asked: date,
                                                  expected: str) -> None:
    with time_machine.travel(_tokyo(answered[0]), tick=False) as clock:
        for day in answered:
            clock.move_to(_tokyo(day))
            await _answer_one(quiz)
        clock.move_to(_tokyo(asked, 18))
        assert await _streak(quiz) == expected


async def test_singular_and_plural_in_english(quiz: Assistant) -> None:
    start = datetime(2026, 6, 1, 0, 30, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        await _answer_one(quiz, right=False)
        assert await _streak(quiz) == "1 day"
        clock.move_to(start + timedelta(days=1))
        intro, _ = await quiz.handle(dm("review"))
        assert intro.fallback == "1 question is due for review."


async def test_stopping_before_any_answer_does_not_say_0_of_0(quiz: Assistant) -> None:
    await quiz.handle(dm("quiz"))
    [stopped] = await quiz.handle(dm("stop quiz"))
    assert stopped.fallback == "Quiz ended before any question was answered." and "0 of 0" not in stopped.fallback
    await quiz.handle(dm("クイズ"))
    [ja] = await quiz.handle(dm("クイズをやめる"))
    assert ja.fallback == "クイズを終了しました（回答した問題はありません）。"


async def test_a_review_of_more_than_five_says_why_it_asks_five(quiz: Assistant) -> None:
    start = datetime(2026, 6, 1, 0, 30, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(8):
            await _answer_one(quiz, right=False)
        clock.move_to(start + timedelta(days=1))
        [progress] = await quiz.handle(dm("progress"))
        assert "Review (8)" in [b.label for b in progress.buttons]
        intro, question = await quiz.handle(dm("review"))
        assert intro.fallback == "8 questions are due for review. A review asks at most 5, so here are 5 of them."
        assert question.title == "Quiz 1/5"


async def test_mastering_a_principle_is_congratulated_once(quiz: Assistant, kb: KnowledgeBase) -> None:
    *_, question = await quiz.handle(dm("quiz 4"))
    said: list[Reply] = []
    for _ in range(5):
        replies = await quiz.handle(dm(value=answer_value(quiz, question, right=True)))
        said += [r for r in replies if r.fallback.startswith("🎉")]
        question = replies[-1]
    assert [r.fallback for r in said] == [
        f"🎉 You have mastered principle 4, \"{kb.principle(4).title.en}\": 5 of its questions answered right."]
    *_, question = await quiz.handle(dm("quiz 4"))
    replies = await quiz.handle(dm(value=answer_value(quiz, question, right=True)))
    assert not [r for r in replies if r.fallback.startswith("🎉")]  # already mastered: no second cheer


def test_question_stems_read_naturally(kb: KnowledgeBase) -> None:
    bank = build_bank(kb, load_scenarios())
    stems = {q.prompt.en for q in bank if q.kind == "principle"}
    assert stems == {"Which principle's action principle is this?"}


async def test_a_glossary_term_is_not_marked_as_our_translation(quiz: Assistant) -> None:
    bank = quiz_feature(quiz).bank
    for _ in range(40):
        *_, question = await quiz.handle(dm("quiz"))
        while (question.title or "").startswith("Quiz "):
            q = bank.by_id[question.buttons[0].value.split(":")[-2]]
            if q.kind == "glossary":
                assert q.subject is not None
                assert f'"{q.subject.en}"\n' in question.fallback + "\n"
                assert f'"{q.subject.en}" (English is our translation)' not in question.fallback
                return
            *_, question = await quiz.handle(dm(value=answer_value(quiz, question, right=True)))
    pytest.fail("no glossary question came up")


async def test_a_channel_quiz_of_one_question_says_one_question(quiz: Assistant) -> None:
    intro, _ = await quiz.handle(Incoming("slack", "U1", "C1", text="quiz channel 1", direct=False))
    assert "(1 question)" in intro.fallback and "10 minutes" in intro.fallback


async def test_a_language_fixed_mid_quiz_is_the_language_of_the_rest_of_it(quiz: Assistant) -> None:
    _, question = await quiz.handle(dm("quiz"))
    await quiz.handle(dm("A"))
    await quiz.handle(dm("lang ja"))
    [again] = await quiz.handle(dm("continue"))
    assert again.title == "クイズ 2/5"
    feedback, following = await quiz.handle(dm("B"))
    assert feedback.title in ("✅ 正解です！", "❌ 残念、不正解です") and feedback.sections[0].startswith("正解: ")
    assert following.title == "クイズ 3/5"


async def test_a_japanese_side_question_does_not_switch_an_english_quiz(quiz: Assistant) -> None:
    _, question = await quiz.handle(dm("quiz"))
    await quiz.handle(dm("NPSとは"))
    feedback, _ = await quiz.handle(dm(value=answer_value(quiz, question, right=True)))
    assert feedback.title == "✅ Correct!"


async def test_glossary_feedback_says_once_where_the_document_uses_the_term(kb: KnowledgeBase, store: Store) -> None:
    # QA 2.6: 「…（資料での用例: 第3条）」 in the explanation, then 「…（資料での用例: #3）」 in the source.
    quiz = build_assistant(kb, store, env={})
    bank = quiz_feature(quiz).bank
    *_, question = await quiz.handle(dm("クイズ"))
    for _ in range(200):  # answer on until a glossary question on a term the document uses
        q = bank.by_id[question.buttons[0].value.split(":")[-2]]
        if q.kind == "glossary" and q.principle is not None:
            break
        *_, question = await quiz.handle(dm("A"))
        if not (question.title or "").startswith("クイズ "):
            *_, question = await quiz.handle(dm("クイズ"))
    assert q.kind == "glossary" and q.principle is not None
    feedback, *_ = await quiz.handle(dm("A"))
    assert feedback.fallback.count("資料での用例") == 1
    assert f"#{q.principle}" in (feedback.source or "")


async def test_progress_with_no_answers_says_none_yet_not_zero_percent(quiz: Assistant) -> None:
    [ja] = await quiz.handle(dm("進捗"))
    assert "回答数: まだありません" in ja.fallback and "0%" not in ja.fallback
    [en] = await quiz.handle(dm("my progress", user="U2"))
    assert "Questions answered: None yet" in en.fallback and "0%" not in en.fallback


async def test_a_first_step_taken_and_done_today_counts_as_a_learning_day(quiz: Assistant) -> None:
    # QA: after committing to a first step and doing it, the progress said 「連続学習日数: 0日」.
    [step] = await quiz.handle(dm("第3条のはじめの第一歩は？"))
    commit = next(b for b in step.buttons if b.value.startswith("commit:"))
    await quiz.handle(dm(value=commit.value))
    [report] = await quiz.handle(dm("進捗"))
    assert "連続学習日数: 1日" in report.fallback  # taken on today
    await quiz.handle(dm("やってみました"))
    [report] = await quiz.handle(dm("進捗"))
    assert "連続学習日数: 1日" in report.fallback and "実践したはじめの第一歩: 1件" in report.fallback
