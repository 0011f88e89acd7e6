"""A failed tip stays visible: `run-due` prints why and exits 1, a later run does not turn it into
a skip, and the dashboard, the JSON, the export and `nudges list` keep the failure and its reason."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from adapters.serve import build_app
from bot.assembly import build_assistant
from bot.nudges.schedule import Schedule
from bot.store import Store
from conftest import run_dx10
from fakes.teams_connector import serving
from knowledge.loader import load_kb
from test_dashboard_http import ENV, Admin

REASON = "teams is not configured in this process"


async def test_a_failed_tip_keeps_its_reason_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "dx10.db"
    # This process has no Teams settings, like a cron job whose environment lacks them.
    env = {"DX10_DB": str(path), "DX10_SECRET": "failures-test", "MICROSOFT_APP_ID": "", "TEAMS_ALLOW_UNAUTHENTICATED": ""}
    added = run_dx10("nudges", "add", "--platform", "teams", "--conversation", "a:conv1", "--user", "29:u", env=env)
    assert added.returncode == 0, added.stderr
    slot = Schedule.parse("daily 09:00").next_slot(datetime.now(UTC), "Asia/Tokyo")
    assert slot is not None

    first = run_dx10("nudges", "run-due", "--at", (slot + timedelta(minutes=30)).isoformat(), env=env)
    assert first.returncode == 1
    summary = json.loads(first.stdout)
    assert (summary["due"], summary["failed"]) == (1, 1) and summary["failures"][0]["reason"] == REASON
    assert first.stderr.decode().splitlines() == [
        f"dx10: tip for subscription 1 (teams a:conv1) at {slot.isoformat()} failed: {REASON}"]

    # Eight hours late: past the catch-up window. The failure stays a failure, with its reason.
    later = run_dx10("nudges", "run-due", "--at", (slot + timedelta(hours=8)).isoformat(), env=env)
    assert later.returncode == 0 and json.loads(later.stdout)["due"] == 0
    listed = run_dx10("nudges", "list", env=env).stdout.decode()
    assert f"last tip failed, {slot.isoformat()}: {REASON}" in listed
    [row] = json.loads(run_dx10("nudges", "list", "--json", env=env).stdout)
    assert row["last_failure"] == {"slot": slot.isoformat(), "reason": REASON}

    day = slot.date().isoformat()
    export = run_dx10("export", "--from", day, "--to", day, env=env)
    [daily] = list(csv.DictReader(io.StringIO(export.stdout.decode())))
    assert daily["nudges_failed"] == "1"

    monkeypatch.setenv("DX10_SECRET", env["DX10_SECRET"])
    store = Store(path)
    app = build_app(build_assistant(load_kb(), store, env={}), ENV)
    async with serving(app) as url, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        admin = Admin(url, http, app)
        assert (await admin.login())[0].status == 303
        async with http.get(url + "/api/stats.json", params={"from": day, "to": day}) as response:
            doc = await response.json()
        _, page = await admin.get(f"/dashboard?from={day}&to={day}&lang=en")
    store.close()
    assert doc["deliveries"]["failed"] == 1 and doc["deliveries"]["skipped"] == 0
    assert doc["delivery_failures"] == [{"reason": REASON, "count": 1}]
    assert f"Failed because: {REASON}" in page
