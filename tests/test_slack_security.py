"""Requests Slack did not sign, bodies nobody can parse, and settings that must stop `dx10 serve`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from adapters.serve import STATUS, ConfigError, build_app
from bot.core import Assistant

from conftest import run_dx10
from fakes.slack_api import FakeSlack
from fakes.slack_client import SECRET, Dx10, dm, event_callback, sign
from fakes.slack_client import dx10, fake  # noqa: F401  (pytest fixtures)

BODY = json.dumps(event_callback(dm("第1条"))).encode()


async def test_wrong_signature_is_401_and_nothing_happens(dx10: Dx10, fake: FakeSlack) -> None:
    forged = sign(BODY, secret="not-the-secret")
    assert (await dx10.post(BODY, "application/json", forged))[0] == 401
    tampered = sign(BODY)
    assert (await dx10.post(BODY.replace(b'"D1"', b'"D2"'), "application/json", tampered))[0] == 401
    assert (await dx10.post(BODY, "application/json"))[0] == 401  # no signature headers at all
    assert [c.method for c in fake.calls] == ["auth.test"]  # only the start-up token check


async def test_stale_timestamp_is_401_even_when_correctly_signed(dx10: Dx10, fake: FakeSlack) -> None:
    assert (await dx10.signed(BODY, "application/json", timestamp=int(time.time()) - 6 * 60))[0] == 401
    assert (await dx10.signed(BODY, "application/json", timestamp=int(time.time()) + 6 * 60))[0] == 401
    assert [c.method for c in fake.calls] == ["auth.test"]  # only the start-up token check


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type": "event_callback", "event": ', "application/json"),
        (b"\xff\xfe{}", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'{"type": "event_callback", "event": "not an object"}', "application/json"),
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
    ],
    ids=["truncated-json", "not-utf8", "json-array", "event-not-object", "bad-payload-form"],
)
async def test_malformed_body_is_400_when_signed_and_401_when_not(
    dx10: Dx10, fake: FakeSlack, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    assert (await dx10.signed(body, content_type))[0] == 400
    assert (await dx10.post(body, content_type))[0] == 401
    assert [c.method for c in fake.calls] == ["auth.test"]  # only the start-up token check
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxp-user-token", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "slack.example"}, "SLACK_API_URL"),
    ],
)
def test_contradictory_settings_fail_with_one_line_naming_the_variable(assistant: Assistant, env: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError) as raised:
        build_app(assistant, env)
    message = str(raised.value)
    assert names in message and "\n" not in message


def test_dx10_serve_refuses_to_start_half_configured(tmp_path: Path) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "", "SLACK_APP_TOKEN": "", "DX10_DB": str(tmp_path / "x.db")}
    result = run_dx10("serve", "--port", "0", env=env)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert err.startswith("dx10: SLACK_SIGNING_SECRET") and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_socket_mode_needs_no_signing_secret_and_says_the_secret_is_unused(assistant: Assistant) -> None:
    app = build_app(assistant, {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1-A"})
    assert "/slack/events" not in [r.resource.canonical for r in app.router.routes()]  # nothing unauthenticated
    both = build_app(assistant, {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1-A", "SLACK_SIGNING_SECRET": SECRET})
    assert any("SLACK_SIGNING_SECRET is unused" in w for w in both[STATUS]["warnings"])
