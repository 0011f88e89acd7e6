"""NPS counts one response per person per period (a calendar month, UTC): their latest score,
the same in the dashboard, /api/stats.json and `dx10 export`."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
import sqlite_utils
import time_machine

from adapters.serve import build_app
from bot.assembly import build_assistant
from bot.store import Store
from conftest import legacy_store, run_dx10
from fakes.teams_connector import serving
from knowledge.schema import KnowledgeBase
from test_dashboard_http import ENV, Admin
from tests.quiz_helpers import dm

SECRET = {"DX10_SECRET": "nps-once-test"}
JUNE = datetime(2026, 6, 3, 2, tzinfo=UTC)
JULY = datetime(2026, 7, 1, 2, tzinfo=UTC)


async def test_pressing_again_replaces_the_score_and_each_month_counts_once(
        kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    path = tmp_path / "dx10.db"
    store = Store(path)
    assistant = build_assistant(kb, store, env={})
    with time_machine.travel(JUNE, tick=False):
        for _ in range(3):  # a double click, a retried interaction, an older card
            await assistant.handle(dm(value="nps:10", user="U101"))
        await assistant.handle(dm(value="nps:3", user="U102"))
        await assistant.handle(dm("コメント: まあまあ", user="U102"))
        await assistant.handle(dm(value="nps:6", user="U102"))  # changed their mind: the latest counts
    with time_machine.travel(JULY, tick=False):
        await assistant.handle(dm(value="nps:9", user="U101"))  # the next month's answer counts again

    app = build_app(assistant, {**ENV, "DX10_RETENTION_DAYS": "3650"})  # June's comment is older than 90 days
    async with serving(app) as url, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        admin = Admin(url, http, app)
        assert (await admin.login())[0].status == 303
        async with http.get(url + "/api/stats.json", params={"from": "2026-06-01", "to": "2026-06-30"}) as response:
            june = (await response.json())["nps"]
        async with http.get(url + "/api/stats.json", params={"from": "2026-06-01", "to": "2026-07-31"}) as response:
            both = (await response.json())["nps"]
        _, page = await admin.get("/dashboard?from=2026-06-01&to=2026-06-30&lang=en")
    assert june == {"responses": 2, "promoters": 1, "passives": 0, "detractors": 1, "score": 0}
    assert both == {"responses": 3, "promoters": 2, "passives": 0, "detractors": 1, "score": 33}
    nps = page[page.index('<section aria-labelledby="nps">'):]
    assert "<th scope=\"row\">Responses</th><td class=\"num\">2</td>" in nps[:nps.index("</section>")]
    assert [tuple(r) for r in store.db.execute(
        "select user_id, period, score, comment from nps_responses order by user_id, period")] == [
        ("U101", "2026-06", 10, None), ("U101", "2026-07", 9, None), ("U102", "2026-06", 6, "まあまあ")]
    store.close()

    result = run_dx10("export", "--from", "2026-06-01", "--to", "2026-07-31", "--db", str(path), env=SECRET)
    assert result.returncode == 0, result.stderr
    counts = {r["date"]: int(r["nps_responses"]) for r in csv.DictReader(io.StringIO(result.stdout.decode()))}
    assert sum(counts.values()) == 3 and counts["2026-06-03"] == 2 and counts["2026-07-01"] == 1


def test_an_existing_table_keeps_the_latest_response_per_person_and_month(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    path = tmp_path / "old.db"
    db = legacy_store(path, "m014")
    db["nps_responses"].insert_all([
        {"at": "2026-06-03T02:00:00+00:00", "platform": "slack", "user_id": "U101", "score": 10, "comment": "便利"},
        {"at": "2026-06-03T02:00:01+00:00", "platform": "slack", "user_id": "U101", "score": 10, "comment": None},
        {"at": "2026-06-04T02:00:00+00:00", "platform": "slack", "user_id": "U101", "score": 8, "comment": None},
        {"at": "2026-07-01T02:00:00+00:00", "platform": "slack", "user_id": "U101", "score": 9, "comment": None},
        {"at": "2026-06-03T02:00:00+00:00", "platform": "teams", "user_id": "U101", "score": 3, "comment": "遅い"},
    ])
    db.close()
    store = Store(path)
    rows = [tuple(r) for r in store.db.execute(
        "select platform, user_id, period, score, comment from nps_responses order by platform, period")]
    store.close()
    assert rows == [("slack", "U101", "2026-06", 8, "便利"), ("slack", "U101", "2026-07", 9, None),
                    ("teams", "U101", "2026-06", 3, "遅い")]
    with pytest.raises(Exception, match="UNIQUE"):  # the database itself refuses a second one now
        check = sqlite_utils.Database(path)
        check.execute("insert into nps_responses (at, platform, user_id, score, period) "
                      "values ('2026-06-05', 'slack', 'U101', 1, '2026-06')")
