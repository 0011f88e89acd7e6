"""The matcher on questions it was not built from, and on the forms people really type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.matcher import Matcher
from bot.text import fold, plain
from conftest import run_dx10

HELDOUT = Path(__file__).parent / "data" / "nlu_heldout.jsonl"


@pytest.fixture(scope="module")
def matcher(kb) -> Matcher:
    return Matcher(kb)


def test_heldout_accuracy_and_out_of_scope_targets() -> None:
    # Written independently of the matcher and of the dev set (see tests/data/README.md).
    result = run_dx10("eval", str(HELDOUT))
    out = result.stdout.decode()
    accuracy = float(re.search(r"accuracy: ([\d.]+)%", out).group(1))
    answered = float(re.search(r"out-of-scope answered anyway: ([\d.]+)%", out).group(1))
    assert accuracy >= 95.0, out
    assert answered <= 5.0, out


@pytest.mark.parametrize(
    ("text", "principle", "facet"),
    [
        ("＃３のＫＰＩ", 3, "kpi"),
        ("第三条のはじめの第一歩", 3, "first_step"),
        ("十番目の原則", 10, "overview"),
        ("3条目のロードマップ", 3, "roadmap"),
        ("principle three first step", 3, "first_step"),
        ("the seventh principle", 7, "overview"),
        ("ｱｸｾｼﾋﾞﾘﾃｨの条はどれ？どの条？", 3, "overview"),
        ("accesibility principle", 3, "overview"),
        ("デジタル10か条の2番目", 2, "overview"),
    ],
)
def test_numbers_widths_scripts_and_typos(matcher: Matcher, text: str, principle: int, facet: str) -> None:
    m = matcher.classify(text)
    assert (m.intent, m.principle, m.facet) == ("principle", principle, facet)


def test_folding_is_shared_by_keys_and_queries() -> None:
    assert plain("ＫＰＩ　第十条") == "kpi 第10条"
    assert fold("シーサート") == fold("しーさーと")
    assert plain("デジタル10か条の1番目") == "dx10 の1番目"
    assert plain("配信をやめて") == plain("配信やめて")


@pytest.mark.parametrize("text", ["", "   ", "？？？", "a" * 5000, "🙂🙂🙂", "\x00\x01"])
def test_odd_input_never_raises(matcher: Matcher, text: str) -> None:
    m = matcher.classify(text)
    assert 0.0 <= m.confidence <= 1.0


def test_unsure_questions_carry_alternatives(matcher: Matcher) -> None:
    m = matcher.classify("ユーザー")  # a word several principles use
    assert not m.answered
    assert len({a.principle for a in m.alternatives}) >= 2
