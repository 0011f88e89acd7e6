"""The tip sequence: one short idea at a time from the knowledge base, each with its source.

The sequence interleaves kinds (first step, KPI example, roadmap item, self-check viewpoint,
glossary term) and principles, so consecutive tips differ. A subscription walks the whole
sequence from its own starting offset before any tip repeats.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from itertools import zip_longest

from bot.answers import encode
from bot.catalog import t
from bot.events import Button, Reply
from bot.matcher import Match
from knowledge.schema import KnowledgeBase, Principle

KINDS = ("first_step", "kpi", "roadmap", "checklist", "glossary")


@dataclass(frozen=True)
class Tip:
    id: str  # stable within one knowledge base: "kpi:3:1", "term:nps"
    kind: str
    principle: int | None
    index: int = 0
    term: str | None = None


def _by_rank(items: list[list[Tip]]) -> list[Tip]:
    """Principle 1's first item, principle 2's first item, ..., then everyone's second item."""
    return [tip for rank in zip_longest(*items) for tip in rank if tip is not None]


def sequence(kb: KnowledgeBase) -> list[Tip]:
    groups: list[list[Tip]] = [
        [Tip(f"first_step:{p.number}", "first_step", p.number) for p in kb.principles],
        _by_rank([[Tip(f"kpi:{p.number}:{i}", "kpi", p.number, i) for i in range(len(p.kpi.examples))] for p in kb.principles]),
        _by_rank([[Tip(f"roadmap:{p.number}:{i}", "roadmap", p.number, i) for i in range(len(p.roadmap))] for p in kb.principles]),
        _by_rank([[Tip(f"checklist:{p.number}:{i}", "checklist", p.number, i) for i in range(len(p.checklist))] for p in kb.principles]),
        [Tip(f"term:{term.id}", "glossary", term.principles[0] if term.principles else None, term=term.id) for term in kb.glossary],
    ]
    return _by_rank(groups)


def start_offset(subscription_id: int, length: int) -> int:
    """Where a subscription starts in the sequence: spread out, and the same on every run."""
    digest = hashlib.sha256(f"dx10-nudge-{subscription_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % max(1, length)


def tip_at(tips: list[Tip], subscription_id: int, cursor: int) -> Tip:
    """The cursor-th tip of a subscription: all len(tips) are seen before the first repeats."""
    return tips[(start_offset(subscription_id, len(tips)) + cursor) % len(tips)]


def of_the_day(tips: list[Tip], who: str, day: date) -> Tip:
    """A tip of the day for someone without a subscription ("platform:user"): their own starting
    place, then one step a day, so asking again the same day shows the same tip."""
    digest = hashlib.sha256(f"dx10-tip-of-the-day-{who}".encode()).digest()
    return tips[(int.from_bytes(digest[:8], "big") + day.toordinal()) % len(tips)]


def find(tips: list[Tip], tip_id: str) -> Tip | None:
    return next((tip for tip in tips if tip.id == tip_id), None)


def more(kb: KnowledgeBase, tip: Tip) -> Match:
    """What the tip's "More" button asks: the term, or the principle's facet the tip comes from."""
    if tip.kind == "glossary" and tip.term and kb.term(tip.term):
        return Match("glossary", None, None, tip.term, 1.0)
    return Match("principle", tip.principle or 1, _FACETS.get(tip.kind, "overview"), None, 1.0)


# The facet "More" opens for each kind of tip (a first step opens the overview it belongs to).
_FACETS = {"first_step": "overview", "kpi": "kpi", "roadmap": "roadmap", "checklist": "checklist"}


def render(kb: KnowledgeBase, tip: Tip, lang: str) -> Reply:
    """The tip as a short reply with "more" and "try a quiz question" buttons."""
    if tip.kind == "glossary" and tip.term and (term := kb.term(tip.term)):
        heading = t("glossary.title", lang, term=term.term.get(lang))
        body = term.definition.get(lang)
        where = ", ".join(f"#{n}" for n in term.principles) or "-"
        source = t("source.glossary", lang, where=where)
    else:
        p = kb.principle(tip.principle or 1)
        heading, body = _principle_tip(p, tip, lang)
        source = t("source.principle", lang, number=p.number)
    title = f"{t('nudge.tip.title', lang)}: {heading}"
    # One question in the tip's language (the quiz feature's "quiz:one:" button): five were a lot
    # for a try from a tip.
    buttons = (Button(t("nudge.button.more", lang), encode(more(kb, tip), lang)),
               Button(t("nudge.button.quiz", lang), f"quiz:one:{tip.principle or ''}:{lang}"))
    return Reply(
        fallback="\n\n".join([title, body, source]),
        lang=lang,
        title=title,
        sections=(body,),
        buttons=buttons,
        source=source,
    )


def _principle_tip(p: Principle, tip: Tip, lang: str) -> tuple[str, str]:
    """(heading, body)."""
    name = f"#{p.number} {p.title.get(lang)}"
    if tip.kind == "first_step":
        return f"{name} — {t('facet.first_step', lang)}", f"👣 {p.first_step.get(lang)}"
    if tip.kind == "kpi":
        example = p.kpi.examples[tip.index % len(p.kpi.examples)]
        return f"{name} — {t('facet.kpi', lang)}", f"📏 {example.get(lang)}"
    if tip.kind == "roadmap":
        item = p.roadmap[tip.index % len(p.roadmap)]
        body = f"🗺️ {item.name.get(lang)}\n{t('label.department', lang)}: {item.department.get(lang)}"
        return f"{name} — {t('facet.roadmap', lang)}", body
    viewpoint = p.checklist[tip.index % len(p.checklist)]
    return f"{name} — {t('facet.checklist', lang)}", f"✅ {viewpoint.get(lang)}"


def summary(kb: KnowledgeBase, tip: Tip, lang: str) -> str:
    """One line for previews and logs."""
    reply = render(kb, tip, lang)
    first = reply.sections[0].splitlines()[0] if reply.sections else ""
    return f"{reply.title} | {first}"
