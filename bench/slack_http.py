"""Slack HTTP throughput: dx10 vs a bare Bolt AsyncApp that only acks and posts "ok".

Both servers run as their own processes on loopback and post to the same fake Slack Web API
(tests/fakes/slack_api.py) in this process, which also drives the load: signed `app_mention`
events from concurrent clients, each to its own channel so every reply can be matched to its
event. Reported per server: requests/s (events fully handled: acked AND answered via
chat.postMessage or chat.postEphemeral), p50/p99 of the HTTP ack, p50/p99 from event sent to
answer received, and the CPU time per event of the server process and of this driver process
(clients + fake API). On a
shared 2-core machine req/s moves with whatever else runs; CPU per event barely does, so it
tells which side is the bottleneck and how much work each server really does per event.

A third, diagnostic server ("adapter") is dx10 with the core's answer computed once and
replayed: the real Slack adapter, de-duplication store and Block Kit rendering, minus the
matcher and the interaction log. It shows how much of the gap is the adapter and how much the core.
A fourth ("memo") is dx10 with only the matcher's verdict on each question computed once:
everything else is real (language, answer, interaction log, rendering). The step from "memo"
to "dx10" is what the matcher costs in the server, where its tables are not in the CPU cache.
A fifth ("classify") is the bare app running dx10's matcher on each text before its "ok": the
like-for-like baseline for an assistant, which must understand a message before answering it.
The events ask the held-out questions (tests/data/nlu_heldout.jsonl) in turn.
`--sqlite-synchronous normal` runs dx10's store with PRAGMA synchronous=NORMAL, to measure what
fsync-per-commit costs.

Goal: dx10 handles >= 80% of the bare app's throughput.
Each round runs every server once, in alternating order; a ratio is taken within each round
(servers measured seconds apart share whatever else the machine was doing) and the median over
rounds is reported, so load from other processes moves it far less than a ratio of medians.

Run: .venv/bin/python bench/slack_http.py [--requests 2000] [--concurrency 32] [--rounds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fakes.slack_api import FakeSlack  # noqa: E402
from fakes.slack_client import SECRET, event_callback, mention, sign  # noqa: E402

if TYPE_CHECKING:
    from bot.core import Assistant
    from bot.events import Incoming, Reply
    from bot.store import Store
    from knowledge.schema import KnowledgeBase

MAX_REQUESTS = 20_000  # keep a mistyped argument from running for an hour
QUESTION = "第3条のはじめの第一歩は？"
# The load asks the held-out questions in turn (short and long, ja and en, some unsure or out of
# scope), so the matcher and the answers cost what real traffic costs, not one cached question.
HELDOUT = ROOT / "tests/data/nlu_heldout.jsonl"
# An answer is the first post to the event's channel: ephemeral for replies only the asker should
# see (their own progress, a quiz confirmation), a message otherwise.
ANSWERS = ("chat.postMessage", "chat.postEphemeral")


def questions() -> list[str]:
    return [json.loads(line)["text"] for line in HELDOUT.read_text().splitlines() if line.strip()]


# -- the two servers (each started as `python bench/slack_http.py --serve NAME`) ------------------

def serve(name: str, api_url: str, db: str, synchronous: str | None) -> None:
    import logging

    from aiohttp import web

    logging.basicConfig(level=logging.WARNING)
    if name == "bare":
        app = bare_app(api_url)
    elif name == "classify":
        from bot.matcher import Matcher
        from knowledge.loader import load_kb

        app = bare_app(api_url, Matcher(load_kb()).classify)
    else:
        from adapters.serve import build_app
        from bot.store import Store
        from knowledge.loader import load_kb

        store = Store(db)
        if synchronous:
            store.db.execute(f"PRAGMA synchronous={synchronous}")
        env = {"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api_url}
        app = build_app(assistant(name, load_kb(), store, env), env)
    web.run_app(app, host="127.0.0.1", port=0, print=lambda *_: None, access_log=None,
                handle_signals=True, reuse_port=False)


def assistant(name: str, kb: "KnowledgeBase", store: "Store", env: dict[str, str]) -> "Assistant":
    from bot.assembly import features
    from bot.core import Assistant

    if name == "dx10":  # what `dx10 serve` runs: every feature switched on asks about each message too
        return Assistant(kb, store, features=features(kb, store, env))

    if name == "memo":
        from bot.matcher import Match, Matcher

        class Memo(Matcher):
            """Diagnostic only: each text classified once (the bench cycles through 220 questions)."""

            seen: dict[str, Match] = {}

            def classify(self, text: str) -> Match:
                if text not in self.seen:
                    self.seen[text] = super().classify(text)
                return self.seen[text]

        return Assistant(kb, store, matcher=Memo(kb), features=features(kb, store, env))

    class Replay(Assistant):
        """Diagnostic only: the real core's answer to the bench question, computed once, then replayed."""

        answer: "list[Reply]" = []

        async def handle(self, msg: "Incoming") -> "list[Reply]":
            if not self.answer:
                self.answer = await super().handle(msg)
            return self.answer

    return Replay(kb, store, features=features(kb, store, env))


def bare_app(api_url: str, classify: "Callable[[str], object] | None" = None) -> "aiohttp.web.Application":
    """The baseline: Bolt's own aiohttp adapter, the same kind of pooled client, and no work at all.

    With `classify` ("classify" server), the same app first runs dx10's matcher on the text: the
    like-for-like baseline for an assistant that must understand each message before answering.
    """
    from aiohttp import web
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.app.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token="xoxb-bench", base_url=api_url)
    bolt = AsyncApp(client=client, signing_secret=SECRET)

    @bolt.event("app_mention")
    async def answer(event: dict, client: AsyncWebClient) -> None:
        if classify is not None:
            classify(event.get("text") or "")
        await client.chat_postMessage(channel=event["channel"], text="ok")

    async def endpoint(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def start(_app: web.Application) -> None:
        client.session = aiohttp.ClientSession()

    async def stop(_app: web.Application) -> None:
        await client.session.close()

    app = web.Application()
    app.router.add_post("/slack/events", endpoint)
    app.on_startup.append(start)
    app.on_cleanup.append(stop)
    return app


# -- the load ------------------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    ack_ms: list[float]
    answer_ms: list[float]
    errors: int
    server_cpu_ms: float  # per answered event
    driver_cpu_ms: float

    def row(self) -> str:
        def pct(values: list[float], q: float) -> float:
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")

        return (f"{self.name:<8} {self.requests / self.seconds:8.0f} req/s   ack p50 {pct(self.ack_ms, .5):6.1f} ms"
                f"  p99 {pct(self.ack_ms, .99):6.1f} ms   answer p50 {pct(self.answer_ms, .5):6.1f} ms"
                f"  p99 {pct(self.answer_ms, .99):6.1f} ms   cpu/event server {self.server_cpu_ms:.2f} ms"
                f" driver {self.driver_cpu_ms:.2f} ms   unanswered {self.errors}")


def matcher_ms() -> tuple[float, float]:
    """CPU per classification: the bench's question, and the median over the held-out questions.

    The matcher is work the bare app never does; this says how much of dx10's CPU per event it
    is, so the throughput ratio can be read for what it is.
    """
    from bot.matcher import Matcher
    from knowledge.loader import load_kb

    matcher = Matcher(load_kb())
    heldout = questions()

    def cpu_ms(text: str, times: int) -> float:
        matcher.classify(text)
        started = time.process_time()
        for _ in range(times):
            matcher.classify(text)
        return (time.process_time() - started) * 1000 / times

    return cpu_ms(QUESTION, 500), statistics.median(cpu_ms(text, 5) for text in heldout)


def start_server(name: str, api_url: str, db: str, synchronous: str | None) -> subprocess.Popen[bytes]:
    command = [sys.executable, __file__, "--serve", name, "--api-url", api_url, "--db", db]
    if synchronous:
        command += ["--sqlite-synchronous", synchronous]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)


async def wait_port(proc: subprocess.Popen[bytes]) -> int:
    """The server prints nothing; find its listening port from /proc (loopback, port 0)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        port = listening_port(proc.pid)
        if port:
            return port
        await asyncio.sleep(0.05)
    raise SystemExit("server did not start within 30 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def listening_port(pid: int) -> int | None:
    inodes = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir() if fd_dir.exists() else []:
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "0A" and inode in inodes and local.startswith("0100007F:"):  # LISTEN on 127.0.0.1
            return int(local.split(":")[1], 16)
    return None


async def load(name: str, pid: int, port: int, fake: FakeSlack, requests: int, concurrency: int, tag: str) -> Result:
    url = f"http://127.0.0.1:{port}/slack/events"
    sent: dict[str, float] = {}
    ack_ms: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)
    first_call = len(fake.calls)
    texts = questions()

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while not queue.empty():
            i = queue.get_nowait()
            channel = f"C{tag}{i}"
            text = texts[i % len(texts)]
            body = json.dumps(event_callback(mention(f"<@UBOT> {text}", channel=channel))).encode()
            started = time.perf_counter()
            sent[channel] = started
            async with session.post(url, data=body, headers={"Content-Type": "application/json", **sign(body)}) as resp:
                await resp.read()
                if resp.status != 200:
                    errors += 1
            ack_ms.append((time.perf_counter() - started) * 1000)

    server_cpu, driver_cpu = cpu_seconds(pid), time.process_time()
    began = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
    answered: dict[str, float] = {}
    deadline = time.monotonic() + 60
    while len(answered) < requests - errors and time.monotonic() < deadline:
        for call in fake.calls[first_call:]:
            channel = call.params.get("channel", "")
            if call.method in ANSWERS and channel.startswith(f"C{tag}") and channel not in answered:
                answered[channel] = call.at
        await asyncio.sleep(0.005)
    finished = max(answered.values(), default=time.monotonic())
    done = max(1, len(answered))
    server_cpu_ms = (cpu_seconds(pid) - server_cpu) * 1000 / done
    driver_cpu_ms = (time.process_time() - driver_cpu) * 1000 / done  # includes polling for answers: an upper bound
    # FakeSlack stamps calls with time.monotonic(); perf_counter shares its clock on Linux, but convert to be safe.
    offset = time.monotonic() - time.perf_counter()
    answer_ms = [(answered[c] - (sent[c] + offset)) * 1000 for c in answered]
    seconds = finished - (began + offset)
    return Result(name, len(answered), seconds, ack_ms, answer_ms, requests - len(answered), server_cpu_ms, driver_cpu_ms)


async def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--sqlite-synchronous", choices=("full", "normal"), help="override the dx10 store's PRAGMA synchronous")
    args = parser.parse_args(argv)
    names = ("bare", "classify", "dx10", "memo", "adapter")
    requests = max(1, min(args.requests, MAX_REQUESTS))
    async with FakeSlack() as fake:
        with tempfile.TemporaryDirectory() as tmp:
            procs = {name: start_server(name, fake.url, str(Path(tmp) / f"{name}.db"), args.sqlite_synchronous) for name in names}
            try:
                ports = {name: await wait_port(proc) for name, proc in procs.items()}
                for name in names:  # warm up all: auth.test, imports, connection pools
                    await load(name, procs[name].pid, ports[name], fake, 200, args.concurrency, f"w{name}")
                results: dict[str, list[Result]] = {name: [] for name in names}
                for round_ in range(args.rounds):
                    order = names if round_ % 2 == 0 else names[::-1]  # alternate: no order bias
                    for name in order:
                        results[name].append(await load(name, procs[name].pid, ports[name], fake, requests, args.concurrency, f"{round_}{name}"))
            finally:
                for proc in procs.values():
                    proc.terminate()
                for proc in procs.values():
                    proc.wait(timeout=10)
                    for stream in (proc.stdout, proc.stderr):
                        if stream:
                            stream.close()
    sync = f", dx10 store PRAGMA synchronous={args.sqlite_synchronous}" if args.sqlite_synchronous else ""
    print(f"{requests} signed app_mention events per run, {args.concurrency} concurrent clients, loopback, "
          f"{args.rounds} rounds{sync}")
    for name in names:
        for result in results[name]:
            print(result.row())
    cpu = {name: statistics.median(r.server_cpu_ms for r in results[name]) for name in names}
    def versus(name: str, base: str) -> float:  # median over rounds of the ratio within each round
        return statistics.median((r.requests / r.seconds) / (b.requests / b.seconds)
                                 for r, b in zip(results[name], results[base]))

    def rate(name: str) -> float:
        return versus(name, "bare")

    print(f"dx10 / classify (a bare app that also runs the matcher) throughput: {versus('dx10', 'classify'):.0%}; "
          f"classify / bare: {rate('classify'):.0%}")
    print(f"dx10 / bare throughput: {rate('dx10'):.0%} (goal >= 80%); "
          f"memo (matcher verdict replayed) / bare: {rate('memo'):.0%}; "
          f"adapter alone (core replayed) / bare: {rate('adapter'):.0%}")
    print(f"server CPU per event (median): bare {cpu['bare']:.2f} ms, classify {cpu['classify']:.2f} ms, dx10 {cpu['dx10']:.2f} ms, "
          f"memo {cpu['memo']:.2f} ms, adapter {cpu['adapter']:.2f} ms; bare / dx10: {cpu['bare'] / cpu['dx10']:.0%}, "
          f"bare / memo: {cpu['bare'] / cpu['memo']:.0%}, bare / adapter: {cpu['bare'] / cpu['adapter']:.0%}")
    question, heldout = matcher_ms()
    print(f"matcher in isolation (warm caches), CPU per classification: {QUESTION} {question:.2f} ms, "
          f"held-out questions' median {heldout:.2f} ms")


if __name__ == "__main__":
    if "--serve" in sys.argv:
        cli = argparse.ArgumentParser()
        cli.add_argument("--serve", choices=("dx10", "bare", "classify", "memo", "adapter"))
        cli.add_argument("--api-url")
        cli.add_argument("--db")
        cli.add_argument("--sqlite-synchronous")
        a = cli.parse_args()
        serve(a.serve, a.api_url, a.db, a.sqlite_synchronous)
    else:
        asyncio.run(main())
