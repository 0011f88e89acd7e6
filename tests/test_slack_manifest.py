"""The app manifests grant exactly what the code uses: every event, the command, and each scope."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.slack.app import BOT_EVENTS, COMMAND, PATH, SCOPES

ROOT = Path(__file__).resolve().parents[1]
CODE = sorted((ROOT / "adapters" / "slack").glob("*.py"))
# Slack's documented requirements for what the code touches. A new call or event that is not
# listed here fails the test, so the manifests cannot silently fall behind the code.
EVENT_SCOPES = {"app_mention": "app_mentions:read", "message.im": "im:history", "app_home_opened": None}
METHOD_SCOPES = {
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write",
    "conversations_open": "im:write",
    "conversations_info": "channels:read",  # nudges: a channel's creator may subscribe it
    "conversations_history": "im:history",  # nudges: was a tip delivered before a crash (DMs; channels need channels:history)
    "views_publish": None,
    "auth_test": None,
}


def _calls() -> tuple[set[str], set[str], set[str]]:
    """(events, commands, Web API methods) as registered/called in adapters/slack."""
    events, commands, methods = set(), set(), set()
    for file in CODE:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            arg = node.args[0] if node.args else None
            if owner_name == "bolt" and node.func.attr == "event" and isinstance(arg, ast.Constant):
                # The "message" listener answers DMs only (channel_type "im"): the message.im subscription.
                events.add("message.im" if arg.value == "message" else arg.value)
            if owner_name == "bolt" and node.func.attr == "command":
                commands.add(COMMAND if isinstance(arg, ast.Name) and arg.id == "COMMAND" else getattr(arg, "value", "?"))
            if owner_name == "client":
                methods.add(node.func.attr)
    return events, commands, methods


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "deploy" / "slack" / name).read_text(encoding="utf-8"))


def test_code_constants_match_what_the_code_registers_and_calls() -> None:
    events, commands, methods = _calls()
    assert events == set(BOT_EVENTS)
    assert commands == {COMMAND}
    unknown = methods - METHOD_SCOPES.keys()
    assert not unknown, f"add the scope these need to METHOD_SCOPES and the manifests: {unknown}"
    needed = {EVENT_SCOPES[e] for e in events} | {METHOD_SCOPES[m] for m in methods} | {"commands"}
    assert needed - {None} == set(SCOPES)


@pytest.mark.parametrize("name", ["manifest.yaml", "manifest.socket.yaml"])
def test_manifest_names_every_event_command_and_scope(name: str) -> None:
    manifest = _load(name)
    settings, features = manifest["settings"], manifest["features"]
    assert set(settings["event_subscriptions"]["bot_events"]) == set(BOT_EVENTS)
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(SCOPES)  # everything needed, nothing more
    assert features["bot_user"]["display_name"]
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert settings["interactivity"]["is_enabled"]


def test_http_manifest_points_everything_at_the_one_endpoint() -> None:
    manifest = _load("manifest.yaml")
    settings = manifest["settings"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            *(c["url"] for c in manifest["features"]["slash_commands"])]
    assert all(u.startswith("https://") and u.endswith(PATH) for u in urls)
    assert settings["socket_mode_enabled"] is False


def test_socket_manifest_needs_no_public_url() -> None:
    manifest = _load("manifest.socket.yaml")
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["event_subscriptions"]
    assert "request_url" not in manifest["settings"]["interactivity"]
    assert all("url" not in c for c in manifest["features"]["slash_commands"])
