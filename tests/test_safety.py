"""The safety rules (bot/safety.py with content/safety.yaml): when a message must lead with 999, whatever matches."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.safety import Assessment


@pytest.fixture(scope="module")
def assess(engine: Engine):
    return engine.reader.safety.assess


DANGER_NOW = [
    "theres a man with a knife outside my door",
    "someone is being stabbed outside the chip shop",
    "my dad has collapsed on the kitchen floor",
    "theyre kicking the door in",
    "the flat downstairs is on fire",
    "a man is following me and i dont know where to go",
    "my neighbour is beating up his girlfriend in the street",
    "someone is trying to break in through the back window",
    "he says hes going to kill me",
    "theres a fight going on outside the pub",
]


@pytest.mark.parametrize("text", DANGER_NOW)
def test_danger_now(assess, text: str) -> None:
    result: Assessment = assess(text)
    assert result.danger, f"{text!r} should be danger now"
    assert result.cue, f"{text!r}: a danger result names its cue"


NEGATED = [
    "no one was hurt",
    "he didnt have a knife",
    "nobody got stabbed, they just shouted",
    "it wasnt a real gun, just a toy one",
    "no knife or anything, just a lot of shouting",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negation_cancels_the_danger_sign(assess, text: str) -> None:
    assert not assess(text).danger, f"{text!r} is negated, not danger"


def test_negation_far_from_the_danger_sign_does_not_cancel_it(assess) -> None:
    assert assess("i dont know what to do, theres a man with a knife in our garden").danger
    assert assess("no idea who he is but hes got a knife").danger


PAST = [
    "i was stabbed last week",
    "my car was set on fire yesterday",
    "there was a fight outside the pub last night",
    "someone got mugged by the station a few weeks ago",
    "my brother was attacked in town the other night",
]


@pytest.mark.parametrize("text", PAST)
def test_the_past_is_calm(assess, text: str) -> None:
    result = assess(text)
    assert not result.danger, f"{text!r} is in the past"
    assert result.calm


HABITUAL = [
    "they fight outside the pub every weekend",
    "kids round here always carry knives",
    "theres been fighting at the bus station for months",
]


@pytest.mark.parametrize("text", HABITUAL)
def test_something_that_keeps_happening_is_calm(assess, text: str) -> None:
    result = assess(text)
    assert not result.danger, f"{text!r} keeps happening, it is not happening now"
    assert result.calm


NOT_URGENT = [
    "this is not an emergency, the fight outside the pub finished hours ago",
    "not urgent, someone smashed the bus stop with a hammer and ran off",
    "its not an emergency and nobody was hurt",
]


@pytest.mark.parametrize("text", NOT_URGENT)
def test_not_an_emergency_is_calm(assess, text: str) -> None:
    result = assess(text)
    assert not result.danger, f"{text!r} says it is not an emergency"
    assert result.calm


DANGER_WINS = [
    "it happened last week. now hes back and hes got a knife",
    "nobody was hurt last time. tonight hes outside with a machete",
    "not an emergency earlier but now theres a fight outside with bottles",
    "they deal there every night. one of them just stabbed a lad",
]


@pytest.mark.parametrize("text", DANGER_WINS)
def test_danger_in_one_sentence_wins_over_calm_in_another(assess, text: str) -> None:
    result = assess(text)
    assert result.danger, f"{text!r}: the dangerous sentence must win"
    assert result.calm, f"{text!r}: the calm sentence is still seen"


NOW_OVERRIDES_CALM = [
    "it started yesterday but hes still outside with a knife right now",
    "he stabbed someone last week and hes outside my house right now",
    "there was a stabbing here last year and theres a man waving a knife at people right now",
    "they always fight out there but its happening now and someone is bleeding",
]


@pytest.mark.parametrize("text", NOW_OVERRIDES_CALM)
def test_now_overrides_calm(assess, text: str) -> None:
    assert assess(text).danger, f"{text!r} says it is happening now"


CALM_WITHOUT_DANGER = [
    "lads dealing by the garages most nights",
    "my bike got stolen last week",
    "what number do i ring",
    "",
]


@pytest.mark.parametrize("text", CALM_WITHOUT_DANGER)
def test_no_danger_sign_is_not_danger(assess, text: str) -> None:
    result = assess(text)
    assert not result.danger and result.cue is None, f"{text!r} has no danger sign"


def test_long_message_with_danger_at_the_end(assess) -> None:
    calm = "the council never answer about the fly tipping behind the shops. " * 100
    assert assess(calm + "theres a man with a gun in the car park").danger


@pytest.mark.parametrize(
    "text",
    ["is it against the law to carry a penknife", "what should i do if i see someone carrying a knife"],
)
def test_a_question_about_weapons_in_general_is_not_danger_now(engine: Engine, text: str) -> None:
    assert not engine.reader.safety.assess(text).danger, text
