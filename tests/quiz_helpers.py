"""Shared helpers for the quiz tests: a recording Sender and ways to answer through the core."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core import Assistant
from bot.events import Incoming, Reply
from bot.quiz.feature import QuizFeature
from bot.senders import SendResult, Target


@dataclass
class RecordingSender:
    """A platform sender that delivers nowhere and remembers what it was given."""

    platform: str = "slack"
    sent: list[tuple[Target, Reply]] = field(default_factory=list)

    async def send(self, target: Target, reply: Reply) -> SendResult:
        self.sent.append((target, reply))
        return SendResult(True)


def quiz_feature(assistant: Assistant) -> QuizFeature:
    return next(f for f in assistant.features if isinstance(f, QuizFeature))


def answer_value(assistant: Assistant, reply: Reply, right: bool) -> str:
    """The button value of the right (or a wrong) choice on a question reply."""
    feature = quiz_feature(assistant)
    qid = reply.buttons[0].value.split(":")[-2]
    question = feature.bank.by_id[qid]
    for button in reply.buttons:
        if (int(button.value.split(":")[-1]) == question.answer) == right:
            return button.value
    raise AssertionError("no such choice")


def right_position(assistant: Assistant, reply: Reply) -> int:
    """Where the right choice is shown on a question reply (0 = A), as a person reads it."""
    feature = quiz_feature(assistant)
    qid = reply.buttons[0].value.split(":")[-2]
    answer = feature.bank.by_id[qid].answer
    return next(i for i, b in enumerate(reply.buttons) if int(b.value.split(":")[-1]) == answer)


def dm(text: str = "", value: str | None = None, user: str = "U1", platform: str = "slack") -> Incoming:
    return Incoming(platform, user, f"D-{user}", text=text, value=value, direct=True)
