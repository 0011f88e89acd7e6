"""The quiz feature as the core sees it: intents quiz / progress, commands, buttons quiz: commit: nps:."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from bot import answers
from bot.catalog import t
from bot.events import Button, Incoming, Reply
from bot.matcher import Match, Matcher
from bot.quiz import progress as prog
from bot.quiz.bank import bank_for
from bot.quiz.channel import DEFAULT_QUESTIONS, DEFAULT_REVEAL, ChannelQuiz
from bot.quiz.commitments import DEFAULT_WORKDAYS, Commitments
from bot.quiz.nps import Nps
from bot.quiz.personal import PersonalQuiz
from bot.settings import whole
from bot.store import Store
from bot.text import fold
from knowledge.schema import KnowledgeBase

Clock = Callable[[], datetime]

_QUIZ = re.compile(r"^(?:quiz|クイズ|くいず)\s*(?:#|＃|第)?\s*(\d{1,2})?\s*(?:条)?$")
# 「やりました」「第3条の第一歩やってみた」 "I did it": a first-step challenge reported done.
# 「やった！」 alone may cheer a quiz answer: a bare "done" needs the first step named.
_DID_IT = re.compile(
    r"^(?:(?:第?\s*(\d{1,2})\s*条?目?の?)?\s*(?:はじめの)?(?:第一歩|第1歩)(?:を|は|、)?\s*"
    r"(?:やりました|やってみました|やってみた|やった|できました|できた|実践しました|実践した|完了しました)"
    r"|(?:はじめの一歩|第一歩)?(?:を|は)?(?:やってみました|やってみた|実践しました|実践した)"
    r"|(?:i (?:did|tried|have done|'ve done) (?:the |my )?first step|i tried it))[!！。.]*$"
)
# 「クイズをやめる」 "stop quiz": end the personal quiz (not start one because "quiz" is in it).
# (「クイズ終了」 closes a channel quiz: _CLOSE.)
_STOP = re.compile(r"^(?:クイズ(?:を|は)?(?:やめる|やめて|やめます|終わる|終わり|止める|止めて|中止(?:して)?)"
                   r"|(?:stop|end|quit|cancel)(?: the| my)? quiz)$")
# "B" typed instead of pressed, while a quiz question is open.
_LETTER = re.compile(r"^([abcd])[.)。]?$")
# After a side question the quiz's buttons have scrolled away: bring its current question back.
# (「再開」 and "resume" alone belong to the tips: bot/nudges/feature.py.)
_RESUME = re.compile(r"^(?:(?:クイズの?)?(?:続き|つづき)(?:を|して|から)*|クイズの?再開(?:して)?|continue(?: (?:the |my )?quiz)?"
                     r"|resume (?:the |my )?quiz)$")
_REVIEW = re.compile(r"^(?:review|復習|ふくしゅう|クイズの復習|review quiz)$")
_CHANNEL = re.compile(r"^(?:quiz channel|channel quiz|チャンネルクイズ|チャネルクイズ)(?:\s+(.*))?$")
_CLOSE = re.compile(r"^(?:quiz close|close quiz|クイズ終了|クイズを終了|クイズ締め切り)$")
_BOARD = re.compile(r"^(?:leaderboard|ランキング)$")
_OPT_OUT = re.compile(r"^(?:leaderboard optout|leaderboard opt-out|leaderboard hide|ランキング非表示)$")
_OPT_IN = re.compile(r"^(?:leaderboard optin|leaderboard opt-in|leaderboard show|ランキング表示)$")
_COMMENT = re.compile(r"^(?:comment|feedback|コメント)\s*[:：]\s*(.+)$", re.DOTALL)


MAX_REVEAL_SECONDS = 7 * 24 * 3600
MAX_WORKDAYS = 60


class QuizFeature:
    intents: tuple[str, ...] = ("quiz", "progress")
    button_prefixes: tuple[str, ...] = ("quiz:", "commit:", "nps:")

    def __init__(self, kb: KnowledgeBase, store: Store, env: Mapping[str, str] | None = None,
                 clock: Clock | None = None) -> None:
        env = env or {}
        self.kb = kb
        self.store = store
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.bank = bank_for(kb)
        self.matcher: Matcher | None = None
        # A value these cannot use stops the command (bot/settings.py) rather than being read as the default.
        reveal = timedelta(seconds=whole(env, "DX10_QUIZ_REVEAL_SECONDS", int(DEFAULT_REVEAL.total_seconds()),
                                         minimum=10, maximum=MAX_REVEAL_SECONDS, unit="seconds"))
        workdays = whole(env, "DX10_FIRST_STEP_WORKDAYS", DEFAULT_WORKDAYS, minimum=1, maximum=MAX_WORKDAYS,
                         unit="working days")
        self.personal = PersonalQuiz(kb, store, self.bank)
        self.channel = ChannelQuiz(kb, store, self.bank, reveal_after=reveal)
        self.commitments = Commitments(kb, store, workdays)
        self.nps = Nps(store)

    # -- the Feature protocol ----------------------------------------------------------------------

    async def command(self, msg: Incoming, text: str, lang: str) -> list[Reply] | None:
        now = self.clock()
        plain = " ".join(text.lower().split())
        if m := _QUIZ.match(plain):
            number = int(m.group(1)) if m.group(1) else None
            if number is not None and not 1 <= number <= 10:
                buttons = (Button(t("quiz.button.start", lang), "quiz:start:"),)
                text = t("quiz.no_such_principle", lang, number=number)
                return [Reply(fallback=text, lang=lang, sections=(text,), buttons=buttons)]
            return self.personal.start(msg, number, lang, now)
        if _STOP.match(plain):
            return self.personal.stop(msg, lang)
        if (letter := _LETTER.match(unicodedata.normalize("NFKC", plain))) and (
                replies := self.personal.answer_typed(msg, letter.group(1), lang, now)) is not None:
            return replies
        if found := _DID_IT.match(plain):
            number = int(found.group(1)) if found.group(1) else None
            return [self.commitments.done_by_text(msg, number, lang, now)]
        if _RESUME.match(plain):
            return self.personal.resume(msg, lang)
        if _REVIEW.match(plain):
            return self.personal.start(msg, None, lang, now, review=True)
        if m := _CHANNEL.match(plain):
            count, principle = self._channel_args(m.group(1) or "")
            return self.channel.start(msg, count, principle, lang, now)
        if _CLOSE.match(plain):
            return self.channel.close(msg, lang, now)
        if _OPT_OUT.match(plain):
            return self.channel.set_hidden(msg, True, lang)
        if _OPT_IN.match(plain):
            return self.channel.set_hidden(msg, False, lang)
        if _BOARD.match(plain):
            return self.channel.leaderboard(msg, lang, now)
        if m := _COMMENT.match(text.strip()):
            return [self.nps.comment(msg, m.group(1).strip(), lang)]
        return None

    def _channel_args(self, rest: str) -> tuple[int, int | None]:
        """'[n] [principle]': a first bare number is the count; anything else names a principle."""
        words = rest.split()
        count = DEFAULT_QUESTIONS
        if words and words[0].isdigit():
            count = int(words.pop(0))
        principle = None
        if words:
            phrase = " ".join(words)
            digits = re.sub(r"[^0-9]", "", fold(phrase))
            if digits and 1 <= int(digits) <= 10:
                principle = int(digits)
            else:
                self.matcher = self.matcher or Matcher(self.kb)
                principle = self.matcher.classify(phrase).principle
        return count, principle

    async def intent(self, msg: Incoming, text: str, match: Match, lang: str) -> list[Reply]:
        now = self.clock()
        if match.intent == "progress":
            return [self.progress(msg, lang, now)]
        return self.personal.start(msg, match.principle, lang, now)

    async def button(self, msg: Incoming, value: str, lang: str) -> list[Reply]:
        now = self.clock()
        parts = value.split(":")
        kind = parts[0]
        if kind == "quiz":
            return self._quiz_button(msg, parts[1:], lang, now)
        if kind == "commit":
            if len(parts) == 2 and parts[1].isdigit():
                return [self.commitments.commit(msg, int(parts[1]), lang, now)]
            if len(parts) == 3 and parts[2].isdigit():
                return [self.commitments.respond(msg, parts[1], int(parts[2]), lang, now)]
        if kind == "nps" and len(parts) == 2:
            return [self.nps.score(msg, parts[1], lang, now)]
        return [_stale(lang)]

    def _quiz_button(self, msg: Incoming, parts: list[str], lang: str, now: datetime) -> list[Reply]:
        action = parts[0] if parts else ""
        if action == "start":
            number = parts[1] if len(parts) > 1 else ""
            principle = int(number) if number.isdigit() and 1 <= int(number) <= 10 else None
            return self.personal.start(msg, principle, lang, now)
        if action == "review":
            return self.personal.start(msg, None, lang, now, review=True)
        if action == "progress":
            return [self.progress(msg, lang, now)]
        if action == "a" and len(parts) == 3 and parts[2].isdigit():
            return self.personal.answer(msg, parts[1], int(parts[2]), lang, now)
        if action == "c" and len(parts) == 4 and parts[1].isdigit() and parts[3].isdigit():
            return self.channel.answer(msg, int(parts[1]), parts[2], int(parts[3]), lang, now)
        return [_stale(lang)]

    def due_reviews(self, platform: str, user: str) -> int:
        """How many questions are due for review now: for a nudge that offers "review" (branch nudges)."""
        return prog.progress(self.store, platform, user, self.clock()).due

    def review_button(self, platform: str, user: str, lang: str) -> Button | None:
        """"Review (N due)" for a nudge to this person, or None when nothing is due."""
        due = self.due_reviews(platform, user)
        return Button(t("quiz.button.review", lang, count=due), prog.REVIEW_VALUE) if due else None

    def home_progress(self, platform: str, user: str, lang: str) -> str | None:
        """The progress as plain text for a home screen (Slack App Home); None before the first answer."""
        p = prog.progress(self.store, platform, user, self.clock())
        if not p.answered and not p.first_steps_done:
            return None
        return "\n".join([prog.lines(self.kb, p, lang), *(f"{f.label}: {f.value}" for f in prog.facts(p, lang))])

    def progress(self, msg: Incoming, lang: str, now: datetime) -> Reply:
        reply = prog.progress_reply(self.kb, prog.progress(self.store, msg.platform, msg.user, now), lang)
        return reply if msg.direct else replace(reply, private=True)


def _stale(lang: str) -> Reply:
    return answers.simple("error.button", lang)
