"""`dx10 nudges …`: subscriptions and deliveries for admins, deployments, cron and tests."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from adapters.cli_help import shows_help
from bot.store import DEFAULT_DB, Store, db_path

PLATFORMS = ("slack", "teams", "console")


def _error(message: str) -> Exception:
    from adapters.cli import CliError

    return CliError(message)


def _service(args: argparse.Namespace, *, read_only: bool = False) -> Any:
    """The nudge service on the store of --db; `read_only` (list, preview): an existing store,
    neither migrated nor written (bot/store.py)."""
    from adapters.cli import _kb
    from bot.assembly import nudge_service

    path = args.db or db_path()
    if read_only and not Path(path).is_file():
        raise _error(f"{path}: no store there; pass --db FILE or set DX10_DB")
    return nudge_service(_kb(args), Store(path, read_only=read_only), os.environ)


def cmd_add(args: argparse.Namespace) -> int:
    from bot.nudges.schedule import Schedule, ScheduleError, zone

    service = _service(args)
    try:
        schedule = Schedule.parse(args.schedule).sendable()  # "weekly sat" would never send
        tz = args.tz or service.settings.tz
        zone(tz)
    except ScheduleError as exc:
        raise _error(str(exc)) from None
    conversation = args.conversation.strip()
    if not conversation:
        raise _error("--conversation must not be empty")
    user, kind = _subscriber(service.store, args.platform, conversation, (args.user or "").strip() or None, args.kind)
    sub, created = service.repo.subscribe(platform=args.platform, conversation=conversation,
                                          user_id=user, kind=kind, schedule=str(schedule), tz=tz, lang=args.lang)
    print(f"{'added' if created else 'updated'} subscription {sub.id}: {sub.platform} {sub.conversation} "
          f"{sub.schedule} {sub.tz} ({sub.kind}, {sub.lang})")
    return 0


def _subscriber(store: Store, platform: str, conversation: str, user: str | None,
                kind: str | None) -> tuple[str | None, str]:
    """Who a subscription belongs to, and its kind. A one-to-one chat is its person's: recorded with
    their id (given, or from the chat's stored reference), so `dx10 forget` finds it."""
    from bot.forget import is_direct

    reference = store.conversation(platform, conversation) or {}
    if is_direct(platform, conversation, reference):
        known = reference.get("user")
        known = known.get("id") if isinstance(known, dict) else known
        if platform == "console":
            known = conversation  # the console's conversation is its user
        if user and known and user != known:
            raise _error(f"{conversation} is the direct chat of {known}, not of {user}")
        user = user or (str(known) if known else None)
        if not user:
            raise _error(f"{conversation} is a direct message: pass --user (the person's {platform} id), "
                         "so the subscription is theirs and `dx10 forget` finds it")
        if kind == "channel":
            raise _error(f"{conversation} is a direct message, not a channel: leave out --kind or use --kind user")
        return user, "user"
    if kind == "user" and not user:
        raise _error("--kind user needs --user (the subscriber's id)")
    return user, kind or ("user" if user else "channel")


def cmd_list(args: argparse.Namespace) -> int:
    from bot.forget import is_direct

    service = _service(args, read_only=True)
    subs = service.repo.all()
    if args.json:
        rows = []
        for s in subs:
            failed = service.repo.last_failure(s.id)
            rows.append({**s.as_dict(), "last_failure": {"slot": failed[0], "reason": failed[1]} if failed else None})
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not subs:
        print("no subscriptions")
        return 0
    print("id  platform  conversation  user  kind  schedule  tz  lang  state  cursor")
    for s in subs:
        state = "active" if s.active else f"inactive ({s.deactivated_reason})"
        if s.active and s.paused_until:
            state = f"paused {f'from {s.paused_from} ' if s.paused_from else ''}until {s.paused_until}"
        if s.active and s.schedule.startswith(("weekly sat", "weekly sun")):
            state += " (never sends: not a working day)"  # added before weekend days were refused
        if failed := service.repo.last_failure(s.id):
            state += f" (last tip failed, {failed[0]}: {failed[1]})"
        if s.active and not s.user_id and is_direct(s.platform, s.conversation):
            state += " (a direct message without --user: add it again with --user so forget finds it)"
        print(f"{s.id}  {s.platform}  {s.conversation}  {s.user_id or '-'}  {s.kind}  {s.schedule}  {s.tz}  {s.lang}  {state}  {s.cursor}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    service = _service(args)
    sub = service.repo.get(args.id)
    if sub is None:
        raise _error(f"no subscription {args.id}; `dx10 nudges list` shows the ids")
    # Deactivated rather than deleted: its delivery history stays for the statistics.
    service.repo.deactivate(sub.id, "removed with dx10 nudges remove")
    print(f"removed subscription {sub.id} ({sub.platform} {sub.conversation})")
    return 0


def cmd_run_due(args: argparse.Namespace) -> int:
    from adapters.nudges import cli_senders
    from adapters.serve import ConfigError
    from bot.assembly import build_assistant
    from bot.nudges.scheduler import parse_instant

    try:
        at = parse_instant(args.at) if args.at else datetime.now(UTC)
    except ValueError:
        raise _error(f"--at must be an ISO-8601 time such as 2026-01-05T09:00:00+09:00 (got {args.at!r})") from None
    service = _service(args)

    async def run() -> dict[str, Any]:
        async with cli_senders(build_assistant(service.kb, service.store), os.environ) as senders:
            service.senders.update(senders)
            return (await service.run_due(at)).as_dict()

    try:
        summary = asyncio.run(run())
    except ConfigError as exc:
        raise _error(str(exc)) from None
    print(json.dumps(summary, ensure_ascii=False))
    # Each failure with its reason, and exit code 1, so cron and monitoring notice.
    for failure in summary["failures"]:
        print(f"dx10: tip for subscription {failure['id']} ({failure['platform']} {failure['conversation']}) "
              f"at {failure['slot']} failed: {failure['reason']}", file=sys.stderr)
    return 1 if summary["failures"] else 0


def cmd_preview(args: argparse.Namespace) -> int:
    from bot.nudges.schedule import zone

    service = _service(args, read_only=True)
    try:
        day = date.fromisoformat(args.date) if args.date else datetime.now(zone(service.settings.tz)).date()
    except ValueError:
        raise _error(f"--date must be YYYY-MM-DD (got {args.date!r})") from None
    rows = service.preview(day)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no active subscriptions")
    for row in rows:
        head = f"#{row['id']} {row['platform']} {row['conversation']} ({row['schedule']}, {row['lang']})"
        print(f"{head}: {row.get('text') or row.get('note')}" + (f" [at {row['slot']}]" if row.get("tip") else ""))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `dx10 nudges …` to the CLI's subcommands."""
    nudges = sub.add_parser("nudges", help="Daily and weekly tips: subscriptions and deliveries.",
                            description="Daily and weekly tips: subscriptions and deliveries.")
    nudges_sub = nudges.add_subparsers(dest="nudges_command", metavar="NUDGES_COMMAND")
    nudges.set_defaults(func=shows_help(nudges))

    def add(name: str, fn: Callable[[argparse.Namespace], int], text: str) -> argparse.ArgumentParser:
        p = nudges_sub.add_parser(name, help=text, description=text)
        p.add_argument("--db", help=f"SQLite file (default: $DX10_DB or {DEFAULT_DB})")
        p.set_defaults(func=fn)
        return p

    a = add("add", cmd_add, "Subscribe a user or a channel (or change its schedule).")
    a.add_argument("--platform", required=True, choices=PLATFORMS, help="where the conversation is")
    a.add_argument("--conversation", required=True, help="Slack channel/DM id, Teams conversation id, or console user")
    a.add_argument("--user", help="the subscriber's user id: needed for a DM (Slack D…, Teams a:…) unless dx10 has "
                                  "seen that chat; omit for a channel")
    a.add_argument("--schedule", default="daily 09:00", help='"daily HH:MM" or "weekly mon HH:MM" (default: daily 09:00)')
    a.add_argument("--tz", help="IANA time zone (default: $DX10_NUDGE_TZ or Asia/Tokyo)")
    a.add_argument("--lang", choices=("ja", "en"), default="ja", help="language of the tips (default: ja)")
    a.add_argument("--kind", choices=("user", "channel"), help="default: user when --user is given, else channel")
    ls = add("list", cmd_list, "List every subscription with its state.")
    ls.add_argument("--json", action="store_true", help="print JSON")
    rm = add("remove", cmd_remove, "Stop a subscription (its history is kept).")
    rm.add_argument("id", type=int, help="subscription id (see `dx10 nudges list`)")
    run = add("run-due", cmd_run_due, "Deliver every slot due up to --at (default now), then print a JSON summary; "
                                      "each failure and its reason go to stderr, with exit code 1.")
    run.add_argument("--at", help="ISO-8601 time (default: now); without an offset it is UTC")
    pv = add("preview", cmd_preview, "Show what each subscriber would get on a day.")
    pv.add_argument("--date", help="YYYY-MM-DD in the subscribers' time zone (default: today)")
    pv.add_argument("--json", action="store_true", help="print JSON")
