"""Fetching updates without losing them: PTB's Updater, with its own getUpdates loop and a webhook size limit.

Why not PTB's polling loop. It confirms a batch (the offset of the next getUpdates) as soon as the batch is in
the update queue, long before the replies go out at Telegram's ~30 messages a second, so a kill -9 lost every
update confirmed but unanswered (883 of a 1,000-message burst); and one update of the wrong shape failed the
whole batch, which was then fetched again forever and logged at CRITICAL with everyone's messages in it.

Here: a getUpdates is only made while at most `max_unanswered` fetched updates are still waiting for their
answer (the front end's Ledger), so at any moment at most that many are confirmed and unanswered: a kill -9
loses at most about one second of replies at Telegram's rate, and Telegram hands out the rest again at the
next start. Fetching stops while the backlog is full, so memory stays bounded under a burst from any number
of chats. Each update is parsed on its own: a malformed one is logged by id and type, skipped and confirmed.
A 401 while running (the token was revoked) ends polling and tells the front end, which exits with status 2.
Webhook mode is PTB's, with a limit on the request body before it is read (PTB leaves tornado's 100 MB).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from telegram import Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Updater

from bot.frontends.telegram_state import Ledger

log = logging.getLogger("bot.frontends.telegram")

MAX_UNANSWERED = 30  # updates confirmed to Telegram but not yet answered: ~1 s of replies at 30 a second
WEBHOOK_MAX_BODY = 256 * 1024  # bytes; an update with a 4,096-character message and its entities is ~40 KB
POLL_READ_MARGIN = 10.0  # seconds a long poll may take beyond its timeout before it counts as lost
RETRY_WAITS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)  # after failed getUpdates calls in a row


class DurableUpdater(Updater):
    """PTB's Updater whose `start_polling` runs the loop above; `start_webhook` is PTB's, body-size limited."""

    def __init__(
        self,
        bot: Any,
        update_queue: asyncio.Queue[object],
        ledger: Ledger,
        *,
        max_unanswered: int = MAX_UNANSWERED,
        webhook_max_body: int = WEBHOOK_MAX_BODY,
        retry_waits: Sequence[float] = RETRY_WAITS,
    ) -> None:
        super().__init__(bot, update_queue)
        self.ledger = ledger
        self.max_unanswered = max_unanswered
        self.webhook_max_body = webhook_max_body
        self.retry_waits = tuple(retry_waits)
        self.revoked = False  # Telegram answered 401 to getUpdates: the token no longer works
        self.on_revoked: Callable[[], None] = lambda: None
        self._poll_task: asyncio.Task[None] | None = None

    async def start_polling(  # type: ignore[override]
        self,
        *,
        timeout: float = 30.0,
        poll_interval: float = 0.0,
        allowed_updates: Sequence[str] | None = None,
        bootstrap_retries: int = -1,
        error_callback: Callable[[TelegramError], None] | None = None,
        **_ignored: Any,
    ) -> asyncio.Queue[object]:
        """Remove any webhook (PTB's bootstrap), then poll in a task until `stop()`."""
        if self.running:
            raise RuntimeError("This Updater is already running!")
        if not self._initialized:
            raise RuntimeError("This Updater was not initialized via `Updater.initialize`!")
        await self._bootstrap(bootstrap_retries, webhook_url="", allowed_updates=None)
        self._running = True
        loop = self._poll(timeout, poll_interval, list(allowed_updates or []), error_callback or (lambda _: None))
        self._poll_task = asyncio.create_task(loop, name="getUpdates loop")
        return self.update_queue

    async def _poll(
        self, timeout: float, interval: float, allowed: list[str], error_callback: Callable[[TelegramError], None]
    ) -> None:
        failures = 0
        while self._running:
            # Backpressure: the next call confirms everything fetched so far, so first let the answers catch up.
            await self.ledger.wait_at_most(self.max_unanswered)
            try:
                batch = await self._get_updates(timeout, allowed)
            except InvalidToken:
                log.info("getUpdates answered 401 Unauthorized: stopping")
                self.revoked, self._running = True, False
                self.on_revoked()
                return
            except RetryAfter as exc:
                await asyncio.sleep(retry_seconds(exc))
                continue
            except TelegramError as exc:
                error_callback(exc)
                wait = 5.0 if isinstance(exc, Conflict) else self.retry_waits[min(failures, len(self.retry_waits) - 1)]
                failures += 1
                await asyncio.sleep(wait)
                continue
            failures = 0
            for raw in batch:
                await self._queue(raw)
            if batch and interval:
                await asyncio.sleep(interval)

    async def _get_updates(self, timeout: float, allowed: list[str]) -> list[Any]:
        """One getUpdates, its answer as raw JSON (PTB's get_updates parses the batch as one: one bad update
        would fail it all). Not rate limited, as in PTB; the read timeout allows for the long poll."""
        data = {"offset": self._last_update_id or None, "limit": self.max_unanswered, "timeout": timeout}
        data["allowed_updates"] = allowed or None
        read_timeout = timeout + POLL_READ_MARGIN
        result = await self.bot._post("getUpdates", data, read_timeout=read_timeout)
        if not isinstance(result, list):
            raise _Malformed("getUpdates answered something other than a list")
        return result

    async def _queue(self, raw: Any) -> None:
        """Parse one update and queue it; a malformed one is skipped, and confirmed with the next call."""
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            log.warning("an update without an update_id was skipped")
            return
        if update_id < self._last_update_id:
            return  # already queued: handed out again, since it was not confirmed yet
        self._last_update_id = update_id + 1
        try:
            update = Update.de_json(raw, self.bot)
        except Exception as exc:  # any shape error; the payload itself is never logged
            log.warning("update %s is malformed (%s); skipped", update_id, type(exc).__name__)
            return
        self.ledger.fetched(update_id)
        await self.update_queue.put(update)

    async def confirm(self) -> None:
        """After the last answer: confirm every update fetched (a short getUpdates with the next offset), so
        a restart does not answer them again. Whatever it brings is not confirmed and comes again."""
        if self._last_update_id and not self.revoked:
            with contextlib.suppress(TelegramError):
                await self.bot._post("getUpdates", {"offset": self._last_update_id, "limit": 1, "timeout": 0})

    async def stop(self) -> None:
        if self._poll_task is None:
            await super().stop()  # the webhook
            return
        self._running = False
        task, self._poll_task = self._poll_task, None
        task.cancel()  # a long poll in progress: its updates were not confirmed, so none is lost
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _bootstrap(self, max_retries: int, *args: Any, **kwargs: Any) -> None:
        # Called by PTB once the webhook server exists and before it listens: limit the body size there.
        if self._httpd is not None:
            self._httpd._http_server.conn_params.max_body_size = self.webhook_max_body
        await super()._bootstrap(max_retries, *args, **kwargs)


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait (PTB 22 warns when `retry_after` is read as an int)."""
    return error._retry_after.total_seconds()


class TokenRevoked(InvalidToken):
    """Telegram stopped accepting the token while the bot was running (revoked or replaced in BotFather)."""


class RetryBudgetSpent(TelegramError):
    """Telegram kept answering 429 for longer than the rate limiter's retry budget; the send is given up."""


class _Malformed(TelegramError):
    """getUpdates answered JSON of the wrong shape; retried like a network error."""
