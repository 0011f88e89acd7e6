"""A personal quiz through the core with a real store, under a controlled clock (time-machine)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Incoming
from bot.store import Store
from knowledge.schema import KnowledgeBase
from tests.quiz_helpers import answer_value, dm, quiz_feature

START = datetime(2026, 6, 1, 0, 30, tzinfo=UTC)  # Monday 09:30 in Tokyo


@pytest.fixture
def quiz(kb: KnowledgeBase, store: Store) -> Assistant:
    return build_assistant(kb, store, env={})


def _cards(store: Store) -> dict[str, tuple[str, int]]:
    return {r["question_id"]: (r["due"], r["last_correct"]) for r in store.db["quiz_cards"].rows}


async def test_a_full_quiz_then_reviews_come_back_on_schedule(quiz: Assistant, store: Store, kb: KnowledgeBase) -> None:
    with time_machine.travel(START, tick=False) as clock:
        intro, question = await quiz.handle(dm("第3条のクイズ"))
        assert "5" in intro.fallback and question.title == "クイズ 1/5"
        assert [b.label for b in question.buttons][:3] == ["A", "B", "C"]
        asked = []
        for n in range(5):
            asked.append(question.buttons[0].value.split(":")[2])
            replies = await quiz.handle(dm(value=answer_value(quiz, question, right=n != 0)))
            feedback = replies[0]
            assert feedback.title == ("❌ 残念、不正解です" if n == 0 else "✅ 正解です！")
            assert feedback.sections[0].startswith("正解: ") and feedback.source
            question = replies[1]
        summary = question
        assert summary.title == "おつかれさまでした: 5問中4問正解"
        assert f"#3 {kb.principle(3).title.ja} ▰▰▰▰▱ 4/5" in summary.fallback
        assert all(store.db["quiz_answers"].get(i + 1)["principle"] == 3 for i in range(5))

        # Wrong answers come back sooner than right ones, from the start of that Tokyo day.
        cards = _cards(store)
        assert cards[asked[0]] == ("2026-06-01T15:00:00+00:00", 0)  # 2026-06-02 00:00 in Tokyo
        assert all(cards[q] == ("2026-06-02T15:00:00+00:00", 1) for q in asked[1:])

        [nothing] = await quiz.handle(dm("review"))
        assert "2026-06-02" in nothing.fallback  # when the next review is due, in Tokyo time

        clock.move_to(START + timedelta(days=1, hours=1))
        intro, review = await quiz.handle(dm("復習"))
        assert "1問" in intro.fallback and review.buttons[0].value.split(":")[2] == asked[0]
        feedback, mastered, summary = await quiz.handle(dm(value=answer_value(quiz, review, right=True)))
        # The fifth right answer masters #3: said at once, not left to a bar in the summary.
        assert mastered.fallback == f"🎉 第3条「{kb.principle(3).title.ja}」を習得しました！この条の問題5問に正解しています。"
        assert summary.title == "おつかれさまでした: 1問中1問正解"
        assert "▰▰▰▰▰ 5/5" in summary.fallback
        assert _cards(store)[asked[0]][0] >= "2026-06-03T15:00:00+00:00"  # pushed out to June 4 (Tokyo) or later

        clock.move_to(START + timedelta(days=2, hours=1))
        intro, review = await quiz.handle(dm("review"))
        assert intro.fallback == "4 questions are due for review."  # "review" is English, so is the answer
        assert review.buttons[0].value.split(":")[2] in asked[1:]

        [progress] = await quiz.handle(dm("進捗"))
        assert f"#3 {kb.principle(3).title.ja} ▰▰▰▰▰ 5/5" in progress.fallback
        facts = {f.label: f.value for f in progress.facts}
        assert facts["連続学習日数"] == "2日"  # answered on two consecutive Tokyo days
        assert facts["回答数"] == "6問（正答率83%）"
        assert facts["習得した条"] == "10条中1条"


async def test_a_card_missed_late_in_the_day_is_due_all_of_the_next_tokyo_day(quiz: Assistant, store: Store) -> None:
    # The QA run: six answers wrong at 16:59 on Thursday 2026-11-26 (Tokyo); at 09:00 the next
    # day "review" said nothing was due while naming that very day as the next review day.
    answered = datetime(2026, 11, 26, 7, 59, tzinfo=UTC)  # 16:59 in Tokyo
    with time_machine.travel(answered, tick=False) as clock:
        _, question = await quiz.handle(dm("quiz"))
        await quiz.handle(dm(value=answer_value(quiz, question, right=False)))
        [stop] = await quiz.handle(dm("stop quiz"))

        clock.move_to(datetime(2026, 11, 26, 14, 59, tzinfo=UTC))  # 23:59 the same day in Tokyo
        [nothing] = await quiz.handle(dm("review"))
        assert "Nothing is due" in nothing.fallback and "2026-11-27" in nothing.fallback
        assert quiz_feature(quiz).due_reviews("slack", "U1") == 0

        clock.move_to(datetime(2026, 11, 26, 15, 0, tzinfo=UTC))  # 00:00 on the 27th in Tokyo
        assert quiz_feature(quiz).due_reviews("slack", "U1") == 1
        clock.move_to(datetime(2026, 11, 27, 0, 0, tzinfo=UTC))  # 09:00 on the 27th
        intro, review = await quiz.handle(dm("review"))
        assert "1" in intro.fallback and {b.value for b in review.buttons} == {b.value for b in question.buttons}


async def test_cards_stored_with_a_clock_time_are_due_all_of_their_day(quiz: Assistant, store: Store) -> None:
    # A card written before dues were rounded to the day (due at 16:59 on the 27th) is due at 09:00.
    with time_machine.travel(datetime(2026, 11, 26, 7, 59, tzinfo=UTC), tick=False) as clock:
        _, question = await quiz.handle(dm("quiz"))
        await quiz.handle(dm(value=answer_value(quiz, question, right=False)))
        qid = question.buttons[0].value.split(":")[2]
        store.db.execute("update quiz_cards set due = ? where question_id = ?", ["2026-11-27T07:59:00+00:00", qid])
        store.db.conn.commit()
        clock.move_to(datetime(2026, 11, 27, 0, 0, tzinfo=UTC))
        assert quiz_feature(quiz).due_reviews("slack", "U1") == 1


async def test_an_old_or_foreign_button_is_refused_and_changes_nothing(quiz: Assistant, store: Store) -> None:
    _, question = await quiz.handle(dm("quiz"))
    right = answer_value(quiz, question, right=True)
    [stale] = await quiz.handle(dm(value=right, user="U2"))  # someone else's buttons
    assert "回答済み" in stale.fallback  # U2 never wrote: Japanese
    await quiz.handle(dm(value=right))
    [again] = await quiz.handle(dm(value=right))  # a double press; U1 wrote "quiz": English
    assert "already answered" in again.fallback
    assert store.db["quiz_answers"].count == 1
    [broken] = await quiz.handle(dm(value="quiz:a:nope"))
    assert "button" in broken.fallback


async def test_quiz_in_a_channel_stays_private_and_english_follows_the_question(quiz: Assistant) -> None:
    replies = await quiz.handle(Incoming("slack", "U1", "C1", text="quiz 7", direct=False))
    assert all(r.private for r in replies) and replies[0].lang == "en"
    # One session per person: the DM finds the quiz started in the channel and keeps it until asked.
    [offer] = await quiz.handle(dm("quiz 7"))
    assert "question 1 of 5" in offer.fallback and not offer.private
    [new] = [b for b in offer.buttons if b.value.startswith("quiz:new:")]
    assert new.value == "quiz:new:7"
    intro, question = await quiz.handle(dm(value=new.value))
    assert question.title == "Quiz 1/5"
    assert json.loads(quiz.store.db["quiz_sessions"].get(("slack", "U1"))["questions"])


async def test_completion_badge_once_when_all_ten_are_mastered(quiz: Assistant, store: Store) -> None:
    with time_machine.travel(START, tick=False):
        for number in range(1, 11):
            _, question = await quiz.handle(dm(f"quiz {number}"))
            replies: list = []
            for _ in range(5):
                replies = await quiz.handle(dm(value=answer_value(quiz, question, right=True)))
                question = replies[-1]
            badges = [r for r in replies if r.title and "🏅" in r.title]
            assert len(badges) == (1 if number == 10 else 0)
        assert "2026-06-01" in badges[0].fallback
        _, question = await quiz.handle(dm("quiz 1"))
        for _ in range(5):
            replies = await quiz.handle(dm(value=answer_value(quiz, question, right=True)))
            question = replies[-1]
        assert not [r for r in replies if r.title and "🏅" in r.title]
        assert store.db["quiz_badges"].count == 1


async def test_the_quiz_button_on_an_answer_starts_a_quiz_on_that_principle(quiz: Assistant) -> None:
    [answer] = await quiz.handle(dm("第6条のKPI"))
    [button] = [b for b in answer.buttons if b.label == "クイズ"]
    intro, question = await quiz.handle(dm(value=button.value))
    qid = question.buttons[0].value.split(":")[2]
    assert quiz_feature(quiz).bank.by_id[qid].principle == 6
    assert quiz_feature(quiz).due_reviews("slack", "U1") == 0


async def test_a_principle_that_does_not_exist_is_explained(quiz: Assistant, store: Store) -> None:
    [reply] = await quiz.handle(dm("quiz 42"))
    assert "42" in reply.fallback and "1 to 10" in reply.fallback
    assert [b.value for b in reply.buttons] == ["quiz:start:"]
    assert store.db["quiz_sessions"].count == 0  # nothing was started behind the person's back


async def test_continue_brings_back_the_current_question_or_offers_a_new_quiz(quiz: Assistant) -> None:
    [nothing] = await quiz.handle(dm("クイズの続き"))
    assert "続きのクイズはありません" in nothing.fallback and nothing.buttons[0].value == "quiz:start:"
    _, question = await quiz.handle(dm("quiz"))
    await quiz.handle(dm("what is NPS"))  # a side question
    [again] = await quiz.handle(dm("continue quiz"))
    assert again.title == question.title and [b.value for b in again.buttons] == [b.value for b in question.buttons]


async def test_a_typed_letter_answers_the_open_question_and_stop_ends_the_quiz(quiz: Assistant, store: Store) -> None:
    _, question = await quiz.handle(dm("クイズ"))
    await quiz.handle(dm("NPSとは"))  # a side question
    feedback, following = await quiz.handle(dm("Ｂ"))  # typed, full-width, instead of pressed
    assert store.db["quiz_answers"].count == 1 and "2/5" in (following.title or "")
    [stopped] = await quiz.handle(dm("クイズをやめる"))  # not a new quiz because it says クイズ
    assert "クイズを終了しました" in stopped.fallback and "1問中" in stopped.fallback
    [nothing] = await quiz.handle(dm("b"))  # no quiz open: an ordinary message again
    assert store.db["quiz_answers"].count == 1

