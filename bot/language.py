"""Which language a message is written in, and which one it asks the answer to be in."""

from __future__ import annotations

import re

from knowledge.schema import KnowledgeBase

_JA = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9']*")
# Words that make a sentence English even around a Japanese term ("what is the 第一歩 for #1?").
# Names and terms are often pasted in Japanese; the grammar around them says who is asking.
_EN_GRAMMAR = frozenset({
    "what", "what's", "whats", "is", "are", "the", "a", "an", "for", "of", "about", "me", "show", "tell",
    "how", "which", "who", "when", "where", "why", "does", "do", "can", "please", "and", "in", "to", "with",
    "explain", "give", "list", "mean", "means",
})
# "第3条 in English please", 「第3条を英語で」, "answer in Japanese": the language the answer should be in.
_ASKED = re.compile(
    r"(?:^|[\s,、。.])(?:(?:please\s+)?(?:answer|reply|respond|write|say|explain|switch|change|show)?\s*(?:it\s+|that\s+|this\s+)?"
    r"(?:in|into|to)\s+(english|japanese)(?:\s+please)?|(english|japanese)\s+please)\s*[.!?。！？]*\s*$"
    r"|(英語|日本語|えいご|にほんご)(?:で|に)(?:お願い(?:します)?|おねがい(?:します)?|答えて(?:ください)?|回答して(?:ください)?"
    r"|教えて(?:ください)?|表示して(?:ください)?|切り替えて(?:ください)?|切りかえて(?:ください)?|して(?:ください)?|見せて(?:ください)?)?"
    r"\s*[.!?。！？]*\s*$",
    re.IGNORECASE,
)
# "Can I get this in Japanese?": nothing asked but the language.
_ONLY_THE_LANGUAGE = re.compile(
    r"^(?:(?:can|could|would)\s+(?:i|we|you)\s+(?:please\s+)?(?:get|have|see|read|answer|reply|say|give|show|explain|switch|change)"
    r"(?:\s+(?:me|us))?(?:\s+(?:it|this|that|the answer|everything))?|(?:please\s+)?(?:answer|reply|say|show|give|explain)"
    r"(?:\s+(?:me|us))?(?:\s+(?:it|this|that))?|this|that|it|それを|これを|それ|これ)\s*[?.!？。]*$",
    re.IGNORECASE,
)
_ASKED_WORDS = {"english": "en", "japanese": "ja", "英語": "en", "えいご": "en", "日本語": "ja", "にほんご": "ja"}


def has_japanese(text: str) -> bool:
    return _JA.search(text) is not None


# Typed by Japanese speakers too: the Japanese help page itself teaches 「pause 7」.
_NEUTRAL = re.compile(r"^\s*(?:(?:pause|lang)\s*\d*|ok|okay|dx10)\s*[.!?]*\s*$", re.IGNORECASE)
# Commands and answers to dx10's own prompts (help page, quiz, tips), beyond knowledge/data/intents.yaml.
_EN_COMMANDS = frozenset({"status", "resume", "review", "stop", "more", "continue", "next", "yes", "no"})


def _acronym(word: str, acronyms: frozenset[str]) -> bool:
    """「kpi」 and "KPIs" are the acronym KPI, typed the same by speakers of either language."""
    upper = word.upper()
    return upper in acronyms or (upper.endswith("S") and upper[:-1] in acronyms)


def english_vocabulary(kb: KnowledgeBase) -> frozenset[str]:
    """Single English words dx10 understands (intent phrases and cue words) plus function words:
    a one-word message counts as English only if it is one of them, so 「OK」, 「E」 or a
    keyboard mash does not switch a Japanese speaker's answers to English."""
    phrases = [*(p for i in kb.intents for p in i.examples.en), *kb.cues.list_all.en, *kb.cues.definition.en,
               *kb.cues.which_principle.en, *(p for a in kb.cues.facets.values() for p in a.en)]
    return frozenset(w.lower() for p in phrases for w in LATIN_WORD.findall(p)) | _EN_GRAMMAR | _EN_COMMANDS


def detect_lang(text: str, acronyms: frozenset[str] = frozenset(), vocabulary: frozenset[str] = _EN_GRAMMAR) -> str | None:
    """"ja" or "en"; None for text in neither, or made only of `acronyms` ("NPS", "KPI #3"):
    they are the same in both languages, so they say nothing of the asker's.

    Japanese script makes it Japanese unless English grammar carries the sentence: two English
    function words ("show me the ロードマップ"), or one after an English word at the start
    ("KPIs for 都民と共創しよう"). Latin script alone is English when it has two words, or one
    from `vocabulary` ("help", "quiz"); a lone letter, 「OK」 or "pause 7" says nothing.
    """
    words = LATIN_WORD.findall(text)
    if _JA.search(text):
        grammar = [w for w in words if w.lower() in _EN_GRAMMAR]
        starts_english = bool(words) and text.lstrip(" \"'「#＃").startswith(words[0])
        if len(grammar) >= 2 or (grammar and starts_english and len(words) >= 2):
            return "en"
        return "ja"
    if _NEUTRAL.match(text):
        return None
    words = [w for w in words if len(w) >= 2 and not _acronym(w, acronyms)]
    if len(words) >= 2 or (words and words[0].lower() in vocabulary):
        return "en"
    return None


def asked_language(text: str) -> tuple[str, str] | None:
    """("en", "第3条") for "第3条 in English please"; ("ja", "") for 「日本語で答えて」; else None."""
    found = _ASKED.search(text)
    if found is None:
        return None
    word = next(g for g in found.groups() if g is not None)
    rest = text[: found.start()].strip(" ,、。.を")
    return _ASKED_WORDS[word.lower()], "" if _ONLY_THE_LANGUAGE.match(rest) else rest
