"""Who promotes what: the roadmap initiatives of every principle, read by department.

「戦略部が担当している取組は？」 or "What does the Strategy Department lead?" asks across all ten
roadmaps, which no single principle's answer holds. A page that prints a department's name
short (#2's 「基盤整備部」 for 「デジタル基盤整備部」) is counted under the full name.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from bot.answers import compose, encode
from bot.catalog import t
from bot.events import Button, Reply
from bot.matcher import Match
from bot.text import fold, kana_fold, plain
from knowledge.schema import KnowledgeBase, Text

# 「推進部署の一覧」 "list of departments": every department, not one.
_ALL = re.compile(
    r"(?:推進)?部署(?:の)?(?:一覧|リスト|全部|すべて|まとめ)|どの部署が(?:関わ|担当|推進)"
    r"|(?:all|every|list of)(?: the)? (?:promoting )?departments|departments? list"
    r"|which departments (?:are )?(?:involved|in charge|responsible|lead|promot)"
)
# With a department's name, what makes it a question about its initiatives (not 「総務部の内線番号」).
_ASKS_WHAT_IT_DOES = re.compile(
    r"取組|取り組|推進|所管|事業|何を|なにを|やって|ロードマップ|initiative|lead|responsib|in charge|\bowns?\b"
    r"|roadmap|project|promot|what does|work on"
)
# A principle named in the question makes it that principle's roadmap question (the matcher's).
_NAMES_A_PRINCIPLE = re.compile(r"第\s*\d|#\s*\d|\d\s*条|principle\s*#?\s*\d|原則\s*\d")


def _names(q: str, key: str) -> bool:
    """key appears in q as a name of its own: 「経営戦略部」 does not name 「戦略部」."""
    start = q.find(key)
    while start >= 0:
        before = q[start - 1 : start]
        if not (before.isalnum() and (before.isascii() == key[:1].isascii())):
            return True
        start = q.find(key, start + 1)
    return False


@dataclass(frozen=True)
class Department:
    name: Text
    # (principle, initiative, the department's name as that page prints it), in the document's order
    initiatives: tuple[tuple[int, Text, Text], ...]


def departments(kb: KnowledgeBase) -> list[Department]:
    names: list[Text] = []
    rows: dict[str, list[tuple[int, Text, Text]]] = defaultdict(list)
    items = [(p.number, i) for p in kb.principles for i in p.roadmap]
    for _, item in sorted(items, key=lambda pi: -len(pi[1].department.ja)):  # full names first
        if not any(n.ja.endswith(item.department.ja) for n in names):
            names.append(item.department)
    for number, item in items:
        full = next(n for n in names if n.ja.endswith(item.department.ja))
        rows[full.ja].append((number, item.name, item.department))
    return [Department(n, tuple(rows[n.ja])) for n in sorted(names, key=lambda n: -len(rows[n.ja]))]


class DepartmentIndex:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.all = departments(kb)
        # Longest names first, so 「デジタル基盤整備部」 is not read as 「基盤整備部」.
        keys = [(fold(plain(text)), d) for d in self.all for text in (d.name.ja, d.name.en)]
        # As pages print them (#2's 「基盤整備部」) and as people shorten them (「サービス推進部」).
        keys += [(fold(plain(printed.ja)), d) for d in self.all for _, _, printed in d.initiatives]
        keys += [(fold(plain(d.name.ja.removeprefix("デジタル"))), d) for d in self.all if d.name.ja.startswith("デジタル")]
        self._keys = sorted(keys, key=lambda kd: -len(kd[0]))

    def answer(self, q_plain: str, lang: str) -> Reply | None:
        """The departments' initiatives when the question (as `bot.text.plain` gives it) asks by
        department; None otherwise."""
        q = kana_fold(q_plain).replace("dept", "department")
        if _NAMES_A_PRINCIPLE.search(q):
            return None
        if _ALL.search(q):
            return self._reply(self.all, t("department.all", lang), lang)
        key, found = next(((key, d) for key, d in self._keys if _names(q, key)), ("", None))
        if found is None or not (_ASKS_WHAT_IT_DOES.search(q.replace(key, " ")) or len(q) <= len(key) + 3):
            return None
        return self._reply([found], t("department.title", lang, department=found.name.get(lang)), lang)

    def _reply(self, chosen: list[Department], title: str, lang: str) -> Reply:
        sections = []
        for d in chosen:
            lines = [f"• #{n} {self.kb.principle(n).title.get(lang)}: {name.get(lang)}"
                     + ("" if printed.ja == d.name.ja else t("department.printed_as", lang, name=printed.get(lang)))
                     for n, name, printed in d.initiatives]
            heading = f"*{d.name.get(lang)}*\n" if len(chosen) > 1 else ""
            sections.append(heading + "\n".join(lines))
        numbers = sorted({n for d in chosen for n, _, _ in d.initiatives})
        buttons = [Button(t("button.principle", lang, number=n, title=self.kb.principle(n).title.get(lang)),
                          encode(Match("principle", n, "roadmap"), lang)) for n in numbers]
        where = ", ".join(f"#{n}" for n in numbers)
        return compose(title, sections, [], buttons, t("source.roadmaps", lang, where=where), lang)
