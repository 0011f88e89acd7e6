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
from bot.features import Handled
from bot.matcher import Match, Matcher
from bot.privacy_questions import asks_to_delete_own_data
from bot.quiz import progress as prog
from bot.quiz import phrases, typed
from bot.quiz.bank import bank_for
from bot.quiz.channel import DEFAULT_QUESTIONS, DEFAULT_REVEAL, ChannelQuiz
from bot.quiz.commitments import DEFAULT_WORKDAYS, Commitments
from bot.quiz.nps import Nps
from bot.quiz.personal import SESSION_SIZE, PersonalQuiz
from bot.settings import whole
from bot.store import Store
from bot.text import fold
from knowledge.schema import KnowledgeBase

Clock = Callable[[], datetime]

_QUIZ = re.compile(r"^(?:quiz|クイズ|くいず)\s*(?:#|＃|第)?\s*(\d{1,2})?\s*(?:条)?$")
# One question, not a round: a tip's "Try one quiz question" typed (the console cannot press a
# tip's buttons), 「1問だけ」「クイズを1問」.
_ONE = re.compile(r"^(?:(?:(?:try|give me|ask me) )?(?:one|just one|1|a single) (?:quiz )?question(?: please)?"
                  r"|(?:クイズ(?:を)?1問(?:だけ)?|1問(?:だけ)?(?:の)?クイズ(?:に挑戦)?|1問だけ)(?:出して|ください|お願い|やりたい)?)[!！。.]*$")
# 「やりました」「第3条の第一歩やってみた」 "I did it": a first-step challenge reported done.
# 「やった！」 alone may cheer a quiz answer: a bare "done" needs the first step named.
_DID_IT = re.compile(
    r"^(?:(?:第?\s*(\d{1,2})\s*条?目?の?)?\s*(?:はじめの)?(?:第一歩|第1歩)(?:を|は|、)?\s*"
    r"(?:やりました|やってみました|やってみた|やった|できました|できた|実践しました|実践した|完了しました)"
    r"|(?:はじめの一歩|第一歩)?(?:を|は)?(?:やってみました|やってみた|実践しました|実践した)"
    r"|(?:i (?:did|tried|have done|'ve done) (?:the |my )?first step|i tried it))[!！。.]*$"
)
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
# Any message that names the quiz: the matcher reads all of them as "start a quiz", so the
# ones that are about the quiz, about deleting one's data, or not words at all are told apart here.
_MENTIONS_QUIZ = re.compile(r"quiz|クイズ|くいず")
# SQL and code ("'; DROP TABLE quiz_cards; --", "the quiz_cards table"): nobody asks for a quiz so.
_CODE = re.compile(r"[;=<>{}`$\\|]|--|/\*|[a-z0-9]_[a-z0-9]|\b(?:drop|create|alter)\s+table\b|\bselect\b.*\bfrom\b"
                   r"|\binsert\s+into\b|\bdelete\s+from\b")
# "I want to delete my quiz data", 「クイズの記録を消したい」: a privacy request, never a quiz. Only the
# asker's own dx10 data, with the words close together: 「私の部署で保有する個人情報を削除するには」
# and "how should my team erase old citizen data" are questions about handling data (#4, #5), which
# go on to the matcher (Japanese has no spaces, so a `\S*` between "data" and "delete" spanned a sentence).
# "how does the quiz work?", 「クイズの仕組みは？」: a question about the quiz, not a request for one.
# ("how about a quiz?", "what about a quiz on #5?", and requests phrased as questions, "Can I do a
# quiz about principle 5?" "Is there a quiz about NPS?", are requests: they go on to the matcher.)
_ABOUT = re.compile(
    r"^(?!(?:how|what) about\b"
    r"|(?:can|could|may) (?:i|we) (?:please )?(?:do|take|get|have|try|start|play)(?: (?:a|an|the|another|one|some|my))? quiz"
    r"|(?:can|could) you (?:please )?(?:give|send|start|run)\b.*\bquiz|(?:is|are) there (?:a |an |any )?quiz)"
    r"(?:how|what|what's|whats|why|when|where|which|who|is|are|do|does|can i|could i|how's)\b"
    r".*\bquiz(?:zes)?\b.*\b(?:work|works|working|rules?|scored?|scoring|counts?|counted|mean|means|mastered|mastery|"
    r"review|reviews|use|start|play|answer)\b"
    r"|^(?:what|what's|whats) (?:is |are )?(?:the |a |this |these |dx10's )?quiz(?:zes)?\b(?! me)"
    r"|\bquiz(?:zes)? (?:rules|explained|help)\b|\bhelp (?:with|on) (?:the )?quiz"
    # (「私のクイズの正答率って何%?」「クイズ今まで何問正解した？」 ask for the progress.)
    r"|クイズ(?:の(?:仕組み|しくみ|ルール|やり方|遊び方|使い方|採点|数え方)|とは|って(?:何|なに|どう|どんな)"
    r"|は(?:どうやって|どういう)|の意味)|どんなクイズ|(?:どうやって|どうすれば|どのように)\S*クイズ"
)


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

    async def command(self, msg: Incoming, text: str, lang: str) -> Handled | None:
        # Counted in the log as "quiz" unless said otherwise (a first step, an NPS comment, privacy…).
        replies = await self._command(msg, text, lang)
        return Handled(replies, "quiz") if isinstance(replies, list) else replies

    async def _command(self, msg: Incoming, text: str, lang: str) -> Handled | list[Reply] | None:
        now = self.clock()
        finished = self.personal.take_finished(msg)  # every message asks, so one in between forgets it
        plain = " ".join(text.lower().split())
        if m := _QUIZ.match(plain):
            number = int(m.group(1)) if m.group(1) else None
            if number is not None and not 1 <= number <= 10:
                buttons = (Button(t("quiz.button.start", lang), "quiz:start:"),)
                text = t("quiz.no_such_principle", lang, number=number)
                return [Reply(fallback=text, lang=lang, sections=(text,), buttons=buttons)]
            return Handled(self.personal.start(msg, number, lang, now), "quiz", number)
        if _ONE.match(unicodedata.normalize("NFKC", plain)):  # 「1問だけ」, a tip's button label typed
            return self.personal.start(msg, None, lang, now, single=True)
        # 「クイズ終了」 in a channel closes the channel's quiz; a DM has none, so there it is a personal quiz's stop.
        if _CLOSE.match(plain):
            return self.channel.close(msg, lang, now) if not msg.direct else self.personal.stop(msg, lang)
        said = phrases.read(text)
        shown = self.personal.current(msg)
        # 「やめる」「終了」「ストップ」 end an open quiz; 「クイズやめたい」 "stop the quiz" name it, so
        # they are the quiz's even with none open (they used to start one). A bare "stop" with none
        # open means what it meant before (the quiz feature is asked first: bot/assembly.py).
        if said == "stop" and (shown is not None or phrases.names_the_quiz(text)):
            return self.personal.stop(msg, lang)
        if shown is not None:
            # *Decision:* 「次」 brings the open question back rather than skipping it. After an
            # answer the open question is the next one, often shown with the feedback (QA typed 「次」
            # right then); a skip would lose a question the person never read. 「パス」 skips knowingly.
            if said == "next":
                return self.personal.resume(msg, lang, note="quiz.next")
            if said == "again":  # 「もう一回」 with a question open: that question once more
                return self.personal.resume(msg, lang)
            if said == "dont_know" and (replies := self.personal.dont_know(msg, lang, now)) is not None:
                return replies
            # 「ヒント」 with a question open; with none, not the quiz's (「ヒントを毎朝送って」 asks for tips).
            if said == "hint" and (replies := self.personal.hint(msg, lang)) is not None:
                return replies
            # "I think it's B", "the third one", 「Bです」「3番」, or the choice's own words typed out
            # (which used to be read as a question about that principle and show the answer).
            # "#4" / 「第4条」 pick the choice labelled #4, never the fourth one (D).
            position = typed.by_number(text, shown)
            if position is None and not typed.names_a_principle(text):
                position = typed.parse(text, len(shown))
            if position is None:
                position = typed.by_text(text, shown)
            if position is not None and (replies := self.personal.answer_typed(msg, position, lang, now)) is not None:
                return replies
        # 「もう一回」 "again" right after a summary: what its "Another round" button does. Elsewhere
        # it is not the quiz's (「さっきのKPIもう一回」 asks for that answer again).
        if said == "again" and finished is not None:
            return self._quiz_button(msg, finished.split(":")[1:], lang, now)
        if found := _DID_IT.match(plain):
            number = int(found.group(1)) if found.group(1) else None
            return Handled([self.commitments.done_by_text(msg, number, lang, now)], "first_step", number)
        if _RESUME.match(plain):
            return Handled(self.personal.resume(msg, lang), "quiz")
        if _REVIEW.match(plain):
            return Handled(self.personal.start(msg, None, lang, now, review=True), "quiz")
        if m := _CHANNEL.match(plain):
            count, principle = self._channel_args(m.group(1) or "")
            return Handled(self.channel.start(msg, count, principle, lang, now), "quiz", principle)
        if _OPT_OUT.match(plain):
            return Handled(self.channel.set_hidden(msg, True, lang), "quiz")
        if _OPT_IN.match(plain):
            return Handled(self.channel.set_hidden(msg, False, lang), "quiz")
        if _BOARD.match(plain):
            return Handled(self.channel.leaderboard(msg, lang, now), "quiz")
        if m := _COMMENT.match(text.strip()):
            # Kept with the score (shown on the dashboard, deleted with retention), not copied into the log.
            return Handled([self.nps.comment(msg, m.group(1).strip(), lang)], "nps_comment", log_text=False)
        if asks_to_delete_own_data(plain):  # "delete my quiz data": the core's privacy answer, not a quiz
            return None
        if _MENTIONS_QUIZ.search(plain):
            folded = unicodedata.normalize("NFKC", plain)
            if _CODE.search(folded):
                return Handled([answers.answer(self.kb, Match("out_of_scope"), lang)], "out_of_scope")
            if _ABOUT.search(folded):  # its Start button starts a quiz on the principle asked about
                return [self._how_it_works(msg, lang, typed.principle_in(text))]
        return None

    def _how_it_works(self, msg: Incoming, lang: str, principle: int | None = None) -> Reply:
        title = t("quiz.how.title", lang)
        body = t("quiz.how.text", lang, size=SESSION_SIZE, mastery=prog.MASTERY)
        session = self.personal.position(msg)
        if session is not None:
            body += "\n\n" + t("quiz.how.open", lang, number=session[0] + 1, total=session[1])
            buttons = (Button(t("quiz.button.continue", lang), "quiz:resume"), Button(t("quiz.button.stop", lang), "quiz:stop"))
        else:
            buttons = (Button(t("quiz.button.start", lang), f"quiz:start:{principle or ''}"), Button(t("quiz.button.progress", lang), "quiz:progress"))
        return Reply(fallback=f"{title}\n\n{body}", lang=lang, title=title, sections=(body,), buttons=buttons,
                     private=not msg.direct)

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
        self.personal.take_finished(msg)  # a press is something in between too
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
        if action in ("start", "new", "one"):
            number = parts[1] if len(parts) > 1 else ""
            if action == "new" and number == "review":
                return self.personal.start(msg, None, lang, now, review=True, replace=True)
            # "quiz:one:5:en" (a tip's button) and "quiz:new:one:5" (that, next to an open quiz): one question.
            single = action == "one" or number == "one"
            if action == "new" and number == "one":
                number = parts[2] if len(parts) > 2 else ""
            if action == "one" and len(parts) > 2 and parts[2] in ("ja", "en"):
                # The tip's language, as an "ask:" button keeps its reply's, unless one was fixed.
                fixed = self.store.user_lang(msg.platform, msg.user)
                lang = fixed if fixed in ("ja", "en") else parts[2]
            principle = int(number) if number.isdigit() and 1 <= int(number) <= 10 else None
            # "new" is the choice offered next to an open quiz: that one ends, unanswered questions uncounted.
            return self.personal.start(msg, principle, lang, now, replace=action == "new", single=single)
        if action == "resume":
            return self.personal.resume(msg, lang)
        if action == "stop":
            return self.personal.stop(msg, lang)
        if action == "review":
            return self.personal.start(msg, None, lang, now, review=True)
        if action == "progress":
            return [self.progress(msg, lang, now)]
        if action == "a" and len(parts) == 3 and parts[2].isdigit():
            return self.personal.answer(msg, parts[1], int(parts[2]), lang, now)
        if action == "c" and len(parts) == 4 and parts[1].isdigit() and parts[3].isdigit():
            return self.channel.answer(msg, int(parts[1]), parts[2], int(parts[3]), lang, now)
        return [_stale(lang)]

    def awaiting(self, msg: Incoming, lang: str) -> Reply | None:
        """The open personal quiz question as shown (AwaitsAnswer), or None."""
        return self.personal.open_question(msg, lang)

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
