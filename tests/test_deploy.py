"""The deployment files say what the README promises, and the README's configuration table
names every environment variable the code reads."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import time
from pathlib import Path

import yaml

from conftest import run_dx10

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


def unit_values(text: str, key: str) -> list[str]:
    return [line.split("=", 1)[1] for line in text.splitlines() if line.startswith(f"{key}=")]


def install_steps() -> list[str]:
    """The commands the comments at the top of dx10.service tell the operator to run, in order."""
    unit = (DEPLOY / "dx10.service").read_text(encoding="utf-8")
    steps = []
    for line in unit.splitlines():
        if not line.startswith("#   "):
            continue
        steps.append(line[4:].split("   (")[0].strip())  # "   (then fill it in)" is a remark
    return steps


def test_the_install_steps_for_the_settings_file_work_as_written(tmp_path: Path) -> None:
    # They failed on a fresh host: `install … /etc/dx10/dx10.env` needs /etc/dx10 to exist first.
    etc = [step for step in install_steps() if "/etc/dx10" in step]
    assert etc, install_steps()
    script = " && ".join(step.replace("/etc/dx10", str(tmp_path / "etc" / "dx10")) for step in etc)
    if os.geteuid() != 0:
        script = script.replace(" -o root", "")  # only root can hand a file to root
    result = subprocess.run(["sh", "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    settings = tmp_path / "etc" / "dx10" / "dx10.env"
    assert settings.read_text(encoding="utf-8") == (DEPLOY / "dx10.env.example").read_text(encoding="utf-8")
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600


def test_the_install_steps_enable_the_daily_backup_too() -> None:
    steps = install_steps()
    copied = next(step for step in steps if step.startswith("cp ") and "/etc/systemd/system/" in step)
    units = {Path(word).name for word in copied.split()[1:-1]}
    assert units == {"dx10.service", "dx10-backup.service", "dx10-backup.timer"}
    assert all((DEPLOY / unit).is_file() for unit in units)
    enabled = next(step for step in steps if "systemctl enable" in step)
    assert "dx10-backup.timer" in enabled.split() and "dx10" in enabled.split()
    timer = (DEPLOY / "dx10-backup.timer").read_text(encoding="utf-8")
    assert unit_values(timer, "WantedBy") == ["timers.target"]  # so `enable` makes it start at boot


def test_a_configuration_error_is_not_restarted_for_ever(tmp_path: Path) -> None:
    # dx10 exits 2 when a setting is wrong; Restart=on-failure every 5 s never reached systemd's
    # start limit, so it looped. Exit 2 now ends it, and the unit shows as failed.
    unit = (DEPLOY / "dx10.service").read_text(encoding="utf-8")
    assert unit_values(unit, "Restart") == ["on-failure"]
    assert "2" in " ".join(unit_values(unit, "RestartPreventExitStatus")).split()
    result = run_dx10("serve", "--port", "0", "--db", str(tmp_path / "x.db"), env={"SLACK_BOT_TOKEN": "", "MICROSOFT_APP_ID": "",
                                                   "TEAMS_ALLOW_UNAUTHENTICATED": "", "SLACK_APP_TOKEN": "",
                                                   "SLACK_SIGNING_SECRET": ""})
    assert result.returncode == 2  # what the unit's RestartPreventExitStatus relies on


def test_the_backup_unit_keeps_14_days_and_is_hardened_like_the_service(tmp_path: Path) -> None:
    backup = (DEPLOY / "dx10-backup.service").read_text(encoding="utf-8")
    [prune] = unit_values(backup, "ExecStartPost")
    folder = tmp_path / "backups"
    folder.mkdir()
    now = time.time()
    for age in range(20):  # one backup a day, the newest taken just now
        path = folder / f"dx10-day{age:02d}.db"
        path.write_bytes(b"")
        os.utime(path, (now - age * 86400 - 60, now - age * 86400 - 60))
    subprocess.run(shlex.split(prune.replace("/var/lib/dx10/backups", str(folder))), check=True)
    assert sorted(p.name for p in folder.iterdir()) == [f"dx10-day{age:02d}.db" for age in range(14)]
    service = (DEPLOY / "dx10.service").read_text(encoding="utf-8")
    for key in ("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices", "ReadWritePaths"):
        assert unit_values(backup, key) == unit_values(service, key), key
    assert unit_values(backup, "ExecStart") == ["/opt/dx10/.venv/bin/dx10 backup /var/lib/dx10/backups/"]


def test_the_settings_file_with_tokens_stays_out_of_git_and_the_image() -> None:
    ignored = subprocess.run(["git", "check-ignore", "--quiet", "deploy/dx10.env"], cwd=ROOT)
    assert ignored.returncode == 0
    assert "deploy/dx10.env" in (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert subprocess.run(["git", "check-ignore", "--quiet", "deploy/dx10.env.example"], cwd=ROOT).returncode == 1
