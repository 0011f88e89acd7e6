"""Aggregate numbers over the store for a period: what the dashboard, /api/stats.json and
`dx10 export` show.

Platform-neutral and read-only. Tables owned by other features (nudges, quizzes) may not exist
yet: their sections are then reported as unavailable (None), never as an error. Periods are whole
UTC days, `start` and `end` inclusive; timestamps are compared as ISO-8601 strings, which sort
like the times they hold, so every range query can use the index on `at`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlite_utils

# Answers below this confidence were given, but are worth a look when improving the knowledge base.
LOW_CONFIDENCE = 0.7
WORKLIST_LIMIT = 200
FILL_CHUNK_DAYS = 7
# Button presses are logged as "[button] <value>": they are not questions anyone typed.
BUTTON_PREFIX = "[button]"


class PeriodError(ValueError):
    """A period the user gave that cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def last_days(cls, days: int, today: date | None = None) -> Period:
        end = today or datetime.now(UTC).date()
        return cls(end - timedelta(days=days - 1), end)

    @classmethod
    def parse(cls, start: str | None, end: str | None, *, default_days: int = 30, today: date | None = None) -> Period:
        default = cls.last_days(default_days, today)
        try:
            first = date.fromisoformat(start) if start else None
            last = date.fromisoformat(end) if end else None
        except ValueError:
            raise PeriodError("dates must be written YYYY-MM-DD, e.g. 2026-04-01") from None
        last = last or (default.end if first is None or first <= default.end else first)
        first = first or last - timedelta(days=default_days - 1)
        if first > last:
            raise PeriodError(f"the period starts after it ends ({first} > {last})")
        if (last - first).days > 3660:
            raise PeriodError("the period is longer than ten years; choose a shorter one")
        return cls(first, last)

    @property
    def lo(self) -> str:
        return self.start.isoformat()

    @property
    def hi(self) -> str:  # exclusive upper bound: the day after `end`
        return (self.end + timedelta(days=1)).isoformat()

    def days(self) -> list[str]:
        return [(self.start + timedelta(days=i)).isoformat() for i in range((self.end - self.start).days + 1)]


@dataclass
class Day:
    day: str
    questions: int = 0
    answered: int = 0
    feedback_up: int = 0
    feedback_down: int = 0
    quiz_answers: int = 0
    quiz_correct: int = 0
    commitments: int = 0
    commitments_done: int = 0
    nps_responses: int = 0
    nudges_sent: int = 0
    nudges_failed: int = 0

    @property
    def unanswered(self) -> int:
        return self.questions - self.answered


@dataclass
class Stats:
    period: Period
    days: list[Day]
    questions: int
    answered: int
    intents: list[tuple[str, int]]
    principles: list[tuple[int, int]]
    facets: list[tuple[str, int]]
    feedback: list[tuple[str, int, int]]  # facet ("" for none), 👍, 👎
    worklist: list[dict[str, Any]]  # unanswered and low-confidence questions, newest first
    nps: dict[str, Any] | None = None
    # NPS comments, newest first: the day, the score, the text (never who wrote it); like the work
    # list, only on the page, not in /api/stats.json or the export.
    comments: list[dict[str, Any]] | None = None
    quiz: list[dict[str, Any]] | None = None  # per principle
    commitments: list[dict[str, Any]] | None = None  # per principle
    subscriptions: dict[str, int] | None = None
    deliveries: dict[str, int] | None = None
    # Why deliveries in the period failed: [{"reason", "count"}], most frequent first.
    delivery_failures: list[dict[str, Any]] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    def aggregates(self) -> dict[str, Any]:
        """Everything except question texts: what /api/stats.json serves."""
        return {
            "period": {"from": self.period.lo, "to": self.period.end.isoformat()},
            "questions": self.questions,
            "answered": self.answered,
            "answered_share": self.answered_share,
            "intents": [{"intent": i, "count": n} for i, n in self.intents],
            "principles": [{"principle": p, "count": n} for p, n in self.principles],
            "facets": [{"facet": f, "count": n} for f, n in self.facets],
            "feedback": [{"facet": f or None, "up": up, "down": down} for f, up, down in self.feedback],
            "nps": self.nps,
            "quiz": self.quiz,
            "commitments": self.commitments,
            "subscriptions": self.subscriptions,
            "deliveries": self.deliveries,
            "delivery_failures": self.delivery_failures,
            "daily": daily_rows(self.days),
        }


DAILY_FIELDS = ("date", "questions", "answered", "unanswered", "feedback_up", "feedback_down", "quiz_answers",
                "quiz_correct", "commitments", "commitments_done", "nps_responses", "nudges_sent", "nudges_failed")


def daily_rows(days: list[Day]) -> list[dict[str, Any]]:
    rows = []
    for d in days:
        row = asdict(d)
        row["date"] = row.pop("day")
        row["unanswered"] = d.unanswered
        rows.append({k: row[k] for k in DAILY_FIELDS})
    return rows


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return {c.name for c in db[table].columns} if db[table].exists() else set()


def _has(db: sqlite_utils.Database, table: str, *columns: str) -> bool:
    have = _columns(db, table)
    return bool(have) and set(columns) <= have


def collect(db: sqlite_utils.Database, period: Period, *, worklist_limit: int = WORKLIST_LIMIT,
            with_texts: bool = True, roll_up: bool = True) -> Stats:
    """The numbers of a period; `roll_up=False` for a store that must not be written (closed days
    not rolled up yet are then counted live)."""
    days = {d: Day(d) for d in period.days()}
    lo, hi = period.lo, period.hi
    intents: dict[str, int] = defaultdict(int)
    principles: dict[int, int] = defaultdict(int)
    facets: dict[str, int] = defaultdict(int)
    feedback: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    questions = answered = 0
    for day, intent, principle, facet, ok, fb, also, n in interaction_groups(db, period, roll_up=roll_up):
        row = days.get(day)
        if row is None:
            continue
        row.questions += n
        questions += n
        intents[intent or "unknown"] += n
        if ok:
            row.answered += n
            answered += n
            if principle is not None:
                principles[int(principle)] += n
            for other in (also or "").split(","):  # the other principles one question named (m015)
                if other.isdigit():
                    principles[int(other)] += n
            if facet:
                facets[facet] += n
        if fb in (1, -1):
            cell = feedback[facet or ""]
            cell[0 if fb == 1 else 1] += n
            if fb == 1:
                row.feedback_up += n
            else:
                row.feedback_down += n
    stats = Stats(
        period=period,
        days=list(days.values()),
        questions=questions,
        answered=answered,
        intents=sorted(intents.items(), key=lambda kv: (-kv[1], kv[0])),
        principles=sorted(principles.items(), key=lambda kv: (-kv[1], kv[0])),
        facets=sorted(facets.items(), key=lambda kv: (-kv[1], kv[0])),
        feedback=sorted(((f, up, down) for f, (up, down) in feedback.items()), key=lambda r: (-(r[1] + r[2]), r[0])),
        worklist=_worklist(db, lo, hi, worklist_limit) if with_texts else [],
    )
    _quiz(db, stats, days, lo, hi)
    _commitments(db, stats, days, lo, hi)
    _nps(db, stats, days, lo, hi)
    if with_texts:
        _comments(db, stats, lo, hi, worklist_limit)
    _nudges(db, stats, days, lo, hi)
    return stats


_GROUPS = ("select substr(at, 1, 10), intent, principle, facet, answered, feedback, also, count(*) from interactions "
           "where at >= ? and at < ? group by 1, 2, 3, 4, 5, 6, 7")


def interaction_groups(db: sqlite_utils.Database, period: Period, *, today: str | None = None,
                       roll_up: bool = True) -> list[tuple[Any, ...]]:
    """Interaction counts by (day, intent, principle, facet, answered, feedback, also).

    Closed days come from the rollup (m009), computed here on first read (unless `roll_up` is
    False); today is always live.
    """
    today = today or datetime.now(UTC).date().isoformat()
    rows, missing = _cached(db, period)
    for _ in range(3 if roll_up else 0):  # a day invalidated while filling is filled again, a few times at most
        closed = [d for d in missing if d < today]
        if not closed:
            break
        for start in range(0, len(closed), FILL_CHUNK_DAYS):
            _fill(db, closed[start:start + FILL_CHUNK_DAYS])
        rows, missing = _cached(db, period)
    # Today (and any later day), and any day still changing, are counted live, without a lock.
    for first, last in _runs(missing):
        end = (date.fromisoformat(last) + timedelta(days=1)).isoformat()
        rows.extend(db.execute(_GROUPS, [first, end]).fetchall())
    return rows


def _fill(db: sqlite_utils.Database, days: list[str]) -> None:
    """Roll up these closed days, except those another reader rolled up meanwhile."""
    conn = db.conn
    # Take the write lock first, then look again: two readers filling at once (a page view and
    # the start-up warm-up) never both insert the same days. A chunk of days per transaction
    # keeps the lock short, so the bot's own writes are never held up for long.
    own = not conn.in_transaction
    if own:
        conn.execute("begin immediate")
    try:
        done = {r[0] for r in db.execute("select day from stats_daily_done where day >= ? and day <= ?",
                                         [days[0], days[-1]])}
        todo = [d for d in days if d not in done]
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        for first, last in _runs(todo):
            end = (date.fromisoformat(last) + timedelta(days=1)).isoformat()
            fresh = db.execute(_GROUPS, [first, end]).fetchall()
            db.execute("delete from stats_daily where day >= ? and day < ?", [first, end])
            conn.executemany("insert into stats_daily (day, intent, principle, facet, answered, feedback, also, n) "
                             "values (?, ?, ?, ?, ?, ?, ?, ?)", fresh)
            conn.executemany("insert or replace into stats_daily_done (day, computed_at) values (?, ?)",
                             [(d, stamp) for d in todo if first <= d <= last])
        if own:
            conn.commit()
    except BaseException:
        if own:
            conn.rollback()
        raise


def _cached(db: sqlite_utils.Database, period: Period) -> tuple[list[tuple[Any, ...]], list[str]]:
    # One statement, so the days counted as done and their rows come from the same snapshot even
    # while a trigger invalidates a day (a done day with no rows gives one row with n = NULL).
    cached = db.execute(
        "select d.day, s.intent, s.principle, s.facet, s.answered, s.feedback, s.also, s.n from stats_daily_done d "
        "left join stats_daily s on s.day = d.day where d.day >= ? and d.day < ?", [period.lo, period.hi]
    ).fetchall()
    done = {r[0] for r in cached}
    return [r for r in cached if r[7] is not None], [d for d in period.days() if d not in done]


def _runs(days: list[str]) -> list[tuple[str, str]]:
    """Consecutive runs of ISO days, as (first, last) pairs."""
    runs: list[tuple[str, str]] = []
    for d in days:
        if runs and date.fromisoformat(runs[-1][1]) + timedelta(days=1) == date.fromisoformat(d):
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def _worklist(db: sqlite_utils.Database, lo: str, hi: str, limit: int) -> list[dict[str, Any]]:
    rows = db.execute(
        "select at, text, intent, principle, facet, confidence, answered from interactions "
        "where at >= ? and at < ? and (answered = 0 or confidence < ?) and text is not null "
        "and substr(text, 1, 8) != ? order by at desc limit ?",
        [lo, hi, LOW_CONFIDENCE, BUTTON_PREFIX, limit],
    ).fetchall()
    keys = ("at", "text", "intent", "principle", "facet", "confidence", "answered")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def _quiz(db: sqlite_utils.Database, stats: Stats, days: dict[str, Day], lo: str, hi: str) -> None:
    if not _has(db, "quiz_answers", "at", "platform", "user_id", "principle", "correct"):
        return
    per: dict[int, dict[str, Any]] = {}
    for principle, answers, correct, people in db.execute(
        "select principle, count(*), sum(correct), count(distinct platform || ':' || user_id) from quiz_answers "
        "where at >= ? and at < ? group by principle order by principle", [lo, hi]
    ):
        per[principle] = {"principle": principle, "answers": answers, "correct": correct or 0, "participants": people,
                          "accuracy": (correct or 0) / answers if answers else None}
    stats.quiz = list(per.values())
    for day, answers, correct in db.execute(
        "select substr(at, 1, 10), count(*), sum(correct) from quiz_answers where at >= ? and at < ? group by 1", [lo, hi]
    ):
        if day in days:
            days[day].quiz_answers += answers
            days[day].quiz_correct += correct or 0


def _commitments(db: sqlite_utils.Database, stats: Stats, days: dict[str, Day], lo: str, hi: str) -> None:
    if not _has(db, "first_step_commitments", "principle", "created_at", "status"):
        return
    stats.commitments = [
        {"principle": p, "made": made, "done": done or 0, "not_yet": not_yet or 0}
        for p, made, done, not_yet in db.execute(
            "select principle, count(*), sum(status = 'done'), sum(status = 'not_yet') from first_step_commitments "
            "where created_at >= ? and created_at < ? group by principle order by principle", [lo, hi]
        )
    ]
    for day, made, done in db.execute(
        "select substr(created_at, 1, 10), count(*), sum(status = 'done') from first_step_commitments "
        "where created_at >= ? and created_at < ? group by 1", [lo, hi]
    ):
        if day in days:
            days[day].commitments += made
            days[day].commitments_done += done or 0


def _nps(db: sqlite_utils.Database, stats: Stats, days: dict[str, Day], lo: str, hi: str) -> None:
    if not _has(db, "nps_responses", "at", "score"):
        return
    promoters = passives = detractors = 0
    for day, score, n in db.execute(
        "select substr(at, 1, 10), score, count(*) from nps_responses where at >= ? and at < ? and score is not null "
        "group by 1, 2", [lo, hi]
    ):
        if day in days:
            days[day].nps_responses += n
        if score >= 9:
            promoters += n
        elif score >= 7:
            passives += n
        else:
            detractors += n
    total = promoters + passives + detractors
    stats.nps = {"responses": total, "promoters": promoters, "passives": passives, "detractors": detractors,
                 # NPS = % promoters − % detractors, from −100 to +100.
                 "score": round(100 * (promoters - detractors) / total) if total else None}


def _comments(db: sqlite_utils.Database, stats: Stats, lo: str, hi: str, limit: int) -> None:
    if not _has(db, "nps_responses", "at", "score", "comment"):
        return
    stats.comments = [{"day": day, "score": score, "comment": comment} for day, score, comment in db.execute(
        "select substr(at, 1, 10), score, comment from nps_responses where at >= ? and at < ? and comment is not null "
        "and comment != '' order by at desc, id desc limit ?", [lo, hi, limit])]


def _nudges(db: sqlite_utils.Database, stats: Stats, days: dict[str, Day], lo: str, hi: str) -> None:
    if _has(db, "nudge_subscriptions", "kind", "active"):
        counts = {"user": 0, "channel": 0}
        for kind, n in db.execute("select kind, count(*) from nudge_subscriptions where active = 1 group by kind"):
            counts[str(kind)] = n
        stats.subscriptions = counts
    if _has(db, "nudge_deliveries", "slot", "status"):
        counts = {"sent": 0, "skipped": 0, "failed": 0, "pending": 0}
        for day, status, n in db.execute(
            "select substr(slot, 1, 10), status, count(*) from nudge_deliveries where slot >= ? and slot < ? group by 1, 2",
            [lo, hi],
        ):
            counts[str(status)] = counts.get(str(status), 0) + n
            if day in days and status == "sent":
                days[day].nudges_sent += n
            elif day in days and status == "failed":
                days[day].nudges_failed += n
        stats.deliveries = counts
        # A failed delivery stays failed with its reason (bot/nudges/repo.py): say why here too.
        stats.delivery_failures = [{"reason": reason, "count": n} for reason, n in db.execute(
            "select coalesce(reason, ''), count(*) from nudge_deliveries where status = 'failed' and slot >= ? "
            "and slot < ? group by 1 order by 2 desc, 1 limit 20", [lo, hi])]
