"""The neutral core: incoming message → replies, with a real store."""

from __future__ import annotations

import re

from bot.answers import decode, encode
from bot.catalog import t
from bot.core import Assistant
from bot.events import Incoming, Reply
from bot.matcher import Match


def msg(text: str = "", value: str | None = None, user: str = "U1") -> Incoming:
    return Incoming("console", user, "C1", text=text, value=value)


async def test_overview_offers_next_steps_and_cites_source(assistant: Assistant, kb) -> None:
    [reply] = await assistant.handle(msg("#8について教えて"))
    assert reply.title and reply.title.startswith("#8 ")
    assert reply.source == "出典: デジタル10か条の当面の重点的な取組 #8"
    values = [d[0] for b in reply.buttons if (d := decode(b.value))]
    assert [(m.intent, m.principle, m.facet) for m in values ] == [
        ("principle", 8, "first_step"), ("principle", 8, "kpi"), ("principle", 8, "roadmap"), ("quiz", 8, None)
    ]
    assert reply.fallback.startswith(reply.title) and reply.source in reply.fallback
    assert reply.interaction_id


async def test_overviews_and_kpis_never_say_the_same_sentence_twice(assistant: Assistant, kb) -> None:
    # #2's page has no action-principle paragraph (its first bullet stands in); every page's
    # KPI examples are the same items it then sorts into output and outcome KPIs.
    for p in kb.principles:
        for facet in ("overview", "kpi"):
            for lang in ("ja", "en"):
                [reply] = await assistant.handle(msg(value=encode(Match("principle", p.number, facet), lang)))
                said = [line.removeprefix("• ") for part in (*reply.sections, *(f.value for f in reply.facts))
                        for line in part.splitlines() if line]
                assert len(said) == len(set(said)), (p.number, facet, lang)
                assert all(section.strip() for section in reply.sections), (p.number, facet, lang)
                if facet == "kpi":  # nothing lost: every example and every sorted KPI is there
                    assert {k.get(lang) for k in (*p.kpi.output, *p.kpi.outcome)} <= set(said)
                    # An example not said as such is a sorted KPI the page words a little longer.
                    sorted_kpis = [*p.kpi.output, *p.kpi.outcome]
                    for k in p.kpi.examples:
                        assert k.get(lang) in said or any(
                            k.en == s.en or re.sub(r"（[^）]*）", "", s.ja) == k.ja for s in sorted_kpis), k


async def test_button_value_round_trip(assistant: Assistant, kb) -> None:
    value = encode(Match("principle", 6, "roadmap"))
    [reply] = await assistant.handle(msg(value=value))
    assert all(item.department.ja in reply.fallback for item in kb.principle(6).roadmap)


async def test_stale_button_is_explained(assistant: Assistant) -> None:
    [reply] = await assistant.handle(msg(value="ask:principle:42:kpi:"))
    assert "ボタン" in reply.fallback


async def test_feedback_is_stored_for_the_asker_only(assistant: Assistant, store) -> None:
    [reply] = await assistant.handle(msg("第4条のKPI"))
    assert await assistant.handle(msg(value=f"fb:down:{reply.interaction_id}", user="someone-else")) == []
    assert await assistant.handle(msg(value=f"fb:up:{reply.interaction_id}")) == []
    row = store.db["interactions"].get(reply.interaction_id)
    assert row["feedback"] == 1


async def test_low_confidence_offers_did_you_mean(assistant: Assistant, store) -> None:
    [reply] = await assistant.handle(msg("ユーザー"))  # a word several principles use
    assert reply.title == "もしかして、次のどれかですか？"
    choices = [d[0].principle for b in reply.buttons if (d := decode(b.value))]
    assert len(choices) >= 2 and 1 in choices
    assert store.db["interactions"].get(reply.interaction_id)["answered"] == 0


async def test_an_unrelated_question_with_a_weak_match_says_it_may_be_out_of_scope(assistant: Assistant) -> None:
    [reply] = await assistant.handle(msg("都庁の食堂のメニューは？"))
    one = "_one" if len(reply.buttons) == 1 else ""  # one choice is offered as "this?", not "one of these?"
    assert reply.buttons and reply.sections == (t("dym.text_or_oos" + one, "ja"),)
    assert reply.title == t("dym.title" + one, "ja")
    [reply] = await assistant.handle(msg("営業チームのKPIどう設定すればいい？"))  # unsure, but about the principles
    one = "_one" if len(reply.buttons) == 1 else ""
    assert reply.title == t("dym.title" + one, "ja") and reply.sections == (t("dym.text" + one, "ja"),)


async def test_unrelated_question_is_not_answered(assistant: Assistant, store) -> None:
    [reply] = await assistant.handle(msg("What's the capital of France?"))
    assert reply.fallback.startswith("Sorry, I can't help with that.")
    assert store.db["interactions"].get(reply.interaction_id)["intent"] == "out_of_scope"


async def test_list_of_first_steps_covers_all_ten(assistant: Assistant, kb) -> None:
    [reply] = await assistant.handle(msg("show every first step"))
    for p in kb.principles:
        assert p.first_step.en in reply.fallback
    # …and a button for each principle's own first step, so the list is not a dead end.
    opened = [decode(b.value) for b in reply.buttons]
    assert [(m.principle, m.facet) for m, _ in filter(None, opened)] == [(p.number, "first_step") for p in kb.principles]


class EchoFeature:
    """A minimal feature: owns the subscribe intent, the word "ping" and buttons "echo:"."""

    intents = ("subscribe",)
    button_prefixes = ("echo:",)

    async def command(self, msg: Incoming, text: str, lang: str) -> list[Reply] | None:
        return [Reply(fallback="pong", lang=lang)] if text == "ping" else None

    async def intent(self, msg: Incoming, text: str, match: Match, lang: str) -> list[Reply]:
        return [Reply(fallback=f"subscribed: {text}", lang=lang), Reply(fallback="second", lang=lang)]

    async def button(self, msg: Incoming, value: str, lang: str) -> list[Reply]:
        return [Reply(fallback=value, lang=lang, private=True)]


async def test_features_get_their_commands_intents_and_buttons(kb, store) -> None:
    assistant = Assistant(kb, store, features=[EchoFeature()])
    assert [r.fallback for r in await assistant.handle(msg("ping"))] == ["pong"]
    first, second = await assistant.handle(msg("毎朝ヒントを送って"))
    assert first.fallback.startswith("subscribed: ") and first.interaction_id and second.fallback == "second"
    assert [r.private for r in await assistant.handle(msg(value="echo:1"))] == [True]
    # Everything else still reaches the core's own answers.
    [reply] = await assistant.handle(msg("第4条のKPI"))
    assert reply.title and reply.title.startswith("#4 ")


async def test_without_features_the_intent_is_announced_as_coming(assistant: Assistant) -> None:
    [reply] = await assistant.handle(msg("毎朝ヒントを送って"))
    assert "準備中" in reply.fallback


async def test_thanks_and_goodbyes_get_their_own_answer_not_a_greeting(assistant: Assistant) -> None:
    replies = {text: (await assistant.handle(msg(text)))[0].fallback
               for text in ("ありがとうございます", "thanks, that helps", "bye", "こんにちは", "お疲れ様です")}
    assert replies["ありがとうございます"] == t("smalltalk.thanks", "ja")
    assert replies["thanks, that helps"] == t("smalltalk.thanks", "en")
    assert replies["bye"] == t("smalltalk.bye", "en")
    assert replies["こんにちは"] == t("smalltalk.text", "ja")
    assert replies["お疲れ様です"] == t("smalltalk.otsukare", "ja")



async def test_buttons_and_bare_acronyms_answer_in_the_language_last_written(kb, tmp_path) -> None:
    from bot.assembly import build_assistant
    from bot.store import Store

    store = Store(tmp_path / "lang.db")
    bot = build_assistant(kb, store, {})
    [_] = await bot.handle(msg("第1条の概要"))
    [reply] = await bot.handle(msg("NPS"))  # an acronym is no sign of English
    assert reply.lang == "ja"
    [first_step] = await bot.handle(msg("first step for principle 2"))
    commit = next(b for b in first_step.buttons if b.value.startswith("commit:"))
    [promise] = await bot.handle(msg(value=commit.value))  # a feature's button carries no language
    assert promise.lang == "en" and "Your first step" in promise.fallback
    store.close()
    again = build_assistant(kb, Store(tmp_path / "lang.db"), {})  # remembered across a restart
    [reply] = await again.handle(msg("KPI"))
    assert reply.lang == "en"
    again.store.close()


async def test_a_principle_beyond_the_tenth_is_said_not_to_exist(assistant: Assistant) -> None:
    for text, number in (("第11条", 11), ("第十一条のKPI", 11), ("principle 12", 12), ("#11はありますか", 11)):
        [reply] = await assistant.handle(msg(text))
        assert reply.buttons, text
        assert reply.sections[0] in (t("principle.no_such", "ja", number=number), t("principle.no_such", "en", number=number))
    for text in ("第11回の座談会", "Slackの#12チャンネル", "#10について"):  # a meeting, a channel, a real principle
        [reply] = await assistant.handle(msg(text))
        assert "第11条" not in reply.fallback and "第12条" not in reply.fallback, text
    [reply] = await assistant.handle(msg("#10について"))
    assert reply.title.startswith("#10"), reply.title


async def test_a_roadmap_note_is_quoted_with_its_own_marker(assistant: Assistant, kb) -> None:
    [reply] = await assistant.handle(msg(value=encode(Match("principle", 5, "roadmap"), "ja")))
    note = kb.principle(5).roadmap_notes[0].ja
    assert note.startswith("※") and reply.fallback.count(note) == 1 and "※ ※" not in reply.fallback


async def test_a_roadmap_worded_differently_in_the_summary_table_says_so(assistant: Assistant) -> None:
    [nine] = await assistant.handle(msg(value=encode(Match("principle", 9, "roadmap"), "ja")))
    assert "都民との双方向" in nine.fallback and "職員との双方向" in nine.fallback  # both quoted
    assert t("roadmap.wording_note", "ja") in nine.fallback
    [seven] = await assistant.handle(msg(value=encode(Match("principle", 7, "roadmap"), "ja")))
    assert t("roadmap.wording_note", "ja") not in seven.fallback  # worded the same: no note


async def test_two_principles_in_one_question_get_an_answer_each(assistant: Assistant, store) -> None:
    replies = await assistant.handle(msg("第3条と第5条のKPIを比較して"))
    assert [r.title.split(" ")[0] for r in replies if r.title] == ["#3", "#5"]
    assert all("KPI" in (r.title or "") for r in replies)
    assert len({r.interaction_id for r in replies}) == 1 and store.db["interactions"].count == 1
    [single] = await assistant.handle(msg("第3条のKPI"))  # the usual case is untouched
    assert single.title and single.title.startswith("#3 ")


async def test_an_unknown_language_is_refused_in_the_askers_language(assistant: Assistant) -> None:
    await assistant.handle(msg("第1条"))
    [reply] = await assistant.handle(msg("lang fr"))
    assert reply.fallback == t("lang.unknown", "ja")


async def test_a_lone_facet_right_after_a_principle_asks_about_that_principle(assistant: Assistant) -> None:
    [listed] = await assistant.handle(msg("KPIは？"))  # nothing discussed yet: all ten, or choose
    assert listed.title == t("dym.title_one" if len(listed.buttons) == 1 else "dym.title", "ja")
    await assistant.handle(msg("第5条について"))
    [kpi] = await assistant.handle(msg("KPIは？"))
    assert kpi.title and kpi.title.startswith("#5 ") and t("facet.kpi", "ja") in kpi.title
    [other] = await assistant.handle(Incoming("console", "U2", "U2", text="KPIは？"))  # someone else's chat
    assert other.title == t("dym.title_one" if len(other.buttons) == 1 else "dym.title", "ja")


async def test_review_cases_stay_fixed(assistant: Assistant) -> None:
    [reply] = await assistant.handle(msg("第12期の計画"))  # a term of office, not a principle
    assert "第12条" not in reply.fallback
    [reply] = await assistant.handle(msg("not helpful"))
    assert reply.fallback == t("smalltalk.sorry", "en")
    [reply] = await assistant.handle(Incoming("console", "NEW", "NEW", text="HELP"))  # not an acronym of ours
    assert reply.lang == "en"


async def test_the_kpi_list_says_what_each_kpi_answer_says_and_cites_the_pages(assistant: Assistant, kb) -> None:
    [listed] = await assistant.handle(msg(value="ask:list::kpi::ja"))
    for p in kb.principles:
        [own] = await assistant.handle(msg(value=encode(Match("principle", p.number, "kpi"), "ja")))
        said = {line.removeprefix("• ") for part in own.sections for line in part.splitlines()[1:]}
        assert all(k in listed.fallback for k in said), p.number  # #5's NPS too
    assert listed.source == t("source.pages", "ja")


async def test_follow_ups_end_with_another_kind_of_answer_and_keep_several_principles(assistant: Assistant) -> None:
    await assistant.handle(msg("第3条の第一歩"))
    await assistant.handle(msg("10か条の一覧"))  # the conversation moved on
    [reply] = await assistant.handle(msg("KPIは？"))
    assert reply.title == t("dym.title_one" if len(reply.buttons) == 1 else "dym.title", "ja") and reply.buttons[0].label == t("list.title_facet", "ja", facet=t("facet.kpi", "ja"))
    await assistant.handle(msg("tell me about principle 7"))
    [reply] = await assistant.handle(msg("and the KPIs?"))  # small words around the cue do not matter
    assert reply.title and reply.title.startswith("#7 ")
    await assistant.handle(msg("第3条と第5条のKPIを比較して"))
    replies = await assistant.handle(msg("ロードマップ"))
    assert [r.title.split(" ")[0] for r in replies if r.title] == ["#3", "#5"]


async def test_complaints_in_japanese_and_principle_zero(assistant: Assistant) -> None:
    for text in ("役に立たない", "全然役に立たない", "説明が分かりにくい"):
        [reply] = await assistant.handle(msg(text))
        assert reply.fallback == t("smalltalk.sorry", "ja"), text
    [reply] = await assistant.handle(msg("役に立たない会議を減らすには"))  # a question, not a complaint
    assert reply.fallback != t("smalltalk.sorry", "ja")
    [reply] = await assistant.handle(msg("第0条"))
    assert reply.sections[0] == t("principle.no_such", "ja", number=0)


async def test_second_review_cases(assistant: Assistant) -> None:
    [reply] = await assistant.handle(msg("ChatGPTの使い方を教えて"))
    assert [b.label for b in reply.buttons] == [t("help.title", "ja")]  # not the raw id "help"
    [reply] = await assistant.handle(msg("原則0時までに帰宅"))  # "as a rule", not principle 0
    assert "第0条" not in reply.fallback
    [reply] = await assistant.handle(msg("which departments are closed on Monday?"))
    assert reply.title != t("department.all", "en")


async def test_a_term_of_one_principle_sets_the_topic_and_meta_questions_get_help(assistant: Assistant) -> None:
    await assistant.handle(msg("デジタルデバイド"))
    [reply] = await assistant.handle(msg("それの推進部署は？"))
    assert reply.title and reply.title.startswith("#3 ")
    [reply] = await assistant.handle(msg("すみません、これは何のボットですか？"))
    assert reply.title == t("help.title", "ja")
    [reply] = await assistant.handle(msg("このボット使いにくいです"))
    assert reply.fallback == t("smalltalk.sorry", "ja")



async def test_english_grammar_around_a_japanese_term_is_answered_in_english(assistant: Assistant) -> None:
    for text in ("what is the 第一歩 for #1?", "show me the ロードマップ for #8", "KPIs for 都民と共創しよう",
                 "tell me about 見える化"):
        [reply] = await assistant.handle(msg(text, user="U-en"))
        assert reply.lang == "en" and reply.title and reply.title.startswith("#"), text
    for text in ("NPSとは何ですか", "第3条のKPI for 来年", "AIのexampleを教えて"):  # Japanese sentences
        [reply] = await assistant.handle(msg(text, user="U-ja"))
        assert reply.lang == "ja", text


async def test_asking_for_a_language_in_words(assistant: Assistant) -> None:
    [once] = await assistant.handle(msg("第3条 in English please"))
    assert once.lang == "en" and once.title and once.title.startswith("#3 ")
    [again] = await assistant.handle(msg("KPI?"))  # an acronym alone: the language last asked for
    assert again.lang == "en"
    [switched] = await assistant.handle(msg("日本語で答えて"))
    assert switched.fallback == t("lang.set", "ja")
    [reply] = await assistant.handle(msg("what is NPS"))  # fixed now, whatever the question's language
    assert reply.lang == "ja"
    [switched] = await assistant.handle(msg("English please"))
    assert switched.fallback.startswith(t("lang.set", "en"))
    [reply] = await assistant.handle(msg("第5条を英語で教えて"))
    assert reply.lang == "en" and reply.title and reply.title.startswith("#5 ")
    [reply] = await assistant.handle(msg("I want to learn English"))  # not a request for the answer's language
    assert reply.fallback != t("lang.set", "en")


async def test_a_letter_ok_or_a_command_word_does_not_switch_a_japanese_speaker_to_english(assistant: Assistant) -> None:
    await assistant.handle(msg("第1条について"))
    for text in ("OK", "E", "asdfghjkl", "pause 3", "5"):
        [reply] = await assistant.handle(msg(text))
        assert reply.lang == "ja", text
    [reply] = await assistant.handle(msg("help"))  # an English word dx10 knows: English
    assert reply.lang == "en"


async def test_another_principle_alone_right_after_an_answer_asks_for_the_same_facet(assistant: Assistant) -> None:
    [first] = await assistant.handle(msg("第3条の第一歩"))
    assert first.title == "#3 誰ひとり取り残されないようにしよう — はじめの第一歩"
    for text, number in (("じゃあ第7条は？", 7), ("and for principle 5?", 5), ("次の条", 6), ("前の条は？", 5)):
        [reply] = await assistant.handle(msg(text))
        assert reply.title and reply.title.startswith(f"#{number} ") and reply.title.endswith(
            (t("facet.first_step", "ja"), t("facet.first_step", "en"))), (text, reply.title)
    [bare] = await assistant.handle(msg("#2"))  # a bare number may ask for the overview: it does
    assert bare.title and bare.title.endswith(t("facet.overview", "ja"))


async def test_greetings_goodbyes_and_complaints_in_everyday_words(assistant: Assistant) -> None:
    for text, key in (("おはよう", "smalltalk.morning"), ("じゃあね", "smalltalk.bye"),
                      ("全然役にたたない", "smalltalk.sorry"), ("わかりづらい", "smalltalk.sorry")):
        [reply] = await assistant.handle(msg(text))
        assert reply.sections[0] == t(key, "ja"), text


async def test_questions_about_what_dx10_keeps_get_the_privacy_answer(assistant: Assistant) -> None:
    for text, lang in (("この会話って記録されてる？", "ja"), ("上司に見られる？", "ja"), ("私のデータを消して", "ja"),
                       ("can my boss see what I ask?", "en"), ("is this conversation logged?", "en")):
        [reply] = await assistant.handle(msg(text))
        assert reply.sections[0] == t("privacy.text", lang, days=90), text
    for text in ("第5条の個人情報保護のKPI", "ログデータとは"):  # the principles' own topics
        [reply] = await assistant.handle(msg(text))
        assert reply.sections[0] != t("privacy.text", "ja", days=90), text


async def test_a_first_steps_page_wording_is_shown_only_when_it_says_something_else(assistant: Assistant) -> None:
    label = t("label.first_step_page", "ja")
    [one] = await assistant.handle(msg(value=encode(Match("principle", 1, "first_step"), "ja")))
    assert label not in one.fallback  # 「まずは、」 is the only difference
    [two] = await assistant.handle(msg(value=encode(Match("principle", 2, "first_step"), "ja")))
    assert label in two.fallback and "一枚にまとめてみる" in two.fallback


async def test_a_question_naming_one_initiative_gets_that_initiative(assistant: Assistant, kb) -> None:
    for text, lang in (("アジャイル型開発の推進部署", "ja"), ("which department leads agile development?", "en")):
        [reply] = await assistant.handle(msg(text))
        assert reply.title and reply.title.startswith("#9 "), text
        agile = kb.principle(9).roadmap[0]
        assert agile.department.get(lang) in reply.fallback and kb.principle(9).roadmap[1].name.get(lang) not in reply.fallback
        [whole] = await assistant.handle(msg(value=reply.buttons[0].value))  # the whole roadmap, a button away
        assert all(item.name.get(lang) in whole.fallback for item in kb.principle(9).roadmap)
    [reply] = await assistant.handle(msg("第9条のロードマップ"))  # no initiative named: all of them
    assert all(item.name.ja in reply.fallback for item in kb.principle(9).roadmap)


async def test_a_question_naming_one_stage_gets_that_stage(assistant: Assistant, kb) -> None:
    [reply] = await assistant.handle(msg("第1条の運用段階"))
    operation = kb.principle(1).stages[2]
    assert operation.actions[0].ja in reply.fallback and kb.principle(1).stages[0].actions[0].ja not in reply.fallback
    [whole] = await assistant.handle(msg(value=reply.buttons[0].value))
    assert all(stage.name.ja in whole.fallback for stage in kb.principle(1).stages)
    [both] = await assistant.handle(msg("第2条の企画・開発の段階"))  # two stages named: the whole page
    assert all(stage.name.ja in both.fallback for stage in kb.principle(2).stages)


async def test_where_a_term_just_explained_is_used(assistant: Assistant) -> None:
    await assistant.handle(msg("EBPMとは"))
    [reply] = await assistant.handle(msg("それって何条に出てくる？"))
    assert reply.title and "EBPM" in reply.title and "#4" in reply.fallback and "#7" in reply.fallback
    [reply] = await assistant.handle(msg("それって何条に出てくる？", user="U-new"))  # nothing explained yet
    assert not (reply.title and "EBPM" in reply.title)


async def test_the_privacy_answer_gives_the_configured_retention(kb, tmp_path) -> None:
    from bot.assembly import build_assistant
    from bot.store import Store

    store = Store(tmp_path / "p.db")
    bot = build_assistant(kb, store, {"DX10_RETENTION_DAYS": "30"})
    for text in ("この会話って記録されてる？", "クイズの記録を消したい"):  # the core's and the quiz's way in
        [reply] = await bot.handle(msg(text))
        assert reply.sections[0] == t("privacy.text", "ja", days=30), text
    store.close()


async def test_questions_about_the_principles_that_mention_records_or_privacy_are_not_the_privacy_answer(
        assistant: Assistant) -> None:
    for text in ("行政の取組を他の人に見える化するには？", "What does principle 7 say about privacy?",
                 "How can others see what the government is doing?", "How are KPIs for this tracked?",
                 "申請の履歴を保存する仕組みは第何条？", "住民とのやりとりを記録するには？",
                 "私の部署で保有する個人情報を安全に削除するには？"):
        [reply] = await assistant.handle(msg(text))
        assert reply.sections[0] not in (t("privacy.text", "ja", days=90), t("privacy.text", "en", days=90)), text
    [reply] = await assistant.handle(msg("行政の取組を他の人に見える化するには？"))
    assert reply.title and reply.title.startswith("#7 ")


async def test_a_language_request_keeps_the_follow_up_and_a_lone_request_switches(assistant: Assistant) -> None:
    await assistant.handle(msg("第5条のKPIは？"))
    [reply] = await assistant.handle(msg("what about #3 in English please"))
    assert reply.lang == "en" and reply.title == "#3 Leave no one behind — KPI examples"
    [reply] = await assistant.handle(msg("Can I get this in Japanese?"))
    assert reply.fallback == t("lang.set", "ja")


async def test_a_lowercase_acronym_keeps_a_japanese_speaker_in_japanese(assistant: Assistant) -> None:
    await assistant.handle(msg("第3条", user="U-kpi"))
    for text in ("kpi", "KPIs?"):
        [reply] = await assistant.handle(msg(text, user="U-kpi"))
        assert reply.lang == "ja", text
