"""One Teams turn: remember the conversation, hand the question to the core, send its replies."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes, Attachment, TextFormatTypes

from adapters.teams import cards, inbound
from adapters.teams.outbound import IN_TURN, Outbound, RetryPolicy
from adapters.teams.paging import MORE_PREFIX, Pager
from bot import answers
from bot.catalog import t
from bot.core import Assistant
from bot.events import Button, Incoming, Reply
from bot.senders import SendResult

log = logging.getLogger("dx10.teams")

PLATFORM = inbound.PLATFORM
EXECUTE_INVOKE = "adaptiveCard/action"
# Universal Actions response types (the value Teams shows after an Action.Execute).
CARD_RESPONSE = "application/vnd.microsoft.card.adaptive"
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
ERROR_RESPONSE = "application/vnd.microsoft.error"


def to_activity(message: cards.Message) -> Activity:
    attachments = [Attachment(content_type=cards.CARD_CONTENT_TYPE, content=message.card)] if message.card else None
    # Plain text: the summary is for notifications and screen readers, not for markdown surprises.
    return Activity(type=ActivityTypes.message, text=message.text, text_format=TextFormatTypes.plain,
                    summary=message.text, attachments=attachments)


class TeamsBot:
    def __init__(self, assistant: Assistant, outbound: Outbound, pager: Pager) -> None:
        self.assistant = assistant
        self.outbound = outbound
        self.pager = pager

    # -- the turn ---------------------------------------------------------------------------------

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        self._remember(activity)
        if activity.type == ActivityTypes.message:
            await self._on_message(context)
        elif activity.type == ActivityTypes.conversation_update:
            await self._on_members_added(context)
        elif activity.type == ActivityTypes.invoke and activity.name == EXECUTE_INVOKE:
            await self._on_execute(context)
        # Other invokes get the SDK's 501 (we declare no feature that sends them); other activity
        # types (typing, messageReaction, installationUpdate, ...) need no answer.

    async def on_error(self, context: TurnContext, error: Exception) -> None:
        # The user already got nothing better than silence if sending failed; keep the details in the log.
        log.error("Teams turn failed for a %s activity", context.activity.type, exc_info=error)

    def _remember(self, activity: Activity) -> None:
        """Keep the latest reference for every conversation, for nudges and quizzes sent later."""
        if not (activity.conversation and activity.conversation.id and activity.service_url):
            return
        reference = TurnContext.get_conversation_reference(activity).serialize()
        try:
            self.assistant.store.save_conversation(PLATFORM, activity.conversation.id, reference)
        except sqlite3.Error:  # answering matters more than remembering
            log.exception("could not store the Teams conversation reference")

    def _lang(self, activity: Activity) -> str:
        """For replies the adapter writes itself (welcome, mention only): the user's choice, else the
        language they last wrote in, else Teams' locale."""
        store, user = self.assistant.store, inbound.user_id(activity)
        chosen = store.user_lang(PLATFORM, user) or store.recent_lang(PLATFORM, user)
        if chosen in ("ja", "en"):
            return chosen
        return "en" if (activity.locale or "").lower().startswith("en") else "ja"

    def _incoming(self, activity: Activity, *, text: str = "", value: str | None = None) -> Incoming:
        name = activity.from_property.name if activity.from_property else None  # for quiz leaderboards
        return Incoming(PLATFORM, inbound.user_id(activity), activity.conversation.id, text=text, value=value,
                        locale=activity.locale, direct=inbound.is_direct(activity), name=name)

    async def _on_message(self, context: TurnContext) -> None:
        activity = context.activity
        submitted = inbound.submitted_value(activity)
        if submitted is not None:  # card buttons need no mention, even in channels
            replies = await self._press(activity, submitted)
        elif not inbound.is_direct(activity) and not inbound.mentions_bot(activity):
            return  # channel and group chat chatter that is not addressed to us
        else:
            text = inbound.text_without_mentions(activity)
            if not text and inbound.mentions_bot(activity):
                lang = self._lang(activity)
                replies = [answers.simple("teams.hello", lang, answers.menu(lang))]
            elif not text and inbound.has_files(activity):
                lang = self._lang(activity)
                replies = [answers.simple("teams.attachment_only", lang, answers.menu(lang))]
            else:
                replies = await self.assistant.handle(self._incoming(activity, text=text))
        await self.send(context, replies)

    async def _press(self, activity: Activity, value: str) -> list[Reply]:
        if value.startswith(MORE_PREFIX) and (page := self.pager.next(value)) is not None:
            return [page]
        # An expired "more" falls through to the core, which says the button has expired.
        return await self.assistant.handle(self._incoming(activity, value=value))

    async def _on_members_added(self, context: TurnContext) -> None:
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        added = [m.id for m in activity.members_added or []]
        # Welcome when the app is installed anywhere, or a person starts a personal chat with it;
        # not for every colleague who joins a team, which would be channel noise.
        if bot_id in added or (added and inbound.is_direct(activity)):
            await self.send(context, [self.welcome(self._lang(activity))])

    @staticmethod
    def welcome(lang: str) -> Reply:
        other = "en" if lang == "ja" else "ja"
        buttons = [*answers.menu(lang), Button(t("button.lang", lang), f"lang:{other}")]
        return answers.simple("teams.welcome", lang, buttons)

    async def _on_execute(self, context: TurnContext) -> None:
        activity = context.activity
        value = inbound.execute_value(activity)
        if value is None:
            body: dict[str, Any] = {"statusCode": 400, "type": ERROR_RESPONSE,
                                    "value": {"code": "BadRequest", "message": "not a dx10 card action"}}
        else:
            replies = await self._press(activity, value)
            if not replies:  # 👍/👎: stored by the core, acknowledged in place
                body = {"statusCode": 200, "type": MESSAGE_RESPONSE, "value": t("feedback.thanks", self._lang(activity))}
            else:
                first = self.pager.first(cards.pages(replies[0]))
                body = {"statusCode": 200, "type": CARD_RESPONSE, "value": cards.card(first, execute=True)}
                await self.send(context, replies[1:])
        await context.send_activity(Activity(type=ActivityTypes.invoke_response,
                                             value=InvokeResponse(status=200, body=body)))

    # -- sending ----------------------------------------------------------------------------------

    async def send(self, context: TurnContext, replies: list[Reply], policy: RetryPolicy = IN_TURN) -> SendResult:
        """Each reply as one message (long ones as pages behind "more"); stops at the first failure."""
        result = SendResult(ok=True)
        for reply in replies:
            page = self.pager.first(cards.pages(reply))
            result = await self.outbound.send(context, to_activity(cards.message(page)), policy)
            if not result.ok:
                log.warning("Teams reply not delivered: %s", result.gone or result.error)
                break
        return result
