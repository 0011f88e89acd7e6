"""Teams settings: mounted only when configured, loud when unauthenticated, one line when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import UserError
from adapters.teams.settings import SdkConfig, TeamsSettings, load
from conftest import run_dx10

APP_ID = "00000000-0000-0000-0000-0000000000b0"
TENANT = "00000000-0000-0000-0000-00000000000a"
# run_dx10 starts from os.environ: blank every platform variable so only the test's settings count.
NO_PLATFORM = {name: "" for name in (
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD",
    "MICROSOFT_APP_TENANT_ID", "MICROSOFT_APP_TYPE", "TEAMS_ALLOW_UNAUTHENTICATED",
)}


def test_not_configured_means_not_mounted() -> None:
    assert load({}) is None
    assert load({"MICROSOFT_APP_ID": "", "TEAMS_ALLOW_UNAUTHENTICATED": "0"}) is None


def test_single_tenant_is_the_default() -> None:
    settings = load({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s", "MICROSOFT_APP_TENANT_ID": TENANT})
    assert settings == TeamsSettings(APP_ID, "s", TENANT, "SingleTenant") and settings.authenticated
    config = SdkConfig(settings)
    assert (config.APP_ID, config.APP_PASSWORD, config.APP_TENANTID, config.APP_TYPE) == (APP_ID, "s", TENANT, "SingleTenant")


def test_multi_tenant_and_managed_identity() -> None:
    multi = load({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s", "MICROSOFT_APP_TYPE": "multitenant"})
    assert multi is not None and multi.app_type == "MultiTenant"
    msi = load({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_TENANT_ID": TENANT, "MICROSOFT_APP_TYPE": "UserAssignedMSI"})
    assert msi is not None and msi.app_type == "UserAssignedMSI"


def test_unauthenticated_local_mode() -> None:
    settings = load({"TEAMS_ALLOW_UNAUTHENTICATED": "1"})
    assert settings is not None and not settings.authenticated
    assert SdkConfig(settings).APP_TYPE == "MultiTenant"  # the SDK's only auth-disabled path


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s", "MICROSOFT_APP_TENANT_ID": TENANT,
          "TEAMS_ALLOW_UNAUTHENTICATED": "1"}, "contradict"),
        ({"TEAMS_ALLOW_UNAUTHENTICATED": "maybe"}, "must be on or off"),
        ({"MICROSOFT_APP_PASSWORD": "s"}, "MICROSOFT_APP_PASSWORD is set but MICROSOFT_APP_ID is not"),
        ({"MICROSOFT_APP_ID": "my-bot"}, "GUID"),
        ({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s"},
         "MICROSOFT_APP_TYPE=SingleTenant (the default) needs MICROSOFT_APP_TENANT_ID"),
        ({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_TENANT_ID": TENANT}, "needs MICROSOFT_APP_PASSWORD"),
        ({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_TYPE": "Anonymous"}, "must be SingleTenant, MultiTenant or"),
        ({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s", "MICROSOFT_APP_TENANT_ID": TENANT,
          "MICROSOFT_APP_TYPE": "UserAssignedMSI"}, "unset MICROSOFT_APP_PASSWORD"),
    ],
)
def test_wrong_settings_are_one_clear_line(env: dict[str, str], says: str) -> None:
    with pytest.raises(UserError) as error:  # `dx10 serve` prints it as one line, exit 2
        load(env)
    assert says in str(error.value) and "\n" not in str(error.value)


def test_serve_refuses_to_start_without_any_platform(tmp_path: Path) -> None:
    result = run_dx10("serve", "--port", "0", "--db", str(tmp_path / "x.db"), env=NO_PLATFORM)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dx10: no chat platform is configured")
    assert "MICROSOFT_APP_ID" in lines[0] and "Traceback" not in lines[0]


def test_serve_refuses_contradictory_teams_settings_in_one_line(tmp_path: Path) -> None:
    env = {**NO_PLATFORM, "MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "s",
           "MICROSOFT_APP_TENANT_ID": TENANT, "TEAMS_ALLOW_UNAUTHENTICATED": "1"}
    result = run_dx10("serve", "--port", "0", "--db", str(tmp_path / "x.db"), env=env)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "TEAMS_ALLOW_UNAUTHENTICATED" in lines[0] and "MICROSOFT_APP_ID" in lines[0]
