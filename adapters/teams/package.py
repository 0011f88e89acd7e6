"""The Teams app package: deploy/teams/manifest.json with the ids filled in, zipped with its icons."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from bot.errors import UserError

DEPLOY_DIR = Path(__file__).resolve().parents[2] / "deploy" / "teams"
ICONS = ("color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class PackageError(UserError):
    """A problem the operator can fix, said in one line."""


def fill(manifest: dict[str, Any], app_id: str, teams_app_id: str | None = None) -> dict[str, Any]:
    """The manifest for one Azure Bot: its app id as botId (and, by default, as the Teams app id)."""
    for name, value in (("--app-id", app_id), ("--teams-app-id", teams_app_id)):
        if value is not None and not _GUID.match(value):
            raise PackageError(f"{name} must be a GUID like 1b2c3d4e-0000-0000-0000-000000000000 (got {value!r})")
    filled = json.loads(json.dumps(manifest))  # a deep copy that stays plain JSON
    filled["id"] = teams_app_id or app_id
    for bot in filled.get("bots", []):
        bot["botId"] = app_id
    return filled


def placeholders(source: Path = DEPLOY_DIR) -> list[str]:
    """The developer fields of the manifest in `source` still pointing at example.com."""
    developer = json.loads((source / "manifest.json").read_text(encoding="utf-8")).get("developer") or {}
    return [key for key, value in developer.items() if isinstance(value, str) and "example.com" in value]


def build(app_id: str, out: Path, *, teams_app_id: str | None = None, source: Path = DEPLOY_DIR) -> Path:
    manifest_file = source / "manifest.json"
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackageError(f"{manifest_file}: not found; pass --from DIR, a copy of deploy/teams from the dx10 source "
                           "with its developer block filled in (in the container image: /app/deploy/teams)") from None
    except json.JSONDecodeError as exc:
        raise PackageError(f"{manifest_file}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    missing = [icon for icon in ICONS if not (source / icon).is_file()]
    if missing:
        raise PackageError(f"{source}: missing {', '.join(missing)}")
    filled = fill(manifest, app_id, teams_app_id)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Teams wants the three files at the root of the zip, not inside a folder.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(filled, ensure_ascii=False, indent=2) + "\n")
        for icon in ICONS:
            zf.write(source / icon, icon)
    return out
