"""With logs captured at DEBUG, a busy conversation leaves neither the token nor anything people wrote in them.

The bot is run with the logging `python -m bot` sets up (configure_logging at DEBUG), minus the token-redacting
filter, so the check proves the token never reaches a log record at all. A second test shows that the check
can fail: with the library loggers left at DEBUG/INFO the same conversation leaks both.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from botapi_standin import BOT_USERNAME, MEDIA, BotApiStandIn
from telegram_harness import running_bot

from bot.__main__ import QUIET_LOGGERS, LogHygiene, configure_logging
from bot.engine import Engine
from bot.model import Reply

SAID = [
    "theres a man with a knife outside Zanzibar Kebabs right now",
    "lads dealing from flat 7 Quince Court every night",
    "what have the police done in bletchley",
    "and how much cash?",
    "my name is Philippa Quartermaine, call me on 07700 900461",
    "/Zebracommand",
    "Grimsditch Lane has kids smashing the bus shelter",
]
PRIVATE_WORDS = ["Zanzibar", "Quince", "Philippa", "Quartermaine", "900461", "Zebracommand", "Grimsditch"]
CONTACT = MEDIA["contact"]
PRIVATE_WORDS += [CONTACT["phone_number"], CONTACT["phone_number"].lstrip("+"), CONTACT["last_name"]]
PRIVATE_WORDS += ["Xylophone", "Marmaduke", "Acacia"]


@pytest.fixture
def restore_levels() -> Iterator[None]:
    names = (*QUIET_LOGGERS, "bot")
    saved = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)
    for handler in logging.getLogger().handlers:
        for hygiene in [f for f in handler.filters if isinstance(f, LogHygiene)]:
            handler.removeFilter(hygiene)


class _Failing:
    """The real engine, except that a message about Acacia Avenue makes it fail (with the text in the error)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def handle(self, state: Any, text: str) -> Reply:
        if "Acacia" in text:
            raise ValueError(f"cannot handle {text!r}")
        return self._engine.handle(state, text)


async def busy_conversation(engine: Engine) -> BotApiStandIn:
    """Every kind of update, a failure and a retried server error, through the real bot."""
    async with running_bot(_Failing(engine), flood_messages=50) as (api, _):
        for text in SAID:
            api.text(31, text)
        api.edit(31, 1, "edited: Marmaduke has a gun outside")
        api.media(31, "contact")
        api.media(31, "photo", caption="Xylophone evidence photo")
        api.location(31, 52.04, -0.76)
        api.text(-100777, f"@{BOT_USERNAME} Grimsditch Lane has kids smashing the bus shelter", chat_type="group")
        api.text(-100777, "Quince Court chatter between neighbours", chat_type="group")
        api.fail_next("sendMessage", status=500)
        api.text(32, "14 Acacia Avenue again")
        await api.wait_messages(31, len(SAID) + 4, timeout=10)
        await api.wait_messages(-100777, 1)
        await api.wait_messages(32, 1)
        api.text(33, "/start")
        await api.wait_messages(33, 1)
        api.press(33, "Which number do I use?")
        await api.wait_messages(33, 2)
    return api


def logged(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in records)


async def test_at_debug_the_logs_hold_no_token_and_no_message_text(
    engine: Engine, caplog: pytest.LogCaptureFixture, restore_levels: None
) -> None:
    configure_logging("DEBUG")  # as `python -m bot` with BOT_LOG_LEVEL=DEBUG, without the redacting filter
    caplog.set_level(logging.DEBUG)
    api = await busy_conversation(engine)
    text = logged(caplog.records)
    assert api.token not in text
    assert api.token.split(":")[1] not in text
    for said in SAID:
        assert said not in text
    for word in PRIVATE_WORDS:
        assert word not in text, word
    # The logs are still useful: every answered update has its intent and route.
    answered = [r for r in caplog.records if r.name == "bot.frontends.telegram" and "intent=%s route=%s" in r.msg]
    assert len(answered) >= len(SAID) + 5
    assert any(r.levelname == "ERROR" and "ValueError" in r.getMessage() for r in caplog.records)
    assert any("sendMessage failed (NetworkError)" in r.getMessage() for r in caplog.records)


async def test_the_check_can_fail_library_loggers_at_debug_would_leak_both(
    engine: Engine, caplog: pytest.LogCaptureFixture, restore_levels: None
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("telegram", "httpx"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    api = await busy_conversation(engine)
    text = logged(caplog.records)
    assert api.token in text  # httpx logs every request URL, token included, at INFO
    assert "Quince Court" in text  # PTB logs each update and request parameters at DEBUG


def test_log_hygiene_redacts_the_token_and_shortens_library_tracebacks() -> None:
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawQ"
    hygiene = LogHygiene(token)
    try:
        raise RuntimeError(f"The token `{token}` was rejected by the server.")
    except RuntimeError as exc:
        error = exc
    ours = logging.LogRecord("bot.frontends.telegram", logging.ERROR, "x", 1, "url %s", (f"/bot{token}/getMe",), None)
    ours.exc_info = (RuntimeError, error, error.__traceback__)
    library = logging.LogRecord("telegram.ext.Updater", logging.ERROR, "x", 1, "polling failed", (), None)
    library.exc_info = (RuntimeError, error, error.__traceback__)
    assert hygiene.filter(ours) and hygiene.filter(library)
    formatted = logging.Formatter().format(ours) + logging.Formatter().format(library)
    assert token not in formatted
    assert "<token>" in ours.getMessage() and "Traceback" in formatted
    assert library.getMessage() == "polling failed (RuntimeError)" and library.exc_info is None
