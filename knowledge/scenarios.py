"""Schema of the curated scenario questions (`knowledge/data/quiz_scenarios.yaml`).

A scenario describes a situation and asks which principle it calls for. The choices are
principle titles taken from the knowledge base, so a scenario names only numbers: the answer
and two or three plausible distractors. That keeps every choice faithful to the seed.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, TypeAdapter, field_validator, model_validator

from knowledge.loader import DATA_DIR, KnowledgeBaseError, Problem, _read_yaml, _validate
from knowledge.schema import Text, _Strict


class Scenario(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    principle: int = Field(ge=1, le=10)  # the right answer
    distractors: list[int] = Field(min_length=2, max_length=3)
    situation: Text  # written by the dx10 team; `en` is the translation
    explanation: Text  # why: the principle's own words where possible

    @field_validator("distractors")
    @classmethod
    def _in_range(cls, value: list[int]) -> list[int]:
        bad = [n for n in value if not 1 <= n <= 10]
        if bad:
            raise ValueError(f"principle numbers must be 1-10, got {bad}")
        if len(set(value)) != len(value):
            raise ValueError(f"distractors must be different principles, got {value}")
        return value

    @model_validator(mode="after")
    def _answer_not_a_distractor(self) -> Scenario:
        if self.principle in self.distractors:
            raise ValueError(
                f"principle {self.principle} is the answer and cannot also be a distractor; pick another number"
            )
        return self


SCENARIOS_FILE = DATA_DIR / "quiz_scenarios.yaml"
_SCENARIOS = TypeAdapter(list[Scenario])


def load_scenarios(path: Path = SCENARIOS_FILE) -> list[Scenario]:
    """Load the curated scenarios; raise KnowledgeBaseError listing every problem with its place."""
    problems: list[Problem] = []
    raw = _read_yaml(path, problems)
    if problems:
        raise KnowledgeBaseError(problems)
    if not isinstance(raw, list):
        raise KnowledgeBaseError([Problem(str(path), "(top level)", "expected a list of scenarios (lines starting with '- id:')")])
    scenarios = _validate(_SCENARIOS, raw, path, problems) or []
    ids = [s.id for s in scenarios]
    for dupe in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(str(path), f"[{ids.index(dupe)}].id", f"{dupe!r} is used more than once; ids must be unique"))
    if problems:
        raise KnowledgeBaseError(problems)
    return scenarios
