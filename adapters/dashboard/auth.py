"""Dashboard access: one shared token, server-side sessions, CSRF tokens, a login rate limit.

Sessions live in memory: a restart logs the admins out, which is acceptable for a handful of
operators and means no session secret has to be stored anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from dataclasses import dataclass, field

from aiohttp import web

SESSION_COOKIE = "dx10_dashboard"
LOGIN_CSRF_COOKIE = "dx10_login_csrf"
SESSION_SECONDS = 8 * 3600
# Wrong tokens: at most MAX_PER_CLIENT per client address, and MAX_TOTAL from everyone together
# (a distributed guess), within WINDOW seconds; further attempts get 429 until the window moves on.
WINDOW = 15 * 60
MAX_PER_CLIENT = 5
MAX_TOTAL = 50


@dataclass
class Session:
    csrf: str
    expires: float


def same(a: str, b: str) -> bool:
    """Constant-time comparison that also hides the length of the secret."""
    return hmac.compare_digest(hashlib.sha256(a.encode()).digest(), hashlib.sha256(b.encode()).digest())


@dataclass
class Sessions:
    items: dict[str, Session] = field(default_factory=dict)

    def create(self, now: float | None = None) -> tuple[str, Session]:
        now = time.time() if now is None else now
        self.items = {k: s for k, s in self.items.items() if s.expires > now}
        sid = secrets.token_urlsafe(32)
        session = Session(csrf=secrets.token_urlsafe(32), expires=now + SESSION_SECONDS)
        self.items[sid] = session
        return sid, session

    def get(self, sid: str | None, now: float | None = None) -> Session | None:
        if not sid:
            return None
        session = self.items.get(sid)
        if session is None or session.expires <= (time.time() if now is None else now):
            self.items.pop(sid, None)
            return None
        return session

    def drop(self, sid: str | None) -> None:
        if sid:
            self.items.pop(sid, None)


@dataclass
class LoginLimiter:
    failures: dict[str, deque[float]] = field(default_factory=dict)
    everyone: deque[float] = field(default_factory=deque)

    def _trim(self, q: deque[float], now: float) -> None:
        while q and q[0] <= now - WINDOW:
            q.popleft()

    def retry_after(self, client: str, now: float | None = None) -> int:
        """Seconds until `client` may try again; 0 when it may try now."""
        now = time.time() if now is None else now
        mine = self.failures.get(client, deque())
        self._trim(mine, now)
        self._trim(self.everyone, now)
        waits = []
        if len(mine) >= MAX_PER_CLIENT:
            waits.append(mine[0] + WINDOW - now)
        if len(self.everyone) >= MAX_TOTAL:
            waits.append(self.everyone[0] + WINDOW - now)
        return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.failures.setdefault(client, deque()).append(now)
        self.everyone.append(now)
        if len(self.failures) > 10_000:  # bounded memory under a spray of addresses
            self.failures = {k: q for k, q in self.failures.items() if q and q[-1] > now - WINDOW}

    def succeeded(self, client: str) -> None:
        self.failures.pop(client, None)


def is_https(request: web.Request) -> bool:
    # Behind a TLS-terminating proxy the request arrives over plain HTTP with X-Forwarded-Proto.
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return request.secure or forwarded == "https"


def set_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="Strict",
                        secure=is_https(request))


def clear_cookie(response: web.StreamResponse, request: web.Request, name: str) -> None:
    response.del_cookie(name, path="/", secure=is_https(request), httponly=True, samesite="Strict")
