"""Console adapter: a prompt for people, line-by-line answers for pipes."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from bot import answers
from bot.catalog import t
from bot.core import Assistant
from bot.events import Button, Incoming, Reply
from bot.matcher import Match

PLATFORM = "console"
MAX_LINE_BYTES = 100_000 + 1  # read a little past the core's limit so it can say "too long"


def render(reply: Reply, numbered_from: int = 1) -> str:
    """Plain text with buttons as numbered choices the user can type."""
    lines = [reply.fallback.replace("*", "")]
    for i, button in enumerate(reply.buttons, numbered_from):
        lines.append(f"  [{i}] {button.label}")
    return "\n".join(lines)


class ConsoleChat:
    def __init__(self, assistant: Assistant, user: str = "console-user") -> None:
        self.assistant = assistant
        self.user = user
        self.choices: list[Button] = []

    def _incoming(self, line: str) -> Incoming:
        stripped = line.strip()
        if stripped.isdigit() and 1 <= int(stripped) <= len(self.choices):
            return Incoming(PLATFORM, self.user, self.user, value=self.choices[int(stripped) - 1].value)
        # A button's own label works too: "B" or 「ｂ」 for a quiz answer, whatever number it got.
        typed = unicodedata.normalize("NFKC", stripped).casefold()
        same = [b for b in self.choices if unicodedata.normalize("NFKC", b.label).casefold() == typed]
        if len(same) == 1:
            return Incoming(PLATFORM, self.user, self.user, value=same[0].value)
        return Incoming(PLATFORM, self.user, self.user, text=line)

    async def turn(self, line: str) -> str:
        return await self.show(self._incoming(line))

    async def welcome(self) -> str:
        """The help, in the person's language (Japanese until they choose), with its buttons."""
        return await self.show(Incoming(PLATFORM, self.user, self.user, value=answers.encode(Match("help"))))

    async def show(self, incoming: Incoming) -> str:
        replies = await self.assistant.handle(incoming)
        buttons = [b for r in replies for b in r.buttons]
        # *Decision:* while a quiz question is open, its numbers stay its choices. QA answered "2"
        # after a side question whose reply had buttons [1]–[3], and pressed one of those instead:
        # the quiz question had told them to type 1–4, and letters kept working, so numbers must
        # too. A side reply's buttons are numbered after the question's choices, with a line
        # that says so; with no question open, or with it among these replies, nothing changes.
        open_question = self.assistant.awaiting(Incoming(PLATFORM, self.user, self.user))
        kept: list[Button] = []
        if open_question is not None and not {b.value for b in open_question.buttons} & {b.value for b in buttons}:
            kept = list(open_question.buttons)
        self.choices = kept + buttons
        out, n = [], len(kept) + 1
        for reply in replies:
            out.append(render(reply, n))
            n += len(reply.buttons)
        if kept and buttons and open_question is not None:  # only when the numbers moved
            out.append(t("console.quiz_open", open_question.lang, title=open_question.title or "", last=len(kept),
                         letter="ABCD"[len(kept) - 1]))
        return "\n\n".join(out)

    def question_open(self) -> bool:
        return self.assistant.awaiting(Incoming(PLATFORM, self.user, self.user)) is not None


def read_lines(stream: BinaryIO) -> Iterator[bytes]:
    while True:
        line = stream.readline(MAX_LINE_BYTES)
        if not line:
            return
        if len(line) == MAX_LINE_BYTES and not line.endswith(b"\n"):
            # Skip the rest of an over-long line, keeping its start so the core can say it is too long.
            while (more := stream.readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
                pass
            # The cut may split a character: keep only whole ones.
            line = line.decode("utf-8", "ignore").encode("utf-8")
        yield line.rstrip(b"\r\n")


async def run(assistant: Assistant, stdin: BinaryIO, stdout: TextIO, interactive: bool) -> int:
    chat = ConsoleChat(assistant)
    lines = read_lines(stdin)
    if interactive:
        stdout.write(t("help.title", "ja") + " / " + t("help.title", "en") + " — Ctrl-D / exit\n")
        stdout.write(await chat.welcome() + "\n")
    while True:
        if interactive:
            stdout.write("\ndx10> ")
            stdout.flush()
        raw = next(lines, None)
        if raw is None:
            break
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            stdout.write(render(_encoding_error()) + "\n")
            continue
        # 「終了」 during a quiz ends the quiz (as in a pipe or a chat), not the console.
        if interactive and (line.strip().lower() in ("exit", "quit") or (line.strip() == "終了" and not chat.question_open())):
            break
        stdout.write(await chat.turn(line) + "\n")
        stdout.flush()
    return 0


def _encoding_error() -> Reply:
    text = f"{t('error.encoding', 'ja')}\n{t('error.encoding', 'en')}"
    return Reply(fallback=text, lang="ja", sections=(text,))


def main_loop(assistant: Assistant) -> int:
    import asyncio

    return asyncio.run(run(assistant, sys.stdin.buffer, sys.stdout, sys.stdin.isatty()))
