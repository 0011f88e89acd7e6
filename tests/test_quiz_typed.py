"""Answers typed in words, and "stop" alone, while a quiz question is open (QA report 6.1).

Through the core with a real store: each phrase is tried on the right choice and on a wrong one,
so a phrase read as the wrong position fails.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Reply
from bot.quiz.bank import NAMES_THE_PRINCIPLE
from bot.store import Store
from knowledge.schema import KnowledgeBase
from tests.conftest import run_dx10
from tests.quiz_helpers import dm, quiz_feature, right_position

LETTERS = "ABCD"
ORDINALS = ["first", "second", "third", "fourth"]

PHRASES: list[Callable[[int], str]] = [
    lambda i: f"I think it's {LETTERS[i]}",
    lambda i: f"answer {LETTERS[i].lower()}",
    lambda i: f"{LETTERS[i]}.",
    lambda i: f"the {ORDINALS[i]} one",
    lambda i: f"{LETTERS[i]}です",
    lambda i: f"{i + 1}番",
    lambda i: f"答えは{LETTERS[i]}かな",
    lambda i: f"my final answer is ({LETTERS[i].lower()})",
]


@pytest.fixture
def quiz(kb: KnowledgeBase, store: Store) -> Assistant:
    return build_assistant(kb, store, env={})


@pytest.mark.parametrize("phrase", PHRASES)
@pytest.mark.parametrize("right", [True, False])
async def test_a_typed_phrase_answers_the_choice_it_names(quiz: Assistant, store: Store,
                                                         phrase: Callable[[int], str], right: bool) -> None:
    _, question = await quiz.handle(dm("quiz"))
    position = right_position(quiz, question)
    if not right:
        position = (position + 1) % len(question.buttons)
    feedback, following = await quiz.handle(dm(phrase(position)))
    assert feedback.title == ("✅ Correct!" if right else "❌ Not quite") or \
        feedback.title == ("✅ 正解です！" if right else "❌ 残念、不正解です")
    assert store.db["quiz_answers"].count == 1 and "2/5" in (following.title or "")


async def test_a_choice_that_does_not_exist_is_named_and_the_question_stays(quiz: Assistant, store: Store) -> None:
    _, question = await quiz.handle(dm("quiz"))
    letters = len(question.buttons)
    missing = "E" if letters == 4 else "D"
    note, again = await quiz.handle(dm(missing))
    assert note.fallback == f"There is no such choice: pick A to {LETTERS[letters - 1]}."
    assert again.title == "Quiz 1/5" and store.db["quiz_answers"].count == 0


async def test_the_choice_typed_out_answers_instead_of_showing_that_principle(quiz: Assistant, store: Store) -> None:
    # It used to be read as a question about that principle, whose overview gave the answer away.
    bank = quiz_feature(quiz).bank
    *_, question = await quiz.handle(dm("quiz"))
    for _ in range(30):  # to a "which principle…?" question, whose choices are principles
        if bank.by_id[question.buttons[0].value.split(":")[-2]].kind in NAMES_THE_PRINCIPLE:
            break
        *_, question = await quiz.handle(dm("A"))
        if not question.title or not question.title.startswith("Quiz "):
            *_, question = await quiz.handle(dm("quiz"))  # the summary: another round
    q = bank.by_id[question.buttons[0].value.split(":")[-2]]
    assert q.kind in NAMES_THE_PRINCIPLE
    before = store.db["quiz_answers"].count
    feedback, *_ = await quiz.handle(dm(q.correct.en))  # e.g. "#5 Build a safe and secure digital society"
    assert feedback.title == "✅ Correct!" and store.db["quiz_answers"].count == before + 1


async def test_stop_alone_ends_an_open_quiz_and_otherwise_keeps_its_old_meaning(quiz: Assistant, store: Store) -> None:
    [before] = await quiz.handle(dm("stop", user="U9"))  # nobody's quiz open: what "stop" always got
    _, question = await quiz.handle(dm("quiz"))
    await quiz.handle(dm("B"))
    [stopped] = await quiz.handle(dm("stop"))
    assert stopped.fallback.startswith("Quiz ended") and "1" in stopped.fallback
    [after] = await quiz.handle(dm("stop"))  # the quiz is over: "stop" is no quiz command again
    assert after.fallback == before.fallback and not after.fallback.startswith("Quiz ended")
    [ja] = await quiz.handle(dm("やめる", user="U9"))
    assert "クイズ" not in ja.fallback


async def test_stop_alone_with_tips_subscribed_and_no_quiz_is_not_taken_by_the_quiz(quiz: Assistant) -> None:
    await quiz.handle(dm("send me tips every morning at 9"))
    [reply] = await quiz.handle(dm("stop"))
    assert "Quiz" not in reply.fallback and "quiz" not in (reply.title or "")


def test_console_typed_answers_and_stop(tmp_path: Path) -> None:
    out = run_dx10("chat", "--db", str(tmp_path / "x.db"),
                   input="quiz\nI think it's B\nthe third one\nstop\n").stdout.decode("utf-8")
    assert "Quiz 3/5" in out and "Quiz ended" in out
    assert out.count("Not quite") + out.count("Correct!") == 2


async def test_stopping_the_tips_during_a_quiz_stops_the_tips_not_the_quiz(quiz: Assistant, store: Store) -> None:
    await quiz.handle(dm("send me tips every morning at 9"))
    _, question = await quiz.handle(dm("quiz"))
    [reply] = await quiz.handle(dm("stop tips"))
    assert reply.fallback.startswith("Tips are stopped")
    [again] = await quiz.handle(dm("continue"))
    assert again.title == "Quiz 1/5" and [b.value for b in again.buttons] == [b.value for b in question.buttons]


async def test_a_typed_number_after_a_side_reply_with_buttons_answers_on_slack(quiz: Assistant, store: Store) -> None:
    # Slack and Teams have real buttons: a typed "2" is text, and text goes to the quiz's typed answers.
    _, question = await quiz.handle(dm("クイズ"))
    [side] = await quiz.handle(dm("NPSとは"))
    assert side.buttons  # the side reply has buttons of its own
    feedback, following = await quiz.handle(dm("2"))
    assert feedback.sections[0].startswith("正解: ") and following.title == "クイズ 2/5"
    assert store.db["quiz_answers"].count == 1


async def _principle_question(quiz: Assistant, user: str, lang_word: str = "quiz") -> tuple[Reply, list[int], int]:
    """A "which principle…?" question whose right choice's label (#N) is not its position +1, so
    reading "#N" as a position would pick another choice: (question, labels as shown, right position)."""
    bank = quiz_feature(quiz).bank
    *_, question = await quiz.handle(dm(lang_word, user=user))
    for _ in range(60):
        q = bank.by_id[question.buttons[0].value.split(":")[-2]]
        if q.kind in NAMES_THE_PRINCIPLE:
            labels = [int(b.value.split(":")[-1]) for b in question.buttons]
            labels = [int(q.choices[i].en.split()[0][1:]) for i in labels]
            right = right_position(quiz, question)
            if labels[right] != right + 1:
                return question, labels, right
        *_, question = await quiz.handle(dm("A", user=user))
        if not question.title or not question.title.startswith(("Quiz ", "クイズ ")):
            *_, question = await quiz.handle(dm(lang_word, user=user))  # the summary: another round
    raise AssertionError("no such question in 60 tries")


@pytest.mark.parametrize(("phrase", "lang"), [("#{n}", "en"), ("＃{n}", "en"), ("principle {n}", "en"),
                                              ("I think it's principle #{n}", "en"),
                                              ("第{n}条", "ja"), ("{n}条", "ja"), ("答えは第{n}条です", "ja")])
@pytest.mark.parametrize("right", [True, False])
async def test_a_principle_number_picks_the_choice_labelled_with_it_not_that_position(
        quiz: Assistant, store: Store, phrase: str, lang: str, right: bool) -> None:
    # Review H2: "#4" was read as the fourth choice (D), so typing the label one sees was marked wrong.
    user = f"U-{phrase}-{right}"
    if lang == "ja":
        await quiz.handle(dm("lang ja", user=user))
    question, labels, right_at = await _principle_question(quiz, user, "quiz" if lang == "en" else "クイズ")
    at = right_at if right else next(i for i in range(len(labels)) if i != right_at and labels[i] - 1 != right_at)
    before = store.db["quiz_answers"].count
    feedback, *_ = await quiz.handle(dm(phrase.format(n=labels[at]), user=user))
    assert feedback.lang == lang
    titles = {"en": ("✅ Correct!", "❌ Not quite"), "ja": ("✅ 正解です！", "❌ 残念、不正解です")}[lang]
    assert feedback.title == titles[0 if right else 1]
    row = list(store.db["quiz_answers"].rows)[-1]
    assert store.db["quiz_answers"].count == before + 1 and row["correct"] == int(right)


async def test_a_bare_number_stays_a_position_and_an_unshown_principle_is_no_choice(quiz: Assistant, store: Store) -> None:
    # The console numbers the choices 1..n: a bare "2" is the second choice even when labels are numbers.
    question, labels, right_at = await _principle_question(quiz, "U1")
    missing = next(n for n in range(1, 11) if n not in labels)
    before = store.db["quiz_answers"].count
    note, again = await quiz.handle(dm(f"#{missing}"))
    assert note.lang == "en" and note.fallback.startswith("There is no such choice")
    assert again.title == question.title and store.db["quiz_answers"].count == before
    feedback, *_ = await quiz.handle(dm(str(right_at + 1)))
    assert feedback.lang == "en" and feedback.title == "✅ Correct!"
    assert store.db["quiz_answers"].count == before + 1
