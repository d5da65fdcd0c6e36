"""Terminal chat over stdin/stdout on the same engine and commands as Telegram; buttons are numbered choices."""

from __future__ import annotations

import textwrap
from typing import TextIO

from bot.commands import COMMANDS, answer_command, split_command
from bot.engine import Engine
from bot.model import Button, Reply

WELCOME = (
    "Community crime-reporting helper (terminal chat). Type a message, or a command: "
    f"{', '.join('/' + command.name for command in COMMANDS)}. 'quit' or Ctrl-D to leave."
)
PROMPT = "you> "


def render(reply: Reply) -> str:
    """The reply as a person reads it in a terminal: the text, then numbered buttons."""
    lines = [f"bot> {reply.text.splitlines()[0]}", *(f"     {line}" for line in reply.text.splitlines()[1:])]
    for number, button in enumerate(reply.buttons, 1):
        target = f" -> {button.url}" if button.url else ""
        lines.append(f"     [{number}] {button.text}{target}")
    return "\n".join(textwrap.shorten(line, 2000) if len(line) > 2000 else line for line in lines)


def choose(text: str, buttons: tuple[Button, ...]) -> str | None:
    """A typed number picks a choice button: its text becomes the message. Link buttons only show their url."""
    stripped = text.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(buttons):
        button = buttons[int(stripped) - 1]
        return None if button.url else button.text
    return text


def run(engine: Engine, stdin: TextIO, stdout: TextIO, *, interactive: bool) -> int:
    state = engine.new_state()
    buttons: tuple[Button, ...] = ()
    print(WELCOME, file=stdout)
    while True:
        if interactive:
            stdout.write(PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line or line.strip().lower() in {"quit", "exit"}:
            break
        message = choose(line.rstrip("\r\n"), buttons)
        if message is None:
            print(f"bot> Open this link: {buttons[int(line.strip()) - 1].url}", file=stdout)
            continue
        if not interactive:
            print(f"{PROMPT}{message}", file=stdout)
        command = split_command(message)
        reply = engine.handle(state, message) if command is None else answer_command(engine, state, *command)
        buttons = reply.buttons
        print(render(reply), file=stdout, flush=True)
    print(render(engine.reply_by_id("goodbye")), file=stdout)
    return 0
