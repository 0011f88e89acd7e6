"""Dashboard routes: login/logout, the page, /api/stats.json, the stylesheet."""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from adapters.dashboard.auth import (
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, SESSION_SECONDS, LoginLimiter, Network, Session, Sessions, clear_cookie,
    client_address, same, set_cookie,
)
from adapters.dashboard.pages import dashboard_page, login_page
from bot.catalog import t
from bot.core import Assistant
from bot.stats import Period, PeriodError, collect

log = logging.getLogger("dx10.dashboard")

STATIC = Path(__file__).with_name("static")
WORKLIST_LIMIT = 200
SECURITY_HEADERS = {
    # No script at all, nothing from elsewhere: the page works and stays safe without either.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass
class Dashboard:
    assistant: Assistant
    token: str
    retention_days: int
    trusted: tuple[Network, ...] = ()  # DX10_TRUSTED_PROXIES
    sessions: Sessions = field(default_factory=Sessions)
    limiter: LoginLimiter = field(default_factory=LoginLimiter)

    def session(self, request: web.Request) -> tuple[str, Session] | None:
        sid = request.cookies.get(SESSION_COOKIE)
        session = self.sessions.get(sid)
        return (sid, session) if sid and session else None


DASHBOARD = web.AppKey("dashboard", Dashboard)


def lang_of(request: web.Request) -> str:
    chosen = request.query.get("lang", "")
    if chosen in ("ja", "en"):
        return chosen
    accept = request.headers.get("Accept-Language", "").strip().lower()
    return "en" if accept.startswith("en") else "ja"


def _html(text: str, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8",
                        headers={**SECURITY_HEADERS, **(headers or {})})


def _see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={**SECURITY_HEADERS, "Location": location})


def _login(request: web.Request, lang: str, status: int, message: str | None = None,
           headers: dict[str, str] | None = None) -> web.Response:
    csrf = secrets.token_urlsafe(32)
    response = _html(login_page(lang, csrf, message), status, headers)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, csrf, max_age=3600)
    return response


async def login_form(request: web.Request) -> web.Response:
    lang = lang_of(request)
    bye = t("dashboard.logged_out", lang) if request.query.get("bye") else None
    return _login(request, lang, 200, bye)


async def login(request: web.Request) -> web.Response:
    dash = request.app[DASHBOARD]
    lang = lang_of(request)
    client = client_address(request, dash.trusted)
    form = await request.post()
    sent_csrf, cookie_csrf = form.get("csrf"), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not isinstance(sent_csrf, str) or not cookie_csrf or not same(sent_csrf, cookie_csrf):
        return _login(request, lang, 403, t("dashboard.login.expired", lang))
    token = form.get("token")
    right = isinstance(token, str) and same(token, dash.token)
    # The right token is never refused (auth.py): a guesser must not be able to lock admins out.
    if not right:
        wait = dash.limiter.wait(client)
        if wait:  # still waiting after earlier wrong tokens: refused unchecked, not counted again
            return _login(request, lang, 429, _wait_text(wait, lang), {"Retry-After": str(wait)})
        wait = dash.limiter.failed(client)
        log.warning("dashboard: a wrong token from %s%s", client, f"; its next one waits {wait} s" if wait else "")
        return _login(request, lang, 401, _wait_text(wait, lang) if wait else t("dashboard.login.wrong", lang))
    dash.limiter.succeeded(client)
    sid, _ = dash.sessions.create()
    log.info("dashboard: an admin logged in from %s", client)
    response = _see_other(f"/dashboard?lang={lang}")
    set_cookie(response, request, SESSION_COOKIE, sid, max_age=SESSION_SECONDS)
    clear_cookie(response, request, LOGIN_CSRF_COOKIE)
    return response


def _wait_text(seconds: int, lang: str) -> str:
    if seconds < 120:
        return t("dashboard.login.limited.seconds", lang, seconds=seconds)
    return t("dashboard.login.limited", lang, minutes=math.ceil(seconds / 60))


async def logout(request: web.Request) -> web.Response:
    dash = request.app[DASHBOARD]
    found = dash.session(request)
    form = await request.post()
    lang = form.get("lang") if form.get("lang") in ("ja", "en") else lang_of(request)
    lang = str(lang)
    if found is None:
        return _login(request, lang, 401, t("dashboard.login.required", lang))
    sid, session = found
    sent = form.get("csrf")
    if not isinstance(sent, str) or not same(sent, session.csrf):
        return _csrf_failed(lang)
    dash.sessions.drop(sid)
    response = _see_other(f"/dashboard/login?lang={lang}&bye=1")
    clear_cookie(response, request, SESSION_COOKIE)
    return response


def _csrf_failed(lang: str) -> web.Response:
    text = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>403</title></head>'
            f'<body><main><h1>403</h1><p>{t("dashboard.csrf", lang)}</p>'
            f'<p><a href="/dashboard?lang={lang}">{t("dashboard.title", lang)}</a></p></main></body></html>')
    return _html(text, 403)


async def page(request: web.Request) -> web.Response:
    dash = request.app[DASHBOARD]
    lang = lang_of(request)
    found = dash.session(request)
    if found is None:
        return _login(request, lang, 401, t("dashboard.login.required", lang))
    status, error = 200, None
    try:
        period = Period.parse(request.query.get("from") or None, request.query.get("to") or None)
    except PeriodError:
        period, status, error = Period.last_days(30), 400, t("dashboard.period.error", lang)
    stats = collect(dash.assistant.store.db, period, worklist_limit=WORKLIST_LIMIT)
    html = dashboard_page(dash.assistant.kb, stats, lang, found[1].csrf, retention_days=dash.retention_days,
                          worklist_limit=WORKLIST_LIMIT, error=error)
    return _html(html, status)


async def stats_json(request: web.Request) -> web.Response:
    dash = request.app[DASHBOARD]
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if dash.session(request) is None:
        return web.json_response({"error": "login required: POST /dashboard/login"}, status=401, headers=headers)
    try:
        period = Period.parse(request.query.get("from") or None, request.query.get("to") or None)
    except PeriodError as exc:
        return web.json_response({"error": str(exc)}, status=400, headers=headers)
    stats = collect(dash.assistant.store.db, period, with_texts=False)
    return web.json_response(stats.aggregates(), headers=headers)


async def stylesheet(request: web.Request) -> web.Response:
    return web.Response(body=(STATIC / "dashboard.css").read_bytes(), content_type="text/css", charset="utf-8",
                        headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"})


def add_routes(app: web.Application, dashboard: Dashboard) -> None:
    app[DASHBOARD] = dashboard
    app.router.add_get("/dashboard", page)
    app.router.add_get("/dashboard/", page)
    app.router.add_get("/dashboard/login", login_form)
    app.router.add_post("/dashboard/login", login)
    app.router.add_post("/dashboard/logout", logout)
    app.router.add_get("/dashboard/static/dashboard.css", stylesheet)
    app.router.add_get("/api/stats.json", stats_json)
