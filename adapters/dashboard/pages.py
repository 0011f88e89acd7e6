"""Server-rendered HTML of the dashboard (no script, no external resources)."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from adapters.dashboard.charts import bar_chart, data_table, days_chart
from bot.catalog import MESSAGES, t
from bot.stats import Period, Stats
from knowledge.schema import KnowledgeBase

CSS = "/dashboard/static/dashboard.css"


def _other(lang: str) -> str:
    return "en" if lang == "ja" else "ja"


def document(lang: str, title: str, body: str, *, switch_href: str, header_extra: str = "") -> str:
    other = _other(lang)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><link rel=\"stylesheet\" href=\"{CSS}\"></head><body>"
        f'<a class="skip" href="#main">{escape(t("dashboard.skip", lang))}</a>'
        f'<header><p class="brand">{escape(t("dashboard.title", lang))}</p>'
        f'<nav aria-label="{escape(t("dashboard.title", lang))}">'
        f'<a href="{escape(switch_href)}" lang="{other}" hreflang="{other}" '
        f'aria-label="{escape(t("dashboard.lang_switch_label", lang))}">{escape(t("dashboard.lang_switch", lang))}</a>'
        f"{header_extra}</nav></header>"
        f'<main id="main">{body}</main></body></html>'
    )


def login_page(lang: str, csrf: str, message: str | None = None) -> str:
    note = f'<p class="notice" role="alert">{escape(message)}</p>' if message else ""
    body = (
        f'<h1>{escape(t("dashboard.login.title", lang))}</h1>{note}'
        f'<form method="post" action="/dashboard/login?{urlencode({"lang": lang})}" class="login">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        f'<label for="token">{escape(t("dashboard.login.token", lang))}</label>'
        f'<input id="token" name="token" type="password" autocomplete="current-password" required '
        f'aria-describedby="token-hint">'
        f'<p id="token-hint" class="hint">{escape(t("dashboard.login.hint", lang))}</p>'
        f'<button type="submit">{escape(t("dashboard.login.submit", lang))}</button></form>'
    )
    return document(lang, t("dashboard.login.title", lang), body,
                    switch_href=f"/dashboard/login?{urlencode({'lang': _other(lang)})}")


def _facet(facet: str, lang: str) -> str:
    if not facet:
        return t("dashboard.facet.none", lang)
    return t(f"facet.{facet}", lang) if f"facet.{facet}" in MESSAGES else facet


def _intent(intent: str | None, lang: str) -> str:
    """The matcher's intent in words, with its id for whoever tunes the matcher: 「対象外 (out_of_scope)」."""
    if not intent:
        return "-"
    key = f"dashboard.intent.{intent}"
    return f"{t(key, lang)} ({intent})" if key in MESSAGES else intent


def _principle(kb: KnowledgeBase, number: int | None, lang: str) -> str:
    if number is None:
        return "-"
    try:
        return kb.principle(int(number)).source(lang)
    except (KeyError, ValueError, IndexError):
        return f"#{number}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _section(section_id: str, title: str, content: str) -> str:
    return (f'<section aria-labelledby="{section_id}"><h2 id="{section_id}">{escape(title)}</h2>'
            f"{content}</section>")


def _unavailable(lang: str) -> str:
    return f'<p class="empty">{escape(t("dashboard.not_available", lang))}</p>'


def dashboard_page(kb: KnowledgeBase, stats: Stats, lang: str, csrf: str, *, retention_days: int,
                   worklist_limit: int, error: str | None = None) -> str:
    period = stats.period
    query = {"from": period.lo, "to": period.end.isoformat()}
    logout = (f'<form method="post" action="/dashboard/logout" class="logout">'
              f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
              f'<input type="hidden" name="lang" value="{lang}">'
              f'<button type="submit">{escape(t("dashboard.logout", lang))}</button></form>')
    notice = f'<p class="notice" role="alert">{escape(error)}</p>' if error else ""
    form = (
        f'<form method="get" action="/dashboard" class="period" aria-label="{escape(t("dashboard.period", lang))}">'
        f'<input type="hidden" name="lang" value="{lang}">'
        f'<label for="from">{escape(t("dashboard.period.from", lang))}</label>'
        f'<input id="from" name="from" type="date" value="{period.lo}">'
        f'<label for="to">{escape(t("dashboard.period.to", lang))}</label>'
        f'<input id="to" name="to" type="date" value="{period.end.isoformat()}">'
        f'<button type="submit">{escape(t("dashboard.period.show", lang))}</button></form>'
        f'<p class="shown">{escape(t("dashboard.period.shown", lang, start=period.lo, end=period.end.isoformat()))} · '
        f'<a href="/api/stats.json?{urlencode(query)}">{escape(t("dashboard.export", lang))}</a></p>'
    )
    nps_score = stats.nps["score"] if stats.nps and stats.nps["score"] is not None else None
    subs = stats.subscriptions
    cards = [
        (t("dashboard.questions", lang), str(stats.questions)),
        (t("dashboard.answered_share", lang), _pct(stats.answered_share)),
        (t("dashboard.nps", lang), "-" if nps_score is None else f"{nps_score:+d}"),
        (t("dashboard.subscriptions", lang), "-" if subs is None else str(sum(subs.values()))),
    ]
    summary = '<dl class="cards">' + "".join(
        f'<div class="card"><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>' for k, v in cards) + "</dl>"

    principles = [(_principle(kb, p, lang), n) for p, n in stats.principles[:10]]
    facets = [(_facet(f, lang), n) for f, n in stats.facets[:10]]
    feedback_rows = [[_facet(f, lang), str(up), str(down)] for f, up, down in stats.feedback]
    feedback = (data_table(t("dashboard.feedback", lang), [t("dashboard.facet", lang), t("dashboard.helpful", lang),
                                                           t("dashboard.not_helpful", lang)], feedback_rows)
                if feedback_rows else f'<p class="empty">{escape(t("dashboard.no_data", lang))}</p>')

    work_rows = [[
        str(w["at"]).replace("T", " ")[:19], str(w["text"]), _intent(w["intent"], lang),
        f"{float(w['confidence'] or 0):.2f}",
        t("dashboard.unanswered", lang) if not w["answered"] else t("dashboard.low_confidence", lang),
    ] for w in stats.worklist]
    worklist = (f'<p class="hint">{escape(t("dashboard.worklist.note", lang, limit=worklist_limit, days=retention_days))}</p>'
                + (f'<div class="scroll" tabindex="0" role="region" aria-label="{escape(t("dashboard.worklist", lang))}">'
                   + data_table(t("dashboard.worklist", lang),
                                [t("dashboard.time", lang), t("dashboard.text", lang), t("dashboard.intent", lang),
                                 t("dashboard.confidence", lang), t("dashboard.status", lang)], work_rows,
                                numeric=[3]) + "</div>"  # only the confidence is a number
                   if work_rows else f'<p class="empty">{escape(t("dashboard.no_data", lang))}</p>'))

    if stats.comments is None:
        comments = _unavailable(lang)
    else:
        comments = (
            f'<p class="hint">{escape(t("dashboard.comments.note", lang, limit=worklist_limit, days=retention_days))}</p>'
            + (f'<div class="scroll" tabindex="0" role="region" aria-label="{escape(t("dashboard.comments", lang))}">'
               + data_table(t("dashboard.comments", lang),
                            [t("dashboard.date", lang), t("dashboard.score", lang), t("dashboard.comment", lang)],
                            [[str(c["day"]), str(c["score"]), str(c["comment"])] for c in stats.comments],
                            numeric=[1]) + "</div>"  # the score; the comment is text
               if stats.comments else f'<p class="empty">{escape(t("dashboard.no_data", lang))}</p>'))

    if stats.quiz is None:
        quiz = _unavailable(lang)
    elif not stats.quiz:
        quiz = f'<p class="empty">{escape(t("dashboard.no_data", lang))}</p>'
    else:
        quiz = data_table(t("dashboard.quiz", lang), [t("dashboard.principle", lang), t("dashboard.participants", lang),
                                                     t("dashboard.quiz_answers", lang), t("dashboard.accuracy", lang)],
                          [[_principle(kb, q["principle"], lang), str(q["participants"]), str(q["answers"]),
                            _pct(q["accuracy"])] for q in stats.quiz])
    if stats.commitments is None:
        commitments = _unavailable(lang)
    elif not stats.commitments:
        commitments = f'<p class="empty">{escape(t("dashboard.no_data", lang))}</p>'
    else:
        commitments = data_table(
            t("dashboard.commitments", lang),
            [t("dashboard.principle", lang), t("dashboard.made", lang), t("dashboard.done", lang), t("dashboard.not_yet", lang)],
            [[_principle(kb, c["principle"], lang), str(c["made"]), str(c["done"]), str(c["not_yet"])]
             for c in stats.commitments])
    if stats.nps is None:
        nps = _unavailable(lang)
    else:
        nps = data_table(t("dashboard.nps.title", lang), [t("dashboard.item", lang), t("dashboard.count", lang)], [
            [t("dashboard.nps.responses", lang), str(stats.nps["responses"])],
            [t("dashboard.nps.promoters", lang), str(stats.nps["promoters"])],
            [t("dashboard.nps.passives", lang), str(stats.nps["passives"])],
            [t("dashboard.nps.detractors", lang), str(stats.nps["detractors"])],
            [t("dashboard.nps", lang), "-" if nps_score is None else f"{nps_score:+d}"],
        ])
    if stats.subscriptions is None and stats.deliveries is None:
        nudges = _unavailable(lang)
    else:
        rows = []
        if stats.subscriptions is not None:
            active = t("dashboard.subscriptions", lang)
            rows += [[f'{active}: {t(f"dashboard.sub.{kind}", lang)}', str(stats.subscriptions.get(kind, 0))]
                     for kind in ("user", "channel")]
        if stats.deliveries is not None:
            rows += [[f'{t("dashboard.deliveries", lang)}: {t(f"dashboard.{s}", lang)}', str(stats.deliveries.get(s, 0))]
                     for s in ("sent", "skipped", "failed")]
            rows += [[t("dashboard.failed_reason", lang, reason=f["reason"] or "-"), str(f["count"])]
                     for f in stats.delivery_failures or []]
        nudges = data_table(t("dashboard.nudges", lang), [t("dashboard.item", lang), t("dashboard.count", lang)], rows)

    body = (
        f'<h1>{escape(t("dashboard.title", lang))}</h1>{notice}{form}'
        + _section("summary", t("dashboard.summary", lang), summary)
        + _section("per-day", t("dashboard.per_day", lang), days_chart("chart-days", stats.days, lang))
        + '<div class="columns">'
        + _section("principles", t("dashboard.principles", lang),
                   bar_chart("chart-principles", t("dashboard.principles", lang), t("dashboard.principle", lang),
                             principles, lang))
        + _section("facets", t("dashboard.facets", lang),
                   bar_chart("chart-facets", t("dashboard.facets", lang), t("dashboard.facet", lang), facets, lang))
        + "</div>"
        + _section("worklist", t("dashboard.worklist", lang), worklist)
        + _section("feedback", t("dashboard.feedback", lang), feedback)
        + _section("comments", t("dashboard.comments", lang), comments)
        + _section("quiz", t("dashboard.quiz", lang), quiz)
        + _section("commitments", t("dashboard.commitments", lang), commitments)
        + _section("nps", t("dashboard.nps.title", lang), nps)
        + _section("nudges", t("dashboard.nudges", lang), nudges)
    )
    switch = f"/dashboard?{urlencode({**query, 'lang': _other(lang)})}"
    return document(lang, t("dashboard.title", lang), body, switch_href=switch, header_extra=logout)


def period_for_links(period: Period) -> dict[str, str]:
    return {"from": period.lo, "to": period.end.isoformat()}
