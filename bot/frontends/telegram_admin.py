"""Content reload for the Telegram front end, free of PTB: `/reload` from an admin, or SIGHUP.

A reload reads and checks the content exactly as start-up does and builds a new Engine from it, in a worker
thread so that replies keep flowing meanwhile (at 100x content that takes seconds). Only a new engine that
built without a problem replaces the running one; otherwise the bot keeps answering with the content it has
and the admin (or the log) gets every problem as `file:line: what is wrong`. Nothing here can stop the bot:
every failure becomes a report, never a traceback.

The admin's messages are worded here, not in content/replies.yaml: they must still make sense when that very
file is what failed to load, and people never see them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.content import Content, ContentError
from bot.engine import Engine

MAX_PROBLEMS_SHOWN = 100  # to the admin; `python -m bot check` lists them all


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    """A reload's result: the new engine (None when the running one stays) and what to tell the admin."""

    engine: Engine | None
    summary: str
    problems: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The whole report, one problem a line; the front end splits it to fit Telegram's limit."""
        shown = list(self.problems[:MAX_PROBLEMS_SHOWN])
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"... and {len(self.problems) - MAX_PROBLEMS_SHOWN} more: run `python -m bot check`")
        return "\n".join([self.summary, *shown])


def describe(content: Content) -> str:
    """'24 intents, 1,975 examples, ...' as `python -m bot check` counts them."""
    examples = sum(len(intent.examples) for intent in content.intents)
    return (
        f"{len(content.intents)} intents, {examples:,} examples, {len(content.replies)} replies, "
        f"{len(content.links)} links, {len(content.areas)} areas, {len(content.figures.figures)} figures"
    )


class Reloader:
    """Builds a new engine with `load` (load_content + Engine), one reload at a time."""

    def __init__(self, load: Callable[[], Engine]) -> None:
        self._load = load
        self._lock = asyncio.Lock()  # a second /reload or SIGHUP waits for the first, then reads again

    async def reload(self) -> ReloadOutcome:
        async with self._lock:
            started = time.perf_counter()
            try:
                engine = await asyncio.to_thread(self._load)
            except ContentError as exc:
                problems = tuple(str(problem) for problem in exc.problems)
                summary = (
                    f"not reloaded: the content has {len(problems)} problem(s); "
                    "still answering with the content loaded before."
                )
                return ReloadOutcome(None, summary, problems)
            except Exception as exc:  # an unreadable folder, a bug: reported by type only, the bot carries on
                summary = (
                    f"not reloaded: reading the content failed ({type(exc).__name__}); still answering with the "
                    "content loaded before. Run `python -m bot check` on the bot's machine for details."
                )
                return ReloadOutcome(None, summary)
            seconds = time.perf_counter() - started
            return ReloadOutcome(engine, f"reloaded: {describe(engine.content)} ({seconds:.1f} s).")
