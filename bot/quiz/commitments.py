"""First-step challenge: "I'll try this" records a commitment; N working days later we ask how it went."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time

from bot.catalog import t
from bot.events import Button, Hints, Incoming, Reply
from bot.quiz.progress import TOKYO
from bot.workdays import add_working_days
from bot.senders import Target
from bot.store import Store
from knowledge.schema import KnowledgeBase

DEFAULT_WORKDAYS = 3
ASK_AT = time(10, 0)  # the follow-up arrives at 10:00 Tokyo time, not in the middle of the night
STATUSES = {"done": "done", "notyet": "not_yet", "skip": "skipped"}


def commit_button(principle: int, lang: str) -> Button:
    return Button(t("quiz.commit.button", lang), f"commit:{principle}")


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def due_after(now: datetime, workdays: int) -> datetime:
    day = add_working_days(now.astimezone(TOKYO).date(), workdays)
    return datetime.combine(day, ASK_AT, tzinfo=TOKYO)


@dataclass(frozen=True)
class FollowUp:
    commitment_id: int
    target: Target
    reply: Reply


class Commitments:
    def __init__(self, kb: KnowledgeBase, store: Store, workdays: int = DEFAULT_WORKDAYS) -> None:
        self.kb = kb
        self.store = store
        self.workdays = workdays

    def commit(self, msg: Incoming, principle: int, lang: str, now: datetime) -> Reply:
        hints: Hints = {} if msg.direct else {"private": True}
        if not 1 <= principle <= 10:
            return Reply(fallback=t("error.button", lang), lang=lang, **hints)
        p = self.kb.principle(principle)
        # Slack can DM a user id directly; elsewhere the follow-up goes where the promise was made.
        where = msg.user if (msg.platform == "slack" and not msg.direct) else msg.conversation
        existing = self.store.db.execute(
            "select due_at from first_step_commitments where platform = ? and user_id = ? and principle = ? "
            "and status in ('open', 'not_yet')",
            [msg.platform, msg.user, principle],
        ).fetchone()
        if existing:
            due = datetime.fromisoformat(existing[0])
        else:
            due = due_after(now, self.workdays)
            with self.store.db.conn:
                self.store.db.table("first_step_commitments").insert(
                    {"platform": msg.platform, "user_id": msg.user, "conversation": where, "principle": principle,
                     "created_at": _iso(now), "due_at": _iso(due.astimezone(UTC)), "status": "open",
                     "answered_at": None, "asked_at": None, "lang": lang}
                )
        text = t("quiz.commit.recorded", lang, step=p.first_step.get(lang), date=due.astimezone(TOKYO).date().isoformat())
        return Reply(fallback=text, lang=lang, sections=(text,), **hints)

    def due(self, now: datetime, limit: int = 50) -> list[FollowUp]:
        """Commitments whose follow-up is due and not yet sent, as messages to send."""
        rows = self.store.db.execute(
            "select id, platform, user_id, conversation, principle, lang from first_step_commitments "
            "where status in ('open', 'not_yet') and asked_at is null and due_at <= ? order by due_at limit ?",
            [_iso(now), limit],
        ).fetchall()
        out = []
        for cid, platform, user, conversation, principle, lang in rows:
            p = self.kb.principle(principle)
            text = t("quiz.commit.ask", lang, step=p.first_step.get(lang), number=principle)
            buttons = tuple(Button(t(f"quiz.commit.{key}", lang), f"commit:{key}:{cid}") for key in STATUSES)
            reply = Reply(fallback=text, lang=lang, sections=(text,), buttons=buttons)
            out.append(FollowUp(cid, Target(platform, conversation, user), reply))
        return out

    def mark_asked(self, commitment_id: int, now: datetime) -> None:
        with self.store.db.conn:
            self.store.db.execute("update first_step_commitments set asked_at = ? where id = ?", [_iso(now), commitment_id])

    def respond(self, msg: Incoming, key: str, commitment_id: int, lang: str, now: datetime) -> Reply:
        status = STATUSES.get(key)
        row = self.store.db.execute(
            "select status from first_step_commitments where id = ? and platform = ? and user_id = ?",
            [commitment_id, msg.platform, msg.user],
        ).fetchone()
        if status is None or row is None:
            return Reply(fallback=t("error.button", lang), lang=lang, private=True)
        with self.store.db.conn:
            if status == "not_yet":
                # Ask once more after another few working days.
                self.store.db.execute(
                    "update first_step_commitments set status = ?, answered_at = ?, asked_at = null, due_at = ? where id = ?",
                    [status, _iso(now), _iso(due_after(now, self.workdays).astimezone(UTC)), commitment_id],
                )
            else:
                self.store.db.execute(
                    "update first_step_commitments set status = ?, answered_at = ? where id = ?",
                    [status, _iso(now), commitment_id],
                )
        text = t(f"quiz.commit.thanks_{key}", lang)
        return Reply(fallback=text, lang=lang, sections=(text,), replaces=True)

    def done_by_text(self, msg: Incoming, principle: int | None, lang: str, now: datetime) -> Reply:
        """「やりました」: the person's latest open challenge (or the one for `principle`) is done."""
        row = self.store.db.execute(
            "select id from first_step_commitments where platform = ? and user_id = ? and status in ('open', 'not_yet') "
            "and (? is null or principle = ?) order by created_at desc limit 1",
            [msg.platform, msg.user, principle, principle],
        ).fetchone()
        if row is None:
            text = t("quiz.commit.none_open", lang)
            return Reply(fallback=text, lang=lang, sections=(text,), private=not msg.direct)
        return replace(self.respond(msg, "done", int(row[0]), lang, now), replaces=False)

