"""Build the assistant with every feature switched on; the CLI and `dx10 serve` both use this."""

from __future__ import annotations

import os
from collections.abc import Mapping

from bot.core import Assistant
from bot.features import Feature
from bot.quiz.feature import QuizFeature
from bot.store import Store
from knowledge.schema import KnowledgeBase


def features(kb: KnowledgeBase, store: Store, env: Mapping[str, str]) -> list[Feature]:
    # Each feature adds itself here (nudges, quizzes), in the order the core should ask them.
    from bot.nudges.feature import NudgeFeature
    from bot.nudges.scheduler import NudgeService
    from bot.nudges.settings import NudgeSettings

    return [NudgeFeature(NudgeService(kb, store, NudgeSettings.from_env(env))), QuizFeature(kb, store, env)]


def build_assistant(kb: KnowledgeBase, store: Store, env: Mapping[str, str] | None = None) -> Assistant:
    env = os.environ if env is None else env
    return Assistant(kb, store, features=features(kb, store, env))
