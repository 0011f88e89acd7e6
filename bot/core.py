"""The conversation core: a neutral incoming message in, neutral replies out."""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections import OrderedDict
from dataclasses import replace

from bot import answers, metrics
from bot.catalog import t
from bot.departments import DepartmentIndex
from bot.events import Button, Incoming, Reply
from bot.features import Feature
from bot.matcher import ANSWER_THRESHOLD, Match, Matcher
from bot.store import Store
from bot.text import plain
from knowledge.schema import KnowledgeBase

log = logging.getLogger(__name__)

MAX_CHARS = 2000
TOPIC_SECONDS = 30 * 60  # how long 「KPIは？」 still means the principle just discussed
MAX_TOPICS = 10_000
_JA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_LANG_COMMAND = re.compile(r"^\s*(?:lang|language|言語|げんご)\s*[:：=]?\s*(\S+)\s*$", re.IGNORECASE)
_LANG_WORDS = {
    "ja": "ja", "jp": "ja", "japanese": "ja", "日本語": "ja", "にほんご": "ja",
    "en": "en", "english": "en", "英語": "en", "えいご": "en",
    "auto": "auto", "自動": "auto",
}


def detect_lang(text: str, acronyms: frozenset[str] = frozenset()) -> str | None:
    """"ja" or "en" by the script; None for text in neither, or made only of `acronyms` ("NPS",
    "KPI #3"): they are the same in both languages, so they say nothing of the asker's."""
    if _JA.search(text):
        return "ja"
    words = _LATIN_WORD.findall(text)
    if words and not all(w in acronyms for w in words):
        return "en"
    return None


# 「第11条」, "principle 12": a principle the document does not have (第11回 is a meeting, not one).
_BEYOND_TEN = re.compile(
    r"(?<![\d.全])(0|\d{2,3})\s*条|(?<![\w#])#\s*(0|\d{2})(?!\d)|(?:principle|原則)\s*#?\s*(0|\d{2,3})(?![\d時日分円%％年月人件回]|\s*(?:am|pm|hours?|days?))"
)


_COMPLAINT = re.compile(
    r"^(?:全然|まったく|ぜんぜん|説明が|答えが|回答が|this is |that's |that is |it's |it is |so )?"
    r"(?:このボット(?:は|って)?|これ(?:は|って)?)?"
    r"(?:役に立たな(?:い|かった)|(?:分|わ)かりにく(?:い|かった)|使いにく(?:い|かった)|いまいち(?:分からない|わからない)?|微妙"
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
        self, kb: KnowledgeBase, store: Store, matcher: Matcher | None = None, features: list[Feature] | None = None
    ) -> None:
        self.kb = kb
        self.store = store
        self.matcher = matcher or Matcher(kb)
        self.features: list[Feature] = list(features or [])
        self.departments = DepartmentIndex(kb)
        # Glossary acronyms as people type them ("NPS", "KPI"): no sign of English on their own.
        self.acronyms = frozenset(
            word for term in kb.glossary for text in (term.id, term.term.ja, term.term.en, *term.aliases.ja, *term.aliases.en)
            for word in _LATIN_WORD.findall(text) if word.isupper() and len(word) <= 6
        ) | {"KPI"}
        # The principle each conversation last got an answer about: 「KPIは？」 right after
        # 「第5条について」 means #5's KPIs. In memory and short-lived, like a person's attention.
        self._topics: OrderedDict[tuple[str, str, str], tuple[tuple[int, ...], float]] = OrderedDict()

    def _lang(self, msg: Incoming, text: str, preferred: str | None = None) -> str:
        """The user's fixed language, else `preferred` (a button's), else the text's, else the one
        they last wrote in (buttons, acronyms), else the locale's."""
        fixed = self.store.user_lang(msg.platform, msg.user)
        if fixed in ("ja", "en"):
            return fixed
        if preferred:
            return preferred
        detected = detect_lang(text, self.acronyms)
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
        if command := _LANG_COMMAND.match(text):  # before the text's own language is noted: "lang ja" is not English
            return [self._set_lang(msg, command.group(1))]
        lang = self._lang(msg, text)
        if not raw.strip():
            return [answers.simple("error.empty", lang)]
        if not text or not any(ch.isalnum() for ch in text):
            return [answers.simple("error.no_text", lang, answers.menu(lang))]
        for feature in self.features:
            replies = await feature.command(msg, text, lang)
            if isinstance(replies, Match):  # a typed button label: answered, logged and remembered like a question
                return await self._respond(msg, text, replies, lang)
            if replies is not None:
                return replies
        q_plain = plain(text)  # once, for the checks that run before the matcher
        if (number := _principle_beyond_ten(q_plain)) is not None:  # logged as unanswered, for the dashboard
            reply = answers.simple("principle.no_such", lang, answers.menu(lang), number=number)
            return [self._logged(msg, text, reply, Match("out_of_scope", confidence=1.0), answered=False)]
        if _COMPLAINT.match(q_plain):  # the whole message, so 「役に立たない会議を減らすには」 is a question
            return [self._logged(msg, text, answers.simple("smalltalk.sorry", lang), Match("smalltalk", confidence=1.0))]
        if (by_department := self.departments.answer(q_plain, lang)) is not None:
            department = Match("department", facet="roadmap", confidence=1.0)
            self._remember(msg, department)
            return [self._logged(msg, text, by_department, department)]
        match = self.matcher.classify(text)
        return await self._respond(msg, text, match, lang)

    def _follow_up(self, msg: Incoming, match: Match) -> Match:
        """A lone facet cue right after an answer about a principle asks about that principle."""
        if match.intent != "list" or not match.facet or match.confidence >= ANSWER_THRESHOLD:
            return match
        key = (msg.platform, msg.user, msg.conversation)
        topic = self._topics.get(key)
        if topic is None or time.monotonic() - topic[1] > TOPIC_SECONDS:
            return match
        first, *also = topic[0]
        return Match("principle", first, match.facet, None, 0.8, alternatives=(match,), also=tuple(also))

    def _remember(self, msg: Incoming, match: Match) -> None:
        """What the conversation is about now: the principles just answered, or nothing (after the
        list of all ten, a term, a department's initiatives…)."""
        key = (msg.platform, msg.user, msg.conversation)
        principles: tuple[int, ...] = ()
        if match.intent == "principle" and match.principle is not None:
            principles = (match.principle, *match.also)
        elif match.intent == "glossary" and match.term and (term := self.kb.term(match.term)) and len(term.principles) == 1:
            principles = tuple(term.principles)  # 「デジタルデバイド」 then 「それの推進部署は？」: #3's
        if not principles:
            self._topics.pop(key, None)
            return
        self._topics[key] = (principles, time.monotonic())
        self._topics.move_to_end(key)
        if len(self._topics) > MAX_TOPICS:
            self._topics.popitem(last=False)

    async def _respond(self, msg: Incoming, text: str, match: Match, lang: str) -> list[Reply]:
        match = self._follow_up(msg, match)
        confident = match.confidence >= ANSWER_THRESHOLD and match.intent != "out_of_scope"
        if confident:
            self._remember(msg, match)
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
        logged = self._logged(msg, text, reply, match, confident)
        if match.also:  # one question, one log row: each answer's 👍/👎 counts for it
            extra = [replace(r, interaction_id=logged.interaction_id) for r in extra]
        return [logged, *extra]

    def _logged(self, msg: Incoming, text: str, reply: Reply, match: Match, answered: bool = True) -> Reply:
        """The reply, recorded in the interaction log (and so on the dashboard) with its 👍/👎 id."""
        metrics.ANSWERS.inc(match.intent, "true" if answered else "false")
        interaction = self.store.log_interaction(
            platform=msg.platform,
            user_id=msg.user,
            conversation=msg.conversation,
            text=text,
            intent=match.intent,
            principle=match.principle,
            facet=match.facet,
            term=match.term,
            confidence=match.confidence,
            answered=answered,
        )
        return replace(reply, interaction_id=interaction)

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
        current = "ja" if _JA.search(word) else self._lang(msg, "")
        if choice is None:
            return answers.simple("lang.unknown", current)
        self.store.set_user_lang(msg.platform, msg.user, None if choice == "auto" else choice)
        if choice == "auto":
            return answers.simple("lang.auto", current)
        return answers.simple("lang.set", choice, [Button(t("button.lang", choice), f"lang:{'en' if choice == 'ja' else 'ja'}")])
