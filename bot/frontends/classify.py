"""One message per line in, one JSON object per line out; each line is a fresh conversation."""

from __future__ import annotations

import json
from typing import TextIO

from bot.engine import Engine
from bot.model import Reply


def as_record(text: str, reply: Reply) -> dict[str, object]:
    """The classify contract: text, intent, route, area, reply, buttons (and `explain` when asked for)."""
    record: dict[str, object] = {
        "text": text,
        "intent": reply.intent,
        "route": str(reply.route),
        "area": reply.area,
        "reply": reply.text,
        "buttons": [button.as_dict() for button in reply.buttons],
    }
    if reply.why is not None:
        record["explain"] = reply.why
    return record


def run(engine: Engine, stdin: TextIO, stdout: TextIO, *, explain: bool = False) -> int:
    """Each line a fresh conversation; `explain` adds what decided each route (it goes to stdout, never a log)."""
    for line in stdin:
        text = line.rstrip("\r\n")
        reply = engine.handle(engine.new_state(), text, explain=explain)
        stdout.write(json.dumps(as_record(text, reply), ensure_ascii=False) + "\n")
    stdout.flush()
    return 0
