"""Flood: one chat sends 1,000 messages in a burst; another chat's replies are not held up beyond a bound.

The bound. Telegram hands out updates in the order they were sent, so a message sent after the burst waits
until the bot has read the 1,000 before it. With the flood guard on (the default: 8 messages in 10 s), the
flooder's 9th message gets one notice and the rest are read and dropped without touching the engine, at about
0.2 ms each, fetched 100 at a time 10 ms apart: the other chat's reply came 0.25-0.28 s after its message
(0.14-0.16 s mid-burst) on two cores, with the bot and the stand-in in one process. The test asserts
FLOOD_BOUND, with room for a slow CI machine.
The flooder's own replies go out one after another in its own queue; no other chat waits for them.
"""

from __future__ import annotations

import time

from telegram_harness import Conversation, running_bot, settled

from bot.engine import Engine

FLOOD_BOUND = 2.0  # seconds from the other chat's message to its reply, with 1,000 messages ahead of it
FLOODER, OTHERS = 71, (72, 73, 74)


def reply_delay(api, update_id: int, chat: int, index: int) -> float:
    """Seconds from an update's injection to the arrival of the `index`-th reply in its chat."""
    replies = [c for c in api.calls_to("sendMessage") if c.status == 200 and int(c.params["chat_id"]) == chat]
    return replies[index].at - api.injected_at[update_id]


async def test_a_chat_flooding_1000_messages_does_not_hold_up_another_chat(engine: Engine) -> None:
    async with running_bot(engine) as (api, app):  # the default flood guard: 8 messages in 10 s, then quiet
        for chat in OTHERS:  # warm: each chat has talked before
            api.text(chat, "hello")
        await api.wait_for(lambda: all(len(api.sent(chat)) == 1 for chat in OTHERS), 5, "the first replies")
        talk = Conversation(engine)
        started = time.perf_counter()
        for n in range(1000):
            api.text(FLOODER, f"lads dealing by the garages again, message {n}")
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
        # The flooder: 8 answers, one notice, then quiet; every other chat answered exactly once.
        flooded = api.texts(FLOODER)
        assert len(flooded) == 9 and flooded[-1] == engine.reply_by_id("flood_notice").text
        assert len(api.sent(OTHERS[2])) == 2
        assert time.perf_counter() - started < 15
        assert app.running and app.updater.running
