"""Text folding shared by the matcher's index and its queries.

Both sides go through the same functions, so a key written 「ＫＰＩ」 in YAML matches a user's
"kpi", and 「しーさーと」 matches 「シーサート」.
"""

from __future__ import annotations

import re
import unicodedata

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Only numerals that count something ("第三条", "十番目", "三つ目") become digits: a blanket
# conversion would turn 「一覧」 or 「一人でも」 into noise.
_KANJI_NUMBER = re.compile(r"([〇零一二三四五六七八九十]+)(?=(?:条|番目|ばんめ|番|つ目|つめ|個目|原則|か条目|ヶ条目))")
_SPACES = re.compile(r"\s+")
# Ordinals typed in hiragana: 「いちばんめの条」, 「みっつめ」 (counted like 1番目, 3つ目).
_KANA_COUNTS = {"いち": 1, "に": 2, "さん": 3, "よん": 4, "ご": 5, "ろく": 6, "なな": 7, "はち": 8, "きゅう": 9, "じゅう": 10}
_KANA_THINGS = {"ひとつ": 1, "ふたつ": 2, "みっつ": 3, "よっつ": 4, "いつつ": 5, "むっつ": 6, "ななつ": 7, "やっつ": 8,
                "ここのつ": 9, "とお": 10}
_KANA_ORDINAL = re.compile(
    rf"(?<![ぁ-ゖ])(?:({'|'.join(_KANA_COUNTS)})(?=ばんめ|ばん目|番目)|({'|'.join(_KANA_THINGS)})(?=め|目))"
)
# Document name, so that 「デジタル10か条の1番目」 does not read as principle 10.
_DOC_NAME = re.compile(
    r"(?:デジタル\s*)?(?:10|十)\s*(?:か|カ|ヶ|ケ|箇|個)\s*(?:条|じょう)|(?:じゅっ|じっ)かじょう|(?:10|十)\s*の\s*原則"
    r"|(?:the\s+)?(?:ten|10)\s+(?:digital\s+)?principles|digital\s+(?:10|ten)(?:\s+principles)?"
)
# "leave-no-one-behind", "self-check": hyphenated English reads as the same words spaced.
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
# 「を」 is only ever a particle and casual writing drops it (「配信やめて」 = 「配信をやめて」).
_WO = re.compile("を")


def kanji_to_int(numeral: str) -> int | None:
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        t = _KANJI_DIGITS.get(tens, None) if tens else 1
        o = _KANJI_DIGITS.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    value = 0
    for ch in numeral:
        digit = _KANJI_DIGITS.get(ch)
        if digit is None:
            return None
        value = value * 10 + digit
    return value


def _replace_kanji_number(match: re.Match[str]) -> str:
    value = kanji_to_int(match.group(1))
    return str(value) if value is not None else match.group(1)


def plain(text: str) -> str:
    """NFKC (full/half width), lower case, single spaces, kanji counters as digits."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _WORD_HYPHEN.sub(" ", text)
    text = _KANJI_NUMBER.sub(_replace_kanji_number, text)
    text = _KANA_ORDINAL.sub(lambda m: f"{_KANA_COUNTS[m.group(1)]}" if m.group(1) else f"{_KANA_THINGS[m.group(2)]}つ", text)
    text = _DOC_NAME.sub(" dx10 ", text)
    text = _WO.sub("", text)
    return _SPACES.sub(" ", text).strip()


def normal(text: str) -> str:
    """NFKC (full/half width), lower case, ’ as ', single spaces, and no word changed: the form the
    tips' patterns (bot/nudges) are written for. `plain` goes further, for the matcher."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().replace("’", "'").split())


def kana_fold(text: str) -> str:
    """Katakana → hiragana, so either script matches the other."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def fold(text: str) -> str:
    return kana_fold(plain(text))


def is_ascii_word(text: str) -> bool:
    return text.isascii()


_HIRAGANA = re.compile(r"^[ぁ-ゖー]+$")
_PUNCT = set("、。・，．,.!?！？「」『』（）()[]【】“”\"'：:；;／/～~ 　-")


def content_bigrams(text: str) -> set[str]:
    """Character bigrams that carry meaning: no pure-hiragana (particles) and no punctuation."""
    grams: set[str] = set()
    for i in range(len(text) - 1):
        gram = text[i : i + 2]
        if gram[0] in _PUNCT or gram[1] in _PUNCT or _HIRAGANA.match(gram) or gram.isascii():
            continue
        grams.add(gram)
    return grams
