"""Never lose, drop or silence a message (issue 9): restart backlogs, fragments typed in a hurry, kill -9 mid-burst,
a run of 429s, a token revoked while running, a malformed update, a failing stop and oversized webhook posts.

All against the Bot API stand-in on 127.0.0.1; the process tests run `python -m bot` as deployed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import socket
import time
from pathlib import Path

import pytest
from botapi_standin import BotApiStandIn
from telegram_harness import covered, covered_in, running_bot, settled, start_bot_process, wait_for_exit

from bot.engine import Engine
from bot.frontends.telegram import RetryingRateLimiter
from bot.frontends.telegram_logs import RedactPayloads

FRAGMENTS = [
    "help",
    "theres a man",
    "in my kitchen",
    "i dont know him",
    "he wont leave",
    "hes shouting at me",
    "im scared",
    "he has a knife",
    "what do i do",
    "please",
]


def bot_env(api: BotApiStandIn, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    return env | {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url, "PYTHONUNBUFFERED": "1"} | extra


# ---------------------------------------------------------------------- answering everything, in order, once
async def test_a_restart_backlog_of_messages_a_minute_apart_is_answered_in_full_without_a_notice(
    engine: Engine,
) -> None:
    """Twelve messages sent a minute apart while the bot was down are all read at once after the start: the
    guard goes by when they were sent, so each gets its own answer and nobody is told they type too fast."""
    texts = [f"is 101 the right number for thing {n}" if n % 2 else "lads dealing by the garages" for n in range(12)]
    with BotApiStandIn() as api:
        sent_at = time.time() - 12 * 60
        for n, text in enumerate(texts):
            api.text(61, text, date=sent_at + 60 * n)
        async with running_bot(engine, api=api) as (_, app):
            await api.wait_messages(61, 12, timeout=10)
            await settled(api, app)
            replies = api.texts(61)
    state = engine.new_state()
    assert replies == [engine.handle(state, text).text for text in texts]
    assert engine.reply_by_id("typing_fast").text not in replies


async def test_fragments_typed_in_a_hurry_are_read_together_and_lead_with_999(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    """Ten fragments in 5 s while Telegram is slow to take each reply (0.6 s a send): past the flood rate what
    waits is read as one; a reply leads with 999 within 10 s of the last fragment; every fragment is covered
    by a reply; a notice, if any, comes once and after an answer."""
    caplog.set_level(logging.INFO, logger="bot")
    async with running_bot(engine) as (api, app):
        await api.wait_for(lambda: api.polls > 0, 5, "the first getUpdates")
        api.fail_next("sendMessage", times=6, delay=0.6)
        ids = []
        for text in FRAGMENTS:
            ids.append(api.text(62, text))
            await asyncio.sleep(0.5)
        last = time.perf_counter()
        await api.wait_for(lambda: set(ids) <= covered_in(caplog.records), 15, "every fragment covered")
        await settled(api, app)
        replies = [c for c in api.calls_to("sendMessage") if c.status == 200 and int(c.params["chat_id"]) == 62]
    texts = [c.params["text"] for c in replies]
    first_999 = next(c for c in replies if c.params["text"].startswith("Call 999"))
    assert first_999.at - last < 10
    notice = engine.reply_by_id("typing_fast").text
    assert texts.count(notice) <= 1 and texts[0] != notice


def test_kill_9_mid_burst_loses_at_most_about_a_second_of_replies(tmp_path: Path) -> None:
    """kill -9 two seconds into a 300-message burst over 30 chats, with Telegram's 30 messages a second on, then a
    restart: updates are confirmed only while at most 30 are unanswered, so at most 30 are never answered."""
    chats, rounds = range(301, 331), 10
    with BotApiStandIn() as api:
        env = bot_env(api, BOT_LOG_LEVEL="INFO")
        first = start_bot_process(tmp_path, env)
        try:
            api.wait_for_sync(lambda: api.polls > 0, 30, "the bot to start polling")
            ids = [api.text(chat, f"lads dealing by the garages again, {n}") for n in range(rounds) for chat in chats]
            time.sleep(2)
        finally:
            first.kill()
            _, err_first = first.communicate(timeout=10)
        answered_first = covered(err_first.splitlines())
        assert 0 < len(answered_first) < len(ids), "the kill did not come mid-burst; nothing was tested"
        confirmed_unanswered = [u for u in ids if u < api.confirmed_offset and u not in answered_first]
        second = start_bot_process(tmp_path, env)
        try:
            api.wait_for_sync(lambda: api.confirmed_offset > max(ids), 40, "the rest fetched after the restart")
            quiet_since = time.monotonic()
            while time.monotonic() - quiet_since < 1.0:  # until no reply has gone out for a second
                count = len(api.calls_to("sendMessage"))
                time.sleep(0.2)
                if len(api.calls_to("sendMessage")) != count:
                    quiet_since = time.monotonic()
        finally:
            second.send_signal(signal.SIGTERM)
            code, err_second = wait_for_exit(second, 30)
        assert code == 0, err_second[-2000:]
    never = set(ids) - answered_first - covered(err_second.splitlines())
    print(f"kill -9 at 2 s: {len(answered_first)} answered before, {len(never)} never answered")
    assert len(never) <= 30, sorted(never)
    assert never <= set(confirmed_unanswered)


# ---------------------------------------------------------------------- Telegram saying no
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # raised inside PTB's RetryAfter
async def test_six_429s_in_a_row_are_waited_out_and_the_real_answer_arrives(engine: Engine) -> None:
    async with running_bot(engine) as (api, app):
        api.fail_next("sendMessage", times=6, status=429, retry_after=1)
        api.text(63, "/numbers")
        await api.wait_messages(63, 1, timeout=15)
        await settled(api, app)
        assert api.texts(63) == [engine.reply_by_id("which_number").text]
        assert [c.status for c in api.calls_to("sendMessage")] == [429] * 6 + [200]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_429s_past_the_retry_budget_give_up_the_send_without_an_error_reply(engine: Engine) -> None:
    """A budget of 1.5 s: the first send meets two 429s (1.1 s apart), is past the budget and given up, with a
    line in the log and no error reply (that would meet the same 429); the next message is answered."""
    limiter = RetryingRateLimiter(backoff=0.05, retry_budget=1.5)
    async with running_bot(engine, limiter=limiter) as (api, app):
        api.fail_next("sendMessage", times=3, status=429, retry_after=1)
        api.text(64, "/numbers")
        await api.wait_for(lambda: api.faults_left("sendMessage") == 1, 10, "two 429s")
        api.text(64, "/help")
        await api.wait_messages(64, 1, timeout=10)
        await settled(api, app)
        assert api.texts(64) == [engine.reply_by_id("help").text]


def test_a_token_revoked_while_running_ends_the_process_with_status_2(tmp_path: Path) -> None:
    """At the default log level: one line says it is running, as which bot and how to stop it; once getUpdates
    answers 401 the process says why in one line and exits 2 by itself, so systemd or Docker notices."""
    with BotApiStandIn() as api:
        process = start_bot_process(tmp_path, bot_env(api))
        try:
            api.wait_for_sync(lambda: api.polls > 0, 30, "the bot to start polling")
            api.text(65, "hello")
            api.wait_for_sync(lambda: len(api.sent(65)) == 1, 10, "an answer")
            started = time.monotonic()
            api.token = "123456789:REVOKEDrevokedREVOKEDrevokedREVOKED1"
            api.text(65, "hello again")  # ends the long poll in progress, as any new message would
            code, err = wait_for_exit(process, 60)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    took = time.monotonic() - started
    print(f"exit on 401 after {took:.2f} s")
    assert code == 2, err[-2000:]
    assert re.search(r"Running on Telegram as @community_crime_test_bot .*Ctrl\+C", err), err[-2000:]
    assert "revoked" in err and "Traceback" not in err, err[-2000:]


# ---------------------------------------------------------------------- malformed updates and the logs
MALFORMED_WORDS = ["Zanzibar", "Quartermaine", "Marmaduke", "Grimsditch"]


async def test_a_malformed_update_is_skipped_and_nothing_anyone_wrote_reaches_the_logs_at_debug(
    engine: Engine,
) -> None:
    """Every logger at DEBUG (PTB's, httpx's, asyncio's, the bot's): a handler without the filter shows that
    the payloads would leak, the same records behind RedactPayloads hold none of them."""
    raw, redacted = _ListHandler(), _ListHandler()
    redacted.addFilter(RedactPayloads())
    root = logging.getLogger()
    saved = root.level, {n: logging.getLogger(n).level for n in ("telegram", "httpx", "httpcore", "bot")}
    root.setLevel(logging.DEBUG)
    for name in saved[1]:
        logging.getLogger(name).setLevel(logging.DEBUG)
    root.handlers.insert(0, raw)  # sees each record before the filter rewrites it
    root.addHandler(redacted)
    try:
        async with running_bot(engine) as (api, app):
            await api.wait_for(lambda: api.polls > 0, 5, "the first getUpdates")
            person = {"id": 66, "is_bot": False, "first_name": "Quartermaine"}
            chat = {"id": 66, "type": "private", "first_name": "Quartermaine"}
            good = {"message_id": 1, "date": int(time.time()), "chat": chat, "from": person}
            first = api.push({"message": {**good, "text": "Zanzibar Kebabs, lads dealing"}})
            bad = api.push({"message": {**good, "message_id": 2, "chat": "Marmaduke", "text": "Grimsditch"}})
            second = api.push({"message": {**good, "message_id": 3, "text": "Zanzibar Kebabs again"}})
            await api.wait_messages(66, 2, timeout=10)
            await settled(api, app)
            assert app.running and app.updater.running
            assert api.confirmed_offset > bad or app.updater._last_update_id > second
            assert first < bad < second
    finally:
        root.removeHandler(raw)
        root.removeHandler(redacted)
        root.setLevel(saved[0])
        for name, level in saved[1].items():
            logging.getLogger(name).setLevel(level)
    assert any(word in line for line in raw.lines for word in MALFORMED_WORDS), "the check could not fail"
    leaks = [line for line in redacted.lines if any(word in line for word in MALFORMED_WORDS)]
    assert not leaks, leaks[:3]
    assert any("is malformed (TypeError); skipped" in line for line in redacted.lines)


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_redaction_keeps_the_bots_own_lines_and_the_wording_of_library_lines() -> None:
    def line(name: str, msg: str, *args: object, error: BaseException | None = None) -> str:
        record = logging.LogRecord(name, logging.ERROR, __file__, 1, msg, args, None)
        if error is not None:
            record.exc_info = (type(error), error, None)
        RedactPayloads().filter(record)
        return record.getMessage()

    assert line("bot.frontends.telegram", "update %s text: intent=%s", 5, "x") == "update 5 text: intent=x"
    assert (
        line("telegram.ext.Updater", "Error while getting Updates: %s", "Zanzibar") == "Error while getting Updates: …"
    )
    assert line("httpx", 'HTTP Request: %s %s "%s %d %s"', "POST", "url", "HTTP/1.1", 200, "OK").count("…") == 5
    task = "Task exception was never retrieved\nfuture: <Task coro=<handle('Zanzibar')>>"
    assert line("asyncio", task, error=ValueError("Zanzibar")) == "Task exception was never retrieved (ValueError)"
    assert "Zanzibar" not in line("tornado.general", "Malformed body {'text': 'Zanzibar'}")


# ---------------------------------------------------------------------- stopping and the webhook
async def test_a_failing_updater_stop_still_answers_everything_and_shuts_down(engine: Engine) -> None:
    async with running_bot(engine) as (api, app):
        await api.wait_for(lambda: api.polls > 0, 5, "the first getUpdates")
        api.fail_next("sendMessage", times=4, delay=0.3)
        ids = [api.text(chat, "/numbers") for chat in range(67, 71)]
        await api.wait_for(lambda: app.updater._last_update_id > max(ids), 5, "the messages fetched")
        real_stop = app.updater.stop

        async def failing_stop() -> None:
            await real_stop()
            raise RuntimeError("stop failed")

        app.updater.stop = failing_stop
    assert all(len(api.sent(chat)) == 1 for chat in range(67, 71))
    assert not app.running


async def test_the_webhook_refuses_an_oversized_body_before_reading_it_and_keeps_answering(engine: Engine) -> None:
    port = _free_port()
    secret = "s3cret-token"
    webhook = {"mode": "webhook", "webhook_url": f"http://127.0.0.1:{port}/hook", "webhook_port": port}
    async with running_bot(engine, webhook_secret=secret, **webhook) as (api, _):
        # 90 MB announced, no secret: refused on the headers, nothing of the body is read.
        refused = await asyncio.to_thread(_post_headers_only, port, 90 * 1024 * 1024)
        assert refused in ("closed", "HTTP/1.1 400 Bad Request", "HTTP/1.1 413 Payload Too Large"), refused
        # A body within the limit is read: the server answers (403, for the missing secret).
        assert (await asyncio.to_thread(_post_headers_only, port, 1000)).startswith("HTTP/1.1 403")
        api.text(71, "/numbers")
        await api.wait_messages(71, 1, timeout=10)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post_headers_only(port: int, length: int) -> str:
    """Announce a body of `length` bytes, send 64 KB of it: "closed" when the server hung up at once, "waiting"
    when it read on (it would take the whole body in), or the HTTP status line it answered with."""
    with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
        head = f"POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {length}"
        try:
            conn.sendall(head.encode() + b"\r\n\r\n")
            conn.sendall(b"x" * 65536)
            answer = conn.recv(200)
        except TimeoutError:
            return "waiting"
        except OSError:
            return "closed"
    return answer.split(b"\r\n", 1)[0].decode() if answer else "closed"
