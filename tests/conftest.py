from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core import Assistant
from bot.store import Store
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


def run_dx10(*args: str, input: bytes | str | None = None, env: dict[str, str] | None = None,
             cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the installed console script exactly as a user would."""
    exe = Path(sys.executable).with_name("dx10")
    data = input.encode("utf-8") if isinstance(input, str) else input
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([str(exe), *args], input=data, capture_output=True, env=full_env,
                          cwd=cwd or ROOT, timeout=60)
