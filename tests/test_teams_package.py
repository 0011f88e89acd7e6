"""The Teams app package: a valid manifest, the right icons, and `dx10 teams-package`."""

from __future__ import annotations

import json
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from bot.catalog import t
from bot.core import Assistant
from bot.events import Incoming
from conftest import ROOT, run_dx10

DEPLOY = ROOT / "deploy" / "teams"
APP_ID = "1b2c3d4e-0000-4000-8000-00000000abcd"


def _manifest() -> dict:
    return json.loads((DEPLOY / "manifest.json").read_text(encoding="utf-8"))


def _png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and RGBA rows of an 8-bit RGBA PNG, read straight from its chunks."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, color_type = struct.unpack(">IIBB", data[16:26])
    assert data[12:16] == b"IHDR" and (depth, color_type) == (8, 6)
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * 4, [], bytearray(width * 4)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - 4] if x >= 4 else 0
            up, corner = prev[x], (prev[x - 4] if x >= 4 else 0)
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows


def test_manifest_has_the_required_fields() -> None:
    m = _manifest()
    assert m["$schema"] == "https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json"
    assert m["manifestVersion"] == "1.17" and re.fullmatch(r"\d+\.\d+\.\d+", m["version"])
    for key in ("id", "developer", "name", "description", "icons", "accentColor", "bots"):
        assert key in m, key
    for key in ("name", "websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert m["developer"][key], key
    assert all(m["developer"][k].startswith("https://") for k in ("websiteUrl", "privacyUrl", "termsOfUseUrl"))
    assert 0 < len(m["name"]["short"]) <= 30 and len(m["name"]["full"]) <= 100
    assert 0 < len(m["description"]["short"]) <= 80 and 0 < len(m["description"]["full"]) <= 4000
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", m["accentColor"])
    assert m["icons"] == {"color": "color.png", "outline": "outline.png"}
    [bot] = m["bots"]
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert bot["commandLists"] and len(bot["commandLists"]) <= 3
    for command_list in bot["commandLists"]:
        assert set(command_list["scopes"]) <= {"personal", "team", "groupChat"}
        assert 0 < len(command_list["commands"]) <= 10
        for command in command_list["commands"]:
            assert 0 < len(command["title"]) <= 32 and 0 < len(command["description"]) <= 128


async def test_every_manifest_command_is_understood(assistant: Assistant) -> None:
    """Teams offers these in the compose box: each must get a real answer, not "did you mean"."""
    for command in _manifest()["bots"][0]["commandLists"][0]["commands"]:
        title = command["title"]
        [reply] = await assistant.handle(Incoming("teams", "u", "c", text=title))
        if title.startswith("lang "):
            assert reply.fallback == t("lang.set", title.split()[1]), title
            continue
        [row] = assistant.store.db.query("select answered from interactions where text = ?", [title])
        assert row["answered"] == 1, title


def test_icons_have_the_sizes_teams_requires() -> None:
    width, height, rows = _png(DEPLOY / "color.png")
    assert (width, height) == (192, 192)
    assert all(row[x + 3] == 255 for row in rows for x in range(0, len(row), 4))  # opaque
    width, height, rows = _png(DEPLOY / "outline.png")
    assert (width, height) == (32, 32)
    pixels = [row[x:x + 4] for row in rows for x in range(0, len(row), 4)]
    # White on transparent: every visible pixel is white, and there is a mark and a background.
    assert all(p[:3] == b"\xff\xff\xff" for p in pixels if p[3])
    assert any(p[3] == 255 for p in pixels) and any(p[3] == 0 for p in pixels)


def test_teams_package_fills_the_ids_and_writes_the_zip(tmp_path: Path) -> None:
    out = tmp_path / "dx10-teams.zip"
    result = run_dx10("teams-package", "--app-id", APP_ID, "--out", str(out))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.read("color.png") == (DEPLOY / "color.png").read_bytes()
    assert manifest["id"] == APP_ID and [b["botId"] for b in manifest["bots"]] == [APP_ID]
    assert {k: v for k, v in manifest.items() if k not in ("id", "bots")} == {
        k: v for k, v in _manifest().items() if k not in ("id", "bots")}


def test_teams_package_with_a_separate_teams_app_id(tmp_path: Path) -> None:
    out = tmp_path / "p.zip"
    other = "2b2c3d4e-0000-4000-8000-00000000abcd"
    assert run_dx10("teams-package", "--app-id", APP_ID, "--teams-app-id", other, "--out", str(out)).returncode == 0
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["id"] == other and manifest["bots"][0]["botId"] == APP_ID


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--app-id", "my-bot"], "--app-id must be a GUID"),
        (["--app-id", APP_ID, "--from", "/nonexistent"], "manifest.json: not found"),
    ],
)
def test_teams_package_errors_are_one_line(tmp_path: Path, args: list[str], says: str) -> None:
    result = run_dx10("teams-package", *args, "--out", str(tmp_path / "x.zip"))
    err = result.stderr.decode().strip()
    assert result.returncode == 2 and says in err and len(err.splitlines()) == 1
    assert not (tmp_path / "x.zip").exists()


def test_a_manifest_still_pointing_at_example_com_builds_with_a_note(tmp_path: Path) -> None:
    result = run_dx10("teams-package", "--app-id", APP_ID, "--out", str(tmp_path / "a.zip"))
    assert result.returncode == 0 and (tmp_path / "a.zip").is_file()
    assert result.stderr.decode() == (
        f"dx10: note: {DEPLOY / 'manifest.json'} still has example.com in developer websiteUrl, privacyUrl, "
        "termsOfUseUrl: Teams shows these to users; fill them in and build again before publishing\n")
    # The README's way outside a checkout: a copy of deploy/teams, filled in, passed with --from.
    copy = tmp_path / "teams"
    shutil.copytree(DEPLOY, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["developer"].update(websiteUrl="https://www.digitalservice.metro.tokyo.lg.jp/dx10",
                                 privacyUrl="https://www.digitalservice.metro.tokyo.lg.jp/dx10/privacy",
                                 termsOfUseUrl="https://www.digitalservice.metro.tokyo.lg.jp/dx10/terms")
    (copy / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    result = run_dx10("teams-package", "--app-id", APP_ID, "--from", str(copy), "--out", str(tmp_path / "b.zip"))
    assert result.returncode == 0 and result.stderr == b""
    with zipfile.ZipFile(tmp_path / "b.zip") as zf:
        assert json.loads(zf.read("manifest.json"))["developer"]["privacyUrl"].endswith("/dx10/privacy")
