"""/healthz, /metrics, the retention job and the logs of a running server."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path

import aiohttp
import pytest
from conftest import start_dx10
from fakes.contract import create_contract_tables, interaction
from fakes.teams_connector import FakeConnector, serving
from test_slack_serve import free_port, wait_healthy

from adapters.operations import HEARTBEATS_KEY
from adapters.serve import ConfigError, build_app
from bot import metrics
from bot.assembly import build_assistant
from bot.core import Assistant
from bot.events import Incoming
from bot.health import Heartbeats
from bot.store import Store
from knowledge.schema import KnowledgeBase

ENV = {"TEAMS_ALLOW_UNAUTHENTICATED": "1", "DX10_SECRET": "ops-test"}


async def test_healthz_reports_store_scheduler_adapters_and_a_dead_loop(assistant: Assistant) -> None:
    app = build_app(assistant, ENV)
    async with serving(app) as url, aiohttp.ClientSession() as http:
        async with http.get(url + "/healthz") as response:
            body = await response.json()
        assert response.status == 200 and body["ok"] and body["store"]
        assert body["adapters"] == ["teams"] and body["dashboard"] is False and body["retention_days"] == 90
        assert body["scheduler"]["retention"]["alive"] is True
        # A loop that stopped beating (e.g. a crashed nudge scheduler) turns the probe red.
        app[HEARTBEATS_KEY].beat("nudges", every=60, now=time.monotonic() - 600)
        try:
            async with http.get(url + "/healthz") as response:
                body = await response.json()
            assert response.status == 503 and body["ok"] is False and body["scheduler"]["nudges"]["alive"] is False
        finally:
            app[HEARTBEATS_KEY].forget("nudges")
        assistant.store.db.close()  # the store goes away
        async with http.get(url + "/healthz") as response:
            assert response.status == 503 and (await response.json())["store"] is False


def test_heartbeats_are_alive_until_two_beats_are_missed() -> None:
    beats = Heartbeats()
    beats.beat("quiz", every=10, now=100.0)
    assert beats.status(now=120.0)["quiz"]["alive"] is True
    assert beats.status(now=126.0)["quiz"]["alive"] is False


async def test_metrics_count_requests_answers_latency_and_nudges(assistant: Assistant) -> None:
    create_contract_tables(assistant.store.db)
    before_requests = metrics.REQUESTS.get("teams")
    before_unanswered = metrics.ANSWERS.get("out_of_scope", "false")
    before_count = metrics.LATENCY.count
    await assistant.handle(Incoming("teams", "u", "c", "第3条のKPI例は？"))
    await assistant.handle(Incoming("teams", "u", "c", "今日の天気は？"))
    app = build_app(assistant, ENV)
    async with serving(app) as url, aiohttp.ClientSession() as http, http.get(url + "/metrics") as response:
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = await response.text()
    lines = text.splitlines()
    assert f'dx10_requests_total{{adapter="teams"}} {int(before_requests) + 2}' in lines
    assert f'dx10_answers_total{{intent="out_of_scope",answered="false"}} {int(before_unanswered) + 1}' in lines
    assert any(line.startswith('dx10_answers_total{intent="principle",answered="true"}') for line in lines)
    assert f'dx10_handle_seconds_count {before_count + 2}' in lines
    assert 'dx10_handle_seconds_bucket{le="+Inf"}' in text and "# TYPE dx10_handle_seconds histogram" in lines
    assert any(line.startswith("dx10_unanswered_share ") for line in lines)
    assert 'dx10_nudge_deliveries{status="sent"} 2' in lines and 'dx10_nudge_deliveries{status="failed"} 1' in lines


async def test_the_retention_job_runs_at_start_and_deletes_old_texts(assistant: Assistant) -> None:
    assistant.store.db["interactions"].insert_all([
        interaction("2020-01-01", text="very old question"), interaction("2099-01-01", text="future question")])
    app = build_app(assistant, {**ENV, "DX10_RETENTION_DAYS": "30"})
    async with serving(app):
        deadline = time.monotonic() + 10
        while assistant.store.db.execute("select count(*) from interactions where text is null").fetchone()[0] < 1:
            assert time.monotonic() < deadline, "the retention job did not run"
            await asyncio.sleep(0.02)  # polling interval, not an assertion
    texts = [r[0] for r in assistant.store.db.execute("select text from interactions order by at")]
    assert texts == [None, "future question"]


def test_a_bad_retention_setting_stops_the_server(assistant: Assistant) -> None:
    with pytest.raises(ConfigError, match="DX10_RETENTION_DAYS"):
        build_app(assistant, {**ENV, "DX10_RETENTION_DAYS": "0"})


async def test_json_logs_one_event_per_line_without_texts_or_tokens(tmp_path: Path) -> None:
    token = "dashboard-token-never-logged-123"
    secret_text = "第3条のKPI例は？ ひみつのしつもん"
    async with FakeConnector() as connector:
        port = free_port()
        env = {**os.environ, **ENV, "DX10_LOG_FORMAT": "json", "DX10_DB": str(tmp_path / "serve.db"),
               "DX10_DASHBOARD_TOKEN": token}
        env.pop("MICROSOFT_APP_ID", None)
        proc = start_dx10("serve", "--port", str(port), env=env)
        try:
            async with aiohttp.ClientSession() as http:
                await wait_healthy(http, port, proc)
                async with http.post(f"http://127.0.0.1:{port}/api/messages", json=connector.message(secret_text)) as r:
                    assert r.status == 200
                await connector.wait_for(1, timeout=10)
                async with http.post(f"http://127.0.0.1:{port}/dashboard/login", data={"token": "wrong-" + token}) as r:
                    assert r.status == 403
        finally:
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
    lines = err.decode().splitlines()
    events = [json.loads(line) for line in lines]  # every line is one JSON event
    assert events and all({"time", "level", "logger", "message"} <= set(e) for e in events)
    assert any(e["logger"] == "aiohttp.access" for e in events)
    text = err.decode()
    assert "ひみつ" not in text and secret_text not in text and token not in text


async def test_the_nudge_and_quiz_loops_report_to_healthz_while_serving(kb: KnowledgeBase, store: Store) -> None:
    app = build_app(build_assistant(kb, store, ENV), ENV)  # nudges and quizzes on, as dx10 serve runs them
    async with serving(app) as url, aiohttp.ClientSession() as http:
        deadline = time.monotonic() + 10
        while True:
            async with http.get(url + "/healthz") as response:
                body = await response.json()
            if {"nudges", "quiz", "retention"} <= set(body["scheduler"]):
                break
            assert time.monotonic() < deadline, body
            await asyncio.sleep(0.05)  # polling interval, not an assertion
        assert response.status == 200 and all(loop["alive"] for loop in body["scheduler"].values())
    assert not {"nudges", "quiz", "retention"} & set(app[HEARTBEATS_KEY].status())  # stopped loops leave the registry
