"""Reading a Teams activity: who, where, whether the bot was addressed, and what was asked."""

from __future__ import annotations

import html
from typing import Any

from botbuilder.schema import Activity

from adapters.teams.cards import SUBMIT_KEY

PLATFORM = "teams"


def is_direct(activity: Activity) -> bool:
    """Personal (1:1) chat; channels and group chats only get answers when they @mention the bot."""
    kind = getattr(activity.conversation, "conversation_type", None) if activity.conversation else None
    return kind in (None, "personal")


def user_id(activity: Activity) -> str:
    sender = activity.from_property
    return (sender.id if sender and sender.id else None) or "unknown"


def _bot_mentions(activity: Activity) -> list[dict[str, Any]]:
    bot_id = activity.recipient.id if activity.recipient else None
    found = []
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        props = entity.additional_properties or {}
        mentioned = props.get("mentioned") or {}
        if bot_id and isinstance(mentioned, dict) and mentioned.get("id") == bot_id:
            found.append(props)
    return found


def mentions_bot(activity: Activity) -> bool:
    return bool(_bot_mentions(activity))


def text_without_mentions(activity: Activity) -> str:
    """The text with the bot's own mention(s) removed, using the mention entities Teams sends.

    Not TurnContext.remove_recipient_mention: that removes every occurrence of the bot's *name*,
    so "<at>dx10</at> what does dx10 cover?" would lose the word in the question too.
    """
    text = activity.text or ""
    for props in _bot_mentions(activity):
        tag = props.get("text")
        if not isinstance(tag, str) or not tag:
            name = (props.get("mentioned") or {}).get("name") or ""
            tag = f"<at>{name}</at>"
        text = text.replace(tag, " ")
    # Teams sends message text with HTML entities (&nbsp; after a mention, &amp; ...).
    return html.unescape(text).replace("\xa0", " ").strip()


def submitted_value(activity: Activity) -> str | None:
    """An Action.Submit click: a message with `value` and no text. "" for a card that is not ours."""
    value = activity.value
    if value is None or (activity.text or "").strip():
        return None
    if isinstance(value, dict) and isinstance(value.get(SUBMIT_KEY), str):
        return value[SUBMIT_KEY]
    return ""


def has_files(activity: Activity) -> bool:
    """Attachments other than the text/html copy Teams adds to ordinary messages."""
    return any((a.content_type or "") != "text/html" for a in activity.attachments or [])


def execute_value(activity: Activity) -> str | None:
    """The data of an Action.Execute invoke (adaptiveCard/action), None when it is not ours."""
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action")
    data = action.get("data") if isinstance(action, dict) else None
    submitted = data.get(SUBMIT_KEY) if isinstance(data, dict) else None
    return submitted if isinstance(submitted, str) else None
