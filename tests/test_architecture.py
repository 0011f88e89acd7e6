"""The core stays platform-neutral: nothing in bot/ or knowledge/ imports an adapter."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_never_imports_adapters() -> None:
    offenders = []
    for folder in ("bot", "knowledge"):
        for file in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [f"{file.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in ("adapters", "slack_bolt", "botbuilder")]
    assert offenders == []
