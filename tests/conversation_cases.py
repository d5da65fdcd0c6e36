"""Scripted conversations (tests/conversations/*.yaml): load and validate them, and compare a turn with a reply.

Shared by every runner (the engine here, the Telegram front end elsewhere), so they all read the same scripts
and make the same assertions. The format is described in tests/conversations/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.model import Reply, Route

EMERGENCY_LINE = "If a crime is happening now or someone is in danger, call 999."
# Routes whose replies are reports or answers that must close with the 999 line (README: "every reporting reply").
ENDS_WITH_999_LINE = frozenset({Route.REPORT_ONLINE, Route.CALL_101, Route.AREA_STATS})
CASE_KEYS = frozenset({"name", "turns"})
TURN_KEYS = frozenset(
    {"user", "location", "route", "intent", "area", "starts_with", "contains", "not_contains", "buttons"}
)
ROUTES = frozenset(route.value for route in Route)


class CaseFormatError(ValueError):
    """A conversation file does not follow the format; the message lists every problem as file:line."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One message (or shared location) and what the reply to it must look like."""

    user: str | None
    location: tuple[float, float] | None
    route: Route
    intent: str | None = None
    area: str | None = None
    area_given: bool = False  # `area: null` is an expectation too: no area in the reply
    starts_with: str | None = None
    contains: tuple[str, ...] = ()
    not_contains: tuple[str, ...] = ()
    buttons: tuple[str, ...] = ()
    where: str = "?:0"

    @property
    def said(self) -> str:
        """What the person sent, for messages: the text, or the shared location."""
        if self.location is not None:
            return f"<location {self.location[0]}, {self.location[1]}>"
        return repr(self.user)


@dataclass(frozen=True, slots=True)
class Case:
    """One scripted conversation: a fresh conversation state, then its turns in order."""

    name: str
    file: str
    line: int
    turns: tuple[Turn, ...] = field(default_factory=tuple)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


class _LineDict(dict):
    """A YAML mapping that remembers the line it started on."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    pass


def _mapping_with_line(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_cases(folder: Path) -> list[Case]:
    """Every conversation in folder/*.yaml, in file order; raise CaseFormatError listing all format problems."""
    cases: list[Case] = []
    problems: list[str] = []
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise CaseFormatError(f"{folder}: no *.yaml conversation files")
    for path in files:
        cases += _load_file(path, folder, problems)
    first_seen: dict[str, str] = {}
    for case in cases:
        if case.name in first_seen:
            problems.append(f"{case.where}: name {case.name!r} is already used at {first_seen[case.name]}")
        first_seen.setdefault(case.name, case.where)
    if problems:
        raise CaseFormatError("\n".join(problems))
    return cases


def _load_file(path: Path, folder: Path, problems: list[str]) -> list[Case]:
    try:
        file = str(path.relative_to(folder.parent.parent))
    except ValueError:
        file = str(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problems.append(f"{file}:{mark.line + 1 if mark else 0}: not valid YAML: {exc.problem or exc.context}")
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(f"{file}:1: expected a list of conversations (- name: ..., turns: [...])")
        return []
    cases = []
    for item in data:
        case = _case(item, file, problems)
        if case is not None:
            cases.append(case)
    return cases


def _case(item: Any, file: str, problems: list[str]) -> Case | None:
    line = getattr(item, "line", 0)
    where = f"{file}:{line}"
    if not isinstance(item, dict):
        problems.append(f"{where}: a conversation must be a mapping with name and turns, got {item!r}")
        return None
    before = len(problems)
    for key in sorted(set(item) - CASE_KEYS, key=str):
        problems.append(f"{where}: unknown key {key!r} in a conversation (known: {', '.join(sorted(CASE_KEYS))})")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: a conversation needs a non-empty name")
    turns = item.get("turns")
    if not isinstance(turns, list) or not turns:
        problems.append(f"{where}: conversation {name!r} needs a non-empty list of turns")
        turns = []
    parsed = [_turn(raw, file, line, problems) for raw in turns]
    if len(problems) > before:
        return None
    return Case(name=name.strip(), file=file, line=line, turns=tuple(t for t in parsed if t is not None))


def _strings(value: Any, key: str, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.append(f"{where}: {key} must be a string or a list of strings, got {value!r}")
    return ()


def _turn(raw: Any, file: str, case_line: int, problems: list[str]) -> Turn | None:
    where = f"{file}:{getattr(raw, 'line', case_line)}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: a turn must be a mapping (user: ..., route: ...), got {raw!r}")
        return None
    before = len(problems)
    for key in sorted(set(raw) - TURN_KEYS, key=str):
        problems.append(f"{where}: unknown key {key!r} in a turn (known: {', '.join(sorted(TURN_KEYS))})")

    user, location = raw.get("user"), None
    if ("user" in raw) == ("location" in raw):
        problems.append(f"{where}: a turn needs exactly one of user (a message) or location ([latitude, longitude])")
    if "user" in raw and not isinstance(user, str):
        # `user:` with nothing after it is YAML null: write user: "" for an empty message.
        problems.append(f'{where}: user must be a string (write "" for an empty message), got {user!r}')
    if "location" in raw:
        loc = raw["location"]
        ok = isinstance(loc, list) and len(loc) == 2 and all(isinstance(v, int | float) for v in loc)
        if ok and -90 <= loc[0] <= 90 and -180 <= loc[1] <= 180:
            location = (float(loc[0]), float(loc[1]))
        else:
            problems.append(f"{where}: location must be [latitude, longitude] in degrees, got {loc!r}")

    route = raw.get("route")
    if route is None:
        problems.append(f"{where}: route is required ({' | '.join(r.value for r in Route)})")
    elif route not in ROUTES:
        problems.append(f"{where}: unknown route {route!r} (known: {', '.join(r.value for r in Route)})")
    for key in ("intent", "starts_with"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            problems.append(f"{where}: {key} must be a string, got {raw[key]!r}")
    if raw.get("area") is not None and not isinstance(raw["area"], str):
        problems.append(f"{where}: area must be an area id or null, got {raw['area']!r}")
    contains = _strings(raw.get("contains"), "contains", where, problems)
    not_contains = _strings(raw.get("not_contains"), "not_contains", where, problems)
    buttons = _strings(raw.get("buttons"), "buttons", where, problems)
    if len(problems) > before:
        return None
    return Turn(
        user=user if "user" in raw else None,
        location=location,
        route=Route(route),
        intent=raw.get("intent"),
        area=raw.get("area"),
        area_given="area" in raw,
        starts_with=raw.get("starts_with"),
        contains=contains,
        not_contains=not_contains,
        buttons=buttons,
        where=where,
    )


def mismatches(turn: Turn, reply: Reply) -> list[str]:
    """Every way `reply` differs from what `turn` expects, plus the rules every reply keeps; [] when it passes.

    Always checked: a call_999 reply starts with "Call 999"; report_online, call_101 and area_stats replies end
    with the 999 line.
    """
    found: list[str] = []
    text = reply.text or ""
    lowered = text.casefold()
    if reply.route != turn.route:
        found.append(f"route: expected {turn.route}, got {reply.route} (intent {reply.intent})")
    if turn.intent is not None and reply.intent != turn.intent:
        found.append(f"intent: expected {turn.intent}, got {reply.intent}")
    if turn.area_given and reply.area != turn.area:
        found.append(f"area: expected {turn.area}, got {reply.area}")
    if turn.starts_with is not None and not lowered.startswith(turn.starts_with.casefold()):
        found.append(f"text should start with {turn.starts_with!r}")
    for part in turn.contains:
        if part.casefold() not in lowered:
            found.append(f"text should contain {part!r}")
    for part in turn.not_contains:
        if part.casefold() in lowered:
            found.append(f"text should not contain {part!r}")
    have = {button.text.casefold() for button in reply.buttons}
    for wanted in turn.buttons:
        if wanted.casefold() not in have:
            found.append(f"button {wanted!r} missing (buttons: {[b.text for b in reply.buttons]})")
    if reply.route == Route.CALL_999 and not lowered.startswith("call 999"):
        found.append("a call_999 reply must start with 'Call 999'")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if reply.route in ENDS_WITH_999_LINE and (not lines or lines[-1] != EMERGENCY_LINE):
        found.append(f"a {reply.route} reply must end with the line {EMERGENCY_LINE!r}")
    return found


def describe(turn: Turn, reply: Reply, problems: list[str]) -> str:
    """An assertion message: where the turn is, what was sent, what came back and what is wrong."""
    first = (reply.text or "").splitlines()[0][:160] if reply.text else ""
    return (
        f"{turn.where}: {turn.said} -> route={reply.route} intent={reply.intent} area={reply.area}\n"
        f"  reply starts: {first!r}\n  " + "\n  ".join(problems)
    )
