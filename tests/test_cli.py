"""The dx10 command line, driven as a subprocess."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from adapters.cli import build_parser
from knowledge.loader import DATA_DIR

from conftest import run_dx10


def _subcommands(parser) -> list[list[str]]:
    out = []
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for name, sub in action.choices.items():
            out.append([name])
            out += [[name, *rest] for rest in _subcommands(sub)]
    return out


def test_every_command_has_help_text() -> None:
    parser = build_parser()
    commands = _subcommands(parser)
    assert ["chat"] in commands and ["kb", "check"] in commands and ["retention", "run"] in commands
    for path in commands:
        sub = parser
        for name in path:
            sub = next(a for a in sub._subparsers._group_actions).choices[name]
        assert sub.description, f"dx10 {' '.join(path)} has no help text"
        # … and so has each of its options and arguments (-h excepted: argparse writes its own).
        bare = [a.option_strings or [a.dest] for a in sub._actions
                if not a.help and not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))]
        assert bare == [], f"dx10 {' '.join(path)}: no help for {bare}"
    shown = run_dx10("nudges", "add", "--help")  # and the help is what the installed command shows
    assert shown.returncode == 0 and b"where the conversation is" in shown.stdout


def test_help_runs() -> None:
    result = run_dx10("--help")
    assert result.returncode == 0
    assert b"classify" in result.stdout and b"eval" in result.stdout


def test_classify_contract_one_line_per_input_in_order() -> None:
    lines = [
        {"text": "第3条のはじめの第一歩は？", "id": 1},
        {"text": "KPIs for principle 5"},
        {"text": "今日の天気は？"},
    ]
    payload = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines) + "not json\n"
    result = run_dx10("classify", input=payload)
    assert result.returncode == 0
    out = [json.loads(x) for x in result.stdout.decode().splitlines()]
    assert len(out) == 4
    assert out[0] | {"confidence": 0} == {"intent": "principle", "principle": 3, "facet": "first_step", "term": None, "confidence": 0}
    assert (out[1]["intent"], out[1]["principle"], out[1]["facet"]) == ("principle", 5, "kpi")
    assert out[2]["intent"] == "out_of_scope"
    assert all(0.0 <= o["confidence"] <= 1.0 for o in out)
    assert out[3]["intent"] is None and b"line 4" in result.stderr


def test_eval_reports_accuracy_and_misses(tmp_path: Path) -> None:
    f = tmp_path / "set.jsonl"
    f.write_text(
        json.dumps({"text": "#2のKPI", "intent": "principle", "principle": 2, "facet": "kpi", "term": None}) + "\n"
        + json.dumps({"text": "#2のKPI", "intent": "principle", "principle": 9, "facet": "kpi", "term": None}) + "\n"
        + json.dumps({"text": "ランチどこ行く", "intent": "out_of_scope", "principle": None, "facet": None, "term": None}) + "\n",
        encoding="utf-8",
    )
    result = run_dx10("eval", str(f))
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert "accuracy: 66.7% (2/3)" in out
    assert "out-of-scope answered anyway: 0.0% (0/1)" in out
    assert "misses: 1" in out and "'principle': 9" not in out and '"principle": 9' in out


def test_eval_bad_file_says_which_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text('{"text": "a", "intent": "help"}\n{oops\n', encoding="utf-8")
    result = run_dx10("eval", str(f))
    assert result.returncode == 2
    assert f"{f}:2: not valid JSON".encode() in result.stderr
    assert b"Traceback" not in result.stderr


def test_kb_check_ok() -> None:
    result = run_dx10("kb", "check")
    assert result.returncode == 0, result.stderr
    assert b"10 principles" in result.stdout


def _broken_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


def test_kb_check_names_file_and_path_of_every_problem(tmp_path: Path) -> None:
    data = _broken_copy(tmp_path)
    p3 = data / "principles" / "03.yaml"
    p3.write_text(p3.read_text(encoding="utf-8").replace("first_step:", "first_stpe:", 1), encoding="utf-8")
    (data / "principles" / "07.yaml").write_text("number: 7\ntitle: [unclosed\n", encoding="utf-8")
    result = run_dx10("--kb", str(data), "kb", "check")
    err = result.stderr.decode()
    assert result.returncode == 2
    assert f"{p3}: first_step: Field required" in err
    assert f"{p3}: first_stpe: Extra inputs are not permitted" in err
    assert "07.yaml: line 3, column 1: YAML syntax error" in err or "07.yaml: line 2" in err
    assert "Traceback" not in err


def test_chat_refuses_to_start_on_invalid_kb(tmp_path: Path) -> None:
    data = _broken_copy(tmp_path)
    (data / "glossary.yaml").write_text("- id: nps\n", encoding="utf-8")
    result = run_dx10("--kb", str(data), "chat", "--db", str(tmp_path / "x.db"), input="help\n")
    assert result.returncode == 2
    assert b"glossary.yaml: [0].term: Field required" in result.stderr
    assert b"dx10 kb check" in result.stderr


def test_a_reader_that_leaves_early_gets_no_traceback() -> None:
    # `dx10 eval … | head -1`: the pipe closes while dx10 is still writing.
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("dx10")
    heldout = Path(__file__).parent / "data" / "nlu_heldout.jsonl"
    with subprocess.Popen([str(exe), "eval", str(heldout)], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        proc.wait(timeout=60)
    assert first.startswith(b"accuracy:")
    assert b"Traceback" not in err, err.decode()
