"""The `dx10` command line: wires the core to the console and to the tools around it."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import re
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from adapters.cli_help import shows_help
from adapters.cli_paths import os_error_line, readable_file
from adapters.cli_quiz import register as register_quiz
from bot.errors import UserError
from bot.store import DEFAULT_DB, Store
from knowledge.loader import DATA_DIR, KnowledgeBaseError, load_kb
from knowledge.schema import KnowledgeBase


class CliError(UserError):
    """A problem the user can fix; printed as one clear message, exit status 2 (see `main`)."""


def _kb(args: argparse.Namespace) -> KnowledgeBase:
    try:
        return load_kb(Path(args.kb) if args.kb else DATA_DIR)
    except KnowledgeBaseError as exc:
        raise CliError(str(exc)) from None


def cmd_chat(args: argparse.Namespace) -> int:
    from adapters.console import main_loop
    from bot.assembly import build_assistant

    kb = _kb(args)
    store = Store(args.db)
    store.require_key()  # the console writes the same log as the server: never under another key
    assistant = build_assistant(kb, store)
    return main_loop(assistant)


def cmd_classify(args: argparse.Namespace) -> int:
    from bot.matcher import Matcher

    matcher = Matcher(_kb(args))
    out = sys.stdout
    for lineno, line in enumerate(sys.stdin.buffer, 1):
        try:
            obj = json.loads(line.decode("utf-8"))
            text = obj["text"]
            if not isinstance(text, str):
                raise TypeError
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
            # One output line per input line, always: callers zip them back together.
            print(f"dx10 classify: line {lineno}: expected a JSON object with a string \"text\"", file=sys.stderr)
            out.write(json.dumps({"intent": None, "principle": None, "facet": None, "term": None, "confidence": 0.0, "error": "invalid input line"}) + "\n")
            continue
        out.write(json.dumps(matcher.classify(text).label(), ensure_ascii=False) + "\n")
    out.flush()
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluate import EvalFileError, evaluate, read_labelled
    from bot.matcher import Matcher

    path = readable_file(args.file, "the path of a JSON-lines file of labelled questions")
    matcher = Matcher(_kb(args))
    try:
        with open(path, encoding="utf-8") as fh:
            rows = read_labelled(fh, args.file)
    except UnicodeDecodeError as exc:
        raise CliError(f"{args.file}: not UTF-8 text (byte {exc.start}); pass a JSON-lines file of labelled questions") from None
    except EvalFileError as exc:
        raise CliError(str(exc)) from None
    if not rows:
        raise CliError(f"{args.file}: no labelled questions in it; one JSON object per line, e.g. "
                       '{"text": "第3条のKPIは？", "intent": "principle", "principle": 3, "facet": "kpi"}')
    print(evaluate(matcher, rows).render())
    return 0


def cmd_kb_check(args: argparse.Namespace) -> int:
    kb = _kb(args)
    print(
        f"knowledge base OK: {len(kb.principles)} principles, {len(kb.glossary)} glossary terms, "
        f"{sum(len(i.examples.ja) + len(i.examples.en) for i in kb.intents)} intent phrases"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from adapters.serve import build_app, describe
    from bot.assembly import build_assistant
    from bot.logs import configure

    configure()  # one line per event; JSON lines when DX10_LOG_FORMAT=json
    kb = _kb(args)
    store = Store(args.db)
    log = logging.getLogger("dx10.serve")
    # A second key would split the log for good (forget finds one half): refuse, like any bad setting.
    if store.require_key(claim_unknown=True).state == "unknown":
        log.warning("recorded key %s for the question log; its earlier rows could not be checked against it",
                    store.key_check().current)
    app = build_app(build_assistant(kb, store))

    def listening(banner: str) -> None:  # aiohttp's banner, once every socket is bound
        found = re.search(r"Running on (.*?) =", banner)
        log.info(describe(app, found.group(1) if found else f"http://{args.host}:{args.port}"))

    try:
        web.run_app(app, host=args.host, port=args.port, print=listening)
    except OSError as exc:
        raise _listen_error(exc, args.host, args.port) from None
    log.info("dx10 serve stopped: every queued write is in the store")
    return 0


def _listen_error(exc: OSError, host: str, port: int) -> Exception:
    """A socket that cannot be bound, as one line; any other OSError goes on to `main` as it is."""
    where = f"cannot listen on {host}:{port}"
    if isinstance(exc, socket.gaierror):
        return CliError(f"{where}: unknown host (check --host)")
    if exc.filename is not None:
        return exc
    if exc.errno == errno.EADDRINUSE:
        return CliError(f"{where}: the port is in use (another dx10 serve or another program); stop it or choose another --port")
    if exc.errno == errno.EACCES:
        return CliError(f"{where}: permission denied (ports below 1024 need privileges; listen on a high port behind the proxy)")
    if exc.errno == errno.EADDRNOTAVAIL:
        return CliError(f"{where}: no such address on this machine (check --host)")
    return exc


def _port(text: str) -> int:
    """argparse type of --port: a TCP port, 0-65535 (0: any free one)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535 (got {text!r})")
    return port


def cmd_teams_package(args: argparse.Namespace) -> int:
    from adapters.cli_paths import writable_file
    from adapters.teams.package import DEPLOY_DIR, build, placeholders

    out = Path(args.out)
    if out.parent.exists():  # build() creates a missing folder
        writable_file(out, example="dx10-teams.zip")
    source = Path(args.source) if args.source else DEPLOY_DIR
    out = build(args.app_id, out, teams_app_id=args.teams_app_id, source=source)
    if unset := placeholders(source):
        print(f"dx10: note: {source / 'manifest.json'} still has example.com in developer {', '.join(unset)}: "
              "Teams shows these to users; fill them in and build again before publishing", file=sys.stderr)
    print(f"wrote {out}: upload it in Teams (Apps > Manage your apps > Upload an app) or the Teams admin center")
    return 0


class Parser(argparse.ArgumentParser):
    """argparse, but a wrong argument is one line too (like every other mistake), exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = Parser(prog="dx10", description="dx10: the Digital 10 Principles assistant.")
    parser.add_argument("--kb", help=f"knowledge base folder (default: {DATA_DIR})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, fn: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=fn)
        return p

    chat = add("chat", cmd_chat, "Chat in the terminal (reads lines from stdin when it is not a terminal).")
    chat.add_argument("--db", help=f"SQLite file (default: $DX10_DB or {DEFAULT_DB})")
    serve = add("serve", cmd_serve, "Serve the Slack and/or Teams endpoints (and /healthz) over HTTP.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=3000, help="port to listen on (default: 3000; 0: any free port)")
    serve.add_argument("--db", help=f"SQLite file (default: $DX10_DB or {DEFAULT_DB})")
    pkg = add("teams-package", cmd_teams_package, "Write the Teams app package (manifest.json and icons, ids filled in) as a zip.")
    pkg.add_argument("--app-id", required=True, help="the Azure Bot's Microsoft App ID (MICROSOFT_APP_ID)")
    pkg.add_argument("--out", default="dx10-teams.zip", help="zip file to write (default: dx10-teams.zip)")
    pkg.add_argument("--teams-app-id", help="a separate Teams app id (default: the same as --app-id)")
    pkg.add_argument("--from", dest="source", help="folder with manifest.json, color.png, outline.png (default: deploy/teams "
                     "of the dx10 source, when dx10 runs from a checkout)")
    add("classify", cmd_classify, "Read JSON lines with \"text\" on stdin, write one intent label per line.")
    ev = add("eval", cmd_eval, "Score the matcher on a JSON-lines file of labelled questions.")
    ev.add_argument("file", help="JSON lines: text, intent, principle, facet, term (optional alt)")
    kb = sub.add_parser("kb", help="Knowledge base tools.", description="Knowledge base tools.")
    kb_sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND")
    check = kb_sub.add_parser("check", help="Validate the knowledge base files and list every problem.",
                              description="Validate the knowledge base files and list every problem.")
    check.set_defaults(func=cmd_kb_check)
    kb.set_defaults(func=shows_help(kb))
    from adapters.cli_nudges import register as register_nudges

    register_nudges(sub)
    register_quiz(sub)
    from adapters import cli_admin  # forget, export, backup, restore, retention
    cli_admin.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    # The one place where a problem the operator can fix becomes one line and exit status 2.
    # A traceback (exit 1) is left for what is dx10's own fault.
    try:
        return args.func(args)
    except UserError as exc:  # a setting, an argument, the store: each module says which
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `dx10 eval … | head`: the reader left; stop quietly instead of printing a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # a path the checks did not foresee: a full disk, a file gone meanwhile…
        return _fail(os_error_line(exc))


def _fail(message: str) -> int:
    print(f"dx10: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
