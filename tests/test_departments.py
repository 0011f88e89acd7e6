"""Questions asked by department: every roadmap initiative under the department that promotes it."""

from __future__ import annotations

from bot.catalog import t
from bot.core import Assistant
from bot.events import Incoming
from bot.store import Store
from knowledge.schema import KnowledgeBase


def msg(text: str) -> Incoming:
    return Incoming("console", "U1", "U1", text=text)


async def test_a_department_gets_its_initiatives_across_all_principles(assistant: Assistant, kb: KnowledgeBase,
                                                                       store: Store) -> None:
    [reply] = await assistant.handle(msg("戦略部が担当している取組は？"))
    mine = [(p.number, i.name.ja) for p in kb.principles for i in p.roadmap if i.department.ja == "戦略部"]
    assert len(mine) > 5 and all(f"#{n} " in reply.fallback and name in reply.fallback for n, name in mine)
    assert "総務部" not in reply.fallback and reply.source and "各条のロードマップ" in reply.source
    assert {b.value for b in reply.buttons} == {f"ask:principle:{n}:roadmap::ja" for n, _ in mine}
    assert store.db["interactions"].get(reply.interaction_id)["intent"] == "department"
    [english] = await assistant.handle(msg("What does the Strategy Department lead?"))
    assert english.title == t("department.title", "en", department="Strategy Department")


async def test_a_short_printed_name_counts_under_the_full_one_and_says_so(assistant: Assistant) -> None:
    [reply] = await assistant.handle(msg("デジタル基盤整備部の取組"))
    assert "共通デジタルツール" in reply.fallback  # #2's page prints 「基盤整備部」
    assert t("department.printed_as", "ja", name="基盤整備部") in reply.fallback


async def test_the_list_of_departments_names_every_initiative_once(assistant: Assistant, kb: KnowledgeBase) -> None:
    [reply] = await assistant.handle(msg("推進部署の一覧"))
    for p in kb.principles:
        for item in p.roadmap:
            assert reply.fallback.count(f"#{p.number} {p.title.ja}: {item.name.ja}") == 1, item.name.ja


async def test_other_questions_naming_a_department_are_left_to_the_matcher(assistant: Assistant) -> None:
    [reply] = await assistant.handle(msg("第3条の推進部署"))  # one principle's roadmap
    assert reply.title and reply.title.startswith("#3 ")
    [reply] = await assistant.handle(msg("総務部の内線番号は？"))  # not about initiatives
    assert "推進する取組" not in reply.fallback


async def test_a_longer_name_or_a_contact_request_is_not_a_department_question(assistant: Assistant) -> None:
    for text in ("経営戦略部の取組", "戦略部の担当者に連絡したい"):
        [reply] = await assistant.handle(msg(text))
        assert "推進する取組" not in (reply.title or ""), text


async def test_short_and_printed_names_and_other_ways_to_ask_for_all(assistant: Assistant) -> None:
    [reply] = await assistant.handle(msg("基盤整備部の取組は？"))  # as #2's page prints it
    assert reply.title == t("department.title", "ja", department="デジタル基盤整備部")
    [reply] = await assistant.handle(msg("サービス推進部の取組は？"))
    assert reply.title == t("department.title", "ja", department="デジタルサービス推進部")
    for text in ("department list", "Which departments are involved?", "どの部署が関わっている？"):
        [reply] = await assistant.handle(msg(text))
        assert reply.title in (t("department.all", "ja"), t("department.all", "en")), text
