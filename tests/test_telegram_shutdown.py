"""Stopping during a burst loses no update that was confirmed to Telegram, and answers none twice.

Telegram forgets an update once a later getUpdates carries an offset above it (the stand-in's
`confirmed_offset`). Every such update must have been answered when the bot exits; updates above it were not
confirmed, so Telegram hands them out again and the next start answers them. Across a stop and a restart each
message is then answered exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from botapi_standin import BotApiStandIn
from telegram_harness import Conversation, running_bot, start_bot_process, wait_for_exit

from bot.engine import Engine
from bot.frontends.telegram_requests import MAX_IN_FLIGHT

CHATS = range(101, 111)


def start_bot(api: BotApiStandIn, folder: Path) -> subprocess.Popen[str]:
    """`python -m bot` as deployed, against the stand-in; the flood guard off (20 messages a chat at once)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env |= {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url, "BOT_FLOOD_MESSAGES": "0"}
    return start_bot_process(folder, {**env, "BOT_LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"})


def stop(process: subprocess.Popen[str]) -> str:
    """Wait for a process that was sent a stop signal; its stderr. It must exit 0, without a traceback."""
    code, err = wait_for_exit(process, 30)
    assert code == 0, err[-3000:]
    assert "Traceback" not in err and "won't be automatically awaited" not in err, err[-3000:]
    assert " CRITICAL " not in err and " ERROR " not in err, err[-3000:]  # a stop mid-burst is not a failure
    return err


@pytest.mark.parametrize("signals", [(signal.SIGTERM, signal.SIGTERM), (signal.SIGINT,)], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_burst_answers_every_confirmed_update_and_a_restart_the_rest(
    engine: Engine, tmp_path: Path, signals: tuple[int, ...]
) -> None:
    """The real process and real signals. Telegram's own rate limit (30 messages a second) is on, so at the
    signal most replies are still waiting their turn: the stop has to send them all."""
    talk = Conversation(engine)
    with BotApiStandIn() as api:
        first = start_bot(api, tmp_path)
        try:
            api.wait_for_sync(lambda: api.polls > 0, 30, "the bot to start polling")
            for _ in range(8):  # a burst, arriving over a few tens of milliseconds
                talk.send(api, CHATS, 1, offset=len(talk.updates))
                time.sleep(0.002)
            begin = min(talk.updates)
            api.wait_for_sync(lambda: api.confirmed_offset > begin + 20, 10, "the burst to be under way")
            for sig in signals:  # SIGTERM twice: a supervisor repeating itself changes nothing
                first.send_signal(sig)
                time.sleep(0.05)  # two signals at once would arrive as one
            talk.send(api, CHATS, 2, offset=1)  # and the burst goes on during the stop
        finally:
            err = stop(first)
        confirmed = api.confirmed_offset
        answered = talk.answered(api)
        assert 0 < answered < talk.total(), "the stop did not come mid-burst; nothing was tested"
        for chat in CHATS:
            below = [u for u, c in talk.updates.items() if c == chat and u < confirmed]
            assert api.texts(chat) == talk.expected(chat)[: len(below)], f"chat {chat}: confirmed and answered differ"
        assert answered == sum(1 for u in talk.updates if u < confirmed)
        if len(signals) > 1:
            assert "received SIGTERM again; still stopping" in err

        second = start_bot(api, tmp_path)
        try:
            api.wait_for_sync(lambda: talk.answered(api) >= talk.total(), 30, "the rest answered after a restart")
            time.sleep(0.2)  # room for a duplicate to show up
        finally:
            second.send_signal(signal.SIGTERM)
            stop(second)
    for chat in CHATS:  # once each, in order; the restart forgot the conversations, as a new process does
        assert api.texts(chat) == talk.expected(chat, fresh_from=confirmed), f"chat {chat}"


async def test_replies_pending_at_the_stop_and_error_replies_started_during_it_are_all_sent(engine: Engine) -> None:
    """In-process: at the stop, replies are still on their way, and some fail during the stop, so that their
    error replies are only started then, after PTB has stopped tracking new tasks. All go out before the close."""
    talk = Conversation(engine)
    refused = 1  # one: the error reply must not meet a second refusal
    with BotApiStandIn() as api:
        async with running_bot(engine, api=api) as (_, app):
            # Slow, and twice as many as the calls allowed in flight: the refusal comes well after the stop began.
            api.fail_next("sendMessage", times=2 * MAX_IN_FLIGHT, delay=0.3)
            api.fail_next("sendMessage", times=refused, status=400, description="Bad Request: chat not found")
            talk.send(api, range(201, 211), 3)
            last = max(talk.updates)
            await api.wait_for(lambda: getattr(app.updater, "_last_update_id", 0) > last, 5, "the burst fetched")
            await api.wait_for(app.update_queue.empty, 5, "the burst handled")
            pending = len(app.bot_data["frontend"].lines)
        # running_bot has set the stop and waited for serve() to return
        assert pending and api.faults_left("sendMessage") == 0
        for chat in talk.sent:
            assert len(api.sent(chat)) == len(talk.sent[chat]), f"chat {chat}: not one reply per message"
        errors = [text for chat in talk.sent for text in api.texts(chat) if text == engine.reply_by_id("error").text]
        assert len(errors) == refused
        await asyncio.sleep(0)
