"""Every dashboard route through a running `dx10 serve` app: with and without a session, CSRF,
the login rate limit, cookies, both languages, and /api/stats.json."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any

import aiohttp
import pytest
import time_machine
from aiohttp import web

from adapters.serve import ConfigError, build_app
from bot.catalog import t
from bot.core import Assistant
from bot.errors import UserError
from bot.store import Store
from fakes.contract import DAY, NEXT, create_contract_tables, interaction
from fakes.teams_connector import serving

TOKEN = "dashboard-token-for-tests-0123456789"
ENV = {"TEAMS_ALLOW_UNAUTHENTICATED": "1", "DX10_DASHBOARD_TOKEN": TOKEN, "DX10_SECRET": "test"}
SECRET_QUESTION = "庁内の Wi-Fi パスワードを教えて"
CONTRACT_PERIOD = {"from": DAY, "to": NEXT}


@dataclass
class Admin:
    url: str
    http: aiohttp.ClientSession
    app: web.Application

    async def get(self, path: str, **kwargs: Any) -> tuple[aiohttp.ClientResponse, str]:
        async with self.http.get(self.url + path, allow_redirects=False, **kwargs) as response:
            return response, await response.text()

    async def post(self, path: str, **kwargs: Any) -> tuple[aiohttp.ClientResponse, str]:
        async with self.http.post(self.url + path, allow_redirects=False, **kwargs) as response:
            return response, await response.text()

    def cookie(self, name: str) -> str | None:
        found = [c.value for c in self.http.cookie_jar if c.key == name]
        return found[0] if found else None

    async def login(self, token: str = TOKEN, **kwargs: Any) -> tuple[aiohttp.ClientResponse, str]:
        await self.get("/dashboard/login")
        return await self.post("/dashboard/login", data={"token": token, "csrf": self.cookie("dx10_login_csrf") or ""},
                               **kwargs)


def seed(store: Store) -> None:
    today = datetime.now(UTC).date()
    recent = (today - timedelta(days=2)).isoformat()
    store.db["interactions"].insert_all([
        interaction(recent, principle=3, facet="kpi", feedback=1),
        interaction(recent, principle=3, facet="first_step", time="10:00:00"),
        interaction(recent, intent="out_of_scope", principle=None, facet=None, answered=False, confidence=0.2,
                    text=SECRET_QUESTION, time="11:00:00"),
        interaction(DAY, principle=5, facet="roadmap"),
    ])
    create_contract_tables(store.db)


@pytest.fixture
async def admin(assistant: Assistant) -> AsyncIterator[Admin]:
    seed(assistant.store)
    app = build_app(assistant, ENV)
    async with serving(app) as url, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        yield Admin(url, http, app)


def set_cookies(response: aiohttp.ClientResponse) -> dict[str, str]:
    out = {}
    for header in response.headers.getall("Set-Cookie", []):
        cookie = SimpleCookie(header)
        for name in cookie:
            out[name] = header
    return out


async def test_without_a_session_every_route_refuses_and_shows_no_data(admin: Admin) -> None:
    for path in ("/dashboard", "/dashboard/", f"/dashboard?from={DAY}&to={NEXT}&lang=en"):
        response, body = await admin.get(path)
        assert response.status == 401
        assert 'name="token"' in body and 'action="/dashboard/login' in body
        assert SECRET_QUESTION not in body and "<svg" not in body
    response, body = await admin.get("/api/stats.json")
    assert response.status == 401 and "login required" in body and "questions" not in body
    response, _ = await admin.post("/dashboard/logout", data={"csrf": "x"})
    assert response.status == 401
    response, body = await admin.get("/dashboard/login")
    assert response.status == 200 and response.headers["Content-Security-Policy"].startswith("default-src 'none'")


async def test_login_sets_a_strict_httponly_session_and_shows_the_dashboard(admin: Admin) -> None:
    response, _ = await admin.login()
    assert response.status == 303 and response.headers["Location"] == "/dashboard?lang=ja"
    cookie = set_cookies(response)["dx10_dashboard"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie and "path=/" in cookie
    response, body = await admin.get("/dashboard")
    assert response.status == 200 and '<html lang="ja">' in body
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Frame-Options"] == "DENY"
    # The chart is an image with a title and a description, and has a table view.
    assert re.search(r'<svg[^>]*role="img"[^>]*aria-labelledby="chart-days-title chart-days-desc"', body)
    assert '<title id="chart-days-title">日別の質問数</title>' in body and 'id="chart-days-desc"' in body
    assert "<details class=\"table-view\"><summary>表で見る</summary>" in body
    assert SECRET_QUESTION in body  # the unanswered work list, its intent in words and as the id
    assert "対象外 (out_of_scope)" in body
    assert "#3 " in body and t("facet.kpi", "ja") in body
    assert body.count(t("dashboard.not_available", "ja")) == 0


async def test_the_session_cookie_is_secure_behind_https(admin: Admin) -> None:
    response, _ = await admin.login(headers={"X-Forwarded-Proto": "https"})
    assert response.status == 303 and "secure" in set_cookies(response)["dx10_dashboard"].lower()


async def test_login_without_the_form_csrf_token_is_refused_and_not_counted(admin: Admin) -> None:
    await admin.get("/dashboard/login")
    response, body = await admin.post("/dashboard/login", data={"token": TOKEN})
    assert response.status == 403 and t("dashboard.login.expired", "ja") in body
    response, _ = await admin.post("/dashboard/login", data={"token": TOKEN, "csrf": "forged"})
    assert response.status == 403
    admin.http.cookie_jar.clear()
    response, _ = await admin.post("/dashboard/login", data={"token": TOKEN, "csrf": "forged"})  # no cookie at all
    assert response.status == 403
    response, _ = await admin.get("/dashboard")
    assert response.status == 401
    assert (await admin.login())[0].status == 303  # none of that counted as a wrong token


async def test_wrong_tokens_slow_the_guesser_down_and_the_right_token_still_logs_in(admin: Admin) -> None:
    for _ in range(4):
        response, body = await admin.login("wrong-token")
        assert response.status == 401 and t("dashboard.login.wrong", "ja") in body
    response, body = await admin.login("wrong-token")  # the fifth: counted, and the next one must wait
    assert response.status == 401 and "1秒間受け付けません" in body
    response, body = await admin.login("wrong-token")  # too soon: refused without being counted
    assert response.status == 429 and response.headers["Retry-After"] == "1" and "正しいトークンなら" in body
    response, _ = await admin.login()  # the admin (behind the same proxy address) is not locked out
    assert response.status == 303 and (await admin.get("/dashboard"))[0].status == 200


async def test_each_further_wrong_token_doubles_the_wait_up_to_15_minutes(admin: Admin) -> None:
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            await admin.login("wrong-token")
        waits = []
        for _ in range(12):
            response, _ = await admin.login("wrong-token")
            waits.append(int(response.headers["Retry-After"]))
            clock.shift(waits[-1])  # wait exactly as told, then guess again
            response, body = await admin.login("wrong-token")
            assert response.status == 401  # counted: it earns the next, longer wait
        assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
        response, body = await admin.login("wrong-token", params={"lang": "en"})
        assert response.status == 429 and "refused for 15 minute(s)" in body
        assert (await admin.login())[0].status == 303
        clock.shift(60 * 60 + 1)  # an hour without a wrong token forgets the earlier ones
        assert (await admin.login("wrong-token"))[0].status == 401


@pytest.fixture
async def behind_proxy(assistant: Assistant) -> AsyncIterator[Admin]:
    """The dashboard behind a TLS proxy on this host that says who the client is (X-Forwarded-For)."""
    app = build_app(assistant, {**ENV, "DX10_TRUSTED_PROXIES": "127.0.0.1, ::1"})
    async with serving(app) as url, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        yield Admin(url, http, app)


def via(client: str) -> dict[str, Any]:
    return {"headers": {"X-Forwarded-For": client}}


async def test_behind_a_trusted_proxy_a_guesser_slows_down_only_itself(behind_proxy: Admin) -> None:
    for _ in range(6):
        await behind_proxy.login("wrong-token", **via("203.0.113.9"))
    assert (await behind_proxy.login("wrong-token", **via("203.0.113.9")))[0].status == 429
    # An admin at another address mistypes: an ordinary "wrong token", no wait.
    response, body = await behind_proxy.login("wrong-token", **via("10.1.2.3"))
    assert response.status == 401 and t("dashboard.login.wrong", "ja") in body
    # What a client writes into X-Forwarded-For itself proves nothing: the proxy appends the address
    # it saw, and that one counts.
    response, _ = await behind_proxy.login("wrong-token", **via("10.1.2.3, 203.0.113.9"))
    assert response.status == 429


async def test_guesses_from_a_thousand_addresses_lock_nobody_out(behind_proxy: Admin) -> None:
    for i in range(1000):  # the old limit refused everyone after 50 wrong tokens from anywhere
        await behind_proxy.login("wrong-token", **via(f"198.51.100.{i % 250}"))
    response, _ = await behind_proxy.login(**via("10.1.2.3"))
    assert response.status == 303


async def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(admin: Admin) -> None:
    for i in range(6):  # a guesser cannot pose as many clients by writing the header itself
        await admin.login("wrong-token", **via(f"192.0.2.{i}"))
    assert (await admin.login("wrong-token", **via("192.0.2.99")))[0].status == 429


@pytest.mark.parametrize("value", ["proxy.local", "127.0.0.1/99", "10.0.0.1;10.0.0.2"])
def test_a_trusted_proxy_setting_that_is_not_an_address_stops_the_start(assistant: Assistant, value: str) -> None:
    with pytest.raises(UserError, match="DX10_TRUSTED_PROXIES must be IP addresses or networks"):
        build_app(assistant, {**ENV, "DX10_TRUSTED_PROXIES": value})


async def test_a_right_token_resets_the_count_of_wrong_ones(admin: Admin) -> None:
    for _ in range(4):
        assert (await admin.login("wrong-token"))[0].status == 401
    assert (await admin.login())[0].status == 303
    for _ in range(4):
        assert (await admin.login("wrong-token"))[0].status == 401


async def test_logout_needs_the_csrf_token_of_the_session(admin: Admin) -> None:
    await admin.login()
    _, page = await admin.get("/dashboard")
    csrf = re.search(r'action="/dashboard/logout".*?name="csrf" value="([^"]+)"', page)
    assert csrf
    response, body = await admin.post("/dashboard/logout", data={"csrf": "forged", "lang": "ja"})
    assert response.status == 403 and t("dashboard.csrf", "ja") in body
    assert (await admin.get("/dashboard"))[0].status == 200  # still logged in
    response, _ = await admin.post("/dashboard/logout", data={"csrf": csrf.group(1), "lang": "en"})
    assert response.status == 303 and response.headers["Location"] == "/dashboard/login?lang=en&bye=1"
    assert (await admin.get("/dashboard"))[0].status == 401
    _, bye = await admin.get("/dashboard/login?lang=en&bye=1")
    assert t("dashboard.logged_out", "en") in bye


async def test_english_page_and_the_contract_sections_for_a_chosen_period(admin: Admin) -> None:
    await admin.login()
    response, body = await admin.get(f"/dashboard?from={DAY}&to={NEXT}&lang=en")
    assert response.status == 200 and '<html lang="en">' in body
    for key in ("dashboard.per_day", "dashboard.worklist", "dashboard.quiz", "dashboard.commitments",
                "dashboard.nps.title", "dashboard.nudges", "dashboard.feedback"):
        assert t(key, "en") in body
    assert "66.7%" in body  # quiz accuracy for #3 (2 of 3)
    assert "+25" in body  # NPS
    assert SECRET_QUESTION not in body  # outside the period
    # The language switch keeps the period.
    assert f'href="/dashboard?from={DAY}&amp;to={NEXT}&amp;lang=ja"' in body


async def test_a_bad_period_says_so_and_shows_the_default_period(admin: Admin) -> None:
    await admin.login()
    response, body = await admin.get("/dashboard?from=2026-13-01&lang=en")
    assert response.status == 400 and t("dashboard.period.error", "en") in body
    assert SECRET_QUESTION in body  # the last 30 days
    response, body = await admin.get("/api/stats.json?from=2026-03-12&to=2026-03-01")
    assert response.status == 400 and "starts after it ends" in body


async def test_stats_json_serves_the_aggregates_without_texts(admin: Admin) -> None:
    await admin.login()
    async with admin.http.get(admin.url + "/api/stats.json", params=CONTRACT_PERIOD) as response:
        assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
        doc = await response.json()
        raw = await response.text()
    assert doc["period"] == {"from": DAY, "to": NEXT}
    assert doc["questions"] == 1 and doc["principles"] == [{"principle": 5, "count": 1}]
    assert doc["nps"]["score"] == 25 and doc["deliveries"]["failed"] == 1
    assert [d["date"] for d in doc["daily"]] == [DAY, NEXT]
    assert "U1" not in raw and "T9" not in raw and SECRET_QUESTION not in raw and "user_key" not in raw


async def test_without_the_nudge_and_quiz_tables_the_sections_say_no_data(assistant: Assistant) -> None:
    # A store from before those features (or with them switched off): their tables are absent.
    for table in ("quiz_answers", "first_step_commitments", "nps_responses", "nudge_deliveries", "nudge_subscriptions"):
        if assistant.store.db[table].exists():
            assistant.store.db.execute(f"drop table [{table}]")
    app = build_app(assistant, ENV)
    async with serving(app) as url, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        admin = Admin(url, http, app)
        await admin.login()
        response, body = await admin.get("/dashboard?lang=en")
    assert response.status == 200
    assert body.count(t("dashboard.not_available", "en")) == 5  # quiz, commitments, NPS, NPS comments, nudges
    assert "<svg" in body  # the per-day chart, all zero


async def test_the_stylesheet_is_served_by_dx10_itself(admin: Admin) -> None:
    response, body = await admin.get("/dashboard/static/dashboard.css")
    assert response.status == 200 and response.content_type == "text/css" and ".cards" in body
    _, login = await admin.get("/dashboard/login")
    assert "http://" not in login and "https://" not in login  # nothing from a CDN


async def test_the_dashboard_is_off_without_a_token_and_refuses_a_short_one(assistant: Assistant) -> None:
    app = build_app(assistant, {"TEAMS_ALLOW_UNAUTHENTICATED": "1"})
    async with serving(app) as url, aiohttp.ClientSession() as http:
        async with http.get(url + "/dashboard") as response:
            assert response.status == 404
        async with http.get(url + "/api/stats.json") as response:
            assert response.status == 404
        async with http.get(url + "/healthz") as response:
            assert (await response.json())["dashboard"] is False
    with pytest.raises(ConfigError, match="DX10_DASHBOARD_TOKEN is too short"):
        build_app(assistant, {"TEAMS_ALLOW_UNAUTHENTICATED": "1", "DX10_DASHBOARD_TOKEN": "short"})


async def test_the_work_list_aligns_only_its_numbers_right(admin: Admin) -> None:
    # Question texts, intents and status were right-aligned like numbers (every column after the first was).
    await admin.login()
    _, body = await admin.get("/dashboard")
    worklist = body[body.index(t("dashboard.worklist", "ja") + "</caption>"):]
    worklist = worklist[:worklist.index("</table>")]
    row = next(r for r in worklist.split("<tr>") if SECRET_QUESTION in r)
    cells = re.findall(r"<td( class=\"num\")?>([^<]*)</td>", row)
    assert [(bool(num), text) for num, text in cells] == [
        (False, SECRET_QUESTION), (False, "対象外 (out_of_scope)"), (True, "0.20"), (False, t("dashboard.unanswered", "ja"))]
    # The tables of counts keep their numbers right-aligned.
    assert re.search(r'<th scope="row">[^<]+</th><td class="num">\d+</td>', body)
