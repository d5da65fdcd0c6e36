"""Per-chat bookkeeping for the Telegram front end, free of PTB so it can be tested on its own: conversation
states that expire, the flood guard, short keys for choice buttons, ordered sending and message splitting."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine, Hashable, Iterable
from enum import Enum
from typing import Any

from bot.model import ChatState

TELEGRAM_TEXT_LIMIT = 4096  # characters (UTF-16 code units) in one message
CALLBACK_DATA_LIMIT = 64  # bytes of callback_data on one inline button
_KEY_PREFIX = "c:"


class ChatStates:
    """chat id -> the engine's ChatState, in memory only; a chat silent for longer than `ttl` is forgotten."""

    def __init__(self, new_state: Callable[[], ChatState], ttl: float, *, clock: Callable[[], float] = time.monotonic):
        self._new_state = new_state
        self._ttl = ttl
        self._clock = clock
        self._states: OrderedDict[Hashable, tuple[ChatState, float]] = OrderedDict()  # oldest use first

    def get(self, chat: Hashable) -> ChatState:
        """The chat's state, a fresh one when it has none or it expired; forgets every other expired chat."""
        now = self._clock()
        self._forget_expired(now)
        entry = self._states.pop(chat, None)
        state = entry[0] if entry else self._new_state()
        self._states[chat] = (state, now)
        return state

    def _forget_expired(self, now: float) -> None:
        # Entries are kept in order of last use, so the expired ones are all at the front.
        while self._states:
            chat, (_, seen) = next(iter(self._states.items()))
            if now - seen <= self._ttl:
                break
            del self._states[chat]

    def __len__(self) -> int:
        self._forget_expired(self._clock())
        return len(self._states)


class Verdict(Enum):
    ANSWER = "answer"
    NOTICE = "notice"  # the first message over the limit: say once that the bot is pausing
    QUIET = "quiet"  # further messages during the pause: no answer at all


class FloodGuard:
    """Per-chat sliding window: more than `messages` in `seconds` earns one notice, then `pause` seconds of quiet.

    Other chats are unaffected. Messages sent during the pause are not answered and not counted; when the pause
    ends the window starts empty. `messages=0` switches the guard off.
    """

    def __init__(
        self,
        messages: int = 8,
        seconds: float = 10.0,
        pause: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.messages, self.seconds, self.pause = messages, seconds, pause
        self._clock = clock
        self._recent: dict[Hashable, deque[float]] = {}
        self._paused_until: dict[Hashable, float] = {}
        self._checks = 0

    def check(self, chat: Hashable) -> Verdict:
        """Count one incoming message from `chat` and say whether to answer it."""
        if self.messages <= 0:
            return Verdict.ANSWER
        now = self._clock()
        self._checks += 1
        if self._checks % 1000 == 0:
            self._forget_idle(now)
        if chat in self._paused_until:
            if now < self._paused_until[chat]:
                return Verdict.QUIET
            del self._paused_until[chat]
            self._recent.pop(chat, None)
        recent = self._recent.setdefault(chat, deque())
        while recent and now - recent[0] >= self.seconds:
            recent.popleft()
        if len(recent) >= self.messages:
            self._paused_until[chat] = now + self.pause
            self._recent.pop(chat, None)
            return Verdict.NOTICE
        recent.append(now)
        return Verdict.ANSWER

    def _forget_idle(self, now: float) -> None:
        for chat in [c for c, times in self._recent.items() if not times or now - times[-1] >= self.seconds]:
            del self._recent[chat]
        for chat in [c for c, until in self._paused_until.items() if now >= until]:
            del self._paused_until[chat]


class ButtonKeys:
    """Choice-button text <-> a short callback_data key (Telegram allows 64 bytes; button texts can be longer).

    The key is a hash of the text, so a button keeps working after a restart as long as the content still has
    it: `known` texts (every choice button in the content) are registered up front, others on first use.
    """

    def __init__(self, known: Iterable[str] = ()) -> None:
        self._texts: dict[str, str] = {}
        for text in known:
            self.key(text)

    def key(self, text: str) -> str:
        key = _KEY_PREFIX + hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
        self._texts.setdefault(key, text)
        return key

    def text(self, key: str | None) -> str | None:
        """The button text for a key, or None for a key this process does not know (an old or foreign button)."""
        return self._texts.get(key or "")


class OrderedSender:
    """Sends for one chat run one after another, in the order they were submitted; chats do not wait for each
    other, so a slow or rate-limited chat never holds up the rest. `drain()` waits for every send, including
    those submitted while it waits (an error reply after a failed send), so a stop can finish them all."""

    def __init__(self, spawn: Callable[[Coroutine[Any, Any, None], object], asyncio.Task[None]]) -> None:
        self._spawn = spawn  # errors must reach the error handler with their update
        self._tails: dict[Hashable, asyncio.Task[None]] = {}

    def submit(self, chat: Hashable, send: Callable[[], Coroutine[Any, Any, None]], update: object) -> asyncio.Task:
        previous = self._tails.get(chat)

        async def after_previous() -> None:
            if previous is not None and not previous.done():
                # Wait for the earlier send without inheriting its failure: that one has been reported already.
                await asyncio.wait([previous])
            await send()

        task = self._spawn(after_previous(), update)
        self._tails[chat] = task
        task.add_done_callback(lambda done: self._tails.pop(chat) if self._tails.get(chat) is done else None)
        return task

    async def drain(self) -> None:
        """Wait until nothing is left to send. Each chat's last task finishes after all of that chat's others."""
        while pending := [task for task in self._tails.values() if not task.done()]:
            await asyncio.wait(pending)

    def __len__(self) -> int:
        return len(self._tails)


def refreeze_memory() -> None:
    """After a content reload: let the garbage collector see the old engine again, collect it, then freeze what
    is left. Only in a process that froze its start-up objects (`gc.freeze()` in telegram.run), where full
    collections skip the engine's tens of thousands of objects instead of pausing every reply for 20-35 ms."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts two)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split a reply into messages of at most `limit` UTF-16 units, at line breaks, else spaces, else anywhere."""
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut = _fit(rest, limit)
        head = rest[:cut]
        # Prefer the last paragraph break, then line break, then space, in the second half of the piece.
        for sep in ("\n\n", "\n", " "):
            at = head.rfind(sep)
            if at > cut // 2:
                head, rest = rest[:at], rest[at + len(sep) :]
                break
        else:
            rest = rest[cut:]
        parts.append(head)
    if rest or not parts:
        parts.append(rest)
    return parts


def _fit(text: str, limit: int) -> int:
    """The largest prefix length (in characters) whose UTF-16 length is within `limit`."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return max(index, 1)
    return len(text)
