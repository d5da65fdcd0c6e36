"""Danger said plainly keeps its 999 answer whatever is said around it: exclamations, hedges, pleas, a history.

The generated table of issue 8 (danger sentences x openings x endings), asked for at 100%.
"""

from __future__ import annotations

import itertools

import pytest

from bot.engine import Engine
from bot.model import Route

DANGER = [
    "someone is breaking into my house right now",
    "theres a man with a knife outside my door",
    "my dad has collapsed and isnt breathing",
    "my boyfriend is hitting me",
    "a man is threatening to kill me",
    "i want to kill myself",
    "the flat downstairs is on fire",
    "a gang are kicking a lad on the floor outside the shop",
    "someone is trying to drag a girl into a van",
    "my mate has been stabbed and is bleeding loads",
]
OPENINGS = [
    "",
    "oh no ",
    "please no ",
    "no no no ",
    "sorry to bother you but ",
    "help ",
    "i dont know what to do ",
    "omg ",
    "this is probably nothing but ",
    "i dont want to waste anyones time but ",
    "please ",
    "not sure if this is the right place but ",
]
ENDINGS = [
    "",
    " please help",
    ", ive been scared of him for years",
    " and i cant talk because hes here",
    ", it happened before last year too",
    " what do i do",
    " im so scared",
]


def test_danger_keeps_999_whatever_surrounds_it(engine: Engine) -> None:
    missed = []
    for danger, opening, ending in itertools.product(DANGER, OPENINGS, ENDINGS):
        text = f"{opening}{danger}{ending}"
        reply = engine.handle(engine.new_state(), text)
        if reply.route is not Route.CALL_999 or "999" not in reply.text.splitlines()[0]:
            missed.append(f"{text!r} -> {reply.route} ({reply.intent})")
    total = len(DANGER) * len(OPENINGS) * len(ENDINGS)
    assert not missed, f"{len(missed)} of {total} lost the 999 line:\n" + "\n".join(missed[:40])


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("oh no someone is breaking into my house right now", "emergency"),
        ("my dad has gone grey and sweaty and says his chest is tight", "medical_emergency"),
        ("i have been self harming for years and i want to die", "self_harm"),
        ("smoke is pouring out from under the door next door", "fire"),
    ],
)
def test_the_999_reply_fits_what_is_happening(engine: Engine, text: str, intent: str) -> None:
    reply = engine.handle(engine.new_state(), text)
    assert reply.route is Route.CALL_999
    assert reply.intent == intent, f"{text!r} -> {reply.intent}"
    assert reply.text.startswith("Call 999")
