"""The Telegram bot under test, started the way `python -m bot` starts it, against the Bot API stand-in.

async with running_bot(engine) as (api, app):
    api.text(1, "hello")
    [reply] = await api.wait_messages(1, 1)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
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
