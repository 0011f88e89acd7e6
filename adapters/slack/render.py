"""Neutral replies → Block Kit messages that Slack always accepts.

Slack rejects a whole message when one block breaks a limit, so every limit is enforced here:
long sections are split, and an answer too big for one message becomes pages behind a "more"
button instead of an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.answers import encode
from bot.catalog import t
from bot.events import Button, Reply
from bot.matcher import Match
from knowledge.schema import KnowledgeBase

Block = dict[str, Any]

MAX_BLOCKS = 50
SECTION_CHARS = 3000
HEADER_CHARS = 150
BUTTON_CHARS = 75
VALUE_CHARS = 2000
FIELD_CHARS = 2000
FIELDS_PER_SECTION = 10
CONTEXT_CHARS = 2000
MAX_BUTTONS = 25
BUTTONS_PER_ROW = 5  # a row of more than five wraps badly on mobile
TEXT_CHARS = 3000  # the top-level fallback: notifications and screen readers only need the start
PAGE_CHARS = 12_000  # Slack takes more, but a longer wall of text is unreadable in a chat pane

ACTION_PREFIX = "dx10_"
FEEDBACK_BLOCK = "dx10_feedback"
MORE_PREFIX = "more:"


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[Block]

    def kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def escape(text: str) -> str:
    """Slack parses &, < and > as markup (mentions, links) in every mrkdwn field."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _chunks(raw: str, limit: int) -> list[str]:
    """Escaped pieces of at most `limit` chars, cut at line breaks when possible."""
    out: list[str] = []
    current = ""
    for line in raw.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(escape(candidate)) <= limit:
            current = candidate
            continue
        if current:
            out.append(escape(current))
        while len(escape(line)) > limit:
            cut = limit
            while len(escape(line[:cut])) > limit:  # escaping grows text, so shrink until it fits
                cut -= len(escape(line[:cut])) - limit
            out.append(escape(line[:cut]))
            line = line[cut:]
        current = line
    if current:
        out.append(escape(current))
    return out


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _content(reply: Reply) -> list[tuple[Block, str]]:
    """The body as (block, escaped text) pairs, each within one block's limits."""
    pieces: list[tuple[Block, str]] = []
    for section in reply.sections:
        pieces += [(_section(chunk), chunk) for chunk in _chunks(section, SECTION_CHARS)]
    fields: list[str] = []
    for fact in reply.facts:
        field = f"*{escape(fact.label)}*\n{escape(fact.value)}"
        if len(field) <= FIELD_CHARS:
            fields.append(field)
        else:  # too long for a field: give it whole sections instead of cutting it off
            pieces += [(_section(c), c) for c in _chunks(f"*{fact.label}*\n{fact.value}", SECTION_CHARS)]
    for i in range(0, len(fields), FIELDS_PER_SECTION):
        group = fields[i : i + FIELDS_PER_SECTION]
        pieces.append(({"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in group]}, "\n".join(group)))
    if not pieces and not reply.title and reply.fallback.strip():
        pieces += [(_section(c), c) for c in _chunks(reply.fallback, SECTION_CHARS)]
    return pieces


def button(label: str, value: str, action_id: str) -> Block:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(label, BUTTON_CHARS) or "…", "emoji": True},
        "value": value,
        "action_id": action_id,
    }


def _button_rows(buttons: tuple[Button, ...]) -> list[Block]:
    # A value Slack would reject cannot be pressed anyway; drop it rather than lose the message.
    usable = [b for b in buttons if 0 < len(b.value) <= VALUE_CHARS][:MAX_BUTTONS]
    elements = [button(b.label, b.value, f"{ACTION_PREFIX}btn_{i}") for i, b in enumerate(usable)]
    return [{"type": "actions", "elements": elements[i : i + BUTTONS_PER_ROW]} for i in range(0, len(elements), BUTTONS_PER_ROW)]


def _feedback(interaction_id: int, lang: str) -> Block:
    return {
        "type": "actions",
        "block_id": FEEDBACK_BLOCK,
        "elements": [
            button(t("slack.feedback_up", lang), f"fb:up:{interaction_id}", f"{ACTION_PREFIX}fb_up"),
            button(t("slack.feedback_down", lang), f"fb:down:{interaction_id}", f"{ACTION_PREFIX}fb_down"),
        ],
    }


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(escape(text), CONTEXT_CHARS)}]}


def render_pages(reply: Reply, token: str = "") -> list[Message]:
    """One message per page; every page but the last ends with a "more" button (value more:<token>:<next>)."""
    header = [{"type": "header", "text": {"type": "plain_text", "text": clip(reply.title, HEADER_CHARS), "emoji": True}}] if reply.title else []
    tail = [_context(reply.source)] if reply.source else []
    tail += _button_rows(reply.buttons)
    if reply.interaction_id is not None:
        tail.append(_feedback(reply.interaction_id, reply.lang))
    pieces = _content(reply)
    # Room left for the body on any page: the header, the tail, and a "continued" note + more row.
    room = MAX_BLOCKS - len(header) - max(len(tail), 2)
    pages: list[list[tuple[Block, str]]] = [[]]
    used = 0
    for piece in pieces:
        if pages[-1] and (len(pages[-1]) >= room or used + len(piece[1]) > PAGE_CHARS):
            pages.append([])
            used = 0
        pages[-1].append(piece)
        used += len(piece[1])
    messages = []
    for number, page in enumerate(pages, 1):
        blocks = (header if number == 1 else []) + [block for block, _ in page]
        last = number == len(pages)
        if last:
            blocks += tail
        else:
            blocks.append(_context(t("slack.more_note", reply.lang, page=number, pages=len(pages))))
            more = button(t("button.more", reply.lang), f"{MORE_PREFIX}{token}:{number}", f"{ACTION_PREFIX}more")
            actions: Block = {"type": "actions", "elements": [more]}
            blocks.append(actions)
        text = escape(reply.fallback) if number == 1 else "\n\n".join(text for _, text in page)
        messages.append(Message(clip(text, TEXT_CHARS) or "…", blocks))
    return messages


def render(reply: Reply) -> Message:
    """The first (usually only) page; callers that can serve "more" use render_pages."""
    return render_pages(reply)[0]


def home_view(kb: KnowledgeBase, lang: str, subscriptions: list[str] | None = None, progress: str | None = None) -> Block:
    """The App Home tab: the ten principles as a menu, then the user's subscriptions and progress."""
    other = "en" if lang == "ja" else "ja"
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(t("slack.home.title", lang), HEADER_CHARS), "emoji": True}},
        _section(t("slack.home.intro", lang)),
        {
            "type": "actions",
            "elements": [
                button(t("button.help", lang), encode(Match("help"), lang), f"{ACTION_PREFIX}home_help"),
                button(t("button.lang", lang), f"lang:{other}", f"{ACTION_PREFIX}home_lang"),
            ],
        },
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": clip(t("list.title", lang), HEADER_CHARS), "emoji": True}},
    ]
    for p in kb.principles:
        blocks.append({
            **_section(clip(f"*#{p.number} {escape(p.title.get(lang))}*\n{escape(p.action_principle.get(lang))}", SECTION_CHARS)),
            "accessory": button(t("slack.home.open", lang), encode(Match("principle", p.number, "overview"), lang), f"{ACTION_PREFIX}home_{p.number}"),
        })
    blocks.append({"type": "divider"})
    # Placeholders until subscriptions and progress exist; the layout already has their place.
    subs = "\n".join(f"• {escape(s)}" for s in subscriptions) if subscriptions else t("slack.home.subscriptions_none", lang)
    blocks.append(_section(clip(f"*{t('slack.home.subscriptions', lang)}*\n{subs}", SECTION_CHARS)))
    blocks.append(_section(clip(f"*{t('slack.home.progress', lang)}*\n{escape(progress) if progress else t('slack.home.progress_none', lang)}", SECTION_CHARS)))
    blocks.append(_context(t("source.list", lang)))
    return {"type": "home", "blocks": blocks}

