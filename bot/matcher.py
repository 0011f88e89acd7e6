"""Intent matcher: free text → intent, principle, facet, term, confidence, alternatives.

The matcher reads slots rather than memorising sentences: it finds a principle (a number, a
name, a topic), a facet cue, a glossary term and intent phrases, then decides. Every key is
folded once at load; a query is folded once and scanned with rapidfuzz in C.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from rapidfuzz import fuzz, process

from bot.text import content_bigrams, fold, plain
from knowledge.schema import KnowledgeBase, Principle, Text

FUZZY_MIN_LEN = 5  # shorter keys must appear exactly: 2-4 letter typos are other words
FUZZY_CUTOFF = 85.0
FUZZY_FACET_MIN_LEN = 7  # shorter cue words ("stage", 「方向性」) must be exact
ASCII_FUZZY_CUTOFF = 85.0
ASCII_FUZZY_MIN_LEN = 6
PHRASE_FUZZY_CUTOFF = 88.0
ANSWER_THRESHOLD = 0.55  # below this the reply offers "did you mean" instead of an answer
OUT_OF_SCOPE_THRESHOLD = 0.3
TOPIC_ONLY_THRESHOLD = 0.6
MAX_ALSO = 2  # at most three principles answered for one question  # a principle named only by topic words needs this much evidence

_EN_NUMBERS = {w: i + 1 for i, w in enumerate("one two three four five six seven eight nine ten".split())}
_EN_ORDINALS = {w: i + 1 for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split())}
_NUMBER_PATTERNS = [
    re.compile(r"#\s*(\d{1,2})(?!\d)"),
    re.compile(r"第\s*(\d{1,2})(?![\d歩])"),
    re.compile(r"(?<![\d.全])(\d{1,2})\s*(?:条|じょう|番目|ばんめ|番|つ目|つめ|個目)"),  # not 「全10条」: all ten
    re.compile(r"^\s*(\d{1,2})\s*の(?!原則|条|か条|ヶ条|カ条)"),  # 「7の第一歩」「3のKPI」, not 「10の原則」
    re.compile(r"(?:principles?|rules?|no\.?|number|item|article)\s*#?\s*(\d{1,2})(?!\d)"),
    re.compile(r"原則\s*#?\s*(\d{1,2})(?!\d)"),
    # "p4 actions", 「p4のKPI」: staff shorthand for principle 4 (not 「P1障害」 or "p2p").
    re.compile(r"(?<![a-z0-9])p(\d{1,2})(?=\s|$|の|[?？])"),
    re.compile(r"(?<![\d.])(\d{1,2})(?:st|nd|rd|th)\s+(?:principle|rule|item|article|one)"),
    re.compile(r"^\s*(\d{1,2})\s*[?？.。は]*\s*$"),
]
# The patterns that name a principle (not an ordinal of something else), for 「第3条と第5条」.
_NAMING_PATTERNS = [
    re.compile(r"#\s*(\d{1,2})(?!\d)"),
    re.compile(r"第\s*(\d{1,2})\s*(?:条|(?=\s*[・、,と]\s*第?\s*\d))"),
    re.compile(r"(?<![\d.全第])(\d{1,2})\s*(?:条|じょう)"),
    re.compile(r"(?:principles?|rules?|原則)\s*#?\s*(\d{1,2})(?!\d)"),
]
# 「第2・7条」 "principles 3, 5 and 7": more numbers listed after a named one.
_LIST_TAIL = re.compile(
    r"\s*(?:,|、|・|&|and|と|および)\s*(?:第|#|principle\s*)?\s*(\d{1,2})"
    r"(?!\d|\s*(?:つ|個|人|名|分|時|日|年|ヶ月|か月|件|回|person|people|minute|hour|day|week|month|year|example|item))"
)
# What may follow a list of principles: 条, a particle, a facet word, the end.
_LIST_END = re.compile(r"\s*(?:条|の|を|は|って|$|[?？!.。、,]|(?:kpi|first|roadmap|overview|actions?|direction|checklist|self|step|please))")
# 「第1条から第3条まで」 "principles 2 to 4": a short run is every principle in it.
_SHORT_RUN = re.compile(r"(?:第|#|principles?\s*)\s*(\d{1,2})\s*条?\s*(?:から|〜|~|–|-|to)\s*(?:第|#|principle\s*)?\s*(\d{1,2})")
# "kpi 9", "9 roadmap", 「3 視点」: a facet word and a number, nothing else, name the principle.
_FACET_AND_NUMBER = re.compile(r"^\s*(?:[^\d\s]+\s+)?(\d{1,2})(?:\s+[^\d\s]+)?\s*[?？]?\s*$")
# 「1条から10条まで」, "principles 1-10": a range over the principles asks for the list.
_RANGE = re.compile(
    r"(?<![\d.\-])(?:#\s*)?(?:[1-9]|10)\s*(?:条\s*)?(?:から|~|〜|-|–|to)\s*(?:#\s*)?(?:[1-9]|10)\s*条(?!\d)"
    r"|principles?\s*(?:[1-9]|10)\s*(?:-|–|to)\s*(?:[1-9]|10)(?!\d)"
)
# The user says they want a principle, not a definition: 「アジャイルについての条」.
_PRINCIPLE_WORD = re.compile(r"条|原則|principle|\brule\b")
_CONTENT_CHAR = re.compile(r"[a-z0-9\u30a0-\u30ff\u3400-\u9fff]")
_EN_NUMBER_WORD = re.compile(
    r"(?:principle|rule|number|no\.)\s*(" + "|".join(_EN_NUMBERS) + r")\b|\b("
    + "|".join(_EN_ORDINALS)
    + r")\s+(?:principle|rule)"
)
_WORD = re.compile(r"[a-z][a-z0-9\-]+")
_JA_ASKING = re.compile(r"教え|知りたい|知らない|説明|考え方|詳しく|簡単に|概要|意味|具体的|初心者|向け|一言で|分かりやすく|わかりやすく")
_EN_ASKING = frozenset(
    "know explain explained learn understand means meant idea concept term word again briefly quick quickly context".split()
)
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")  # "" (the text's end) is not in it
_LONG_WORD = re.compile(r"[a-z]{7,11}")
# "the data principle", "principle of learning": a word of a principle's English name, said as a name.
# 「データの条」「セキュリティ系の原則」: a word of one principle's Japanese name, said as a name.
# Latin-script names before 「の使い方」 / "how to use": another product ("ChatGPT", "Excel"), unless
# it names dx10 or the chat it lives in.
_OTHER_PRODUCT = re.compile(
    r"(?<![a-z0-9])([a-z][a-z0-9.\-]+)\s*[)）]?\s*(?:の|って|は|を)?\s*(?:業務で|仕事で)?\s*(?:使い方|使って(?:も)?いい|利用して(?:も)?いい)"
    r"|how\s+(?:do\s+i\s+|to\s+)use\s+(?:the\s+)?([a-z][a-z0-9.\-]+)"
)
# …unless the name is dx10's own (a key: "KPI", "checklist", "roadmap") or the chat dx10 lives in.
_OUR_NAMES = frozenset({"dx10", "slack", "teams", "bot", "this", "it", "you", "principle", "principles"})
_JA_WORD = re.compile(r"[\u30a0-\u30ff\u3400-\u9fff]{2,}")  # a katakana or kanji word, particles aside
_JA_NAMED_BY_WORD = re.compile(r"([\u30a0-\u30ff\u3400-\u9fff]{2,})系?の(?:条|原則)")
_NAMED_BY_WORD = re.compile(r"\b([a-z][a-z\-]{2,})\s+(?:principle|rule)\b|\bthe\s+([a-z][a-z\-]{2,})\s+one\b|\b(?:principle|rule)\s+(?:of|on|about)\s+([a-z][a-z\-]{2,})")
_EN_STOP = set(
    """the a an and or of for to in on at by with is are be was were do does did how what which
    who whom this that these those it its we i you our your my me can could should would will
    about from into as not no any all more most other some such than then there their them they
    tell please show give principle principles rule rules tokyo digital service services""".split()
)


@dataclass(frozen=True)
class Match:
    intent: str
    principle: int | None = None
    facet: str | None = None
    term: str | None = None
    confidence: float = 0.0
    alternatives: tuple[Match, ...] = field(default=(), compare=False)
    # 「第3条と第5条のKPI」: the other principles the question names, answered the same way.
    also: tuple[int, ...] = field(default=(), compare=False)

    def label(self) -> dict[str, Any]:
        return {
            "intent": self.intent,
            "principle": self.principle,
            "facet": self.facet,
            "term": self.term,
            "confidence": round(self.confidence, 3),
        }

    @property
    def answered(self) -> bool:
        return self.intent != "out_of_scope" and self.confidence >= ANSWER_THRESHOLD


@dataclass(frozen=True)
class _Key:
    text: str
    kind: str  # name | keyword | term | intent | facet | list | definition | which
    target: str | int


@dataclass
class _Hit:
    key: _Key
    score: float
    start: int
    end: int

    @property
    def weight(self) -> tuple[bool, int, float]:
        # An exact hit beats a longer fuzzy one: "subscribe" is not a typo of "unsubscribe".
        return (self.score >= 100.0, len(self.key.text), self.score)


_ENTITY_KINDS = ("name", "keyword", "term")
_CUE_KINDS = ("facet",)
# Equal-length cues: the more specific question wins (「まずすべきこと」 asks for a first step).
# Details the document never gives (it has no fees, deadlines, venues or contacts).
_DETAIL = re.compile(
    r"報酬|給料|給与|手当|いくら|費用|料金|金額|締切|締め切り|〆切|申込方法|申し込み方法|申込み方法|会場|電話番号"
    r"|連絡先|問い合わせ先|問合せ先|メールアドレス|住所"
    r"|\b(?:deadlines?|venues?|fees?|salary|salaries|phone number|email address|contact details)\b"
)
_QUOTES = frozenset("'\"「」『』“”‘’")
_COUNTER = re.compile(r"\s*(?:時間|日|週間|か月|ヶ月|回|件|案件|人|名|個|分|年|%|％|円|割|倍)")
_PLURAL_PRINCIPLES = re.compile(r"principles|どの条とどの条|どの条に(?:も|出て)|何条に(?:も|出て)|どこに出て|いくつの条")
_FACET_PRIORITY = ("actions", "direction", "roadmap", "checklist", "kpi", "first_step")


def _mask_cues_inside_names(hits: list[_Hit]) -> list[_Hit]:
    """Drop cue hits that lie inside a matched name: 「視点」 in 「顧客視点」 is not a checklist cue."""
    # Glossary terms do not mask: 「アウトカムKPI」 is a term and still a KPI question.
    spans = [(h.start, h.end) for h in hits if h.key.kind in ("name", "keyword")]
    return [
        h
        for h in hits
        if h.key.kind in _ENTITY_KINDS
        or not any(s <= h.start and h.end <= e and (e - s) > (h.end - h.start) for s, e in spans)
    ]


def _defines(q: str, term: _Hit, definitions: list[_Hit]) -> bool:
    """A "what is" cue right next to the term: 「NPSって何」, "what is the NPS" (not "what's the roadmap for BCP")."""
    for d in definitions:
        between = q[term.end : d.start] if d.start >= term.end else q[d.end : term.start]
        if not re.sub(r"[\s'\"「」『』“”]|\b(?:the|a|an)\b", "", between):
            return True
    return False


def _quoted(q: str, hit: _Hit) -> bool:
    return q[hit.start - 1 : hit.start] in _QUOTES and q[hit.end : hit.end + 1] in _QUOTES


def _glued(q: str, end: int) -> bool:
    """An English key runs on into another word: "kpis2x" is not "kpi", but 「kpi3つ」 (from
    「KPIを3つ」 with its を folded away) is: digits followed by Japanese end the word."""
    rest = q[end:]
    digits = len(rest) - len(rest.lstrip("0123456789"))
    if not digits:
        return rest[:1] in _ASCII_WORD
    return rest[digits : digits + 1] in _ASCII_WORD or rest[digits : digits + 1] in ("", " ")


def _inflection(q: str, end: int) -> int:
    """Letters after an English key that still make the same word: "KPIs", "checking", "checked"."""
    for suffix in ("ing", "ed", "s"):
        if q.startswith(suffix, end):
            return len(suffix)
    return 0


def _drop_facets_overlapping_earlier_ones(hits: list[_Hit]) -> list[_Hit]:
    """Overlapping facet cues read left to right: 「まずやるべきこと」 is 「まずやる」 (a first step),
    not 「やるべきこと」 (stage actions)."""
    cues = [h for h in hits if h.key.kind in _CUE_KINDS]
    return [
        h
        for h in hits
        if h.key.kind not in _CUE_KINDS
        or not any(c.start < h.start < c.end for c in cues)
    ]


def _widen_to_words(q: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and q[start - 1].isascii() and q[start - 1].isalnum():
        start -= 1
    while end < len(q) and q[end].isascii() and q[end].isalnum():
        end += 1
    return start, end


def _word_aligned(q: str, start: int, end: int) -> bool:
    """An English key matched fuzzily must cover whole words, not the inside of other words."""
    before = q[start - 1] if start > 0 else " "
    after = q[end] if end < len(q) else " "
    return not (before.isalnum() and before.isascii()) and not (after.isalnum() and after.isascii())


_REAL_WORDS_NEAR_PRINCIPLE = frozenset({"principal", "principals", "principally"})


def _fix_principle_typos(q_plain: str) -> str:
    """「principel」, "priciples": the one English word every question about a principle leans on."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.startswith("principle") or word in _REAL_WORDS_NEAR_PRINCIPLE:
            return word
        best = max(fuzz.ratio(word, "principle"), fuzz.ratio(word, "principles"))
        return "principle" if best >= 80 else word

    return _LONG_WORD.sub(fix, q_plain)


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _en_tokens(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text) if w not in _EN_STOP and len(w) >= 3}


def _principle_texts(p: Principle) -> Iterable[Text]:
    yield p.title
    yield from p.explanation
    yield p.direction
    for stage in p.stages:
        yield from stage.actions
    yield from p.action_examples
    yield from p.kpi.examples
    yield from p.kpi.output
    yield from p.kpi.outcome
    yield p.first_step
    yield from p.focus_initiatives
    for item in p.roadmap:
        yield item.name
        yield from item.timeline
    yield from p.checklist


class Matcher:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        keys: dict[tuple[str, str, str | int], _Key] = {}

        def add(raw: str, kind: str, target: str | int) -> None:
            text = fold(raw)
            if text:
                keys.setdefault((text, kind, target), _Key(text, kind, target))

        for p in kb.principles:
            for raw in [p.title.ja, p.title.en, *p.aliases.ja, *p.aliases.en]:
                add(raw, "name", p.number)
            for raw in [*p.keywords.ja, *p.keywords.en]:
                add(raw, "keyword", p.number)
        for t in kb.glossary:
            for raw in [t.id.replace("_", " "), t.term.ja, t.term.en, *t.aliases.ja, *t.aliases.en]:
                add(raw, "term", t.id)
        for ie in kb.intents:
            for raw in [*ie.examples.ja, *ie.examples.en]:
                add(raw, "intent", ie.intent)
        for facet, words in kb.cues.facets.items():
            for raw in [*words.ja, *words.en]:
                add(raw, "facet", facet)
        for kind, words in (
            ("list", kb.cues.list_all),
            ("definition", kb.cues.definition),
            ("which", kb.cues.which_principle),
        ):
            for raw in [*words.ja, *words.en]:
                add(raw, kind, kind)

        self._keys = list(keys.values())
        self._texts = [k.text for k in self._keys]
        # Exact hits: each key text is indexed by its first two characters, so a query is scanned
        # once instead of being searched for each of the ~1 200 keys.
        self._by_text: dict[str, list[int]] = defaultdict(list)
        for i, text in enumerate(self._texts):
            self._by_text[text].append(i)
        self._by_prefix: dict[str, list[str]] = defaultdict(list)
        for text in self._by_text:
            self._by_prefix[text[:2]].append(text)
        # Typos are forgiven in names, topics and terms (not in short cue words). Keys are split
        # by script and sorted by length so a query is only compared with keys that can fit in it.
        self._fuzzy: dict[bool, tuple[list[int], list[str]]] = {}
        self._fuzzy_keys: dict[str, list[int]] = defaultdict(list)
        for i, k in enumerate(self._keys):
            min_len = ASCII_FUZZY_MIN_LEN if k.text.isascii() else FUZZY_MIN_LEN
            if k.kind in (*_ENTITY_KINDS, "intent") and len(k.text) >= min_len:
                self._fuzzy_keys[k.text].append(i)
            elif k.kind == "facet" and len(k.text) >= FUZZY_FACET_MIN_LEN:
                # "roadmpa", "first stpe", 「取り組みの方向製」: long cue phrases forgive a typo too.
                self._fuzzy_keys[k.text].append(i)
        # Only keys that share enough character pairs with the query are scored: see _fuzzy_candidates.
        self._fuzzy_bigrams: dict[bool, dict[str, list[int]]] = {}
        self._fuzzy_need: dict[bool, list[int]] = {}
        for ascii_script in (True, False):
            texts = sorted((t for t in self._fuzzy_keys if t.isascii() == ascii_script), key=len)
            self._fuzzy[ascii_script] = ([len(t) for t in texts], texts)
            postings: dict[str, list[int]] = defaultdict(list)
            need = []
            for position, text in enumerate(texts):
                grams = {text[j : j + 2] for j in range(len(text) - 1)}
                for gram in grams:
                    postings[gram].append(position)
                need.append(max(1, len(grams) - math.floor(0.6 * len(text))))
            self._fuzzy_bigrams[ascii_script] = dict(postings)
            self._fuzzy_need[ascii_script] = need
        self._build_topics(kb)
        self._build_name_words(kb)
        self._term_principles = {t.id: t.principles for t in kb.glossary}

    def _build_topics(self, kb: KnowledgeBase) -> None:
        """IDF-weighted content bigrams (ja) and word stems (en) per principle."""
        per_principle: dict[int, set[str]] = {}
        for p in kb.principles:
            tokens: set[str] = set()
            for text in _principle_texts(p):
                tokens |= content_bigrams(plain(text.ja))
                tokens |= _en_tokens(plain(text.en))
            for raw in [*p.aliases.ja, *p.keywords.ja]:
                tokens |= content_bigrams(plain(raw))
            for raw in [*p.aliases.en, *p.keywords.en]:
                tokens |= _en_tokens(plain(raw))
            per_principle[p.number] = tokens
        df: dict[str, int] = defaultdict(int)
        for tokens in per_principle.values():
            for tok in tokens:
                df[tok] += 1
        n = len(per_principle)
        # A token found under every principle says nothing about which one is meant.
        self._idf = {tok: math.log(n / d) for tok, d in df.items() if d < n}
        self._topic_tokens = per_principle

    def _build_name_words(self, kb: KnowledgeBase) -> None:
        """Words that belong to exactly one principle's English title or aliases ("data", "learning")."""
        owners: dict[str, set[int]] = defaultdict(set)
        for p in kb.principles:
            for raw in [p.title.en, *p.aliases.en]:
                for word in _en_tokens(plain(raw)):
                    owners[word].add(p.number)
        self._name_words = {w: next(iter(ps)) for w, ps in owners.items() if len(ps) == 1}
        self._ja_names = {p.number: [plain(n) for n in (p.title.ja, *p.aliases.ja)] for p in kb.principles}

    def _other_product(self, q_plain: str) -> bool:
        """「ChatGPTの使い方」 "how to use excel": how to use something that is not dx10's."""
        found = _OTHER_PRODUCT.search(q_plain)
        if found is None:
            return False
        name = found.group(1) or found.group(2)
        return name not in _OUR_NAMES and _stem(name) not in _OUR_NAMES and fold(name) not in self._by_text

    def _owner_of_name_word(self, q_plain: str) -> int | None:
        """The one principle whose Japanese name contains the question's only word, if any."""
        words = _JA_WORD.findall(q_plain)
        if len(words) != 1:
            return None
        owners = {n for n, names in self._ja_names.items() if any(words[0] in name for name in names)}
        return owners.pop() if len(owners) == 1 else None

    def _named_by_word(self, q_plain: str) -> int | None:
        for m in _NAMED_BY_WORD.finditer(q_plain):
            word = _stem(next(g for g in m.groups() if g))
            if word in self._name_words:
                return self._name_words[word]
        for m in _JA_NAMED_BY_WORD.finditer(q_plain):
            owners = {n for n, names in self._ja_names.items() if any(m.group(1) in name for name in names)}
            if len(owners) == 1:
                return owners.pop()
        return None

    # -- scanning -------------------------------------------------------------------------

    def _scan(self, q: str) -> list[_Hit]:
        hits: dict[int, _Hit] = {}
        for text, (start, end) in self._exact(q).items():
            for i in self._by_text[text]:
                hits[i] = _Hit(self._keys[i], 100.0, start, end)
        for text in self._fuzzy_candidates(q):
            keys = [i for i in self._fuzzy_keys[text] if i not in hits]
            if not keys:
                continue
            align = fuzz.partial_ratio_alignment(text, q)
            if align is None:  # only with a score_cutoff, which is not given here
                continue
            score, start, end = align.score, align.dest_start, align.dest_end
            if text.isascii() and not _word_aligned(q, start, end):
                # The best window may cut a word ("roadmp|a"): judge the whole words it touches.
                start, end = _widen_to_words(q, start, end)
                score = fuzz.ratio(text, q[start:end])
            # A phrase of small words is one letter from another ("what should we be/do"): stricter.
            if text.isascii() and score < (PHRASE_FUZZY_CUTOFF if " " in text else ASCII_FUZZY_CUTOFF):
                continue
            for i in keys:
                hits[i] = _Hit(self._keys[i], score, start, end)
        return _drop_facets_overlapping_earlier_ones(_mask_cues_inside_names(list(hits.values())))

    def _exact(self, q: str) -> dict[str, tuple[int, int]]:
        """Every key text found in q, with its first span (English keys only as whole words)."""
        found: dict[str, tuple[int, int]] = {}
        for pos in range(len(q)):
            pair = q[pos : pos + 2]
            for prefix in (pair, q[pos]) if len(pair) == 2 else (pair,):
                for text in self._by_prefix.get(prefix, ()):
                    if text in found or not q.startswith(text, pos):
                        continue
                    end = pos + len(text)
                    if text.isascii() and text[-1].isalpha():
                        end += _inflection(q, end)
                    if text.isascii() and (q[pos - 1 : pos] in _ASCII_WORD or _glued(q, end)):
                        continue
                    found[text] = (pos, end)
        return found

    def _fuzzy_candidates(self, q: str) -> list[str]:
        """Keys whose partial_ratio with the query reaches FUZZY_CUTOFF.

        Only keys sharing enough character pairs with the query can get there. A key of m
        characters aligned with a window of the query at ratio >= 85 leaves at most ~0.52 m of
        its pairs broken (each unmatched key character breaks two, each gap in the window one),
        so it shares at least (its distinct pairs - 0.6 m) of them, and never fewer than one
        (with no pair in common at most a third of the characters align: a ratio of 67 at best).
        A key one character longer than the query is aligned the other way round: one pair suffices.
        tests/test_nlu.py checks the result against the full scan.
        """
        found: list[str] = []
        has_ascii = any(c.isascii() and c.isalpha() for c in q)
        grams = {q[j : j + 2] for j in range(len(q) - 1)}
        for ascii_script in (True, False) if has_ascii else (False,):
            if not ascii_script and q.isascii():
                continue
            lengths, texts = self._fuzzy[ascii_script]
            end = bisect.bisect_right(lengths, len(q) + 1)  # keys that can fit in the query
            postings, need = self._fuzzy_bigrams[ascii_script], self._fuzzy_need[ascii_script]
            shared: Counter[int] = Counter()
            for gram in grams:
                shared.update(postings.get(gram, ()))
            candidates = [
                texts[p] for p in sorted(shared) if p < end and (shared[p] >= need[p] or lengths[p] > len(q))
            ]
            if candidates:
                matches = process.extract(
                    q, candidates, scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF, limit=None
                )
                found += [text for text, _, _ in matches]
        return found

    def _topics(self, q_plain: str) -> dict[int, float]:
        query = content_bigrams(q_plain) | _en_tokens(q_plain)
        weights = {tok: self._idf[tok] for tok in query if tok in self._idf}
        total = sum(weights.values())
        if not total:
            return {}
        scores = {}
        for number, tokens in self._topic_tokens.items():
            matched = [w for tok, w in weights.items() if tok in tokens]
            s = sum(matched) / (2 if len(matched) == 1 else 1)  # one shared word is a weak hint
            if s:
                # Saturating: two or three specific bigrams are enough to point somewhere.
                scores[number] = min(1.0, s / 6.0) * (s / total) ** 0.5
        return scores

    @staticmethod
    def _number(q_plain: str) -> int | None:
        for pattern in _NUMBER_PATTERNS:
            for m in pattern.finditer(q_plain):
                n = int(m.group(1))
                if 1 <= n <= 10:
                    return n
        word = _EN_NUMBER_WORD.search(q_plain)
        if word:
            return _EN_NUMBERS.get(word.group(1) or "") or _EN_ORDINALS.get(word.group(2) or "")
        return None

    # -- deciding -------------------------------------------------------------------------

    def classify(self, text: str) -> Match:
        match = self._classify(text)
        if match.intent == "principle" and match.principle is not None:
            named = self._numbers(_fix_principle_typos(plain(text)))
            if len(named) > 1 and match.principle in named:
                return replace(match, also=tuple(n for n in named if n != match.principle)[:MAX_ALSO])
        return match

    @staticmethod
    def _numbers(q_plain: str) -> list[int]:
        """Every principle named by number in the question, in the order written (「第3条の2番目の
        アクション」 names #3 only: 「2番目」 counts actions)."""
        found = []
        for pattern in _NAMING_PATTERNS:
            for m in pattern.finditer(q_plain):
                found.append((m.start(), int(m.group(1))))
                end, chain = m.end(1), []
                while tail := _LIST_TAIL.match(q_plain, end):
                    chain.append((tail.start(1), int(tail.group(1))))
                    end = tail.end()
                if _LIST_END.match(q_plain, end):  # "principle 9, 2 and 3 year plan" counts years
                    found += chain
        for run in _SHORT_RUN.finditer(q_plain):
            first, last = int(run.group(1)), int(run.group(2))
            if last - first > MAX_ALSO:  # 「第1条から第5条まで」: more than we answer at once
                return [first]
            if last > first:
                found += [(run.start() + i, n) for i, n in enumerate(range(first, last + 1))]
        found.sort()
        numbers: list[int] = []
        for _, n in found:
            if 1 <= n <= 10 and n not in numbers:
                numbers.append(n)
        return numbers

    def _classify(self, text: str) -> Match:
        q_plain = _fix_principle_typos(plain(text))
        q = fold(q_plain)
        if not q.strip():
            return Match("out_of_scope", confidence=1.0)
        hits = self._scan(q)
        by_kind: dict[str, list[_Hit]] = defaultdict(list)
        for hit in hits:
            by_kind[hit.key.kind].append(hit)
        for group in by_kind.values():
            group.sort(key=lambda h: h.weight, reverse=True)
        # 「って何時間以内？」 asks how many hours, not what something is.
        by_kind["definition"] = [h for h in by_kind["definition"] if not _COUNTER.match(q, h.end)]

        number = self._number(q_plain)
        if number is None and by_kind["facet"] and (fragment := _FACET_AND_NUMBER.match(q_plain)):
            number = int(fragment.group(1)) if 1 <= int(fragment.group(1)) <= 10 else None
        evidence, strong = self._principle_evidence(number, by_kind, q_plain)
        ranked = sorted(evidence.items(), key=lambda kv: kv[1], reverse=True)
        best_p, best_e = ranked[0] if ranked else (None, 0.0)
        runner_e = ranked[1][1] if len(ranked) > 1 else 0.0

        term_spans = [(h.start, h.end) for h in by_kind["term"]]
        defining = bool(by_kind["definition"])
        facet_hits = sorted(
            (
                h
                for h in by_kind["facet"]
                if h.key.target != "overview"
                # 「KPIとは」 asks what the term means, not for a principle's KPIs.
                and not (defining and not strong and any(s <= h.start and h.end <= e for s, e in term_spans))
                # 「何する組織？」 asks what something is: the 「何する」 inside it is no stage action.
                and not any(d.start <= h.start and h.end <= d.end and d.end - d.start > h.end - h.start
                            for d in by_kind["definition"])
            ),
            key=lambda h: (len(h.key.text), h.score, _FACET_PRIORITY.index(str(h.key.target))),
            reverse=True,
        )
        facet = str(facet_hits[0].key.target) if facet_hits else None
        mentions_doc = "dx10" in q_plain
        asks_range = _RANGE.search(q_plain) is not None
        has_cue = bool(by_kind["facet"] or by_kind["which"] or by_kind["definition"] or by_kind["list"])
        # 「教えて」「について」 ask about anything; a real facet, "which", "what is" or "all" asks about the principles.
        asks_more = bool(facet or by_kind["which"] or by_kind["definition"] or by_kind["list"])

        intent_hit = by_kind["intent"][0] if by_kind["intent"] else None
        term_hit = by_kind["term"][0] if by_kind["term"] else None
        if len(by_kind["term"]) > 1:
            # "what does 'playbook' mean in the agile development part?": the term asked about is the
            # quoted one, or the one next to "what is", not the longest.
            asked = [h for h in by_kind["term"] if _quoted(q, h) or _defines(q, h, by_kind["definition"])]
            term_hit = asked[0] if asked else term_hit

        def alternatives(exclude: int | None, f: str | None) -> tuple[Match, ...]:
            return tuple(
                Match("principle", n, f or "overview", None, round(v, 3))
                for n, v in ranked[:3]
                if n != exclude and v >= 0.15
            )

        def principle_match(p: int, e: float, f: str | None) -> Match:
            confidence = e if e - runner_e >= 0.15 or number else e * 0.7
            return Match("principle", p, f or "overview", None, confidence, alternatives(p, f))

        if intent_hit is not None:
            intent = str(intent_hit.key.target)
            share = len(intent_hit.key.text) / max(len(q), 1)
            conf = 0.6 + 0.4 * (intent_hit.score / 100) * min(1.0, 0.5 + share)
            if intent == "quiz":
                p = number or (best_p if best_e >= 0.7 else None)
                return Match("quiz", p, None, None, conf)
            if intent == "smalltalk":
                # "thanks, that was really helpful": nothing else in it to answer.
                nothing_else = (intent_hit.score >= 100.0 and best_e < 0.3 and not facet and not by_kind["list"]
                                and not number)
                if (share >= 0.5 or nothing_else) and best_e < 0.5 and term_hit is None:
                    return Match("smalltalk", confidence=conf)
            elif intent == "help" and strong:
                pass  # 「第8条、職員2〜3名でできること」 asks about #8, not what dx10 can do
            elif intent == "help" and self._other_product(q_plain):
                # 「ChatGPTの使い方を教えて」: how to use something else, not dx10.
                return Match("out_of_scope", confidence=0.6, alternatives=(Match("help", confidence=0.5),))
            elif not (facet and best_e >= 0.7):
                return Match(intent, confidence=conf)

        # "the 10 commandments list": a list cue alone is not about the principles.
        about_principles = mentions_doc or asks_range or bool(facet) or _PRINCIPLE_WORD.search(q_plain) is not None
        # 「ハッカソンは10か条のどこの取組？」 names the document but asks which principle.
        which_one = bool(by_kind["which"]) and best_e >= 0.7 and not number
        # "what does 'keep services simple' mean in the 10 principles": naming the document is
        # context, not a request for all ten, when the question names a principle or a term.
        only_the_document = all(h.key.text == "dx10" for h in by_kind["list"])
        names_something = strong or bool(by_kind["keyword"]) or term_hit is not None
        if (
            ((by_kind["list"] and not (only_the_document and names_something)) or asks_range)
            and about_principles
            and not which_one
            and (not number or asks_range)
            and (best_e < 0.9 or mentions_doc or asks_range)
        ):
            return Match("list", None, facet, None, 0.9)

        if _DETAIL.search(q_plain) and not asks_range and number is None and not strong:
            # 「スマホサポーターの報酬は？」「アカデミーの申込締切」: a fee, deadline, venue or phone number
            # the document does not give. Offer what it does say about the subject instead.
            subject = ((Match("glossary", None, None, str(term_hit.key.target), 0.5),) if term_hit is not None else ())
            return Match("out_of_scope", confidence=0.6, alternatives=(*subject, *alternatives(None, facet))[:3])
        # 「KPI例は？」: a facet cue that contains the term asks for the facet, not the definition.
        if term_hit is not None and facet_hits and facet_hits[0].start <= term_hit.start and term_hit.end <= facet_hits[0].end \
                and facet_hits[0].end - facet_hits[0].start > term_hit.end - term_hit.start:
            term_hit = None
        if term_hit is not None:
            term = str(term_hit.key.target)
            term_ps = self._term_principles.get(term, [])
            name_len = max((len(h.key.text) for h in by_kind["name"]), default=0)
            wants_principle = bool(by_kind["which"]) or (
                _PRINCIPLE_WORD.search(q_plain) is not None and not by_kind["definition"] and number is None
            )
            if wants_principle and len(term_ps) > 1 and not strong and _PLURAL_PRINCIPLES.search(q_plain):
                # "which principles mention NPS?": the term's answer lists every principle using it.
                return Match("glossary", None, None, term, 0.8)
            if wants_principle:
                p = best_p if best_p is not None else (term_ps[0] if term_ps else None)
                if p is not None:
                    return principle_match(p, max(best_e, 0.8), facet)
            # 「NPSって何の略？どういう指標なの」: asked what the term is, a facet word describes it.
            elif number is None and (not facet or (not strong and _defines(q, term_hit, by_kind["definition"]))) \
                    and name_len <= len(term_hit.key.text):
                conf = 0.75 + 0.25 * term_hit.score / 100
                alts = tuple(Match("principle", n, "overview", None, 0.5) for n in term_ps[:2])
                # 「ハッカソンの申込締切いつ？」: a term in a question about something else. Without
                # "what is" and with most of the question unexplained, offer the term, don't assert it.
                if not defining and self._coverage(q_plain, hits, skip_asking_words=True) < 0.6:
                    return Match("out_of_scope", confidence=0.6, alternatives=(Match("glossary", None, None, term, 0.5), *alts))
                return Match("glossary", None, None, term, conf, alts)

        if best_p is not None and best_e >= OUT_OF_SCOPE_THRESHOLD:
            # Only a topic word and nothing that asks about the principles ("PCのセキュリティソフトの
            # 更新方法"): offer the principle as a choice rather than answer as if in scope.
            if not strong and not asks_more and self._coverage(q_plain, hits) < 0.5:
                return Match("out_of_scope", confidence=0.6, alternatives=alternatives(None, facet))
            clear_lead = best_e >= 3 * runner_e
            asks_principle = bool(facet or by_kind["which"] or _PRINCIPLE_WORD.search(q_plain))
            if strong or best_e >= TOPIC_ONLY_THRESHOLD or (asks_principle and best_e >= 0.3 and clear_lead):
                return principle_match(best_p, best_e, facet)

        if mentions_doc:
            return Match("list", None, facet, None, 0.8)
        if facet and not ranked and self._coverage(q_plain, hits, skip_asking_words=True) >= 0.5:
            # 「第一歩」 alone may want all ten; "when is the next payday" is not about them at all.
            # 「KPI」 alone may also ask what the word means: that is offered too.
            term_alt = (Match("glossary", None, None, str(term_hit.key.target), 0.45),) if term_hit is not None else ()
            return Match("list", None, facet, None, 0.5, alternatives=term_alt)
        if by_kind["list"] and not ranked and not number and self._coverage(q_plain, hits, skip_asking_words=True) >= 0.9:
            # 「全部教えてください」 with nothing else: the only "all" dx10 has is the ten principles.
            return Match("list", None, None, None, 0.6)
        offers = alternatives(None, facet)
        if not offers and (owner := self._owner_of_name_word(q_plain)) is not None:
            # 「データ」「顧客」 alone: a word of one principle's name, offered, not asserted.
            offer = Match("principle", owner, facet or "overview", None, 0.4)
            return Match("out_of_scope", confidence=0.6, alternatives=(offer,))
        return Match("out_of_scope", confidence=1.0 - best_e, alternatives=offers)

    @staticmethod
    def _coverage(q_plain: str, hits: list[_Hit], skip_asking_words: bool = False) -> float:
        """Share of the question's content characters (not particles) explained by some key."""
        covered = [False] * len(q_plain)
        for h in hits:
            for i in range(h.start, min(h.end, len(covered))):
                covered[i] = True
        if skip_asking_words:  # "tell me about EBPM", 「EBPMについて詳しく知りたい」: only EBPM is content
            for m in _WORD.finditer(q_plain):
                if m.group(0) in _EN_STOP or m.group(0) in _EN_ASKING:
                    for i in range(m.start(), m.end()):
                        covered[i] = True
            for m in _JA_ASKING.finditer(q_plain):
                for i in range(m.start(), m.end()):
                    covered[i] = True
        content = [i for i, ch in enumerate(q_plain) if _CONTENT_CHAR.match(ch)]
        if not content:
            return 1.0
        return sum(covered[i] for i in content) / len(content)

    def _principle_evidence(
        self, number: int | None, by_kind: dict[str, list[_Hit]], q_plain: str
    ) -> tuple[dict[int, float], bool]:
        """Evidence per principle, and whether it rests on a number or a name (not just a topic)."""
        evidence: dict[int, float] = defaultdict(float)

        def bump(p: int, value: float) -> None:
            evidence[p] = max(evidence[p], value)

        if number:
            bump(number, 1.0)
        named = self._named_by_word(q_plain)
        if named:
            bump(named, 0.9)
        for hit in by_kind["name"]:
            # A longer name is a stronger signal than a two-letter alias.
            bump(int(hit.key.target), (0.8 + 0.15 * min(1.0, len(hit.key.text) / 6)) * hit.score / 100)
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for hit in by_kind["keyword"]:
            p = int(hit.key.target)
            bump(p, (0.7 + 0.15 * min(1.0, len(hit.key.text) / 6)) * hit.score / 100)
            if not any(s < hit.end and hit.start < e for s, e in spans[p]):
                spans[p].append((hit.start, hit.end))
        for p, found in spans.items():
            # 「都知事杯…ハッカソン」: two separate keywords of one principle outweigh one of another.
            evidence[p] += 0.05 * (len(found) - 1)
        for hit in by_kind["term"]:
            ps = self._term_principles.get(str(hit.key.target), [])
            if len(ps) == 1:
                bump(ps[0], 0.6 * hit.score / 100)
        # Cue words say which facet, not which principle: 「第一歩」 must not read as #5's 「第一報」.
        cue_spans = [(h.start, h.end) for kind in ("facet", "definition", "list", "which", "intent") for h in by_kind[kind]]
        topic_text = "".join(" " if any(s <= i < e for s, e in cue_spans) else ch for i, ch in enumerate(q_plain))
        for p, score in self._topics(topic_text).items():
            # Topic words add to a name or keyword, and stand alone only when strong.
            evidence[p] = max(evidence[p], score * 0.8) + (0.05 if evidence[p] else 0.0)
        strong = bool(number or named or by_kind["name"])
        return {p: min(1.0, v) for p, v in evidence.items() if v > 0}, strong
