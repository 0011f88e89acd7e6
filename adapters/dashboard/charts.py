"""Accessible SVG charts: each has a <title> and a <desc> that state the numbers in words, and is
followed by the same numbers as a table (in a <details> "table view"), so nothing depends on sight
or on colour alone."""

from __future__ import annotations

from collections.abc import Collection
from html import escape

from bot.catalog import t
from bot.stats import Day

ANSWERED = "#1f5fa8"
UNANSWERED = "#b3261e"
BAR = "#1f5fa8"
INK = "#1a1a1a"


def _table(caption: str, headers: list[str], rows: list[list[str]], numeric: Collection[int] | None = None) -> str:
    """`numeric`: the columns of numbers (right-aligned, tabular figures); default: all but the first."""
    numbers = set(range(1, len(headers))) if numeric is None else set(numeric)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(
            (f'<th scope="row">{escape(c)}</th>' if i == 0 else
             f'<td class="num">{escape(c)}</td>' if i in numbers else f"<td>{escape(c)}</td>")
            for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    # The caption repeats the section heading: kept for screen readers, hidden on screen.
    return f"<table><caption class=\"sr-only\">{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def table_view(lang: str, caption: str, headers: list[str], rows: list[list[str]]) -> str:
    return (f'<details class="table-view"><summary>{escape(t("dashboard.table_view", lang))}</summary>'
            f"{_table(caption, headers, rows)}</details>")


def days_chart(chart_id: str, days: list[Day], lang: str) -> str:
    """Stacked bars per day: answered (blue) under unanswered (red)."""
    width, height, left, bottom, top = 720, 240, 52, 34, 12
    peak = max((d.questions for d in days), default=0)
    scale_max = max(peak, 1)
    plot_w, plot_h = width - left - 8, height - bottom - top
    slot = plot_w / max(len(days), 1)
    bar_w = max(slot * 0.8, 0.5)
    parts: list[str] = []
    for i, d in enumerate(days):
        x = left + i * slot + (slot - bar_w) / 2
        h_ok = plot_h * d.answered / scale_max
        h_no = plot_h * d.unanswered / scale_max
        y_ok = top + plot_h - h_ok
        if h_ok:
            parts.append(f'<rect x="{x:.1f}" y="{y_ok:.1f}" width="{bar_w:.1f}" height="{h_ok:.1f}" fill="{ANSWERED}"/>')
        if h_no:
            parts.append(f'<rect x="{x:.1f}" y="{y_ok - h_no:.1f}" width="{bar_w:.1f}" height="{h_no:.1f}" fill="{UNANSWERED}"/>')
    # Axis: zero and the peak on the left, first and last day below.
    axis = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" stroke="{INK}" stroke-width="1"/>',
            f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="16" fill="{INK}">0</text>',
            f'<text x="{left - 6}" y="{top + 14}" text-anchor="end" font-size="16" fill="{INK}">{scale_max}</text>']
    if days:
        axis.append(f'<text x="{left}" y="{height - 8}" font-size="16" fill="{INK}">{escape(days[0].day)}</text>')
        axis.append(f'<text x="{width - 8}" y="{height - 8}" text-anchor="end" font-size="16" fill="{INK}">'
                    f"{escape(days[-1].day)}</text>")
    busiest = max(days, key=lambda d: d.questions) if days and peak else None
    title = t("dashboard.per_day", lang)
    desc = t("dashboard.per_day.desc", lang, start=days[0].day if days else "", end=days[-1].day if days else "",
             days=len(days), questions=sum(d.questions for d in days), answered=sum(d.answered for d in days),
             peak_day=busiest.day if busiest else "-", peak=peak)
    svg = (f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
           f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
           f'{"".join(axis)}{"".join(parts)}</svg>')
    legend = (f'<p class="legend"><span class="swatch answered"></span>'
              f'{escape(t("dashboard.answered", lang))} '
              f'<span class="swatch unanswered"></span>{escape(t("dashboard.unanswered", lang))}</p>')
    rows = [[d.day, str(d.questions), str(d.answered), str(d.unanswered)] for d in days]
    table = table_view(lang, title, [t("dashboard.date", lang), t("dashboard.questions", lang),
                                     t("dashboard.answered", lang), t("dashboard.unanswered", lang)], rows)
    return svg + legend + table


def bar_chart(chart_id: str, title: str, label_header: str, items: list[tuple[str, int]], lang: str) -> str:
    """Horizontal bars with their label and value written beside them."""
    if not items:
        return f'<p class="empty">{escape(t("dashboard.no_data", lang))}</p>'
    row_h, label_w, width = 28, 210, 520
    height = row_h * len(items) + 4
    peak = max(v for _, v in items) or 1
    parts = []
    for i, (label, value) in enumerate(items):
        y = 2 + i * row_h
        w = (width - label_w - 60) * value / peak
        parts.append(f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" font-size="14" fill="{INK}">'
                     f"{escape(_clip(label, 24))}</text>")
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{max(w, 1):.1f}" height="{row_h - 8}" fill="{BAR}"/>')
        parts.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 19}" font-size="14" fill="{INK}">{value}</text>')
    desc = "; ".join(f"{label}: {value}" for label, value in items)
    svg = (f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
           f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">'
           f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
           f'{"".join(parts)}</svg>')
    table = table_view(lang, title, [label_header, t("dashboard.count", lang)], [[k, str(v)] for k, v in items])
    return svg + table


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def data_table(caption: str, headers: list[str], rows: list[list[str]], numeric: Collection[int] | None = None) -> str:
    return _table(caption, headers, rows, numeric)
