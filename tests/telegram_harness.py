"""The Telegram bot under test, started the way `python -m bot` starts it, against the Bot API stand-in.

async with running_bot(engine) as (api, app):
    api.text(1, "hello")
    [reply] = await api.wait_messages(1, 1)

Also: `settled` (everything injected has been handled and sent), `Conversation` (messages sent from many
chats, checked to be answered exactly once and in order in each chat), and `start_bot_process`/`wait_for_exit`
for `python -m bot` run as its own process (signals, deploy steps).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import subprocess
import sys
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from botapi_standin import BotApiStandIn
from telegram.ext import Application

from bot.config import Settings
from bot.engine import Engine
from bot.frontends.telegram import RetryingRateLimiter, build_application, serve
from bot.model import Button, Reply, Route

ANSWER_LOGGER = "bot.frontends.telegram"


@contextlib.asynccontextmanager
async def running_bot(
    engine: Engine,
    *,
    api: BotApiStandIn | None = None,
    limiter: RetryingRateLimiter | None = None,
    poll_timeout: float = 1.0,
    **settings: Any,
) -> AsyncIterator[tuple[BotApiStandIn, Application]]:
    """The real Application, real HTTP and long polling, stopped cleanly (and checked to stop) on exit."""
    own = api is None
    api = api or BotApiStandIn().start()
    config = replace(Settings(telegram_bot_token=api.token, telegram_base_url=api.base_url), **settings)
    app = build_application(config, engine, rate_limiter=limiter or RetryingRateLimiter(backoff=0.05))
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(serve(app, config, stop, ready=ready, poll_timeout=poll_timeout))
    try:
        waiting = asyncio.create_task(ready.wait())
        await asyncio.wait({task, waiting}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            waiting.cancel()
            task.result()  # raises what stopped it
        assert ready.is_set(), "the bot did not start within 10 s"
        yield api, app
    finally:
        stop.set()
        await asyncio.wait([task], timeout=15)
        if own:
            api.stop()
    assert task.done(), "the bot did not stop within 15 s"
    task.result()


def as_reply(messages: list[dict[str, Any]], record: logging.LogRecord | None) -> Reply:
    """What the Telegram path shows of a reply, rebuilt as a Reply: the text of its messages, the buttons under
    the last one, and the intent and route from the bot's log line for that update."""
    buttons = []
    for row in (messages[-1].get("reply_markup") or {}).get("inline_keyboard", []):
        buttons += [Button(b["text"], b.get("url")) for b in row]
    intent, route = ("?", Route.INFO) if record is None else (record.args[2], Route(record.args[3]))
    return Reply(route=route, intent=intent, text="\n".join(m["text"] for m in messages), buttons=tuple(buttons))


def answer_record(records: list[logging.LogRecord], update_id: int) -> logging.LogRecord | None:
    """The bot's "update N kind: intent=... route=..." line for an update."""
    for record in records:
        if record.name == ANSWER_LOGGER and record.msg.startswith("update %s %s:") and record.args[0] == update_id:
            return record
    return None


# Messages in people's own words, a mix of routes; a chat's replies depend on its earlier messages.
MESSAGES = [
    "theres a man wiv a knife outside the chicken shop",
    "lads dealing from the flat upstairs, cars pulling up all night",
    "what have the police done about drugs in bletchley",
    "and how much cash did they get back",
    "how do i report something without giving my name",
    "neighbours music is so loud every single night i cant sleep",
    "is 101 the right number if its not an emergency",
    "my car got broken into last night and they took my laptop",
]


ANSWERED = re.compile(r"update (\d+) [\w_]+: intent=\S+ route=\w+(?:, read with \[([\d, ]*)\])?")


def covered(lines: Iterable[str]) -> set[int]:
    """Update ids the bot's log says it answered: "update N kind: intent=... route=..." is logged once the
    reply was sent, with ", read with [a, b]" for the earlier messages of a burst that it answered together."""
    ids: set[int] = set()
    for line in lines:
        for match in ANSWERED.finditer(line):
            ids.add(int(match.group(1)))
            ids.update(int(n) for n in (match.group(2) or "").replace(",", " ").split())
    return ids


def covered_in(records: list[logging.LogRecord]) -> set[int]:
    return covered(record.getMessage() for record in records if record.name == ANSWER_LOGGER)


async def settled(api: BotApiStandIn, app: Application, timeout: float = 5.0) -> None:
    """Wait until every injected update has been fetched, handled and its replies sent."""
    last = max(api.injected_at)
    fetched = lambda: api.confirmed_offset > last or getattr(app.updater, "_last_update_id", 0) > last  # noqa: E731
    await api.wait_for(fetched, timeout, "updates fetched")
    frontend = app.bot_data["frontend"]
    idle = lambda: app.update_queue.empty() and len(frontend.lines) == 0 and len(frontend.ledger) == 0  # noqa: E731
    await api.wait_for(idle, timeout, "replies sent")
    await asyncio.sleep(0.05)


@dataclass
class Conversation:
    """Messages from many chats and what the engine answers each, in each chat's order, to check that every
    message was answered exactly once and in order: no reply lost, none repeated, none out of place."""

    engine: Engine
    sent: dict[int, list[str]] = field(default_factory=dict)  # chat -> texts, in order
    updates: dict[int, int] = field(default_factory=dict)  # update id -> chat

    def send(self, api: BotApiStandIn, chats: Iterable[int], rounds: int, *, offset: int = 0) -> None:
        """`rounds` messages from each chat, interleaved across the chats."""
        for round_ in range(rounds):
            for chat in chats:
                text = MESSAGES[(chat + round_ + offset) % len(MESSAGES)]
                self.sent.setdefault(chat, []).append(text)
                self.updates[api.text(chat, text)] = chat

    def expected(self, chat: int, *, fresh_from: int | None = None) -> list[str]:
        """The engine's replies to the chat's messages in order; a restart at update `fresh_from` forgets the
        conversation there, as a new process would."""
        updates = sorted(update for update, of in self.updates.items() if of == chat)
        state, texts, restarted = self.engine.new_state(), [], False
        for update, text in zip(updates, self.sent[chat], strict=True):
            if fresh_from is not None and update >= fresh_from and not restarted:
                state, restarted = self.engine.new_state(), True
            texts.append(self.engine.handle(state, text).text)
        return texts

    def total(self) -> int:
        return sum(map(len, self.sent.values()))

    def answered(self, api: BotApiStandIn) -> int:
        return sum(len(api.sent(chat)) for chat in self.sent)

    def check(self, api: BotApiStandIn) -> None:
        """Every chat's replies are, one for one and in order, the engine's answers to its messages."""
        for chat in self.sent:
            assert api.texts(chat) == self.expected(chat), f"chat {chat}: replies differ from one per message"


def start_bot_process(cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    """`python -m bot` as deployed, in its own process: no stdin, stdout and stderr captured as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_exit(process: subprocess.Popen[str], timeout: float) -> tuple[int, str]:
    """The exit code and stderr of a process that was told to stop; killed, and the test failed, past `timeout`."""
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
        raise AssertionError(f"the bot did not stop within {timeout:g} s:\n{err[-3000:]}") from None
    return process.returncode, err
