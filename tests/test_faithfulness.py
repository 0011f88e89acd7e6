"""The knowledge base quotes the seed document faithfully.

Two kinds of check:

* every Japanese string that the KB presents as the document's own words is a substring of
  the seed, after folding both (Unicode NFKC, all whitespace removed - the seed is a PDF text
  extraction whose lines are wrapped mid-phrase);
* items that can be pulled out of the seed mechanically (first steps, the summary table's
  focus initiatives, the per-page KPI examples) are extracted here independently of the KB and
  must match the KB one for one - nothing missing, nothing invented.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from knowledge.loader import load_kb
from knowledge.schema import KnowledgeBase, Principle, Text

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "digital-10-principles.txt"

FIRST_STEP_MARK = "＼ はじめの第一歩！ ／"
SUMMARY_HEADING = "デジタル10か条の当面の重点的な取組＜一覧＞"
KPI_HEADING = "３．10か条実践に向けた個別サービスにおけるKPI設定の例示"


def fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=1)
def seed_lines() -> tuple[str, ...]:
    if not SEED.is_file():
        pytest.fail(
            f"seed document not found at {SEED}; the faithfulness tests need the shared/ folder "
            "checked out next to the repository (…/shared/seed/digital-10-principles.txt)"
        )
    return tuple(SEED.read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=1)
def folded_seed() -> str:
    return fold("\n".join(seed_lines()))


@lru_cache(maxsize=1)
def kb() -> KnowledgeBase:
    return load_kb()


# --------------------------------------------------------------------------- substrings


def quoted_strings(p: Principle) -> list[tuple[str, str]]:
    """(field, ja) for every field whose `ja` must be the seed's own words."""
    out: list[tuple[str, str]] = [
        ("title", p.title.ja),
        ("action_principle", p.action_principle.ja),
        ("direction", p.direction.ja),
        ("first_step", p.first_step.ja),
    ]
    if p.first_step_page is not None:
        out.append(("first_step_page", p.first_step_page.ja))

    def add(field: str, items: list[Text]) -> None:
        out.extend((f"{field}[{i}]", t.ja) for i, t in enumerate(items))

    add("explanation", p.explanation)
    add("action_examples", p.action_examples)
    add("kpi.examples", p.kpi.examples)
    add("kpi.output", p.kpi.output)
    add("kpi.outcome", p.kpi.outcome)
    add("focus_initiatives", p.focus_initiatives)
    add("roadmap_notes", p.roadmap_notes)
    add("checklist", p.checklist)
    for i, stage in enumerate(p.stages):
        add(f"stages[{i}].actions", stage.actions)
    for i, row in enumerate(p.roadmap):
        out.append((f"roadmap[{i}].name", row.name.ja))
        out.append((f"roadmap[{i}].department", row.department.ja))
        add(f"roadmap[{i}].timeline", row.timeline)
    return out


def test_quoted_japanese_is_in_the_seed() -> None:
    seed = folded_seed()
    bad = [
        f"#{p.number} {field}: {ja!r}"
        for p in kb().principles
        for field, ja in quoted_strings(p)
        if fold(ja) not in seed
    ]
    assert not bad, "Japanese text not found verbatim in the seed:\n  " + "\n  ".join(bad)


def test_stage_names_are_from_the_seed() -> None:
    # A stage name is either printed as such (企画段階, 行政の取組／地域団体等との連携) or, for
    # #5's single combined box, the printed stage names joined with 「・」.
    seed = folded_seed()
    bad = [
        f"#{p.number} stages[{i}].name: {s.name.ja!r}"
        for p in kb().principles
        for i, s in enumerate(p.stages)
        if fold(s.name.ja) not in seed and not all(fold(part) in seed for part in s.name.ja.split("・"))
    ]
    assert not bad, "stage names not found in the seed:\n  " + "\n  ".join(bad)


def test_glossary_terms_appear_in_the_seed() -> None:
    seed = folded_seed()
    bad = [f"{t.id}: {t.term.ja!r}" for t in kb().glossary if fold(t.term.ja) not in seed]
    assert not bad, "glossary terms the seed does not use (as written):\n  " + "\n  ".join(bad)


# --------------------------------------------------------------------------- extraction


def extract_page_first_steps() -> list[str]:
    """The non-empty line above each 「＼ はじめの第一歩！ ／」, in page order (#1 … #10)."""
    lines = seed_lines()
    mark = fold(FIRST_STEP_MARK)
    steps = []
    for i, line in enumerate(lines):
        if fold(line) != mark:
            continue
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        steps.append(fold(lines[j]))
    return steps


def extract_summary() -> dict[int, tuple[str, list[str]]]:
    """{number: (first step, [focus initiatives])} from the 一覧 table."""
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if SUMMARY_HEADING in line)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("（参考）"))
    blocks: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in lines[start + 1 : end]:
        m = re.match(r"^#(\d+)\s+\S+(.*)$", line)  # "#N <title> [first step …]"
        if m:
            current = blocks.setdefault(int(m.group(1)), [])
            current.append(m.group(2))
        elif current is not None:
            current.append(line)
    out: dict[int, tuple[str, list[str]]] = {}
    for number, block in blocks.items():
        # The first step runs up to the first bullet (it may be wrapped, or share the line
        # with the first bullet as in #4); each bullet may be wrapped too.
        first, *bullets = "\n".join(block).split("•")
        items = [fold(part) for bullet in bullets for part in bullet.split("／")]
        out[number] = (fold(first), [i for i in items if i])
    return out


def extract_kpi_examples() -> list[list[str]]:
    """Items of each 「３．…KPI設定の例示」 block, in page order (#1 … #10)."""
    lines = seed_lines()
    heading = fold(KPI_HEADING)
    blocks = []
    for i, line in enumerate(lines):
        if not fold(line).startswith(heading):
            continue
        collected = []
        for follow in lines[i + 1 :]:
            if not follow.strip():
                continue
            collected.append(follow.strip())
            if follow.rstrip().endswith("など"):
                break
        # Items are separated by 「／」 or by a line break; the list ends with 「 など」.
        text = "／".join(collected)
        text = re.sub(r"\s*など$", "", text)
        blocks.append([fold(part) for part in text.split("／") if fold(part)])
    return blocks


def _diff(number: int, kind: str, extracted: list[str], in_kb: list[str]) -> list[str]:
    problems = []
    problems += [f"#{number} {kind}: in the seed but missing from the KB: {s!r}" for s in extracted if s not in in_kb]
    problems += [f"#{number} {kind}: in the KB but not in the seed: {s!r}" for s in in_kb if s not in extracted]
    if not problems and len(extracted) != len(in_kb):
        problems.append(f"#{number} {kind}: seed has {len(extracted)} item(s), KB has {len(in_kb)}")
    return problems


def test_extractors_find_every_principle() -> None:
    # Guards the extractors themselves: a silent "found nothing" would make the checks below vacuous.
    assert len(extract_page_first_steps()) == 10
    assert sorted(extract_summary()) == list(range(1, 11))
    kpis = extract_kpi_examples()
    assert len(kpis) == 10 and all(kpis), kpis
    assert all(first and items for first, items in extract_summary().values())


def test_first_steps_match_the_seed() -> None:
    summary = extract_summary()
    pages = extract_page_first_steps()
    problems = []
    for p in kb().principles:
        expected_summary = summary[p.number][0]
        if fold(p.first_step.ja) != expected_summary:
            problems.append(f"#{p.number} first_step: KB {p.first_step.ja!r}, summary table {expected_summary!r}")
        on_page = pages[p.number - 1]
        kb_page = fold(p.first_step_page.ja) if p.first_step_page else fold(p.first_step.ja)
        if kb_page != on_page:
            problems.append(
                f"#{p.number} first_step_page: KB {kb_page!r}, page {on_page!r} "
                "(set first_step_page when the page wording differs from the summary)"
            )
        if p.first_step_page is not None and fold(p.first_step_page.ja) == fold(p.first_step.ja):
            problems.append(f"#{p.number} first_step_page: same as first_step; leave it out")
    assert not problems, "\n  ".join(["first steps differ from the seed:", *problems])


def test_focus_initiatives_match_the_summary_table() -> None:
    summary = extract_summary()
    problems = []
    for p in kb().principles:
        problems += _diff(p.number, "focus_initiatives", summary[p.number][1], [fold(t.ja) for t in p.focus_initiatives])
    assert not problems, "\n  ".join(["focus initiatives differ from the 一覧 table:", *problems])


def test_kpi_examples_match_the_pages() -> None:
    blocks = extract_kpi_examples()
    problems = []
    for p in kb().principles:
        problems += _diff(p.number, "kpi.examples", blocks[p.number - 1], [fold(t.ja) for t in p.kpi.examples])
    assert not problems, "\n  ".join(["KPI examples differ from the pages:", *problems])
