"""Per-person learning progress: mastery per principle, day streak (Asia/Tokyo), totals, the badge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.catalog import t, tn
from bot.quiz import srs
from bot.events import Button, Fact, Reply
from bot.store import Store
from bot.workdays import is_working_day
from knowledge.schema import KnowledgeBase

TOKYO = ZoneInfo("Asia/Tokyo")
# A principle is mastered when this many of its questions were last answered right.
MASTERY = 5
REVIEW_VALUE = "quiz:review"  # the button that starts a review session (also offered by nudges)


@dataclass(frozen=True)
class Progress:
    levels: dict[int, int]  # principle -> 0..MASTERY
    answered: int
    correct: int
    streak: int  # days in a row with an answer or a first step (Tokyo), over working days: see `streak`
    first_steps_done: int
    due: int  # reviews due now

    @property
    def mastered(self) -> int:
        return sum(1 for level in self.levels.values() if level >= MASTERY)


def bar(level: int, total: int = MASTERY) -> str:
    return "▰" * level + "▱" * (total - level)


def tokyo_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp).astimezone(TOKYO).date()


def streak(days: set[date], today: date) -> int:
    """Days in a row with an answer, counted over working days (bot/workdays.py).

    Staff learn at work: a weekend, a public holiday or the year-end closure without an answer
    does not break the streak (QA: Friday's streak was 0 on Monday), while an answer given on
    one still counts. Today without an answer yet does not break it either.
    """
    count = 0
    day = today
    earliest = min(days, default=today)
    while day >= earliest:
        if day in days:
            count += 1
        elif day != today and is_working_day(day):
            break
        day -= timedelta(days=1)
    return count


def level(store: Store, platform: str, user: str, principle: int | None) -> int:
    """How many of the principle's questions were last answered right (0..MASTERY)."""
    if principle is None:
        return 0
    count = store.db.execute(
        "select count(*) from quiz_cards where platform = ? and user_id = ? and principle = ? and last_correct = 1",
        [platform, user, principle],
    ).fetchone()[0]
    return min(MASTERY, int(count))


def progress(store: Store, platform: str, user: str, now: datetime) -> Progress:
    db = store.db
    levels = {n: 0 for n in range(1, 11)}
    for principle, count in db.execute(
        "select principle, count(*) from quiz_cards where platform = ? and user_id = ? and last_correct = 1 "
        "and principle is not null group by principle",
        [platform, user],
    ):
        levels[principle] = min(MASTERY, count)
    answered, correct = db.execute(
        "select count(*), coalesce(sum(correct), 0) from quiz_answers where platform = ? and user_id = ?",
        [platform, user],
    ).fetchone()
    # A learning day has a quiz answer, or a first step taken on or reported done: QA committed to
    # a first step and did it, and the streak said 0 days.
    since = (now - timedelta(days=400)).isoformat(timespec="seconds")
    days = {tokyo_day(row[0]) for row in db.execute(
        "select at from quiz_answers where platform = ? and user_id = ? and at >= ? "
        "union select created_at from first_step_commitments where platform = ? and user_id = ? and created_at >= ? "
        "union select answered_at from first_step_commitments where platform = ? and user_id = ? and status = 'done' "
        "and answered_at >= ?",
        [platform, user, since] * 3,
    )}
    done = db.execute(
        "select count(*) from first_step_commitments where platform = ? and user_id = ? and status = 'done'",
        [platform, user],
    ).fetchone()[0]
    due = db.execute(
        "select count(*) from quiz_cards where platform = ? and user_id = ? and due < ?",
        [platform, user, srs.due_before(now)],
    ).fetchone()[0]
    return Progress(levels, answered, correct, streak(days, now.astimezone(TOKYO).date()), done, due)


def lines(kb: KnowledgeBase, p: Progress, lang: str) -> str:
    """One line per principle: a text bar for the eye plus "3/5" words for screen readers."""
    return "\n".join(
        t("quiz.progress.line", lang, number=n, title=kb.principle(n).title.get(lang), bar=bar(level),
          level=level, total=MASTERY)
        for n, level in p.levels.items()
    )


def facts(p: Progress, lang: str) -> tuple[Fact, ...]:
    # No answers: "none yet", not 「0問（正答率0%）」 (an accuracy of nothing is no 0%).
    answered = (t("quiz.progress.answered_value", lang, count=p.answered, accuracy=round(100 * p.correct / p.answered))
                if p.answered else t("quiz.progress.answered_none", lang))
    return (
        Fact(t("quiz.progress.mastered", lang), t("quiz.progress.of_ten", lang, count=p.mastered)),
        Fact(t("quiz.progress.answered", lang), answered),
        Fact(t("quiz.progress.streak", lang), tn("quiz.progress.days", lang, p.streak)),
        Fact(t("quiz.progress.first_steps", lang), t("quiz.progress.count", lang, count=p.first_steps_done)),
    )


def progress_reply(kb: KnowledgeBase, p: Progress, lang: str) -> Reply:
    title = t("quiz.progress.title", lang)
    body = lines(kb, p, lang)
    fs = facts(p, lang)
    buttons = [Button(t("quiz.button.start", lang), "quiz:start:")]
    if p.due:
        buttons.append(Button(t("quiz.button.review", lang, count=p.due), REVIEW_VALUE))
    text = "\n\n".join([title, body, *(f"{f.label}: {f.value}" for f in fs)])
    return Reply(fallback=text, lang=lang, title=title, sections=(body,), facts=fs, buttons=tuple(buttons))


def award_badge(store: Store, platform: str, user: str, p: Progress, now: datetime) -> str | None:
    """The day (Tokyo) the badge is earned, the first time all ten are mastered; None otherwise."""
    if p.mastered < 10:
        return None
    with store.db.conn:
        cursor = store.db.execute(
            "insert or ignore into quiz_badges (platform, user_id, awarded_at) values (?, ?, ?)",
            [platform, user, now.isoformat(timespec="seconds")],
        )
    return now.astimezone(TOKYO).date().isoformat() if cursor.rowcount == 1 else None


def badge_reply(day: str, lang: str) -> Reply:
    title = t("quiz.badge.title", lang)
    text = t("quiz.badge.text", lang, date=day)
    return Reply(fallback=f"{title}\n\n{text}", lang=lang, title=title, sections=(text,))
