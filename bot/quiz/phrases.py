"""What people say to a quiz in their own words: stop.

QA typed 「やめる」「終了」「ストップ」 and got the out-of-scope answer, and 「クイズやめたい」 started
a new quiz. Each phrase here is the whole message, give or take a softening word or punctuation.
Most of them only mean something to the quiz while one of its questions is open; the feature
decides that (bot/quiz/feature.py).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Phrase = Literal["stop"]

_QUIZ = r"(?:(?:the|my|this) )?(?:quiz|quizzes)"
# Words that only soften what follows or ends a sentence: 「もう」「ちょっと」, 「です」「ね」.
_JA_LEAD = r"(?:もう|いったん|一旦|ちょっと|うーん|えー|えっと|じゃあ|では|ごめん|すみません|すいません)?[、,\s]*"
_JA_TAIL = r"(?:です|ます|ね|よ|な|わ|かな|かも|ください|下さい|お願いします|おねがいします|w+|笑)*"
_EN_LEAD = r"(?:(?:ok|okay|um|hmm|sorry|well|please|so|then|i think|actually),?\s+)*"
_EN_TAIL = r"(?:\s+(?:now|please|for now|here|then|thanks|thank you))*"

_JA_STOP_VERB = (
    r"(?:やめ|止め|とめ)(?:る|て|ます|たい|よう|ましょう|た|とく|ておく|させて|ちゃう|ようかな)?"
    r"|(?:終わ|おわ)(?:り|る|ります|りたい|りにする|りにします|りにしたい|りにして|らせて|らせたい|ろう|ります)"
    r"|終了(?:する|して|します|したい|で)?|中止(?:する|して|します|したい)?|ストップ(?:して|で)?"
    r"|もういい|もう十分|おしまい(?:にする|にして)?"
)
_JA_QUIZ = r"(?:クイズ|くいず|問題)"
# 「やめる」「終了」「ストップ」 alone, or 「クイズやめたい」「クイズはもういいです」 naming the quiz.
_JA_STOP = re.compile(rf"^{_JA_LEAD}(?P<quiz>{_JA_QUIZ}(?:は|を|も|、|\s)*)?(?:もう)?(?:{_JA_STOP_VERB}){_JA_TAIL}$")
_EN_STOP = re.compile(
    rf"^{_EN_LEAD}(?:(?:i want to|i wanna|i'd like to|i would like to|let's|let me|can we|can i|could we|could i|i'll|i will)\s+)?"
    rf"(?:stop|quit|end|cancel|exit|finish)(?:\s+(?P<quiz>{_QUIZ}))?(?:\s+(?:it|this))?{_EN_TAIL}$"
    rf"|^{_EN_LEAD}(?:i'm done|im done|i am done|enough|that's enough|no more(?: questions| (?P<quiz2>{_QUIZ}))?)"
    rf"(?:\s+(?:with|for) (?P<quiz3>{_QUIZ}))?{_EN_TAIL}$"
)
_ENDS = re.compile(r"[\s.。!！?？…~〜ー]+$")


def _normal(text: str) -> str:
    """NFKC, lower case, single spaces, curly apostrophes straight, no closing punctuation."""
    folded = " ".join(unicodedata.normalize("NFKC", text).lower().replace("’", "'").split())
    return _ENDS.sub("", folded)


_PATTERNS: tuple[tuple[Phrase, re.Pattern[str]], ...] = (("stop", _JA_STOP), ("stop", _EN_STOP))


def read(text: str) -> Phrase | None:
    """What the whole message says to a quiz, or None if it says something else."""
    t = _normal(text)
    if not t:
        return None
    return next((name for name, pattern in _PATTERNS if pattern.match(t)), None)


def names_the_quiz(text: str) -> bool:
    """「クイズやめたい」 "stop the quiz": a stop that says which, so it is the quiz's even with none open."""
    t = _normal(text)
    found = _JA_STOP.match(t) or _EN_STOP.match(t)
    return found is not None and any(found.groupdict().values())
