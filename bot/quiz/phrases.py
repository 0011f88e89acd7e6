"""What people say to a quiz in their own words: stop, next, "I don't know", a hint, again.

QA typed 「やめる」「クイズやめたい」「わからん」「パス」「ヒント」「次」「もう一回」 and got the
out-of-scope answer (or, for 「クイズやめたい」, a new quiz). Each phrase here is the whole
message, give or take a softening word or punctuation: 「NPSがわからない」 is a side question, and
「ヒントを毎朝送って」 is the tips feature's. Most of them only mean something to the quiz while
one of its questions is open; the feature decides that (bot/quiz/feature.py).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

Phrase = Literal["stop", "next", "dont_know", "hint", "again"]

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
# 「次」「次の問題」 "next": the question after the one answered, which is the open one.
_NEXT = re.compile(
    rf"^{_JA_LEAD}(?:次|つぎ)(?:の問題|の問|へ|に進む|に進んで|いこう|行こう|いって|行って|を?お願い|ちょうだい)?(?:は)?{_JA_TAIL}$"
    rf"|^{_EN_LEAD}(?:next|next question|next one|go on|go ahead|move on)(?:\s+(?:question|one))?{_EN_TAIL}$"
)
# 「わからん」「パス」 "I don't know": not known, so the answer is shown and the question comes back.
_DONT_KNOW = re.compile(
    rf"^{_JA_LEAD}(?:全然|ぜんぜん|さっぱり|まったく|全く)?"
    r"(?:わからん|わからない|わかんない|わかんねえ|分からない|分からん|分かんない|わかりません|分かりません"
    r"|知らない|知らん|しらない|しらん|知りません|パス|ぱす|スキップ|降参|ギブアップ|ぎぶあっぷ|お手上げ|見当もつかない"
    rf"|思いつかない|思い出せない|忘れた|わすれた){_JA_TAIL}$"
    rf"|^{_EN_LEAD}(?:i (?:really )?(?:don't|dont|do not) know|(?:don't|dont) know|idk|dunno|no idea|not sure|i'm not sure"
    rf"|im not sure|no clue|pass|skip|skip (?:it|this|this one|this question|the question)|i give up|give up|i forgot)"
    rf"{_EN_TAIL}$"
)
# 「ヒント」 "hint" alone: 「ヒントを毎朝送って」 and "send me tips" are the tips feature's.
_HINT = re.compile(
    rf"^{_JA_LEAD}(?:ヒント|ひんと)(?:を|が)?(?:ちょうだい|ください|下さい|ほしい|欲しい|もらえる|もらえますか|ある|ありますか"
    rf"|お願い|おねがい|プリーズ|は)?{_JA_TAIL}$"
    rf"|^{_EN_LEAD}(?:(?:can i (?:have|get)|could i (?:have|get)|give me|i need|need|any|a|one)\s+)?(?:a\s+)?(?:hint|hints|clue)"
    rf"{_EN_TAIL}$"
)
# 「もう一回」 "again" after a quiz's summary: another round, as its "Another round" button.
_AGAIN = re.compile(
    rf"^{_JA_LEAD}(?:もう|モウ)(?:一回|1回|いっかい|一度|1度|いちど|一問|1問|いっちょ|ひと勝負)"
    r"(?:やる|やります|やりたい|やろう|挑戦|挑戦する|チャレンジ|お願い|おねがい|!|！)?"
    rf"{_JA_TAIL}$|^{_JA_LEAD}(?:おかわり|再挑戦|リトライ|もっと|もっとやりたい){_JA_TAIL}$"
    rf"|^{_EN_LEAD}(?:again|one more|another|another one|another round|one more round|play again|more|retry|once more"
    rf"|go again|let's go again|more please|do it again|let's do it again|round two)(?:\s+{_QUIZ})?{_EN_TAIL}$"
)
_ENDS = re.compile(r"[\s.。!！?？…~〜ー]+$")


def _normal(text: str) -> str:
    """NFKC, lower case, single spaces, curly apostrophes straight, no closing punctuation."""
    folded = " ".join(unicodedata.normalize("NFKC", text).lower().replace("’", "'").split())
    return _ENDS.sub("", folded)


_PATTERNS: tuple[tuple[Phrase, re.Pattern[str]], ...] = (
    ("stop", _JA_STOP), ("stop", _EN_STOP), ("dont_know", _DONT_KNOW), ("next", _NEXT), ("hint", _HINT),
    ("again", _AGAIN),
)


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
