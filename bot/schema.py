"""Pydantic schemas for each content file: shapes and single-field rules. Cross-file rules live in content.py."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from bot.model import Route

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Qualifier = Literal["", "over", "nearly", "more than", "in excess of", "almost", "around", "about", "at least", "up to"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Intent(Strict):
    id: Id
    route: Route
    reply: Id
    examples: list[Text] = Field(min_length=1)


class ButtonSpec(Strict):
    text: Text
    url: Text | None = None


class ReplySpec(Strict):
    text: Text
    buttons: list[ButtonSpec] = []


class Link(Strict):
    name: Text
    number: Text | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None
    for_: Text = Field(alias="for")
    source: Text

    @model_validator(mode="after")
    def _reachable(self) -> Link:
        if self.number is None and self.url is None:
            raise ValueError("a contact needs a number or a url")
        return self


class Area(Strict):
    id: Id
    name: Text
    force: Text
    aliases: list[Text] = []
    towns: list[Text] = []
    postcodes: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")]] = []
    centre: tuple[float, float] | None = None
    radius_km: float | None = Field(default=None, gt=0, le=200)

    @model_validator(mode="after")
    def _circle(self) -> Area:
        if (self.centre is None) != (self.radius_km is None):
            raise ValueError("centre and radius_km go together: give both or neither")
        if self.centre and not (-90 <= self.centre[0] <= 90 and -180 <= self.centre[1] <= 180):
            raise ValueError("centre must be [latitude, longitude]")
        return self

    @property
    def in_force(self) -> bool:
        return self.force == "thames_valley"


class Source(Strict):
    publisher: Text
    title: Text
    kind: Text
    published: dt.date | None
    date_note: Text | None = None
    commander: Text | None = None
    seed: Text | None = None
    # Added for issue 10: a fingerprint of the source's words (the same text is the same source, whatever its
    # file name) and a link to it, which the bot's source line carries when it is given.
    digest: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")] | None = None

    @model_validator(mode="after")
    def _dated(self) -> Source:
        if self.published is None and not self.date_note:
            raise ValueError("published is null: add a date_note saying the source gives no date")
        return self


class Figure(Strict):
    area: Id
    label: Text
    value: float = Field(gt=0)
    unit: Literal["count", "GBP", "kg", "years"]
    qualifier: Qualifier
    period: Text
    source: Id
    topics: list[Text] = []
    quote: Text


class FigureFile(Strict):
    sources: dict[Id, Source]
    figures: list[Figure]

    @model_validator(mode="after")
    def _once(self) -> FigureFile:
        # Two figures with the same area, label and period would be quoted side by side with different sources.
        seen: dict[tuple[str, str, str], int] = {}
        for k, figure in enumerate(self.figures):
            key = (figure.area, figure.label, figure.period)
            if key in seen:
                raise ValueError(
                    f"figures {seen[key]} and {k} (counting from 0) are both '{figure.label}' for {figure.area}, "
                    f"{figure.period}: keep one, or say how they differ in the label"
                )
            seen[key] = k
        return self


def _compiles(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"regular expression {pattern!r} does not compile: {exc}") from None
        if compiled.search(""):
            raise ValueError(f"regular expression {pattern!r} matches empty text, so it would match every sentence")
    return patterns


class Safety(Strict):
    danger: list[Text] = Field(min_length=1)
    signs: dict[Id, list[Text]] = {}
    never_calm: list[Id] = []
    calm: list[Text] = []
    over: list[Text] = []
    ended: list[Text] = []
    urgent: list[Text] = []
    in_progress_intents: list[Id] = []
    hypothetical: list[Text] = []
    now: list[Text] = []
    negation: list[Text] = []
    negation_breakers: list[Text] = []
    danger_intent: Id = "emergency"
    calm_intent: Id = "past_crime"
    calm_intents: dict[Id, Id] = {}

    @field_validator(
        "danger", "calm", "over", "ended", "urgent", "hypothetical", "now", "negation", "negation_breakers"
    )
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        return _compiles(patterns)

    @field_validator("signs")
    @classmethod
    def _signs_compile(cls, signs: dict[str, list[str]]) -> dict[str, list[str]]:
        return {intent: _compiles(patterns) for intent, patterns in signs.items()}

    def all_signs(self) -> dict[str, list[str]]:
        """Danger signs by the 999 intent they call for; the general `danger` list is the danger intent's."""
        return {self.danger_intent: self.danger, **self.signs}


class Spelling(Strict):
    words: dict[Text, Text]
