"""An answer to the open quiz question typed in words: "I think it's B", "the third one", 「Bです」「3番」.

A bare number ("4", 「4番」) is a position: the console numbers the choices 1..n. A principle's
number ("#4", 「第4条」「4条」, "principle 4") is never a position: it picks the choice labelled #4
(`by_number`), as people type the label they see on a "which principle?" question.

Only ever asked while a question is open, so a reading that would be far-fetched elsewhere (a
lone "3") is the natural one here. Anything with more in it than an answer ("B is about data,
right?", "what is NPS") is not an answer and goes on to the rest of dx10 as a side question.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from bot.text import fold, plain
from knowledge.schema import Text

LETTERS = "abcdef"  # "e" and "f" are read too, to say "choose A–D" instead of "I can't help"
_ORDINALS = {  # ("one" is only ever the filler of "the third one")
    "first": 0, "1st": 0, "second": 1, "2nd": 1, "two": 1, "third": 2, "3rd": 2, "three": 2,
    "fourth": 3, "4th": 3, "four": 3, "fifth": 4, "5th": 4, "five": 4, "sixth": 5, "6th": 5, "six": 5,
}
# Words around an answer that say nothing about which one: "I think it's B", "my answer is the third one".
_FILLER = frozenset(
    "i i'm im think thinks guess it it's its is s the my answer answers final maybe perhaps probably um hmm ok "
    "okay so then say i'd id would go with choose choice pick option letter number no please one that's thats "
    "sure pretty be must should it'll ll going to".split()
)
_EN_WORD = re.compile(r"[a-z0-9']+")
# 「Bです」「答えはCかな」「3番」「三番目」「2つ目」「最後の」: the answer, then words that only soften it.
# (Matched after `plain`, which has turned 三番 into 3番 and dropped を.)
_JA = re.compile(
    r"^(?:答えは|回答は|正解は|たぶん|多分|えーと|えっと|うーん)*\s*"
    r"(?:([a-f])|(\d)\s*(?:番目?|つ目|個目|問目)?|(最初|最後)(?:の(?:もの|やつ|選択肢)?)?)\s*"
    r"(?:です|でしょう|でしょうか|だと思う|だと思います|と思う|と思います|かな|かも|で(?:お願いします)?|にします|選びます|選ぶ|が正解|ね)*$"
)
_ENDS = re.compile(r"[\s.。!！?？)）(（、,:：]+")
# "#4", 「第4条」「4条」, "principle 4" / "principle #4" (after NFKC, lower case and `plain`, which
# turns 「第四条」 into 「第4条」).
_PRINCIPLE = re.compile(r"#\s*(\d{1,2})|第?\s*(\d{1,2})\s*条|\bprinciple\s*(?:#|no\.?|number)?\s*(\d{1,2})\b")
_LABEL = re.compile(r"^#(\d{1,2})\s")


def parse(text: str, count: int) -> int | None:
    """The 0-based position the text picks, or None if it is not just an answer.

    A position beyond `count` ("E" with four choices) is returned as it is, so the caller can
    say which letters there are rather than treat it as a question.
    """
    t = _ENDS.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()
    if not t:
        return None
    ja = _JA.match(plain(t).replace(" ", ""))
    if ja:
        letter, digit, end = ja.groups()
        if letter:
            return LETTERS.index(letter)
        if digit:
            return int(digit) - 1 if int(digit) >= 1 else None
        return 0 if end == "最初" else count - 1
    t = t.replace("’", "'")
    if not t.isascii():
        return None  # 「第3条」 is a principle, not "3"
    words = _EN_WORD.findall(t)
    if not words:
        return None
    meaning = [w for w in words if w not in _FILLER and w != "last"]
    if not meaning:
        if "last" in words:
            return count - 1  # "the last one"
        if "one" in words and {"number", "option", "choice"} & set(words):
            return 0  # "number one"
        return None
    if len(meaning) != 1:
        return None
    word = meaning[0]
    if len(word) == 1 and word in LETTERS:
        return LETTERS.index(word)
    if word in _ORDINALS:
        return _ORDINALS[word]
    if word.isdigit() and len(word) == 1 and word != "0":
        return int(word) - 1
    return None


def by_number(text: str, choices: Sequence[Text]) -> int | None:
    """The position of the choice labelled with the principle the text names ("#4", 「第4条です」,
    "I think it's principle 4"), or None if the text is not just such an answer or the choices
    are not principles (then "#4" is a side question about #4). A principle not among the choices
    gives `len(choices)`, a position there is not, so the caller says which letters there are."""
    t = plain(_ENDS.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip())
    found = list(_PRINCIPLE.finditer(t))
    if len(found) != 1:
        return None
    # What is around the number must be only what may be around an answer: put a letter in its
    # place and ask `parse` ("答えは第4条です" reads as "答えはaです", "#4 is about data" does not).
    ref = found[0]
    if parse(f"{t[:ref.start()]} a {t[ref.end():]}", len(choices)) != 0:
        return None
    number = int(next(g for g in ref.groups() if g is not None))
    labels = [_label(c) for c in choices]
    if not any(labels):
        return None
    return labels.index(number) if number in labels else len(choices)


def names_a_principle(text: str) -> bool:
    """Whether the text names a principle by number ("#4", 「第4条」): then it is never a position."""
    return principle_in(text) is not None


def principle_in(text: str) -> int | None:
    """The principle 1–10 the text names by number ("#4", 「第4条」, "principle 4"), or None."""
    found = _PRINCIPLE.search(plain(unicodedata.normalize("NFKC", text).lower()))
    number = int(next(g for g in found.groups() if g is not None)) if found else None
    return number if number is not None and 1 <= number <= 10 else None


def _label(choice: Text) -> int | None:
    found = _LABEL.match(choice.en) or _LABEL.match(choice.ja)
    return int(found.group(1)) if found else None


def by_text(text: str, choices: Sequence[Text]) -> int | None:
    """The choice whose words were typed out ("#5 Build a safe and secure digital society", with or
    without its number), in either language; None if the text is not exactly one of them."""
    typed = _bare(text)
    if len(typed) < 4:
        return None
    found = [i for i, c in enumerate(choices) if typed in {_bare(c.ja), _bare(c.en), _bare(_unnumbered(c.ja)),
                                                              _bare(_unnumbered(c.en))}]
    return found[0] if len(found) == 1 else None


def _unnumbered(choice: str) -> str:
    return re.sub(r"^#\d+\s+", "", choice)


@lru_cache(maxsize=4096)
def _bare(text: str) -> str:
    # Cached: with a question open, every message is compared with its choices (the bank's texts).
    return "".join(ch for ch in fold(text) if ch.isalnum())
