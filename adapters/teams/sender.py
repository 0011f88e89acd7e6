"""Proactive messages (nudges, channel quizzes) to a conversation the bot has seen before."""

from __future__ import annotations

from botbuilder.core import CloudAdapterBase, TurnContext
from botbuilder.schema import ConversationReference

from adapters.teams.bot import PLATFORM, TeamsBot
from adapters.teams.outbound import PROACTIVE, RetryPolicy
from bot.events import Reply
from bot.senders import SendResult, Target
from bot.store import Store


class TeamsSender:
    """bot.senders.Sender for Teams: continue_conversation with the stored reference."""

    platform = PLATFORM

    def __init__(self, adapter: CloudAdapterBase, bot: TeamsBot, store: Store, app_id: str | None,
                 policy: RetryPolicy = PROACTIVE) -> None:
        self.adapter = adapter
        self.bot = bot
        self.store = store
        self.app_id = app_id
        self.policy = policy

    def group_of(self, target: Target) -> str:
        """The tenant: Teams limits an app's requests per tenant as well as per conversation."""
        stored = self.store.conversation(PLATFORM, target.conversation) or {}
        conversation = stored.get("conversation") or {}
        tenant = conversation.get("tenantID") or conversation.get("tenantId")  # msrest writes "tenantID"
        return f"teams:{tenant or 'default'}"

    async def send(self, target: Target, reply: Reply) -> SendResult:
        stored = self.store.conversation(PLATFORM, target.conversation)
        if stored is None:
            # Teams only lets a bot write where it was installed and has seen the conversation.
            return SendResult(ok=False, gone="no stored conversation reference (the bot never saw this conversation)")
        reference = ConversationReference().deserialize(stored)
        outcome: list[SendResult] = []

        async def deliver(context: TurnContext) -> None:
            outcome.append(await self.bot.send(context, [reply], self.policy))

        await self.adapter.continue_conversation(reference, deliver, self.app_id)
        return outcome[0] if outcome else SendResult(ok=False, error="the turn ended before sending")
