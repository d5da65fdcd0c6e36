"""One line of waiting work per chat, free of PTB: each chat's answers go out one after another, in the order
its messages came; chats never wait for each other; a bursting chat's waiting messages are read together.

Nothing is dropped. A message is queued here as an `Item`; the chat's worker takes items in order. When the
chat is bursting (its messages' dates say it is typing faster than the flood guard's rate), every text
message waiting at that moment is joined with "\\n" into one reading, up to `max_chars`, and answered once:
the engine reads the whole for danger, so the fragments "theres a man", "in my kitchen" are read as one.
A chat with nothing waiting has no entry here (memory follows the chats that are waiting, not all chats).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass, field
from typing import Any

MAX_CHARS = 4096  # one reading of joined messages: Telegram's own limit on one message


@dataclass(slots=True)
class Item:
    """Waiting work for a chat: a text message to read (`text`), or an answer to make and send (`act`)."""

    update_ids: list[int]  # the updates this item answers: confirmed in the ledger once it is done
    update: object  # what the error handler is told about when the item fails
    text: str | None = None  # the person's words: may be read together with the next ones
    bursting: bool = False  # the flood guard said the chat was over its rate when this message came
    act: Callable[[], Coroutine[Any, Any, None]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # what the front end needs to answer a text


Reading = list[Item]  # text items answered by one engine call, oldest first
TextAnswer = Callable[[Hashable, Reading], Coroutine[Any, Any, None]]
Failure = Callable[[Hashable, Item, Exception], Coroutine[Any, Any, None]]


class ChatLines:
    """Per-chat queues of `Item`s and one worker task per chat that has any."""

    def __init__(
        self,
        answer_text: TextAnswer,
        on_done: Callable[[list[int]], None],
        on_failure: Failure,
        *,
        max_chars: int = MAX_CHARS,
    ) -> None:
        self._answer_text = answer_text
        self._on_done = on_done  # told the update ids of each finished item, answered or failed
        self._on_failure = on_failure
        self.max_chars = max_chars
        self._lines: dict[Hashable, deque[Item]] = {}
        self._workers: dict[Hashable, asyncio.Task[None]] = {}

    def put(self, chat: Hashable, item: Item) -> None:
        """Queue `item` behind the chat's waiting items; starts the chat's worker if it has none."""
        self._lines.setdefault(chat, deque()).append(item)
        if chat not in self._workers:
            self._workers[chat] = asyncio.get_running_loop().create_task(self._work(chat))

    def waiting(self, chat: Hashable) -> int:
        return len(self._lines.get(chat, ()))

    async def _work(self, chat: Hashable) -> None:
        line = self._lines[chat]
        try:
            while line:
                batch = self._take(line)
                try:
                    if batch[0].act is not None:
                        await batch[0].act()
                    else:
                        await self._answer_text(chat, batch)
                except Exception as exc:  # reported with the update; the line goes on
                    await self._on_failure(chat, batch[-1], exc)
                finally:
                    self._on_done([update_id for item in batch for update_id in item.update_ids])
        finally:
            del self._lines[chat], self._workers[chat]

    def _take(self, line: deque[Item]) -> list[Item]:
        """The next item, or, when the chat is bursting, every waiting text item up to `max_chars`."""
        head = line.popleft()
        if head.text is None or not (head.bursting or any(item.bursting for item in line)):
            return [head]
        batch, size = [head], len(head.text)
        while line and line[0].text is not None and size + 1 + len(line[0].text) <= self.max_chars:
            item = line.popleft()
            batch.append(item)
            size += 1 + len(item.text or "")
        return batch

    async def drain(self) -> None:
        """Wait until every chat's line is empty, including items queued meanwhile."""
        while pending := [task for task in self._workers.values() if not task.done()]:
            await asyncio.wait(pending)

    def __len__(self) -> int:
        return len(self._lines)
