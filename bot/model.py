"""The plain types front ends see: routes, buttons, replies and the short-lived conversation state."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum


class Route(StrEnum):
    """Where the bot sends the person. A closed set: the classify contract and the scorer depend on it."""

    CALL_999 = "call_999"
    CALL_101 = "call_101"
    REPORT_ONLINE = "report_online"
    AREA_STATS = "area_stats"
    INFO = "info"
    CLARIFY = "clarify"


@dataclass(frozen=True, slots=True)
class Button:
    """A link button when `url` is set; otherwise a choice whose text is sent back as the next message."""

    text: str
    url: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "url": self.url} if self.url else {"text": self.text}


@dataclass(frozen=True, slots=True)
class Reply:
    """What the engine answers; each front end decides how it looks."""

    route: Route
    intent: str
    text: str
    buttons: tuple[Button, ...] = ()
    area: str | None = None
    # How the route was decided, only when the caller asked (`classify --explain`); never logged.
    why: dict[str, object] | None = field(default=None, compare=False)


@dataclass(slots=True)
class ChatState:
    """Context of one conversation, kept in memory only and forgotten after `ttl` seconds of silence."""

    ttl: float = 300.0
    area: str | None = None
    intent: str | None = None
    updated: float = field(default_factory=time.monotonic)
    # The last few messages of the past half minute, read together for danger: frightened people type in pieces.
    recent: list[tuple[float, str]] = field(default_factory=list)

    def expire(self, now: float | None = None) -> None:
        """Forget the context if the last message was too long ago."""
        now = time.monotonic() if now is None else now
        if now - self.updated > self.ttl:
            self.forget()
        self.updated = now

    def forget(self) -> None:
        """Forget everything about the conversation (/forget)."""
        self.area = None
        self.intent = None
        self.recent.clear()

    def fragments(self, now: float, within: float) -> list[str]:
        """The texts of the recent messages sent within `within` seconds of `now`, oldest first."""
        self.recent[:] = [(at, text) for at, text in self.recent if now - at <= within]
        return [text for _, text in self.recent]
