"""Load and validate the knowledge base files, reporting every problem at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from knowledge.schema import Cues, IntentExamples, KnowledgeBase, Principle, Term

DATA_DIR = Path(__file__).parent / "data"

REQUIRED_TERMS = (
    "nps ux bpr ebpm kpi pdca bcp csirt jis_x_8341_3 gbizid jpki government_cloud agile "
    "civic_tech open_data hackathon oss digital_divide logic_model user_testing accessibility "
    "digital_academy dashboard api microservices"
).split()


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class KnowledgeBaseError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"The knowledge base has {len(problems)} problem(s); fix them and run "
            f"`dx10 kb check` again:\n{lines}"
        )


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(str(path), "", "file is missing"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(str(path), "", f"not UTF-8 ({exc.reason}); save it as UTF-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(str(path), where, f"YAML syntax error: {what}"))
    return None


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _validate(
    adapter: TypeAdapter[Any], data: Any, file: Path, problems: list[Problem], prefix: str = ""
) -> Any:
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        for err in exc.errors():
            path = _loc(tuple(err["loc"]))
            if prefix:
                path = f"{prefix}.{path}" if path else prefix
            problems.append(Problem(str(file), path or "(top level)", err["msg"]))
    return None


_PRINCIPLE = TypeAdapter(Principle)
_TERMS = TypeAdapter(list[Term])
_INTENTS = TypeAdapter(list[IntentExamples])
_CUES = TypeAdapter(Cues)


def load_kb(data_dir: Path = DATA_DIR) -> KnowledgeBase:
    """Load every file under `data_dir`; raise KnowledgeBaseError listing all problems."""
    problems: list[Problem] = []
    principles: list[Principle] = []
    files = sorted((data_dir / "principles").glob("*.yaml"))
    if not files:
        problems.append(Problem(str(data_dir / "principles"), "", "no principle files (01.yaml … 10.yaml)"))
    for file in files:
        data = _read_yaml(file, problems)
        if data is None:
            continue
        principle = _validate(_PRINCIPLE, data, file, problems)
        if principle is None:
            continue
        if file.stem != f"{principle.number:02d}":
            problems.append(
                Problem(str(file), "number", f"is {principle.number}; rename the file to {principle.number:02d}.yaml")
            )
        principles.append(principle)

    glossary_file = data_dir / "glossary.yaml"
    before = len(problems)
    raw_terms = _read_yaml(glossary_file, problems)
    glossary = [] if len(problems) > before else _validate(_TERMS, raw_terms, glossary_file, problems) or []
    ids = {t.id for t in glossary}
    for missing in REQUIRED_TERMS:
        if glossary and missing not in ids:
            problems.append(Problem(str(glossary_file), "", f"required term id {missing!r} is missing"))

    intents_file = data_dir / "intents.yaml"
    raw = _read_yaml(intents_file, problems)
    intents: list[Any] = []
    cues: Any = None
    if isinstance(raw, dict):
        intents = _validate(_INTENTS, raw.get("intents"), intents_file, problems, "intents") or []
        cues = _validate(_CUES, raw.get("cues"), intents_file, problems, "cues")
    elif raw is not None:
        problems.append(Problem(str(intents_file), "(top level)", "expected a mapping with keys 'intents' and 'cues'"))

    if problems:
        raise KnowledgeBaseError(problems)
    try:
        return KnowledgeBase(
            principles=sorted(principles, key=lambda p: p.number),
            glossary=glossary,
            intents=intents,
            cues=cues,
        )
    except ValidationError as exc:
        raise KnowledgeBaseError(
            [Problem(str(data_dir), _loc(tuple(e["loc"])) or "(all files)", e["msg"]) for e in exc.errors()]
        ) from None

