"""Run every scripted conversation in tests/conversations/ through the engine, one test per conversation."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conversation_cases import (
    EMERGENCY_LINE,
    Case,
    CaseFormatError,
    Turn,
    describe,
    load_cases,
    mismatches,
)

from bot.content import Content
from bot.engine import Engine
from bot.model import Button, Reply, Route

CONVERSATIONS = Path(__file__).resolve().parent / "conversations"
CASES = load_cases(CONVERSATIONS)
# Intent ids the engine gives replies of its own (not in intents.yaml): nothing typed, nothing understood.
ENGINE_INTENTS = {"empty", "unclear"}


def run_turn(engine: Engine, state, turn: Turn) -> Reply:
    """Send one turn: a message, or a shared location."""
    if turn.location is not None:
        return engine.handle_location(state, *turn.location)
    return engine.handle(state, turn.user or "")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_conversation(engine: Engine, case: Case) -> None:
    state = engine.new_state()
    for turn in case.turns:
        reply = run_turn(engine, state, turn)
        problems = mismatches(turn, reply)
        assert not problems, describe(turn, reply, problems)


# ---------------------------------------------------------------------- the scripts cover what they must
def test_there_are_enough_conversations() -> None:
    assert len(CASES) >= 40, f"only {len(CASES)} conversations in {CONVERSATIONS}"
    assert len({case.file for case in CASES}) >= 10


def test_every_intent_is_expected_somewhere(content: Content) -> None:
    expected = {turn.intent for case in CASES for turn in case.turns if turn.intent}
    missing = sorted({intent.id for intent in content.intents} - expected)
    assert not missing, f"no conversation expects these intents from intents.yaml: {missing}"


def test_expected_intents_and_areas_exist(content: Content) -> None:
    intents = {intent.id for intent in content.intents} | ENGINE_INTENTS
    areas = {area.id for area in content.areas}
    wrong = [
        f"{turn.where}: {what}"
        for case in CASES
        for turn in case.turns
        for what in (
            [f"intent {turn.intent!r} is not in intents.yaml"] if turn.intent and turn.intent not in intents else []
        )
        + ([f"area {turn.area!r} is not in content/areas.yaml"] if turn.area and turn.area not in areas else [])
    ]
    assert not wrong, "\n".join(wrong)


def test_both_areas_with_figures_and_shared_locations_are_covered() -> None:
    turns = [turn for case in CASES for turn in case.turns]
    for area in ("milton_keynes", "aylesbury_vale"):
        assert any(t.route is Route.AREA_STATS and t.area == area and t.user for t in turns), area
        assert any(t.route is Route.AREA_STATS and t.area == area and t.location for t in turns), area
    assert any(t.location and t.route is not Route.AREA_STATS for t in turns), "no location outside the areas"
    assert any(len(case.turns) >= 3 for case in CASES), "no conversation of three turns or more"


# ---------------------------------------------------------------------- very long messages
def _gibberish(length: int, seed: int) -> str:
    rng = random.Random(seed)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < length:
        words.append("".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(3, 8))))
    return " ".join(words)[:length]


def test_five_thousand_characters_of_gibberish_get_a_kind_clarify(engine: Engine) -> None:
    text = _gibberish(5000, seed=11)
    assert len(text) == 5000
    reply = engine.handle(engine.new_state(), text)
    assert reply.route is Route.CLARIFY, f"5,000 characters of gibberish -> {reply.route} ({reply.intent})"
    assert EMERGENCY_LINE in reply.text


def test_danger_after_four_thousand_calm_characters_is_still_999(engine: Engine) -> None:
    rambling = (
        "the bins on our road have not been collected for three weeks and the council do not answer the phone. "
        "the street lights by the garages are out again and the pavement is all cracked where the roots come up. "
    )
    text = rambling * (4500 // len(rambling) + 1) + "and now theres a man at my front door with a knife"
    assert len(text) > 4500
    reply = engine.handle(engine.new_state(), text)
    assert reply.route is Route.CALL_999, f"danger at character {len(text) - 50} -> {reply.route} ({reply.intent})"
    assert reply.text.startswith("Call 999")


# ---------------------------------------------------------------------- the loader and the shared assertions
def _write(folder: Path, text: str, name: str = "theme.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _format_error(folder: Path) -> str:
    with pytest.raises(CaseFormatError) as caught:
        load_cases(folder)
    return str(caught.value)


def test_loader_reads_lines_and_fields(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "conversations",
        "- name: one\n"
        "  turns:\n"
        '    - user: "hi"\n'
        "      route: info\n"
        "      area: null\n"
        '      contains: "hello"\n'
        "    - {location: [52.0, -0.7], route: area_stats, buttons: [Report online]}\n",
    )
    (case,) = load_cases(folder)
    assert (case.name, case.line) == ("one", 1)
    first, second = case.turns
    assert first.where.endswith("theme.yaml:3")
    assert (first.user, first.route, first.area, first.area_given, first.contains) == (
        "hi",
        Route.INFO,
        None,
        True,
        ("hello",),
    )
    assert second.where.endswith("theme.yaml:7")
    assert (second.user, second.location, second.area_given, second.buttons) == (
        None,
        (52.0, -0.7),
        False,
        ("Report online",),
    )


@pytest.mark.parametrize(
    ("turn", "expected"),
    [
        ('{user: "x", route: info, rout: info}', "unknown key 'rout'"),
        ('{user: "x", route: call_998}', "unknown route 'call_998'"),
        ('{user: "x"}', "route is required"),
        ("{route: info}", "exactly one of user"),
        ('{user: "x", location: [1, 2], route: info}', "exactly one of user"),
        ("{location: [52.0], route: info}", "location must be [latitude, longitude]"),
        ("{user: , route: info}", 'write "" for an empty message'),
        ('{user: "x", route: info, contains: [1, 2]}', "contains must be a string or a list of strings"),
    ],
)
def test_loader_reports_format_problems_with_file_and_line(tmp_path: Path, turn: str, expected: str) -> None:
    folder = _write(tmp_path / "conversations", f"# a comment\n- name: broken\n  turns:\n    - {turn}\n")
    message = _format_error(folder)
    assert "theme.yaml:4:" in message and expected in message, message


def test_loader_reports_bad_yaml_and_duplicate_names(tmp_path: Path) -> None:
    folder = _write(tmp_path / "a", "- name: x\n  turns: [\n")
    assert "theme.yaml:" in _format_error(folder) and "not valid YAML" in _format_error(folder)
    one = '- name: same\n  turns: [{user: "x", route: info}]\n'
    folder = _write(_write(tmp_path / "b", one, "one.yaml"), one, "two.yaml")
    message = _format_error(folder)
    assert "two.yaml:1: name 'same' is already used at" in message and "one.yaml:1" in message, message


def test_mismatches_names_each_difference() -> None:
    turn = Turn(
        user="x",
        location=None,
        route=Route.REPORT_ONLINE,
        intent="drug_dealing",
        area="milton_keynes",
        area_given=True,
        starts_with="thank",
        contains=("101",),
        not_contains=("999 now",),
        buttons=("Report online",),
        where="f.yaml:3",
    )
    good = Reply(
        Route.REPORT_ONLINE,
        "drug_dealing",
        f"Thank you. Report online or call 101.\n{EMERGENCY_LINE}",
        (Button("Report online", "https://example.org"),),
        "milton_keynes",
    )
    assert mismatches(turn, good) == []
    bad = Reply(Route.INFO, "asb", "Call 999 now. Nothing else.", (), None)
    problems = mismatches(turn, bad)
    for part in ("route: expected report_online, got info", "intent:", "area:", "start with", "'101'", "'999 now'"):
        assert any(part in p for p in problems), (part, problems)
    assert any("button 'Report online' missing" in p for p in problems)
    no_line = Reply(Route.REPORT_ONLINE, "drug_dealing", "Thank you, call 101.", good.buttons, "milton_keynes")
    assert any("must end with the line" in p for p in mismatches(turn, no_line))
    emergency = Turn(user="x", location=None, route=Route.CALL_999)
    assert any("start with 'Call 999'" in p for p in mismatches(emergency, Reply(Route.CALL_999, "e", "Ring 999")))
