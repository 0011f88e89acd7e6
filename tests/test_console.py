"""`dx10 chat` through a pipe, as `printf … | dx10 chat` would run it, and at a terminal (`make run`)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from pathlib import Path

import sqlite_utils

from conftest import DX10, run_dx10


def chat(tmp_path: Path, data: bytes | str) -> tuple[str, str, Path]:
    db = tmp_path / "chat.db"
    result = run_dx10("chat", input=data, env={"DX10_DB": str(db)})
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8"), result.stderr.decode("utf-8"), db


def test_pipe_answers_first_step_with_source(tmp_path: Path, kb) -> None:
    out, err, db = chat(tmp_path, "第3条のはじめの第一歩は？\n")
    assert kb.principle(3).first_step.ja in out
    assert "出典: デジタル10か条の当面の重点的な取組 #3" in out
    assert "[1]" in out  # next-step buttons as numbered choices
    assert err == ""
    rows = list(sqlite_utils.Database(db)["interactions"].rows)
    assert [(r["intent"], r["principle"], r["facet"], r["answered"]) for r in rows] == [("principle", 3, "first_step", 1)]


def test_english_question_gets_english_answer_marked_as_translation(tmp_path: Path, kb) -> None:
    out, _, _ = chat(tmp_path, "KPIs for principle 5\n")
    assert kb.principle(5).kpi.examples[0].en in out
    assert "translation" in out
    assert kb.principle(5).kpi.examples[0].ja not in out


def test_numbered_choice_presses_a_button(tmp_path: Path, kb) -> None:
    out, _, _ = chat(tmp_path, "What is principle 1?\n1\n")
    # Button 1 after an overview is the first step.
    assert kb.principle(1).first_step.en in out.split("[4]", 1)[1]


def test_language_can_be_fixed(tmp_path: Path, kb) -> None:
    out, _, _ = chat(tmp_path, "lang en\n第2条のはじめの第一歩は？\nlang auto\n第2条のはじめの第一歩は？\n")
    assert "I'll answer in English" in out
    assert kb.principle(2).first_step.en in out
    assert kb.principle(2).first_step.ja in out


def test_bad_input_gets_clear_messages_never_a_traceback(tmp_path: Path) -> None:
    huge = "あ" * 40_000  # 120 KB in UTF-8
    data = b"\n" + huge.encode() + b"\n" + b"\x01\x02\x07\n" + "🙂🙂\n".encode() + b"\xff\xfe bad\n" + "第1条\n".encode()
    out, err, _ = chat(tmp_path, data)
    assert "メッセージが空でした" in out
    assert "長すぎます" in out
    assert out.count("文字として読み取れる内容がありませんでした") == 2  # control chars, emoji only
    assert "UTF-8" in out
    assert "顧客視点でデザインしよう" in out  # and the session goes on afterwards
    assert "Traceback" not in out + err


def test_out_of_scope_is_honest(tmp_path: Path) -> None:
    out, _, _ = chat(tmp_path, "今日の天気は？\n")
    assert "お答えできません" in out


class Terminal:
    """`dx10 chat` on a pseudo-terminal, as `make run` has it: stdin is a TTY, so dx10 greets and prompts."""

    def __init__(self, db: Path) -> None:
        self.controller, terminal = pty.openpty()
        self.proc = subprocess.Popen([str(DX10), "chat"], stdin=terminal, stdout=terminal, stderr=terminal,
                                     env={**os.environ, "DX10_DB": str(db)})
        os.close(terminal)
        self.seen = b""

    def read_until(self, marker: bytes) -> None:
        deadline = time.monotonic() + 30
        while marker not in self.seen and time.monotonic() < deadline:
            if select.select([self.controller], [], [], 0.5)[0]:
                try:
                    self.seen += os.read(self.controller, 65536)
                except OSError:  # the child closed the terminal
                    return

    def say(self, line: str) -> None:
        os.write(self.controller, f"{line}\n".encode())

    def close(self) -> str:
        if self.proc.poll() is None:
            self.proc.kill()
        os.close(self.controller)
        return self.seen.decode("utf-8", "replace")


def test_at_a_terminal_it_greets_with_help_whose_buttons_answer_by_number(tmp_path: Path) -> None:
    tty = Terminal(tmp_path / "tty.db")
    try:
        tty.read_until(b"dx10> ")
        tty.say("1")  # the greeting's first button: the ten principles
        tty.read_until("ともに学びつづけよう".encode())
        tty.say("exit")
        assert tty.proc.wait(timeout=30) == 0
        tty.read_until(b"\0")  # whatever is left
    finally:
        out = tty.close()
    assert "Traceback" not in out, out
    assert "dx10の使い方" in out and "[1] 10か条の一覧" in out  # Japanese until the person chooses
    assert "#10 ともに学びつづけよう" in out


def test_a_quiz_is_answered_by_letter_and_resumed_after_a_side_question(tmp_path: Path) -> None:
    out, _, _ = chat(tmp_path, "クイズ\nb\n第1条の概要\n続き\nC\n")
    # the question's title line after the answer "b", and again on 「続き」 after the side question
    assert out.splitlines().count("クイズ 2/5") == 2
    assert "クイズ 3/5" in out and out.count("正解: ") == 2  # "b" and "C" were both taken as answers


def test_a_ward_office_session_with_tips_in_everyday_words(tmp_path: Path) -> None:
    # QA report, section 4: each of these got "I can't help with that" or a wrong reply.
    said = ["今日のヒント見せて", "毎朝ヒントほしい", "豆知識を毎日ください", "やっぱ週1でいい", "8時半にかえて", "配信の時間変えたい",
            "来週まで止めて", "いま何が登録されてる？", "配信設定を確認", "深夜2時に送って", "毎朝25時に送って", "土曜日に送って",
            "通知とめて", "配信停止"]
    out, err, db = chat(tmp_path, "".join(f"{line}\n" for line in said))
    assert "お答えできません" not in out and err == ""
    for expected in ("今日のヒント: ", "毎朝受け取るには", "登録しました: 平日の毎日 09:00", "すでに平日の毎日 09:00（日本時間）で配信しています",
                     "変更しました: 毎週月曜日 09:00", "変更しました: 毎週月曜日 08:30", "何時（何曜日）に変更しますか？",
                     "「来週まで」は来週いっぱい", "ヒントの配信: 毎週月曜日 08:30（日本時間）", "02:00には配信できません",
                     "25:00という時刻はありません", "06:00〜22:00（日本時間）", "一度も届きません", "停止しました",
                     "すでに停止しています"):
        assert expected in out, expected
    [sub] = sqlite_utils.Database(db)["nudge_subscriptions"].rows
    assert (sub["schedule"], sub["active"]) == ("weekly mon 08:30", 0)


def test_numbers_answer_an_open_quiz_question_after_a_side_reply_with_buttons(tmp_path: Path) -> None:
    # QA: 「2」 after a side question pressed the side reply's second button, and the quiz question
    # was silently left behind. Its numbers stay its choices; the side reply's come after them.
    out, _, db = chat(tmp_path, "クイズ\nb\nNPSとは\n2\n")
    side = out.split("用語: NPS", 1)[1]
    question = out.split("クイズ 2/5\n", 1)[1].split("用語: NPS", 1)[0]
    choices = question.count("\n  [")  # 3 or 4
    assert f"[{choices + 1}] #1 顧客視点でデザインしよう" in side and "[1] #1" not in side
    assert f"（クイズ 2/5 の途中です。1〜{choices} または A〜{'ABCD'[choices - 1]} で答えられます。" in side
    assert "クイズ 3/5" in side and out.count("正解: ") == 2  # "b" and "2" both answered
    assert sqlite_utils.Database(db)["quiz_answers"].count == 2


def test_a_side_replys_numbers_are_its_own_again_once_the_quiz_is_over(tmp_path: Path, kb) -> None:
    out, _, db = chat(tmp_path, "クイズ\nやめる\nNPSとは\n1\n")
    assert "[1] #1 顧客視点でデザインしよう" in out and "途中です" not in out
    assert "#1 顧客視点でデザインしよう — 概要" in out  # [1] pressed the side reply's button
    assert sqlite_utils.Database(db)["quiz_answers"].count == 0


def test_at_a_terminal_shuryo_ends_an_open_quiz_and_then_the_console(tmp_path: Path) -> None:
    # 「終了」 leaves the console, but during a quiz it is what QA typed to stop the quiz.
    tty = Terminal(tmp_path / "tty.db")
    try:
        tty.read_until(b"dx10> ")
        tty.say("クイズ")
        tty.read_until("クイズ 1/5".encode())
        tty.say("終了")
        tty.read_until("クイズを終了しました".encode())
        tty.say("終了")
        assert tty.proc.wait(timeout=30) == 0
    finally:
        out = tty.close()
    assert "クイズを終了しました" in out


def test_oyasumi_is_a_goodbye_and_streaming_talk_leaves_the_tips_alone(tmp_path: Path) -> None:
    out, err, _ = chat(tmp_path, "毎朝9時にヒントを送って\nオンライン配信を明日は休止します\nおやすみ\n配信状況\n")
    assert "Traceback" not in err
    assert "配信をお休みします" not in out and "おつかれさまでした！またいつでもどうぞ。" in out
    # The status at the end: the schedule, and no hold (a hold adds 「一時停止中」 or 「お休みの予定」).
    assert "ヒントの配信: 平日の毎日 09:00（日本時間）\n次回: " in out
    assert "一時停止中" not in out and "お休みの予定" not in out
