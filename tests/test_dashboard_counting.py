"""What the dashboard counts: every typed message once, whoever answers it (the matcher or a
feature's command), and every principle a question names in "Top principles"."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from adapters.serve import build_app
from bot.assembly import build_assistant
from bot.store import Store
from conftest import legacy_store, run_dx10
from fakes.teams_connector import serving
from knowledge.loader import load_kb
from test_dashboard_http import ENV, Admin

SECRET = {"DX10_SECRET": "counting-test"}
TYPED = [
    "第3条と第5条のKPIを比較して",  # one question about #3 and #5
    "第1条から第3条まで",  # #1, #2 and #3
    "quiz 3",  # a feature's command (before the matcher), about #3
    "status",  # the tips feature's command
    "progress",  # answered through the matcher's intent
    "lang en",
    "comment: 分かりやすい",  # kept with the NPS answer, not copied into the log
    "",  # nothing to read: not counted
]


async def test_typed_commands_count_once_and_every_named_principle_counts(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "dx10.db"
    result = run_dx10("chat", "--db", str(path), input="\n".join(TYPED) + "\n", env=SECRET)
    assert result.returncode == 0, result.stderr

    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    store = Store(path)
    app = build_app(build_assistant(load_kb(), store, env={}), ENV)
    async with serving(app) as url, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        admin = Admin(url, http, app)
        assert (await admin.login())[0].status == 303
        async with http.get(url + "/api/stats.json") as response:
            doc = await response.json()
    texts = [r[0] for r in store.db.execute("select text from interactions order by id")]
    store.close()
    assert doc["questions"] == 7 and doc["answered"] == 7
    assert {i["intent"]: i["count"] for i in doc["intents"]} == {
        "principle": 2, "quiz": 1, "tips": 1, "progress": 1, "lang": 1, "nps_comment": 1}
    assert {p["principle"]: p["count"] for p in doc["principles"]} == {3: 3, 5: 1, 1: 1, 2: 1}
    assert texts[-1] is None and "分かりやすい" not in str(texts)

    today = datetime.now(UTC).date().isoformat()
    export = run_dx10("export", "--from", today, "--to", today, "--db", str(path), env=SECRET)
    [row] = list(csv.DictReader(io.StringIO(export.stdout.decode())))
    assert (row["questions"], row["answered"]) == ("7", "7")


def test_an_existing_rollup_is_recomputed_with_the_new_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DX10_SECRET", SECRET["DX10_SECRET"])
    path = tmp_path / "dx10.db"
    db = legacy_store(path, "m015")
    db["interactions"].insert({"at": "2026-03-10T09:00:00+00:00", "platform": "slack", "user_key": "k",
                               "intent": "principle", "principle": 3, "answered": 1, "confidence": 1.0})
    # The day was rolled up before the upgrade (here with a wrong count, to see that it is redone).
    db["stats_daily"].insert({"day": "2026-03-10", "intent": "principle", "principle": 3, "facet": None,
                              "answered": 1, "feedback": None, "n": 99})
    db["stats_daily_done"].insert({"day": "2026-03-10", "computed_at": "2026-03-11T00:00:00+00:00"})
    db.close()
    Store(path).close()  # migrates
    conn = sqlite3.connect(path)
    columns = [r[2] for r in conn.execute("pragma index_info(interactions_stats)")]
    conn.close()
    assert columns == ["at", "intent", "principle", "facet", "answered", "feedback", "also"]  # still covering
    export = run_dx10("export", "--from", "2026-03-10", "--to", "2026-03-10", "--db", str(path), env=SECRET)
    [row] = list(csv.DictReader(io.StringIO(export.stdout.decode())))
    assert row["questions"] == "1"
