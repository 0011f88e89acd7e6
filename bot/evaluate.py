"""`dx10 eval`: how well the matcher understands labelled questions."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, TextIO

from bot.matcher import Matcher

LABEL_KEYS = ("intent", "principle", "facet", "term")


class EvalFileError(ValueError):
    pass


@dataclass
class Report:
    total: int
    correct: int
    per_intent: dict[str, tuple[int, int]]
    oos_total: int
    oos_answered: int
    misses: list[tuple[str, dict[str, Any], dict[str, Any]]]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def render(self) -> str:
        lines = [f"accuracy: {self.accuracy:.1%} ({self.correct}/{self.total}) exact label"]
        for intent, (ok, n) in sorted(self.per_intent.items()):
            lines.append(f"  {intent:<13} {ok / n:6.1%} ({ok}/{n})")
        share = self.oos_answered / self.oos_total if self.oos_total else 0.0
        lines.append(f"out-of-scope answered anyway: {share:.1%} ({self.oos_answered}/{self.oos_total})")
        lines.append(f"misses: {len(self.misses)}")
        for text, want, got in self.misses:
            lines.append(f"  - {text!r}\n      want {json.dumps(want, ensure_ascii=False)}\n      got  {json.dumps(got, ensure_ascii=False)}")
        return "\n".join(lines)


def _label(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: obj.get(k) for k in LABEL_KEYS}


def read_labelled(stream: TextIO, name: str) -> list[dict[str, Any]]:
    rows = []
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{name}:{lineno}: not valid JSON ({exc.msg}); each line must be one JSON object") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "intent" not in row:
            raise EvalFileError(f"{name}:{lineno}: each line needs at least \"text\" (string) and \"intent\"")
        rows.append(row)
    return rows


def evaluate(matcher: Matcher, rows: list[dict[str, Any]]) -> Report:
    per: Counter[str] = Counter()
    ok_per: Counter[str] = Counter()
    misses = []
    correct = oos_total = oos_answered = 0
    for row in rows:
        want = _label(row)
        accepted = [want] + [_label(a) for a in row.get("alt") or [] if isinstance(a, dict)]
        got = matcher.classify(row["text"]).label()
        got_label = _label(got)
        per[want["intent"]] += 1
        if got_label in accepted:
            correct += 1
            ok_per[want["intent"]] += 1
        else:
            misses.append((row["text"], want, got))
        if want["intent"] == "out_of_scope":
            oos_total += 1
            oos_answered += got["intent"] != "out_of_scope"
    per_intent = {k: (ok_per[k], n) for k, n in per.items()}
    return Report(len(rows), correct, per_intent, oos_total, oos_answered, misses)
