"""The personal quiz: five questions one at a time, immediate feedback, a summary; reviews when due."""

from __future__ import annotations

import json
import random
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Unpack

from bot.catalog import t, tn
from bot.events import Button, Hints, Incoming, Reply
from bot.followups import TOPIC_SECONDS
from bot.quiz import progress as prog
from bot.quiz import render, srs
from bot.quiz.bank import Bank, Question
from bot.quiz.commitments import commit_button
from bot.store import Store
from knowledge.schema import KnowledgeBase, Text

SESSION_SIZE = 5
MAX_SESSION = 10
AGAIN_DEFAULT = "quiz:start:"  # a quiz on all ten: "again" after a session stored before m016
MAX_FINISHED = 10_000


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Session:
    """A person's quiz (or review) as stored in quiz_sessions."""

    questions: list[str]
    position: int  # index of the unanswered question; len(questions) once it is over
    right: int
    lang: str | None
    started_at: str
    again: str = AGAIN_DEFAULT  # the button value that starts another like it (m016)

    @property
    def is_open(self) -> bool:
        return self.position < len(self.questions)


class PersonalQuiz:
    def __init__(self, kb: KnowledgeBase, store: Store, bank: Bank) -> None:
        self.kb = kb
        self.store = store
        self.bank = bank
        # Who has just seen a summary, and what "again" starts for them: 「もう一回」 means another
        # round only right after one (elsewhere it may mean "say that again"). In memory and
        # short-lived, as bot/followups.py keeps a conversation's topic.
        self._finished: OrderedDict[tuple[str, str, str], tuple[str, float]] = OrderedDict()

    # -- choosing questions -------------------------------------------------------------------

    def _due(self, platform: str, user: str, principle: int | None, now: datetime) -> list[str]:
        rows = self.store.db.execute(
            "select question_id, principle from quiz_cards where platform = ? and user_id = ? and due < ? order by due",
            [platform, user, srs.due_before(now)],
        ).fetchall()
        allowed = {q.id for q in self.bank.on_principle(principle)} if principle is not None else self.bank.by_id
        return [qid for qid, p in rows if (principle is None or p == principle) and qid in allowed]

    def _pick(self, msg: Incoming, principle: int | None, size: int, review: bool, now: datetime) -> list[str]:
        chosen = self._due(msg.platform, msg.user, principle, now)[:size]
        if review:
            return chosen
        seen = {row[0]: row[1] for row in self.store.db.execute(
            "select question_id, due from quiz_cards where platform = ? and user_id = ?", [msg.platform, msg.user]
        )}
        rng = random.Random(f"{msg.platform}:{msg.user}:{_iso(now)}")
        pool = self.bank.on_principle(principle)  # in "quiz 5", no question whose answer is just "#5"
        unseen = [q.id for q in pool if q.id not in seen]
        rng.shuffle(unseen)
        later = sorted((q.id for q in pool if q.id in seen and q.id not in chosen), key=lambda i: seen[i])
        for qid in unseen + later:
            if len(chosen) >= size:
                break
            chosen.append(qid)
        return chosen

    # -- the session ----------------------------------------------------------------------------

    def start(self, msg: Incoming, principle: int | None, lang: str, now: datetime, *, size: int = SESSION_SIZE,
              review: bool = False, replace: bool = False, single: bool = False) -> list[Reply]:
        """A new quiz (or review); with one open and not `replace`, the open one is kept and offered.

        `single`: one question, a tip's "Try one quiz question" (five were a lot for a try).
        "Again" after it is a quiz like it: on the same principle (a review's is a quiz on all ten,
        as its summary always offered), one more question after a single one."""
        scope = f"one:{principle or ''}" if single else str(principle or "")
        again = AGAIN_DEFAULT if review else f"quiz:{'one' if single else 'start'}:{principle or ''}"
        hints = self._hints(msg)
        if not replace and (open_ := self._open(msg)) is not None:
            # A new start used to throw the open quiz away without a word ("how does the quiz
            # work?" at 3/5): keep it and let the person choose.
            which = "review" if review else scope
            text = t("quiz.open", lang, number=open_.position + 1, total=len(open_.questions))
            buttons = [Button(t("quiz.button.continue", lang), "quiz:resume"),
                       Button(t("quiz.button.new_review" if review else "quiz.button.new", lang), f"quiz:new:{which}"),
                       Button(t("quiz.button.stop", lang), "quiz:stop")]
            return [_simple(text, lang, buttons, **hints)]
        size = 1 if single else max(1, min(size, MAX_SESSION))
        questions = self._pick(msg, principle, size, review, now)
        if not questions:
            upcoming = self.store.db.execute(
                "select min(due) from quiz_cards where platform = ? and user_id = ?", [msg.platform, msg.user]
            ).fetchone()[0]
            key = "quiz.review.none_next" if upcoming else "quiz.review.none"
            when = prog.tokyo_day(upcoming).isoformat() if upcoming else ""
            return [_simple(t(key, lang, date=when), lang, [Button(t("quiz.button.start", lang), "quiz:start:")], **hints)]
        stamp = _iso(now)
        with self.store.db.conn:
            self.store.db.table("quiz_sessions").upsert(
                {"platform": msg.platform, "user_id": msg.user, "conversation": msg.conversation,
                 "questions": json.dumps(questions), "position": 0, "right": 0, "lang": lang,
                 "started_at": stamp, "updated_at": stamp, "again": again},
                pk=("platform", "user_id"),
            )
        due = len(self._due(msg.platform, msg.user, None, now)) if review else 0
        if due > len(questions):
            # The progress button said "Review (8)": say why this review asks only 5 of them.
            intro = t("quiz.review.intro_some", lang, due=due, count=len(questions))
        elif single:  # say it is one, and how to get a full round
            intro = t("quiz.intro.single_on" if principle else "quiz.intro.single", lang, number=principle, size=SESSION_SIZE)
        else:
            intro = tn("quiz.review.intro" if review else "quiz.intro", lang, len(questions))
        first = self._question(msg, Session(questions, 0, 0, lang, stamp, again), lang, hints)
        return [_simple(intro, lang, [], **hints), first]

    def resume(self, msg: Incoming, lang: str, note: str | None = None) -> list[Reply]:
        """The unanswered question of the person's quiz (after `note`, a catalogue key), or an offer to start one."""
        session = self._open(msg)
        if session is None:
            return [_simple(t("quiz.resume.none", lang), lang, [Button(t("quiz.button.start", lang), "quiz:start:")],
                            **self._hints(msg))]
        question = self._question(msg, session, lang, self._hints(msg))
        return [_simple(t(note, lang), lang, [], **self._hints(msg)), question] if note else [question]

    def hint(self, msg: Incoming, lang: str) -> list[Reply] | None:
        """「ヒント」: one wrong choice ruled out, then the question again; None with no quiz open.

        *Decision:* a hint that works for every kind of question without giving the answer away.
        A hint from the content (the principle's name, a heading) would be the answer itself for
        most questions. One choice, always the same for this question in this session (asking
        again repeats it), so two or more always remain, also of three. The hint is not recorded:
        an answer after it counts like any other.
        """
        session = self._open(msg)
        if session is None:
            return None
        q = self.bank.by_id[session.questions[session.position]]
        shown = self._order(msg, q, session)
        wrong = [i for i, c in enumerate(shown) if c != q.answer]
        ruled_out = random.Random(f"{msg.platform}:{msg.user}:{q.id}:{session.started_at}:hint").choice(wrong)
        text = t("quiz.hint", lang, letter=render.LETTERS[ruled_out], left=len(shown) - 1)
        return [_simple(text, lang, [], **self._hints(msg)), self._question(msg, session, lang, self._hints(msg))]

    def dont_know(self, msg: Incoming, lang: str, now: datetime) -> list[Reply] | None:
        """「わからない」「パス」: counted as not known (the answer is shown, the question comes back
        for review the next day, as after a wrong answer) and the quiz moves on; None with no quiz open."""
        session = self._open(msg)
        if session is None:
            return None
        return self.answer(msg, session.questions[session.position], None, lang, now)

    def _question(self, msg: Incoming, session: Session, lang: str, hints: Hints) -> Reply:
        q = self.bank.by_id[session.questions[session.position]]
        title = t("quiz.title", lang, number=session.position + 1, total=len(session.questions))
        return render.question_reply(q, title, f"quiz:a:{q.id}", lang, self._order(msg, q, session), **hints)

    @staticmethod
    def _order(msg: Incoming, q: Question, session: Session) -> list[int]:
        """The order the choices are shown in: new for every quiz or review session, so the same
        letter is not always right when a question comes back, and the same within it (a typed
        "B" means what was shown as B, whenever it is typed)."""
        order = render.canonical(q)
        random.Random(f"{msg.platform}:{msg.user}:{q.id}:{session.started_at}").shuffle(order)
        return order

    def open_question(self, msg: Incoming, lang: str) -> Reply | None:
        """The open quiz's unanswered question as it is shown (its buttons in the session's order), or None."""
        session = self._open(msg)
        if session is None:
            return None
        fixed = self.store.user_lang(msg.platform, msg.user)  # the language its feedback will come in
        return self._question(msg, session, fixed if fixed in ("ja", "en") else session.lang or lang, self._hints(msg))

    def position(self, msg: Incoming) -> tuple[int, int] | None:
        """(index of the unanswered question, number of questions) of the open quiz, or None."""
        session = self._open(msg)
        return (session.position, len(session.questions)) if session else None

    def _session(self, msg: Incoming) -> Session | None:
        row = self.store.db.execute(
            "select questions, position, right, lang, started_at, again from quiz_sessions where platform = ? and user_id = ?",
            [msg.platform, msg.user],
        ).fetchone()
        return Session(json.loads(row[0]), row[1], row[2], row[3], row[4] or "", row[5] or AGAIN_DEFAULT) if row else None

    def _open(self, msg: Incoming) -> Session | None:
        """The person's unfinished quiz, or None."""
        session = self._session(msg)
        return session if session is not None and session.is_open else None

    def current(self, msg: Incoming) -> list[Text] | None:
        """The choices of the open quiz's unanswered question as shown (A first), or None."""
        session = self._open(msg)
        if session is None:
            return None
        q = self.bank.by_id[session.questions[session.position]]
        return [q.choices[i] for i in self._order(msg, q, session)]

    def answer_typed(self, msg: Incoming, position: int, lang: str, now: datetime) -> list[Reply] | None:
        """"B" / "the second one" typed instead of pressed: the answer to the open question (the
        choice shown at that position); a position it does not have gets "choose A–D" and the
        question again; None with no quiz open."""
        session = self._open(msg)
        if session is None:
            return None
        q = self.bank.by_id[session.questions[session.position]]
        if not 0 <= position < len(q.choices):
            text = t("quiz.choose", lang, last=render.LETTERS[len(q.choices) - 1])
            return [_simple(text, lang, [], **self._hints(msg)), self._question(msg, session, lang, self._hints(msg))]
        return self.answer(msg, q.id, self._order(msg, q, session)[position], lang, now)

    def stop(self, msg: Incoming, lang: str) -> list[Reply]:
        """「クイズをやめる」: the quiz ends here, with what was answered so far."""
        session = self._open(msg)
        if session is None:  # 「クイズやめたい」 with none open: say so, and offer nothing to start
            return [_simple(t("quiz.stop_none", lang), lang, [], **self._hints(msg))]
        with self.store.db.conn:
            self.store.db.execute("update quiz_sessions set position = ? where platform = ? and user_id = ?",
                                  [len(session.questions), msg.platform, msg.user])
        text = (t("quiz.stopped", lang, right=session.right, answered=session.position) if session.position
                else t("quiz.stopped_none", lang))  # not "0 of 0 right"
        return [_simple(text, lang, [Button(t("quiz.button.start", lang), "quiz:start:")], **self._hints(msg))]

    def answer(self, msg: Incoming, qid: str, choice: int | None, lang: str, now: datetime) -> list[Reply]:
        """`choice` is the bank's index of the chosen choice (a button's value), not its letter;
        None: "I don't know", which counts as not right."""
        hints = self._hints(msg)
        session = self._open(msg)
        q = self.bank.get(qid)
        if (session is None or session.questions[session.position] != qid or q is None
                or (choice is not None and not 0 <= choice < len(q.choices))):
            return [_simple(t("quiz.stale", lang), lang, [Button(t("quiz.button.start", lang), "quiz:start:")], **hints)]
        # The quiz keeps the language it started in (a Japanese side question does not switch a
        # button's feedback), unless the person fixed one since with `lang ja`: then that one,
        # as `continue` already shows (QA: Japanese question, English feedback).
        fixed = self.store.user_lang(msg.platform, msg.user)
        lang = fixed if fixed in ("ja", "en") else session.lang or lang
        correct = choice == q.answer
        shown = self._order(msg, q, session)
        before = prog.level(self.store, msg.platform, msg.user, q.principle)
        due = self._record(msg, q, correct, now)
        right = session.right + int(correct)
        following = Session(session.questions, session.position + 1, right, session.lang, session.started_at,
                            session.again)
        with self.store.db.conn:
            self.store.db.execute(
                "update quiz_sessions set position = ?, right = ?, updated_at = ? where platform = ? and user_id = ?",
                [following.position, right, _iso(now), msg.platform, msg.user],
            )
        replies = [self._feedback(q, correct, shown, lang, hints, unknown_until=due if choice is None else None)]
        if q.principle and before < prog.MASTERY <= prog.level(self.store, msg.platform, msg.user, q.principle):
            text = t("quiz.mastered", lang, number=q.principle, title=self.kb.principle(q.principle).title.get(lang),
                     mastery=prog.MASTERY)
            replies.append(_simple(text, lang, [], **hints))
        if following.is_open:
            replies.append(self._question(msg, following, lang, hints))
        else:
            replies += self._summary(msg, following, lang, now, hints)
        return replies

    def _record(self, msg: Incoming, q: Question, correct: bool, now: datetime) -> datetime:
        """The answer and the question's new review card; returns when the question is due again."""
        db = self.store.db
        old = db.execute(
            "select card, reviews, lapses from quiz_cards where platform = ? and user_id = ? and question_id = ?",
            [msg.platform, msg.user, q.id],
        ).fetchone()
        reviewed = srs.review(old[0] if old else None, correct, now)
        with db.conn:
            db.execute(
                "insert into quiz_answers (at, platform, user_id, question_id, principle, correct, mode) "
                "values (?, ?, ?, ?, ?, ?, 'personal')",
                [_iso(now), msg.platform, msg.user, q.id, q.principle, int(correct)],
            )
            db.table("quiz_cards").upsert(
                {"platform": msg.platform, "user_id": msg.user, "question_id": q.id, "principle": q.principle,
                 "card": reviewed.card, "due": _iso(reviewed.due), "reviews": (old[1] if old else 0) + 1,
                 "lapses": (old[2] if old else 0) + int(not correct), "last_correct": int(correct),
                 "updated_at": _iso(now)},
                pk=("platform", "user_id", "question_id"),
            )
        return reviewed.due

    def _feedback(self, q: Question, correct: bool, shown: list[int], lang: str, hints: Hints,
                  unknown_until: datetime | None = None) -> Reply:
        """Right or wrong, the answer and why; after "I don't know" (`unknown_until`: when the
        question is due again) no "wrong", and when it comes back."""
        if unknown_until is not None:
            title = t("quiz.unknown", lang)
            later = t("quiz.unknown.review", lang, date=prog.tokyo_day(_iso(unknown_until)).isoformat())
            sections: tuple[str, ...] = (render.answer_line(q, lang, shown), q.explanation.get(lang), later)
        else:
            title = t("quiz.right" if correct else "quiz.wrong", lang)
            sections = (render.answer_line(q, lang, shown), q.explanation.get(lang))
        source = render.source(self.kb, q, lang)
        buttons = (commit_button(q.principle, lang),) if q.kind == "first_step" and q.principle else ()
        return Reply(fallback="\n\n".join([title, *sections, source]), lang=lang, title=title, sections=sections,
                     source=source, buttons=buttons, **hints)

    def _summary(self, msg: Incoming, session: Session, lang: str, now: datetime, hints: Hints) -> list[Reply]:
        questions, right = session.questions, session.right
        with self.store.db.conn:
            self.store.db.execute("delete from quiz_sessions where platform = ? and user_id = ?", [msg.platform, msg.user])
        p = prog.progress(self.store, msg.platform, msg.user, now)
        touched = sorted({q.principle for qid in questions if (q := self.bank.get(qid)) and q.principle})
        title = t("quiz.summary.title", lang, right=right, total=len(questions))
        lines = "\n".join(
            t("quiz.progress.line", lang, number=n, title=self.kb.principle(n).title.get(lang),
              bar=prog.bar(p.levels[n]), level=p.levels[n], total=prog.MASTERY)
            for n in touched
        )
        if session.again.startswith("quiz:one:"):  # after a single question: one more, or a full round
            buttons = [Button(t("quiz.button.one_more", lang), session.again),
                       Button(t("quiz.button.full", lang, size=SESSION_SIZE), session.again.replace("quiz:one:", "quiz:start:"))]
        else:
            buttons = [Button(t("quiz.button.again", lang), session.again)]
        buttons.append(Button(t("quiz.button.progress", lang), "quiz:progress"))
        self._remember_finished(msg, session.again)
        summary = Reply(fallback=f"{title}\n\n{lines}", lang=lang, title=title, sections=(lines,) if lines else (),
                        buttons=tuple(buttons), **hints)
        out = [summary]
        day = prog.award_badge(self.store, msg.platform, msg.user, p, now)
        if day:
            out.append(prog.badge_reply(day, lang))
        return out

    def _remember_finished(self, msg: Incoming, again: str) -> None:
        key = (msg.platform, msg.user, msg.conversation)
        self._finished[key] = (again, time.monotonic())
        self._finished.move_to_end(key)
        if len(self._finished) > MAX_FINISHED:
            self._finished.popitem(last=False)

    def take_finished(self, msg: Incoming) -> str | None:
        """What "again" starts if the person's last message ended a quiz (its summary), else None;
        asked once per message, so anything said in between forgets it."""
        found = self._finished.pop((msg.platform, msg.user, msg.conversation), None)
        if found is None or time.monotonic() - found[1] > TOPIC_SECONDS:
            return None
        return found[0]

    @staticmethod
    def _hints(msg: Incoming) -> Hints:
        # In a channel a personal quiz is nobody else's business.
        return {} if msg.direct else {"private": True}


def _simple(text: str, lang: str, buttons: list[Button], **hints: Unpack[Hints]) -> Reply:
    return Reply(fallback=text, lang=lang, sections=(text,), buttons=tuple(buttons), **hints)
