"""What a schedule request may say that tips cannot do: another frequency, another time zone.

Tips come at most once a day, on every working day or on one weekday, at a time in the
subscription's zone (Tokyo). A request for "twice a day", "every other day", 「隔週」 or "9am London
time" used to be read as far as it went and confirmed as a schedule the person did not ask for;
these functions find such words so the reply can refuse them and say what is possible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import normal

_N = r"(?:[2-9]|two|three|four|five|二|三|四|五|何)"
FREQUENCY = re.compile(
    # more than once a day, or a few times a week or a month
    r"\b(?:twice|thrice|" + _N + r"\s*times?|several\s+times|multiple\s+times)\s+(?:a|per|each|every)\s+(?:day|week|month)\b"
    r"|\bmorning\s+and\s+(?:afternoon|evening|night)\b|\bhourly\b|\bevery\s+(?:\d+\s+)?hours?\b"
    # less than every working day, but not weekly
    r"|\bevery\s+(?:other|second|2nd|third|3rd|alternate|" + _N + r"|few|couple\s+of)\s+(?:days?|weeks?|months?)\b"
    r"|\balternat(?:e|ing)\s+days\b|\bbi-?weekly\b|\bfortnight(?:ly)?\b|\bonce\s+a\s+fortnight\b"
    r"|\bmonthly\b|\bevery\s+month\b|\bonce\s+a\s+month\b"
    r"|(?:1|一)\s*日\s*(?:に)?\s*" + _N + r"\s*回|日に\s*" + _N + r"\s*回|朝と(?:昼|夕方|夜|午後)|朝晩|毎時|\d+\s*時間(?:おき|ごと|毎)"
    r"|隔日|(?:1|一)\s*日\s*おき|" + _N + r"\s*日\s*(?:に\s*(?:1|一)\s*回|おき|ごと)"
    r"|隔週|" + _N + r"\s*週(?:間)?\s*(?:に\s*(?:1|一)\s*回|おき|ごと)|週\s*(?:に)?\s*" + _N + r"\s*回"
    r"|毎月|月\s*(?:に)?\s*(?:1|一)\s*回|月(?:に)?一|月\s*(?:に)?\s*" + _N + r"\s*回"
)

# Names of time zones and places, and the zone they mean. Tokyo's own names are no other zone.
_ZONES: dict[str, str | None] = {
    "tokyo": "Asia/Tokyo", "japan": "Asia/Tokyo", "japanese": "Asia/Tokyo", "jst": "Asia/Tokyo",
    "東京": "Asia/Tokyo", "日本": "Asia/Tokyo",
    "utc": "UTC", "gmt": "UTC", "協定世界時": "UTC",
    "london": "Europe/London", "uk": "Europe/London", "british": "Europe/London", "bst": "Europe/London",
    "ロンドン": "Europe/London", "イギリス": "Europe/London", "英国": "Europe/London",
    "paris": "Europe/Paris", "berlin": "Europe/Berlin", "brussels": "Europe/Brussels", "cet": "Europe/Paris",
    "cest": "Europe/Paris", "central european": "Europe/Paris", "パリ": "Europe/Paris", "ベルリン": "Europe/Berlin",
    "new york": "America/New_York", "eastern": "America/New_York", "est": "America/New_York", "edt": "America/New_York",
    "ニューヨーク": "America/New_York", "米国東部": "America/New_York", "アメリカ東部": "America/New_York",
    "los angeles": "America/Los_Angeles", "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
    "pacific": "America/Los_Angeles", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "ロサンゼルス": "America/Los_Angeles", "サンフランシスコ": "America/Los_Angeles", "米国西部": "America/Los_Angeles",
    "hawaii": "Pacific/Honolulu", "honolulu": "Pacific/Honolulu", "ハワイ": "Pacific/Honolulu",
    "singapore": "Asia/Singapore", "sgt": "Asia/Singapore", "シンガポール": "Asia/Singapore",
    "hong kong": "Asia/Hong_Kong", "hkt": "Asia/Hong_Kong", "香港": "Asia/Hong_Kong",
    "beijing": "Asia/Shanghai", "shanghai": "Asia/Shanghai", "china": "Asia/Shanghai", "北京": "Asia/Shanghai",
    "上海": "Asia/Shanghai", "中国": "Asia/Shanghai",
    "seoul": "Asia/Seoul", "korea": "Asia/Seoul", "kst": "Asia/Seoul", "ソウル": "Asia/Seoul", "韓国": "Asia/Seoul",
    "taipei": "Asia/Taipei", "台北": "Asia/Taipei", "bangkok": "Asia/Bangkok", "バンコク": "Asia/Bangkok",
    "india": "Asia/Kolkata", "delhi": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "ist": "Asia/Kolkata",
    "インド": "Asia/Kolkata",
    "sydney": "Australia/Sydney", "melbourne": "Australia/Melbourne", "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney", "シドニー": "Australia/Sydney",
    # someone else's clock, without saying which
    "local": None, "my": None, "my local": None, "現地": None,
}
_EN_NAMES = "|".join(sorted((re.escape(k) for k in _ZONES if k.isascii()), key=len, reverse=True))
_JA_NAMES = "|".join(sorted((re.escape(k) for k in _ZONES if not k.isascii()), key=len, reverse=True))
_ABBREVIATIONS = "utc|gmt|jst|bst|cet|cest|est|edt|pst|pdt|sgt|hkt|kst|ist|aest|aedt"
# Only places after "in": "in my language" names no zone.
_PLACES = ("tokyo|japan|london|uk|paris|berlin|brussels|new york|los angeles|san francisco|seattle|hawaii|honolulu"
           "|singapore|hong kong|beijing|shanghai|china|seoul|korea|taipei|bangkok|india|delhi|mumbai|sydney|melbourne")
ZONE_WORDS = re.compile(
    r"\b(" + _EN_NAMES + r")\s+time\b"  # "London time", "my local time"
    r"|\b(" + _ABBREVIATIONS + r")\b"  # "9am GMT"
    r"|\bin\s+(?:the\s+)?(" + _PLACES + r")\b(?!\s+time)"  # "at 9 in London"
    r"|(" + _JA_NAMES + r")\s*(?:時間|時刻)"  # 「ロンドン時間」「現地時間」
)


@dataclass(frozen=True)
class ZoneSaid:
    said: str  # as written: "london time"
    tz: str | None  # the IANA zone it means, None when unknown ("my local time")


def frequency(text: str) -> str | None:
    """The words asking for a frequency tips cannot have ("twice a day", 「隔週」), or None."""
    found = FREQUENCY.search(normal(text))
    return found.group(0) if found else None


def other_zone(text: str, home: str) -> ZoneSaid | None:
    """A time zone named in the text other than `home` (the subscription's), or None."""
    for found in ZONE_WORDS.finditer(normal(text)):
        name = next(g for g in found.groups() if g)
        tz = _ZONES.get(name, _ZONES.get(name.removesuffix(" time")))
        if tz != home:
            return ZoneSaid(found.group(0).strip(), tz)
    return None

