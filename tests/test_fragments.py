"""Frightened people type in pieces: the engine reads the last half minute of a conversation together for danger."""

from __future__ import annotations

import pytest

import bot.engine as engine_module
from bot.engine import FRAGMENT_SECONDS, Engine
from bot.model import Route


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(engine_module.time, "monotonic", clock)
    return clock


def test_a_piece_that_completes_danger_gets_999(engine: Engine, clock: Clock) -> None:
    alone = engine.handle(engine.new_state(), "i dont know him")
    assert alone.route is not Route.CALL_999
    state = engine.new_state()
    engine.handle(state, "theres a man in my kitchen")
    clock.now += 5
    reply = engine.handle(state, "i dont know him")
    assert reply.route is Route.CALL_999
    assert reply.text.startswith("Call 999")


def test_pieces_older_than_half_a_minute_are_not_read_together(engine: Engine, clock: Clock) -> None:
    state = engine.new_state()
    engine.handle(state, "theres a man in my kitchen")
    clock.now += FRAGMENT_SECONDS + 1
    reply = engine.handle(state, "i dont know him")
    assert reply.route is not Route.CALL_999


def test_saying_it_is_over_is_not_answered_with_999_again(engine: Engine, clock: Clock) -> None:
    state = engine.new_state()
    assert engine.handle(state, "theres a man in my kitchen").route is Route.CALL_999
    clock.now += 10
    reply = engine.handle(state, "its ok now hes gone, it was last night really")
    assert reply.route is not Route.CALL_999


def test_the_window_is_bounded(engine: Engine, clock: Clock) -> None:
    state = engine.new_state()
    for _ in range(50):
        engine.handle(state, "hello there")
        clock.now += 0.1
    assert len(state.recent) <= engine_module.FRAGMENTS_KEPT
