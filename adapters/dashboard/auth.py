"""Dashboard access: one shared token, server-side sessions, CSRF tokens, slower wrong guesses.

Sessions live in memory: a restart logs the admins out, which is acceptable for a handful of
operators and means no session secret has to be stored anywhere.

Guessing. What keeps guessers out is the token itself: at least 16 random characters (from
`secrets.token_urlsafe`, 6 bits each: 2^96 and more), which no rate of guessing gets through.
What this module adds must never lock an admin out, because whoever can reach the login form
could trigger a lock: behind the TLS proxy every admin has the proxy's address, and an earlier
limit refused everyone, the right token included, after five wrong tokens from anyone. So:

- the right token is always accepted, at once;
- wrong tokens slow down the client that sends them: FREE_TRIES are answered normally, then each
  further wrong token is refused (429, Retry-After) until a wait that doubles with every wrong
  token counted (1 s, 2 s, 4 s … at most MAX_WAIT) has passed; FORGET_AFTER without a wrong token
  starts the client afresh;
- "the client" is the connecting address, or, when that address is one of DX10_TRUSTED_PROXIES,
  the address the proxy wrote into X-Forwarded-For (so each admin is told apart from a guesser).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from aiohttp import web

from bot.settings import SettingError, raw

SESSION_COOKIE = "dx10_dashboard"
LOGIN_CSRF_COOKIE = "dx10_login_csrf"
SESSION_SECONDS = 8 * 3600
FREE_TRIES = 5  # wrong tokens a client may send before it is slowed down
MAX_WAIT = 15 * 60  # the longest a client waits before its next wrong token is looked at
FORGET_AFTER = 60 * 60  # a client without a wrong token this long starts afresh (longer than MAX_WAIT)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


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
class Guesses:
    count: int  # wrong tokens counted since the client last went FORGET_AFTER without one
    last: float  # when the last one was counted


@dataclass
class LoginLimiter:
    """Wrong tokens per client; it only ever slows wrong tokens (see the module docstring)."""

    failures: dict[str, Guesses] = field(default_factory=dict)

    def _current(self, client: str, now: float) -> Guesses | None:
        mine = self.failures.get(client)
        if mine is not None and now - mine.last > FORGET_AFTER:
            del self.failures[client]
            return None
        return mine

    def wait(self, client: str, now: float | None = None) -> int:
        """Seconds before a wrong token from `client` is looked at again; 0: now."""
        now = time.time() if now is None else now
        mine = self._current(client, now)
        if mine is None or mine.count < FREE_TRIES:
            return 0
        left = mine.last + min(2 ** (mine.count - FREE_TRIES), MAX_WAIT) - now
        return math.ceil(left) if left > 0 else 0

    def failed(self, client: str, now: float | None = None) -> int:
        """Count a wrong token; returns the wait it earns (0 while the client is within FREE_TRIES)."""
        now = time.time() if now is None else now
        mine = self._current(client, now)
        if mine is None:
            mine = self.failures[client] = Guesses(0, now)
        mine.count, mine.last = mine.count + 1, now
        if len(self.failures) > 10_000:  # bounded memory under a spray of addresses
            self.failures = {k: g for k, g in self.failures.items() if now - g.last <= FORGET_AFTER}
        return self.wait(client, now)

    def succeeded(self, client: str) -> None:
        self.failures.pop(client, None)


def trusted_proxies(env: Mapping[str, str]) -> tuple[Network, ...]:
    """DX10_TRUSTED_PROXIES: the addresses (or networks) of the proxies whose X-Forwarded-For to believe."""
    value = raw(env, "DX10_TRUSTED_PROXIES")
    nets = []
    for part in filter(None, (p.strip() for p in value.split(","))):
        try:
            nets.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise SettingError("DX10_TRUSTED_PROXIES must be IP addresses or networks separated by commas, "
                               f"e.g. 127.0.0.1 or 10.0.0.0/8,::1 (got {part!r})") from None
    return tuple(nets)


def _within(address: str, nets: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in nets)


def client_address(request: web.Request, trusted: tuple[Network, ...]) -> str:
    """Who is asking: the connecting address, unless it is a trusted proxy; then the last address in
    X-Forwarded-For that is not a trusted proxy (addresses left of it were written by the client
    itself, so they prove nothing)."""
    peer = request.remote or "unknown"
    if not trusted or not _within(peer, trusted):
        return peer
    hops = [hop.strip() for header in request.headers.getall("X-Forwarded-For", [])
            for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _within(hop, trusted):
            return hop
    return hops[0] if hops else peer


def is_https(request: web.Request) -> bool:
    # Behind a TLS-terminating proxy the request arrives over plain HTTP with X-Forwarded-Proto.
    forwarded = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
    return request.secure or forwarded == "https"


def set_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="Strict",
                        secure=is_https(request))


def clear_cookie(response: web.StreamResponse, request: web.Request, name: str) -> None:
    response.del_cookie(name, path="/", secure=is_https(request), httponly=True, samesite="Strict")
