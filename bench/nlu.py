"""Matcher latency (p50/p99 per classification) and `dx10 classify` start-up time.

Targets: p99 < 2 ms per classification, < 1 s to classify one line from a cold start.
Run: .venv/bin/python bench/nlu.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.matcher import Matcher
from knowledge.loader import load_kb

QUESTIONS = [
    "第3条のはじめの第一歩は？", "KPIs for principle 5", "アジャイル型開発の推進部署はどこ", "NPSとは",
    "誰ひとり取り残されないようにしようとは", "10か条の一覧", "quiz me", "今日の天気は？",
    "How do I get started with co-creation?", "セキュリティの運用段階でやること", "ｵｰﾌﾟﾝﾃﾞｰﾀの意味",
    "第十条の目標設定の視点", "which department leads the hackathon?", "こんにちは",
    "データ活用の方向性について詳しく知りたいのですが、どこから読めばいいでしょうか" * 3,
]


def main() -> None:
    matcher = Matcher(load_kb())
    for q in QUESTIONS:  # warm-up
        matcher.classify(q)
    samples = []
    for _ in range(300):
        for q in QUESTIONS:
            start = time.perf_counter()
            matcher.classify(q)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p50 = statistics.median(samples)
    p99 = samples[int(len(samples) * 0.99)]
    print(f"classify: n={len(samples)} p50={p50:.3f} ms p99={p99:.3f} ms (target p99 < 2 ms)")

    exe = Path(sys.executable).with_name("dx10")
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        out = subprocess.run([str(exe), "classify"], input=json.dumps({"text": "第3条のKPI"}).encode(),
                             capture_output=True, check=True)
        runs.append(time.perf_counter() - start)
        assert json.loads(out.stdout)["principle"] == 3
    print(f"dx10 classify start-up, one line: median={statistics.median(runs):.3f} s (target < 1 s)")


if __name__ == "__main__":
    main()
