"""The question bank: questions generated from the knowledge base plus curated scenarios.

Generated questions are right by construction: the correct choice is read from the knowledge
base, and a distractor is only ever an item of the same kind that the knowledge base does NOT
attach to the asked-about subject (compared after folding, and fuzzily, so near-duplicates such
as 「聞く」/「聴く」 never become a second right answer). Choice order is shuffled from the
question id, so the bank is the same on every start and ids stay stable across restarts.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from bot.text import fold
from knowledge.scenarios import Scenario, load_scenarios
from knowledge.schema import KnowledgeBase, Principle, Text

# Two strings this similar (0-100 after folding) count as the same item: never a distractor.
SAME_ITEM = 85
MAX_CHOICES = 4


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # first_step | kpi | checklist | focus | department | stage | glossary | action | scenario …
    principle: int | None  # the source principle (None: a glossary term no principle uses)
    prompt: Text
    choices: tuple[Text, ...]
    answer: int  # index into choices
    explanation: Text
    subject: Text | None = None  # the item asked about, quoted under the prompt

    @property
    def correct(self) -> Text:
        return self.choices[self.answer]


@lru_cache(maxsize=4096)
def _same(a: str, b: str) -> bool:
    fa, fb = _folded(a), _folded(b)
    return fa == fb or fuzz.ratio(fa, fb) >= SAME_ITEM


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _title(p: Principle) -> Text:
    return Text(ja=f"#{p.number} {p.title.ja}", en=f"#{p.number} {p.title.en}")


def _q(ja: str, en: str) -> Text:
    return Text(ja=ja, en=en)


def _same_department(a: str, b: str) -> bool:
    # One page prints 「基盤整備部」 where others print 「デジタル基盤整備部」: the same department.
    fa, fb = _folded(a), _folded(b)
    return _same(a, b) or fa.endswith(fb) or fb.endswith(fa)


def _pick(qid: str, pool: list[Text], correct: Text, n: int,
          same: Callable[[str, str], bool] = _same) -> list[Text] | None:
    """Up to n-1 distinct distractors from pool (none like the correct one); None if fewer than 2."""
    seen: list[Text] = [correct]
    candidates = []
    for item in pool:
        if any(same(item.ja, s.ja) for s in seen):
            continue
        seen.append(item)
        candidates.append(item)
    if len(candidates) < 2:
        return None
    rng = random.Random(qid)
    return rng.sample(candidates, min(n - 1, len(candidates)))


def _which_principle(
    kb: KnowledgeBase, kind: str, items: Callable[[Principle], list[Text]], prompt: Text
) -> Iterable[Question]:
    """'Which principle has this <item>?' for every item; distractors are principles without it."""
    for p in kb.principles:
        for item in items(p):
            owners = [o for o in kb.principles if any(_same(item.ja, x.ja) for x in items(o))]
            # An item several principles share: only principles without it may be distractors.
            pool = [_title(o) for o in kb.principles if o not in owners]
            qid = f"{kind}-{p.number:02d}-{_digest(item.ja)}"
            others = _pick(qid, pool, _title(p), MAX_CHOICES)
            if others is None:
                continue
            yield Question(
                id=qid,
                kind=kind,
                principle=p.number,
                prompt=prompt,
                subject=item,
                choices=(_title(p), *others),
                answer=0,
                explanation=_q(
                    f"「{item.ja}」は第{p.number}条「{p.title.ja}」にあります。",
                    f'"{item.en}" belongs to principle {p.number}, "{p.title.en}".',
                ),
            )


def _first_steps(p: Principle) -> list[Text]:
    return [p.first_step]


def _departments(kb: KnowledgeBase) -> Iterable[Question]:
    all_departments = [i.department for p in kb.principles for i in p.roadmap]
    for p in kb.principles:
        for item in p.roadmap:
            qid = f"department-{p.number:02d}-{_digest(item.name.ja)}"
            # Any department that also runs an initiative of this name elsewhere would be right too.
            right = [i.department for o in kb.principles for i in o.roadmap if _same(i.name.ja, item.name.ja)]
            pool = [d for d in all_departments if not any(_same_department(d.ja, r.ja) for r in right)]
            others = _pick(qid, pool, item.department, MAX_CHOICES, _same_department)
            if others is None:
                continue
            yield Question(
                id=qid,
                kind="department",
                principle=p.number,
                prompt=_q(
                    "ロードマップのこの取組を推進する部署はどこですか？",
                    "Which department promotes this roadmap initiative?",
                ),
                subject=item.name,
                choices=(item.department, *others),
                answer=0,
                explanation=_q(
                    f"第{p.number}条のロードマップで「{item.name.ja}」の推進部署は{item.department.ja}です。",
                    f'In principle {p.number}\'s roadmap, "{item.name.en}" is promoted by the {item.department.en}.',
                ),
            )


def _stages(kb: KnowledgeBase) -> Iterable[Question]:
    every_stage = [s.name for p in kb.principles for s in p.stages]
    for p in kb.principles:
        if len(p.stages) < 2:
            continue  # one stage only: nothing to choose between
        for stage in p.stages:
            for action in stage.actions:
                qid = f"stage-{p.number:02d}-{_digest(action.ja)}"
                holders = [s.name for s in p.stages if any(_same(a.ja, action.ja) for a in s.actions)]
                if len(holders) != 1:
                    continue
                # The principle's own other stages first, then stage names used by other principles.
                own = [s.name for s in p.stages if s is not stage]
                pool = own + [n for n in every_stage if not any(_same(n.ja, s.name.ja) for s in p.stages)]
                others = _pick(qid, own, stage.name, MAX_CHOICES) if len(own) >= 2 else None
                if others is None:
                    others = _pick(qid, pool, stage.name, 3)
                if others is None:
                    continue
                yield Question(
                    id=qid,
                    kind="stage",
                    principle=p.number,
                    prompt=_q(
                        f"第{p.number}条「{p.title.ja}」の取組の方向性で、このアクションはどの段階（区分）に挙げられていますか？",
                        f'In the direction of principle {p.number} "{p.title.en}", under which stage (heading) is this action listed?',
                    ),
                    subject=action,
                    choices=(stage.name, *others),
                    answer=0,
                    explanation=_q(
                        f"第{p.number}条では「{action.ja}」は「{stage.name.ja}」に挙げられています。",
                        f'Principle {p.number} lists "{action.en}" under "{stage.name.en}".',
                    ),
                )


_GLOSS = re.compile(r"\s*[（(][^）)]*[）)]\s*$")


def _bare(term: str) -> str:
    """"ICT (information and communication technology)" → "ICT": the gloss would give the answer away."""
    return _GLOSS.sub("", term) or term


def _glossary(kb: KnowledgeBase) -> Iterable[Question]:
    definitions = [t.definition for t in kb.glossary]
    for term in kb.glossary:
        qid = f"glossary-{term.id}"
        pool = [d for d in definitions if d is not term.definition]
        others = _pick(qid, pool, term.definition, MAX_CHOICES)
        if others is None:
            continue
        where = "、".join(f"第{n}条" for n in term.principles)
        yield Question(
            id=qid,
            kind="glossary",
            principle=term.principles[0] if term.principles else None,
            prompt=_q("この用語の意味として正しいものはどれですか？", "What does this term mean?"),
            subject=_q(_bare(term.term.ja), _bare(term.term.en)),
            choices=(term.definition, *others),
            answer=0,
            explanation=_q(
                f"{term.term.ja}: {term.definition.ja}" + (f"（資料での用例: {where}）" if where else ""),
                f"{term.term.en}: {term.definition.en}",
            ),
        )


def _scenarios(kb: KnowledgeBase, scenarios: list[Scenario]) -> Iterable[Question]:
    for s in scenarios:
        p = kb.principle(s.principle)
        yield Question(
            id=f"scenario-{s.id}",
            kind="scenario",
            principle=s.principle,
            prompt=s.situation,
            choices=(_title(p), *(_title(kb.principle(n)) for n in s.distractors)),
            answer=0,
            explanation=s.explanation,
        )


def _balance(questions: list[Question]) -> list[Question]:
    """Shuffle each question's choices so the right answer sits at every position about equally.

    The position cycles over the bank in id order (so no position exceeds ~1/3 of answers), and
    the distractors' order comes from the id: the same bank on every start.
    """
    out = []
    for i, q in enumerate(sorted(questions, key=lambda q: _digest(q.id))):
        rng = random.Random(q.id)
        others = [c for j, c in enumerate(q.choices) if j != q.answer]
        rng.shuffle(others)
        position = i % len(q.choices)
        choices = others[:position] + [q.correct] + others[position:]
        out.append(Question(q.id, q.kind, q.principle, q.prompt, tuple(choices), position, q.explanation, q.subject))
    return sorted(out, key=lambda q: (q.principle or 99, q.kind, q.id))


_PROMPTS = {
    "first_step": _q("この「はじめの第一歩」はどの条のものですか？", "Which principle has this first step?"),
    "kpi": _q("このKPI設定の例示はどの条のものですか？", "Which principle gives this example KPI?"),
    "checklist": _q("この目標設定の視点はどの条のものですか？", "Which principle has this self-check viewpoint?"),
    "focus": _q("この当面の重点的な取組はどの条のものですか？", "Which principle has this current focus initiative?"),
    "action": _q("この具体的なアクション例はどの条のものですか？", "Which principle lists this concrete action example?"),
    "principle": _q("この行動原則はどの条のものですか？", "Which principle has this action principle?"),
}


def build_bank(kb: KnowledgeBase, scenarios: list[Scenario]) -> list[Question]:
    generated: list[Question] = []
    generated += _which_principle(kb, "first_step", _first_steps, _PROMPTS["first_step"])
    generated += _which_principle(kb, "kpi", lambda p: p.kpi.examples, _PROMPTS["kpi"])
    generated += _which_principle(kb, "checklist", lambda p: p.checklist, _PROMPTS["checklist"])
    generated += _which_principle(kb, "focus", lambda p: p.focus_initiatives, _PROMPTS["focus"])
    generated += _which_principle(kb, "action", lambda p: p.action_examples, _PROMPTS["action"])
    generated += _which_principle(kb, "principle", lambda p: [p.action_principle], _PROMPTS["principle"])
    generated += _departments(kb)
    generated += _stages(kb)
    generated += _glossary(kb)
    generated += _scenarios(kb, scenarios)
    return _balance(generated)


class Bank:
    """The questions, by id and by principle."""

    def __init__(self, questions: list[Question]) -> None:
        self.questions = questions
        self.by_id = {q.id: q for q in questions}

    def get(self, question_id: str) -> Question | None:
        return self.by_id.get(question_id)

    def for_principle(self, number: int | None) -> list[Question]:
        return [q for q in self.questions if number is None or q.principle == number]


_BANKS: dict[int, tuple[KnowledgeBase, Bank]] = {}


def bank_for(kb: KnowledgeBase) -> Bank:
    """The bank for a loaded knowledge base, built once (tens of milliseconds)."""
    cached = _BANKS.get(id(kb))
    if cached is None or cached[0] is not kb:
        cached = (kb, Bank(build_bank(kb, load_scenarios())))
        _BANKS[id(kb)] = cached
    return cached[1]
