"""The deployment files say what the README promises, and the README's configuration table
names every environment variable the code reads."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def code_env_vars() -> set[str]:
    # Every quoted name in dx10's own prefixes: settings are read through several small helpers
    # (env.get, _get(env, …), number(…)), so the quotes are what they have in common.
    names: set[str] = set()
    pattern = re.compile(r"""["']((?:DX10|SLACK|MICROSOFT)_[A-Z0-9_]+|TEAMS_ALLOW_UNAUTHENTICATED)["']""")
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("adapters/**/*.py"), *ROOT.glob("knowledge/**/*.py")]:
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_readme_configuration_table_lists_every_variable_the_code_reads() -> None:
    found = code_env_vars()
    assert {"DX10_DB", "DX10_SECRET", "SLACK_BOT_TOKEN", "MICROSOFT_APP_ID"} <= found  # the scan works
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Configuration"):]
    assert not [name for name in found if f"| `{name}` |" not in table]


def test_the_dockerfile_is_slim_non_root_with_a_healthcheck_and_a_data_volume() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    # Slim by default; an internal registry's copy can stand in (--build-arg BASE_IMAGE=...).
    assert re.search(r"^ARG BASE_IMAGE=python:3\.1\d-slim$", text, re.M) and re.search(r"^FROM \$\{BASE_IMAGE\}$", text, re.M)
    users = re.findall(r"^USER (\S+)$", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert 'VOLUME ["/data"]' in text and "DX10_DB=/data/dx10.db" in text
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "*.db", ".git"} <= set(ignored)  # no local store or secrets baked into the image


def test_compose_keeps_the_store_on_a_volume_and_the_port_on_loopback() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    service = compose["services"]["dx10"]
    assert service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert "dx10-data:/data" in service["volumes"] and "dx10-data" in compose["volumes"]
    assert all(port.startswith("127.0.0.1:") for port in service["ports"])
    assert service["read_only"] is True and service["env_file"] == "dx10.env"
    example = (DEPLOY / "dx10.env.example").read_text(encoding="utf-8")
    assert "DX10_SECRET=" in example and "DX10_DASHBOARD_TOKEN=" in example


def test_the_systemd_unit_runs_dx10_serve_as_its_own_user() -> None:
    unit = (DEPLOY / "dx10.service").read_text(encoding="utf-8")
    assert re.search(r"^User=dx10$", unit, re.M) and re.search(r"^ExecStart=\S+/dx10 serve ", unit, re.M)
    assert "EnvironmentFile=/etc/dx10/dx10.env" in unit and "StateDirectory=dx10" in unit
    backup = (DEPLOY / "dx10-backup.service").read_text(encoding="utf-8")
    assert "dx10 backup" in backup and "OnCalendar=" in (DEPLOY / "dx10-backup.timer").read_text(encoding="utf-8")
