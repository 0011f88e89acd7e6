"""How a quiz question and its feedback look as neutral replies (shared by personal and channel quizzes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

from bot.catalog import t
from bot.events import Button, Hints, Reply
from bot.quiz.bank import Question
from knowledge.schema import KnowledgeBase

LETTERS = "ABCD"


def source(kb: KnowledgeBase, q: Question, lang: str) -> str:
    term = kb.term(q.id.removeprefix("glossary-")) if q.kind == "glossary" else None
    if term is not None:
        return t("source.glossary", lang, where=", ".join(f"#{n}" for n in term.principles) or "-")
    return t("source.principle", lang, number=q.principle)


def canonical(q: Question) -> list[int]:
    """The bank's own order: choice i shown as letter i."""
    return list(range(len(q.choices)))


def body(q: Question, lang: str, order: Sequence[int] | None = None) -> str:
    """The prompt, the quoted item and every choice written out (buttons carry only the letter).

    `order` lists the bank's choice indices in the order they are shown (the personal quiz
    shuffles them per session); the bank's order when None.
    """
    shown = order if order is not None else canonical(q)
    parts = [q.prompt.get(lang)]
    if q.subject is not None:
        parts.append(t("quiz.subject_term" if q.kind == "glossary" else "quiz.subject", lang, text=q.subject.get(lang)))
    parts.append("\n".join(f"{LETTERS[i]}. {q.choices[c].get(lang)}" for i, c in enumerate(shown)))
    return "\n\n".join(parts)


def question_reply(q: Question, title: str, value_prefix: str, lang: str, order: Sequence[int] | None = None,
                   **hints: Unpack[Hints]) -> Reply:
    """The question with buttons A–D; a button's value names the bank's choice index, whatever
    letter it is shown under, so a pressed button means the same choice in any order."""
    shown = order if order is not None else canonical(q)
    text = body(q, lang, shown)
    buttons = tuple(Button(LETTERS[i], f"{value_prefix}:{c}") for i, c in enumerate(shown))
    return Reply(fallback=f"{title}\n\n{text}", lang=lang, title=title, sections=(text,), buttons=buttons, **hints)


def answer_line(q: Question, lang: str, order: Sequence[int] | None = None) -> str:
    shown = list(order if order is not None else canonical(q))
    return t("quiz.correct_answer", lang, letter=LETTERS[shown.index(q.answer)], text=q.correct.get(lang))
