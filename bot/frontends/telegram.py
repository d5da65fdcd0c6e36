"""The Telegram front end: a python-telegram-bot Application on the engine, its start-up, and a clean stop.

`build_application(settings, engine)` wires everything; `serve(app, settings, stop)` runs it until `stop` is set
(tests drive it against a local stand-in for the Bot API); `run(settings, engine)` is `python -m bot` with a
token: signals, one-line errors, exit codes. The handlers are in telegram_handlers.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import signal
import sys
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseRateLimiter

from bot.config import Settings, api_base_urls, telegram_problems
from bot.engine import Engine
from bot.frontends.telegram_handlers import TelegramFrontend
from bot.frontends.telegram_state import FloodGuard

log = logging.getLogger("bot.frontends.telegram")

# The menu Telegram shows next to the message box (set_my_commands at start-up).
COMMANDS = (
    BotCommand("start", "What this bot does, and the 999 line"),
    BotCommand("report", "How to report something"),
    BotCommand("area", "What the police published for an area"),
    BotCommand("numbers", "Which number to use: 999, 101 or anonymous"),
    BotCommand("privacy", "What this bot keeps about you: nothing"),
    BotCommand("help", "What I can help with"),
)
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT = 30.0  # seconds a getUpdates call may wait for news (long polling)
NETWORK_RETRIES = 3  # extra attempts for a call that failed on the network or with a 5xx
STARTUP_BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)  # waits between start-up attempts while Telegram is unreachable


class RetryingRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (Telegram's flood limits; waits out a 429's retry_after and tries again) that also
    retries network errors and 5xx answers, which neither it nor PTB retry by themselves.

    A call that timed out may have reached Telegram, so a retry can repeat a message; for this bot a repeated
    answer is better than none.
    """

    def __init__(
        self, *, network_retries: int = NETWORK_RETRIES, backoff: float = 0.5, max_retries: int = 3, **limits: Any
    ) -> None:
        super().__init__(max_retries=max_retries, **limits)
        self.network_retries = network_retries
        self.backoff = backoff

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):  # type: ignore[override]
        attempt = 0
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:  # includes TimedOut and 5xx; BadRequest (400) is a subclass but final
                if isinstance(exc, BadRequest) or attempt >= self.network_retries:
                    raise
                attempt += 1
                wait = self.backoff * 2 ** (attempt - 1)
                log.warning(
                    "%s failed (%s); retry %d of %d", endpoint, type(exc).__name__, attempt, self.network_retries
                )
                await asyncio.sleep(wait)


def build_application(
    settings: Settings, engine: Engine, *, rate_limiter: BaseRateLimiter | None = None
) -> Application:
    """The Application with every handler registered; nothing registers itself at import."""
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token or "")
        .rate_limiter(rate_limiter or RetryingRateLimiter())
    )
    if settings.telegram_base_url:
        base_url, base_file_url = api_base_urls(settings.telegram_base_url)
        builder = builder.base_url(base_url).base_file_url(base_file_url)
    app = builder.build()
    frontend = TelegramFrontend(
        engine, flood=FloodGuard(settings.flood_messages, settings.flood_seconds, settings.flood_pause)
    )
    frontend.attach(app)
    app.bot_data["frontend"] = frontend
    return app


async def register_commands(app: Application) -> None:
    """Publish the command menu; a failure here is logged, not fatal (the commands work without the menu)."""
    try:
        await app.bot.set_my_commands(COMMANDS)
    except TelegramError as exc:
        log.warning("could not register the command menu: %s", type(exc).__name__)


async def serve(
    app: Application,
    settings: Settings,
    stop: asyncio.Event,
    *,
    ready: asyncio.Event | None = None,
    poll_timeout: float = POLL_TIMEOUT,
) -> None:
    """Start, answer until `stop` is set, then stop cleanly: updates already received are answered and replies
    already queued are sent before the connection closes. Raises InvalidToken when Telegram rejects the token."""
    if not await _initialize(app, stop):
        return
    try:
        await register_commands(app)
        if settings.mode == "webhook":
            await app.updater.start_webhook(**webhook_options(settings))
        else:
            await app.updater.start_polling(
                timeout=poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=-1,
                error_callback=_polling_error,
            )
        await app.start()
        log.info("answering on Telegram as @%s (%s)", app.bot.username, settings.mode)
        if ready is not None:
            ready.set()
        await stop.wait()
        log.info("stopping: answering what has been received, then closing")
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()


def webhook_options(settings: Settings) -> dict[str, Any]:
    """run_webhook/start_webhook arguments: listen locally behind a reverse proxy that terminates TLS."""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(settings.webhook_url or "").path.strip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret,
        "allowed_updates": ALLOWED_UPDATES,
        # setWebhook: a few tries for a network hiccup; a refusal (a bad URL) is a setting to fix, not to retry.
        "bootstrap_retries": 2,
    }


async def _initialize(app: Application, stop: asyncio.Event) -> bool:
    """app.initialize() (getMe), retrying while Telegram cannot be reached; False if stopped meanwhile."""
    for attempt in itertools.count():
        try:
            await app.initialize()
            return True
        except InvalidToken:
            await app.bot.shutdown()  # close the HTTP connections it opened
            raise
        except TelegramError as exc:
            wait = STARTUP_BACKOFF[min(attempt, len(STARTUP_BACKOFF) - 1)]
            log.warning("cannot reach Telegram (%s); trying again in %.0f s", type(exc).__name__, wait)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
            if stop.is_set():
                await app.bot.shutdown()
                return False
    return False


def _polling_error(error: TelegramError) -> None:
    # PTB retries getUpdates by itself; its default callback logs a traceback, this a line without the token.
    if isinstance(error, Conflict):
        log.error("another copy of this bot is running with the same token (409 Conflict): stop the other one")
    else:
        log.warning("getUpdates failed (%s); retrying", type(error).__name__)


def run(settings: Settings, engine: Engine) -> int:
    """`python -m bot` with a token: answer on Telegram until SIGINT or SIGTERM. Exit 0 after a clean stop, 2 for
    settings a person must fix (a malformed or rejected token, a webhook without its secret)."""
    problems = telegram_problems(settings)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2
    app = build_application(settings, engine)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def on_signal(number: int) -> None:
            log.info("received %s", signal.Signals(number).name)
            stop.set()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)  # a second Ctrl-C stops at once

        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C still raises KeyboardInterrupt
                loop.add_signal_handler(sig, on_signal, sig)
        await serve(app, settings, stop)

    try:
        asyncio.run(main())
    except InvalidToken:
        print(
            "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): copy the token from BotFather (/mybots, "
            "API Token) into .env as TELEGRAM_BOT_TOKEN=... or set it in the environment",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130
    except TelegramError as exc:
        if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
            print(f"could not reach Telegram to start ({type(exc).__name__})", file=sys.stderr)
            return 1
        # e.g. setWebhook refused: "Bad Request: bad webhook: HTTPS url must be provided for webhook"
        print(f"Telegram refused to start the bot: {exc.message}; check the settings in .env", file=sys.stderr)
        return 2
    return 0
