"""Load intents.yaml and content/ into frozen models, and report every problem as file:line: what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from bot.commands import COMMANDS
from bot.model import Route
from bot.normalise import fold
from bot.problems import placeholder_problems, schema_problem, without_echoes, yaml_problem
from bot.quantities import find_quantities
from bot.schema import Area, FigureFile, Intent, Link, ReplySpec, Safety, Spelling

# Replies the engine asks for by name, whatever the intents say.
ENGINE_REPLIES = frozenset(
    {"emergency_line", "emergency_first", "clarify", "empty_message", "area_figures", "no_figures_here"}
    | {"outside_force", "which_area", "location_unknown"}
    # Area answers (issue 10): the parts an answer about one or more areas is built from.
    | {"area_figures_elsewhere", "area_heading", "area_covers_whole", "figure_not_published", "area_none"}
    | {"area_elsewhere_none", "area_elsewhere_note"}
)
# Replies the front ends ask for by name (commands, non-text messages, errors).
FRONTEND_REPLIES = frozenset(
    {"start", "privacy", "non_text", "unknown_command", "area_picker", "error", "goodbye"}
    | {command.reply for command in COMMANDS}
    | {"typing_fast", "forget_done", "forget_partial", "forget_group"}  # the Telegram front end (issue 9)
)
PLACEHOLDERS = frozenset({"emergency_line", "area", "figures", "sources", "areas_with_figures", "place", "asked"})
FILES = {
    "intents": "intents.yaml",
    "replies": "content/replies.yaml",
    "links": "content/links.yaml",
    "areas": "content/areas.yaml",
    "figures": "content/figures.yaml",
    "safety": "content/safety.yaml",
    "spelling": "content/spelling.yaml",
}
Lines = dict[tuple[Any, ...], int]
# libyaml's loader when PyYAML was built with it: same results, several times faster at start-up.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ContentError(Exception):
    """The content cannot be used; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True, slots=True)
class Content:
    root: Path
    intents: tuple[Intent, ...]
    replies: dict[str, ReplySpec]
    links: dict[str, Link]
    areas: tuple[Area, ...]
    figures: FigureFile
    safety: Safety
    spelling: dict[str, str]


class _Reader:
    """Reads YAML keeping each node's line, so schema errors can point at the line that caused them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.lines: dict[str, Lines] = {}
        self.unreadable: set[str] = set()  # missing or broken files: already reported, not validated again

    def add(self, file: str, line: int, message: str) -> None:
        self.problems.append(Problem(file, line, message))

    def fail(self, file: str, line: int, message: str) -> None:
        self.unreadable.add(file)
        self.add(file, line, message)

    def read(self, file: str) -> Any:
        path = self.root / file
        self.lines[file] = {}
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.fail(file, 0, "file is missing")
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.fail(file, 0, f"cannot read the file: {exc}")
            return None
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                self.fail(file, 1, "file is empty")
                return None
            return self._build(loader, node, (), file)
        except yaml.MarkedYAMLError as exc:
            self.fail(file, *yaml_problem(exc, text))
            return None
        except yaml.YAMLError as exc:
            self.fail(file, 0, f"not valid YAML: {exc}")
            return None
        finally:
            loader.dispose()

    def _build(self, loader: Any, node: yaml.Node, path: tuple[Any, ...], file: str) -> Any:
        self.lines[file][path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = loader.construct_object(key_node)
                if not isinstance(key, str | int | float | bool) and key is not None:
                    self.add(file, key_node.start_mark.line + 1, "a key must be plain text, not a list or a mapping")
                    continue
                if key in out:
                    self.add(file, key_node.start_mark.line + 1, f"key {key!r} appears twice")
                out[key] = self._build(loader, value_node, (*path, key), file)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self._build(loader, item, (*path, i), file) for i, item in enumerate(node.value)]
        return loader.construct_object(node)

    def line(self, file: str, path: Iterable[Any]) -> int:
        """The line of the deepest node on `path` that exists."""
        path = tuple(path)
        lines = self.lines.get(file, {})
        while path and path not in lines:
            path = path[:-1]
        return lines.get(path, 1)

    def validate(self, file: str, kind: Any, data: Any, prefix: tuple[Any, ...] = ()) -> Any:
        """Validate `data` against a schema; each error becomes a problem on the line it points to."""
        if file in self.unreadable:
            return None
        try:
            return TypeAdapter(kind).validate_python(data)
        except ValidationError as exc:
            for error in without_echoes(exc.errors()):
                loc = (*prefix, *error["loc"])
                found = error.get("input")
                if error["type"] == "value_error" and isinstance(found, list):
                    # A list-wide rule (a pattern that does not compile): point at the entry it names.
                    said = str(error["ctx"]["error"])
                    loc = next(((*loc, j) for j, item in enumerate(found) if repr(item) in said), loc)
                self.add(file, self.line(file, loc), schema_problem(file, error, data, kind))
            return None


def load_content(root: Path) -> Content:
    """Load and cross-check all content under `root`; raise ContentError listing every problem."""
    if not (root / FILES["intents"]).exists() and not (root / "content").exists():
        # One line instead of "file is missing" for each of the files: most likely the wrong folder.
        message = f"no content in {root}: neither intents.yaml nor content/; make a copy with `python -m bot init DIR`"
        raise ContentError([Problem(FILES["intents"], 0, message)])
    reader = _Reader(root)
    raw = {name: reader.read(file) for name, file in FILES.items()}
    parsed = {
        "intents": reader.validate(FILES["intents"], list[Intent], raw["intents"]),
        "replies": reader.validate(FILES["replies"], dict[str, ReplySpec], raw["replies"]),
        "links": reader.validate(FILES["links"], dict[str, Link], raw["links"]),
        "areas": reader.validate(FILES["areas"], list[Area], raw["areas"]),
        "figures": reader.validate(FILES["figures"], FigureFile, raw["figures"]),
        "safety": reader.validate(FILES["safety"], Safety, raw["safety"]),
        "spelling": reader.validate(FILES["spelling"], Spelling, raw["spelling"]),
    }
    if all(value is not None for value in parsed.values()):
        _cross_check(reader, **parsed)
    if reader.problems:
        raise ContentError(sorted(reader.problems, key=lambda p: (p.file, p.line)))
    return Content(
        root=root,
        intents=tuple(parsed["intents"]),
        replies=parsed["replies"],
        links=parsed["links"],
        areas=tuple(parsed["areas"]),
        figures=parsed["figures"],
        safety=parsed["safety"],
        spelling=parsed["spelling"].words,
    )


def _cross_check(
    reader: _Reader,
    *,
    intents: list[Intent],
    replies: dict[str, ReplySpec],
    links: dict[str, Link],
    areas: list[Area],
    figures: FigureFile,
    safety: Safety,
    spelling: Spelling,
) -> None:
    """Rules that span files: references both ways, duplicates, placeholders."""
    add, line = reader.add, reader.line
    fi, fr, fa, ff, fs = FILES["intents"], FILES["replies"], FILES["areas"], FILES["figures"], FILES["safety"]

    seen_ids: set[str] = set()
    example_owner: dict[str, str] = {}
    for i, intent in enumerate(intents):
        if intent.id in seen_ids:
            add(fi, line(fi, (i, "id")), f"intent id '{intent.id}' is used twice")
        seen_ids.add(intent.id)
        if intent.reply not in replies:
            add(fi, line(fi, (i, "reply")), f"intent '{intent.id}' names reply '{intent.reply}', which is not in {fr}")
        for j, example in enumerate(intent.examples):
            key = fold(example)
            owner = example_owner.setdefault(key, intent.id)
            if owner != intent.id:
                add(fi, line(fi, (i, "examples", j)), f"example {example!r} is under both '{owner}' and '{intent.id}'")
    for field in ("danger_intent", "calm_intent"):
        if getattr(safety, field) not in seen_ids:
            add(fs, line(fs, (field,)), f"{field} '{getattr(safety, field)}' is not an intent in {fi}")
    routes = {intent.id: intent.route for intent in intents}
    for kind, calm_id in safety.calm_intents.items():
        if kind not in routes or calm_id not in routes:
            add(
                fs, line(fs, ("calm_intents", kind)), f"calm_intents maps '{kind}' to '{calm_id}': both must be intents"
            )
    for k, intent_id in enumerate(safety.in_progress_intents):
        if intent_id not in routes:
            add(
                fs,
                line(fs, ("in_progress_intents", k)),
                f"in_progress_intents names '{intent_id}', not an intent in {fi}",
            )
    for intent_id in [*safety.signs, *safety.never_calm]:
        if routes.get(intent_id) is not Route.CALL_999:
            where = ("signs", intent_id) if intent_id in safety.signs else ("never_calm",)
            add(fs, line(fs, where), f"'{intent_id}' must be an intent in {fi} whose route is call_999")

    # A choice button sends its text back: it must be an example or a place the area finder knows.
    understood = set(example_owner) | {fold(t) for area in areas for t in (area.name, *area.aliases, *area.towns)}
    used = ENGINE_REPLIES | FRONTEND_REPLIES | {intent.reply for intent in intents}
    for reply_id, spec in replies.items():
        if reply_id not in used:
            add(fr, line(fr, (reply_id,)), f"reply '{reply_id}' is never used by an intent or the engine")
        texts = [(("text",), spec.text)]
        for k, button in enumerate(spec.buttons):
            texts += [(("buttons", k, "text"), button.text), (("buttons", k, "url"), button.url or "")]
            if button.url is None and fold(button.text) not in understood:
                add(
                    fr,
                    line(fr, (reply_id, "buttons", k)),
                    f"choice button {button.text!r} is no intent's example, so pressing it would not be understood",
                )
        for path, text in texts:
            for problem in placeholder_problems(text, links, PLACEHOLDERS):
                add(fr, line(fr, (reply_id, *path)), f"reply '{reply_id}': {problem}")
    # The promises the bot makes are checked here, so that an edit cannot quietly break them.
    first_999 = {"emergency_first"} | {intent.reply for intent in intents if intent.route is Route.CALL_999}
    for reply_id in sorted(first_999 & replies.keys()):
        if "999" not in replies[reply_id].text.splitlines()[0]:
            add(fr, line(fr, (reply_id, "text")), f"reply '{reply_id}' answers danger, so its first line must say 999")
    for intent in intents:
        spec = replies.get(intent.reply)
        if (
            intent.route in (Route.REPORT_ONLINE, Route.CALL_101)
            and spec
            and not spec.text.endswith("{emergency_line}")
        ):
            add(
                fr,
                line(fr, (intent.reply, "text")),
                f"reply '{intent.reply}' answers reports ('{intent.id}'), so it must end with {{emergency_line}}",
            )
    for reply_id in sorted((ENGINE_REPLIES | FRONTEND_REPLIES) - replies.keys()):
        add(fr, 1, f"reply '{reply_id}' is missing; the engine needs it")

    claimed: dict[str, str] = {}
    area_ids: set[str] = set()
    for i, area in enumerate(areas):
        if area.id in area_ids:
            add(fa, line(fa, (i, "id")), f"area id '{area.id}' is used twice")
        area_ids.add(area.id)
        for field in ("aliases", "towns", "postcodes"):
            listed: set[str] = set()  # a town or postcode listed twice in one area is a slip too
            for j, name in enumerate(getattr(area, field)):
                folded = fold(name)
                owner = claimed.setdefault(folded, area.id)
                if owner != area.id or (field != "aliases" and folded in listed):
                    add(fa, line(fa, (i, field, j)), f"'{name}' is claimed by area '{owner}' and again by '{area.id}'")
                listed.add(folded)

    for k, figure in enumerate(figures.figures):
        # The quote is the release's own words: they must state the value, in digits or in words.
        if not any(q.value == figure.value for q in find_quantities(figure.quote)):
            add(
                ff,
                line(ff, ("figures", k, "quote")),
                f"figure '{figure.label}': its value {figure.value:,g} is not in its quote, so nobody can check it",
            )
        if figure.area not in area_ids:
            add(
                ff, line(ff, ("figures", k, "area")), f"figure '{figure.label}' names area '{figure.area}', not in {fa}"
            )
        if figure.source not in figures.sources:
            add(
                ff,
                line(ff, ("figures", k, "source")),
                f"figure '{figure.label}': source '{figure.source}' is not one of the sources at the top of the "
                f"file ({', '.join(figures.sources)})",
            )
