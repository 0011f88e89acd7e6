"""Settings read the same way everywhere: every switch understands the same words, and a value
dx10 cannot use stops it with one line instead of being read as something else."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adapters import quiz_loop
from adapters.nudges import SCHEDULER
from adapters.teams.settings import load
from bot.settings import OFF, ON
from bot.store import Store
from bot.workdays import is_working_day
from conftest import run_dx10
from fakes.slack_api import FakeSlack
from fakes.slack_client import http_env, running_dx10
from fakes.slack_client import fake  # noqa: F401  (pytest fixture)
from knowledge.schema import KnowledgeBase

TOKYO = ZoneInfo("Asia/Tokyo")
SWITCHED_ON = [*ON, "TRUE", "Yes", "On"]
SWITCHED_OFF = [*OFF, "FALSE", "No", "Off"]


def _office_hours() -> datetime:
    """11:00 in Tokyo on the next working day: when NPS is asked. Near the real date, because the
    served app's retention job forgets activity older than 90 days (of the real clock)."""
    day = datetime.now(TOKYO).date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(11), TOKYO).astimezone(UTC)


def _active_slack_user(store: Store) -> None:
    store.db["user_activity"].insert({"platform": "slack", "user_id": "U1", "conversation": "D1",
                                      "last_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()})


@pytest.mark.parametrize("value, asked", [(v, True) for v in ["", *SWITCHED_ON]] + [(v, False) for v in SWITCHED_OFF])
async def test_dx10_quiz_nps_off_means_off_in_every_spelling(kb: KnowledgeBase, tmp_path: Path, fake: FakeSlack,
                                                              value: str, asked: bool) -> None:
    # `DX10_QUIZ_NPS=off` used to keep the monthly question on: only "0" switched it off.
    store = Store(tmp_path / "nps.db")
    _active_slack_user(store)
    try:
        async with running_dx10(kb, store, http_env(fake, DX10_QUIZ_NPS=value), features=True) as dx10:
            await dx10.app[quiz_loop.TICKER].tick(_office_hours())  # the served app's own loop, at office hours
            asks = [c for c in fake.calls_to("chat.postMessage") if "nps:" in str(c.params.get("blocks"))]
            assert bool(asks) is asked, [(c.method, c.params) for c in fake.calls]
    finally:
        store.close()


@pytest.mark.parametrize("value, on", [(v, True) for v in ["", *SWITCHED_ON]] + [(v, False) for v in SWITCHED_OFF])
async def test_the_other_switches_read_the_same_words(kb: KnowledgeBase, tmp_path: Path, fake: FakeSlack,
                                                      value: str, on: bool) -> None:
    async with running_dx10(kb, tmp_path / "s.db", http_env(fake, DX10_NUDGE_SCHEDULER=value), features=True) as dx10:
        assert (SCHEDULER in dx10.app) is on
    assert (load({"TEAMS_ALLOW_UNAUTHENTICATED": value}) is not None) is (on and value != "")


@pytest.mark.parametrize("name, value, says", [
    ("DX10_QUIZ_NPS", "maybe", "DX10_QUIZ_NPS must be on or off (1/true/yes/on or 0/false/no/off), got 'maybe'"),
    ("DX10_NUDGE_SCHEDULER", "disabled", "DX10_NUDGE_SCHEDULER must be on or off"),
    ("TEAMS_ALLOW_UNAUTHENTICATED", "2", "TEAMS_ALLOW_UNAUTHENTICATED must be on or off"),
    ("DX10_QUIZ_REVEAL_SECONDS", "abc", "DX10_QUIZ_REVEAL_SECONDS must be a whole number from 10 to 604800 seconds, "
                                        "got 'abc'"),
    ("DX10_QUIZ_REVEAL_SECONDS", "5", "DX10_QUIZ_REVEAL_SECONDS must be a whole number from 10 to 604800 seconds"),
    ("DX10_FIRST_STEP_WORKDAYS", "-1", "DX10_FIRST_STEP_WORKDAYS must be a whole number from 1 to 60 working days, "
                                       "got '-1'"),
    ("DX10_FIRST_STEP_WORKDAYS", "0", "DX10_FIRST_STEP_WORKDAYS must be a whole number from 1 to 60"),
    ("DX10_LOG_FORMAT", "xml", "DX10_LOG_FORMAT must be one of text, json, got 'xml'"),
])
def test_a_value_dx10_cannot_use_stops_serve_with_one_line(tmp_path: Path, name: str, value: str, says: str) -> None:
    env = {"DX10_SECRET": "s", "TEAMS_ALLOW_UNAUTHENTICATED": "1", name: value}
    result = run_dx10("serve", "--port", "0", "--db", str(tmp_path / "x.db"), env=env)
    err = result.stderr.decode()
    assert result.returncode == 2 and "Traceback" not in err, err
    assert err.splitlines()[-1].startswith(f"dx10: {says}"), err


def test_the_terminal_chat_checks_the_quiz_settings_too(tmp_path: Path) -> None:
    result = run_dx10("chat", "--db", str(tmp_path / "x.db"), input="quiz\n",
                      env={"DX10_QUIZ_REVEAL_SECONDS": "ten minutes"})
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode().startswith("dx10: DX10_QUIZ_REVEAL_SECONDS must be a whole number")
