"""`dx10 quiz …`: look at the question bank and validate the curated scenario file."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from adapters.cli_help import shows_help
from knowledge.loader import DATA_DIR, KnowledgeBaseError, load_kb


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.kb) if getattr(args, "kb", None) else DATA_DIR


def _fail(message: str) -> int:
    # Imported late: cli.py imports this module to register the commands.
    from adapters.cli import CliError

    raise CliError(message)


def cmd_bank(args: argparse.Namespace) -> int:
    from bot.quiz.bank import build_bank
    from knowledge.scenarios import load_scenarios

    data = _data_dir(args)
    try:
        kb = load_kb(data)
        scenarios = load_scenarios(data / "quiz_scenarios.yaml")
    except KnowledgeBaseError as exc:
        return _fail(str(exc))
    questions = build_bank(kb, scenarios)
    if args.json:
        for q in questions:
            row: dict[str, Any] = {
                "id": q.id, "kind": q.kind, "principle": q.principle,
                "prompt": q.prompt.model_dump(), "subject": q.subject.model_dump() if q.subject else None,
                "choices": [c.model_dump() for c in q.choices], "answer": q.answer,
                "explanation": q.explanation.model_dump(),
            }
            print(json.dumps(row, ensure_ascii=False))
        return 0
    lang = args.lang
    for q in questions:
        subject = f" 「{q.subject.get(lang)}」" if q.subject else ""
        print(f"[{q.id}] #{q.principle or '-'} {q.prompt.get(lang)}{subject}")
        for i, choice in enumerate(q.choices):
            print(f"  {'*' if i == q.answer else ' '} {i + 1}. {choice.get(lang)}")
    per = Counter(q.principle for q in questions)
    print(f"{len(questions)} questions; per principle: " + ", ".join(f"#{n} {per[n]}" for n in range(1, 11)))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bot.quiz.bank import scenario_giveaways
    from knowledge.loader import Problem
    from knowledge.scenarios import load_scenarios

    path = Path(args.file) if args.file else _data_dir(args) / "quiz_scenarios.yaml"
    try:
        scenarios = load_scenarios(path)
        # A situation that says a word of the answer's name gives the answer away (QA:
        # 「安全安心の観点からのはじめの第一歩は何条？」).
        problems = [
            Problem(str(path), f"[{i}].situation",
                    f"gives the answer away: {word!r} is in the name of #{scenarios[i].principle} and of no distractor; "
                    "say it in other words")
            for i, word in scenario_giveaways(load_kb(_data_dir(args)), scenarios)
        ]
        if problems:
            raise KnowledgeBaseError(problems)
    except KnowledgeBaseError as exc:
        return _fail(str(exc).replace("`dx10 kb check`", "`dx10 quiz check`"))
    print(f"quiz scenarios OK: {len(scenarios)} scenarios in {path}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    text = "Quiz tools: list the question bank, validate the curated scenarios."
    quiz = sub.add_parser("quiz", help=text, description=text)
    quiz_sub = quiz.add_subparsers(dest="quiz_command", metavar="QUIZ_COMMAND")
    text = "List every question (generated from the knowledge base, plus the curated scenarios); * marks the answer."
    bank = quiz_sub.add_parser("bank", help=text, description=text)
    bank.add_argument("--json", action="store_true", help="one JSON object per question")
    bank.add_argument("--lang", choices=("ja", "en"), default="ja", help="language of the text listing (default: ja)")
    bank.set_defaults(func=cmd_bank)
    text = "Validate the curated scenario questions and list every problem with file, path and fix."
    check = quiz_sub.add_parser("check", help=text, description=text)
    check.add_argument("--file", help="scenario file (default: quiz_scenarios.yaml in the knowledge base folder)")
    check.set_defaults(func=cmd_check)
    quiz.set_defaults(func=shows_help(quiz))
