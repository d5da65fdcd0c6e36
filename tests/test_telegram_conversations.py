"""The scripted conversations (tests/conversations/*.yaml) through Telegram: the real bot against the Bot API
stand-in, one chat per conversation, checking what the Telegram path can see.

The text and buttons come from the messages the bot sent; intent and route from the bot's log line for that
update ("update N text: intent=... route=..."). The area is not logged (it says where someone is), so `area:`
expectations are left to tests/test_conversations.py. Telegram cannot send an empty or blank message, so such
turns are skipped here (they change no conversation state).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio
from botapi_standin import BotApiStandIn
from conversation_cases import Case, describe, load_cases, mismatches
from telegram_harness import ANSWER_LOGGER, answer_record, as_reply, running_bot

from bot.engine import Engine

CASES = load_cases(Path(__file__).resolve().parent / "conversations")
CHATS = itertools.count(5000)
pytestmark = pytest.mark.asyncio(loop_scope="module")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def telegram(engine: Engine) -> AsyncIterator[tuple[BotApiStandIn, _Records]]:
    """One bot for the module; each conversation gets its own chat, so its own fresh state."""
    logger = logging.getLogger(ANSWER_LOGGER)
    handler, level = _Records(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        # Scripts are typed faster than any person: the flood guard is off for them.
        async with running_bot(engine, flood_messages=0) as (api, _):
            yield api, handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
async def test_conversation_on_telegram(telegram: tuple[BotApiStandIn, _Records], case: Case) -> None:
    api, log = telegram
    chat = next(CHATS)
    seen = 0
    for turn in case.turns:
        if turn.location is not None:
            update = api.location(chat, *turn.location)
        elif turn.user and turn.user.strip():
            update = api.text(chat, turn.user)
        else:
            continue
        messages = await api.wait_messages(chat, seen + 1)
        await api.wait_for(lambda u=update: answer_record(log.records, u) is not None, 5, f"update {update}'s log")
        reply = as_reply(messages[seen:], answer_record(log.records, update))
        seen = len(messages)
        problems = mismatches(replace(turn, area_given=False), reply)
        assert not problems, describe(turn, reply, problems)
    assert len(api.sent(chat)) == seen, "a turn got more than one message"
