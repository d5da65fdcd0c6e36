"""Faults at the Bot API: 429 with retry_after, 5xx, slow answers, dropped connections and malformed JSON, on
sendMessage and on getUpdates, while several chats are talking. Afterwards every message has been answered
exactly once and in order, and the bot is still running and answering.

What "exactly once" means here. Updates: each is handled once, never skipped and never twice: PTB confirms an
update (the next getUpdates offset) only after queueing it, so a failed or garbled getUpdates just means the
same updates are fetched again. Replies: a call Telegram refused (429, 5xx) or that never reached it (the
stand-in's faults act before the method runs, as Telegram's refusals do) did nothing, and its retry sends the
reply once. When the answer is lost *after* Telegram acted (a connection dropped on the way back, a timeout
longer than the read timeout), no client can tell; the bot retries and the person may see the reply twice,
never zero times. The last test pins that down.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from telegram_harness import MESSAGES, Conversation, running_bot, settled

from bot.engine import Engine

CHATS = range(31, 36)
ROUNDS = 3  # messages per chat, interleaved across the chats

FAULTS = [
    pytest.param("sendMessage", {"status": 429, "retry_after": 1}, 1, id="sendMessage-429-retry_after"),
    pytest.param("sendMessage", {"status": 500}, 2, id="sendMessage-500"),
    pytest.param("sendMessage", {"status": 502, "description": "Bad Gateway"}, 2, id="sendMessage-502"),
    pytest.param("sendMessage", {"delay": 1.0}, 3, id="sendMessage-slow"),
    pytest.param("sendMessage", {"drop": True}, 2, id="sendMessage-dropped"),
    pytest.param("sendMessage", {"body": b'{"ok": true, "result": {"message_id'}, 2, id="sendMessage-bad-json"),
    pytest.param("getUpdates", {"status": 429, "retry_after": 1}, 1, id="getUpdates-429-retry_after"),
    pytest.param("getUpdates", {"status": 500}, 1, id="getUpdates-500"),
    pytest.param("getUpdates", {"delay": 1.0}, 1, id="getUpdates-slow"),
    pytest.param("getUpdates", {"drop": True}, 1, id="getUpdates-dropped"),
    pytest.param("getUpdates", {"body": b"<html>502 Bad Gateway</html>"}, 1, id="getUpdates-bad-json"),
    # Updates handed out, then the answer lost: they were never confirmed, so they come again, once.
    pytest.param("getUpdates", {"drop": True, "after": True}, 1, id="getUpdates-answer-lost"),
    pytest.param("getUpdates", {"body": b'{"ok": true, "result": [{"upd', "after": True}, 1, id="getUpdates-cut-off"),
]


def no_message_text_in(records: list[logging.LogRecord]) -> None:
    for record in records:
        line = record.getMessage() + (record.exc_text or "")
        assert not any(text in line for text in MESSAGES), f"message text in the log: {line[:200]}"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # raised inside PTB's RetryAfter
@pytest.mark.parametrize(("method", "fault", "times"), FAULTS)
async def test_every_message_is_answered_exactly_once_through_faults(
    engine: Engine, caplog: pytest.LogCaptureFixture, method: str, fault: dict[str, Any], times: int
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    talk = Conversation(engine)
    async with running_bot(engine) as (api, app):
        await api.wait_for(lambda: api.polls > 0, 5, "the first getUpdates")
        talk.send(api, CHATS, 1)  # on their way when the fault starts
        api.fail_next(method, times=times, **fault)
        talk.send(api, CHATS, ROUNDS - 1, offset=1)
        await api.wait_for(lambda: talk.answered(api) >= talk.total(), 15, "every message answered")
        await settled(api, app, timeout=10)
        await api.wait_for(lambda: api.faults_left(method) == 0, 5, "the fault to be hit")
        talk.check(api)
        # Still running, still polling, still answering.
        assert app.running and app.updater.running
        after = Conversation(engine)
        after.send(api, [39], 1)
        await api.wait_for(lambda: after.answered(api) == 1, 5, "an answer after the faults")
        after.check(api)
    no_message_text_in(caplog.records)


async def test_a_burst_of_mixed_faults_on_both_methods(engine: Engine) -> None:
    """Every kind of fault, several in a row, while 10 chats send 5 messages each."""
    talk = Conversation(engine)
    async with running_bot(engine) as (api, app):
        await api.wait_for(lambda: api.polls > 0, 5, "the first getUpdates")
        for fault in ({"status": 500}, {"drop": True}, {"body": b"not json"}, {"status": 503}, {"delay": 0.3}):
            api.fail_next("sendMessage", **fault)
        api.fail_next("getUpdates", status=502)
        api.fail_next("getUpdates", drop=True, after=True)
        talk.send(api, range(41, 51), 5)
        await api.wait_for(lambda: talk.answered(api) >= talk.total(), 20, "every message answered")
        await settled(api, app, timeout=10)
        talk.check(api)
        assert app.running and app.updater.running


async def test_a_reply_whose_answer_was_lost_after_sending_is_repeated_not_lost(engine: Engine) -> None:
    """The one case where a person can see a reply twice: Telegram sent it, and the answer saying so was lost."""
    async with running_bot(engine) as (api, app):
        api.fail_next("sendMessage", drop=True, after=True)
        api.text(51, "/numbers")
        await api.wait_for(lambda: len(api.sent(51)) >= 1, 5, "the reply")
        await settled(api, app)
        assert [c.status for c in api.calls_to("sendMessage")] == [0, 200]
        [first, second] = api.texts(51)
        assert first == second == engine.reply_by_id("which_number").text
