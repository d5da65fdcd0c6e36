"""How the Telegram front end talks to the Bot API: PTB's HTTPXRequest without logging garbled answers, and PTB's
AIORateLimiter with retries for network errors and 5xx, a cap on calls in flight and a time budget for 429s."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest

from bot.frontends.telegram_polling import RetryBudgetSpent

log = logging.getLogger("bot.frontends.telegram")

NETWORK_RETRIES = 3  # extra attempts for a call that failed on the network or with a 5xx
# Bot API calls in flight at once (getUpdates aside). Telegram takes ~50-100 ms a call and accepts ~30 messages a
# second from a bot, so 4 at once (40-80 calls a second) is enough. More only cost CPU: httpx's pool checks every
# open connection for every request, and a burst to 100 chats fell from ~530 updates/s at 4 to ~350 at 8, ~300 at
# 16 and ~145 with no cap (100 connections).
MAX_IN_FLIGHT = 4
# How long one send keeps waiting out Telegram's 429s (each as long as its retry_after says) before it is given
# up, counted from its first attempt. Ten minutes: past that the person has most likely given up too, and
# every other send is waiting behind the same 429.
RETRY_BUDGET = 600.0


class MalformedResponse(NetworkError):
    """Telegram's answer was not JSON: something on the way garbled or cut it. Retried like a network error."""


class QuietRequest(HTTPXRequest):
    """PTB's HTTPXRequest, except for an answer that is not JSON: PTB logs the whole answer at ERROR, and a
    garbled getUpdates answer holds people's messages. Here it is a MalformedResponse, logged by type only."""

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        try:
            return json.loads(payload.decode("utf-8", "replace"))
        except ValueError:
            raise MalformedResponse("the answer from Telegram was not JSON") from None


class RetryingRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (Telegram's flood limits; waits out a 429's retry_after and tries again) that also
    retries network errors, 5xx answers and garbled answers, which neither it nor PTB retry by themselves, and
    keeps at most `max_in_flight` calls open at once. A run of 429s is waited out for up to `retry_budget`
    seconds in all (AIORateLimiter counts retries, not time), then the call fails with RetryBudgetSpent.

    A refused call (429, 5xx) did nothing, so retrying it cannot repeat a message. A call whose answer was lost
    (a timeout, a connection dropped after Telegram acted on it) cannot be told apart from one that never
    arrived, so its retry can repeat a message: for this bot a repeated answer is better than none.
    """

    def __init__(
        self,
        *,
        network_retries: int = NETWORK_RETRIES,
        backoff: float = 0.5,
        retry_budget: float = RETRY_BUDGET,
        max_in_flight: int = MAX_IN_FLIGHT,
        **limits: Any,
    ) -> None:
        # The retry count is only a backstop: the budget, in seconds, is what ends a run of 429s.
        super().__init__(max_retries=10_000, **limits)
        self.retry_budget = retry_budget
        self.network_retries = network_retries
        self.backoff = backoff
        self._slots = asyncio.Semaphore(max_in_flight)

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):  # type: ignore[override]
        first: float | None = None

        async def in_slot(*call_args: Any, **call_kwargs: Any) -> Any:
            nonlocal first
            now = time.monotonic()
            first = now if first is None else first
            if now - first > self.retry_budget:  # raised through AIORateLimiter, which retries only RetryAfter
                raise RetryBudgetSpent(f"{endpoint}: Telegram answered 429 for over {self.retry_budget:g} s")
            # Held for the HTTP call only, not while a retry waits.
            async with self._slots:
                return await callback(*call_args, **call_kwargs)

        attempt = 0
        while True:
            try:
                return await super().process_request(in_slot, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:  # includes TimedOut and 5xx; BadRequest (400) is a subclass but final
                if isinstance(exc, BadRequest) or attempt >= self.network_retries:
                    raise
                attempt += 1
                wait = self.backoff * 2 ** (attempt - 1)
                log.warning(
                    "%s failed (%s); retry %d of %d", endpoint, type(exc).__name__, attempt, self.network_retries
                )
                await asyncio.sleep(wait)
