"""What a conversation was just about, so a short follow-up can lean on it.

「KPIは？」 right after 「第5条について」 means #5's KPIs, 「じゃあ第7条は？」 after a first step means
#7's first step, 「それって何条に出てくる？」 after a term means that term. Kept in memory and
short-lived, like a person's attention.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

from bot.events import Incoming
from bot.matcher import ANSWER_THRESHOLD, Match
from bot.text import plain
from knowledge.schema import KnowledgeBase

TOPIC_SECONDS = 30 * 60  # how long 「KPIは？」 still means the principle just discussed
MAX_TOPICS = 10_000


# A principle and nothing else but a connector: "and for principle 5?", 「じゃあ第5条は？」, "#7 too".
# A bare "#2" is not one: it may well ask for #2's overview.
_ONLY_A_PRINCIPLE = re.compile(
    r"^(?P<en_pre>and|what about|how about|same for|same with|then|also|now)?[,\s]*(?:for|with|in)?\s*"
    r"(?:the\s+)?(?:principle|p|no\.?|number|#)?\s*(?:10|[1-9])(?:st|nd|rd|th)?(?:\s+one)?(?P<en_post>\s+too|\s+as well)?\s*[?.!]*$"
    r"|^(?P<ja_pre>じゃあ|じゃ|では|なら|それでは|それなら|あと|次は|つぎは|同じく|同様に)?[、,\s]*(?:第\s*)?(?:10|[1-9])\s*(?:条|番)?\s*目?"
    r"\s*(?P<ja_post>は|も|なら|の場合は|だと|では|についても|も同じく)?\s*(?:どう|どうですか|どうなる|どうなっている)?\s*[?？。!！]*$"
)


# 「次の条」, "next one", 「前の原則は？」: the principle after or before the one just discussed.
_NEXT_OR_PREVIOUS = re.compile(
    r"^(?:じゃあ|では|それでは)?[、,\s]*(?P<ja>次|つぎ|前|まえ)の(?:条|原則|か条|ヶ条|項目)(?:は|を|も)?\s*(?:教えて|見せて|お願い)?(?:ください)?\s*[?？。!！]*$"
    r"|^(?:and\s+|ok\s+|now\s+)?(?:the\s+)?(?P<en>next|previous|prev)(?:\s+(?:one|principle))?(?:\s+please)?\s*[?.!]*$"
)


def _step(q_plain: str) -> int:
    """+1 for "next", -1 for "previous", 0 for anything else."""
    found = _NEXT_OR_PREVIOUS.match(q_plain)
    if found is None:
        return 0
    return 1 if (found.group("ja") or found.group("en")) in ("次", "つぎ", "next") else -1


# 「それって何条に出てくる？」, "which principles is it in?": about the term just explained.
_WHERE_IS_IT = re.compile(
    r"(?:それ|これ|その用語|この用語|その言葉).{0,6}?(?:何条|どの条|どの原則|どこに出|どこで使)"
    r"|^(?:何条|どの条|どの原則)(?:に出て|で使われ|に書)"
    r"|(?:which|what)\s+principles?\s+(?:is|are|uses?|mentions?)\s+(?:it|that|this)"
    r"|where\s+(?:is|does)\s+(?:it|that|this)\s+(?:used|appear|come up|mentioned)"
)


@dataclass(frozen=True)
class _Topic:
    """What a conversation was just about: principles (and the facet asked), or a term."""

    principles: tuple[int, ...]
    facet: str | None
    term: str | None
    at: float


def _only_a_principle(q_plain: str) -> bool:
    found = _ONLY_A_PRINCIPLE.match(q_plain)
    return found is not None and any(found.groupdict().values())


class Topics:
    """The last topic of each conversation (platform, user, conversation), the newest MAX_TOPICS."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._by_conversation: OrderedDict[tuple[str, str, str], _Topic] = OrderedDict()

    def follow_up(self, msg: Incoming, match: Match, text: str) -> Match:
        """Right after an answer about a principle, a lone facet cue asks about that principle, and a
        lone principle ("and for principle 5?", 「じゃあ第5条は？」) asks for the same facet of it."""
        key = (msg.platform, msg.user, msg.conversation)
        topic = self._by_conversation.get(key)
        if topic is None or time.monotonic() - topic.at > TOPIC_SECONDS:
            return match
        q_plain = plain(text)  # as the core read it: "what about #3 in English please" without the request
        if topic.term and match.intent not in ("principle", "glossary") and _WHERE_IS_IT.search(q_plain):
            # 「それって何条に出てくる？」 after a term: its answer lists the principles that use it.
            return Match("glossary", None, None, topic.term, 0.8)
        if not topic.principles:
            return match
        (first, *also), facet = topic.principles, topic.facet
        if match.intent != "principle" and (step := _step(q_plain)) and 1 <= first + step <= 10:
            return Match("principle", first + step, facet or "overview", None, 0.8)
        if match.intent == "list" and match.facet and match.confidence < ANSWER_THRESHOLD:
            return Match("principle", first, match.facet, None, 0.8, alternatives=(match,), also=tuple(also))
        if (match.intent == "principle" and match.facet == "overview" and facet not in (None, "overview")
                and _only_a_principle(q_plain)):
            return replace(match, facet=facet)
        return match

    def remember(self, msg: Incoming, match: Match) -> None:
        """What the conversation is about now: the principles just answered, or nothing (after the
        list of all ten, a term, a department's initiatives…)."""
        key = (msg.platform, msg.user, msg.conversation)
        principles: tuple[int, ...] = ()
        facet = match.facet if match.intent == "principle" else None
        if match.intent == "principle" and match.principle is not None:
            principles = (match.principle, *match.also)
        elif match.intent == "glossary" and match.term and (term := self.kb.term(match.term)) and len(term.principles) == 1:
            principles = tuple(term.principles)  # 「デジタルデバイド」 then 「それの推進部署は？」: #3's
        term_id = match.term if match.intent == "glossary" else None
        if not principles and not term_id:
            self._by_conversation.pop(key, None)
            return
        self._by_conversation[key] = _Topic(principles, facet, term_id, time.monotonic())
        self._by_conversation.move_to_end(key)
        if len(self._by_conversation) > MAX_TOPICS:
            self._by_conversation.popitem(last=False)
