"""The Telegram front end's per-chat bookkeeping, without PTB: state expiry, the flood guard, button keys,
ordered sending and message splitting."""

from __future__ import annotations

import asyncio
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import Engine
from bot.frontends.telegram_handlers import choice_texts
from bot.frontends.telegram_state import (
    ButtonKeys,
    ChatStates,
    FloodGuard,
    OrderedSender,
    Verdict,
    split_text,
    utf16_len,
)
from bot.model import ChatState


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------------- conversation states
def test_a_chat_keeps_its_state_while_active_and_loses_it_after_the_ttl() -> None:
    clock = Clock()
    states = ChatStates(lambda: ChatState(ttl=300), 300, clock=clock)
    first = states.get(1)
    first.area = "milton_keynes"
    clock.now += 299
    assert states.get(1) is first
    clock.now += 301
    fresh = states.get(1)
    assert fresh is not first and fresh.area is None


def test_expired_chats_are_forgotten_not_kept_in_memory() -> None:
    clock = Clock()
    states = ChatStates(lambda: ChatState(ttl=60), 60, clock=clock)
    for chat in range(1000):
        states.get(chat)
    assert len(states) == 1000
    clock.now += 30
    states.get(5)  # still active
    clock.now += 31
    assert len(states) == 1  # only chat 5 was used within the last 60 s
    clock.now += 61
    assert len(states) == 0


# ---------------------------------------------------------------------- flood guard
def test_the_flood_guard_answers_up_to_the_limit_then_one_notice_then_quiet() -> None:
    clock = Clock()
    guard = FloodGuard(messages=8, seconds=10, pause=60, clock=clock)
    verdicts = []
    for _ in range(20):
        verdicts.append(guard.check("a"))
        clock.now += 0.2
    assert verdicts[:8] == [Verdict.ANSWER] * 8
    assert verdicts[8] is Verdict.NOTICE
    assert verdicts[9:] == [Verdict.QUIET] * 11


def test_other_chats_are_unaffected_by_a_flooding_chat() -> None:
    clock = Clock()
    guard = FloodGuard(messages=3, seconds=10, pause=60, clock=clock)
    for _ in range(10):
        guard.check("flooder")
    assert [guard.check("neighbour") for _ in range(3)] == [Verdict.ANSWER] * 3


def test_the_guard_cools_down_after_the_pause() -> None:
    clock = Clock()
    guard = FloodGuard(messages=3, seconds=10, pause=60, clock=clock)
    for _ in range(4):
        guard.check("a")
    clock.now += 59
    assert guard.check("a") is Verdict.QUIET
    clock.now += 2
    assert [guard.check("a") for _ in range(4)] == [Verdict.ANSWER] * 3 + [Verdict.NOTICE]


def test_a_steady_human_pace_is_never_stopped() -> None:
    clock = Clock()
    guard = FloodGuard(messages=8, seconds=10, pause=60, clock=clock)
    for _ in range(500):  # one message every 1.5 s for over 12 minutes
        assert guard.check("a") is Verdict.ANSWER
        clock.now += 1.5


def test_a_limit_of_zero_switches_the_guard_off() -> None:
    guard = FloodGuard(messages=0)
    assert all(guard.check("a") is Verdict.ANSWER for _ in range(1000))


# ---------------------------------------------------------------------- button keys
def test_every_choice_button_in_the_content_gets_a_short_key_that_survives_a_restart(engine: Engine) -> None:
    texts = choice_texts(engine)
    assert "Which number do I use?" in texts
    before, after = ButtonKeys(texts), ButtonKeys(texts)  # two processes
    for text in texts:
        key = before.key(text)
        assert len(key.encode()) <= 64
        assert after.text(key) == text
    assert after.text("c:unknown") is None and after.text(None) is None


@given(st.text(min_size=1, max_size=300))
def test_any_button_text_maps_to_callback_data_telegram_accepts(text: str) -> None:
    keys = ButtonKeys()
    key = keys.key(text)
    assert 1 <= len(key.encode("utf-8")) <= 64
    assert keys.text(key) == text


# ---------------------------------------------------------------------- ordered sending
async def test_sends_for_one_chat_keep_their_order_and_chats_do_not_wait_for_each_other() -> None:
    done: list[str] = []
    tasks: list[asyncio.Task] = []
    sender = OrderedSender(lambda coroutine, update: asyncio.ensure_future(coroutine))

    def job(name: str, delay: float, fail: bool = False):
        async def send() -> None:
            await asyncio.sleep(delay)
            if fail:
                raise RuntimeError("send failed")
            done.append(name)

        return send

    tasks.append(sender.submit("slow", job("slow-1", 0.10), None))
    tasks.append(sender.submit("slow", job("slow-2", 0.00, fail=True), None))
    tasks.append(sender.submit("slow", job("slow-3", 0.00), None))
    tasks.append(sender.submit("fast", job("fast-1", 0.01), None))
    await asyncio.wait(tasks, timeout=5)
    assert [type(t.exception()).__name__ for t in tasks] == ["NoneType", "RuntimeError", "NoneType", "NoneType"]
    assert done == ["fast-1", "slow-1", "slow-3"]  # a failed send does not stop the ones after it
    assert len(sender) == 0


# ---------------------------------------------------------------------- splitting
def test_a_short_reply_is_one_message() -> None:
    assert split_text("hello\nthere") == ["hello\nthere"]


def test_a_long_reply_splits_at_line_breaks() -> None:
    lines = [f"- line {n}: " + "x" * 90 for n in range(100)]
    parts = split_text("\n".join(lines), limit=1000)
    assert all(len(part) <= 1000 for part in parts)
    assert all(line in parts_line for parts_line in parts for line in parts_line.splitlines())
    assert "\n".join(parts).splitlines() == lines


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from("ab \n\U0001f600é"), max_size=3000), st.integers(min_value=2, max_value=500))
def test_split_parts_fit_and_lose_nothing_but_the_breaks_they_split_at(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(utf16_len(part) <= limit for part in parts)
    assert re.sub(r"\s", "", "".join(parts)) == re.sub(r"\s", "", text)


async def test_drain_waits_for_every_send_including_those_submitted_while_it_waits() -> None:
    done: list[str] = []
    sender = OrderedSender(lambda coroutine, update: asyncio.ensure_future(coroutine))

    def job(name: str, then: str | None = None):
        async def send() -> None:
            await asyncio.sleep(0.02)
            done.append(name)
            if then:  # as an error reply is submitted after a failed send
                sender.submit("b", job(then), None)

        return send

    sender.submit("a", job("a-1", then="b-late"), None)
    sender.submit("a", job("a-2"), None)
    await asyncio.wait_for(sender.drain(), 5)
    assert sorted(done) == ["a-1", "a-2", "b-late"]
    assert len(sender) == 0
