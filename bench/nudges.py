"""Nudge fan-out: 10 000 subscriptions delivered against a rate-limited fake Slack Web API.

The fake Slack (tests/fakes/slack_api.py) runs in this process and refuses chat.postMessage
beyond `--limit` per second with 429 + Retry-After, as Slack does. The fan-out is the real
command, `dx10 nudges run-due`, in its own process, with DX10_SLACK_RATE set to the limit.

Reported: delivered/s against the limit (goal >= 90%), 429s received (goal: no storm), peak
memory of the run-due process, duplicates and losses (goal 0 and 0).
Run: .venv/bin/python bench/nudges.py [--subscriptions 10000] [--limit 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakes.slack_api import FakeSlack  # noqa: E402

from bot.nudges.schedule import Schedule  # noqa: E402
from bot.store import Store, now_iso  # noqa: E402


def make_db(path: Path, count: int) -> list[str]:
    store = Store(path)
    stamp = now_iso()
    channels = [f"D{i:06d}" for i in range(count)]
    store.db["nudge_subscriptions"].insert_all(
        ({"platform": "slack", "conversation": c, "user_id": "U" + c[1:], "kind": "user", "schedule": "daily 09:00",
          "tz": "Asia/Tokyo", "lang": "ja" if i % 2 else "en", "active": 1, "cursor": 0, "since": stamp, "created_at": stamp,
          "updated_at": stamp} for i, c in enumerate(channels)),
        batch_size=1000,
    )
    store.close()
    return channels


async def main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        channels = make_db(db, args.subscriptions)
        slot = Schedule.parse("daily 09:00").next_slot(datetime.now(UTC), "Asia/Tokyo")
        assert slot is not None
        async with FakeSlack() as fake:
            fake.rate_limit(args.limit, burst=max(1.0, args.limit / 10))
            env = {**os.environ, "DX10_DB": str(db), "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "bench",
                   "SLACK_API_URL": fake.url, "DX10_SLACK_RATE": str(args.limit)}
            exe = Path(sys.executable).with_name("dx10")
            started = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                str(exe), "nudges", "run-due", "--at", (slot + timedelta(minutes=1)).isoformat(),
                env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            out, err = await proc.communicate()
            wall = time.monotonic() - started
            if proc.returncode != 0:
                print(err.decode(), file=sys.stderr)
                return 1
            summary = json.loads(out)
            posted = Counter(p["channel"] for p in fake.posted)
            times = [c.at for c in fake.calls_to("chat.postMessage")]
    span = (max(times) - min(times)) if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span else 0.0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    duplicates = sum(n - 1 for n in posted.values() if n > 1)
    losses = sum(1 for c in channels if c not in posted)
    print(f"subscriptions: {args.subscriptions}, Slack limit: {args.limit}/s (429 beyond it)")
    print(f"run-due summary: {summary['sent']} sent, {summary['failed']} failed, {summary['skipped']} skipped "
          f"of {summary['due']} due; wall {wall:.1f} s including start-up")
    print(f"delivered/s (first to last accepted post): {rate:.1f} = {100 * rate / args.limit:.1f}% of the limit (goal >= 90%)")
    print(f"429s received: {fake.limited}")
    print(f"peak memory of run-due: {peak_mb:.0f} MB")
    print(f"duplicates: {duplicates}, losses: {losses} (goal 0 and 0)")
    ok = rate >= 0.9 * args.limit and duplicates == 0 and losses == 0
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=200.0, help="the fake Slack's chat.postMessage limit per second")
    sys.exit(asyncio.run(main(parser.parse_args())))
