"""Slack message markup → the plain text the core matches on."""

from __future__ import annotations

import re

# <@U123> / <@U123|name>: mentions carry no meaning for the question, and "<@UBOT> 第3条" must match "第3条".
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
# <https://x|label>, <#C123|general>, <!here>: keep what the person saw, drop broadcast markup.
_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
# Slack sends emoji as :shortcodes:, which look like English words to the core ("tada").
# A letter, + or - is required (:+1:), so times like 10:30:00 survive.
_EMOJI = re.compile(r":(?=[a-z0-9_+'-]*[a-z+-])[a-z0-9_+'-]+:(?::skin-tone-[2-6]:)?")
EMOJI_PLACEHOLDER = "\u25cc"  # a symbol, so an emoji-only message reads as "no words" to the core


def _link(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith("!"):
        return label or ""
    if target.startswith("#"):
        return f"#{label}" if label else ""
    return label or target


def to_plain(text: str) -> str:
    text = _MENTION.sub(" ", text)
    text = _LINK.sub(_link, text)
    text = _EMOJI.sub(EMOJI_PLACEHOLDER, text)
    # Slack escapes exactly these three; unescape last so the user's own "<" is not read as markup.
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()
