"""Properties of the engine that must hold for any text a person can send, generated with hypothesis.

Whatever arrives (empty, 10,000 characters, control and zero-width characters, Arabic and Hebrew, emoji only), the
engine answers with a non-empty reply on a valid route; a clear danger sentence reaches 999 whatever surrounds it;
999 replies lead with the 999 line and reporting replies end with the emergency line; and one conversation never
changes another's answers. The `engine` fixture is session-scoped, so hypothesis' function-scoped-fixture health
check does not apply. Timing here is only a hang guard: speed is measured in benchmarks/, not asserted in tests.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.engine import Engine
from bot.model import ChatState, Reply, Route

HANG_GUARD_S = 0.5  # far above any sane per-message cost: it catches a hang, it does not measure speed
MAX_TEXT = 10_000
REPORTING = frozenset({Route.REPORT_ONLINE, Route.CALL_101})
LEADS_WITH_999 = re.compile(r"[^\n]*\b999\b")

# Sentences that say, unmistakably, that someone is in danger now. Each must reach 999 on its own and inside any
# surrounding text, since the safety rules read a message sentence by sentence.
DANGER_SENTENCES = [
    "theres a man with a knife outside my door right now",
    "someone is breaking into the house next door",
    "my neighbour has collapsed and isnt breathing",
    "a lad just got stabbed at the bus stop",
    "he has a gun and is pointing it at people",
    "a man is following me home and i am scared",
    "my ex is threatening to kill me",
    "there is a fire in the flat below us",
    "someone is trying to get in through my back window",
    "a child has fallen into the canal",
    "my friend has overdosed and wont wake up",
    "a guy is being beaten up outside the pub",
    "my daughter is missing and i cant find her anywhere",
    "somebody just got hit by a car on the high street and is bleeding",
    "a woman is screaming for help in the flat next door",
    "theres a gang with machetes on our road now",
]

# Ordinary messages, including ones that carry calm cues (the past, "not an emergency", "every night"), which
# must not calm a danger sentence beside them.
ORDINARY = [
    "lads dealing weed from the flat upstairs every night",
    "my bike got nicked from outside work yesterday",
    "not an emergency but the neighbours music is so loud",
    "what have the police done about drugs in bletchley",
    "and how much cash?",
    "what about aylesbury",
    "stats for mk14 please",
    "how do i report something without giving my name",
    "should i ring 999 or 101",
    "a car keeps parking up on our road with two blokes sitting in it",
    "im being made to sell drugs and i want out",
    "no one was hurt",
    "last night",
    "hello",
    "thanks",
    "what can you do",
    "whats the weather like tomorrow",
    "but",
    "however",
    "online",
]

ZERO_WIDTH_AND_BIDI = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e"  # zero-width space/joiners, BOM, soft hyphen, CGJ
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # direction marks and overrides
)
EMOJI = [
    "🔪",
    "🚨",
    "😂",
    "🤔",
    "👍🏽",
    "🇬🇧",
    "1️⃣",
    "❤️",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🧑🏿‍🚒",
]
RTL_WORDS = ["مرحبا", "شرطة", "سكين", "مساعدة", "الآن", "שלום", "משטרה", "סכין", "עזרה", "עכשיו", "ﷺ", "ﻻ"]


def front_end(raw_and_errors: tuple[str, str]) -> str:
    """Text as a front end receives it: valid UTF-8, so lone surrogates are dropped or replaced on the way in."""
    raw, errors = raw_and_errors
    return raw.encode("utf-8", errors).decode("utf-8")


def _repeat_to(chunk: str, length: int) -> str:
    return (chunk * (length // max(len(chunk), 1) + 1))[:length] if chunk else ""


odd_chars = st.one_of(
    st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]),  # control, format and every kind of space
    st.sampled_from(ZERO_WIDTH_AND_BIDI),
    st.characters(min_codepoint=0x0590, max_codepoint=0x06FF),  # Hebrew and Arabic
    st.characters(min_codepoint=0xFB1D, max_codepoint=0xFDFF),  # presentation forms: NFKC expands some of them
    st.characters(categories=["Mn", "Me"]),  # combining marks, stacked
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji
    st.characters(categories=["Cs"]),  # lone surrogates, removed by `front_end`
    st.characters(codec="ascii"),
)
words = st.lists(st.sampled_from(ORDINARY + RTL_WORDS + EMOJI), max_size=12).map(" ".join)
raw_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=odd_chars, max_size=300),
    st.lists(st.sampled_from(EMOJI), min_size=1, max_size=30).map("".join),  # emoji only
    st.lists(st.sampled_from(RTL_WORDS), min_size=1, max_size=30).map(" ".join),  # right to left only
    words,
    st.builds(
        _repeat_to,
        st.one_of(st.text(alphabet=odd_chars, max_size=50), words),
        st.one_of(st.integers(0, 500), st.integers(1000, MAX_TEXT), st.just(MAX_TEXT)),  # long ones often
    ),
)
any_text = st.tuples(raw_text, st.sampled_from(["ignore", "replace"])).map(front_end)


def timed_handle(engine: Engine, state: ChatState, text: str) -> Reply:
    """engine.handle with a hang guard."""
    started = time.perf_counter()
    reply = engine.handle(state, text)
    elapsed = time.perf_counter() - started
    assert elapsed < HANG_GUARD_S, f"{elapsed:.3f} s for a message of {len(text)} characters: {text[:80]!r}"
    return reply


def check_reply(engine: Engine, reply: Reply) -> None:
    """What every reply must be, whatever the message."""
    assert isinstance(reply, Reply)
    assert isinstance(reply.route, Route)
    assert reply.text.strip(), f"empty reply on route {reply.route}"
    assert reply.intent
    assert all(button.text.strip() for button in reply.buttons)
    if reply.route is Route.CALL_999:
        assert LEADS_WITH_999.match(reply.text), f"999 reply does not lead with 999: {reply.text[:80]!r}"
    if reply.route in REPORTING:
        line = engine.content.replies["emergency_line"].text
        assert reply.text.rstrip().endswith(line), f"{reply.intent} ({reply.route}) lacks the emergency line"


# ------------------------------------------------------------------ any text gets an answer


@settings(max_examples=250, deadline=None)
@given(text=any_text)
@example(text="")
@example(text=" \t\r\n")
@example(text="\u200b\u200d\ufeff")
@example(text="\x00\x07\x1b[31m")
@example(text="\u202eemergency knife")
@example(text="🔪🔪🔪")
@example(text="مرحبا، هناك رجل معه سكين")
@example(text="יש איש עם סכין בחוץ")
@example(text="a" * MAX_TEXT)
@example(text="help " * (MAX_TEXT // 5))
@example(text="z\u0301\u0302\u0303\u0304" * (MAX_TEXT // 5))
def test_any_text_gets_a_reply_on_a_valid_route(engine: Engine, text: str) -> None:
    check_reply(engine, timed_handle(engine, engine.new_state(), text))


# One character can stand for many: NFKC turns U+FDFA into 18, so a message under Telegram's 4,096-character limit
# can hold far more words than the engine's MAX_CHARS suggests.
EXPANDING = {
    "FDFA-x4000": "\ufdfa" * 4000,
    "FDFA-space-x2000": "\ufdfa " * 2000,
    "FDFB-x4000": "\ufdfb" * 4000,
    "3300-x4000": "\u3300" * 4000,
    "FDFA-x10000": "\ufdfa" * MAX_TEXT,
}


@pytest.mark.parametrize("text", EXPANDING.values(), ids=EXPANDING.keys())
def test_characters_that_expand_do_not_stall_the_engine(engine: Engine, text: str) -> None:
    check_reply(engine, timed_handle(engine, engine.new_state(), text))


# ------------------------------------------------------------------ danger reaches 999 whatever surrounds it


@pytest.mark.parametrize("sentence", DANGER_SENTENCES)
def test_each_danger_sentence_alone_routes_to_999(engine: Engine, sentence: str) -> None:
    reply = engine.handle(engine.new_state(), sentence)
    assert reply.route is Route.CALL_999, f"{sentence!r} -> {reply.route} ({reply.intent})"
    assert reply.text.startswith("Call 999"), reply.text


surrounding = st.one_of(st.just(""), any_text, words)


@settings(max_examples=200, deadline=None)
@given(
    sentence=st.sampled_from(DANGER_SENTENCES),
    case=st.sampled_from([str, str.upper, str.capitalize, str.title]),
    before=surrounding,
    after=surrounding,
)
@example(sentence=DANGER_SENTENCES[0], case=str, before="not an emergency, it happened last night", after="")
@example(sentence=DANGER_SENTENCES[0], case=str, before="", after="no one was hurt, it was ages ago")
@example(sentence=DANGER_SENTENCES[3], case=str, before="x" * MAX_TEXT, after="every night for weeks")
def test_danger_routes_to_999_whatever_surrounds_it(
    engine: Engine, sentence: str, case: type[str], before: str, after: str
) -> None:
    text = f"{before}. {case(sentence)}. {after}"
    reply = timed_handle(engine, engine.new_state(), text)
    assert reply.route is Route.CALL_999, f"danger missed: {sentence!r} in {text[:200]!r} -> {reply.route}"
    assert reply.text.startswith("Call 999"), reply.text


# ------------------------------------------------------------------ the lines every reply of a kind carries


def test_every_example_gets_the_line_its_route_needs(engine: Engine) -> None:
    """Each intent's own examples: 999 replies lead with 999, reporting replies end with the emergency line."""
    for intent in engine.content.intents:
        for text in intent.examples:
            check_reply(engine, engine.handle(engine.new_state(), text))


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_reporting_replies_end_with_the_emergency_line(engine: Engine, data: st.DataObject) -> None:
    """Examples with noise around them: whatever route they reach, its reply carries the right line."""
    examples = [text for intent in engine.content.intents for text in intent.examples]
    text = data.draw(st.sampled_from(examples))
    noise = data.draw(st.sampled_from(["", "pls", "tbh", "honestly", "😡", "!!!", "\u200b", "mate", "in bletchley"]))
    where = data.draw(st.sampled_from(["before", "after", "upper"]))
    message = {"before": f"{noise} {text}", "after": f"{text} {noise}", "upper": text.upper()}[where]
    check_reply(engine, timed_handle(engine, engine.new_state(), message))


# ------------------------------------------------------------------ conversations stay apart


def _containers(engine: Engine) -> Iterator[tuple[str, object]]:
    """The engine's shared objects and their containers, to see that handling a message grows none of them."""
    reader = engine.reader
    for owner in (
        engine,
        reader,
        reader.safety,
        reader.classifier,
        engine.index,
        engine.areas,
        engine.figures,
        engine.normalise,
    ):
        for name, value in getattr(owner, "__dict__", {}).items():
            if isinstance(value, dict | list | set | frozenset | tuple):
                yield f"{type(owner).__name__}.{name}", value


def _fingerprint(engine: Engine) -> dict[str, object]:
    prints: dict[str, object] = {name: len(value) for name, value in _containers(engine)}  # type: ignore[arg-type]
    prints["_values"] = {k: repr(v) for k, v in engine._values.items()}
    return prints


def _run(engine: Engine, messages: list[str]) -> list[Reply]:
    state = engine.new_state()
    return [engine.handle(state, text) for text in messages]


conversation = st.lists(st.one_of(st.sampled_from(ORDINARY + DANGER_SENTENCES), any_text), min_size=1, max_size=6)


@settings(max_examples=80, deadline=None)
@given(a=conversation, b=conversation, order=st.lists(st.booleans(), min_size=12, max_size=12))
@example(
    a=["what have the police done about drugs in bletchley", "and how much cash?"],
    b=["stats for aylesbury", "and how much cash?"],
    order=[True, False] * 6,
)
def test_interleaved_conversations_do_not_touch_each_other(
    engine: Engine, a: list[str], b: list[str], order: list[bool]
) -> None:
    before = _fingerprint(engine)
    alone_a, alone_b = _run(engine, a), _run(engine, b)
    state_a, state_b = engine.new_state(), engine.new_state()
    got_a: list[Reply] = []
    got_b: list[Reply] = []
    queue_a, queue_b = list(a), list(b)
    turns = iter(order)
    while queue_a or queue_b:
        take_a = bool(queue_a) and (not queue_b or next(turns, True))
        mine, other, queue, got = (state_a, state_b, queue_a, got_a) if take_a else (state_b, state_a, queue_b, got_b)
        untouched = (other.area, other.intent)
        got.append(engine.handle(mine, queue.pop(0)))
        assert (other.area, other.intent) == untouched, "handling one conversation changed another's state"
    assert got_a == alone_a
    assert got_b == alone_b
    assert _fingerprint(engine) == before, "handling messages changed the engine's shared state"
