"""Turn a match into short, sourced, neutral replies."""

from __future__ import annotations

import re

from bot.catalog import t
from bot.events import Button, Fact, Reply
from bot.matcher import Match
from bot.text import content_bigrams, fold
from knowledge.schema import FACETS, Initiative, KnowledgeBase, Principle, Stage, Text

# Next steps offered after each facet: the facets people usually ask next.
_NEXT = {
    "overview": ("first_step", "kpi", "roadmap"),
    "direction": ("actions", "first_step", "overview"),
    "actions": ("kpi", "checklist", "first_step"),
    "kpi": ("actions", "checklist", "first_step"),
    "first_step": ("overview", "kpi", "roadmap"),
    "roadmap": ("first_step", "kpi", "overview"),
    "checklist": ("actions", "kpi", "first_step"),
}


def encode(match: Match, lang: str = "") -> str:
    """A button value that re-asks a match, in the language of the reply it sits on."""
    return ":".join(["ask", match.intent, str(match.principle or ""), match.facet or "", match.term or "", lang])


def decode(value: str) -> tuple[Match, str | None] | None:
    parts = value.split(":")
    if len(parts) == 5:
        parts.append("")
    if len(parts) != 6 or parts[0] != "ask" or parts[5] not in ("", "ja", "en"):
        return None
    _, intent, principle, facet, term, lang = parts
    if facet and facet not in FACETS:
        return None
    number = int(principle) if principle.isdigit() and 1 <= int(principle) <= 10 else None
    if principle and number is None:
        return None
    return Match(intent, number, facet or None, term or None, 1.0), lang or None


_PARENTHESES = re.compile(r"[（(][^）)]*[）)]")


def _gist(text: str) -> str:
    """A KPI's words without its parenthetical glosses: 「NPS（…）による評価」 → 「npsによる評価」."""
    return fold(_PARENTHESES.sub("", text))


# 「まずは、」 opens every summary-table first step; a page wording that differs only by it says nothing new.
_LEAD_IN = re.compile(r"^(?:まずは|まず)[、,]?\s*")


_EN_NAME_WORD = re.compile(r"[a-z]{4,}")


def _asked_initiative(p: Principle, text: str) -> Initiative | None:
    """The one roadmap initiative a question names (「アジャイル型開発の推進部署」, "who leads agile
    development"): most of its name's character pairs, or of its longer English words, appear."""
    if not text:
        return None
    q = fold(text)
    grams, words = content_bigrams(q), set(_EN_NAME_WORD.findall(q))
    named = []
    for item in p.roadmap:
        name_grams = content_bigrams(fold(_PARENTHESES.sub("", item.name.ja)))
        name_words = set(_EN_NAME_WORD.findall(_PARENTHESES.sub("", item.name.en).lower()))
        if (name_grams and len(name_grams & grams) >= 0.6 * len(name_grams)) or \
                (len(name_words) >= 2 and len(name_words & words) >= 0.6 * len(name_words)):
            named.append(item)
    return named[0] if len(named) == 1 else None


_STAGE_CORE = re.compile(r"段階$|時$|\s*stage$")


def _asked_stage(p: Principle, text: str) -> Stage | None:
    """The one stage a question names (「第1条の運用段階」, "planning stage of principle 9")."""
    if not text or len(p.stages) < 2:
        return None
    q = fold(text)
    named = []
    for stage in p.stages:
        ja, en = _STAGE_CORE.sub("", stage.name.ja), _STAGE_CORE.sub("", stage.name.en.lower())
        if fold(stage.name.ja) in q or (ja and f"{fold(ja)}段階" in q) or re.search(rf"\b{re.escape(en)}\s+(?:stage|phase)", q):
            named.append(stage)
    return named[0] if len(named) == 1 else None


def _initiative_block(item: Initiative, lang: str, number: int | None = None) -> str:
    heading = f"{number}. {item.name.get(lang)}" if number else item.name.get(lang)
    block = f"*{heading}*\n{t('label.department', lang)}: {item.department.get(lang)}"
    if item.timeline:
        block += f"\n{t('label.timeline', lang)}:\n" + _bullets(item.timeline, lang)
    return block


def _unsorted_kpis(p: Principle) -> list[Text]:
    """KPI examples the page does not sort into output or outcome KPIs (by meaning, not spelling)."""
    kinds = {key for k in (*p.kpi.output, *p.kpi.outcome) for key in (_gist(k.ja), k.en)}
    return [k for k in p.kpi.examples if _gist(k.ja) not in kinds and k.en not in kinds]


def _kpis(p: Principle) -> list[Text]:
    return [*_unsorted_kpis(p), *p.kpi.output, *p.kpi.outcome]


def _bullets(items: list[Text], lang: str) -> str:
    return "\n".join(f"• {item.get(lang)}" for item in items)


def _facet_button(p: Principle, facet: str, lang: str) -> Button:
    return Button(t(f"facet.{facet}", lang), encode(Match("principle", p.number, facet), lang))


def _principle_reply(kb: KnowledgeBase, p: Principle, facet: str, lang: str, text: str = "") -> Reply:
    title = f"#{p.number} {p.title.get(lang)} — {t(f'facet.{facet}', lang)}"
    if facet == "actions" and (stage := _asked_stage(p, text)) is not None:
        buttons = [Button(t("button.all_stages", lang), encode(Match("principle", p.number, "actions"), lang))]
        return compose(title, [f"*{stage.name.get(lang)}*\n{_bullets(stage.actions, lang)}"], [], buttons,
                       t("source.principle", lang, number=p.number), lang)
    if facet == "roadmap" and (item := _asked_initiative(p, text)) is not None:
        # Only the initiative asked about; the whole roadmap is a button away.
        buttons = [Button(t("button.whole_roadmap", lang), encode(Match("principle", p.number, "roadmap"), lang))]
        notes = ["\n".join(note.get(lang) for note in p.roadmap_notes)] if p.roadmap_notes else []
        return compose(title, [_initiative_block(item, lang), *notes], [], buttons,
                       t("source.principle", lang, number=p.number), lang)
    sections: list[str] = []
    facts: list[Fact] = []
    if facet == "overview":
        sections.append(p.action_principle.get(lang))
        # Where the page has no action-principle paragraph, the KB quotes its first bullet as one.
        rest = [e for e in p.explanation if e.get(lang) != p.action_principle.get(lang)]
        if rest:
            sections.append(_bullets(rest, lang))
    elif facet == "direction":
        sections.append(p.direction.get(lang))
        for stage in p.stages:
            facts.append(Fact(stage.name.get(lang), _bullets(stage.actions, lang)))
    elif facet == "actions":
        for stage in p.stages:
            sections.append(f"*{stage.name.get(lang)}*\n{_bullets(stage.actions, lang)}")
        sections.append(f"*{t('label.action_examples', lang)}*\n{_bullets(p.action_examples, lang)}")
    elif facet == "kpi":
        # The page lists the examples, then sorts them into output and outcome KPIs: each
        # example is said once, under its kind when it has one.
        # Pages word an item a little differently in the two lists (#3 「NPSによる評価」 and
        # 「NPS（ネットプロモータースコア）による評価」, #6 「と共同した」 and 「との共同した」).
        unsorted = _unsorted_kpis(p)
        if unsorted:
            sections.append(f"*{t('label.kpi_examples', lang)}*\n{_bullets(unsorted, lang)}")
        for label, kpis in (("label.kpi_output", p.kpi.output), ("label.kpi_outcome", p.kpi.outcome)):
            if kpis:
                sections.append(f"*{t(label, lang)}*\n{_bullets(kpis, lang)}")
    elif facet == "first_step":
        sections.append(f"👣 {p.first_step.get(lang)}")
        if p.first_step_page and _LEAD_IN.sub("", p.first_step.ja) != _LEAD_IN.sub("", p.first_step_page.ja):
            facts.append(Fact(t("label.first_step_page", lang), p.first_step_page.get(lang)))
    elif facet == "roadmap":
        sections.append(f"*{t('label.focus', lang)}*\n{_bullets(p.focus_initiatives, lang)}")
        for i, item in enumerate(p.roadmap, 1):
            sections.append(_initiative_block(item, lang, i))
        if p.roadmap_notes:
            # Quoted with their own marker (「※…」, "Note: …").
            sections.append("\n".join(note.get(lang) for note in p.roadmap_notes))
        # The summary table and the page's roadmap table word some initiatives differently
        # (#9: 「都民との…」 / 「職員との…」): both are quoted, and the reader is told why they differ.
        if {f.ja for f in p.focus_initiatives} - {i.name.ja for i in p.roadmap}:
            sections.append(t("roadmap.wording_note", lang))
    elif facet == "checklist":
        sections.append(_bullets(p.checklist, lang))
    buttons = [_facet_button(p, f, lang) for f in _NEXT[facet]]
    if facet == "first_step":  # the first-step challenge (bot/quiz/commitments.py)
        buttons.insert(0, Button(t("quiz.commit.button", lang), f"commit:{p.number}"))
    buttons.append(Button(t("button.quiz", lang), encode(Match("quiz", p.number), lang)))
    source = t("source.principle", lang, number=p.number)
    return compose(title, sections, facts, buttons, source, lang)


def compose(
    title: str | None, sections: list[str], facts: list[Fact], buttons: list[Button], source: str | None, lang: str
) -> Reply:
    """A reply from its parts; the plain-text fallback says everything the blocks say."""
    parts = [title] if title else []
    parts += sections
    parts += [f"{f.label}:\n{f.value}" for f in facts]
    if source:
        parts.append(source)
    return Reply(
        fallback="\n\n".join(parts),
        lang=lang,
        title=title,
        sections=tuple(sections),
        facts=tuple(facts),
        buttons=tuple(buttons),
        source=source,
    )


def _list_reply(kb: KnowledgeBase, facet: str | None, lang: str) -> Reply:
    if facet is None or facet == "overview":
        title = t("list.title", lang)
        lines = [f"#{p.number} {p.title.get(lang)}" for p in kb.principles]
        sections = ["\n".join(lines)]
        buttons = [
            Button(t("button.principle", lang, number=p.number, title=p.title.get(lang)), encode(Match("principle", p.number, "overview"), lang))
            for p in kb.principles
        ]
    else:
        title = t("list.title_facet", lang, facet=t(f"facet.{facet}", lang))
        sections = []
        for p in kb.principles:
            if facet == "first_step":
                body = p.first_step.get(lang)
            elif facet == "kpi":  # the same KPIs as the principle's own answer, each once
                body = " ／ ".join(k.get(lang) for k in _kpis(p))
            elif facet == "roadmap":
                body = _bullets(p.focus_initiatives, lang)
            elif facet == "checklist":
                body = _bullets(p.checklist, lang)
            elif facet == "direction":
                body = p.direction.get(lang)
            else:  # actions
                body = _bullets(p.action_examples, lang)
            sections.append(f"*#{p.number} {p.title.get(lang)}*\n{body}")
        # Each principle's own page for this facet: the list is a table of contents, not a dead end.
        buttons = [
            Button(t("button.principle", lang, number=p.number, title=p.title.get(lang)), encode(Match("principle", p.number, facet), lang))
            for p in kb.principles
        ]
    # The summary table (＜一覧＞) holds the first steps and focus initiatives; the rest is on each page.
    summary = facet in (None, "overview", "first_step", "roadmap")
    source = t("source.list", lang) if summary else t("source.pages", lang)
    return compose(title, sections, [], buttons, source, lang)


def _glossary_reply(kb: KnowledgeBase, term_id: str, lang: str) -> Reply | None:
    term = kb.term(term_id)
    if term is None:
        return None
    title = t("glossary.title", lang, term=term.term.get(lang))
    where = ", ".join(f"#{n}" for n in term.principles) or "-"
    buttons = [
        Button(
            t("button.principle", lang, number=n, title=kb.principle(n).title.get(lang)),
            encode(Match("principle", n, "overview"), lang),
        )
        for n in term.principles[:6]
    ]
    return compose(title, [term.definition.get(lang)], [], buttons, t("source.glossary", lang, where=where), lang)


def did_you_mean(kb: KnowledgeBase, options: list[Match], lang: str, *, maybe_out_of_scope: bool = False) -> Reply:
    """Choices instead of a guess. When the best reading is "not about the principles", the text
    says so too: weak matches on a word like 「ユーザー」 and on an unrelated question look alike."""
    buttons = [Button(describe(kb, m, lang), encode(m, lang)) for m in options]
    one = "_one" if len(buttons) == 1 else ""
    text = t(("dym.text_or_oos" if maybe_out_of_scope else "dym.text") + one, lang)
    return compose(t("dym.title" + one, lang), [text], [], buttons, None, lang)


def describe(kb: KnowledgeBase, match: Match, lang: str) -> str:
    if match.intent == "principle" and match.principle:
        p = kb.principle(match.principle)
        facet = match.facet or "overview"
        return f"#{p.number} {p.title.get(lang)} — {t('facet.' + facet, lang)}"
    if match.intent == "glossary" and match.term and (term := kb.term(match.term)):
        return t("glossary.title", lang, term=term.term.get(lang))
    if match.intent == "help":
        return t("help.title", lang)
    if match.intent == "list":  # 「はじめの第一歩は？」 with no principle: "First step for all ten"
        if match.facet and match.facet != "overview":
            return t("list.title_facet", lang, facet=t(f"facet.{match.facet}", lang))
        return t("list.title", lang)
    return match.intent


def simple(key: str, lang: str, buttons: list[Button] | None = None, **values: object) -> Reply:
    return compose(None, [t(key, lang, **values)], [], buttons or [], None, lang)


_THANKS = re.compile(r"ありがと|感謝|助かり|thank|thx|cheers|helpful|that helps", re.IGNORECASE)
_BYE = re.compile(r"さようなら|さよなら|またね|じゃあね|じゃね|バイバイ|ばいばい|おやすみ|お先に失礼|お世話になりました|\bbye\b|goodbye", re.IGNORECASE)
_OTSUKARE = re.compile(r"お疲れ|おつかれ")
_MORNING = re.compile(r"おはよう|good morning", re.IGNORECASE)


_NOT_PLEASED = re.compile(r"\bnot\b|n't|\bno\b|useless|いまいち|微妙|役に立たな|役にたたな|わからな|分からな|わかりにく|分かりにく|わかりづら|分かりづら|使いづら",
                          re.IGNORECASE)


def _smalltalk_key(text: str) -> str:
    """Thanks get "you're welcome", goodbyes a goodbye, "not helpful" an apology; anything else a
    greeting and a pointer."""
    if _NOT_PLEASED.search(text):
        return "smalltalk.sorry"
    if _THANKS.search(text):
        return "smalltalk.thanks"
    if _BYE.search(text):
        return "smalltalk.bye"
    if _MORNING.search(text):
        return "smalltalk.morning"
    return "smalltalk.otsukare" if _OTSUKARE.search(text) else "smalltalk.text"


def answer(kb: KnowledgeBase, match: Match, lang: str, text: str = "") -> Reply:
    """The reply for a confident match (callers handle low confidence); `text` is what was asked."""
    if match.intent == "principle" and match.principle:
        return _principle_reply(kb, kb.principle(match.principle), match.facet or "overview", lang, text)
    if match.intent == "list":
        return _list_reply(kb, match.facet, lang)
    if match.intent == "glossary" and match.term:
        reply = _glossary_reply(kb, match.term, lang)
        if reply:
            return reply
    if match.intent == "help":
        return compose(t("help.title", lang), [t("help.text", lang)], [], menu(lang), None, lang)
    if match.intent == "smalltalk":
        return simple(_smalltalk_key(text), lang, menu(lang))
    if match.intent in ("quiz", "progress", "subscribe", "unsubscribe"):
        return simple("feature.soon", lang, menu(lang), feature=t(f"feature.{match.intent}", lang))
    return simple("oos.text", lang, menu(lang))


def menu(lang: str) -> list[Button]:
    return [
        Button(t("button.list", lang), encode(Match("list"), lang)),
        Button(t("facet.first_step", lang), encode(Match("list", None, "first_step"), lang)),
        Button(t("button.help", lang), encode(Match("help"), lang)),
    ]
