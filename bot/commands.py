"""The slash commands every front end understands: one table of name, reply id, route and menu description.

No Telegram here: the terminal chat answers from this table, and the Telegram front end builds its handlers and
its command menu from it, so the two cannot drift apart. /reload is not in it: it is Telegram's admin command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.model import ChatState, Reply, Route

if TYPE_CHECKING:
    from bot.engine import Engine


@dataclass(frozen=True, slots=True)
class Command:
    name: str  # without the slash: "numbers"
    reply: str  # the reply id in content/replies.yaml
    route: Route  # what the command stands for, for the logs
    description: str  # the line shown in Telegram's command menu


COMMANDS: tuple[Command, ...] = (
    Command("start", "start", Route.INFO, "What this bot does, and the 999 line"),
    Command("report", "how_to_report", Route.REPORT_ONLINE, "How to report something"),
    Command("area", "area_picker", Route.INFO, "What the police published for an area"),
    Command("numbers", "which_number", Route.INFO, "Which number to use: 999, 101 or anonymous"),
    Command("privacy", "privacy", Route.INFO, "What this bot keeps about you: nothing"),
    Command("help", "help", Route.INFO, "What I can help with"),
    # In a private Telegram chat /forget also deletes the chat's messages (the Telegram front end does that part).
    Command("forget", "forget_context", Route.INFO, "Delete this chat's messages and forget the conversation"),
)
BY_NAME: dict[str, Command] = {command.name: command for command in COMMANDS}
# Deep links (t.me/<bot>?start=PAYLOAD) open a command's answer directly; "area_<area id>" opens that area's figures.
START_ALIASES: dict[str, str] = {"which_number": "numbers"}
AREA_PAYLOAD = "area_"


def split_command(text: str) -> tuple[str, str] | None:
    """'/Area@my_bot milton keynes' -> ('area', 'milton keynes'); None when the text is not a command.

    >>> split_command("/numbers")
    ('numbers', '')
    >>> split_command("call 999") is None
    True
    """
    stripped = text.strip()
    if not stripped.startswith("/") or len(stripped) == 1:
        return None
    head, _, args = stripped[1:].partition(" ")
    return head.split("@", 1)[0].lower(), args.strip()


def answer_command(engine: Engine, state: ChatState, name: str, args: str = "") -> Reply:
    """The reply to /name args: /start PAYLOAD opens a deep link, /area PLACE answers for that place, and an
    unknown command gets the unknown_command reply."""
    if name == "start" and args:
        payload = args.split()[0].lower()
        if payload.startswith(AREA_PAYLOAD):
            reply = engine.handle_area(state, payload.removeprefix(AREA_PAYLOAD))
            if reply is not None:
                return reply
        command = BY_NAME.get(START_ALIASES.get(payload, payload))
        if command is not None:
            return engine.reply_by_id(command.reply, command.route)
    if name == "area" and args:
        return engine.handle(state, args)
    if name == "forget":
        state.forget()
    command = BY_NAME.get(name)
    if command is None:
        return engine.reply_by_id("unknown_command")
    return engine.reply_by_id(command.reply, command.route)
