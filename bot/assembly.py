"""Build the assistant with every feature switched on; the CLI and `dx10 serve` both use this."""

from __future__ import annotations

import os
from collections.abc import Mapping

from bot.core import Assistant
from bot.features import Feature
from bot.nudges.feature import NudgeFeature
from bot.nudges.scheduler import NudgeService
from bot.nudges.settings import NudgeSettings
from bot.quiz.feature import QuizFeature
from bot.retention import said_retention_days
from bot.store import Store
from knowledge.schema import KnowledgeBase


def nudge_service(kb: KnowledgeBase, store: Store, env: Mapping[str, str], quiz: QuizFeature | None = None) -> NudgeService:
    """The nudge scheduler; a tip to someone with quiz reviews due also offers them."""
    quiz = quiz or QuizFeature(kb, store, env)
    return NudgeService(kb, store, NudgeSettings.from_env(env), extra_button=quiz.review_button)


def features(kb: KnowledgeBase, store: Store, env: Mapping[str, str]) -> list[Feature]:
    # Each feature adds itself here, in the order the core should ask them. The quiz first: while
    # one of its questions is open, "stop" or "3" means the quiz, whatever a later feature reads
    # into them; with none open it claims only its own commands.
    quiz = QuizFeature(kb, store, env)
    return [quiz, NudgeFeature(nudge_service(kb, store, env, quiz))]


def build_assistant(kb: KnowledgeBase, store: Store, env: Mapping[str, str] | None = None) -> Assistant:
    env = os.environ if env is None else env
    # A bad value: `dx10 serve` refuses to start on it; a chat reply still needs a number.
    return Assistant(kb, store, features=features(kb, store, env), retention_days=said_retention_days(env))
