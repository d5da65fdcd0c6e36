"""The Telegram front end: a python-telegram-bot Application on the engine, its start-up, and a clean stop.

`build_application(settings, engine)` wires everything; `serve(app, settings, stop)` runs it until `stop` is set
(tests drive it against a local stand-in for the Bot API); `run(settings, engine)` is `python -m bot` with a
token: signals, one-line errors, exit codes. The handlers are in telegram_handlers.py.

Updates are confirmed to Telegram only as fast as they are answered (telegram_polling.py), so a kill -9 loses
at most ~1 s of replies. Stopping (SIGTERM, SIGINT) loses none: fetching stops, everything fetched is answered
and every reply sent, then a last getUpdates confirms it all before the connection closes; that takes a few
seconds (at most ~60 replies at Telegram's rate). A token revoked while running stops the bot the same way,
and `run` exits with status 2 so that systemd or Docker notices. SIGHUP re-reads the content (see
telegram_admin.py); the result goes to the log.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import logging
import signal
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, BaseRateLimiter

from bot.commands import COMMANDS as SHARED_COMMANDS
from bot.config import Settings, api_base_urls, telegram_problems
from bot.content import load_content
from bot.engine import Engine
from bot.frontends.telegram_handlers import TelegramFrontend
from bot.frontends.telegram_logs import redact_library_logs
from bot.frontends.telegram_polling import MAX_UNANSWERED, DurableUpdater, TokenRevoked
from bot.frontends.telegram_requests import QuietRequest, RetryingRateLimiter
from bot.frontends.telegram_state import FloodGuard, Ledger

log = logging.getLogger("bot.frontends.telegram")

# The menu Telegram shows next to the message box (set_my_commands at start-up).
COMMANDS = tuple(BotCommand(command.name, command.description) for command in SHARED_COMMANDS)
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT = 30.0  # seconds a getUpdates call may wait for news (long polling)
# Pause after a getUpdates that brought something, so that under load each call brings several updates: each
# call costs the bot ~1.5 ms of CPU, as much as the rest of an update. A message that arrives while the bot is
# idle is not delayed (the long poll is waiting for it); under load a reply waits at most this much longer.
POLL_INTERVAL = 0.01
STARTUP_BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)  # waits between start-up attempts while Telegram is unreachable
UPDATE_QUEUE_SIZE = 4 * MAX_UNANSWERED  # PTB's update queue, bounded: a webhook waits when it is full


def build_application(
    settings: Settings,
    engine: Engine,
    *,
    rate_limiter: BaseRateLimiter | None = None,
    max_unanswered: int = MAX_UNANSWERED,
    retry_waits: tuple[float, ...] | None = None,
) -> Application:
    """The Application with every handler registered; nothing registers itself at import."""
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token or "")
        .rate_limiter(rate_limiter or RetryingRateLimiter())
        # PTB's defaults (up to 256 connections for calls, 1 for getUpdates), with quiet handling of bad JSON.
        .request(QuietRequest())
        .get_updates_request(QuietRequest(connection_pool_size=1))
        .update_queue(asyncio.Queue(maxsize=UPDATE_QUEUE_SIZE))
        .updater(None)  # replaced below by one that confirms updates only as they are answered
    )
    if settings.telegram_base_url:
        base_url, base_file_url = api_base_urls(settings.telegram_base_url)
        builder = builder.base_url(base_url).base_file_url(base_file_url)
    app = builder.build()
    ledger = Ledger()
    waits = {"retry_waits": retry_waits} if retry_waits else {}
    app.updater = DurableUpdater(app.bot, app.update_queue, ledger, max_unanswered=max_unanswered, **waits)

    def load_engine() -> Engine:
        return Engine(load_content(settings.content_root), context_ttl=settings.context_ttl)

    frontend = TelegramFrontend(
        engine,
        flood=FloodGuard(settings.flood_messages, settings.flood_seconds, settings.flood_pause),
        admins=settings.admin_user_ids,
        load_engine=load_engine,
        ledger=ledger,
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
    announce: Callable[[str], None] | None = None,
) -> None:
    """Start, answer until `stop` is set, then stop cleanly: updates already received are answered and replies
    already queued are sent before the connection closes. Raises InvalidToken when Telegram rejects the token
    at start-up, TokenRevoked when it stops accepting it while running (after the same clean stop).

    The order of the stop matters: fetching stops (a long poll in progress is abandoned: its updates were not
    confirmed); the application handles the whole queue; every chat's line is answered; a last getUpdates
    confirms all of it; only then does the connection close. Each step runs even if one before it failed."""
    if not await _initialize(app, stop):
        return
    updater: DurableUpdater = app.updater
    updater.on_revoked = stop.set
    frontend = app.bot_data["frontend"]
    try:
        await register_commands(app)
        if settings.mode == "webhook":
            await updater.start_webhook(**webhook_options(settings))
        else:
            await updater.start_polling(
                poll_interval=POLL_INTERVAL,
                timeout=poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=-1,
                error_callback=_polling_error,
            )
        await app.start()
        log.info("answering on Telegram as @%s (%s)", app.bot.username, settings.mode)
        if announce is not None:
            announce(f"Running on Telegram as @{app.bot.username} ({settings.mode}). Press Ctrl+C to stop.")
        if ready is not None:
            ready.set()
        await stop.wait()
        log.info("stopping: answering what has been received, then closing")
    finally:
        for step in (updater.stop, app.stop, frontend.drain, updater.confirm, app.shutdown):
            running = {updater.stop: updater.running, app.stop: app.running}.get(step, True)
            if not running:
                continue
            try:
                await step()
            except Exception as exc:  # the next steps still answer what is left and close
                log.error("stopping: %s failed (%s); going on with the stop", step.__name__, type(exc).__name__)
    if updater.revoked:
        raise TokenRevoked("Telegram stopped accepting the token while the bot was running")


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
    # The getUpdates loop retries by itself, waiting longer each time; this says why, without the token.
    if isinstance(error, Conflict):
        log.error("another copy of this bot is running with the same token (409 Conflict): stop the other one")
    else:
        log.warning("getUpdates failed (%s); retrying", type(error).__name__)


def run(settings: Settings, engine: Engine, *, rate_limiter: BaseRateLimiter | None = None) -> int:
    """`python -m bot` with a token: answer on Telegram until SIGINT or SIGTERM, re-read the content on SIGHUP.
    Exit 0 after a clean stop, 2 for settings a person must fix (a malformed or rejected token, a webhook
    without its secret). A second SIGTERM changes nothing (a supervisor may repeat it); a second Ctrl-C stops
    at once, and may then leave fetched messages unanswered."""
    problems = telegram_problems(settings)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2
    app = build_application(settings, engine, rate_limiter=rate_limiter)
    frontend = app.bot_data["frontend"]
    redact_library_logs()  # on the root handlers that configure_logging set up
    # The engine and PTB are built and stay for the life of the process: freeze them out of the garbage
    # collector's sight, or each full collection walks them all and holds up every reply for ~30 ms.
    gc.collect()
    gc.freeze()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()

        def on_stop(number: int) -> None:
            if stop.is_set():
                log.info("received %s again; still stopping", signal.Signals(number).name)
                return
            log.info("received %s", signal.Signals(number).name)
            stop.set()
            loop.remove_signal_handler(signal.SIGINT)  # a second Ctrl-C stops at once

        def on_hangup() -> None:
            log.info("received SIGHUP: reading the content again")
            frontend.spawn(frontend.reload("SIGHUP"), None)

        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C still raises KeyboardInterrupt
                loop.add_signal_handler(sig, on_stop, sig)
        if hasattr(signal, "SIGHUP"):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signal.SIGHUP, on_hangup)
        await serve(app, settings, stop, announce=lambda line: print(line, file=sys.stderr, flush=True))

    try:
        asyncio.run(main())
    except TokenRevoked:
        print(
            "Telegram stopped accepting TELEGRAM_BOT_TOKEN while the bot was running (401 Unauthorized): it was "
            "revoked or replaced in BotFather. Put the new token in .env as TELEGRAM_BOT_TOKEN=... and start again",
            file=sys.stderr,
        )
        return 2
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
