"""Every user-facing sentence, in Japanese and English, in one place."""

from __future__ import annotations

LANGS = ("ja", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "facet.overview": {"ja": "概要", "en": "Overview"},
    "facet.direction": {"ja": "取組の方向性", "en": "Direction"},
    "facet.actions": {"ja": "段階別のアクション", "en": "Actions by stage"},
    "facet.kpi": {"ja": "KPI例", "en": "KPI examples"},
    "facet.first_step": {"ja": "はじめの第一歩", "en": "First step"},
    "facet.roadmap": {"ja": "ロードマップ", "en": "Roadmap"},
    "facet.checklist": {"ja": "目標設定の視点", "en": "Self-check viewpoints"},
    "label.action_principle": {"ja": "行動原則", "en": "Action principle"},
    "label.action_examples": {"ja": "具体的なアクション例", "en": "Concrete action examples"},
    "label.kpi_examples": {"ja": "その他のKPI例（ページの「KPI設定の例示」より）", "en": "Other example KPIs (from the page's \"examples of KPI settings\")"},
    "label.kpi_output": {"ja": "アウトプットKPI例（アクションの直接的効果）", "en": "Output KPIs (direct effects of the actions)"},
    "label.kpi_outcome": {"ja": "アウトカムKPI例（間接的成果や影響）", "en": "Outcome KPIs (indirect results and impact)"},
    "roadmap.wording_note": {
        "ja": "（「当面の重点的な取組」は資料の一覧表の表記、番号付きの項目は各条のロードマップ表の表記です。資料の中で表記が異なる項目があります。）",
        "en": "(The focus initiatives are worded as in the document's summary table and the numbered items as in the principle's roadmap table; the document words some of them differently.)",
    },
    "label.department": {"ja": "推進部署", "en": "Promoting department"},
    "label.focus": {"ja": "当面の重点的な取組", "en": "Current focus initiatives"},
    "label.timeline": {"ja": "工程（2022年度下半期〜2025年度、資料の掲載順）", "en": "Milestones (FY2022 H2 to FY2025, in the document's order)"},
    "label.first_step_page": {"ja": "各条のページでの表記", "en": "Wording on the principle's own page"},
    "label.related": {"ja": "関連する条", "en": "Related principles"},
    "source.principle": {
        "ja": "出典: デジタル10か条の当面の重点的な取組 #{number}",
        "en": "Source: Digital 10 Principles, current focus initiatives #{number} (English is our translation; the Japanese original prevails)",
    },
    "source.list": {
        "ja": "出典: デジタル10か条の当面の重点的な取組＜一覧＞",
        "en": "Source: Digital 10 Principles, focus initiatives (summary table). English is our translation.",
    },
    "source.glossary": {
        "ja": "用語の説明はdx10による一般的な解説です（資料での用例: {where}）",
        "en": "Definition written by dx10 as a general explanation (used in the document at: {where})",
    },
    "source.pages": {
        "ja": "出典: デジタル10か条の当面の重点的な取組 #1〜#10（各条のページ）",
        "en": "Source: Digital 10 Principles, current focus initiatives #1 to #10 (each principle's page; English is our translation)",
    },
    "source.roadmaps": {
        "ja": "出典: デジタル10か条の当面の重点的な取組 {where}（各条のロードマップ）",
        "en": "Source: Digital 10 Principles, current focus initiatives {where} (each principle's roadmap; English is our translation)",
    },
    "department.title": {"ja": "{department}が推進する取組", "en": "Initiatives the {department} promotes"},
    "department.printed_as": {"ja": "（このページの表記: {name}）", "en": " (printed on this page as: {name})"},
    "department.all": {"ja": "推進部署と取組の一覧", "en": "Promoting departments and their initiatives"},
    "list.title": {"ja": "デジタル10か条", "en": "The Digital 10 Principles"},
    "list.title_facet": {"ja": "デジタル10か条: {facet}（全10条）", "en": "Digital 10 Principles: {facet} for all ten"},
    "glossary.title": {"ja": "用語: {term}", "en": "Term: {term}"},
    "button.more": {"ja": "もっと見る", "en": "More"},
    "button.quiz": {"ja": "クイズ", "en": "Quiz"},
    "button.list": {"ja": "10か条の一覧", "en": "All ten principles"},
    "button.help": {"ja": "使い方", "en": "Help"},
    "button.lang": {"ja": "English", "en": "日本語"},
    "button.principle": {"ja": "#{number} {title}", "en": "#{number} {title}"},
    "dym.title": {"ja": "もしかして、次のどれかですか？", "en": "Did you mean one of these?"},
    "button.all_stages": {"ja": "すべての段階", "en": "All stages"},
    "button.whole_roadmap": {"ja": "ロードマップ全体", "en": "Whole roadmap"},
    "dym.title_one": {"ja": "もしかして、こちらですか？", "en": "Did you mean this?"},
    "dym.text_one": {
        "ja": "ご質問の意図を確信できませんでした。これでよければ押してください。",
        "en": "I'm not sure what you meant. Press it if this is it:",
    },
    "dym.text_or_oos_one": {
        "ja": "ご質問の意図を確信できませんでした。これでよければ押してください。違っていれば、dx10ではお答えできない質問です（dx10はデジタル10か条についてお手伝いします）。",
        "en": "I'm not sure what you meant. Press it if this is it; if not, it's a question dx10 can't answer (dx10 helps with the Digital 10 Principles).",
    },
    "dym.text": {
        "ja": "ご質問の意図を確信できませんでした。近いものを選んでください。",
        "en": "I'm not sure what you meant. Pick the closest one:",
    },
    "dym.text_or_oos": {
        "ja": "ご質問の意図を確信できませんでした。近いものがあれば選んでください。どれにも当たらなければ、dx10ではお答えできない質問です（dx10はデジタル10か条についてお手伝いします）。",
        "en": "I'm not sure what you meant. Pick the closest one if any fits; if none does, it's a question dx10 can't answer (dx10 helps with the Digital 10 Principles).",
    },
    "principle.no_such": {
        "ja": "第{number}条はありません。デジタル10か条は第1条から第10条までです。",
        "en": "There is no principle {number}: the Digital 10 Principles run from 1 to 10.",
    },
    "oos.text": {
        "ja": "申し訳ありません、その質問にはお答えできません。dx10はデジタル10か条（当面の重点的な取組・はじめの第一歩）についてお手伝いします。例: 「第3条のはじめの第一歩は？」「NPSとは」「10か条の一覧」",
        "en": "Sorry, I can't help with that. dx10 answers questions about the Digital 10 Principles (their focus initiatives and first steps). Try: \"first step for principle 3\", \"what is NPS\", \"list all principles\".",
    },
    "help.title": {"ja": "dx10の使い方", "en": "How to use dx10"},
    "help.text": {
        "ja": "東京都と都内区市町村の職員のための、デジタル10か条の学習アシスタントです。日本語か英語で自由に質問してください。\n"
        "・「第3条とは」「#5のKPI例」「共創のはじめの第一歩」\n"
        "・「第7条のロードマップ」「アジャイル型開発の推進部署」「#1の目標設定の視点」\n"
        "・「NPSとは」「10か条の一覧」「はじめの第一歩を全部」\n"
        "・学ぶ: 「クイズ」「第3条のクイズ」「復習」「進捗」、チャンネルでは「チャンネルクイズ」\n"
        "・ヒントの配信: 「毎朝9時にヒントを送って」「配信状況」「pause 7」「配信停止」\n"
        "・言語の切替: 「lang en」/「言語 日本語」",
        "en": "A learning assistant on the Digital 10 Principles for staff of the Tokyo Metropolitan Government and Tokyo's municipalities. Ask anything about the principles, in English or Japanese.\n"
        "• \"what is principle 3\", \"KPIs for principle 5\", \"first step for co-creation\"\n"
        "• \"roadmap for principle 7\", \"which department leads agile development\", \"self-check for #1\"\n"
        "• \"what is NPS\", \"list all principles\", \"show every first step\"\n"
        "• Learn: \"quiz\", \"quiz 3\", \"review\", \"progress\"; in a channel, \"channel quiz\"\n"
        "• Tips: \"send me tips every morning at 9\", \"status\", \"pause 7\", \"unsubscribe\"\n"
        "• Switch language: \"lang ja\" / \"言語 英語\"",
    },
    "smalltalk.thanks": {
        "ja": "どういたしまして！ほかにも気になる条があれば、いつでも聞いてください。",
        "en": "You're welcome! Ask about any other principle whenever you like.",
    },
    "smalltalk.sorry": {
        "ja": "すみません。知りたかったことを言い換えて聞いてみてください。SlackやTeamsでは、回答の👎ボタンで改善のために知らせることもできます。",
        "en": "Sorry about that. Try asking again in other words; in Slack and Teams, the 👎 button under an answer tells us what to improve.",
    },
    "smalltalk.bye": {
        "ja": "おつかれさまでした！またいつでもどうぞ。",
        "en": "Goodbye! Come back any time.",
    },
    "smalltalk.otsukare": {
        "ja": "おつかれさまです！デジタル10か条について何でも聞いてください。「使い方」でできることを表示します。",
        "en": "Hello! Ask me anything about the Digital 10 Principles. Type \"help\" to see what I can do.",
    },
    "privacy.text": {
        "ja": "dx10が記録しているのは、質問の記録、クイズの回答と進捗、はじめの第一歩の挑戦、ヒント配信の設定、言語の設定、最後に利用した日、満足度アンケート（NPS）の回答です。"
        "質問の文面とアンケートに添えたコメントは、改善のため{days}日間保存され、その後は件数と点数だけが残ります。"
        "質問の記録には、名前やIDではなく、元に戻せない形に変換した利用者キーを使います。"
        "管理者のダッシュボードには件数、答えられなかった質問の文面、アンケートのコメントが表示されますが、誰が書いたかは表示されません。"
        "ヒントの配信、クイズの記録、アンケートの回答は、あなたに届けたり1人1回と数えたりするため、IDと結び付けて保存します。"
        "ランキングにお名前が出るのは「ランキング表示」を選んだ場合だけです（「ランキング非表示」で消せます）。"
        "チャットからはデータを削除できません。すべて削除したい場合は、dx10の管理者に依頼してください（管理者の `dx10 forget` でまとめて削除できます）。",
        "en": "What dx10 keeps about you: a log of your questions, your quiz answers and progress, first-step challenges, your tips settings, "
        "your language setting, the last day you used it, and your satisfaction survey (NPS) answers. "
        "The text of your questions and any survey comment are kept for {days} days to improve dx10; after that only counts and scores stay. "
        "The question log records a key that cannot be turned back into your name or ID, not the ID itself. "
        "Admins' dashboard shows counts, the text of questions dx10 could not answer and survey comments, never who wrote them. "
        "Tips subscriptions, quiz records and survey answers are kept with your ID, so they can reach you and count you once. "
        "Your name is on a leaderboard only if you chose \"leaderboard optin\" (\"leaderboard optout\" hides it). "
        "I can't delete data from the chat: to have all of it deleted, ask your dx10 administrator (their `dx10 forget` deletes everything dx10 holds about you at once).",
    },
    "smalltalk.morning": {
        "ja": "おはようございます！デジタル10か条について何でも聞いてください。「使い方」でできることを表示します。",
        "en": "Good morning! Ask me anything about the Digital 10 Principles. Type \"help\" to see what I can do.",
    },
    "smalltalk.text": {
        "ja": "こんにちは！デジタル10か条について何でも聞いてください。「使い方」でできることを表示します。",
        "en": "Hello! Ask me anything about the Digital 10 Principles. Type \"help\" to see what I can do.",
    },
    "feature.soon": {
        "ja": "「{feature}」はまだ準備中です。今は10か条についての質問にお答えできます。",
        "en": "\"{feature}\" is not available yet. For now I can answer questions about the ten principles.",
    },
    "feature.quiz": {"ja": "クイズ", "en": "Quizzes"},
    "feature.progress": {"ja": "学習の進捗", "en": "Learning progress"},
    "feature.subscribe": {"ja": "ヒントの定期配信", "en": "Daily/weekly tips"},
    "feature.unsubscribe": {"ja": "配信の停止", "en": "Stopping tips"},
    "lang.set": {"ja": "これからは日本語でお答えします。", "en": "I'll answer in English from now on."},
    "lang.auto": {"ja": "質問の言語に合わせてお答えします。", "en": "I'll answer in the language of each question."},
    "lang.unknown": {
        "ja": "その言語には対応していません。「lang ja」「lang en」「lang auto」のいずれかを送ってください。",
        "en": "I don't know that language. Send \"lang ja\", \"lang en\" or \"lang auto\".",
    },
    "error.empty": {
        "ja": "メッセージが空でした。質問を入力してください（例: 「第3条のはじめの第一歩は？」）。",
        "en": "Your message was empty. Type a question, e.g. \"first step for principle 3\".",
    },
    "error.too_long": {
        "ja": "メッセージが長すぎます（{length}文字）。{limit}文字以内で質問してください。",
        "en": "That message is too long ({length} characters). Please ask in {limit} characters or fewer.",
    },
    "error.no_text": {
        "ja": "文字として読み取れる内容がありませんでした。質問を文章で送ってください。",
        "en": "I couldn't find any words in that message. Please type your question.",
    },
    "error.encoding": {
        "ja": "文字コードを読み取れませんでした（UTF-8で送ってください）。",
        "en": "I couldn't read that text: please send it as UTF-8.",
    },
    "error.button": {
        "ja": "このボタンは古くなっています。もう一度質問してください。",
        "en": "That button has expired. Please ask again.",
    },
    "error.internal": {
        "ja": "申し訳ありません、内部でエラーが起きました。もう一度お試しください。",
        "en": "Sorry, something went wrong on my side. Please try again.",
    },
    "slack.feedback_up": {"ja": "👍 役に立った", "en": "👍 Helpful"},
    "slack.feedback_down": {"ja": "👎 いまひとつ", "en": "👎 Not helpful"},
    "slack.more_note": {"ja": "続きがあります（{page}/{pages}）", "en": "Continued ({page}/{pages})"},
    "slack.home.title": {"ja": "dx10 — デジタル10か条アシスタント", "en": "dx10: the Digital 10 Principles assistant"},
    "slack.home.intro": {
        "ja": "デジタル10か条について、このアプリへのDM、チャンネルでの @dx10、または `/dx10 質問` で聞いてください。下のボタンから各条を開けます。",
        "en": "Ask about the Digital 10 Principles in a DM to this app, with @dx10 in a channel, or with `/dx10 question`. Open any principle below.",
    },
    "slack.home.open": {"ja": "開く", "en": "Open"},
    "slack.home.subscriptions": {"ja": "ヒントの定期配信", "en": "Your tips subscriptions"},
    "slack.home.subscriptions_none": {
        "ja": "まだ登録していません。dx10へのDMで「毎朝9時にヒントを送って」、または `/dx10 subscribe weekly mon 09:00` と送ると、平日にヒントが届きます。",
        "en": "None yet. DM dx10 \"send me tips every morning at 9\" or type `/dx10 subscribe weekly mon 09:00` to get a tip on working days.",
    },
    "slack.home.progress": {"ja": "学習の進捗", "en": "Your learning progress"},
    "slack.home.progress_none": {
        "ja": "まだクイズに答えていません。DMで「クイズ」と送ると始められ、ここに進捗が表示されます。",
        "en": "You have not answered a quiz yet. Send \"quiz\" in a DM to start; your progress appears here.",
    },
    "nudge.tip.title": {"ja": "今日のヒント", "en": "Today's tip"},
    "nudge.button.more": {"ja": "詳しく見る", "en": "More"},
    "nudge.button.quiz": {"ja": "1問クイズに挑戦", "en": "Try one quiz question"},
    "nudge.button.pause": {"ja": "7日間お休み", "en": "Pause 7 days"},
    "nudge.button.pause_today": {"ja": "今日だけお休み", "en": "Pause today only"},
    "nudge.button.pause_days": {"ja": "{n}日間お休み", "en": "Pause {n} days"},
    "nudge.button.resume": {"ja": "配信を再開", "en": "Resume tips"},
    "nudge.button.status": {"ja": "配信状況", "en": "Status"},
    "nudge.button.stop": {"ja": "配信を停止", "en": "Stop tips"},
    "nudge.button.set": {"ja": "{schedule}で受け取る", "en": "Tips {schedule}"},
    "nudge.button.subscribe": {"ja": "毎朝9時に受け取る", "en": "Get tips at 9:00"},
    "nudge.days": {"ja": "月,火,水,木,金,土,日", "en": "Monday,Tuesday,Wednesday,Thursday,Friday,Saturday,Sunday"},
    "nudge.when": {"ja": "{date}（{day}）{time}", "en": "{day} {date} {time}"},
    "nudge.schedule_daily": {"ja": "平日の毎日 {time}", "en": "every working day at {time}"},
    "nudge.schedule_weekly": {"ja": "毎週{day}曜日 {time}", "en": "every {day} at {time}"},
    "nudge.next_none": {"ja": "未定", "en": "not scheduled"},
    "nudge.zone.tokyo": {"ja": "日本時間", "en": "Tokyo time (JST)"},
    "nudge.zone.other": {"ja": "{tz}時間", "en": "{tz} time"},
    "nudge.schedule_in": {"ja": "{schedule}（{zone}）", "en": "{schedule} {zone}"},
    "nudge.assumed": {
        "ja": "「{said}」は{taken}と解釈しました。{other}にするには「{morning}」と送ってください。",
        "en": "I read \"{said}\" as {taken}; for {other}, say \"at {morning}\".",
    },
    # …and when the morning reading is before the first time tips come (「5時」 is 05:00): no hint to type it.
    "nudge.assumed_only": {"ja": "「{said}」は{taken}と解釈しました。", "en": "I read \"{said}\" as {taken}."},
    # The morning reading of a bare hour, as the person would type it: 「午前6時半」, "6:30am".
    "nudge.morning": {"ja": "午前{hour}時", "en": "{hour}am"},
    "nudge.morning_half": {"ja": "午前{hour}時半", "en": "{hour}:30am"},
    "nudge.morning_minutes": {"ja": "午前{hour}時{minute}分", "en": "{hour}:{minute:02d}am"},
    "nudge.unchanged": {"ja": "今の設定は{schedule}のままです。", "en": "Your tips stay {schedule}."},
    "nudge.frequency": {
        "ja": "ヒントの配信は1日1回までで、毎日（平日）か、毎週1回（曜日を指定）のどちらかです。「{said}」には対応していないため、設定は変更していません。"
        "例: 「毎朝9時」「毎週月曜9時」",
        "en": "Tips come at most once a day: on every working day, or on one weekday each week. \"{said}\" isn't possible, "
        "so nothing was changed. Try e.g. \"every working day at 9am\" or \"every Monday at 9am\".",
    },
    "nudge.other_zone": {
        "ja": "ヒントの時刻は{zone}です。{zone}の時刻で指定してください（例: 「毎朝9時」）。設定は変更していません。",
        "en": "Tips use {zone}: please say the time as it is there, e.g. \"every working day at 9am\". Nothing was changed.",
    },
    "nudge.other_zone_at": {
        "ja": "ヒントの時刻は{zone}です。{tz}の{time}は、今日の時点で{zone}の{home}{shift}です。その時刻に受け取るには「{home}に変更」のように送ってください。"
        "設定は変更していません。",
        "en": "Tips use {zone}. {time} in {tz} is {home} {zone} today{shift}; to get tips then, say e.g. \"at {home}\". "
        "Nothing was changed.",
    },
    "nudge.other_zone_at_night": {
        "ja": "ヒントの時刻は{zone}です。{tz}の{time}は、今日の時点で{zone}の{home}{shift}で、配信できる時間（{earliest}〜{latest}）の外です。"
        "設定は変更していません。",
        "en": "Tips use {zone}. {time} in {tz} is {home} {zone} today{shift}, outside the hours tips are sent "
        "({earliest} to {latest}). Nothing was changed.",
    },
    "nudge.off_hours": {
        "ja": "{time}には配信できません。ヒントは仕事のためのものなので、夜間は避けて{earliest}〜{latest}（{zone}）の間に配信します。"
        "例: 「毎朝7時」「平日の21時」",
        "en": "Tips can't come at {time}: they are for work, so they come only from {earliest} to {latest} {zone}, never in "
        "the night. Try e.g. \"every morning at 7\" or \"every working day at 9pm\".",
    },
    "nudge.no_such_time": {
        "ja": "{time}という時刻はありません。配信の時刻は{earliest}〜{latest}（{zone}）の間で指定してください。例: 「毎朝8時」「毎日17時半」",
        "en": "{time} is not a time of day. Tips can come at any time from {earliest} to {latest} {zone}, e.g. "
        "\"every morning at 8\" or \"every day at 5:30pm\".",
    },
    "nudge.one_day_a_week": {
        "ja": "配信は週1回（曜日を1つ）か、毎日（平日）のどちらかです。曜日を1つにするか、毎日にしてください。例: 「毎週月曜12時」「毎日12時」",
        "en": "Tips come on one day a week or on every working day: choose one day, or every working day, e.g. "
        "\"every Monday at 12\" or \"every day at 12\".",
    },
    "nudge.ask_when": {
        "ja": "何時（何曜日）に変更しますか？ 今は{schedule}です。例: 「8時半に変更」「毎週金曜17時」「毎日9時」"
        "（配信できる時刻は{earliest}〜{latest}です）",
        "en": "When would you like them? Tips are now {schedule}. Say e.g. \"change it to 8:30\", \"every Friday at 5pm\" "
        "or \"every day at 9\" (any time from {earliest} to {latest}).",
    },
    "nudge.same": {
        "ja": "すでに{schedule}で配信しています。変更はありません。次回: {next}",
        "en": "Your tips are already {schedule}; nothing changed. Next: {next}",
    },
    "nudge.today_sent": {"ja": "今日お送りしたヒントです。", "en": "This is the tip you got today."},
    "nudge.today_next": {
        "ja": "次回（{next}）にお送りする予定のヒントです。",
        "en": "This is the tip your next one ({next}) brings.",
    },
    "nudge.today_offer": {
        "ja": "毎朝受け取るには「毎朝9時にヒントを送って」と送るか、下のボタンを押してください。",
        "en": "To get one every working day, say \"send me tips every morning at 9\" or press the button below.",
    },
    "nudge.next_day": {"ja": "（翌日）", "en": " (the next day)"},
    "nudge.day_before": {"ja": "（前日）", "en": " (the day before)"},
    "nudge.subscribed": {
        "ja": "ヒントの配信を登録しました: {schedule}。次回: {next}",
        "en": "You're subscribed to tips: {schedule}. Next: {next}",
    },
    "nudge.closed_days": {
        "ja": "土日・国民の祝日（振替休日を含む）・都庁の年末年始の休み（12/29〜1/3）は配信しません。",
        "en": "No tips on weekends, Japan's national holidays (substitute holidays included) or the Tokyo Metropolitan "
        "Government's year-end closure (Dec 29 – Jan 3).",
    },
    "nudge.weekly_skip": {
        "ja": "{day}曜日が祝日などでお休みの週は、その回の配信はありません（別の日にはずらしません）。",
        "en": "When a {day} is a holiday, that week's tip is skipped, not moved to another day.",
    },
    "nudge.already_off": {
        "ja": "ここへの配信はすでに停止しています（{reason}）。また受け取るには「ヒントを送って」と送ってください。",
        "en": "Tips are already off here ({reason}). Send \"send me tips\" whenever you want them again.",
    },
    "nudge.how_to": {
        "ja": "「pause 7」で7日間お休み、「配信状況」で確認、「配信停止」で停止できます。",
        "en": "Send \"pause 7\" to pause for 7 days, \"status\" to check, \"unsubscribe\" to stop.",
    },
    "nudge.updated": {
        "ja": "配信の設定を変更しました: {schedule}。次回: {next}",
        "en": "Your tips schedule is now {schedule}. Next: {next}",
    },
    "nudge.unsubscribed": {
        "ja": "ヒントの配信を停止しました。また受け取りたいときは「ヒントを送って」と送ってください。",
        "en": "Tips are stopped. Send \"send me tips\" whenever you want them again.",
    },
    "nudge.not_subscribed": {
        "ja": "ここではまだヒントの配信を登録していません。「毎朝9時にヒントを送って」や「毎週月曜10時」のように送ると登録できます。",
        "en": "Tips are not set up here yet. Send e.g. \"send me tips every morning at 9\" or \"subscribe weekly mon 10:00\".",
    },
    "nudge.paused": {
        "ja": "{last}まで（{days}）配信をお休みします。{resume}から再開します。次回: {next}",
        "en": "Tips are paused for {days}, through {last}; they resume on {resume}. Next: {next}",
    },
    "nudge.paused_later": {
        "ja": "{first}から{last}まで（{days}）配信をお休みします。{resume}から再開します。次回: {next}",
        "en": "Tips will pause from {first} through {last} ({days}); they resume on {resume}. Next: {next}",
    },
    "nudge.hold_through_next_week": {
        "ja": "「{said}」は来週いっぱい（{last}まで）と解釈しました。今週だけお休みするには「今週は止めて」と送ってください。",
        "en": "I read \"{said}\" as through the end of next week ({last}). To pause this week only, say \"no tips this week\".",
    },
    "nudge.hold_until_next_week": {
        "ja": "「{said}」は来週の初め（{resume}）に再開すると解釈しました。来週もお休みするには「来週まで止めて」と送ってください。",
        "en": "I read \"{said}\" as until next week starts: tips resume on {resume}. To pause next week too, say "
        "\"pause through next week\".",
    },
    "nudge.one_day": {"ja": "1日間", "en": "1 day"},
    "nudge.n_days": {"ja": "{n}日間", "en": "{n} days"},
    "nudge.hold_past": {
        "ja": "{day}はもう過ぎています。お休みする最後の日を指定してください（例: 「12月10日まで止めて」）。設定は変更していません。",
        "en": "{day} has already passed: say the last day without tips, e.g. \"pause until December 10\". Nothing was changed.",
    },
    "nudge.hold_reversed": {
        "ja": "{last}は{first}より前の日です。最初の日、最後の日の順に指定してください（例: 「12月1日から12月10日まで止めて」）。設定は変更していません。",
        "en": "{last} comes before {first}: say the first day, then the last, e.g. \"pause from December 1 to December 10\". "
        "Nothing was changed.",
    },
    "nudge.hold_next_year": {
        "ja": "「{said}」は今年はもう過ぎているため、来年の{last}と解釈しました。取り消すには「再開」と送ってください。",
        "en": "\"{said}\" has passed this year, so I read it as next year's, {last}. To undo this, say \"resume\".",
    },
    "nudge.resumed": {"ja": "配信を再開しました。次回: {next}", "en": "Tips are back on. Next: {next}"},
    "nudge.status": {
        "ja": "ヒントの配信: {schedule}\n次回: {next}",
        "en": "Tips: {schedule}\nNext: {next}",
    },
    "nudge.status_paused": {"ja": "一時停止中（{resume}から再開）", "en": "Paused; resumes on {resume}"},
    "nudge.status_paused_later": {
        "ja": "{first}から{last}までお休みの予定（{resume}から再開）",
        "en": "Pause planned from {first} through {last}; tips resume on {resume}",
    },
    "nudge.day": {"ja": "{date}（{day}）", "en": "{day} {date}"},
    "nudge.reason.unsubscribed": {"ja": "配信停止のご依頼により", "en": "someone asked to stop them"},
    "nudge.reason.unsubscribed_self": {"ja": "配信停止を受け付けました", "en": "you asked to stop them"},
    "nudge.status_inactive": {
        "ja": "ここへの配信は停止しています（{reason}）。",
        "en": "Tips are stopped here ({reason}).",
    },
    "nudge.bad_schedule": {
        "ja": "配信の時刻を読み取れませんでした。例: 「毎朝9時」「毎週月曜10時半」「subscribe weekly mon 09:00」",
        "en": "I couldn't read the schedule. Try \"every morning at 9\", \"weekly mon 10:30\" or \"subscribe daily 08:45\".",
    },
    "nudge.weekend": {
        "ja": "ヒントは東京都の勤務日（月〜金、祝日・年末年始を除く）にだけ配信するため、{schedule}では一度も届きません。設定は変更していません。"
        "平日を選んでください（例: {suggestion}、{daily}）。",
        "en": "Tips go out on Tokyo working days only (Monday to Friday, except holidays), so tips {schedule} would never arrive. "
        "Nothing was changed. Pick a weekday instead, e.g. {suggestion}, or {daily}.",
    },
    "nudge.weekend_status": {
        "ja": "ヒントは東京都の勤務日（月〜金）にだけ配信するため、この設定（{schedule}）では一度も届きません。平日を選んでください（例: {suggestion}）。",
        "en": "Tips go out on Tokyo working days only (Monday to Friday), so with this schedule ({schedule}) none ever arrives. "
        "Pick a weekday instead, e.g. {suggestion}.",
    },
    "nudge.bad_pause": {
        "ja": "お休みする期間を1〜{limit}日の範囲で指定してください（例: 「7日間休止」「2週間止めて」「来週は止めて」「12月10日まで止めて」）。",
        "en": "For how long? Pause for 1 to {limit} days, e.g. \"pause 7\", \"pause for two weeks\", \"pause next week\" "
        "or \"pause until December 10\".",
    },
    "nudge.channel_denied": {
        "ja": "チャネルへの配信の登録・変更は dx10 の管理者だけができます。管理者に依頼してください。自分あてに受け取るには、dx10 との個人チャットで「ヒントを送って」と送ってください。",
        "en": "Only dx10's admins can set up or change tips for a channel: please ask one. To get tips yourself, send \"send me tips\" to dx10 in a personal chat.",
    },
    "nudge.channel_denied_slack": {
        "ja": "チャンネルへの配信の登録・変更は、チャンネルの作成者（管理者）か dx10 の管理者だけができます。どちらかに依頼してください。自分あてに受け取るには、dx10 へのDMで「ヒントを送って」と送ってください。",
        "en": "Only the channel's creator (its manager) or dx10's admins can set up or change tips for a channel: please ask one of them. To get tips yourself, DM dx10 \"send me tips\".",
    },
    "nudge.home.item": {"ja": "{schedule}（{where}）", "en": "{schedule} ({where})"},
    "nudge.home.dm": {"ja": "DM", "en": "DM"},
    "nudge.home.channel": {"ja": "チャンネル {channel}", "en": "channel {channel}"},
    "teams.welcome": {
        "ja": "dx10です。デジタル10か条について、日本語か英語で質問してください。チャネルやグループチャットでは @dx10 を付けて質問してください。",
        "en": "Hi, I'm dx10. Ask me about the Digital 10 Principles in English or Japanese. In channels and group chats, @mention dx10 with your question.",
    },
    "teams.hello": {
        "ja": "はい、dx10です。@dx10 に続けて質問を書いてください（例: 「@dx10 第3条のはじめの第一歩は？」）。",
        "en": "Yes? Write your question after @dx10, e.g. \"@dx10 first step for principle 3\".",
    },
    "teams.attachment_only": {
        "ja": "ファイルや画像の内容は読み取れません。質問を文章で送ってください。",
        "en": "I can't read files or images. Please type your question.",
    },
    "teams.answer": {"ja": "回答", "en": "Answer"},
    "teams.page": {"ja": "（{page}/{pages}）", "en": "({page}/{pages})"},
    "teams.more": {"ja": "続きを表示", "en": "Show more"},
    "teams.feedback_up": {"ja": "役に立った", "en": "Helpful"},
    "teams.feedback_down": {"ja": "いまひとつ", "en": "Not helpful"},
    # -- quiz.*: quizzes and learning (bot/quiz/) --------------------------------------------------
    # A key with a ".one" twin is said with `tn`: English has a singular ("1 day"), Japanese none.
    "quiz.intro": {"ja": "クイズを{count}問出します。ボタンで答えてください。", "en": "Here are {count} questions. Answer with the buttons."},
    "quiz.intro.one": {"ja": "クイズを{count}問出します。ボタンで答えてください。", "en": "Here is {count} question. Answer with the buttons."},
    "quiz.intro.single": {
        "ja": "クイズを1問だけ出します。ボタンで答えてください（{size}問のクイズは「クイズ」で始められます）。",
        "en": "Just one quiz question. Answer with the buttons (\"quiz\" starts a round of {size}).",
    },
    "quiz.intro.single_on": {
        "ja": "第{number}条からクイズを1問だけ出します。ボタンで答えてください（{size}問のクイズは「クイズ {number}」で始められます）。",
        "en": "Just one quiz question on principle {number}. Answer with the buttons (\"quiz {number}\" starts a round of {size}).",
    },
    "quiz.review.intro": {"ja": "復習の時期が来た問題が{count}問あります。", "en": "{count} questions are due for review."},
    "quiz.review.intro.one": {"ja": "復習の時期が来た問題が{count}問あります。", "en": "{count} question is due for review."},
    "quiz.review.intro_some": {
        "ja": "復習の時期が来た問題が{due}問あります。1回の復習は{count}問までなので、今回はそのうち{count}問です。",
        "en": "{due} questions are due for review. A review asks at most {count}, so here are {count} of them.",
    },
    "quiz.review.none": {"ja": "復習する問題はまだありません。「クイズ」で始めましょう。", "en": "Nothing to review yet. Type \"quiz\" to start."},
    "quiz.review.none_next": {"ja": "いま復習する問題はありません。次の復習は{date}からです。", "en": "Nothing is due for review now. The next review is due from {date}."},
    "quiz.title": {"ja": "クイズ {number}/{total}", "en": "Quiz {number}/{total}"},
    "quiz.subject": {"ja": "「{text}」", "en": "\"{text}\" (English is our translation)"},
    # A glossary term is asked as itself: "CSIRT" is no translation of anything.
    "quiz.subject_term": {"ja": "「{text}」", "en": "\"{text}\""},
    "quiz.right": {"ja": "✅ 正解です！", "en": "✅ Correct!"},
    "quiz.wrong": {"ja": "❌ 残念、不正解です", "en": "❌ Not quite"},
    "quiz.correct_answer": {"ja": "正解: {letter}. {text}", "en": "Answer: {letter}. {text}"},
    # The question bank's own sentences (bot/quiz/bank.py builds every question in both languages).
    "quiz.prompt.first_step": {"ja": "この「はじめの第一歩」はどの条のものですか？", "en": "Which principle has this first step?"},
    "quiz.prompt.kpi": {"ja": "このKPI設定の例示はどの条のものですか？", "en": "Which principle gives this example KPI?"},
    "quiz.prompt.checklist": {"ja": "この目標設定の視点はどの条のものですか？", "en": "Which principle has this self-check viewpoint?"},
    "quiz.prompt.focus": {"ja": "この当面の重点的な取組はどの条のものですか？", "en": "Which principle has this current focus initiative?"},
    "quiz.prompt.action": {"ja": "この具体的なアクション例はどの条のものですか？", "en": "Which principle lists this concrete action example?"},
    "quiz.prompt.principle": {"ja": "この行動原則はどの条のものですか？", "en": "Which principle's action principle is this?"},
    "quiz.prompt.department": {
        "ja": "ロードマップのこの取組を推進する部署はどこですか？",
        "en": "Which department promotes this roadmap initiative?",
    },
    "quiz.prompt.stage": {
        "ja": "第{number}条「{title}」の取組の方向性で、このアクションはどの段階（区分）に挙げられていますか？",
        "en": "In the direction of principle {number} \"{title}\", under which stage (heading) is this action listed?",
    },
    "quiz.prompt.glossary": {"ja": "この用語の意味として正しいものはどれですか？", "en": "What does this term mean?"},
    "quiz.prompt.first_step_of": {
        "ja": "第{number}条「{title}」のはじめの第一歩はどれですか？",
        "en": "What is the first step of principle {number}, \"{title}\"?",
    },
    # Where the principle's name would give its first step away: the number only.
    "quiz.prompt.first_step_of_number": {
        "ja": "第{number}条のはじめの第一歩はどれですか？",
        "en": "What is the first step of principle {number}?",
    },
    "quiz.prompt.heading": {
        "ja": "第{number}条「{title}」は、この項目をどの見出しに挙げていますか？",
        "en": "Under which heading does principle {number}, \"{title}\", list this?",
    },
    "quiz.heading.kpi": {"ja": "KPI設定の例示", "en": "Example KPIs"},
    "quiz.heading.checklist": {"ja": "目標設定の視点", "en": "Self-check viewpoints"},
    "quiz.heading.action": {"ja": "具体的なアクション例", "en": "Concrete action examples"},
    "quiz.heading.focus": {"ja": "当面の重点的な取組", "en": "Current focus initiatives"},
    "quiz.explain.first_step": {
        "ja": "「{item}」は第{number}条「{title}」のはじめの第一歩です。",
        "en": "\"{item}\" is the first step of principle {number}, \"{title}\".",
    },
    "quiz.explain.kpi": {
        "ja": "「{item}」は第{number}条「{title}」のKPI例に挙げられています。",
        "en": "\"{item}\" is one of the example KPIs of principle {number}, \"{title}\".",
    },
    "quiz.explain.checklist": {
        "ja": "「{item}」は第{number}条「{title}」の目標設定の視点です。",
        "en": "\"{item}\" is one of the self-check viewpoints of principle {number}, \"{title}\".",
    },
    "quiz.explain.focus": {
        "ja": "「{item}」は第{number}条「{title}」の当面の重点的な取組です。",
        "en": "\"{item}\" is one of the current focus initiatives of principle {number}, \"{title}\".",
    },
    "quiz.explain.action": {
        "ja": "「{item}」は第{number}条「{title}」の具体的なアクション例です。",
        "en": "\"{item}\" is one of the concrete action examples of principle {number}, \"{title}\".",
    },
    "quiz.explain.principle": {
        "ja": "「{item}」は第{number}条「{title}」の行動原則です。",
        "en": "\"{item}\" is the action principle of principle {number}, \"{title}\".",
    },
    "quiz.explain.also": {"ja": "（{numbers}にも同じ項目があります）", "en": " Principles {numbers} list it too."},
    "quiz.explain.also_one": {"ja": "（{numbers}にも同じ項目があります）", "en": " Principle {numbers} lists it too."},
    "quiz.explain.similar": {"ja": "（第{number}条には似た項目「{item}」があります）", "en": " Principle {number} has a similar one: \"{item}\"."},
    "quiz.explain.department": {
        "ja": "第{number}条のロードマップで「{item}」の推進部署は{department}です。",
        "en": "In principle {number}'s roadmap, \"{item}\" is promoted by the {department}.",
    },
    "quiz.explain.department_printed": {
        "ja": "第{number}条のロードマップで「{item}」の推進部署は{department}です（このページの表記は「{printed}」）。",
        "en": "In principle {number}'s roadmap, \"{item}\" is promoted by the {department} (printed on this page as the {printed}).",
    },
    "quiz.explain.stage": {
        "ja": "第{number}条では「{item}」は「{stage}」に挙げられています。",
        "en": "Principle {number} lists \"{item}\" under \"{stage}\".",
    },
    "quiz.explain.glossary": {"ja": "{term}: {definition}", "en": "{term}: {definition}"},
    "quiz.stopped": {
        "ja": "クイズを終了しました。{answered}問中{right}問正解でした。",
        "en": "Quiz ended: {right} of {answered} right.",
    },
    "quiz.stopped_none": {
        "ja": "クイズを終了しました（回答した問題はありません）。",
        "en": "Quiz ended before any question was answered.",
    },
    # 「わからない」「パス」: not a wrong answer, but not known either; it comes back like one.
    "quiz.unknown": {"ja": "💡 答えを確認しましょう", "en": "💡 Here's the answer"},
    "quiz.unknown.review": {
        "ja": "この問題は{date}から復習に出ます。",
        "en": "This question comes back for review from {date}.",
    },
    "quiz.hint": {
        "ja": "ヒント: {letter}は正解ではありません。残りの{left}つから選んでください。",
        "en": "Hint: it isn't {letter}. Choose from the other {left}.",
    },
    # 「次」 after an answer: the next question is the open one, so it comes back (nothing is skipped unseen).
    "quiz.next": {
        "ja": "次の問題はこちらです（まだ回答していません）。わからないときは「パス」で答えを見て先へ進めます。",
        "en": "Here is the next question (not answered yet). If you don't know it, say \"pass\" to see the answer and move on.",
    },
    # The console after a side reply with buttons while a quiz question is open (adapters/console.py).
    "console.quiz_open": {
        "ja": "（{title} の途中です。1〜{last} または A〜{letter} で答えられます。「続き」で問題をもう一度表示します。）",
        "en": "({title} is still open: type 1–{last} or A–{letter} to answer it, or \"continue\" to see it again.)",
    },
    "quiz.stop_none": {"ja": "いま進行中のクイズはありません。", "en": "There's no quiz in progress to stop."},
    "quiz.mastered": {
        "ja": "🎉 第{number}条「{title}」を習得しました！この条の問題{mastery}問に正解しています。",
        "en": "🎉 You have mastered principle {number}, \"{title}\": {mastery} of its questions answered right.",
    },
    "quiz.open": {
        "ja": "クイズの途中です（{total}問中{number}問目）。続けますか？ 新しく始めると、今のクイズは終わります。",
        "en": "You have a quiz in progress (question {number} of {total}). Continue it? Starting a new one ends the current one.",
    },
    "quiz.button.continue": {"ja": "続ける", "en": "Continue"},
    "quiz.button.new": {"ja": "新しく始める", "en": "Start a new one"},
    "quiz.button.new_review": {"ja": "復習を始める", "en": "Start the review"},
    "quiz.button.stop": {"ja": "クイズをやめる", "en": "Stop quiz"},
    "quiz.how.title": {"ja": "クイズの使い方", "en": "How the quiz works"},
    "quiz.how.text": {
        "ja": "「クイズ」（1つの条なら「クイズ 3」）で{size}問を1問ずつ出題します。A〜Dのボタンか、文字（「B」「Bです」「3番」）で答えてください。答えるたびに正解と解説、出典を表示します。\n"
        "間違えた問題は翌日、正解した問題は数日後に復習の時期が来ます。「復習」でその問題に答えられます（1回に最大{size}問）。\n"
        "「進捗」で条ごとの習得状況を見られます。1つの条で{mastery}問に最後に正解すると、その条を習得したことになります。\n"
        "わからないときは「パス」で答えを表示して次へ進み（その問題は翌日の復習に出ます）、「ヒント」で選択肢を1つ減らせます。\n"
        "クイズの途中でほかの質問をしても大丈夫です。「続き」で問題に戻り、「やめる」で終了します。",
        "en": "\"quiz\" (or \"quiz 3\" for one principle) asks {size} questions, one at a time. Answer with the buttons A–D or type the answer (\"B\", \"answer B\", \"the third one\"). Each answer gets the right answer, an explanation and the source.\n"
        "A question you miss comes back for review the next day, one you get right a few days later: \"review\" asks the ones due (up to {size} at a time).\n"
        "\"progress\" shows each principle: it is mastered when {mastery} of its questions were last answered right.\n"
        "Not sure? \"pass\" shows the answer and moves on (the question comes back for review the next day), and \"hint\" rules out one choice.\n"
        "You can ask something else in the middle of a quiz: \"continue\" brings the question back and \"stop\" ends the quiz.",
    },
    "quiz.how.open": {
        "ja": "いまクイズの途中です（{total}問中{number}問目）。「続き」で戻れます。",
        "en": "Your quiz is at question {number} of {total}: \"continue\" brings it back.",
    },
    "quiz.choose": {
        "ja": "その選択肢はありません。A〜{last}から選んでください。",
        "en": "There is no such choice: pick A to {last}.",
    },
    "quiz.resume.none": {
        "ja": "続きのクイズはありません。「クイズ」で新しく始められます。",
        "en": "There's no quiz in progress. Type \"quiz\" to start one.",
    },
    "quiz.stale": {
        "ja": "この問題はもう回答済みか、クイズが終わっています。「クイズ」で新しく始められます。",
        "en": "That question was already answered or the quiz has ended. Type \"quiz\" to start a new one.",
    },
    "quiz.summary.title": {"ja": "おつかれさまでした: {total}問中{right}問正解", "en": "Done: {right} of {total} correct"},
    "quiz.button.start": {"ja": "クイズを始める", "en": "Start a quiz"},
    "quiz.no_such_principle": {
        "ja": "第{number}条はありません（デジタル10か条は第1条〜第10条です）。全体から出題するなら下のボタンか「クイズ」、条を選ぶなら「クイズ 3」のように送ってください。",
        "en": "There is no principle {number} (they run from 1 to 10). Press the button or send \"quiz\" for questions on all ten, or e.g. \"quiz 3\" for one.",
    },
    "quiz.button.again": {"ja": "もう一度", "en": "Another round"},
    "quiz.button.one_more": {"ja": "もう1問", "en": "One more question"},
    "quiz.button.full": {"ja": "{size}問のクイズ", "en": "A round of {size}"},
    "quiz.button.progress": {"ja": "進捗を見る", "en": "My progress"},
    "quiz.button.review": {"ja": "復習する（{count}問）", "en": "Review ({count})"},
    "quiz.progress.title": {"ja": "学習の進捗", "en": "Your learning progress"},
    "quiz.progress.line": {"ja": "#{number} {title} {bar} {level}/{total}", "en": "#{number} {title} {bar} {level}/{total}"},
    "quiz.progress.mastered": {"ja": "習得した条", "en": "Principles mastered"},
    "quiz.progress.of_ten": {"ja": "10条中{count}条", "en": "{count} of 10"},
    "quiz.progress.answered": {"ja": "回答数", "en": "Questions answered"},
    "quiz.progress.answered_value": {"ja": "{count}問（正答率{accuracy}%）", "en": "{count} ({accuracy}% correct)"},
    "quiz.progress.answered_none": {"ja": "まだありません", "en": "None yet"},
    "quiz.progress.streak": {"ja": "連続学習日数", "en": "Day streak"},
    "quiz.progress.days": {"ja": "{count}日", "en": "{count} days"},
    "quiz.progress.days.one": {"ja": "{count}日", "en": "{count} day"},
    "quiz.progress.first_steps": {"ja": "実践したはじめの第一歩", "en": "First steps tried"},
    "quiz.progress.count": {"ja": "{count}件", "en": "{count}"},
    "quiz.badge.title": {"ja": "🏅 デジタル10か条 修了バッジ", "en": "🏅 Digital 10 Principles badge"},
    "quiz.badge.text": {
        "ja": "おめでとうございます！10の条すべてを習得しました（{date}）。学んだことを職場の人と共有してみましょう。",
        "en": "Congratulations! You have mastered all ten principles ({date}). Why not share what you learned with your colleagues?",
    },
    "quiz.commit.button": {"ja": "やってみる", "en": "I'll try this"},
    "quiz.commit.recorded": {
        "ja": "いいですね！「{step}」に挑戦しましょう。{date}ごろに、やってみたかお聞きします。",
        "en": "Great! Your first step: \"{step}\". I'll ask you around {date} how it went.",
    },
    "quiz.commit.ask": {
        "ja": "第{number}条のはじめの第一歩「{step}」、やってみましたか？",
        "en": "Did you try the first step of principle {number}, \"{step}\"?",
    },
    "quiz.commit.done": {"ja": "やった", "en": "Done"},
    "quiz.commit.notyet": {"ja": "まだ", "en": "Not yet"},
    "quiz.commit.skip": {"ja": "スキップ", "en": "Skip"},
    "quiz.commit.none_open": {
        "ja": "挑戦中のはじめの第一歩はありません。各条の「はじめの第一歩」の回答にある「やってみる」ボタンで挑戦を始められます。",
        "en": "You have no first step in progress. Start one with the \"I'll try this\" button under a principle's first step.",
    },
    "quiz.commit.thanks_done": {"ja": "すばらしい！進捗に記録しました。", "en": "Well done! It's in your progress now."},
    "quiz.commit.thanks_notyet": {"ja": "了解です。数日後にもう一度お聞きします。", "en": "No problem. I'll ask again in a few working days."},
    "quiz.commit.thanks_skip": {"ja": "了解です。またいつでも挑戦してください。", "en": "Understood. Try it whenever you like."},
    "quiz.channel.not_here": {
        "ja": "チャンネルクイズはチャンネルで始めてください（例: `/dx10 quiz channel 3`）。ここでは「クイズ」で個人クイズができます。",
        "en": "Start a channel quiz in a channel (e.g. `/dx10 quiz channel 3`). Here, type \"quiz\" for a personal quiz.",
    },
    "quiz.channel.already": {
        "ja": "このチャンネルではクイズが進行中です。「quiz close」で今の問題の正解を発表できます。",
        "en": "A quiz is already running in this channel. \"quiz close\" reveals the current question now.",
    },
    "quiz.channel.none": {"ja": "このチャンネルで進行中のクイズはありません。", "en": "No quiz is running in this channel."},
    "quiz.channel.intro": {
        "ja": "📣 チャンネルクイズを始めます（全{count}問）。各問、最初の回答だけが数えられます。正解は{minutes}後に発表します。",
        "en": "📣 A channel quiz starts now ({count} questions). Only your first answer counts. Answers are revealed after {minutes}.",
    },
    "quiz.channel.intro.one": {
        "ja": "📣 チャンネルクイズを始めます（全{count}問）。各問、最初の回答だけが数えられます。正解は{minutes}後に発表します。",
        "en": "📣 A channel quiz starts now ({count} question). Only your first answer counts. Answers are revealed after {minutes}.",
    },
    "quiz.minutes": {"ja": "{count}分", "en": "{count} minutes"},
    "quiz.minutes.one": {"ja": "{count}分", "en": "{count} minute"},
    "quiz.channel.title": {"ja": "チャンネルクイズ {number}/{total}", "en": "Channel quiz {number}/{total}"},
    "quiz.channel.how": {
        "ja": "回答は本人にだけ確認されます。正解発表は{time}（日本時間）ごろ、または「quiz close」ですぐに。",
        "en": "Your answer is confirmed to you only. The answer is revealed around {time} (Tokyo time), or now with \"quiz close\".",
    },
    "quiz.channel.recorded": {
        "ja": "回答を受け付けました。正解の発表をお待ちください。",
        "en": "Your answer is in. Wait for the reveal!",
    },
    "quiz.channel.again": {
        "ja": "この問題にはもう回答済みです。最初の回答だけが数えられます。",
        "en": "You already answered this question; only your first answer counts.",
    },
    "quiz.channel.closed_question": {
        "ja": "この問題の回答は締め切られました。",
        "en": "This question is closed.",
    },
    "quiz.channel.reveal_title": {"ja": "正解発表 {number}/{total}", "en": "The answer {number}/{total}"},
    "quiz.channel.share": {
        "ja": "{answered}人中{right}人が正解（{share}%）",
        "en": "{right} of {answered} got it right ({share}%)",
    },
    "quiz.channel.final_title": {"ja": "チャンネルクイズ終了", "en": "Channel quiz over"},
    "quiz.channel.final": {
        "ja": "{count}人が参加しました。ありがとうございました！「ランキング」で順位を見られます。",
        "en": "{count} people took part. Thank you! Type \"leaderboard\" to see the rankings.",
    },
    "quiz.channel.final.one": {
        "ja": "{count}人が参加しました。ありがとうございました！「ランキング」で順位を見られます。",
        "en": "{count} person took part. Thank you! Type \"leaderboard\" to see the rankings.",
    },
    "quiz.channel.stale": {
        "ja": "dx10の再起動により、このチャンネルのクイズは終了しました。「quiz channel」でまた始められます。",
        "en": "This channel's quiz was closed because dx10 restarted. Start a new one with \"quiz channel\".",
    },
    "quiz.board.title": {"ja": "🏆 チャンネルクイズ ランキング", "en": "🏆 Channel quiz leaderboard"},
    "quiz.board.week": {"ja": "今週", "en": "This week"},
    "quiz.board.all": {"ja": "これまで", "en": "All time"},
    "quiz.board.empty": {"ja": "まだ回答はありません。", "en": "No answers yet."},
    "quiz.board.line": {
        "ja": "{rank}. {name} — {answered}問中{right}問正解（{share}%）",
        "en": "{rank}. {name} — {right} of {answered} ({share}%)",
    },
    "quiz.board.hidden": {"ja": "（匿名の参加者）", "en": "(anonymous)"},
    "quiz.board.someone": {"ja": "参加者 …{tail}", "en": "Participant …{tail}"},
    "quiz.board.note": {
        "ja": "正答率の順です（速さは関係ありません）。お名前は希望した方だけ表示します: 「ランキング表示」で表示、「ランキング非表示」で元に戻します。",
        "en": "Ranked by accuracy (speed does not count). Names appear only for people who opt in: type \"leaderboard optin\" to show yours, \"leaderboard optout\" to hide it again.",
    },
    "quiz.board.hidden_on": {"ja": "ランキングでお名前を表示しないようにしました。", "en": "Your name is now hidden on leaderboards."},
    "quiz.board.hidden_off": {"ja": "ランキングにお名前を表示します。", "en": "Your name will be shown on leaderboards."},
    "quiz.nps.ask": {
        "ja": "dx10を同僚に薦める可能性はどのくらいありますか？ 0（まったくない）〜10（とても高い）で選んでください。",
        "en": "How likely are you to recommend dx10 to a colleague? Pick 0 (not at all) to 10 (extremely likely).",
    },
    "quiz.nps.thanks": {
        "ja": "ご回答ありがとうございます（{score}点）。よろしければ「コメント: 〜」で理由も教えてください。",
        "en": "Thank you ({score}). If you like, tell us why with \"comment: …\".",
    },
    "quiz.nps.comment_thanks": {"ja": "コメントありがとうございます。改善に役立てます。", "en": "Thanks for the comment: it helps us improve."},
    "quiz.nps.no_score": {
        "ja": "コメントは、満足度の質問に点数で答えたあとに送ってください。",
        "en": "Send a comment after answering the recommendation question with a score.",
    },
    "feedback.thanks": {
        "ja": "フィードバックありがとうございます。回答の改善に役立てます。",
        "en": "Thanks for the feedback: it helps us improve the answers.",
    },
    # -- dashboard (adapters/dashboard): the admin pages ---------------------------------------
    "dashboard.title": {"ja": "dx10 管理ダッシュボード", "en": "dx10 admin dashboard"},
    "dashboard.skip": {"ja": "本文へ移動", "en": "Skip to content"},
    "dashboard.login.title": {"ja": "dx10 管理ダッシュボードにログイン", "en": "Log in to the dx10 admin dashboard"},
    "dashboard.login.token": {"ja": "アクセストークン", "en": "Access token"},
    "dashboard.login.hint": {
        "ja": "サーバーの DX10_DASHBOARD_TOKEN に設定した値を入力してください。",
        "en": "Enter the value set as DX10_DASHBOARD_TOKEN on the server.",
    },
    "dashboard.login.submit": {"ja": "ログイン", "en": "Log in"},
    "dashboard.login.required": {"ja": "ログインしてください。", "en": "Please log in."},
    "dashboard.login.wrong": {"ja": "トークンが違います。", "en": "That token is not right."},
    "dashboard.login.limited": {
        "ja": "トークンが違います。誤ったトークンが続いたため、この接続元からの誤ったトークンは{minutes}分間受け付けません"
              "（正しいトークンならいつでもログインできます）。",
        "en": "That token is not right. After several wrong tokens, wrong tokens from here are refused for "
              "{minutes} minute(s) (the right token always logs in).",
    },
    "dashboard.login.limited.seconds": {
        "ja": "トークンが違います。誤ったトークンが続いたため、この接続元からの誤ったトークンは{seconds}秒間受け付けません"
              "（正しいトークンならいつでもログインできます）。",
        "en": "That token is not right. After several wrong tokens, wrong tokens from here are refused for "
              "{seconds} seconds (the right token always logs in).",
    },
    "dashboard.login.expired": {
        "ja": "フォームの有効期限が切れました。もう一度ログインしてください。",
        "en": "The form expired. Please log in again.",
    },
    "dashboard.logout": {"ja": "ログアウト", "en": "Log out"},
    "dashboard.logged_out": {"ja": "ログアウトしました。", "en": "You are logged out."},
    "dashboard.csrf": {
        "ja": "フォームの確認に失敗しました。ページを開き直してから操作してください。",
        "en": "The form could not be verified. Reload the page and try again.",
    },
    "dashboard.lang_switch": {"ja": "English", "en": "日本語"},
    "dashboard.lang_switch_label": {"ja": "Switch to English", "en": "日本語に切り替え"},
    "dashboard.period": {"ja": "期間", "en": "Period"},
    "dashboard.period.from": {"ja": "開始日", "en": "From"},
    "dashboard.period.to": {"ja": "終了日", "en": "To"},
    "dashboard.period.show": {"ja": "表示", "en": "Show"},
    "dashboard.period.shown": {"ja": "{start} 〜 {end}（UTC）", "en": "{start} to {end} (UTC)"},
    "dashboard.period.error": {
        "ja": "期間を読み取れません。日付は YYYY-MM-DD 形式で、開始日を終了日以前にしてください（直近30日を表示しています）。",
        "en": "That period cannot be used: write dates as YYYY-MM-DD, the start no later than the end (showing the last 30 days).",
    },
    "dashboard.summary": {"ja": "概要", "en": "Summary"},
    "dashboard.questions": {"ja": "質問数", "en": "Questions"},
    "dashboard.answered": {"ja": "回答できた", "en": "Answered"},
    "dashboard.unanswered": {"ja": "回答できなかった", "en": "Unanswered"},
    "dashboard.answered_share": {"ja": "回答率", "en": "Answered share"},
    "dashboard.nps": {"ja": "NPS", "en": "NPS"},
    "dashboard.no_data": {"ja": "データなし", "en": "No data"},
    "dashboard.not_available": {
        "ja": "この機能はまだ有効ではありません（データなし）。",
        "en": "This feature is not active yet (no data).",
    },
    "dashboard.per_day": {"ja": "日別の質問数", "en": "Questions per day"},
    "dashboard.per_day.desc": {
        "ja": "{start}〜{end}の{days}日間で質問{questions}件、うち回答{answered}件。最多は{peak_day}の{peak}件。",
        "en": "{questions} questions over {days} days from {start} to {end}, {answered} answered. Busiest day: {peak_day} with {peak}.",
    },
    "dashboard.table_view": {"ja": "表で見る", "en": "Show as a table"},
    "dashboard.date": {"ja": "日付", "en": "Date"},
    "dashboard.count": {"ja": "件数", "en": "Count"},
    "dashboard.item": {"ja": "項目", "en": "Item"},
    "dashboard.principles": {"ja": "よく聞かれる条", "en": "Top principles"},
    "dashboard.facets": {"ja": "よく聞かれる項目", "en": "Top facets"},
    "dashboard.bars.desc": {"ja": "{items}", "en": "{items}"},
    "dashboard.principle": {"ja": "条", "en": "Principle"},
    "dashboard.facet": {"ja": "項目", "en": "Facet"},
    "dashboard.facet.none": {"ja": "（項目なし）", "en": "(no facet)"},
    "dashboard.feedback": {"ja": "項目別の評価（👍/👎）", "en": "Feedback per facet (👍/👎)"},
    "dashboard.helpful": {"ja": "👍 役に立った", "en": "👍 Helpful"},
    "dashboard.not_helpful": {"ja": "👎 いまひとつ", "en": "👎 Not helpful"},
    "dashboard.worklist": {"ja": "回答できなかった質問・確信度の低い質問", "en": "Unanswered and low-confidence questions"},
    "dashboard.worklist.note": {
        "ja": "ナレッジベース改善のための作業リストです（新しい順、最大{limit}件。質問文は{days}日後に削除されます）。",
        "en": "The work list for improving the knowledge base (newest first, at most {limit}; texts are deleted after {days} days).",
    },
    "dashboard.time": {"ja": "日時（UTC）", "en": "Time (UTC)"},
    "dashboard.text": {"ja": "質問", "en": "Question"},
    "dashboard.intent": {"ja": "意図", "en": "Intent"},
    "dashboard.intent.principle": {"ja": "条の質問", "en": "About a principle"},
    "dashboard.intent.list": {"ja": "一覧", "en": "List of all"},
    "dashboard.intent.glossary": {"ja": "用語", "en": "Term"},
    "dashboard.intent.quiz": {"ja": "クイズ", "en": "Quiz"},
    "dashboard.intent.progress": {"ja": "進捗", "en": "Progress"},
    "dashboard.intent.subscribe": {"ja": "配信の登録", "en": "Subscribe"},
    "dashboard.intent.unsubscribe": {"ja": "配信の停止", "en": "Unsubscribe"},
    "dashboard.intent.help": {"ja": "使い方", "en": "Help"},
    "dashboard.intent.smalltalk": {"ja": "あいさつ等", "en": "Small talk"},
    "dashboard.intent.out_of_scope": {"ja": "対象外", "en": "Out of scope"},
    "dashboard.intent.department": {"ja": "部署別の取組", "en": "By department"},
    "dashboard.intent.tips": {"ja": "配信の設定・状況", "en": "Tips settings"},
    "dashboard.intent.first_step": {"ja": "はじめの第一歩の報告", "en": "First step reported"},
    "dashboard.intent.nps_comment": {"ja": "NPSへのコメント", "en": "NPS comment"},
    "dashboard.intent.lang": {"ja": "言語の設定", "en": "Language setting"},
    "dashboard.intent.command": {"ja": "その他のコマンド", "en": "Other command"},
    "dashboard.confidence": {"ja": "確信度", "en": "Confidence"},
    "dashboard.status": {"ja": "状態", "en": "Status"},
    "dashboard.low_confidence": {"ja": "確信度低", "en": "Low confidence"},
    "dashboard.quiz": {"ja": "条別のクイズ参加と正答率", "en": "Quiz participation and accuracy per principle"},
    "dashboard.participants": {"ja": "参加者", "en": "Participants"},
    "dashboard.quiz_answers": {"ja": "回答数", "en": "Answers"},
    "dashboard.accuracy": {"ja": "正答率", "en": "Accuracy"},
    "dashboard.commitments": {"ja": "条別のはじめの第一歩の宣言と達成", "en": "First-step commitments and completions per principle"},
    "dashboard.made": {"ja": "宣言", "en": "Committed"},
    "dashboard.done": {"ja": "達成", "en": "Done"},
    "dashboard.not_yet": {"ja": "まだ", "en": "Not yet"},
    "dashboard.nps.title": {"ja": "NPS（おすすめ度）", "en": "NPS (would recommend)"},
    "dashboard.nps.responses": {"ja": "回答数", "en": "Responses"},
    "dashboard.nps.promoters": {"ja": "推奨者（9〜10）", "en": "Promoters (9–10)"},
    "dashboard.nps.passives": {"ja": "中立者（7〜8）", "en": "Passives (7–8)"},
    "dashboard.nps.detractors": {"ja": "批判者（0〜6）", "en": "Detractors (0–6)"},
    "dashboard.comments": {"ja": "NPSへのコメント", "en": "NPS comments"},
    "dashboard.comments.note": {
        "ja": "NPSの点数に添えられたコメントです（新しい順、最大{limit}件。書いた人は表示しません。コメントは{days}日後に削除されます）。",
        "en": "Comments added to an NPS score (newest first, at most {limit}; who wrote them is not shown; "
              "comments are deleted after {days} days).",
    },
    "dashboard.score": {"ja": "点数", "en": "Score"},
    "dashboard.comment": {"ja": "コメント", "en": "Comment"},
    "dashboard.nudges": {"ja": "ナッジ（定期配信）", "en": "Nudges (scheduled tips)"},
    "dashboard.subscriptions": {"ja": "有効な購読", "en": "Active subscriptions"},
    "dashboard.sub.user": {"ja": "個人", "en": "People"},
    "dashboard.sub.channel": {"ja": "チャネル", "en": "Channels"},
    "dashboard.deliveries": {"ja": "配信（期間内）", "en": "Deliveries in the period"},
    "dashboard.sent": {"ja": "送信済み", "en": "Sent"},
    "dashboard.skipped": {"ja": "スキップ", "en": "Skipped"},
    "dashboard.failed": {"ja": "失敗", "en": "Failed"},
    "dashboard.failed_reason": {"ja": "失敗の理由: {reason}", "en": "Failed because: {reason}"},
    "dashboard.export": {"ja": "JSONで取得（/api/stats.json）", "en": "Get as JSON (/api/stats.json)"},
    "dashboard.not_found": {"ja": "ページが見つかりません。", "en": "Page not found."},
}


def t(key: str, lang: str, **values: object) -> str:
    text = MESSAGES[key]["en" if lang == "en" else "ja"]
    return text.format(**values) if values else text


def tn(key: str, lang: str, count: int, **values: object) -> str:
    """`t` for a sentence about `count` things: English says "1 day" (the key's ".one" twin),
    Japanese has one form."""
    if lang == "en" and count == 1 and f"{key}.one" in MESSAGES:
        key = f"{key}.one"
    return t(key, lang, count=count, **values)
