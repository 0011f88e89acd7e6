"""How a quiz question and its feedback look as neutral replies (shared by personal and channel quizzes)."""

from __future__ import annotations

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


def body(q: Question, lang: str) -> str:
    """The prompt, the quoted item and every choice written out (buttons carry only the letter)."""
    parts = [q.prompt.get(lang)]
    if q.subject is not None:
        parts.append(t("quiz.subject", lang, text=q.subject.get(lang)))
    parts.append("\n".join(f"{LETTERS[i]}. {c.get(lang)}" for i, c in enumerate(q.choices)))
    return "\n\n".join(parts)


def question_reply(q: Question, title: str, value_prefix: str, lang: str, **hints: Unpack[Hints]) -> Reply:
    text = body(q, lang)
    buttons = tuple(Button(LETTERS[i], f"{value_prefix}:{i}") for i in range(len(q.choices)))
    return Reply(fallback=f"{title}\n\n{text}", lang=lang, title=title, sections=(text,), buttons=buttons, **hints)


def answer_line(q: Question, lang: str) -> str:
    return t("quiz.correct_answer", lang, letter=LETTERS[q.answer], text=q.correct.get(lang))
