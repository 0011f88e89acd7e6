"""The conversation core: a neutral incoming message in, neutral replies out."""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import replace

from bot import answers, metrics
from bot.catalog import t
from bot.departments import DepartmentIndex
from bot.events import Button, Incoming, Reply
from bot.features import AwaitsAnswer, Feature, Handled
from bot.followups import Topics
from bot.language import LATIN_WORD, asked_language, detect_lang, english_vocabulary, has_japanese
from bot.matcher import ANSWER_THRESHOLD, Match, Matcher
from bot.privacy_questions import asks_about_privacy
from bot.retention import DEFAULT_RETENTION_DAYS
from bot.store import Store
from bot.text import plain
from knowledge.schema import KnowledgeBase

log = logging.getLogger(__name__)

MAX_CHARS = 2000
_LANG_COMMAND = re.compile(r"^\s*(?:lang|language|言語|げんご)\s*[:：=]?\s*(\S+)\s*$", re.IGNORECASE)
_LANG_WORDS = {
    "ja": "ja", "jp": "ja", "japanese": "ja", "日本語": "ja", "にほんご": "ja",
    "en": "en", "english": "en", "英語": "en", "えいご": "en",
    "auto": "auto", "自動": "auto",
}


# 「第11条」, "principle 12": a principle the document does not have (第11回 is a meeting, not one).
_BEYOND_TEN = re.compile(
    r"(?<![\d.全])(0|\d{2,3})\s*条|(?<![\w#])#\s*(0|\d{2,3})(?!\d)|(?:principle|原則)\s*#?\s*(0|\d{2,3})(?![\d時日分円%％年月人件回]|\s*(?:am|pm|hours?|days?))"
)


_COMPLAINT = re.compile(
    r"^(?:全然|まったく|ぜんぜん|説明が|答えが|回答が|this is |that's |that is |it's |it is |so )?"
    r"(?:このボット(?:は|って)?|これ(?:は|って)?)?"
    r"(?:役に(?:立|た)たな(?:い|かった)|(?:分|わ)かり(?:にく|づら)(?:い|かった)|使い(?:にく|づら)(?:い|かった)|いまいち(?:分からない|わからない)?|微妙"
    r"|useless|not (?:very )?helpful)"
    r"(?:です|でした|ね|な|だ)?[。.!！…]*$"
)


def _principle_beyond_ten(q_plain: str) -> int | None:
    found = _BEYOND_TEN.search(q_plain)
    number = int(next(g for g in found.groups() if g is not None)) if found else None
    return number if number is not None and not 1 <= number <= 10 else None


def clean_text(text: str) -> str:
    """Drop control and format characters (keeping line breaks as spaces)."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\r\t":
            out.append(" ")
        elif cat in ("Cc", "Cs", "Co", "Cn") or (cat == "Cf" and ch != "\u200d"):
            continue
        else:
            out.append(ch)
    return "".join(out).strip()


class Assistant:
    def __init__(
        self, kb: KnowledgeBase, store: Store, matcher: Matcher | None = None, features: list[Feature] | None = None,
        retention_days: int = DEFAULT_RETENTION_DAYS,
    ) -> None:
        self.kb = kb
        self.retention_days = retention_days  # said in the privacy answer
        self.store = store
        self.matcher = matcher or Matcher(kb)
        self.features: list[Feature] = list(features or [])
        self.departments = DepartmentIndex(kb)
        # Glossary acronyms as people type them ("NPS", "KPI"): no sign of English on their own.
        self.acronyms = frozenset(
            word for term in kb.glossary for text in (term.id, term.term.ja, term.term.en, *term.aliases.ja, *term.aliases.en)
            for word in LATIN_WORD.findall(text) if word.isupper() and len(word) <= 6
        ) | {"KPI"}
        self.english = english_vocabulary(kb)
        self.topics = Topics(kb)

    def _lang(self, msg: Incoming, text: str, preferred: str | None = None) -> str:
        """The user's fixed language, else `preferred` (a button's), else the text's, else the one
        they last wrote in (buttons, acronyms), else the locale's."""
        fixed = self.store.user_lang(msg.platform, msg.user)
        if fixed in ("ja", "en"):
            return fixed
        if preferred:
            return preferred
        detected = detect_lang(text, self.acronyms, self.english)
        if detected:
            self.store.note_lang(msg.platform, msg.user, detected)
            return detected
        recent = self.store.recent_lang(msg.platform, msg.user)
        if recent in ("ja", "en"):
            return recent
        if msg.locale and msg.locale.lower().startswith("en"):
            return "en"
        return "ja"

    async def handle(self, msg: Incoming) -> list[Reply]:
        started = time.perf_counter()
        metrics.REQUESTS.inc(msg.platform)
        try:
            return await self._handle(msg)
        except Exception:  # a user's text must never get a traceback as its answer
            log.exception("failed to handle a message from %s", msg.platform)
            lang = detect_lang(msg.text) or "ja"
            return [answers.simple("error.internal", lang)]
        finally:
            metrics.LATENCY.observe(time.perf_counter() - started)

    async def _handle(self, msg: Incoming) -> list[Reply]:
        if msg.value is not None:
            return await self._button(msg)
        raw = msg.text or ""
        if len(raw) > MAX_CHARS:
            lang = self._lang(msg, raw[:200])
            return [answers.simple("error.too_long", lang, length=len(raw), limit=MAX_CHARS)]
        text = clean_text(raw)
        # Every typed message with something to read is logged once, whoever answers it: the
        # dashboard's "Questions" (README "Dashboard and privacy"). Empty, symbol-only and
        # over-long messages are refused unread and not counted.
        if command := _LANG_COMMAND.match(text):  # before the text's own language is noted: "lang ja" is not English
            reply = self._set_lang(msg, command.group(1))
            self._log(msg, text, Match("lang", confidence=1.0))
            return [reply]
        if (asked := asked_language(text)) is not None:
            typed, (wanted, text) = text, asked
            if not text:  # "English please", 「日本語で答えて」: from now on
                reply = self._set_lang(msg, wanted)
                self._log(msg, typed, Match("lang", confidence=1.0))
                return [reply]
            # "第3条 in English please": this answer, and what follows it, in that language.
            self.store.note_lang(msg.platform, msg.user, wanted)
            lang = wanted
        else:
            lang = self._lang(msg, text)
        if not raw.strip():
            return [answers.simple("error.empty", lang)]
        if not text or not any(ch.isalnum() for ch in text):
            return [answers.simple("error.no_text", lang, answers.menu(lang))]
        for feature in self.features:
            replies = await feature.command(msg, text, lang)
            if isinstance(replies, Match):  # a typed button label: answered, logged and remembered like a question
                return await self._respond(msg, text, replies, lang)
            if isinstance(replies, Handled):  # a typed command: counted under the feature's intent
                label = Match(replies.intent, principle=replies.principle, confidence=1.0)
                self._log(msg, text if replies.log_text else None, label)
                return replies.replies
            if replies is not None:
                self._log(msg, text, Match("command", confidence=1.0))
                return replies
        q_plain = plain(text)  # once, for the checks that run before the matcher
        if (number := _principle_beyond_ten(q_plain)) is not None:  # logged as unanswered, for the dashboard
            reply = answers.simple("principle.no_such", lang, answers.menu(lang), number=number)
            return [self._logged(msg, text, reply, Match("out_of_scope", confidence=1.0), answered=False)]
        if _COMPLAINT.match(q_plain):  # the whole message, so 「役に立たない会議を減らすには」 is a question
            return [self._logged(msg, text, answers.simple("smalltalk.sorry", lang), Match("smalltalk", confidence=1.0))]
        if asks_about_privacy(q_plain):  # no buttons: nothing on the menu deletes data
            reply = answers.simple("privacy.text", lang, days=self.retention_days)
            return [self._logged(msg, text, reply, Match("help", confidence=1.0))]
        if (by_department := self.departments.answer(q_plain, lang)) is not None:
            department = Match("department", facet="roadmap", confidence=1.0)
            self.topics.remember(msg, department)
            return [self._logged(msg, text, by_department, department)]
        match = self.matcher.classify(text)
        return await self._respond(msg, text, match, lang)

    async def _respond(self, msg: Incoming, text: str, match: Match, lang: str) -> list[Reply]:
        match = self.topics.follow_up(msg, match, text)
        confident = match.confidence >= ANSWER_THRESHOLD and match.intent != "out_of_scope"
        if confident:
            self.topics.remember(msg, match)
        options = [m for m in (match, *match.alternatives) if m.intent != "out_of_scope"]
        owner = next((f for f in self.features if match.intent in f.intents), None)
        extra: list[Reply] = []
        if confident and owner is not None:
            reply, *extra = await owner.intent(msg, text, match, lang) or [answers.simple("error.internal", lang)]
        elif confident:
            reply = answers.answer(self.kb, match, lang, text)
            extra = [answers.answer(self.kb, replace(match, principle=n), lang, text) for n in match.also]
        elif options and (match.intent != "out_of_scope" or match.confidence < 0.85):
            reply = answers.did_you_mean(self.kb, options[:4], lang, maybe_out_of_scope=match.intent == "out_of_scope")
        else:
            reply = answers.answer(self.kb, Match("out_of_scope"), lang)
        # One question, one log row; the other principles it names count in "Top principles" too.
        logged = self._logged(msg, text, reply, match, confident, also=match.also if confident and owner is None else ())
        if match.also:  # one question, one log row: each answer's 👍/👎 counts for it
            extra = [replace(r, interaction_id=logged.interaction_id) for r in extra]
        return [logged, *extra]

    def _logged(self, msg: Incoming, text: str, reply: Reply, match: Match, answered: bool = True,
                also: tuple[int, ...] = ()) -> Reply:
        """The reply, recorded in the interaction log (and so on the dashboard) with its 👍/👎 id."""
        return replace(reply, interaction_id=self._log(msg, text, match, answered, also))

    def _log(self, msg: Incoming, text: str | None, match: Match, answered: bool = True,
             also: tuple[int, ...] = ()) -> int:
        metrics.ANSWERS.inc(match.intent, "true" if answered else "false")
        return self.store.log_interaction(
            platform=msg.platform,
            user_id=msg.user,
            conversation=msg.conversation,
            direct=msg.direct,
            text=text,
            intent=match.intent,
            principle=match.principle,
            facet=match.facet,
            term=match.term,
            confidence=match.confidence,
            answered=answered,
            also=also,
        )

    def awaiting(self, msg: Incoming) -> Reply | None:
        """The question a feature has open for this person (a quiz question), as shown, or None."""
        lang = self._lang(msg, "")
        return next((reply for f in self.features if isinstance(f, AwaitsAnswer) and (reply := f.awaiting(msg, lang))),
                    None)

    async def _button(self, msg: Incoming) -> list[Reply]:
        value = msg.value or ""
        if value.startswith("lang:"):
            return [self._set_lang(msg, value.split(":", 1)[1])]
        if value.startswith("fb:"):
            _, vote, interaction = (value.split(":") + ["", ""])[:3]
            if interaction.isdigit() and vote in ("up", "down"):
                self.store.set_feedback(int(interaction), msg.platform, msg.user, 1 if vote == "up" else -1)
                return []
        for feature in self.features:
            if value.startswith(feature.button_prefixes):
                return await feature.button(msg, value, self._lang(msg, ""))
        decoded = answers.decode(value)
        if decoded is None:
            return [answers.simple("error.button", self._lang(msg, ""))]
        match, button_lang = decoded
        return await self._respond(msg, f"[button] {value}", match, self._lang(msg, "", button_lang))

    def _set_lang(self, msg: Incoming, word: str) -> Reply:
        choice = _LANG_WORDS.get(word.lower())
        # 「言語 フランス語」 is Japanese; "lang fr" says nothing of the asker's language.
        current = "ja" if has_japanese(word) else self._lang(msg, "")
        if choice is None:
            return answers.simple("lang.unknown", current)
        self.store.set_user_lang(msg.platform, msg.user, None if choice == "auto" else choice)
        if choice == "auto":
            return answers.simple("lang.auto", current)
        return answers.simple("lang.set", choice, [Button(t("button.lang", choice), f"lang:{'en' if choice == 'ja' else 'ja'}")])
