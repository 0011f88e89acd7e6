"""With MICROSOFT_APP_ID set, /api/messages fails closed: no valid token, 401, and no internet."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest

from adapters.serve import build_app
from bot.core import Assistant
from fakes.teams_connector import FakeConnector, no_internet, serving

APP_ID = "00000000-0000-0000-0000-0000000000b0"
AUTHENTICATED = {
    "MICROSOFT_APP_ID": APP_ID,
    "MICROSOFT_APP_PASSWORD": "not-a-real-secret",
    "MICROSOFT_APP_TENANT_ID": "00000000-0000-0000-0000-00000000000a",
}


def _unsigned_jwt(claims: dict[str, object]) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT', 'kid': 'k1'})}.{part(claims)}.c2lnbmF0dXJl"


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with FakeConnector() as fake:
        yield fake


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer not-a-jwt",
        "Basic dXNlcjpwYXNz",
        # Well-formed but from an issuer Bot Framework never uses: refused before any key lookup.
        "Bearer " + _unsigned_jwt({"iss": "https://attacker.example", "aud": APP_ID, "serviceurl": "x"}),
    ],
)
async def test_no_valid_token_is_401_without_touching_the_network(
    assistant: Assistant, connector: FakeConnector, authorization: str | None
) -> None:
    app = build_app(assistant, AUTHENTICATED)
    headers = {"Authorization": authorization} if authorization is not None else {}
    with no_internet() as refused:
        async with serving(app) as url, aiohttp.ClientSession() as http:
            for activity in (connector.message("10か条の一覧"), connector.activity("somethingNew")):
                started = time.monotonic()
                async with http.post(url + "/api/messages", json=activity, headers=headers) as response:
                    assert response.status == 401
                    assert "error" in await response.json()
                assert time.monotonic() - started < 2.0  # refused at once, not after a network timeout
    assert refused == []  # no DNS lookup, no connection beyond loopback was even attempted
    assert connector.calls == []  # and nothing was sent to the conversation
    assert assistant.store.conversation("teams", "a:personal-1") is None


async def test_authenticated_mode_has_no_warning(assistant: Assistant) -> None:
    # A production setup sets DX10_SECRET too (without it /healthz warns about the user-hash key).
    app = build_app(assistant, {**AUTHENTICATED, "DX10_SECRET": "production-secret"})
    with no_internet() as refused:
        async with serving(app) as url, aiohttp.ClientSession() as http:
            async with http.get(url + "/healthz") as response:
                body = await response.json()
    assert body["adapters"] == ["teams"] and body["warnings"] == []
    assert refused == []


async def test_a_token_that_needs_key_lookup_fails_closed_when_keys_are_unreachable(
    assistant: Assistant, connector: FakeConnector
) -> None:
    # A token from the real Bot Framework issuer makes the SDK fetch signing keys. Here the network
    # guard refuses that lookup at once: the request must still be a 401, never a turn.
    token = _unsigned_jwt({"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": connector.url})
    app = build_app(assistant, AUTHENTICATED)
    with no_internet() as refused:
        async with serving(app) as url, aiohttp.ClientSession() as http:
            started = time.monotonic()
            async with http.post(url + "/api/messages", json=connector.message("10か条の一覧"),
                                 headers={"Authorization": f"Bearer {token}"}) as response:
                assert response.status == 401
            assert time.monotonic() - started < 5.0
    assert refused and all("botframework.com" in r or "microsoftonline" in r for r in refused)
    assert connector.calls == []


def test_the_network_guard_refuses_non_loopback_addresses() -> None:
    import socket

    with no_internet() as refused:
        with pytest.raises(OSError, match="network guard"):
            socket.getaddrinfo("login.microsoftonline.com", 443)
        socket.getaddrinfo("127.0.0.1", 80)
    assert refused == ["socket.getaddrinfo login.microsoftonline.com"]
