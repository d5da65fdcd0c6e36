"""The Telegram front end's per-chat bookkeeping, without PTB: state expiry, the flood guard by date, the
ledger of unanswered updates, /forget's message ids, button keys, chat lines and message splitting."""

from __future__ import annotations

import asyncio
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import Engine
from bot.frontends.telegram_handlers import choice_texts
from bot.frontends.telegram_lines import ChatLines, Item
from bot.frontends.telegram_state import (
    ButtonKeys,
    ChatStates,
    FloodGuard,
    Ledger,
    MessageLog,
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


# ---------------------------------------------------------------------- flood guard (by the date sent)
def test_the_guard_judges_by_when_messages_were_sent_not_when_they_are_read() -> None:
    guard = FloodGuard(messages=8, seconds=10, pause=60)
    # A restart backlog: twelve messages a minute apart, all read at once. None of them is a burst.
    assert not any(guard.bursting("a", 1000.0 + 60 * n) for n in range(12))
    # Twelve sent within two seconds: the ninth and later are over the rate.
    assert [guard.bursting("b", 1000.0 + 0.2 * n) for n in range(12)] == [False] * 8 + [True] * 4


def test_other_chats_are_unaffected_by_a_bursting_chat() -> None:
    guard = FloodGuard(messages=3, seconds=10, pause=60)
    for _ in range(10):
        guard.bursting("flooder", 1000.0)
    assert [guard.bursting("neighbour", 1000.0) for _ in range(3)] == [False] * 3


def test_the_notice_comes_at_most_once_a_pause() -> None:
    guard = FloodGuard(messages=3, seconds=10, pause=60)
    assert [guard.notice_due("a", 1000.0 + t) for t in (0, 1, 59)] == [True, False, False]
    assert guard.notice_due("a", 1061.0) and guard.notice_due("b", 1000.0)


def test_a_steady_human_pace_is_never_a_burst() -> None:
    guard = FloodGuard(messages=8, seconds=10, pause=60)
    assert not any(guard.bursting("a", 1000.0 + 1.5 * n) for n in range(500))  # every 1.5 s for 12 minutes


def test_a_limit_of_zero_switches_the_guard_off() -> None:
    guard = FloodGuard(messages=0)
    assert not any(guard.bursting("a", 1000.0) for _ in range(1000))


def test_the_guard_forgets_quiet_chats() -> None:
    guard = FloodGuard(messages=3, seconds=10, pause=60)
    for chat in range(2000):
        guard.bursting(chat, 1000.0 + chat)  # each chat speaks once, a second apart
    assert len(guard) < 20


# ---------------------------------------------------------------------- ledger and /forget's message ids
async def test_the_ledger_waits_until_few_enough_updates_are_unanswered() -> None:
    ledger = Ledger()
    for update_id in range(10):
        ledger.fetched(update_id)
    waiting = asyncio.ensure_future(ledger.wait_at_most(3))
    await asyncio.sleep(0.01)
    ledger.answered(range(6))
    await asyncio.sleep(0.01)
    assert not waiting.done() and len(ledger) == 4
    ledger.answered([7, 99])  # an id it never had is fine (webhook updates, updates that need no answer)
    await asyncio.wait_for(waiting, 1)
    assert 6 in ledger and 7 not in ledger


def test_message_ids_are_bounded_and_forgetting_says_what_it_cannot_delete() -> None:
    clock = Clock()
    log = MessageLog(per_chat=5, chats=2, clock=clock)
    for message_id in range(1, 4):
        log.add("a", message_id)
    assert log.take("a") == ([1, 2, 3], False)
    assert log.take("a") == ([], True)  # nothing known: maybe sent before a restart
    for message_id in range(1, 9):
        log.add("b", message_id)
    assert log.take("b") == ([4, 5, 6, 7, 8], True)  # the first three fell off the bound
    log.add("c", 1)
    clock.now += 48 * 3600
    log.add("c", 2)
    assert log.take("c") == ([2], True)  # older than 48 hours: Telegram refuses to delete it
    log.add("d", 5)
    assert log.take("d") == ([5], True)  # ids before 5 were sent before this process saw the chat
    for chat in "efgh":
        log.add(chat, 1)
    assert len(log) == 2


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


# ---------------------------------------------------------------------- chat lines
def _lines(done: list, read: list, failures: list, *, max_chars: int = 4096) -> ChatLines:
    async def answer(chat, reading) -> None:
        await asyncio.sleep(0.02)
        read.append((chat, [item.text for item in reading]))

    async def failed(chat, item, error) -> None:
        failures.append((chat, type(error).__name__))

    return ChatLines(answer, done.extend, failed, max_chars=max_chars)


def _act(log: list, name: str, delay: float = 0.0, fail: bool = False):
    async def act() -> None:
        await asyncio.sleep(delay)
        if fail:
            raise RuntimeError("send failed")
        log.append(name)

    return act


async def test_a_chats_items_keep_their_order_and_chats_do_not_wait_for_each_other() -> None:
    done, read, failures, acts = [], [], [], []
    lines = _lines(done, read, failures)
    lines.put("slow", Item([1], None, act=_act(acts, "slow-1", 0.1)))
    lines.put("slow", Item([2], None, act=_act(acts, "slow-2", fail=True)))
    lines.put("slow", Item([3], None, act=_act(acts, "slow-3")))
    lines.put("fast", Item([4], None, act=_act(acts, "fast-1", 0.01)))
    await asyncio.wait_for(lines.drain(), 5)
    assert acts == ["fast-1", "slow-1", "slow-3"]  # a failed item does not stop the ones after it
    assert failures == [("slow", "RuntimeError")]
    assert sorted(done) == [1, 2, 3, 4] and len(lines) == 0  # failed or not, each item is settled


async def test_a_bursting_chats_waiting_texts_are_read_together_in_order_and_nothing_is_dropped() -> None:
    done, read, failures = [], [], []
    lines = _lines(done, read, failures, max_chars=30)
    lines.put("a", Item([1], None, text="help"))  # read at once: nothing is waiting yet
    await asyncio.sleep(0)
    for n, text in enumerate(["theres a man", "in my kitchen", "i dont know him", "hes shouting"], 2):
        lines.put("a", Item([n], None, text=text, bursting=n >= 4))
    lines.put("b", Item([9], None, text="hello"))
    await asyncio.wait_for(lines.drain(), 5)
    readings = [texts for chat, texts in read if chat == "a"]
    assert readings[0] == ["help"]
    # The next reading joins what waited, up to max_chars (30: "theres a man\nin my kitchen" is 26).
    assert readings[1:] == [["theres a man", "in my kitchen"], ["i dont know him", "hes shouting"]]
    assert sorted(done) == [1, 2, 3, 4, 5, 9]


async def test_a_chat_that_is_not_bursting_gets_one_answer_a_message() -> None:
    done, read, failures = [], [], []
    lines = _lines(done, read, failures)
    for n in range(5):
        lines.put("a", Item([n], None, text=f"message {n}"))
    await asyncio.wait_for(lines.drain(), 5)
    assert [texts for _, texts in read] == [[f"message {n}"] for n in range(5)]


async def test_drain_waits_for_items_queued_while_it_waits() -> None:
    done, read, failures, acts = [], [], [], []
    lines = _lines(done, read, failures)

    async def then_more() -> None:
        await asyncio.sleep(0.02)
        acts.append("a-1")
        lines.put("b", Item([], None, act=_act(acts, "b-late", 0.02)))  # as an error reply is queued

    lines.put("a", Item([1], None, act=then_more))
    lines.put("a", Item([2], None, act=_act(acts, "a-2")))
    await asyncio.wait_for(lines.drain(), 5)
    assert sorted(acts) == ["a-1", "a-2", "b-late"] and len(lines) == 0


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
