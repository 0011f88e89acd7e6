"""The channel quiz: questions posted for everyone, answers confirmed privately, timed reveals, a leaderboard."""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Unpack

from bot.catalog import t, tn
from bot.events import Hints, Incoming, Reply
from bot.quiz import render
from bot.quiz.bank import Bank, Question
from bot.quiz.progress import TOKYO
from bot.senders import Target
from bot.store import Store
from knowledge.schema import KnowledgeBase

DEFAULT_QUESTIONS = 3
MAX_QUESTIONS = 10
DEFAULT_REVEAL = timedelta(minutes=10)
# After a restart, a quiz whose reveal is this far overdue is closed rather than resumed.
STALE_AFTER = timedelta(minutes=10)
BOARD_SIZE = 10

# (id, platform, conversation, lang, questions JSON, position) of a channel_quizzes row.
Row = tuple[Any, ...]


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Outgoing:
    target: Target
    replies: list[Reply]


class ChannelQuiz:
    def __init__(self, kb: KnowledgeBase, store: Store, bank: Bank, reveal_after: timedelta = DEFAULT_REVEAL) -> None:
        self.kb = kb
        self.store = store
        self.bank = bank
        self.reveal_after = reveal_after

    # -- starting and answering -------------------------------------------------------------------

    def start(self, msg: Incoming, count: int, principle: int | None, lang: str, now: datetime) -> list[Reply]:
        if msg.direct:
            return [_text(t("quiz.channel.not_here", lang), lang)]
        pool = [q.id for q in self.bank.on_principle(principle)]  # on one principle: not "which principle?"
        random.Random(f"{msg.conversation}:{_iso(now)}").shuffle(pool)
        questions = pool[: max(1, min(count, MAX_QUESTIONS))]
        reveal_at = now + self.reveal_after
        try:
            with self.store.db.conn:
                cursor = self.store.db.execute(
                    "insert into channel_quizzes (platform, conversation, user_id, lang, questions, position, "
                    "asked_at, reveal_at, status, created_at, updated_at) values (?, ?, ?, ?, ?, 0, ?, ?, 'running', ?, ?)",
                    [msg.platform, msg.conversation, msg.user, lang, json.dumps(questions), _iso(now), _iso(reveal_at),
                     _iso(now), _iso(now)],
                )
        except sqlite3.IntegrityError:  # the unique index: one running quiz per channel
            return [_text(t("quiz.channel.already", lang), lang, private=True)]
        quiz_id = int(cursor.lastrowid or 0)
        minutes = tn("quiz.minutes", lang, self._minutes())
        intro = _text(tn("quiz.channel.intro", lang, len(questions), minutes=minutes), lang, public=True)
        return [intro, self._question(quiz_id, questions, 0, lang, reveal_at)]

    def _minutes(self) -> int:
        return max(1, round(self.reveal_after.total_seconds() / 60))

    def _question(self, quiz_id: int, questions: list[str], position: int, lang: str, reveal_at: datetime) -> Reply:
        q = self.bank.by_id[questions[position]]
        title = t("quiz.channel.title", lang, number=position + 1, total=len(questions))
        reply = render.question_reply(q, title, f"quiz:c:{quiz_id}:{q.id}", lang, public=True)
        note = t("quiz.channel.how", lang, time=reveal_at.astimezone(TOKYO).strftime("%H:%M"))
        return Reply(fallback=f"{reply.fallback}\n\n{note}", lang=lang, title=title, sections=(*reply.sections, note),
                     buttons=reply.buttons, public=True)

    def answer(self, msg: Incoming, quiz_id: int, qid: str, choice: int, lang: str, now: datetime) -> list[Reply]:
        self.remember_name(msg)
        row = self.store.db.execute(
            "select questions, position, status from channel_quizzes where id = ? and platform = ?",
            [quiz_id, msg.platform],
        ).fetchone()
        q = self.bank.get(qid)
        current = json.loads(row[0])[row[1]] if row and row[2] == "running" and row[1] < len(json.loads(row[0])) else None
        if q is None or current != qid or not 0 <= choice < len(q.choices):
            return [_text(t("quiz.channel.closed_question", lang), lang, private=True)]
        try:
            with self.store.db.conn:
                self.store.db.execute(
                    "insert into quiz_answers (at, platform, user_id, question_id, principle, correct, mode, channel_quiz_id) "
                    "values (?, ?, ?, ?, ?, ?, 'channel', ?)",
                    [_iso(now), msg.platform, msg.user, qid, q.principle, int(choice == q.answer), quiz_id],
                )
        except sqlite3.IntegrityError:  # this person already answered this question: the first answer counts
            return [_text(t("quiz.channel.again", lang), lang, private=True)]
        # The letter is not repeated: where a platform cannot keep the reply private, it gives nothing away.
        return [_text(t("quiz.channel.recorded", lang), lang, private=True)]

    def remember_name(self, msg: Incoming) -> None:
        # Names stay hidden until the person opts in ("leaderboard optin"): privacy by default.
        if msg.name:
            with self.store.db.conn:
                self.store.db.execute(
                    "insert into quiz_people (platform, user_id, name, hidden, updated_at) values (?, ?, ?, 1, ?) "
                    "on conflict (platform, user_id) do update set name = excluded.name, updated_at = excluded.updated_at",
                    [msg.platform, msg.user, msg.name[:80], _iso(datetime.now(UTC))],
                )

    # -- revealing ------------------------------------------------------------------------------

    def close(self, msg: Incoming, lang: str, now: datetime) -> list[Reply]:
        row = self._running(msg.platform, msg.conversation)
        if row is None:
            return [_text(t("quiz.channel.none", lang), lang, private=True)]
        return self._advance(row, now)

    def _running(self, platform: str, conversation: str) -> Row | None:
        return self.store.db.execute(
            "select id, platform, conversation, lang, questions, position from channel_quizzes "
            "where platform = ? and conversation = ? and status = 'running'",
            [platform, conversation],
        ).fetchone()

    def _advance(self, row: Row, now: datetime) -> list[Reply]:
        """Reveal the current question, then ask the next one or end the quiz (once, even if called twice)."""
        quiz_id, _platform, _conversation, lang, questions_json, position = row
        questions: list[str] = json.loads(questions_json)
        last = position + 1 >= len(questions)
        reveal_at = now + self.reveal_after
        with self.store.db.conn:
            cursor = self.store.db.execute(
                "update channel_quizzes set position = ?, status = ?, asked_at = ?, reveal_at = ?, updated_at = ? "
                "where id = ? and position = ? and status = 'running'",
                [position + 1, "closed" if last else "running", _iso(now), _iso(reveal_at), _iso(now), quiz_id, position],
            )
        if cursor.rowcount != 1:
            return []  # someone else (the timer or another "quiz close") got there first
        replies = [self._reveal(quiz_id, self.bank.by_id[questions[position]], position, len(questions), lang)]
        if last:
            replies.append(self._final(quiz_id, lang))
        else:
            replies.append(self._question(quiz_id, questions, position + 1, lang, reveal_at))
        return replies

    def _reveal(self, quiz_id: int, q: Question, position: int, total: int, lang: str) -> Reply:
        answered, right = self.store.db.execute(
            "select count(*), coalesce(sum(correct), 0) from quiz_answers where channel_quiz_id = ? and question_id = ?",
            [quiz_id, q.id],
        ).fetchone()
        share = round(100 * right / answered) if answered else 0
        title = t("quiz.channel.reveal_title", lang, number=position + 1, total=total)
        score = t("quiz.channel.share", lang, right=right, answered=answered, share=share)
        sections = (render.answer_line(q, lang), q.explanation.get(lang), score)
        source = render.source(self.kb, q, lang)
        return Reply(fallback="\n\n".join([title, *sections, source]), lang=lang, title=title, sections=sections,
                     source=source, public=True)

    def _final(self, quiz_id: int, lang: str) -> Reply:
        people = self.store.db.execute(
            "select count(distinct platform || ':' || user_id) from quiz_answers where channel_quiz_id = ?", [quiz_id]
        ).fetchone()[0]
        title = t("quiz.channel.final_title", lang)
        text = tn("quiz.channel.final", lang, people)
        return Reply(fallback=f"{title}\n\n{text}", lang=lang, title=title, sections=(text,), public=True)

    def due(self, now: datetime) -> list[Outgoing]:
        rows = self.store.db.execute(
            "select id, platform, conversation, lang, questions, position from channel_quizzes "
            "where status = 'running' and reveal_at <= ? order by reveal_at",
            [_iso(now)],
        ).fetchall()
        out = []
        for row in rows:
            replies = self._advance(row, now)
            if replies:
                out.append(Outgoing(Target(row[1], row[2]), replies))
        return out

    def close_stale(self, now: datetime) -> list[Outgoing]:
        """After a restart: quizzes whose reveal was missed by a long way are closed, with a short notice."""
        rows = self.store.db.execute(
            "select id, platform, conversation, lang from channel_quizzes where status = 'running' and reveal_at <= ?",
            [_iso(now - STALE_AFTER)],
        ).fetchall()
        out = []
        for quiz_id, platform, conversation, lang in rows:
            with self.store.db.conn:
                cursor = self.store.db.execute(
                    "update channel_quizzes set status = 'stale', updated_at = ? where id = ? and status = 'running'",
                    [_iso(now), quiz_id],
                )
            if cursor.rowcount == 1:
                out.append(Outgoing(Target(platform, conversation), [_text(t("quiz.channel.stale", lang), lang, public=True)]))
        return out

    # -- leaderboard ------------------------------------------------------------------------------

    def leaderboard(self, msg: Incoming, lang: str, now: datetime) -> list[Reply]:
        local = now.astimezone(TOKYO)
        week_start = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
        sections = []
        for key, since in (("quiz.board.week", week_start), ("quiz.board.all", None)):
            lines = self._board(msg.platform, msg.conversation, since, lang)
            sections.append(f"*{t(key, lang)}*\n" + ("\n".join(lines) if lines else t("quiz.board.empty", lang)))
        title = t("quiz.board.title", lang)
        note = t("quiz.board.note", lang)
        return [Reply(fallback="\n\n".join([title, *sections, note]), lang=lang, title=title,
                      sections=(*sections, note), public=not msg.direct)]

    def _board(self, platform: str, conversation: str, since: datetime | None, lang: str) -> list[str]:
        rows = self.store.db.execute(
            "select a.user_id, count(*) as n, sum(a.correct) as r, p.name, coalesce(p.hidden, 1) "
            "from quiz_answers a join channel_quizzes c on a.channel_quiz_id = c.id "
            "left join quiz_people p on p.platform = a.platform and p.user_id = a.user_id "
            "where c.platform = ? and c.conversation = ? and a.at >= ? "
            "group by a.user_id order by 1.0 * r / n desc, r desc, a.user_id limit ?",
            [platform, conversation, _iso(since) if since else "", BOARD_SIZE],
        ).fetchall()
        lines = []
        for rank, (user, n, right, name, hidden) in enumerate(rows, 1):
            who = t("quiz.board.hidden", lang) if hidden else (name or t("quiz.board.someone", lang, tail=user[-4:]))
            lines.append(t("quiz.board.line", lang, rank=rank, name=who, right=right, answered=n,
                           share=round(100 * right / n)))
        return lines

    def set_hidden(self, msg: Incoming, hidden: bool, lang: str) -> list[Reply]:
        with self.store.db.conn:
            self.store.db.execute(
                "insert into quiz_people (platform, user_id, name, hidden, updated_at) values (?, ?, ?, ?, ?) "
                "on conflict (platform, user_id) do update set hidden = excluded.hidden, updated_at = excluded.updated_at",
                [msg.platform, msg.user, msg.name, int(hidden), _iso(datetime.now(UTC))],
            )
        return [_text(t("quiz.board.hidden_on" if hidden else "quiz.board.hidden_off", lang), lang, private=True)]


def _text(text: str, lang: str, **hints: Unpack[Hints]) -> Reply:
    return Reply(fallback=text, lang=lang, sections=(text,), **hints)
