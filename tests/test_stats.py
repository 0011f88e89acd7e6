"""Aggregates over a real store: interactions, and the nudge/quiz tables of the data contract."""

from __future__ import annotations

from datetime import date

import pytest
import sqlite_utils

from bot.stats import Period, PeriodError, _cached, _fill, collect, interaction_groups
from bot.store import Store
from fakes.contract import DAY, NEXT, create_contract_tables, interaction

PERIOD = Period(date(2026, 3, 9), date(2026, 3, 12))


def test_an_empty_store_gives_zeros(store: Store) -> None:
    stats = collect(store.db, PERIOD)
    assert stats.questions == 0 and stats.answered_share is None
    assert [d.day for d in stats.days] == ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"]
    assert all(d.questions == 0 for d in stats.days)
    assert stats.quiz == [] and stats.commitments == [] and stats.worklist == []
    assert stats.nps == {"responses": 0, "promoters": 0, "passives": 0, "detractors": 0, "score": None}
    assert stats.subscriptions == {"user": 0, "channel": 0}
    assert stats.deliveries == {"sent": 0, "skipped": 0, "failed": 0, "pending": 0}


def test_without_the_feature_tables_their_sections_are_absent_not_errors(store: Store) -> None:
    for table in ("quiz_answers", "first_step_commitments", "nps_responses", "nudge_deliveries", "nudge_subscriptions"):
        if store.db[table].exists():
            store.db.execute(f"drop table [{table}]")
    stats = collect(store.db, PERIOD)
    assert stats.quiz is None and stats.nps is None and stats.commitments is None
    assert stats.subscriptions is None and stats.deliveries is None


def test_interactions_are_counted_per_day_principle_facet_and_feedback(store: Store) -> None:
    store.db["interactions"].insert_all([
        interaction(DAY, principle=3, facet="kpi", feedback=1),
        interaction(DAY, principle=3, facet="kpi", feedback=-1, time="10:00:00"),
        interaction(DAY, principle=5, facet="first_step", confidence=0.6, text="ちょっと曖昧な質問"),
        interaction(NEXT, intent="out_of_scope", principle=None, facet=None, answered=False, confidence=0.1,
                    text="今日の天気は？"),
        interaction(NEXT, intent="out_of_scope", principle=None, facet=None, answered=False, text="[button] ask:x"),
        interaction(NEXT, intent="out_of_scope", principle=None, facet=None, answered=False, text=None),
        interaction("2026-03-13", principle=9),  # outside the period
        interaction("2026-03-08", principle=9),  # outside the period
    ])
    stats = collect(store.db, PERIOD)
    assert [(d.day, d.questions, d.answered) for d in stats.days] == [
        ("2026-03-09", 0, 0), (DAY, 3, 3), (NEXT, 3, 0), ("2026-03-12", 0, 0)]
    assert stats.questions == 6 and stats.answered == 3 and stats.answered_share == 0.5
    assert stats.principles == [(3, 2), (5, 1)]
    assert stats.facets == [("kpi", 2), ("first_step", 1)]
    assert stats.feedback == [("kpi", 1, 1)]
    assert dict(stats.intents) == {"principle": 3, "out_of_scope": 3}
    # The work list: unanswered or low confidence, typed text only (no button presses, no expired texts).
    assert [(w["text"], w["answered"]) for w in stats.worklist] == [("今日の天気は？", 0), ("ちょっと曖昧な質問", 1)]


def test_closed_days_are_rolled_up_and_recomputed_when_their_rows_change(store: Store) -> None:
    store.db["interactions"].insert_all([interaction(DAY), interaction(DAY, time="11:00:00")])
    first = collect(store.db, PERIOD)
    assert first.questions == 2
    assert store.db.execute("select count(*) from stats_daily_done").fetchone()[0] == 4  # every closed day
    # Feedback pressed late, an import into a closed day and a deletion all reach the next read.
    store.db.execute("update interactions set feedback = 1 where id = 1")
    store.db["interactions"].insert(interaction(NEXT, answered=False))
    store.db.execute("delete from interactions where id = 2")
    store.db.conn.commit()
    again = collect(store.db, PERIOD)
    assert again.questions == 2 and again.answered == 1 and again.feedback == [("kpi", 1, 0)]
    assert [(d.day, d.questions) for d in again.days if d.questions] == [(DAY, 1), (NEXT, 1)]
    # A read from the rollup alone (nothing changed) gives the same numbers.
    assert collect(store.db, PERIOD).aggregates() == again.aggregates()


def test_quiz_commitments_nps_and_nudges_from_the_contract_tables(store: Store) -> None:
    create_contract_tables(store.db)
    stats = collect(store.db, PERIOD)
    assert stats.quiz == [
        {"principle": 3, "answers": 3, "correct": 2, "participants": 2, "accuracy": 2 / 3},
        {"principle": 5, "answers": 1, "correct": 1, "participants": 1, "accuracy": 1.0},
    ]
    assert stats.commitments == [{"principle": 3, "made": 2, "done": 1, "not_yet": 0},
                                 {"principle": 5, "made": 1, "done": 0, "not_yet": 1}]
    # 2 promoters (10, 9), 1 passive (8), 1 detractor (3): (2 - 1) / 4 = +25.
    assert stats.nps == {"responses": 4, "promoters": 2, "passives": 1, "detractors": 1, "score": 25}
    assert stats.subscriptions == {"user": 1, "channel": 1}
    assert stats.deliveries == {"sent": 2, "skipped": 1, "failed": 1, "pending": 0}
    day, nxt = stats.days[1], stats.days[2]
    assert (day.quiz_answers, day.quiz_correct, nxt.quiz_answers, nxt.quiz_correct) == (2, 1, 2, 2)
    assert (day.commitments, day.commitments_done, nxt.commitments) == (2, 1, 1)
    assert (day.nps_responses, nxt.nps_responses, day.nudges_sent, nxt.nudges_failed) == (2, 2, 2, 1)


def test_periods_parse_with_defaults_and_clear_errors() -> None:
    today = date(2026, 3, 31)
    assert Period.parse(None, None, today=today) == Period(date(2026, 3, 2), today)
    assert Period.parse("2026-03-01", None, today=today) == Period(date(2026, 3, 1), today)
    assert Period.parse(None, "2026-01-31", today=today) == Period(date(2026, 1, 2), date(2026, 1, 31))
    with pytest.raises(PeriodError, match="YYYY-MM-DD"):
        Period.parse("31/03/2026", None)
    with pytest.raises(PeriodError, match="starts after it ends"):
        Period.parse("2026-03-05", "2026-03-01")


def test_two_readers_filling_the_rollup_at_once_count_each_day_once(store: Store) -> None:
    store.db["interactions"].insert_all([interaction(DAY), interaction(NEXT, answered=False)])
    other = sqlite_utils.Database(store.path)
    _, missing = _cached(store.db, PERIOD)  # this reader saw the days missing...
    assert missing
    interaction_groups(other, PERIOD)  # ...another filled them meanwhile (the start-up warm-up)...
    _fill(store.db, missing)  # ...so this one, under the lock, finds nothing to do
    duplicates = store.db.execute(
        "select count(*) from (select 1 from stats_daily group by day, intent, principle, facet, answered, feedback "
        "having count(*) > 1)").fetchone()[0]
    assert duplicates == 0 and collect(store.db, PERIOD).questions == 2
    other.close()


def test_today_is_counted_live_and_never_rolled_up(store: Store) -> None:
    period = Period.last_days(3)  # ends today (UTC)
    store.db["interactions"].insert(interaction(period.end.isoformat()))
    assert collect(store.db, period).questions == 1
    store.db["interactions"].insert(interaction(period.end.isoformat(), time="23:59:59"))
    assert collect(store.db, period).questions == 2
    done = {r[0] for r in store.db.execute("select day from stats_daily_done")}
    assert period.end.isoformat() not in done and len(done) == 2
