"""Neutral replies as Teams messages: a short text summary plus an Adaptive Card 1.5.

Plain dicts only (no SDK types), so the rendering survives a move to another Teams SDK as is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from bot.catalog import t
from bot.events import Button, Reply

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
SUBMIT_KEY = "dx10"  # Action.Submit / Action.Execute data: {"dx10": <button value>}
EXECUTE_VERB = "dx10"
# Teams documents ~100 KB per message (it used to be 40 KB); stay well under the older limit so the
# envelope the connector adds (ids, names, channelData) never tips a reply over.
MAX_ACTIVITY_BYTES = 40_000
SUMMARY_CHARS = 200
BUTTONS_PER_ROW = 3  # long principle titles: a few per row stay readable on mobile

_BOLD_LINE = re.compile(r"^\*(.+)\*$")


@dataclass(frozen=True)
class Message:
    """What one Teams message carries: `text` (notifications, screen readers) and an optional card."""

    text: str
    card: dict[str, Any] | None

    def size(self) -> int:
        return len(json.dumps({"type": "message", "text": self.text, "attachments": [self.card]},
                              ensure_ascii=False).encode("utf-8"))


def summary(reply: Reply) -> str:
    """One line for the activity `text`: the title, else the start of the answer."""
    first = reply.title or next((line for line in reply.fallback.splitlines() if line.strip()), "")
    first = first.replace("*", "").strip()
    return first if len(first) <= SUMMARY_CHARS else first[: SUMMARY_CHARS - 1] + "…"


def _markdown_groups(section: str) -> list[str]:
    """The core writes Slack-ish text (`*bold*` lines, `•` bullets); Adaptive Cards want CommonMark.

    Consecutive bullets become one list (items separated by \\r, as the Adaptive Cards docs show);
    other lines become paragraphs, since Teams does not reliably render a single \\n as a break.
    """
    groups: list[str] = []
    bullets: list[str] = []
    lines: list[str] = []

    def flush() -> None:
        if bullets:
            groups.append("\r".join(bullets))
            bullets.clear()
        if lines:
            groups.append("\n\n".join(lines))
            lines.clear()

    for raw in section.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(("• ", "・")):
            if lines:
                flush()
            bullets.append("- " + line.lstrip("•・ ").strip())
            continue
        if bullets:
            flush()
        bold = _BOLD_LINE.match(line)
        lines.append(f"**{bold.group(1)}**" if bold else line)
    flush()
    return groups


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _fact_value(value: str) -> str:
    lines = [line.strip() for line in value.splitlines() if line.strip()]
    return lines[0] if len(lines) == 1 else "\r".join(f"- {line}" for line in lines)


def _action(button: Button, execute: bool, **extra: Any) -> dict[str, Any]:
    data = {SUBMIT_KEY: button.value}
    if execute:
        return {"type": "Action.Execute", "verb": EXECUTE_VERB, "title": button.label, "data": data, **extra}
    return {"type": "Action.Submit", "title": button.label, "data": data, **extra}


def _action_sets(reply: Reply, execute: bool) -> list[dict[str, Any]]:
    sets = []
    buttons = list(reply.buttons)
    for i in range(0, len(buttons), BUTTONS_PER_ROW):
        sets.append({"type": "ActionSet",
                     "actions": [_action(b, execute) for b in buttons[i: i + BUTTONS_PER_ROW]]})
    if reply.interaction_id is not None:
        up = Button("👍", f"fb:up:{reply.interaction_id}")
        down = Button("👎", f"fb:down:{reply.interaction_id}")
        sets.append({"type": "ActionSet", "actions": [
            _action(up, execute, tooltip=t("teams.feedback_up", reply.lang)),
            _action(down, execute, tooltip=t("teams.feedback_down", reply.lang)),
        ]})
    return sets


def card(
    reply: Reply, *, with_title: bool = True, skip_first_section: bool = False, execute: bool = False
) -> dict[str, Any]:
    """The Adaptive Card; `execute` makes its buttons Action.Execute so an updated card stays updatable."""
    body: list[dict[str, Any]] = []
    if reply.title and with_title:
        body.append(_text_block(reply.title, weight="Bolder", size="Medium", style="heading"))
    for n, section in enumerate(reply.sections):
        if n == 0 and skip_first_section:
            continue
        body.extend(_text_block(group) for group in _markdown_groups(section))
    if reply.facts:
        body.append({"type": "FactSet", "facts": [{"title": f.label, "value": _fact_value(f.value)} for f in reply.facts]})
    if reply.source:
        body.append(_text_block(reply.source, isSubtle=True, size="Small"))
    body.extend(_action_sets(reply, execute))
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "body": body,
        # Clients that cannot draw the card (and screen readers that prefer plain text) get it all.
        "fallbackText": reply.fallback.replace("*", ""),
        "msteams": {"width": "Full"},
    }


def message(reply: Reply) -> Message:
    """A message whose text is the summary and whose card holds the rest, without saying it twice.

    Teams shows `text` right above the card, so the card leaves out what the text already says.
    """
    text = summary(reply)
    with_title = not reply.title
    skip_first = not reply.title and bool(reply.sections) and reply.sections[0].replace("*", "").strip() == text
    # A card for everyone (a channel quiz question) uses Action.Execute: Teams then shows the card
    # returned for a press to the presser alone, the closest it has to a private reply.
    content = card(reply, with_title=with_title, skip_first_section=skip_first, execute=reply.public)
    if not content["body"]:
        return Message(text=text, card=None)  # a one-liner needs no card
    return Message(text=text, card=content)


def pages(reply: Reply, budget: int = MAX_ACTIVITY_BYTES) -> list[Reply]:
    """The reply itself when it fits, else plain-text pages that each fit (the adapter adds "more")."""
    if message(reply).size() <= budget:
        return [reply]
    # The text appears twice per message (card body and fallbackText), up to 3 bytes a character
    # in Japanese, plus the card's own JSON: an eighth of the budget per page leaves ample room.
    limit = max(200, budget // 8)
    text = reply.fallback
    if reply.title and text.startswith(reply.title):
        text = text[len(reply.title):].lstrip()  # each page carries the title already
    chunks: list[str] = []
    current = ""
    for line in text.splitlines():
        while len(line) > limit:  # one enormous line: cut it hard
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    total = len(chunks)
    out = []
    for i, chunk in enumerate(chunks, 1):
        last = i == total
        title = f"{reply.title or t('teams.answer', reply.lang)} {t('teams.page', reply.lang, page=i, pages=total)}"
        out.append(replace(
            reply,
            fallback=chunk,
            title=title,
            sections=(chunk,),
            facts=(),
            buttons=reply.buttons if last else (),
            source=None,  # the fallback text being paged already ends with it
            interaction_id=reply.interaction_id if last else None,
        ))
    return out
