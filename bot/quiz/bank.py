"""The question bank: questions generated from the knowledge base plus curated scenarios.

Generated questions are right by construction: the correct choice is read from the knowledge
base, and a distractor is only ever something the knowledge base does NOT attach to the
asked-about subject: for "which principle has this item?", a principle whose page holds nothing
like the item under any heading (compared after folding, without bracketed glosses, fuzzily and
by containment, so near-duplicates such as 「聞く」/「聴く」 never become a second right answer). Choice order is shuffled from the
question id, so the bank is the same on every start and ids stay stable across restarts.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from bot.catalog import t
from bot.departments import departments
from bot.text import fold
from knowledge.scenarios import Scenario, load_scenarios
from knowledge.schema import FACETS, KnowledgeBase, Principle, Text

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


def _both(key: str, **values: object) -> Text:
    """A catalogue sentence in both languages; a Text value goes in in the same language."""
    def one(lang: str) -> str:
        return t(key, lang, **{k: v.get(lang) if isinstance(v, Text) else v for k, v in values.items()})
    return Text(ja=one("ja"), en=one("en"))


def _pick(qid: str, pool: list[Text], correct: Text, n: int) -> list[Text] | None:
    """Up to n-1 distinct distractors from pool (none like the correct one); None if fewer than 2."""
    seen: list[Text] = [correct]
    candidates = []
    for item in pool:
        if any(_same(item.ja, s.ja) for s in seen):
            continue
        seen.append(item)
        candidates.append(item)
    if len(candidates) < 2:
        return None
    rng = random.Random(qid)
    return rng.sample(candidates, min(n - 1, len(candidates)))


_PARENS = re.compile(r"[（(][^）)]*[）)]")
# An item this long (in letters, after folding) inside another one is the same item said at more
# length: 「PDCAの評価スキームの確立」 in #4's 「PDCAの評価スキームの確立と必要なデータの整理」.
MIN_CONTAINED = 5
# Looser than SAME_ITEM: only used to keep a principle OUT of the distractors, where erring on the
# safe side costs a plausible wrong choice, not a wrong fact (「行政の…」/「区市町村の優れたDXの取組の創出」).
OVERLAP = 80


@lru_cache(maxsize=8192)
def _core(text: str) -> str:
    """The item's letters after folding, without glosses in brackets or punctuation:
    「NPS（ネットプロモータースコア）による評価」 and 「NPSによる評価」 are one item."""
    return "".join(ch for ch in _PARENS.sub("", _folded(text)) if ch.isalnum())


def _content(p: Principle) -> list[Text]:
    """Every piece of the principle's page, whatever its heading: an item may also sit under another."""
    return [
        p.action_principle, *p.explanation, p.direction, *(a for s in p.stages for a in s.actions),
        *p.action_examples, *p.kpi.examples, *p.kpi.output, *p.kpi.outcome, p.first_step,
        *([p.first_step_page] if p.first_step_page else []), *p.focus_initiatives,
        *(i.name for i in p.roadmap), *(m for i in p.roadmap for m in i.timeline), *p.roadmap_notes, *p.checklist,
    ]


@lru_cache(maxsize=65536)
def _overlaps(a: str, b: str) -> bool:
    ca, cb = _core(a), _core(b)
    if _same(a, b) or ca == cb or fuzz.ratio(ca, cb) >= OVERLAP:
        return True
    short, long = sorted((ca, cb), key=len)
    return len(short) >= MIN_CONTAINED and short in long


def _same_item(a: str, b: str) -> bool:
    """The same item, perhaps with a gloss in brackets on one side only (「NPS（…）による評価」/
    「NPSによる評価」); two different brackets name two things (オープンデータ推進事業（カタログサイト）
    and （…ハッカソン）)."""
    return _same(a, b) or (_core(a) == _core(b) and not (_PARENS.search(a) and _PARENS.search(b)))


def holds(p: Principle, item: Text) -> bool:
    """Whether anything on the principle's page is the item, says it, or is said by it."""
    return any(_overlaps(item.ja, x.ja) for x in _content(p))


def _numbers(numbers: list[int], lang: str) -> str:
    """「第1条・第2条」 / "1, 2 and 5"."""
    if lang != "en":
        return "・".join(f"第{n}条" for n in numbers)
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _which_principle(
    kb: KnowledgeBase, kind: str, items: Callable[[Principle], list[Text]], kin: Callable[[Principle], list[Text]],
) -> Iterable[Question]:
    """'Which principle has this <item>?' for every item.

    A distractor is a principle whose page holds nothing like the item anywhere (`holds`), so no
    wrong choice is supported by the document: #5 lists 「NPS…による評価」 as an outcome KPI, not
    among its example KPIs, and is still never a wrong choice for it. The feedback names every
    principle that lists the item under the same heading (`kin`), so it never says "belongs to
    #3" of an item five principles share.
    """
    for p in kb.principles:
        for item in items(p):
            pool = [_title(o) for o in kb.principles if o is not p and not holds(o, item)]
            qid = f"{kind}-{p.number:02d}-{_digest(item.ja)}"
            others = _pick(qid, pool, _title(p), MAX_CHOICES)
            if others is None:
                continue
            kin_items = [(o.number, x) for o in kb.principles if o is not p for x in kin(o) if _overlaps(item.ja, x.ja)]
            also = sorted({n for n, x in kin_items if _same_item(item.ja, x.ja)})
            similar = list({(n, x.ja): (n, x) for n, x in kin_items if n not in also}.values())  # once each
            explanation = _both(f"quiz.explain.{kind}", item=item, number=p.number, title=p.title)
            if also:
                key = "quiz.explain.also_one" if len(also) == 1 else "quiz.explain.also"
                explanation = Text(
                    ja=explanation.ja + t(key, "ja", numbers=_numbers(also, "ja")),
                    en=explanation.en + t(key, "en", numbers=_numbers(also, "en")),
                )
            for number, other in similar:  # said differently elsewhere: name it, so the feedback is the whole truth
                explanation = Text(
                    ja=explanation.ja + t("quiz.explain.similar", "ja", number=number, item=other.ja),
                    en=explanation.en + t("quiz.explain.similar", "en", number=number, item=other.en),
                )
            yield Question(
                id=qid,
                kind=kind,
                principle=p.number,
                prompt=_both(f"quiz.prompt.{kind}"),
                subject=item,
                choices=(_title(p), *others),
                answer=0,
                explanation=explanation,
            )


def _first_steps(p: Principle) -> list[Text]:
    return [p.first_step]


def _first_steps_any(p: Principle) -> list[Text]:
    return [p.first_step, *([p.first_step_page] if p.first_step_page else [])]


def _first_step_of(kb: KnowledgeBase, words: NameWords) -> Iterable[Question]:
    """"What is the first step of principle 5?": the choices are first steps, not principles, so
    it still tests something inside a quiz on that one principle.

    Where the principle's name gives its first step away (#1 「顧客視点でデザインしよう」 and 「まずは、
    顧客の意見を…聞いてみる」), the question names the principle by its number only."""
    for p in kb.principles:
        qid = f"first_step_of-{p.number:02d}"
        pool = [o.first_step for o in kb.principles if o is not p and not any(_overlaps(o.first_step.ja, x.ja)
                                                                                for x in _first_steps_any(p))]
        others = _pick(qid, pool, p.first_step, MAX_CHOICES)
        if others is None:
            continue
        q = Question(
            id=qid,
            kind="first_step_of",
            principle=p.number,
            prompt=_both("quiz.prompt.first_step_of", number=p.number, title=p.title),
            choices=(p.first_step, *others),
            answer=0,
            explanation=_both("quiz.explain.first_step", item=p.first_step, number=p.number, title=p.title),
        )
        if gives_away(q, words):
            q = replace(q, prompt=_both("quiz.prompt.first_step_of_number", number=p.number))
        yield q


# The headings of a principle's page a "which heading?" question chooses between, with what each holds.
_HEADINGS: tuple[tuple[str, Callable[[Principle], list[Text]]], ...] = (
    ("kpi", lambda p: p.kpi.examples),
    ("checklist", lambda p: p.checklist),
    ("action", lambda p: p.action_examples),
    ("focus", lambda p: p.focus_initiatives),
)


def _headings(kb: KnowledgeBase) -> Iterable[Question]:
    """"Under which heading does principle 5 list this?" (example KPI, self-check viewpoint, action
    example, focus initiative). An item the principle lists under two of them is not asked."""
    labels = {kind: _both(f"quiz.heading.{kind}") for kind, _ in _HEADINGS}
    for p in kb.principles:
        for kind, items in _HEADINGS:
            for item in items(p):
                under = [k for k, other in _HEADINGS if any(_overlaps(item.ja, x.ja) for x in other(p))]
                if under != [kind]:
                    continue
                qid = f"heading-{p.number:02d}-{_digest(item.ja)}"
                others = [labels[k] for k, _ in _HEADINGS if k != kind]
                random.Random(qid).shuffle(others)
                yield Question(
                    id=qid,
                    kind="heading",
                    principle=p.number,
                    prompt=_both("quiz.prompt.heading", number=p.number, title=p.title),
                    subject=item,
                    choices=(labels[kind], *others),
                    answer=0,
                    explanation=_both(f"quiz.explain.{kind}", item=item, number=p.number, title=p.title),
                )


def _departments(kb: KnowledgeBase) -> Iterable[Question]:
    """"Which department promotes this roadmap initiative?", every department by its full name.

    #2's page prints 「基盤整備部」 for 「デジタル基盤整備部」, as `bot.departments` reads it: one
    department. Offering the short name as a wrong choice (or both names) taught two departments.
    """
    full = {printed.ja: d.name for d in departments(kb) for _, _, printed in d.initiatives}
    names = list({n.ja: n for n in full.values()}.values())
    for p in kb.principles:
        for item in p.roadmap:
            qid = f"department-{p.number:02d}-{_digest(item.name.ja)}"
            department = full[item.department.ja]
            # Any department that also runs an initiative of this name elsewhere would be right too.
            right = {full[i.department.ja].ja for o in kb.principles for i in o.roadmap if _same(i.name.ja, item.name.ja)}
            pool = [n for n in names if n.ja not in right]
            others = _pick(qid, pool, department, MAX_CHOICES)
            if others is None:
                continue
            explanation = (
                _both("quiz.explain.department", number=p.number, item=item.name, department=department)
                if item.department.ja == department.ja
                else _both("quiz.explain.department_printed", number=p.number, item=item.name, department=department,
                           printed=item.department)
            )
            yield Question(
                id=qid,
                kind="department",
                principle=p.number,
                prompt=_both("quiz.prompt.department"),
                subject=item.name,
                choices=(department, *others),
                answer=0,
                explanation=explanation,
            )


def _stages(kb: KnowledgeBase) -> Iterable[Question]:
    # Stage names several principles use (企画段階, 開発段階, 運用段階): a plausible wrong heading for
    # any principle that does not use them. Another principle's own heading ("When providing the
    # service" offered for #2) made the question trivial (QA 6.4).
    uses = Counter(_folded(s.name.ja) for p in kb.principles for s in p.stages)
    common = list({_folded(s.name.ja): s.name for p in kb.principles for s in p.stages
                   if uses[_folded(s.name.ja)] >= 2}.values())
    for p in kb.principles:
        if len(p.stages) < 2:
            continue  # one stage only: nothing to choose between
        for stage in p.stages:
            for action in stage.actions:
                qid = f"stage-{p.number:02d}-{_digest(action.ja)}"
                holders = [s.name for s in p.stages if any(_same(a.ja, action.ja) for a in s.actions)]
                if len(holders) != 1:
                    continue
                # The principle's own other stages, topped up with common stage names it does not use.
                own = [s.name for s in p.stages if s is not stage]
                extra = [n for n in common if not any(_same(n.ja, s.name.ja) for s in p.stages)]
                random.Random(qid).shuffle(extra)
                others = (own + extra)[: MAX_CHOICES - 1]
                if len(others) < 2:
                    continue
                yield Question(
                    id=qid,
                    kind="stage",
                    principle=p.number,
                    prompt=_both("quiz.prompt.stage", number=p.number, title=p.title),
                    subject=action,
                    choices=(stage.name, *others),
                    answer=0,
                    explanation=_both("quiz.explain.stage", number=p.number, item=action, stage=stage.name),
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
        yield Question(
            id=qid,
            kind="glossary",
            principle=term.principles[0] if term.principles else None,
            prompt=_both("quiz.prompt.glossary"),
            subject=Text(ja=_bare(term.term.ja), en=_bare(term.term.en)),
            choices=(term.definition, *others),
            answer=0,
            # Where the document uses the term is said once, by the source line under the feedback
            # (render.source, as under a glossary answer); the explanation said it too (QA 2.6).
            explanation=_both("quiz.explain.glossary", term=term.term, definition=term.definition),
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


# -- questions that give their answer away ------------------------------------------------------

_KANJI_RUN = re.compile(r"[\u4e00-\u9fff々〆]{2,}")
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]{2,}")
_HIRAGANA_ONLY = re.compile(r"^[\u3041-\u3096ー、・\s]+$")
_EN_WORD = re.compile(r"[a-z]+")
_EN_FUNCTION = frozenset("the a an of our and with as on no one from keep make take taking build work most we it".split())
# A word on more than half the pages (their headings included) is the document's, not a principle's:
# デジタル, サービス, 活用, 都民, 視点 (every page has 「目標設定の視点」), Tokyo.
COMMON_PAGES = 5


def _en_same(a: str, b: str) -> bool:
    """"secure"/"security", "learning"/"learned", "safe"/"safety": one word, inflected."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= 5 or (n == min(len(a), len(b)) and n >= 4)


@dataclass(frozen=True)
class NameWords:
    """The distinctive words of the principles' names, by language: Japanese folded (to find them
    whatever the script) to as written (to name them)."""

    ja: dict[str, str]
    en: frozenset[str]

    def found(self, text: str, lang: str) -> set[str]:
        """The words in the text, as written in the names."""
        if lang == "ja":
            folded = fold(text)
            return {shown for w, shown in self.ja.items() if w in folded}
        tokens = _EN_WORD.findall(text.lower())
        return {w for w in self.en if any(_en_same(w, x) for x in tokens)}


def name_words(kb: KnowledgeBase) -> NameWords:
    """Every principle name's words (Japanese: katakana words, pairs of kanji, and the names people
    use, which keep their kana: 「見える化」「取り残されない」「学び続ける」; English: the title's content
    words), less those on more than COMMON_PAGES principles' pages.

    (A kanji with the kana after it, 「取り」「続け」, was tried: it is the ending of everyday verbs
    such as 取り組む as often as a word of a name.)"""
    labels = [Text(ja=t(f"facet.{f}", "ja"), en=t(f"facet.{f}", "en")) for f in FACETS]
    labels += [Text(ja=t(f"quiz.heading.{k}", "ja"), en=t(f"quiz.heading.{k}", "en")) for k, _ in _HEADINGS]
    pages = [[*_content(p), *labels] for p in kb.principles]
    ja: set[str] = set()
    en: set[str] = set()
    for p in kb.principles:
        title = p.title.ja
        ja.update(_KATAKANA_RUN.findall(title))
        ja.update(run[i:i + 2] for run in _KANJI_RUN.findall(title) for i in range(len(run) - 1))
        ja.update(a for a in p.aliases.ja if not _HIRAGANA_ONLY.match(a))
        en.update(w for w in _EN_WORD.findall(p.title.en.lower()) if w not in _EN_FUNCTION and len(w) >= 4)
    folded = {fold(w): w for w in sorted(ja)}
    ja_pages = [" ".join(fold(x.ja) for x in page) for page in pages]
    en_pages = [_EN_WORD.findall(" ".join(x.en for x in page).lower()) for page in pages]
    return NameWords(
        ja={w: shown for w, shown in folded.items() if sum(w in page for page in ja_pages) <= COMMON_PAGES},
        en=frozenset(w for w in en if sum(any(_en_same(w, x) for x in page) for page in en_pages) <= COMMON_PAGES),
    )


# Kinds where a principle's name is part of the question: its choices are names, or its prompt names one.
_NAMED = frozenset({"first_step", "kpi", "checklist", "focus", "action", "principle", "scenario", "first_step_of"})


def gives_away(q: Question, words: NameWords) -> str | None:
    """The word that gives the answer away, or None.

    A question gives its answer away when its stem (prompt and quoted item) and its right choice
    share a distinctive word of a principle's name that no wrong choice has: 「安全安心の観点からの
    はじめの第一歩は何条？」 with #5 「安全安心なデジタル社会をつくろう」 among the choices (QA 2.5),
    「顧客の声を直接聞く」 for #1 「顧客視点でデザインしよう」. A word a wrong choice has too is a
    fair trap, not a giveaway. Either language giving it away is enough; of several words, the
    longest is named.
    """
    if q.kind not in _NAMED:
        return None
    for lang in ("ja", "en"):
        stem = words.found(" ".join([q.prompt.get(lang), q.subject.get(lang) if q.subject else ""]), lang)
        right = words.found(q.correct.get(lang), lang)
        wrong = set().union(*(words.found(c.get(lang), lang) for i, c in enumerate(q.choices) if i != q.answer))
        if shared := sorted((stem & right) - wrong, key=lambda w: (-len(w), w)):
            return shared[0]
    return None


def scenario_giveaways(kb: KnowledgeBase, scenarios: list[Scenario]) -> list[tuple[int, str]]:
    """(index in the file, the word) of each scenario whose situation gives its answer away."""
    words = name_words(kb)
    return [(i, word) for i, q in enumerate(_scenarios(kb, scenarios)) if (word := gives_away(q, words))]


def build_bank(kb: KnowledgeBase, scenarios: list[Scenario]) -> list[Question]:
    words = name_words(kb)
    generated: list[Question] = []
    # (kind, the items asked about, the items that count as "listed under the same heading" elsewhere)
    generated += _which_principle(kb, "first_step", _first_steps, _first_steps_any)
    generated += _which_principle(kb, "kpi", lambda p: p.kpi.examples, lambda p: [*p.kpi.examples, *p.kpi.output, *p.kpi.outcome])
    generated += _which_principle(kb, "checklist", lambda p: p.checklist, lambda p: p.checklist)
    generated += _which_principle(kb, "focus", lambda p: p.focus_initiatives, lambda p: p.focus_initiatives)
    generated += _which_principle(kb, "action", lambda p: p.action_examples, lambda p: p.action_examples)
    generated += _which_principle(kb, "principle", lambda p: [p.action_principle], lambda p: [p.action_principle])
    generated += _first_step_of(kb, words)
    generated += _headings(kb)
    generated += _departments(kb)
    generated += _stages(kb)
    generated += _glossary(kb)
    # A generated item is the document's own wording, which cannot be rephrased: a question whose
    # item gives its answer away is not asked. Scenarios are written here, so they are rephrased
    # instead (a test checks every question of the bank).
    generated = [q for q in generated if gives_away(q, words) is None]
    generated += _scenarios(kb, scenarios)
    return _balance(generated)


# Kinds whose choices are principles. In a quiz on one principle their answer would always be
# that principle ("quiz 5": every "which principle…?" answer was #5), so such a quiz leaves them out.
NAMES_THE_PRINCIPLE = frozenset({"first_step", "kpi", "checklist", "focus", "action", "principle", "scenario"})


class Bank:
    """The questions, by id and by principle."""

    def __init__(self, questions: list[Question]) -> None:
        self.questions = questions
        self.by_id = {q.id: q for q in questions}

    def get(self, question_id: str) -> Question | None:
        return self.by_id.get(question_id)

    def for_principle(self, number: int | None) -> list[Question]:
        return [q for q in self.questions if number is None or q.principle == number]

    def on_principle(self, number: int | None) -> list[Question]:
        """The questions for a quiz on one principle (all of them for a quiz on all ten): only
        those whose answer is not the principle itself, and no glossary terms (a term is filed
        under the first principle that uses it, which says little about that principle)."""
        if number is None:
            return self.questions
        return [q for q in self.for_principle(number) if q.kind not in NAMES_THE_PRINCIPLE and q.kind != "glossary"]


_BANKS: dict[int, tuple[KnowledgeBase, Bank]] = {}


def bank_for(kb: KnowledgeBase) -> Bank:
    """The bank for a loaded knowledge base, built once (tens of milliseconds)."""
    cached = _BANKS.get(id(kb))
    if cached is None or cached[0] is not kb:
        cached = (kb, Bank(build_bank(kb, load_scenarios())))
        _BANKS[id(kb)] = cached
    return cached[1]
