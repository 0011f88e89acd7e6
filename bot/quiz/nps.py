"""A monthly NPS question (0–10, optional comment) to people who used dx10 recently; never twice in 30 days.

Each person counts once per period (a calendar month, UTC): their latest score in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.catalog import t
from bot.events import Button, Incoming, Reply
from bot.senders import Target
from bot.store import Store

INTERVAL = timedelta(days=30)
ACTIVE_WITHIN = timedelta(days=30)
MAX_COMMENT = 1000


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def period(moment: datetime) -> str:
    """The NPS period a response counts in: its calendar month in UTC ("2026-06")."""
    return moment.astimezone(UTC).strftime("%Y-%m")


@dataclass(frozen=True)
class Ask:
    target: Target
    reply: Reply


class Nps:
    def __init__(self, store: Store) -> None:
        self.store = store

    def question(self, lang: str) -> Reply:
        text = t("quiz.nps.ask", lang)
        buttons = tuple(Button(str(n), f"nps:{n}") for n in range(11))
        return Reply(fallback=text, lang=lang, sections=(text,), buttons=buttons)

    def due(self, now: datetime, limit: int = 20) -> list[Ask]:
        """People active in the last 30 days on Slack or Teams whom we have not asked in 30 days.

        Slack can DM a user id. For Teams we need the personal chat the person last used with the
        bot (a stored conversation reference); people without one are skipped.
        """
        since = _iso(now - ACTIVE_WITHIN)
        rows = self.store.db.execute(
            """
            select platform, user_id from (
                select platform, user_id from quiz_answers where at >= ?
                union
                select platform, user_id from user_activity where last_at >= ?
            ) active
            where platform in ('slack', 'teams')
              and not exists (select 1 from nps_asks n where n.platform = active.platform and n.user_id = active.user_id
                              and n.asked_at > ?)
            order by platform, user_id
            """,
            [since, since, _iso(now - INTERVAL)],
        ).fetchall()
        asks = []
        for platform, user in rows:
            where = user if platform == "slack" else self._personal_chat(platform, user)
            if not where:
                continue
            lang = self.store.user_lang(platform, user) or "ja"
            asks.append(Ask(Target(platform, where, user), self.question(lang)))
            if len(asks) >= limit:
                break
        return asks

    def _personal_chat(self, platform: str, user: str) -> str | None:
        """The person's 1:1 chat with the bot, from the conversations they wrote in (newest first)."""
        for (conversation,) in self.store.db.execute(
            "select conversation from user_activity where platform = ? and user_id = ? "
            "order by last_at desc limit 20",
            [platform, user],
        ):
            reference = self.store.conversation(platform, conversation) or {}
            if (reference.get("conversation") or {}).get("conversationType") == "personal":
                return str(conversation)
        return None

    def mark_asked(self, ask: Ask, now: datetime) -> None:
        with self.store.db.conn:
            self.store.db.table("nps_asks").upsert(
                {"platform": ask.target.platform, "user_id": ask.target.user, "conversation": ask.target.conversation,
                 "asked_at": _iso(now), "lang": ask.reply.lang, "awaiting_comment": 0},
                pk=("platform", "user_id"),
            )

    def score(self, msg: Incoming, value: str, lang: str, now: datetime) -> Reply:
        if not value.isdigit() or not 0 <= int(value) <= 10:
            return Reply(fallback=t("error.button", lang), lang=lang, private=True)
        with self.store.db.conn:
            # One response per person and period (a calendar month, UTC): pressing again, or an
            # older card, replaces the score (m014); a comment already given stays.
            self.store.db.execute(
                "insert into nps_responses (at, platform, user_id, score, comment, period) values (?, ?, ?, ?, null, ?) "
                "on conflict (platform, user_id, period) do update set at = excluded.at, score = excluded.score",
                [_iso(now), msg.platform, msg.user, int(value), period(now)],
            )
            self.store.db.execute(
                "insert into nps_asks (platform, user_id, conversation, asked_at, lang, awaiting_comment) "
                "values (?, ?, ?, ?, ?, 1) on conflict (platform, user_id) do update set awaiting_comment = 1",
                [msg.platform, msg.user, msg.conversation, _iso(now), lang],
            )
        text = t("quiz.nps.thanks", lang, score=int(value))
        return Reply(fallback=text, lang=lang, sections=(text,), replaces=True, private=True)

    def comment(self, msg: Incoming, text: str, lang: str) -> Reply:
        """'comment: …' after a score adds the comment to that person's latest score."""
        row = self.store.db.execute(
            "select id from nps_responses where platform = ? and user_id = ? order by id desc limit 1",
            [msg.platform, msg.user],
        ).fetchone()
        if row is None:
            return Reply(fallback=t("quiz.nps.no_score", lang), lang=lang, private=True)
        with self.store.db.conn:
            self.store.db.execute("update nps_responses set comment = ? where id = ?", [text[:MAX_COMMENT], row[0]])
            self.store.db.execute(
                "update nps_asks set awaiting_comment = 0 where platform = ? and user_id = ?", [msg.platform, msg.user]
            )
        return Reply(fallback=t("quiz.nps.comment_thanks", lang), lang=lang, private=True)
