"""Per-chat bookkeeping for the Telegram front end, free of PTB so it can be tested on its own: conversation
states that expire, the flood guard, the ledger of unanswered updates, message ids for /forget, short keys
for choice buttons and message splitting."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import time
from array import array
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterable

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

    def forget(self, chat: Hashable) -> None:
        """/forget: the chat starts afresh; its next message gets `new_state()`."""
        self._states.pop(chat, None)

    def __len__(self) -> int:
        self._forget_expired(self._clock())
        return len(self._states)


class FloodGuard:
    """Per-chat rate by each message's own `date` (when the person sent it), not by when the bot reads it.

    A chat is *bursting* when more than `messages` of its messages were sent within `seconds`: its pending
    messages are then read together and answered once (nothing is dropped), and it is told once per `pause`
    seconds, after the answer, that the bot reads fast messages together. A backlog read after a restart keeps
    its senders' dates, so ten messages a minute apart are ten ordinary messages. `messages=0` switches it off.
    """

    def __init__(self, messages: int = 8, seconds: float = 10.0, pause: float = 60.0) -> None:
        self.messages, self.seconds, self.pause = messages, seconds, pause
        self._recent: dict[Hashable, deque[float]] = {}
        self._told: dict[Hashable, float] = {}  # chat -> date of the last notice
        self._checks = 0

    def bursting(self, chat: Hashable, date: float) -> bool:
        """Count a message sent at `date` (seconds since the epoch) and say whether the chat is over the rate."""
        if self.messages <= 0:
            return False
        self._checks += 1
        if self._checks % 1000 == 0:
            self._forget_idle(date)
        recent = self._recent.setdefault(chat, deque())
        recent.append(date)
        # Dates arrive in order, give or take a clock step; a window on the latest date is what counts.
        while recent and date - recent[0] >= self.seconds:
            recent.popleft()
        return len(recent) > self.messages

    def notice_due(self, chat: Hashable, date: float) -> bool:
        """Whether to tell the chat, now, that its fast messages are read together: at most once a `pause`."""
        told = self._told.get(chat)
        if told is not None and date - told < self.pause:
            return False
        self._told[chat] = date
        return True

    def _forget_idle(self, now: float) -> None:
        for chat in [c for c, dates in self._recent.items() if not dates or now - dates[-1] >= self.seconds]:
            del self._recent[chat]
        for chat in [c for c, told in self._told.items() if now - told >= self.pause]:
            del self._told[chat]

    def __len__(self) -> int:
        return len(self._recent) + len(self._told)


class Ledger:
    """Update ids fetched from Telegram and not answered yet: the poller confirms updates to Telegram only
    while at most a bounded number of them is waiting, so a kill -9 loses at most that many."""

    def __init__(self) -> None:
        self._waiting: set[int] = set()
        self._changed = asyncio.Event()

    def fetched(self, update_id: int) -> None:
        self._waiting.add(update_id)

    def answered(self, update_ids: Iterable[int]) -> None:
        for update_id in update_ids:
            self._waiting.discard(update_id)
        self._changed.set()

    async def wait_at_most(self, count: int) -> None:
        """Return once no more than `count` updates are waiting for their answer."""
        while len(self._waiting) > count:
            self._changed.clear()
            await self._changed.wait()

    def __contains__(self, update_id: object) -> bool:
        return update_id in self._waiting

    def __len__(self) -> int:
        return len(self._waiting)


class MessageLog:
    """Recent message ids of private chats (the person's and the bot's), in memory only and only for /forget:
    the Bot API lets a bot delete both within 48 hours. Bounded per chat and in chats (the least recently
    active go first), 16 bytes a message: at the defaults at most ~16 MB."""

    def __init__(
        self,
        *,
        per_chat: int = 100,
        chats: int = 10_000,
        keep: float = 48 * 3600 - 300,  # a little inside Telegram's 48 hours, for clocks that differ
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.per_chat, self.chats, self.keep = per_chat, chats, keep
        self._clock = clock
        self._ids: OrderedDict[Hashable, array[int]] = OrderedDict()  # id, time, id, time ...; oldest chat first
        self._incomplete: set[Hashable] = set()  # chats that lost ids to the bound

    def add(self, chat: Hashable, message_id: int) -> None:
        ids = self._ids.pop(chat, None)
        if ids is None:
            ids = array("q")
            while len(self._ids) >= self.chats:
                dropped, _ = self._ids.popitem(last=False)
                self._incomplete.discard(dropped)
        if len(ids) >= 2 * self.per_chat:
            del ids[:2]
            self._incomplete.add(chat)
        ids.extend((message_id, int(self._clock())))
        self._ids[chat] = ids

    def take(self, chat: Hashable) -> tuple[list[int], bool]:
        """Forget the chat's ids; those still deletable, and whether others in the chat cannot be deleted
        (older than 48 hours, dropped by the bound, or sent before this process started)."""
        ids = self._ids.pop(chat, array("q"))
        incomplete = chat in self._incomplete
        self._incomplete.discard(chat)
        now = self._clock()
        pairs = list(zip(ids[::2], ids[1::2], strict=True))
        fresh = sorted(message_id for message_id, at in pairs if now - at < self.keep)
        # Message ids in a private chat count up from 1: a gap before the first one known was sent earlier.
        incomplete = incomplete or len(fresh) < len(pairs) or not fresh or fresh[0] > 1
        return fresh, incomplete

    def __len__(self) -> int:
        return len(self._ids)


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
