from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from bot.core import Assistant
from bot.store import MIGRATIONS, Store
from knowledge.loader import load_kb
from knowledge.schema import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "dx10.db")
    yield s
    s.close()


@pytest.fixture
def assistant(kb: KnowledgeBase, store: Store) -> Assistant:
    return Assistant(kb, store)


DX10 = Path(sys.executable).with_name("dx10")  # the installed console script


def start_dx10(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start the console script in the background (e.g. `dx10 serve`) with exactly `env`."""
    return subprocess.Popen([str(DX10), *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_dx10(*args: str, input: bytes | str | None = None, env: dict[str, str] | None = None,
             cwd: Path | None = None, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess[bytes]:
    """Run the installed console script exactly as a user would (`prefix`: a command that runs it)."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*prefix, str(DX10), *args], input=data, capture_output=True, env=full_env,
                          cwd=cwd or ROOT, timeout=60)


def legacy_store(path: Path, before: str) -> sqlite_utils.Database:
    """A store as an older dx10 left it: every migration up to (not including) `before`."""
    db = sqlite_utils.Database(path)
    db["migrations"].create({"name": str, "applied_at": str}, pk="name")
    for name, fn in sorted(MIGRATIONS, key=lambda m: m[0]):
        if name >= before:
            break
        fn(db)
        db["migrations"].insert({"name": name, "applied_at": "2026-01-01T00:00:00+00:00"})
    return db


_READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'


def run_dx10_read_only(folder: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run dx10 while `folder` cannot be written, as an operator meets it: a folder without write
    permission, or, for root (whom permissions do not stop), a read-only mount in a private mount
    namespace that only this one command sees."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            return run_dx10(*args, env=env)
        finally:
            folder.chmod(0o755)
    if not shutil.which("unshare") or subprocess.run(["unshare", "-m", "--propagation", "private", "true"],
                                                     capture_output=True).returncode != 0:
        pytest.skip("running as root without a private mount namespace: no way to make a folder read-only")
    return run_dx10(*args, env=env, prefix=("unshare", "-m", "--propagation", "private", "sh", "-c", _READ_ONLY_MOUNT,
                                            "sh", str(folder)))
