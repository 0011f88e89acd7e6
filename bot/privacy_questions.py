"""Questions about what dx10 keeps of the asker, answered by the core with one privacy answer.

The quiz feature asks too, so "delete my quiz data" never starts (or explains) a quiz.
"""

from __future__ import annotations

import re
import unicodedata

# Questions about dx10's own records of the asker: 「この会話って記録されてる？」, "can my boss see this?".
# Each form names dx10, this conversation or the asker's own questions/data: 「見える化」, "privacy
# in principle 5" or 「住民とのやりとりを記録するには」 are questions about the principles.
_PRIVACY = re.compile(
    r"(?:この会話|このチャット|ここでの(?:質問|会話|やりとり|やり取り)|(?:dx10|このボット|ボット)(?:に|へ|と)の?(?:質問|会話|やりとり|やり取り)"
    r"|(?:私|自分|わたし)の(?:質問|会話|やりとり|やり取り))(?:って|は|も|が|内容)?.{0,6}?(?:記録|保存|ログ|残る|残ります|見られ)"
    r"|^(?:これ|この質問|質問(?:内容)?|会話)?(?:って|は|も)?(?:上司|管理者|他の人|ほかの人|誰か)(?:に|から)(?:見られ|ばれ|バレ|知られ)[^。]{0,8}$"
    r"|\b(?:your|dx10'?s|the bot'?s|this bot'?s)\s+privacy|\bprivacy\s+policy"
    r"|\b(?:this|our|my)\s+(?:conversations?|chats?)\s+(?:is\s+|are\s+|be\s+|being\s+)?(?:logged|recorded|stored|saved|kept)"
    r"|\b(?:my|our)\s+(?:questions|messages)\s+(?:are\s+|be\s+|being\s+)?(?:logged|recorded|stored|saved|kept)"
    r"|\bdo\s+you\s+(?:log|record|store|save|keep)\s+(?:my|our|these|the)\s+(?:questions|messages|conversations|chats)"
    r"|\b(?:boss|manager|admins?|administrators?)\s+(?:can\s+)?(?:see|read)\s+(?:my\s+(?:questions|messages|chats?)|what\s+i\s+(?:ask|write|type))"
)


_DATA_EN = r"(?:data|history|records?|answers?|progress|scores?|results?|stats|account|questions|messages)"
_DELETE_MY_DATA = re.compile(
    # "delete my data", "erase all of my quiz answers", "reset my progress", "clear the quiz history"
    r"\b(?:delete|erase|remove|wipe|clear|reset|forget|purge)\s+(?:(?:all|everything)\s+(?:of\s+)?)?"
    rf"(?:my\s+(?:quiz\s+|dx10\s+)?|(?:the\s+|my\s+)?quiz\s+){_DATA_EN}\b"
    r"|\b(?:delete|erase|remove|wipe|forget|purge)\s+(?:everything|all|what)\s+(?:you\s+(?:have|know|keep)\s+)?about\s+me\b"
    r"|^forget\s+me\b"
    # "can my data be deleted?"
    rf"|\bmy\s+(?:quiz\s+|dx10\s+)?{_DATA_EN}\s+(?:(?:be|get|is|are|been)\s+)?(?:deleted|erased|removed|wiped|cleared)\b"
    # 「私のデータを消して」「クイズの記録を消したい」「自分の成績をリセット」: whose, what, then the verb
    r"|(?:(?:私|わたし|自分|僕|ぼく)の(?:クイズの?)?|クイズの?)(?:データ|履歴|記録|成績|回答|進捗|答え){1,2}"
    r"(?:を|は|も)?(?:全部|すべて|全て|ぜんぶ)?(?:を)?(?:削除|消し|消す|消去|消えて|消せ|リセット|忘れ)"
)


def asks_to_delete_own_data(text: str) -> bool:
    return _DELETE_MY_DATA.search(unicodedata.normalize("NFKC", text).lower()) is not None


def asks_about_privacy(q_plain: str) -> bool:
    """「この会話って記録されてる？」「私のデータを消して」 "can my boss see what I ask?"."""
    return _PRIVACY.search(q_plain) is not None or asks_to_delete_own_data(q_plain)
