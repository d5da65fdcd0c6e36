"""Flood: one chat sends 1,000 messages in a burst; another chat's replies are not held up beyond a bound,
and none of the flooder's messages is dropped.

The bound. Telegram hands out updates in the order they were sent, so a message sent after the burst waits
until the bot has read the 1,000 before it. With the flood guard on (the default: 8 messages in 10 s), the
flooder's messages past the 8th are read together: whatever is waiting when its previous answer has gone
out becomes one reading (at most 4,096 characters) and one answer, so the engine runs ~35 times, not 1,000.
Updates are fetched 30 at a time, as fast as they are answered. The test asserts FLOOD_BOUND, with room for
a slow CI machine. The flooder's own replies go out one after another in its own line; no other chat waits.
"""

from __future__ import annotations

import logging
import time

import pytest
from telegram_harness import Conversation, covered_in, running_bot, settled

from bot.engine import Engine

FLOOD_BOUND = 2.0  # seconds from the other chat's message to its reply, with 1,000 messages ahead of it
FLOODER, OTHERS = 71, (72, 73, 74)


def reply_delay(api, update_id: int, chat: int, index: int) -> float:
    """Seconds from an update's injection to the arrival of the `index`-th reply in its chat."""
    replies = [c for c in api.calls_to("sendMessage") if c.status == 200 and int(c.params["chat_id"]) == chat]
    return replies[index].at - api.injected_at[update_id]


async def test_a_chat_flooding_1000_messages_does_not_hold_up_another_chat(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    async with running_bot(engine) as (api, app):  # the default flood guard: 8 messages in 10 s
        for chat in OTHERS:  # warm: each chat has talked before
            api.text(chat, "hello")
        await api.wait_for(lambda: all(len(api.sent(chat)) == 1 for chat in OTHERS), 5, "the first replies")
        talk = Conversation(engine)
        started = time.perf_counter()
        flood = []
        for n in range(1000):
            flood.append(api.text(FLOODER, f"lads dealing by the garages again, message {n}"))
            if n == 500:
                middle = api.text(OTHERS[0], "/numbers")  # sent mid-burst
        last = api.text(OTHERS[1], "/numbers")  # sent after the whole burst
        talk.send(api, [OTHERS[2]], 1)
        await api.wait_for(lambda: len(api.sent(OTHERS[1])) == 2, FLOOD_BOUND * 3, "the reply after the burst")
        await settled(api, app, timeout=10)
        delays = {
            "mid-burst": reply_delay(api, middle, OTHERS[0], 1),
            "after the burst": reply_delay(api, last, OTHERS[1], 1),
        }
        assert all(delay < FLOOD_BOUND for delay in delays.values()), delays
        assert api.texts(OTHERS[0])[1] == api.texts(OTHERS[1])[1] == engine.reply_by_id("which_number").text
        # The flooder: every message covered by an answer, far fewer answers than messages, one notice after
        # an answer; every other chat answered exactly once.
        await api.wait_for(lambda: set(flood) <= covered_in(caplog.records), 10, "every flood message answered")
        await settled(api, app, timeout=10)
        flooded = api.texts(FLOODER)
        notice = engine.reply_by_id("typing_fast").text
        assert flooded.count(notice) == 1 and flooded[0] != notice
        assert len(flooded) < 100, len(flooded)
        assert len(api.sent(OTHERS[2])) == 2
        assert time.perf_counter() - started < 15
        assert app.running and app.updater.running
