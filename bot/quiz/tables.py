"""The quiz tables (migrations m005–m007, m014, m016). Every table with a person's data has platform + user_id."""

from __future__ import annotations

import sqlite_utils

from bot.store import migration


@migration
def m005_quiz_answers_cards_sessions(db: sqlite_utils.Database) -> None:
    # One row per counted answer: the progress, leaderboards and the admin dashboard read it.
    db.table("quiz_answers").create(
        {"id": int, "at": str, "platform": str, "user_id": str, "question_id": str, "principle": int,
         "correct": int, "mode": str, "channel_quiz_id": int},
        pk="id",
    )
    db.table("quiz_answers").create_index(["platform", "user_id", "at"])
    # In a channel quiz each person's first answer counts: the database refuses a second one.
    db.execute(
        "create unique index quiz_answers_channel_once on quiz_answers (channel_quiz_id, question_id, platform, user_id) "
        "where channel_quiz_id is not null"
    )
    # Spaced-repetition state per person and question (an FSRS card as JSON) and when it is due.
    db.table("quiz_cards").create(
        {"platform": str, "user_id": str, "question_id": str, "principle": int, "card": str, "due": str,
         "reviews": int, "lapses": int, "last_correct": int, "updated_at": str},
        pk=("platform", "user_id", "question_id"),
    )
    db.table("quiz_cards").create_index(["platform", "user_id", "due"])
    # The personal quiz in progress (one per person): which questions, how far, how many right.
    db.table("quiz_sessions").create(
        {"platform": str, "user_id": str, "conversation": str, "questions": str, "position": int,
         "right": int, "lang": str, "started_at": str, "updated_at": str},
        pk=("platform", "user_id"),
    )
    # The completion badge, given once.
    db.table("quiz_badges").create({"platform": str, "user_id": str, "awarded_at": str}, pk=("platform", "user_id"))


@migration
def m006_first_step_commitments(db: sqlite_utils.Database) -> None:
    db.table("first_step_commitments").create(
        {"id": int, "platform": str, "user_id": str, "conversation": str, "principle": int, "created_at": str,
         "due_at": str, "status": str, "answered_at": str, "asked_at": str, "lang": str},
        pk="id",
    )
    db.table("first_step_commitments").create_index(["status", "due_at"])
    db.table("first_step_commitments").create_index(["platform", "user_id"])


@migration
def m007_channel_quizzes_leaderboard_nps(db: sqlite_utils.Database) -> None:
    # user_id: who started the quiz (named user_id so a generic `dx10 forget` finds it).
    db.table("channel_quizzes").create(
        {"id": int, "platform": str, "conversation": str, "user_id": str, "lang": str, "questions": str,
         "position": int, "asked_at": str, "reveal_at": str, "status": str, "created_at": str, "updated_at": str},
        pk="id",
    )
    # At most one running quiz per channel, enforced by the database (two people pressing "start" at once).
    db.execute(
        "create unique index channel_quizzes_one_running on channel_quizzes (platform, conversation) "
        "where status = 'running'"
    )
    db.table("quiz_people").create(
        {"platform": str, "user_id": str, "name": str, "hidden": int, "updated_at": str},
        pk=("platform", "user_id"),
    )
    db.table("nps_responses").create(
        {"id": int, "at": str, "platform": str, "user_id": str, "score": int, "comment": str}, pk="id"
    )
    # When each person was last asked, so nobody is asked more than once in 30 days.
    db.table("nps_asks").create(
        {"platform": str, "user_id": str, "conversation": str, "asked_at": str, "lang": str, "awaiting_comment": int},
        pk=("platform", "user_id"),
    )


@migration
def m014_nps_one_response_per_period(db: sqlite_utils.Database) -> None:
    # Every press of a score button added a row, so one person could count several times (a
    # double click, a retried interaction, an older card). NPS counts one response per person per
    # period, a calendar month (UTC) like the monthly ask: the latest, kept with the latest comment.
    db.table("nps_responses").add_column("period", str)
    db.execute("update nps_responses set period = substr(at, 1, 7)")
    db.execute(
        "update nps_responses set comment = (select d.comment from nps_responses d where d.platform = nps_responses.platform "
        "and d.user_id = nps_responses.user_id and d.period = nps_responses.period and d.comment is not null "
        "order by d.at desc, d.id desc limit 1) where comment is null"
    )
    db.execute(
        "delete from nps_responses where user_id is not null and id != (select d.id from nps_responses d "
        "where d.platform = nps_responses.platform and d.user_id = nps_responses.user_id "
        "and d.period = nps_responses.period order by d.at desc, d.id desc limit 1)"
    )
    db.table("nps_responses").create_index(["platform", "user_id", "period"], unique=True)


@migration
def m016_quiz_sessions_again(db: sqlite_utils.Database) -> None:
    # The button value that starts another quiz like this one ("quiz:start:3", "quiz:one:5"): the
    # summary's "Another round" and a typed 「もう一回」 repeat a quiz on #3 as one on #3, and a
    # tip's one-question try as one more question. Null (older sessions): a quiz on all ten.
    db.table("quiz_sessions").add_column("again", str)
